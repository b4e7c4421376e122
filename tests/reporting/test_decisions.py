"""Every decision of the administration on monthly reporting, for every role and state: allowed and
written to the audit trail, or refused with a message and nothing changed.

The expected tables below are written out by hand from the rules (the administration's staff
accept or return a submitted report, lock an open month, unlock a locked one, reopen a locked month
for one operator and close it again; leadership reads; the operators never decide), not read from
the code's ``ACTIONS``, so that a change of a rule shows up here as a failing line.
"""

import pytest
from django.utils import timezone, translation

from supervision.core.models import Operator, Period
from supervision.reporting import submissions
from supervision.reporting.models import MonthlySubmission, PeriodReopening, ReportingDecision

ROLES = ["staff", "leader", "operator_a", "manager_a", "operator_b"]
ALLOWED_USERS = {"staff": {"staff"}}


@pytest.fixture
def october(db, clock):
    return Period.objects.from_label("2026-10")


def _expect_refusal(call, snapshot, *, role_refused: bool):
    before = snapshot()
    decisions = ReportingDecision.objects.count()
    with translation.override("en"), pytest.raises(submissions.SubmissionRefused) as refused:
        call()
    message = str(refused.value)
    if role_refused:
        assert message.startswith("Only the administration's staff may "), message
    else:
        assert message.startswith("You cannot "), message
    assert snapshot() == before  # nothing changed
    assert ReportingDecision.objects.count() == decisions  # and nothing was recorded


def _expect_decision(code: str, user) -> None:
    decision = ReportingDecision.objects.order_by("-pk").first()
    assert (decision.action, decision.decided_by) == (code, user)
    assert decision.history.get().history_user == user  # the audit page's row says who


# --- A report ------------------------------------------------------------------------------------

SUBMISSION_STATES = ["draft", "awaiting_certification", "submitted", "returned", "accepted", "superseded"]
# action: (role, states it is allowed from, state it leads to)
SUBMISSION_TABLE = {
    "accept": ("staff", {"submitted"}, "accepted"),
    "return": ("staff", {"submitted"}, "returned"),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(SUBMISSION_TABLE))
@pytest.mark.parametrize("state", SUBMISSION_STATES)
def test_report_decision(state, action, role, role_users, october):
    cmcc = Operator.objects.get(code="CMCC")
    report = submissions.submit(submissions.create_version(cmcc, october))
    MonthlySubmission.objects.filter(pk=report.pk).update(state=state)
    report.refresh_from_db()
    allowed_role, allowed_states, target = SUBMISSION_TABLE[action]
    user = role_users[role]
    role_ok = role in ALLOWED_USERS[allowed_role]
    call = {
        "accept": lambda: submissions.accept(report, user=user),
        "return": lambda: submissions.return_to_operator(report, user=user, comment="投诉数与台账不符"),
    }[action]

    def snapshot():
        row = MonthlySubmission.objects.get(pk=report.pk)
        return (row.state, row.decided_by_id, row.decided_at, row.return_comment)

    if role_ok and state in allowed_states:
        call()
        report.refresh_from_db()
        assert (report.state, report.decided_by) == (target, user)
        _expect_decision(action, user)
    else:
        _expect_refusal(call, snapshot, role_refused=not role_ok)


# --- A month -------------------------------------------------------------------------------------

PERIOD_STATES = ["open", "locked"]
PERIOD_TABLE = {
    "lock": ("staff", {"open"}, "locked"),
    "unlock": ("staff", {"locked"}, "open"),
    "reopen": ("staff", {"locked"}, "locked"),  # for CMCC; the others' month stays locked
    "close": ("staff", {"locked"}, "locked"),  # CUCC's reopened month
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(PERIOD_TABLE))
@pytest.mark.parametrize("state", PERIOD_STATES)
def test_month_decision(state, action, role, role_users, october, regulator):
    cmcc, cucc = Operator.objects.get(code="CMCC"), Operator.objects.get(code="CUCC")
    if state == "locked":
        Period.objects.filter(pk=october.pk).update(locked_at=timezone.now(), locked_by=regulator)
        PeriodReopening.objects.create(
            period=october, operator=cucc, reason="台账补报", reopened_by=regulator
        )
    october.refresh_from_db()
    allowed_role, allowed_states, target = PERIOD_TABLE[action]
    user = role_users[role]
    role_ok = role in ALLOWED_USERS[allowed_role]
    call = {
        "lock": lambda: submissions.lock_period(october, user=user),
        "unlock": lambda: submissions.unlock_period(october, user=user),
        "reopen": lambda: submissions.reopen_for_operator(october, cmcc, user=user, reason="补报两条投诉"),
        "close": lambda: submissions.close_reopening(october, cucc, user=user),
    }[action]

    def snapshot():
        row = Period.objects.get(pk=october.pk)
        reopenings = PeriodReopening.objects.filter(period=october).values_list("operator", "closed_at")
        return (row.locked_at, row.locked_by_id, sorted(reopenings))

    if role_ok and state in allowed_states:
        call()
        october.refresh_from_db()
        assert october.state == target
        _expect_decision(action, user)
        if action == "reopen":
            assert submissions.open_reopening(cmcc, october) is not None
        if action == "close":
            assert submissions.open_reopening(cucc, october) is None
    else:
        _expect_refusal(call, snapshot, role_refused=not role_ok)


def test_the_command_line_is_no_user_and_decides_nothing(october):
    """No decision without somebody to answer for it: ``user`` is required, and None is refused."""
    with pytest.raises(submissions.SubmissionRefused):
        submissions.lock_period(october, user=None)
    with pytest.raises(TypeError):
        submissions.lock_period(october)
