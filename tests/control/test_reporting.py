"""The administration's side of monthly reporting: the matrix, accept, return, lock."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from supervision.casework import audit
from supervision.core.models import Operator, Period
from supervision.reporting import completeness, submissions
from supervision.reporting.models import MonthlySubmission, ReportingDecision, SubmissionState

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# The matrix shows the months up to the last complete one, and a report can be filed only once
# its month's window opened: every test runs at 20 November 2026, 10:00 Beijing time.
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def submitted(operator_code, label, *, at, version_user=None):
    operator = Operator.objects.get(code=operator_code)
    period = Period.objects.from_label(label)
    submission = submissions.create_version(operator, period, user=version_user)
    return submissions.submit(submission, at=at)


@pytest.fixture
def cmcc_on_time(db):
    return submitted("CMCC", "2026-10", at=dt.datetime(2026, 10, 31, 23, 59, tzinfo=SHANGHAI))


def test_matrix_statuses_follow_the_due_time_in_shanghai(db, cmcc_on_time, regulator):
    late = submitted("CUCC", "2026-10", at=dt.datetime(2026, 11, 1, 0, 0, 1, tzinfo=SHANGHAI))
    returned = submitted("CTCC", "2026-10", at=dt.datetime(2026, 10, 30, tzinfo=SHANGHAI))
    submissions.return_to_operator(returned, user=regulator, comment="投诉数与台账不符")
    period = Period.objects.from_label("2026-10")
    operators = list(Operator.objects.all())
    cells = completeness.matrix([period], operators, now=dt.datetime(2026, 11, 28, tzinfo=SHANGHAI))
    status = {op.code: cells[(op.pk, period.pk)].status for op in operators}
    assert status == {"CMCC": "on_time", "CUCC": "late", "CTCC": "returned", "CBN": "missing"}
    assert cells[(operators[1].pk, period.pk)].submission_id == late.pk


def test_matrix_says_not_yet_due_before_the_month_ends(db):
    period = Period.objects.from_label("2026-11")
    operators = list(Operator.objects.all())
    cells = completeness.matrix([period], operators, now=dt.datetime(2026, 11, 30, 23, 0, tzinfo=SHANGHAI))
    assert {c.status for c in cells.values()} == {"not_due"}


def test_matrix_page_links_each_cell_to_its_report(client, regulator, cmcc_on_time):
    client.force_login(regulator)
    page = client.get(reverse("control:reporting"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("control:submission", args=[cmcc_on_time.pk]) in page
    assert "Missing" in page


def test_return_needs_a_comment_and_the_operator_reads_it(client, regulator, operator_a, cmcc_on_time):
    client.force_login(regulator)
    response = client.post(reverse("control:submission_return", args=[cmcc_on_time.pk]), {"comment": ""})
    assert response.status_code == 400
    cmcc_on_time.refresh_from_db()
    assert cmcc_on_time.state == SubmissionState.SUBMITTED
    client.post(
        reverse("control:submission_return", args=[cmcc_on_time.pk]),
        {"comment": "潍坊市投诉量与台账不一致，请核实。"},
    )
    cmcc_on_time.refresh_from_db()
    assert cmcc_on_time.state == SubmissionState.RETURNED
    client.force_login(operator_a)
    page = client.get(reverse("portal:submission", args=[cmcc_on_time.pk])).content.decode()
    assert "潍坊市投诉量与台账不一致，请核实。" in page


def test_a_second_version_supersedes_the_returned_one_and_accepting_closes_the_period(
    db, regulator, cmcc_on_time
):
    submissions.return_to_operator(cmcc_on_time, user=regulator, comment="请更正")
    second = submitted("CMCC", "2026-10", at=dt.datetime(2026, 11, 3, tzinfo=SHANGHAI))
    cmcc_on_time.refresh_from_db()
    assert (cmcc_on_time.state, second.version) == (SubmissionState.SUPERSEDED, 2)
    submissions.accept(second, user=regulator)
    with translation.override("en"), pytest.raises(submissions.SubmissionRefused, match="already accepted"):
        submissions.create_version(second.operator, second.period)


def test_accepting_twice_is_refused_with_a_message(db, regulator, cmcc_on_time):
    submissions.accept(cmcc_on_time, user=regulator)
    with (
        translation.override("en"),
        pytest.raises(
            submissions.SubmissionRefused, match="You cannot accept this report now: it is “Accepted”"
        ),
    ):
        submissions.accept(cmcc_on_time, user=regulator)


def test_leadership_reads_reports_but_cannot_accept(client, leader, cmcc_on_time):
    client.force_login(leader)
    assert client.get(reverse("control:submission", args=[cmcc_on_time.pk])).status_code == 200
    assert client.post(reverse("control:submission_accept", args=[cmcc_on_time.pk])).status_code == 403
    cmcc_on_time.refresh_from_db()
    assert cmcc_on_time.state == SubmissionState.SUBMITTED


def test_lock_and_unlock_a_period(client, regulator, db):
    client.force_login(regulator)
    client.post(reverse("control:period_lock", args=["2026-10"]))
    period = Period.objects.from_label("2026-10")
    assert period.is_locked
    with translation.override("zh-hans"), pytest.raises(submissions.SubmissionRefused, match="已锁定"):
        submissions.create_version(Operator.objects.get(code="CMCC"), period)
    client.post(reverse("control:period_unlock", args=["2026-10"]))
    period.refresh_from_db()
    assert not period.is_locked
    assert submissions.create_version(Operator.objects.get(code="CMCC"), period).version == 1


def test_unknown_period_label_is_a_404(client, regulator):
    client.force_login(regulator)
    assert client.post(reverse("control:period_lock", args=["2026-13"])).status_code == 404


def test_drafts_are_invisible_to_the_administration(client, regulator, db):
    draft = submissions.create_version(
        Operator.objects.get(code="CMCC"), Period.objects.from_label("2026-10")
    )
    client.force_login(regulator)
    assert client.get(reverse("control:submission", args=[draft.pk])).status_code == 404
    assert MonthlySubmission.objects.get().state == SubmissionState.DRAFT


def test_staff_reopen_one_operators_locked_month_and_close_it_again(client, regulator, db):
    cmcc, cucc = Operator.objects.get(code="CMCC"), Operator.objects.get(code="CUCC")
    client.force_login(regulator)
    client.post(reverse("control:period_lock", args=["2026-10"]))
    client.post(
        reverse("control:period_reopen", args=["2026-10"]), {"operator": cmcc.pk, "reason": "台账补报"}
    )
    page = client.get(reverse("control:reporting"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Reopened for {cmcc.short_name}" in page
    period = Period.objects.from_label("2026-10")
    assert submissions.create_version(cmcc, period).version == 1
    with pytest.raises(submissions.SubmissionRefused):
        submissions.create_version(cucc, period)
    client.post(reverse("control:period_close", args=["2026-10", "CMCC"]))
    with pytest.raises(submissions.SubmissionRefused):
        submissions.create_version(cmcc, period)
    assert (
        "Reopened for"
        not in client.get(reverse("control:reporting"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_a_reopening_without_a_reason_is_refused_with_a_message(client, regulator, db):
    client.force_login(regulator)
    client.post(reverse("control:period_lock", args=["2026-10"]))
    response = client.post(
        reverse("control:period_reopen", args=["2026-10"]), {"operator": Operator.objects.get(code="CMCC").pk},
        HTTP_ACCEPT_LANGUAGE="en", follow=True,
    )  # fmt: skip
    assert "Choose the operator and say why the month is reopened." in response.content.decode()
    assert (
        submissions.open_reopening(Operator.objects.get(code="CMCC"), Period.objects.from_label("2026-10"))
        is None
    )


def test_leadership_cannot_lock_unlock_reopen_or_close(client, leader, regulator, db):
    submissions.lock_period(Period.objects.from_label("2026-10"), user=regulator)
    client.force_login(leader)
    cmcc = Operator.objects.get(code="CMCC")
    assert client.post(reverse("control:period_unlock", args=["2026-10"])).status_code == 403
    assert client.post(reverse("control:period_lock", args=["2026-09"])).status_code == 403
    response = client.post(
        reverse("control:period_reopen", args=["2026-10"]), {"operator": cmcc.pk, "reason": "x"}
    )
    assert response.status_code == 403
    assert client.post(reverse("control:period_close", args=["2026-10", "CMCC"])).status_code == 403
    assert Period.objects.from_label("2026-10").is_locked
    assert not Period.objects.from_label("2026-09").is_locked


def test_locks_acceptances_returns_and_reopenings_are_in_the_audit_trail(client, regulator, cmcc_on_time):
    client.force_login(regulator)
    client.post(reverse("control:submission_return", args=[cmcc_on_time.pk]), {"comment": "投诉数与台账不符"})
    client.post(reverse("control:period_lock", args=["2026-10"]))
    client.post(
        reverse("control:period_reopen", args=["2026-10"]),
        {"operator": Operator.objects.get(code="CMCC").pk, "reason": "台账补报"},
    )
    client.post(reverse("control:period_close", args=["2026-10", "CMCC"]))
    client.post(reverse("control:period_unlock", args=["2026-10"]))
    # What the audit page lists (supervision/casework/audit.py), newest first.
    with translation.override("en"):
        rows, _next = audit.page()
        labels = [row.label for row in rows if row.model is ReportingDecision]
        texts = " ".join(change.new for row in rows for change in row.changes)
    assert labels == ["Period unlocked", "Reopened month closed again", "Month reopened for one operator",
                      "Period locked", "Report returned"]  # fmt: skip
    assert "投诉数与台账不符" in texts and "台账补报" in texts
    assert {row.user for row in rows if row.model is ReportingDecision} == {regulator}
    assert reverse("control:submission", args=[cmcc_on_time.pk]) in {row.url for row in rows}
