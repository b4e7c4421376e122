"""Each role's day, from its home page, in a real Chromium against the live server.

The home page lists what waits for its user (templates/includes/work_queue.html, one card per
kind of work: ``data-queue``). Each walk follows one piece of work from role to role: it appears
in the user's queue, its link leads to the page where the action is, the action takes it out of
that queue, and the next role's queue gains it.

- A monthly report: CMCC's reporting staff files it → CMCC's manager certifies it (ticking the
  attestation) → the administration's staff accepts it → CMCC's people are told by mail.
- A rectification order: the staff issue it → CMCC's staff acknowledge it and report the
  rectification → the staff verify it.
- The monthly briefing: the staff draft it → leadership approves it → the staff circulate it →
  every operator's portal lists it with its .docx and PDF to download.

The world is the demo's people (supervision/demo/accounts.py: ``staff``, ``leader``, and for each
operator its reporting staff ``cmcc``… and its manager ``cmcc_manager``…, each with an e-mail
address, so every operator has a recipient of official documents); each walk adds the rows it
starts from. Pages are in Chinese, the desk's language; elements are found by data-testid,
data-queue, name and href, never by their words.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from playwright.sync_api import expect

from supervision.briefings.models import Briefing, BriefingState
from supervision.casework import attachments, findings
from supervision.casework.models import OrderState, RectificationOrder
from supervision.core.files import check_case_file
from supervision.core.models import SHANGHAI, City, Operator, ViolationCategory
from supervision.demo.accounts import DEMO_ACCOUNTS
from supervision.reporting import submissions
from supervision.reporting.models import MonthlySubmission, SubmissionState
from tests.briefings.builders import report, seed_month
from tests.e2e.conftest import click_nav

# The order's deadline and the briefing's number follow from the date: run at make test-dates'
# instants too (the report's walk travels to its own days).
pytestmark = pytest.mark.dates

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
FIGURES = SAMPLES / "monthly_report_CMCC_2026-10.xlsx"
LEDGER = SAMPLES / "complaints_CMCC_2026-10_utf8bom.csv"
# The samples are of October 2026: filed on its last day, within the window and on time; the
# administration decides once the month is over.
FILING_DAY = dt.datetime(2026, 10, 31, 10, 0, tzinfo=SHANGHAI)
REVIEW_DAY = dt.datetime(2026, 11, 3, 10, 0, tzinfo=SHANGHAI)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OPERATORS = ["CMCC", "CUCC", "CTCC", "CBN"]


@pytest.fixture
def demo_people(live_user, media_root):
    """The demo's accounts (with the tests' password and address), by user name."""
    return {
        account.username: live_user(
            account.username,
            account.role,
            account.operator_code,
            full_name=account.full_name,
        )
        for account in DEMO_ACCOUNTS
    }


# --- Home pages and their queues ---------------------------------------------------------------


def log_in(page, login, user):
    page.context.clear_cookies()
    login(page, user.username)


def go_home(page, live_url, face):
    """The face's home through the brand link, as a user comes back to it."""
    page.locator("nav .navbar-brand").click()
    expect(page).to_have_url(live_url(f"/{face}/"))
    expect(page.get_by_test_id("work-queue")).to_be_visible()


def queue(page, key):
    return page.get_by_test_id("work-queue").locator(f"[data-queue='{key}']")


def queue_item(page, key, href):
    return queue(page, key).get_by_test_id("queue-item").filter(has=page.locator(f"a[href='{href}']"))


def expect_waiting(page, key, href):
    """``href`` is in the queue ``key`` of the home page, as a link."""
    expect(queue_item(page, key, href)).to_have_count(1)


def expect_not_waiting(page, key, href):
    """``href`` is no longer in the queue ``key`` (the queue may be gone altogether)."""
    expect(page.get_by_test_id("work-queue")).to_be_visible()
    expect(queue_item(page, key, href)).to_have_count(0)


def follow(page, live_url, key, href):
    """Click the item's link in the queue: it leads to its page."""
    queue_item(page, key, href).locator(f"a[href='{href}']").click()
    expect(page).to_have_url(live_url(href))


# --- A monthly report: clerk → manager → staff → operator ---------------------------------------


def file_the_report(page, live_url):
    """The upload form the queue's item leads to: October's figures and ledger, then confirm."""
    page.locator("select[name=period]").select_option("2026-10")
    page.locator("input[name=figures]").set_input_files(FIGURES)
    page.locator("input[name=ledger]").set_input_files(LEDGER)
    page.locator("textarea[name=narrative]").fill("本月按要求开展携号转网服务工作，未发生重大问题。")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(live_url("/portal/uploads/")) + r"[0-9a-f-]{36}/$"))
    expect(page.locator("[data-testid=problems] tr.problem-warning")).to_have_count(0)
    page.locator("button[name=confirm]").click()
    expect(page).to_have_url(re.compile(re.escape(live_url("/portal/reports/")) + r"\d+/$"))
    return MonthlySubmission.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))


def state_label(state) -> str:
    with translation.override("zh-hans"):
        return str(state.label)


def test_a_monthly_report_from_the_clerk_to_the_manager_to_the_staff(
    page, live_url, login, demo_people, eager_tasks, samples
):
    staff, clerk, manager = demo_people["staff"], demo_people["cmcc"], demo_people["cmcc_manager"]
    with time_machine.travel(FILING_DAY, tick=True) as traveller:
        # September was filed and accepted: October is the one report CMCC still owes.
        september = report("CMCC", "2026-09", {"370100": {"port_out_applications": 10}},
                           at=dt.datetime(2026, 9, 30, 12, tzinfo=SHANGHAI))  # fmt: skip
        submissions.accept(september, user=staff)

        # The clerk: October's report is to file; its link is the upload form.
        log_in(page, login, clerk)
        new_report = "/portal/reports/new/"
        expect(queue(page, "reporting.to_file").get_by_test_id("queue-item")).to_have_count(1)
        expect(queue(page, "reporting.to_file")).to_contain_text("2026-10")
        follow(page, live_url, "reporting.to_file", new_report)
        version = file_the_report(page, live_url)
        assert (version.period.label, version.state) == ("2026-10", SubmissionState.AWAITING_CERTIFICATION)
        go_home(page, live_url, "portal")
        expect_not_waiting(page, "reporting.to_file", new_report)
        expect(page.get_by_test_id("queue-empty")).to_be_visible()  # nothing else waits for the clerk

        # The manager: the version is to certify; its page has the attestation and the button.
        version_page = f"/portal/reports/{version.pk}/"
        log_in(page, login, manager)
        expect_waiting(page, "reporting.to_certify", version_page)
        follow(page, live_url, "reporting.to_certify", version_page)
        form = page.get_by_test_id("certify-form")
        expect(form.get_by_test_id("attestation")).to_contain_text("中国移动")
        form.locator("input[name=attested]").check()
        form.locator("button[type=submit]").click()
        expect(page.get_by_test_id("receipt-no")).to_be_visible()
        version.refresh_from_db()
        assert version.state == SubmissionState.SUBMITTED and version.certified_by == manager
        go_home(page, live_url, "portal")
        expect_not_waiting(page, "reporting.to_certify", version_page)

        # The administration's staff, once October is over: the report is to accept.
        traveller.move_to(REVIEW_DAY)
        mail.outbox.clear()
        dashboard_page = f"/dashboard/reporting/{version.pk}/"
        log_in(page, login, staff)
        expect_waiting(page, "reporting.to_accept", dashboard_page)
        follow(page, live_url, "reporting.to_accept", dashboard_page)
        page.locator("form[action$='/accept/'] button[type=submit]").click()
        expect(page.locator("form[action$='/accept/']")).to_have_count(0)
        version.refresh_from_db()
        assert version.state == SubmissionState.ACCEPTED
        go_home(page, live_url, "dashboard")
        expect_not_waiting(page, "reporting.to_accept", dashboard_page)

        # The operator is told: the mail to CMCC's people, and the version's page says so.
        told = [m for m in mail.outbox if "2026-10" in m.subject]
        assert sorted(m.to[0] for m in told) == sorted([clerk.email, manager.email])
        assert all(f"/portal/reports/{version.pk}/" in m.body for m in told)
        log_in(page, login, clerk)
        page.goto(live_url(version_page))
        expect(page.get_by_test_id("state")).to_have_text(state_label(SubmissionState.ACCEPTED))


# --- A rectification order: staff → operator → staff --------------------------------------------


def published_finding(staff):
    """A severe problem found at a CMCC store, published with its evidence."""
    finding = findings.create_finding(
        user=staff,
        operator=Operator.objects.get(code="CMCC"),
        city=City.objects.get(code="370700"),
        visit_date=dt.date(2026, 9, 3),
        channel="STORE",
        site="潍坊市新华路营业厅",
        method="MYSTERY_SHOPPER",
        scenario="咨询携号转网条件并申请授权码",
        violation=True,
        description="营业厅要求缴纳协议违约金后才可办理携出",
        clause=ViolationCategory.objects.get(code="BL2"),
        severity="SEVERE",
        agency="山东某第三方测评机构",
    )
    upload = SimpleUploadedFile("现场录音文字稿.pdf", PDF, content_type="application/pdf")
    attachments.store(upload, check_case_file(upload), user=staff, finding=finding)
    return findings.publish_finding(finding, user=staff)


def expect_order_state(order, state):
    order.refresh_from_db()
    assert order.state == state, (order.state, state)


def test_an_order_from_the_staff_to_the_operator_and_back(page, live_url, login, demo_people, eager_tasks):
    staff, clerk = demo_people["staff"], demo_people["cmcc"]
    finding = published_finding(staff)

    # The staff draft the order from the finding's page and issue it.
    log_in(page, login, staff)
    click_nav(page, "/dashboard/findings/")
    page.locator(f"main a[href='/dashboard/findings/{finding.pk}/']").first.click()
    page.get_by_test_id("new-order").click()
    form = page.get_by_test_id("order-form")
    form.locator("textarea[name=requirements]").fill("一、立即停止以违约金阻挠携号转网的行为。")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(live_url("/dashboard/orders/")) + r"\d+/$"))
    order = RectificationOrder.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    page.locator("button[name=issue]").click()
    expect(page.get_by_test_id("document-no")).to_have_text(re.compile(r"^鲁通管〔\d{4}〕\d+号$"))
    expect_order_state(order, OrderState.ISSUED)

    # CMCC's staff: the order is due; its page takes the acknowledgement and the report.
    portal_order = f"/portal/orders/{order.pk}/"
    log_in(page, login, clerk)
    expect_waiting(page, "casework.orders_due", portal_order)
    follow(page, live_url, "casework.orders_due", portal_order)
    page.locator("button[name=acknowledge]").click()
    expect(page.get_by_test_id("report-form")).to_be_visible()
    expect_order_state(order, OrderState.ACKNOWLEDGED)
    go_home(page, live_url, "portal")
    expect_waiting(page, "casework.orders_due", portal_order)  # acknowledged, the report still due
    follow(page, live_url, "casework.orders_due", portal_order)
    report_form = page.get_by_test_id("report-form")
    report_form.locator("textarea[name='report-text']").fill(
        "已停止收取无依据违约金，完成全省营业厅排查和培训。"
    )
    report_form.locator("input[name='report-files']").set_input_files(
        [{"name": "整改报告.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    report_form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("report-form")).to_have_count(0)
    expect_order_state(order, OrderState.REPORT_SUBMITTED)
    go_home(page, live_url, "portal")
    expect_not_waiting(page, "casework.orders_due", portal_order)

    # The staff: the report is to verify; the order's page has the button.
    dashboard_order = f"/dashboard/orders/{order.pk}/"
    log_in(page, login, staff)
    expect_waiting(page, "casework.reports_to_verify", dashboard_order)
    follow(page, live_url, "casework.reports_to_verify", dashboard_order)
    page.get_by_test_id("verify-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("verify-form")).to_have_count(0)
    expect_order_state(order, OrderState.VERIFIED)
    go_home(page, live_url, "dashboard")
    expect_not_waiting(page, "casework.reports_to_verify", dashboard_order)

    # CMCC's staff: nothing left to do on it.
    log_in(page, login, clerk)
    expect_not_waiting(page, "casework.orders_due", portal_order)


# --- The monthly briefing: staff → leader → staff → every operator ------------------------------


def test_a_briefing_from_the_staff_to_leadership_to_every_operator(
    page, live_url, login, demo_people, eager_tasks
):
    staff, leader = demo_people["staff"], demo_people["leader"]
    seed_month()

    # The staff draft October's briefing.
    log_in(page, login, staff)
    click_nav(page, "/dashboard/briefings/")
    draft = page.get_by_test_id("draft-form")
    draft.locator("select[name=month]").select_option("2026-10")
    draft.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(live_url("/dashboard/briefings/")) + r"\d+/$"))
    briefing = Briefing.objects.get()
    briefing_page = f"/dashboard/briefings/{briefing.pk}/"

    # Leadership: the draft is to approve; its page has the button.
    log_in(page, login, leader)
    expect_waiting(page, "briefings.to_approve", briefing_page)
    follow(page, live_url, "briefings.to_approve", briefing_page)
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("briefing-state")).to_have_attribute("data-state", BriefingState.APPROVED)
    go_home(page, live_url, "dashboard")
    expect_not_waiting(page, "briefings.to_approve", briefing_page)

    # The staff: the approved briefing is to circulate; every operator has a recipient.
    log_in(page, login, staff)
    expect_waiting(page, "briefings.to_circulate", briefing_page)
    follow(page, live_url, "briefings.to_circulate", briefing_page)
    expect(page.get_by_test_id("nobody-warning")).to_have_count(0)
    page.get_by_test_id("circulate").click()
    expect(page.get_by_test_id("briefing-state")).to_have_attribute("data-state", BriefingState.CIRCULATED)
    go_home(page, live_url, "dashboard")
    expect_not_waiting(page, "briefings.to_circulate", briefing_page)
    briefing.refresh_from_db()
    managers = [demo_people[f"{code.lower()}_manager"] for code in OPERATORS]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in managers)

    # Every operator: its portal's official documents list it, with both files to download.
    with briefing.pdf_file.open("rb") as stored:
        approved_pdf = stored.read()
    for code in OPERATORS:
        log_in(page, login, demo_people[code.lower()])
        click_nav(page, "/portal/documents/")
        row = page.get_by_test_id("briefings").locator(f"tr[data-briefing='{briefing.pk}']")
        expect(row).to_contain_text(briefing.document_no)
        with page.expect_download() as pdf:
            row.get_by_test_id("briefing-pdf").click()
        assert Path(pdf.value.path()).read_bytes() == approved_pdf, code
        with page.expect_download() as docx:
            row.get_by_test_id("briefing-docx").click()
        assert docx.value.suggested_filename.endswith(".docx"), code
        assert Path(docx.value.path()).read_bytes()[:2] == b"PK", code
