"""Who has reported: the completeness and timeliness of monthly reports, operator × month.

Which report counts is the model's one rule (``MonthlySubmission.objects.counted``, DOMAIN.md
"Which report counts"), as for 报送完整率 / 按时报送率: a month is received when it has a
counted report (accepted, or on time / late by its first certified version), returned when its
latest certified version was returned, missing (or not yet due) otherwise. Three queries for the
whole matrix; the reporting page, the operator page, the briefing and the reminders read it.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supervision.core.models import Operator, Period

from .models import MonthlySubmission, SubmissionState


class Status:
    ACCEPTED = "accepted"
    RETURNED = "returned"
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    NOT_DUE = "not_due"

    LABELS = {
        ACCEPTED: _("Accepted"),
        RETURNED: _("Returned"),
        ON_TIME: _("On time"),
        LATE: _("Late"),
        MISSING: _("Missing"),
        NOT_DUE: _("Not yet due"),
    }


@dataclass(frozen=True)
class Cell:
    operator: Operator
    period: Period
    status: str
    submission_id: int | None = None
    first_submitted_at: dt.datetime | None = None

    @property
    def label(self):
        return Status.LABELS[self.status]

    @property
    def on_time(self) -> bool | None:
        if self.first_submitted_at is None:
            return None
        return self.first_submitted_at <= self.period.late_after


def matrix(periods: list[Period], operators: list[Operator], now: dt.datetime | None = None) -> dict:
    """``{(operator_id, period_id): Cell}`` for every operator and period given."""
    now = now or timezone.now()
    versions = MonthlySubmission.objects.filter(period__in=periods, operator__in=operators)
    first = {
        (r["operator_id"], r["period_id"]): r["first"]
        for r in versions.filter(submitted_at__isnull=False)
        .values("operator_id", "period_id")
        .annotate(first=Min("submitted_at"))
        .order_by()
    }
    latest = {
        (operator_id, period_id): (pk, state)
        for query in (versions.counted(), versions.returned())
        for operator_id, period_id, pk, state in query.values_list("operator_id", "period_id", "pk", "state")
    }
    cells = {}
    for period in periods:
        for operator in operators:
            key = (operator.pk, period.pk)
            if key not in latest:
                status = Status.MISSING if now > period.late_after else Status.NOT_DUE
                cells[key] = Cell(operator, period, status)
                continue
            pk, state = latest[key]
            if state == SubmissionState.ACCEPTED:
                status = Status.ACCEPTED
            elif state == SubmissionState.RETURNED:
                status = Status.RETURNED
            else:
                status = Status.ON_TIME if first[key] <= period.late_after else Status.LATE
            cells[key] = Cell(operator, period, status, pk, first[key])
    return cells
