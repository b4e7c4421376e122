"""The enforcement chain, across roles, in a real Chromium against the live server.

The administration imports the sample inspection batch through its upload page, attaches
evidence to a CMCC finding of a severe problem and publishes it, then drafts and issues a
rectification order on it. CMCC's staff acknowledges the order and asks for more time; the
administration grants it; the staff submits its rectification report with a PDF; the
administration returns it once; the staff reports again; the administration verifies it. The
order's timeline then shows every step, with who did it, and the e-mails that went out.

Pages are driven in English (each user's saved language) and elements are found by stable
attributes (data-testid, name, href), never by Chinese labels. Texts asserted in English are the
states' labels (msgids taken from the code) or data typed in by the test.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from supervision.casework.models import (
    InspectionFinding,
    OrderState,
    RectificationOrder,
    local_date,
)
from tests.e2e.conftest import click_nav

# Runs at each of make test-dates' instants: deadlines are proposed and counted from today.
pytestmark = pytest.mark.dates

SAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "inspections_2026-09.xlsx"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

REQUIREMENTS = "一、立即停止以违约金阻挠携号转网的行为；\n二、对涉及的营业厅逐一排查并培训。"
EXTENSION_REASON = "涉及全省营业厅系统改造，需协调集团总部排期。"
REPORT_TEXT = "已停止收取无依据违约金，完成全省营业厅排查和培训。"
RETURN_COMMENT = "请补充培训签到记录和用户回访情况。"
SECOND_REPORT = "已补充培训签到记录和用户回访情况。"


def label(choice) -> str:
    with translation.override("en"):
        return str(choice.label)


@pytest.fixture
def people(live_operator_staff, live_regulator):
    for user in (live_operator_staff, live_regulator):
        user.language = "en"
        user.save(update_fields=["language"])
    return live_operator_staff, live_regulator


def open_nav(page, live_url, path):
    click_nav(page, path)
    expect(page).to_have_url(live_url(path))


def log_in(page, login, user):
    login(page, user.username)
    expect(page.locator("html")).to_have_attribute("lang", "en")


def log_out(page, live_url):
    page.locator("form[action='/accounts/logout/'] button[type=submit]").click()
    expect(page).to_have_url(live_url("/accounts/login/"))


def pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def expect_order_state(page, state):
    expect(page.get_by_test_id("state")).to_have_text(label(state))


# --- The administration ------------------------------------------------------------------------


def import_sample_batch(page, live_url):
    open_nav(page, live_url, "/dashboard/findings/")
    page.get_by_test_id("finding-actions").locator("a[href='/dashboard/findings/import/']").click()
    page.locator("input[name=file]").set_input_files(SAMPLE)
    page.get_by_test_id("batch-form").locator("button[type=submit]").click()
    expect(page).to_have_url(
        re.compile(re.escape(live_url("/dashboard/findings/import/")) + r"[0-9a-f-]{36}/$")
    )
    expect(page.get_by_test_id("clean")).to_be_visible()  # every row passed the checks
    expect(page.get_by_test_id("visits")).to_have_text("60")
    page.locator("button[name=confirm]").click()
    expect(page.get_by_test_id("stored-summary")).to_be_visible()
    expect(page.get_by_test_id("stored").locator("tbody tr")).to_have_count(60)


def open_severe_cmcc_finding(page, live_url) -> InspectionFinding:
    row = page.get_by_test_id("stored").locator(
        "tr[data-operator=CMCC][data-violation=yes][data-severity=SEVERE]"
    )
    row.first.locator("a").click()
    expect(page).to_have_url(re.compile(re.escape(live_url("/dashboard/findings/")) + r"\d+/$"))
    finding = InspectionFinding.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert (finding.operator.code, finding.violation, finding.severity) == ("CMCC", True, "SEVERE")
    return finding


def attach_evidence_and_publish(page):
    form = page.get_by_test_id("evidence-form")
    form.locator("input[name=files]").set_input_files([pdf("现场录音文字稿.pdf")])
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("evidence").locator("li")).to_have_count(1)
    page.locator("button[name=publish]").click()
    expect(page.get_by_test_id("state")).to_have_text("Published to the operator")


def draft_and_issue_order(page, live_url, finding) -> RectificationOrder:
    page.get_by_test_id("new-order").click()
    form = page.get_by_test_id("order-form")
    expect(form.locator(f"input[name=findings][value='{finding.pk}']")).to_be_checked()
    expect(page.get_by_test_id("proposal")).to_be_visible()  # severe: the rules propose 7 days
    form.locator("textarea[name=requirements]").fill(REQUIREMENTS)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(live_url("/dashboard/orders/")) + r"\d+/$"))
    expect_order_state(page, OrderState.DRAFT)
    page.locator("button[name=issue]").click()
    expect_order_state(page, OrderState.ISSUED)
    expect(page.get_by_test_id("document-no")).to_have_text(re.compile(r"^鲁通管〔\d{4}〕\d+号$"))
    order = RectificationOrder.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert local_date(order.deadline) == local_date(order.issued_at) + dt.timedelta(days=7)
    return order


def open_order(page, live_url, order):
    open_nav(page, live_url, "/dashboard/orders/")
    page.locator(f"main a[href='/dashboard/orders/{order.pk}/']").click()
    expect(page).to_have_url(live_url(f"/dashboard/orders/{order.pk}/"))


def grant_extension(page, new_day: dt.date):
    decision = page.get_by_test_id("extension-decision")
    expect(decision).to_contain_text(EXTENSION_REASON)
    decision.locator("button[name=grant]").click()
    expect(page.get_by_test_id("deadline")).to_have_text(f"{new_day:%Y-%m-%d} 23:59")
    expect(page.get_by_test_id("deadlines").locator("tbody tr")).to_have_count(2)


def return_report(page):
    form = page.get_by_test_id("return-form")
    form.locator("textarea[name='return-comment']").fill(RETURN_COMMENT)
    form.locator("button[type=submit]").click()
    expect_order_state(page, OrderState.RETURNED)


def verify(page):
    page.get_by_test_id("verify-form").locator("button[type=submit]").click()
    expect_order_state(page, OrderState.VERIFIED)


# --- The operator ------------------------------------------------------------------------------


def open_portal_order(page, live_url, order):
    open_nav(page, live_url, "/portal/orders/")
    page.get_by_test_id("orders").locator(f"a[href='/portal/orders/{order.pk}/']").click()
    expect(page).to_have_url(live_url(f"/portal/orders/{order.pk}/"))


def acknowledge_and_ask_for_time(page, new_day: dt.date):
    page.locator("button[name=acknowledge]").click()
    expect_order_state(page, OrderState.ACKNOWLEDGED)
    page.get_by_test_id("extension").locator("summary").click()
    form = page.get_by_test_id("extension-form")
    form.locator("input[name='extension-proposed_date']").fill(new_day.isoformat())
    form.locator("textarea[name='extension-reason']").fill(EXTENSION_REASON)
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("extension-pending")).to_contain_text(f"{new_day:%Y-%m-%d}")


def submit_report(page, text, file_name):
    form = page.get_by_test_id("report-form")
    form.locator("textarea[name='report-text']").fill(text)
    form.locator("input[name='report-files']").set_input_files([pdf(file_name)])
    form.locator("button[type=submit]").click()
    expect_order_state(page, OrderState.REPORT_SUBMITTED)


# --- The chain ---------------------------------------------------------------------------------


def test_from_inspection_batch_to_verified_rectification(
    page, live_url, login, people, media_root, eager_tasks
):
    staff, regulator = people
    assert SAMPLE.is_file(), f"the sample batch is expected at {SAMPLE}"

    # 1. The administration imports the batch, publishes a finding and issues an order on it.
    log_in(page, login, regulator)
    import_sample_batch(page, live_url)
    finding = open_severe_cmcc_finding(page, live_url)
    attach_evidence_and_publish(page)
    order = draft_and_issue_order(page, live_url, finding)
    new_day = local_date(order.deadline) + dt.timedelta(days=10)
    log_out(page, live_url)

    # 2. CMCC acknowledges it and asks for ten more days.
    log_in(page, login, staff)
    open_portal_order(page, live_url, order)
    acknowledge_and_ask_for_time(page, new_day)
    log_out(page, live_url)

    # 3. The administration grants the extension.
    log_in(page, login, regulator)
    open_order(page, live_url, order)
    grant_extension(page, new_day)
    log_out(page, live_url)

    # 4. CMCC submits its rectification report with a PDF.
    log_in(page, login, staff)
    open_portal_order(page, live_url, order)
    expect(page.get_by_test_id("deadline")).to_have_text(f"{new_day:%Y-%m-%d} 23:59")
    submit_report(page, REPORT_TEXT, "整改报告.pdf")
    log_out(page, live_url)

    # 5. The administration returns it once.
    log_in(page, login, regulator)
    open_order(page, live_url, order)
    expect(page.get_by_test_id("report-files").first.locator("a")).to_have_text("整改报告.pdf")
    return_report(page)
    log_out(page, live_url)

    # 6. CMCC reads the comment and reports again.
    log_in(page, login, staff)
    open_portal_order(page, live_url, order)
    expect(page.get_by_test_id("return-comment")).to_contain_text(RETURN_COMMENT)
    submit_report(page, SECOND_REPORT, "整改报告（补充）.pdf")
    log_out(page, live_url)

    # 7. The administration verifies it; the timeline shows every step.
    log_in(page, login, regulator)
    open_order(page, live_url, order)
    verify(page)
    steps = [
        kind
        for kind in page.get_by_test_id("timeline")
        .locator("li.case-event")
        .evaluate_all("items => items.map(item => item.dataset.kind)")
        if kind != "email"
    ]
    assert steps == [
        "created",
        "issued",
        "acknowledged",
        "extension_asked",
        "extension_granted",
        "report_submitted",
        "report_returned",
        "report_submitted",
        "verified",
    ]
    timeline = page.get_by_test_id("timeline")
    for text in (
        EXTENSION_REASON,
        REPORT_TEXT,
        RETURN_COMMENT,
        SECOND_REPORT,
        staff.full_name,
        regulator.full_name,
    ):
        expect(timeline).to_contain_text(text)
    expect(timeline.locator("a", has_text="整改报告（补充）.pdf")).to_have_count(1)
    # The mail that went out is on the timeline too: issue, grant, return and verify to CMCC;
    # the request and both reports to the case officer.
    expect(timeline.locator("li[data-kind=email]")).to_have_count(7)

    # The finding's own timeline: imported, evidence, published.
    page.goto(live_url(f"/dashboard/findings/{finding.pk}/"))
    finding_steps = (
        page.get_by_test_id("timeline")
        .locator("li.case-event")
        .evaluate_all("items => items.map(item => item.dataset.kind)")
    )
    assert [k for k in finding_steps if k != "email"] == ["imported", "file_added", "published"]
