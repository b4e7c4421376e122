"""The reminder rules: who is reminded of what, and when, derived from the data's current state.

Each rule yields the occasions due up to today; nothing is stored about the future, so a
change in the data (a deadline extended, an order closed, a report submitted) changes or drops
what is pending with nothing to clean up. At send time the rule is asked again whether the
occasion still holds (``still_due``): an occasion recorded before the report arrived is dropped.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supervision.casework.models import OPEN_ORDER_STATES, RectificationOrder
from supervision.core.models import SHANGHAI, Operator, Period, Role, User
from supervision.reporting.models import MonthlySubmission

# How far back a scan looks for occasions it has not recorded yet (a scheduler that was down
# for a day still sends yesterday's reminder, late rather than never).
CATCH_UP_DAYS = 2


@dataclass(frozen=True)
class Due:
    object_key: str
    recipient: User
    on_date: dt.date


@dataclass
class Rule:
    code: str
    label: str
    # Statutory notices cannot be turned off by the recipient.
    statutory: bool = True
    offsets: list[int] = field(default_factory=list)
    repeat_every_days: int | None = None
    description: str = ""

    def dates(self, due_date: dt.date, offsets, repeat) -> list[dt.date]:
        return [due_date + dt.timedelta(days=o) for o in offsets]

    def fires_on(self, day: dt.date, due_date: dt.date, offsets, repeat) -> bool:
        delta = (day - due_date).days
        if delta in offsets:
            return True
        last = max(offsets) if offsets else 0
        return bool(repeat) and delta > last and (delta - last) % repeat == 0

    def upcoming(self, due_date: dt.date, today: dt.date, offsets, repeat, limit: int = 3) -> list[dt.date]:
        """The next dates this rule will remind on (for the object's page)."""
        found, day = [], today + dt.timedelta(days=1)
        while len(found) < limit and (day - due_date).days <= max(offsets or [0]) + (repeat or 0) * limit:
            if self.fires_on(day, due_date, offsets, repeat):
                found.append(day)
            day += dt.timedelta(days=1)
        return found


def _recipients_of(operator_ids) -> dict[int, list[User]]:
    users = User.objects.filter(
        operator_id__in=operator_ids, role__in=[Role.OPERATOR_STAFF, Role.OPERATOR_MANAGER], is_active=True
    ).exclude(email="")
    result: dict[int, list[User]] = {}
    for user in users:
        result.setdefault(user.operator_id, []).append(user)
    return result


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
        people = _recipients_of([o.pk for o in operators])
        for period in periods:
            due_date = timezone.localtime(period.due_at, SHANGHAI).date()
            for day in _window(today):
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
        for day in _window(today):
            if day.weekday() != 0 or not _late_reports(day):
                continue
            for user in User.objects.filter(role=Role.REGULATOR_STAFF, is_active=True).exclude(email=""):
                yield Due(f"late-reports:{day:%G-W%V}", user, day)

    def still_due(self, object_key, on_date) -> bool:
        return bool(_late_reports(on_date))

    def context(self, object_key):
        from . import clock

        return {"late": _late_reports(clock.today())}


def _late_reports(day: dt.date) -> list[tuple[Operator, Period]]:
    from supervision.reporting import completeness

    first = day.replace(day=1)
    periods = [Period.objects.for_month(first.year, first.month)]
    for _n in range(3):
        periods.append(periods[-1].previous())
    moment = dt.datetime.combine(day, dt.time(8), tzinfo=SHANGHAI)
    cells = completeness.matrix(periods, list(Operator.objects.all()), now=moment)
    return [(c.operator, c.period) for c in cells.values() if c.status == "missing"]


class OrderDeadlineRule(Rule):
    """Before an order's deadline, the day after it is missed, then weekly; to the operator
    (and to the case officer once it is missed). An extension moves every date."""

    # Open orders, their deadline's day in Asia/Shanghai, whether they are overdue and whether
    # they await verification: the orders' own definitions (casework.models.OrderQuerySet), as on
    # every page. An order whose report came in by the deadline and stands awaits the
    # administration's verification: its operator is reminded of nothing, neither the deadline
    # coming nor "deadline missed" (the order page shows no reminder to come). After the
    # deadline's day only an overdue order is reminded of ("missed").
    @staticmethod
    def orders():
        from . import clock

        now = clock.now()
        return (
            RectificationOrder.objects.open()
            .with_deadline_day()
            .with_overdue(now)
            .with_awaiting_verification(now)
        )

    def due(self, today, offsets, repeat):
        window = _window(today)
        horizon_low = window[0] - dt.timedelta(days=max(offsets or [0]) + 366)
        orders = self.orders().filter(deadline_day__gte=horizon_low).select_related("case_officer")
        people = _recipients_of({o.operator_id for o in orders})
        for order in orders:
            if order.awaiting_verification:
                continue
            due_date = order.deadline_day
            for day in window:
                if not self.fires_on(day, due_date, offsets, repeat):
                    continue
                if day > due_date and not order.overdue:
                    continue
                key = f"order:{order.pk}:{due_date.isoformat()}"
                recipients = list(people.get(order.operator_id, []))
                if day > due_date and order.case_officer and order.case_officer.email:
                    recipients.append(order.case_officer)
                for user in recipients:
                    yield Due(key, user, day)

    def still_due(self, object_key, on_date) -> bool:
        _kind, pk, deadline = object_key.split(":")
        order = self.orders().filter(pk=pk).first()
        if not order or order.deadline_day.isoformat() != deadline or order.awaiting_verification:
            return False
        return on_date <= order.deadline_day or order.overdue

    def context(self, object_key):
        _kind, pk, _deadline = object_key.split(":")
        return {"order": RectificationOrder.objects.select_related("operator").get(pk=pk)}


class IncidentRule(Rule):
    """A major problem reported by an operator: the administration's staff at once."""

    def due(self, today, offsets, repeat):
        from supervision.reporting.models import Incident

        since = dt.datetime.combine(_window(today)[0], dt.time.min, tzinfo=SHANGHAI)
        incidents = list(Incident.objects.filter(reported_at__gte=since).values_list("pk", "reported_at"))
        if not incidents:
            return
        staff = list(User.objects.filter(role=Role.REGULATOR_STAFF, is_active=True).exclude(email=""))
        for pk, reported_at in incidents:
            for user in staff:
                yield Due(f"incident:{pk}", user, timezone.localtime(reported_at, SHANGHAI).date())

    def still_due(self, object_key, on_date) -> bool:
        return True  # a report of a major problem is news even once it is closed

    def context(self, object_key):
        from supervision.reporting.models import Incident

        incident = Incident.objects.select_related("operator", "city", "reported_by").get(
            pk=object_key.split(":")[1]
        )
        return {"incident": incident}


class DigestRule(Rule):
    """Each weekday morning, to each case officer who wants it: what is due, overdue and new."""

    def due(self, today, offsets, repeat):
        from . import clock

        local = timezone.localtime(clock.now(), SHANGHAI)
        if today.weekday() >= 5 or local.hour < 8:
            return
        for user in User.objects.filter(
            role=Role.REGULATOR_STAFF, is_active=True, receives_digest=True
        ).exclude(email=""):
            yield Due(f"digest:{user.pk}", user, today)

    def still_due(self, object_key, on_date) -> bool:
        return User.objects.filter(pk=object_key.split(":")[1], receives_digest=True, is_active=True).exists()

    def context(self, object_key):
        from supervision.reporting.models import Incident, IncidentStatus

        from . import clock

        now = clock.now()
        yesterday = now - dt.timedelta(days=1)
        open_orders = RectificationOrder.objects.filter(state__in=OPEN_ORDER_STATES).select_related(
            "operator"
        )
        return {
            "overdue_orders": RectificationOrder.objects.overdue(now).select_related("operator"),
            "due_soon_orders": open_orders.filter(deadline__gte=now, deadline__lt=now + dt.timedelta(days=7)),
            "late_reports": _late_reports(clock.today()),
            "new_incidents": Incident.objects.filter(reported_at__gte=yesterday).select_related("operator"),
            "open_incidents": Incident.objects.filter(status=IncidentStatus.OPEN).count(),
            "new_submissions": MonthlySubmission.objects.filter(submitted_at__gte=yesterday).select_related(
                "operator", "period"
            ),
        }


class DatedRule(Rule):
    """Reminders before (and after) an object's date: an interview, a meeting, an action item, a
    commitment. Subclasses say which objects are open, their date, who is told, and the words."""

    template = "dated"
    kind = ""

    def objects(self):
        raise NotImplementedError

    def date_of(self, obj) -> dt.date:
        value = self.moment_of(obj)
        return timezone.localtime(value, SHANGHAI).date() if isinstance(value, dt.datetime) else value

    def moment_of(self, obj):
        raise NotImplementedError

    def operator_ids(self, obj) -> list[int]:
        return [obj.operator_id] if getattr(obj, "operator_id", None) else []

    def due(self, today, offsets, repeat):
        objects = list(self.objects())
        people = _recipients_of({pk for obj in objects for pk in self.operator_ids(obj)})
        staff = None
        for obj in objects:
            when = self.date_of(obj)
            for day in _window(today):
                if not self.fires_on(day, when, offsets, repeat):
                    continue
                recipients = [u for pk in self.operator_ids(obj) for u in people.get(pk, [])]
                if not self.operator_ids(obj):
                    if staff is None:
                        staff = list(
                            User.objects.filter(role=Role.REGULATOR_STAFF, is_active=True).exclude(email="")
                        )
                    recipients = staff
                for user in recipients:
                    yield Due(f"{self.kind}:{obj.pk}:{when.isoformat()}", user, day)

    def still_due(self, object_key, on_date) -> bool:
        _kind, pk, when = object_key.split(":")
        obj = self.objects().filter(pk=pk).first()
        return bool(obj) and self.date_of(obj).isoformat() == when

    def context(self, object_key):
        _kind, pk, when = object_key.split(":")
        obj = self.objects().get(pk=pk)
        return {
            "subject_text": self.subject_text(obj),
            "body_text": self.body_text(obj),
            "when": self.moment_of(obj),
        }


class InterviewRule(DatedRule):
    kind = "interview"

    def objects(self):
        from supervision.casework.models import OPEN_INTERVIEW_STATES, InterviewNotice

        return InterviewNotice.objects.filter(state__in=OPEN_INTERVIEW_STATES)

    def moment_of(self, obj):
        return obj.scheduled_at

    def subject_text(self, obj):
        return _("Interview tomorrow: %(place)s") % {"place": obj.place}

    def body_text(self, obj):
        return _("The interview (%(no)s) is held at %(place)s. Persons required: %(persons)s") % {
            "no": obj, "place": obj.place, "persons": obj.persons_required,
        }  # fmt: skip


class MeetingRule(DatedRule):
    kind = "meeting"

    def objects(self):
        from supervision.meetings.models import Meeting, MeetingState

        return Meeting.objects.filter(state=MeetingState.SCHEDULED).prefetch_related("invited_operators")

    def moment_of(self, obj):
        return obj.starts_at

    def operator_ids(self, obj):
        return [o.pk for o in obj.invited_operators.all()]

    def subject_text(self, obj):
        return _("Consultation meeting on %(day)s: %(title)s") % {
            "day": timezone.localtime(obj.starts_at, SHANGHAI).strftime("%Y-%m-%d %H:%M"), "title": obj.series.title,
        }  # fmt: skip

    def body_text(self, obj):
        return _(
            "The meeting is coming. A week before: propose agenda items and name who will attend in the portal. "
            "The day before: read the agenda."
        )


class ActionItemRule(DatedRule):
    kind = "action"

    def objects(self):
        from supervision.meetings.models import ActionItem, ActionState

        return ActionItem.objects.filter(state=ActionState.OPEN)

    def moment_of(self, obj):
        return obj.due_on

    def subject_text(self, obj):
        return _("Action item due %(day)s: %(title)s") % {"day": obj.due_on.isoformat(), "title": obj.title}

    def body_text(self, obj):
        return _("Mark it done in the portal when it is carried out.")


class CommitmentRule(DatedRule):
    kind = "commitment"

    def objects(self):
        from supervision.casework.models import Commitment, CommitmentState

        return Commitment.objects.filter(state=CommitmentState.OPEN).select_related("interview")

    def moment_of(self, obj):
        return obj.due_at

    def operator_ids(self, obj):
        return [obj.interview.operator_id]

    def subject_text(self, obj):
        return _("Interview commitment due %(day)s") % {"day": self.date_of(obj).isoformat()}

    def body_text(self, obj):
        return obj.text


def _window(today: dt.date) -> list[dt.date]:
    return [today - dt.timedelta(days=n) for n in range(CATCH_UP_DAYS, -1, -1)]


RULES = {
    rule.code: rule
    for rule in [
        MonthlyReportRule(
            "report_due", _("Monthly report due"), offsets=[-3, 0], repeat_every_days=1,
            description=_("3 days before the due day, on the due day, then every day it is late; to the operator's staff and managers."),
        ),
        LateReportsRule(
            "late_reports", _("Weekly list of late reports"),
            description=_("Every Monday, to the administration's staff, while any report is late."),
        ),
        IncidentRule(
            "incident", _("Major problem reported"),
            description=_("At once, to the administration's staff."),
        ),
        DigestRule(
            "digest", _("Morning digest"), statutory=False,
            description=_("Each weekday from 08:00, to each case officer who wants it: what is due, overdue and new."),
        ),
        InterviewRule(
            "interview", _("Interview"), offsets=[-1],
            description=_("The day before an interview, to the operator."),
        ),
        MeetingRule(
            "meeting", _("Consultation meeting"), offsets=[-7, -1],
            description=_("7 days before (call for agenda items and attendees) and the day before (agenda); to the invited operators."),
        ),
        ActionItemRule(
            "action_item", _("Action item"), offsets=[-3, 1], repeat_every_days=7,
            description=_("3 days before it is due, the day after if still open, then weekly; to its owner."),
        ),
        CommitmentRule(
            "commitment", _("Interview commitment"), offsets=[-3, 1], repeat_every_days=7,
            description=_("3 days before it is due, the day after if still open, then weekly; to the operator."),
        ),
        OrderDeadlineRule(
            "order_deadline", _("Rectification deadline"), offsets=[-7, -1, 1], repeat_every_days=7,
            description=_("7 days and 1 day before the deadline, the day after it is missed, then weekly; to the operator, and to the case officer once missed."),
        ),
    ]
}  # fmt: skip


def timing(rule: Rule) -> tuple[list[int], int | None, bool]:
    """The rule's timing as staff set it (``ReminderSetting``), or its defaults."""
    from .models import ReminderSetting

    setting = ReminderSetting.objects.filter(rule=rule.code).first()
    if setting is None:
        return rule.offsets, rule.repeat_every_days, True
    return list(setting.offsets or rule.offsets), setting.repeat_every_days, setting.enabled
