"""The reporting matrix counts the report that counts (DOMAIN.md "Which report counts"): the
latest certified version, unless returned; the same as 报送完整率 / 按时报送率 and the briefing."""

import datetime as dt

import pytest
import time_machine

from supervision.analytics import indicators
from supervision.core.models import SHANGHAI, Operator, Period
from supervision.reporting import completeness, submissions
from supervision.reporting.models import MonthlySubmission, SubmissionState

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)
OCTOBER = dt.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def october(day):
    return dt.datetime(2026, 10, day, 10, tzinfo=SHANGHAI)


def november(day):  # after the due time (the end of October)
    return dt.datetime(2026, 11, day, 10, tzinfo=SHANGHAI)


def stored(code, version, state, submitted_at):
    """A version as an earlier release or an import stored it, its state as given."""
    return MonthlySubmission.objects.create(
        operator=Operator.objects.get(code=code),
        period=Period.objects.from_label("2026-10"),
        version=version,
        state=state,
        submitted_at=submitted_at,
    )


def statuses():
    period = Period.objects.from_label("2026-10")
    operators = list(Operator.objects.all())
    cells = completeness.matrix([period], operators)
    return {
        op.code: (cells[(op.pk, period.pk)].status, cells[(op.pk, period.pk)].submission_id)
        for op in operators
    }


def test_the_matrix_reads_the_latest_certified_version_not_the_highest_state(db, regulator):
    # CMCC: a returned version 1 left beside the accepted version 2 that corrected it.
    stored("CMCC", 1, SubmissionState.RETURNED, october(30))
    cmcc = stored("CMCC", 2, SubmissionState.ACCEPTED, november(2))
    # CUCC: version 2 certified, version 1 (stored later, a higher id) returned before it.
    cucc = stored("CUCC", 2, SubmissionState.SUBMITTED, november(3))
    stored("CUCC", 1, SubmissionState.RETURNED, october(31))
    # CTCC: returned through the service, then a corrected version certified after the due day.
    first = submissions.submit(
        submissions.create_version(Operator.objects.get(code="CTCC"), Period.objects.from_label("2026-10")),
        at=october(29),
    )
    submissions.return_to_operator(first, user=regulator, comment="投诉数与台账不符")
    ctcc = submissions.submit(
        submissions.create_version(Operator.objects.get(code="CTCC"), Period.objects.from_label("2026-10")),
        at=november(4),
    )
    # CBN: its only version returned, nothing corrected yet.
    cbn = stored("CBN", 1, SubmissionState.RETURNED, october(30))

    assert statuses() == {
        "CMCC": ("accepted", cmcc.pk),
        "CUCC": ("on_time", cucc.pk),  # its first certified version came in by the due time
        "CTCC": ("on_time", ctcc.pk),
        "CBN": ("returned", cbn.pk),
    }
    # The same reports as the indicators count, and the same ids.
    assert indicators.counted_reports([OCTOBER]) == {
        ("CMCC", OCTOBER): cmcc.pk,
        ("CUCC", OCTOBER): cucc.pk,
        ("CTCC", OCTOBER): ctcc.pk,
    }
    assert indicators.reporting_completeness([OCTOBER], ())[(OCTOBER,)].numerator == 3


def test_a_returned_report_is_not_received_until_a_corrected_version_is_certified(db, regulator):
    operator, period = Operator.objects.get(code="CMCC"), Period.objects.from_label("2026-10")
    first = submissions.submit(submissions.create_version(operator, period), at=october(30))
    submissions.return_to_operator(first, user=regulator, comment="请更正")
    draft = submissions.create_version(operator, period)  # not certified yet
    assert statuses()["CMCC"] == ("returned", first.pk)
    submissions.submit(draft, at=november(3))
    assert statuses()["CMCC"] == ("on_time", draft.pk)
