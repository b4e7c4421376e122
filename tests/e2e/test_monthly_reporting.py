"""The monthly report's whole life, across roles, in a real Chromium against the live server.

CMCC's reporting staff downloads the template and submits the October 2026 report without its
complaint ledger (so the cross-check warns), explains the warning and confirms; CMCC's manager
certifies it and downloads the receipt; the administration returns it with a comment; the staff
reads the comment and submits version 2 with the ledger; the manager certifies it; the
administration accepts it, and version 1 stays readable, superseded.

The pages are driven in English (each user's profile language, which the log-in applies), and
elements are found by stable attributes (data-testid, name, href, value), never by Chinese labels:
the zh-hans catalogue changes independently of this test. Texts asserted in English are either
msgids taken from the code (the states' labels) or data (city names, the return comment).
"""

import datetime as dt
import hashlib
import re
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.utils import translation
from playwright.sync_api import expect

from supervision.core.models import SHANGHAI
from supervision.reporting.models import MonthlySubmission, SubmissionState
from tests.e2e.conftest import click_nav

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
FIGURES = SAMPLES / "monthly_report_CMCC_2026-10.xlsx"
LEDGER = SAMPLES / "complaints_CMCC_2026-10_utf8bom.csv"

PERIOD = "2026-10"  # the period of the sample files, chosen explicitly in the form
# The samples' 填报日期 is 2026-10-28 and the ledger's last 办结日期 2026-10-30: the report is sent
# on 31 October, within the filing window (from the 25th) and by the due time (the month's end);
# the administration reviews it once the month is over (the matrix shows complete months).
FILING_DAY = dt.datetime(2026, 10, 31, 10, 0, tzinfo=SHANGHAI)
REVIEW_DAY = dt.datetime(2026, 11, 3, 10, 0, tzinfo=SHANGHAI)
CITY_COUNT = 16

NARRATIVE = "本月按要求开展携号转网服务工作，未发生重大问题。"
CASE = {
    "title": "用户投诉授权码未下发",
    "city": "Qingdao",  # the option's label: the city's English name, from the reference data
    "what_happened": "用户申请携出后未收到授权码短信，向管局投诉。",
    "handling": "核实为短信网关故障，已补发授权码并向用户致歉。",
}
EXPLANATION = "本月投诉台账将随第二版报表一并上传。"
RETURN_COMMENT = "请随报表一并上传本月投诉台账，以便核对投诉量。"

REPORTS = "/portal/reports/"
NEW_REPORT = "/portal/reports/new/"
MONTHLY_TEMPLATE = "/portal/templates/monthly/"
MATRIX = "/dashboard/reporting/"


def state_label(state: SubmissionState) -> str:
    """The state as the English page shows it (get_state_display)."""
    with translation.override("en"):
        return str(state.label)


@pytest.fixture
def october_clock(clock):
    """The clock at FILING_DAY, ticking, whatever ``--at`` or today's date says (the test moves it
    on to REVIEW_DAY): which periods can take a report, whether it is on time, whether the ledger's
    dates are in the future and which months the matrix shows all follow from the clock, and the
    sample files are of October 2026."""
    with time_machine.travel(FILING_DAY, tick=True) as traveller:
        yield traveller


@pytest.fixture
def samples_present():
    for sample in (FIGURES, LEDGER):
        assert sample.is_file(), f"the sample file is expected at {sample}"


@pytest.fixture
def people(live_operator_staff, live_operator_manager, live_regulator):
    """CMCC's staff and manager and the administration's staff, all reading English."""
    for user in (live_operator_staff, live_operator_manager, live_regulator):
        user.language = "en"  # what the language switch remembers; the log-in applies it
        user.save(update_fields=["language"])
    return live_operator_staff, live_operator_manager, live_regulator


# --- Session and navigation ------------------------------------------------------------------


def log_in(page, login, user):
    login(page, user.username)
    expect(page.locator("html")).to_have_attribute("lang", "en")


def log_out(page, live_url):
    page.locator("form[action='/accounts/logout/'] button[type=submit]").click()
    expect(page).to_have_url(live_url("/accounts/login/"))


def open_nav(page, live_url, path):
    click_nav(page, path)
    expect(page).to_have_url(live_url(path))


def expect_state(page, state: SubmissionState):
    expect(page.get_by_test_id("state")).to_have_text(state_label(state))


def open_submission_from_list(page, live_url, submission: MonthlySubmission):
    """Monthly reports → the row of that version."""
    open_nav(page, live_url, REPORTS)
    page.get_by_test_id("submissions").locator(f"a[href='{REPORTS}{submission.pk}/']").click()
    expect(page).to_have_url(live_url(f"{REPORTS}{submission.pk}/"))


def submission_from_url(page) -> MonthlySubmission:
    match = re.search(r"/reports/(\d+)/$", page.url)
    assert match, page.url
    return MonthlySubmission.objects.get(pk=int(match.group(1)))


# --- Operator staff --------------------------------------------------------------------------


def download_monthly_template(page, tmp_path):
    with page.expect_download() as info:
        page.locator(f"main a[href='{MONTHLY_TEMPLATE}']").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    workbook = openpyxl.load_workbook(target, read_only=True)
    texts = {
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }
    workbook.close()
    assert "济南市" in texts


def upload_report(page, live_url, *, with_ledger: bool):
    """Submit a monthly report → the form → the upload's preview page."""
    page.locator(f"main a[href='{NEW_REPORT}']").click()
    expect(page).to_have_url(live_url(NEW_REPORT))
    period = page.locator("select[name=period]")
    expect(period.locator(f"option[value='{PERIOD}']")).to_have_count(1)
    period.select_option(PERIOD)
    page.locator("input[name=figures]").set_input_files(FIGURES)
    if with_ledger:
        page.locator("input[name=ledger]").set_input_files(LEDGER)
    page.locator("textarea[name=narrative]").fill(NARRATIVE)
    page.locator("input[name='cases-0-title']").fill(CASE["title"])
    page.locator("select[name='cases-0-city']").select_option(label=CASE["city"])
    page.locator("textarea[name='cases-0-what_happened']").fill(CASE["what_happened"])
    page.locator("textarea[name='cases-0-handling']").fill(CASE["handling"])
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(live_url("/portal/uploads/")) + r"[0-9a-f-]{36}/$"))


def expect_clean_preview(page):
    """The figures of all 16 cities, and no error (warnings may be there)."""
    expect(page.get_by_test_id("preview-figures").locator("tbody tr")).to_have_count(CITY_COUNT)
    expect(page.get_by_test_id("errors-summary")).to_have_count(0)
    expect(page.locator("[data-testid=problems] tr.problem-error")).to_have_count(0)
    expect(page.locator("button[name=confirm]")).to_be_visible()


def confirm_upload(page):
    page.locator("button[name=confirm]").click()


def confirm_without_then_with_explanations(page, live_url) -> int:
    """The cross-check warns; confirming without explanations is refused; explained, it is stored."""
    warnings = page.get_by_test_id("problems").locator("tr.problem-warning")
    expect(warnings.first).to_be_visible()
    count = warnings.count()
    upload_url = page.url

    confirm_upload(page)
    expect(page).to_have_url(upload_url)  # refused: still the preview
    expect(page.locator("main .alert-danger[role=alert]")).to_contain_text(
        f"Explain every warning before you confirm ({count} without explanation)"
    )
    boxes = page.get_by_test_id("problems").locator("textarea[name^='explain-']")
    expect(boxes).to_have_count(count)
    for i in range(count):
        boxes.nth(i).fill(EXPLANATION)
    confirm_upload(page)
    expect(page).to_have_url(re.compile(re.escape(live_url(REPORTS)) + r"\d+/$"))
    return count


def expect_awaiting_certification(page, *, version: int):
    expect(page.locator("main h1")).to_contain_text(f"version {version}")
    expect_state(page, SubmissionState.AWAITING_CERTIFICATION)
    expect(page.get_by_test_id("figures").locator("tbody tr")).to_have_count(CITY_COUNT)
    expect(page.locator("main")).to_contain_text(CASE["title"])


# --- Operator manager ------------------------------------------------------------------------


def certify(page) -> str:
    """Certify the open version, ticking the attestation; returns its confirmation number."""
    page.get_by_test_id("certify-form").locator("input[name=attested]").check()
    page.locator("form[action$='/certify/'] button[type=submit]").click()
    expect_state(page, SubmissionState.SUBMITTED)
    receipt_no = page.get_by_test_id("receipt-no")
    expect(receipt_no).to_have_text(re.compile(rf"^SD-{PERIOD.replace('-', '')}-CMCC-V\d+-[0-9A-Z]{{6}}$"))
    return receipt_no.inner_text().strip()


def download_receipt(page, tmp_path) -> str:
    with page.expect_download() as info:
        page.locator("main a[href$='/receipt/']").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target.read_text(encoding="utf-8")


# --- Administration staff --------------------------------------------------------------------


def open_cmcc_cell(page, live_url, *, status: str):
    """Reporting → the CMCC × 2026-10 cell, in the expected status → the report it links to."""
    open_nav(page, live_url, MATRIX)
    cell = page.get_by_test_id("matrix").locator(f"td[data-operator='CMCC'][data-period='{PERIOD}']")
    expect(cell).to_have_class(re.compile(rf"\bstatus-({status})\b"))
    cell.locator("a").click()
    expect(page).to_have_url(re.compile(re.escape(live_url(MATRIX)) + r"\d+/$"))


def return_report(page, comment: str):
    form = page.locator("form[action$='/return/']")
    form.locator("textarea[name=comment]").fill(comment)
    form.locator("button[type=submit]").click()
    expect_state(page, SubmissionState.RETURNED)


def accept_report(page):
    page.locator("form[action$='/accept/'] button[type=submit]").click()
    expect_state(page, SubmissionState.ACCEPTED)


# --- The flow --------------------------------------------------------------------------------


def test_monthly_report_from_upload_to_acceptance(
    october_clock, page, live_url, login, people, media_root, samples_present, tmp_path
):
    staff, manager, regulator = people

    # 1. CMCC's staff: template, then version 1 without the ledger; the warning is explained.
    log_in(page, login, staff)
    open_nav(page, live_url, REPORTS)
    download_monthly_template(page, tmp_path)
    upload_report(page, live_url, with_ledger=False)
    expect_clean_preview(page)
    explained = confirm_without_then_with_explanations(page, live_url)
    expect_awaiting_certification(page, version=1)
    warnings = page.get_by_test_id("warnings").locator("li")
    expect(warnings).to_have_count(explained)
    for i in range(explained):
        expect(warnings.nth(i)).to_contain_text(EXPLANATION)
    v1 = submission_from_url(page)
    assert (v1.version, v1.period.label, v1.operator.code) == (1, PERIOD, "CMCC")
    log_out(page, live_url)

    # 2. CMCC's manager certifies it and keeps the receipt.
    log_in(page, login, manager)
    open_submission_from_list(page, live_url, v1)
    receipt_no = certify(page)
    receipt = download_receipt(page, tmp_path)
    assert receipt_no in receipt
    assert re.search(r"\b[0-9a-f]{64}\b", receipt)
    assert hashlib.sha256(FIGURES.read_bytes()).hexdigest() in receipt  # the file that was sent
    log_out(page, live_url)

    # 3. Once October is over, the administration finds it in the matrix and returns it.
    october_clock.move_to(REVIEW_DAY)
    log_in(page, login, regulator)
    open_cmcc_cell(page, live_url, status="on_time")
    expect(page).to_have_url(live_url(f"{MATRIX}{v1.pk}/"))
    return_report(page, RETURN_COMMENT)
    log_out(page, live_url)

    # 4. The staff reads the comment and sends version 2, with the ledger; the manager certifies.
    log_in(page, login, staff)
    open_submission_from_list(page, live_url, v1)
    expect_state(page, SubmissionState.RETURNED)
    expect(page.get_by_test_id("return-comment")).to_contain_text(RETURN_COMMENT)
    open_nav(page, live_url, REPORTS)
    upload_report(page, live_url, with_ledger=True)
    expect_clean_preview(page)
    expect(page.get_by_test_id("ledger-preview")).to_be_visible()
    # The ledger agrees with the figures: nothing to explain this time.
    expect(page.locator("[data-testid=problems] tr.problem-warning")).to_have_count(0)
    confirm_upload(page)
    expect(page).to_have_url(re.compile(re.escape(live_url(REPORTS)) + r"\d+/$"))
    expect_awaiting_certification(page, version=2)
    expect(page.get_by_test_id("warnings")).to_have_count(0)
    v2 = submission_from_url(page)
    assert v2.version == 2
    log_out(page, live_url)

    log_in(page, login, manager)
    open_submission_from_list(page, live_url, v2)
    certify(page)
    log_out(page, live_url)

    # 5. The administration accepts version 2; version 1 is still there to read, superseded.
    log_in(page, login, regulator)
    open_cmcc_cell(page, live_url, status="on_time")
    expect(page).to_have_url(live_url(f"{MATRIX}{v2.pk}/"))
    accept_report(page)
    page.get_by_test_id("versions").locator(f"a[href='{MATRIX}{v1.pk}/']").click()
    expect(page).to_have_url(live_url(f"{MATRIX}{v1.pk}/"))
    expect(page.get_by_test_id("figures").locator("tbody tr")).to_have_count(CITY_COUNT)
    expect_state(page, SubmissionState.SUPERSEDED)
    expect(page.get_by_test_id("return-comment")).to_contain_text(RETURN_COMMENT)
