"""The reminders and event mails of monthly reporting, registered from ``ReportingConfig.ready``.

Reminder rules (``supervision.reminders.rules``; the codes are kept for ever, stored occasions
and timings refer to them):

- ``report_due``: before and after a monthly report's due day, to the operator's people, until
  the month has a counted report;
- ``late_reports``: every Monday, the list of late reports to the administration's staff.

Event mail (``supervision.reminders.outbox``):

- ``reporting.incident_reported``: a major problem reported by an operator, to the
  administration's staff at once; recorded by ``incidents.report`` in its transaction, with the
  key ``incident:<pk>:reported`` (one mail per recipient, ever).
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supervision.core.models import SHANGHAI, Operator, Period, User
from supervision.reminders import clock, outbox, rules
from supervision.reminders.rules import Due, Rule, window

from . import completeness
from .models import Incident, MonthlySubmission

INCIDENT_REPORTED = "reporting.incident_reported"


class MonthlyReportRule(Rule):
    """Before and after a monthly report's due day, to the operator's staff and managers, until
    the month has a counted report (``MonthlySubmission.objects.counted``, DOMAIN.md "Which
    report counts"): a report the administration returned counts nowhere, so its operator is
    reminded, and told it was returned, until a corrected version is certified."""

    def _period_keys(self, today):
        # The month that ends soonest, and the earlier months that may still be late.
        first = today.replace(day=1)
        periods = [Period.objects.for_month(first.year, first.month)]
        for _n in range(2):
            periods.append(periods[-1].previous())
        return periods

    def due(self, today, offsets, repeat):
        periods = self._period_keys(today)
        counted = set(
            MonthlySubmission.objects.counted()
            .filter(period__in=periods)
            .values_list("operator_id", "period_id")
        )
        operators = list(Operator.objects.all())
        people = rules.operator_people([o.pk for o in operators])
        for period in periods:
            due_date = timezone.localtime(period.due_at, SHANGHAI).date()
            for day in window(today):
                if not self.fires_on(day, due_date, offsets, repeat):
                    continue
                for operator in operators:
                    if (operator.pk, period.pk) in counted:
                        continue
                    for user in people.get(operator.pk, []):
                        yield Due(f"report:{operator.code}:{period.label}", user, day)

    def still_due(self, object_key, on_date) -> bool:
        _kind, code, label = object_key.split(":")
        year, month = Period.parse_label(label)
        return (
            not MonthlySubmission.objects.counted()
            .filter(operator__code=code, period__month=dt.date(year, month, 1))
            .exists()
        )

    def context(self, object_key):
        _kind, code, label = object_key.split(":")
        period = Period.objects.from_label(label)
        operator = Operator.objects.get(code=code)
        # The version the administration returned, when that is why the month has no report.
        returned = MonthlySubmission.objects.returned().filter(operator=operator, period=period).first()
        return {"operator": operator, "period": period, "due_at": period.due_at, "returned": returned}


class LateReportsRule(Rule):
    """Every Monday, the list of late reports to the administration's staff."""

    def due(self, today, offsets, repeat):
        for day in window(today):
            if day.weekday() != 0 or not late_reports(day):
                continue
            for user in User.objects.reachable_staff():
                yield Due(f"late-reports:{day:%G-W%V}", user, day)

    def still_due(self, object_key, on_date) -> bool:
        return bool(late_reports(on_date))

    def context(self, object_key):
        return {"late": late_reports(clock.today())}


def late_reports(day: dt.date) -> list[tuple[Operator, Period]]:
    """The reports missing on ``day`` at 08:00, of this month and the three before it."""
    first = day.replace(day=1)
    periods = [Period.objects.for_month(first.year, first.month)]
    for _n in range(3):
        periods.append(periods[-1].previous())
    moment = dt.datetime.combine(day, dt.time(8), tzinfo=SHANGHAI)
    cells = completeness.matrix(periods, list(Operator.objects.all()), now=moment)
    return [(c.operator, c.period) for c in cells.values() if c.status == "missing"]


def incident_reported(incident: Incident) -> list[int]:
    """Record the mail about a major problem just reported, to every staff member, in the caller's
    transaction; it is sent once the transaction has committed."""
    return outbox.record(
        INCIDENT_REPORTED, f"incident:{incident.pk}:reported", User.objects.reachable_staff().order_by("pk")
    )


def _build_incident_mail(occasion):
    incident = Incident.objects.select_related("operator", "city", "reported_by").get(
        pk=outbox.object_pk(occasion.object_key)
    )
    context = {"recipient": occasion.recipient, "incident": incident, "site_url": settings.SITE_URL}
    return outbox.render_message("emails/reporting/incident_reported", context, occasion.recipient)


def _incident_exists(object_key: str) -> bool:
    # A report of a major problem is news even once the problem is closed.
    return Incident.objects.filter(pk=outbox.object_pk(object_key)).exists()


def register() -> None:
    rules.register(
        MonthlyReportRule(
            "report_due", _("Monthly report due"), offsets=[-3, 0], repeat_every_days=1,
            description=_("3 days before the due day, on the due day, then every day it is late; to the operator's staff and managers."),
        ),
        LateReportsRule(
            "late_reports", _("Weekly list of late reports"),
            description=_("Every Monday, to the administration's staff, while any report is late."),
        ),
    )  # fmt: skip
    outbox.register(
        INCIDENT_REPORTED,
        label=_("Major problem reported"),
        build=_build_incident_mail,
        still_due=_incident_exists,
    )
