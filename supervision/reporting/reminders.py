"""The reminders and event mails of monthly reporting, registered from ``ReportingConfig.ready``.

Reminder rules (``supervision.reminders.rules``; the codes are kept for ever, stored occasions
and timings refer to them):

- ``report_due``: before and after a monthly report's due day, to the operator's people, until
  the month has a counted report;
- ``late_reports``: every Monday, the list of late reports to the administration's staff;
- ``incident_follow_up``: a day after a major problem's last report or follow-up (or the
  administration's request for more), then every day, to the operator's people, asking for a
  follow-up (续报) until it is recovered;
- ``incident_review``: three days after a major problem was recovered, then weekly, to the
  administration's staff, until they close it (or ask for more).

Event mail (``supervision.reminders.outbox``):

- ``reporting.incident_reported``: a major problem reported by an operator, to the
  administration's staff at once; recorded by ``incidents.report`` in its transaction, with the
  key ``incident:<pk>:reported`` (one mail per recipient, ever);
- ``reporting.incident_more_info`` and ``reporting.incident_closed``: the administration asked the
  operator for more information on a major problem (``incident:<pk>:more_info:<update pk>``), or
  closed it (``incident:<pk>:closed``), to the operator's people at once; recorded by
  ``incidents.ask_more`` and ``incidents.close`` in their transactions.
"""

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from supervision.core import dates
from supervision.core.models import Operator, Period, User
from supervision.reminders import clock, outbox, rules, visibility
from supervision.reminders.rules import DatedRule, Due, Rule, window

from . import completeness
from .models import Incident, IncidentState, IncidentUpdateKind, MonthlySubmission

INCIDENT_REPORTED = "reporting.incident_reported"
INCIDENT_MORE_INFO = "reporting.incident_more_info"
INCIDENT_CLOSED = "reporting.incident_closed"
INCIDENT_FOLLOW_UP = "incident_follow_up"
INCIDENT_REVIEW = "incident_review"


class MonthlyReportRule(Rule):
    """Before and after a monthly report's due day, to the operator's staff and managers, until
    the month has a counted report (``MonthlySubmission.objects.counted``, DOMAIN.md "Which
    report counts"): a report the administration returned counts nowhere, so its operator is
    reminded, and told it was returned, until a corrected version is certified."""

    def _period_keys(self, today):
        # The month that ends soonest, and the earlier months that may still be late.
        periods = [Period.objects.for_month(today.year, today.month)]
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
            due_date = dates.local_date(period.due_at)
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
    periods = [Period.objects.for_month(day.year, day.month)]
    for _n in range(3):
        periods.append(periods[-1].previous())
    moment = dates.local_moment(day, 8)
    cells = completeness.matrix(periods, list(Operator.objects.all()), now=moment)
    return [(c.operator, c.period) for c in cells.values() if c.status == "missing"]


def for_submission(submission: MonthlySubmission, *, user) -> dict:
    """What a report's page shows of its month's reminders (``report_due``) that ``user`` may see,
    with the version's own mails, and the next reminders while the month has no counted report."""
    key = f"report:{submission.operator.code}:{submission.period.label}"
    # Reminded while the month has no counted report (``MonthlyReportRule``): none certified yet,
    # or the latest one returned by the administration.
    pending = (
        not MonthlySubmission.objects.counted()
        .filter(operator_id=submission.operator_id, period_id=submission.period_id)
        .exists()
    )
    due_date = dates.local_date(submission.period.due_at) if pending else None
    # With the version's own mails: stored, certified, returned, accepted (``mail.py``).
    return visibility.for_object(
        key, due_date, "report_due", user=user, also=[f"submission:{submission.pk}:"]
    )


class IncidentRule(DatedRule):
    """While a major problem is open: dated from its last step (``Incident.updated_at``), so a
    follow-up moves the next reminder on and a reminder recorded before it is dropped."""

    kind = "incident"
    template = "incident"
    states: tuple[str, ...] = ()

    def objects(self):
        return Incident.objects.filter(state__in=self.states).select_related("operator")

    def moment_of(self, obj):
        return obj.updated_at

    def context(self, object_key):
        _kind, pk, _when = object_key.split(":")
        incident = self.objects().get(pk=pk)
        return {**super().context(object_key), "incident": incident}


class IncidentFollowUpRule(IncidentRule):
    """To the operator's people while it is not recovered: a follow-up report (续报) is due."""

    states = (IncidentState.REPORTED, IncidentState.MORE_INFO)

    def subject_text(self, obj):
        return _("Follow-up report due on a major problem: %(title)s") % {"title": obj.title}

    def body_text(self, obj):
        if obj.state == IncidentState.MORE_INFO:
            return _(
                "The administration asked for more information. Answer with a follow-up report in the portal."
            )
        return _(
            "The major problem is not recovered yet. Send a follow-up report in the portal (what has happened "
            "since, what is being done), or report its recovery."
        )


class IncidentReviewRule(IncidentRule):
    """To the administration's staff once it is recovered, until they close it."""

    states = (IncidentState.RECOVERED,)

    def operator_ids(self, obj):
        return []  # the administration's staff

    def subject_text(self, obj):
        return _("Recovered major problem awaiting your review: %(operator)s, %(title)s") % {
            "operator": obj.operator.short_name, "title": obj.title,
        }  # fmt: skip

    def body_text(self, obj):
        return _(
            "The operator reported the recovery. Review it on the dashboard: close it, or ask for more information."
        )


def for_incident(incident: Incident, *, user) -> dict:
    """The mail recorded about a major problem (its report, its reminders) that ``user`` may see,
    and the next reminders while it is open."""
    if incident.state in IncidentFollowUpRule.states:
        rule_code = INCIDENT_FOLLOW_UP
    elif incident.state in IncidentReviewRule.states:
        rule_code = INCIDENT_REVIEW
    else:
        rule_code = None
    due = dates.local_date(incident.updated_at) if rule_code else None
    return visibility.for_object(f"incident:{incident.pk}:", due, rule_code, user=user)


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


def incident_decided(incident: Incident, update) -> list[int]:
    """Record the mail telling the operator's people of the administration's decision on a major
    problem (more information asked, or closed), in the caller's transaction."""
    if update.kind == IncidentUpdateKind.MORE_INFO:
        code, key = INCIDENT_MORE_INFO, f"incident:{incident.pk}:more_info:{update.pk}"
    else:
        code, key = INCIDENT_CLOSED, f"incident:{incident.pk}:closed"
    return outbox.record(code, key, User.objects.reachable_at([incident.operator_id]).order_by("pk"))


def _build_decision_mail(occasion):
    incident = Incident.objects.select_related("operator").get(pk=outbox.object_pk(occasion.object_key))
    kind = IncidentUpdateKind.MORE_INFO if occasion.rule == INCIDENT_MORE_INFO else IncidentUpdateKind.CLOSE
    update = incident.updates.filter(kind=kind).select_related("author").last()
    context = {
        "recipient": occasion.recipient,
        "incident": incident,
        "update": update,
        "site_url": settings.SITE_URL,
    }
    return outbox.render_message("emails/reporting/incident_decision", context, occasion.recipient)


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
        IncidentFollowUpRule(
            INCIDENT_FOLLOW_UP, _("Major problem: follow-up report due"), offsets=[1], repeat_every_days=1,
            description=_("A day after the last report or follow-up, then every day until it is recovered; to the operator's staff and managers."),
        ),
        IncidentReviewRule(
            INCIDENT_REVIEW, _("Major problem recovered: review due"), offsets=[3], repeat_every_days=7,
            description=_("3 days after the operator reported the recovery, then weekly until it is closed; to the administration's staff."),
        ),
    )  # fmt: skip
    outbox.register(
        INCIDENT_REPORTED,
        label=_("Major problem reported"),
        build=_build_incident_mail,
        still_due=_incident_exists,
    )
    outbox.register(
        INCIDENT_MORE_INFO,
        label=_("Major problem: more information asked"),
        build=_build_decision_mail,
        still_due=_incident_exists,
    )
    outbox.register(
        INCIDENT_CLOSED,
        label=_("Major problem closed"),
        build=_build_decision_mail,
        still_due=_incident_exists,
    )
