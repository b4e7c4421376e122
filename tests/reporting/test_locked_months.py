"""Locked and accepted months stay true; decisions on periods and reports are the staff's and are
audited; a month's filing window opens on a set day (DOMAIN.md, FORMATS.md "Whose file, which month")."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from supervision.core.models import SHANGHAI, Operator, Period
from supervision.reporting import submissions
from supervision.reporting.ingest.store import NotValid, check_ledger_file, store_ledger
from supervision.reporting.models import (
    ComplaintRecord,
    LedgerCorrection,
    MonthlySubmission,
    ReportingAction,
    ReportingDecision,
    SubmissionState,
)

from .builders import TODAY, ledger_csv, ledger_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def cmcc():
    return Operator.objects.get(code="CMCC")


@pytest.fixture
def october():
    return Period.objects.from_label("2026-10")


def check(rows, operator):
    return check_ledger_file(ledger_csv(rows), "台账.csv", operator=operator, today=TODAY)


def store(result, operator, **extra):
    return store_ledger(result, operator=operator, user=None, file_name="台账.csv", sha256="0" * 64, **extra)


@pytest.fixture
def stored_october(cmcc):
    """Two CMCC complaints of October 2026, stored."""
    store(check([ledger_row(1), ledger_row(2)], cmcc), cmcc)


def lock(period):
    Period.objects.filter(pk=period.pk).update(locked_at=timezone.now())
    period.refresh_from_db()
    return period


def accepted_report(operator, period, regulator):
    return submissions.accept(
        submissions.submit(submissions.create_version(operator, period)), user=regulator
    )


# --- A locked period's ledger cannot change ---------------------------------------------------


def test_ledger_changing_a_locked_period_is_an_error_naming_row_complaint_and_month(
    cmcc, october, stored_october
):
    lock(october)
    result = check(
        [
            ledger_row(1),
            ledger_row(2, 处理结果="已重新回访"),
            ledger_row(3),
            ledger_row(4, 受理日期="2026-09-30"),
        ],
        cmcc,
    )
    errors = [str(p) for p in result.errors]
    assert errors == [
        "row 3, 投诉编号: Complaint CMCC-202610-00002 belongs to 2026-10, which is locked: it cannot be added or "
        "changed. Ask the administration to reopen the month for your company.",
        "row 4, 投诉编号: Complaint CMCC-202610-00003 belongs to 2026-10, which is locked: it cannot be added or "
        "changed. Ask the administration to reopen the month for your company.",
    ]
    with pytest.raises(NotValid):
        store(result, cmcc)
    assert ComplaintRecord.objects.count() == 2
    assert ComplaintRecord.objects.get(complaint_no="CMCC-202610-00002").resolution == "已协助办理携出"


def test_ledger_sent_again_unchanged_passes_a_locked_period(cmcc, october, stored_october):
    lock(october)
    result = check([ledger_row(1), ledger_row(2)], cmcc)
    assert result.ok
    assert store(result, cmcc).rows_unchanged == 2


def test_moving_a_complaint_out_of_a_locked_month_is_refused(cmcc, october, stored_october):
    lock(october)
    result = check([ledger_row(1, 受理日期="2026-09-30")], cmcc)
    assert [p.params["period"] for p in result.errors] == ["2026-10"]


def test_a_month_reopened_for_one_operator_stays_locked_for_the_others(cmcc, october, regulator):
    cucc = Operator.objects.get(code="CUCC")
    submissions.lock_period(october, user=regulator)
    submissions.reopen_for_operator(october, cmcc, user=regulator, reason="台账漏报两条，需补报")
    assert check([ledger_row(1)], cmcc).ok
    assert not check([ledger_row(1, 投诉编号="U-1")], cucc).ok
    submissions.close_reopening(october, cmcc, user=regulator)
    assert [p.check_code for p in check([ledger_row(1)], cmcc).errors] == ["ledger.period.locked"]


def test_a_reopened_month_takes_a_new_report_from_that_operator_only(cmcc, october, regulator):
    cucc = Operator.objects.get(code="CUCC")
    submissions.lock_period(october, user=regulator)
    submissions.reopen_for_operator(october, cmcc, user=regulator, reason="补报")
    assert submissions.create_version(cmcc, october).version == 1
    with pytest.raises(submissions.SubmissionRefused, match="2026-10 is locked"):
        submissions.create_version(cucc, october)


# --- An accepted month's changes are explained and shown on its report ------------------------


def test_changes_to_an_accepted_month_are_a_warning_listing_them(cmcc, october, regulator, stored_october):
    accepted_report(cmcc, october, regulator)
    result = check([ledger_row(1), ledger_row(2, 处理结果="已重新回访"), ledger_row(3)], cmcc)
    assert result.ok
    [warning] = result.warnings
    assert str(warning) == (
        "row 3, 投诉编号: The report for 2026-10 was already accepted: this file adds 1 and changes 1 of its "
        "complaints (rows 3、4). Explain why; the administration sees the change on that report."
    )
    assert result.accepted_changes == {
        "2026-10": [
            {"complaint_no": "CMCC-202610-00002", "row": 3, "change": "edited", "fields": ["resolution"]},
            {"complaint_no": "CMCC-202610-00003", "row": 4, "change": "added", "fields": []},
        ]
    }


def test_stored_changes_to_an_accepted_month_are_kept_with_the_explanation(
    cmcc, october, regulator, stored_october
):
    report = accepted_report(cmcc, october, regulator)
    result = check([ledger_row(2, 处理结果="已重新回访"), ledger_row(3)], cmcc)
    upload = store(result, cmcc, explanations={"2026-10": "回访后更正处理结果"})
    correction = LedgerCorrection.objects.get()
    assert (correction.submission, correction.upload, correction.explanation) == (
        report,
        upload,
        "回访后更正处理结果",
    )
    assert (correction.added, correction.edited) == (1, 1)


def test_a_month_without_an_accepted_report_takes_changes_without_a_warning(cmcc, stored_october):
    result = check([ledger_row(2, 处理结果="已重新回访"), ledger_row(3)], cmcc)
    assert result.ok and result.warnings == []
    store(result, cmcc)
    assert not LedgerCorrection.objects.exists()


# --- Whose file: complaint numbers of another operator ---------------------------------------


def test_complaint_numbers_with_another_operators_prefix_are_an_error(cmcc):
    result = check([ledger_row(1, 投诉编号="CTCC-202610-00001")], cmcc)
    assert [str(p) for p in result.errors] == [
        "row 2, 投诉编号: The complaint number CTCC-202610-00001 carries the prefix of 中国电信, but this "
        "ledger is uploaded for 中国移动: it looks like another operator's complaint."
    ]


# --- The filing window -------------------------------------------------------------------------


def test_a_report_before_the_months_window_opens_is_refused(cmcc):
    november = Period.objects.from_label("2026-11")
    with pytest.raises(submissions.SubmissionRefused) as refused:
        submissions.create_version(cmcc, november)
    assert str(refused.value) == (
        "The filing window for 2026-11 opens on 2026-11-25; a report for it cannot be submitted before then."
    )
    with time_machine.travel(dt.datetime(2026, 11, 25, 0, 0, tzinfo=SHANGHAI), tick=False):
        assert submissions.create_version(cmcc, november).version == 1


def test_the_window_opening_day_is_a_setting_and_fits_february(cmcc, settings):
    settings.REPORT_WINDOW_OPENS_DAY = 30
    february = Period.objects.from_label("2027-02")
    assert submissions.window_opens_at(february) == dt.datetime(2027, 2, 28, tzinfo=SHANGHAI)
    settings.REPORT_WINDOW_OPENS_DAY = 15
    assert submissions.window_is_open(Period.objects.from_label("2026-11"))


def test_periods_taking_reports_leave_out_unopened_locked_and_accepted_months(cmcc, october, regulator):
    september, august = Period.objects.from_label("2026-09"), Period.objects.from_label("2026-08")
    accepted_report(cmcc, september, regulator)
    submissions.lock_period(august, user=regulator)
    labels = [p.label for p in submissions.periods_taking_reports(cmcc)]
    assert labels[0] == "2026-10" and "2026-11" not in labels
    assert "2026-09" not in labels and "2026-08" not in labels and "2026-07" in labels
    submissions.reopen_for_operator(august, cmcc, user=regulator, reason="补报")
    assert "2026-08" in [p.label for p in submissions.periods_taking_reports(cmcc)]
    cucc = Operator.objects.get(code="CUCC")
    assert "2026-08" not in [p.label for p in submissions.periods_taking_reports(cucc)]


# --- Decisions: staff only, each in the audit trail --------------------------------------------


@pytest.fixture
def submitted(cmcc, october):
    return submissions.submit(submissions.create_version(cmcc, october))


DECISIONS = {
    "lock": lambda period, _submission, _operator, user: submissions.lock_period(period, user=user),
    "accept": lambda _period, submission, _operator, user: submissions.accept(submission, user=user),
    "return": lambda _period, submission, _operator, user: submissions.return_to_operator(
        submission, user=user, comment="请更正"
    ),
}


@pytest.mark.parametrize("decision", sorted(DECISIONS))
@pytest.mark.parametrize("who", ["leader", "operator_a", "manager_a"])
def test_leadership_and_operators_cannot_lock_accept_or_return(
    request, who, decision, october, submitted, cmcc
):
    user = request.getfixturevalue(who)
    with pytest.raises(submissions.SubmissionRefused, match="Only the administration's staff"):
        DECISIONS[decision](october, submitted, cmcc, user)
    october.refresh_from_db()
    submitted.refresh_from_db()
    assert not october.is_locked and submitted.state == SubmissionState.SUBMITTED
    assert not ReportingDecision.objects.exists()


@pytest.mark.parametrize("who", ["leader", "operator_a"])
def test_leadership_and_operators_cannot_unlock_reopen_or_close(request, who, october, cmcc, regulator):
    user = request.getfixturevalue(who)
    submissions.lock_period(october, user=regulator)
    for attempt in (
        lambda: submissions.unlock_period(october, user=user),
        lambda: submissions.reopen_for_operator(october, cmcc, user=user, reason="补报"),
    ):
        with pytest.raises(submissions.SubmissionRefused, match="Only the administration's staff"):
            attempt()
    submissions.reopen_for_operator(october, cmcc, user=regulator, reason="补报")
    with pytest.raises(submissions.SubmissionRefused, match="Only the administration's staff"):
        submissions.close_reopening(october, cmcc, user=user)
    october.refresh_from_db()
    assert october.is_locked and submissions.open_reopening(cmcc, october) is not None


def test_every_decision_is_recorded_with_who_did_it(october, cmcc, regulator, submitted):
    submissions.return_to_operator(submitted, user=regulator, comment="投诉数与台账不符")
    second = submissions.submit(submissions.create_version(cmcc, october))
    submissions.accept(second, user=regulator)
    submissions.lock_period(october, user=regulator)
    submissions.reopen_for_operator(october, cmcc, user=regulator, reason="台账补报")
    submissions.close_reopening(october, cmcc, user=regulator)
    submissions.unlock_period(october, user=regulator)
    decisions = list(ReportingDecision.objects.order_by("pk").values_list("action", "comment"))
    assert decisions == [
        (ReportingAction.RETURN, "投诉数与台账不符"),
        (ReportingAction.ACCEPT, ""),
        (ReportingAction.LOCK, ""),
        (ReportingAction.REOPEN, "台账补报"),
        (ReportingAction.CLOSE, ""),
        (ReportingAction.UNLOCK, ""),
    ]
    assert {h.history_user for h in ReportingDecision.history.all()} == {regulator}


def test_a_locked_period_cannot_be_locked_twice_nor_reopened_without_a_reason(october, cmcc, regulator):
    submissions.lock_period(october, user=regulator)
    with pytest.raises(submissions.SubmissionRefused, match="You cannot lock this month now"):
        submissions.lock_period(october, user=regulator)
    with pytest.raises(submissions.SubmissionRefused, match="Say why"):
        submissions.reopen_for_operator(october, cmcc, user=regulator, reason=" ")
    assert MonthlySubmission.objects.count() == 0
