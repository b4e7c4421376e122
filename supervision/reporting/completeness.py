"""Who has reported: the completeness and timeliness of monthly reports, operator × month.

One aggregate query for the whole matrix; the dashboard's completeness indicator and the
reminders read the same function.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Min, Q
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
    rows = (
        MonthlySubmission.objects.filter(
            period__in=periods, operator__in=operators, submitted_at__isnull=False
        )
        .values("operator_id", "period_id")
        .annotate(
            first=Min("submitted_at"),
            live_id=Max("pk", filter=~Q(state=SubmissionState.SUPERSEDED)),
            live_state=Max("state", filter=~Q(state=SubmissionState.SUPERSEDED)),
        )
    )
    found = {(r["operator_id"], r["period_id"]): r for r in rows}
    cells = {}
    for period in periods:
        for operator in operators:
            row = found.get((operator.pk, period.pk))
            if row is None:
                status = Status.MISSING if now > period.late_after else Status.NOT_DUE
                cells[(operator.pk, period.pk)] = Cell(operator, period, status)
                continue
            if row["live_state"] == SubmissionState.ACCEPTED:
                status = Status.ACCEPTED
            elif row["live_state"] == SubmissionState.RETURNED:
                status = Status.RETURNED
            else:
                status = Status.ON_TIME if row["first"] <= period.late_after else Status.LATE
            cells[(operator.pk, period.pk)] = Cell(operator, period, status, row["live_id"], row["first"])
    return cells
