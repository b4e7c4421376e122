"""The reminders of casework, registered from ``CaseworkConfig.ready``, and what a case's page
shows of them.

Reminder rules (``supervision.reminders.rules``; the codes are kept for ever, stored occasions
and timings refer to them):

- ``order_deadline``: before a rectification order's deadline, the day after it is missed, then
  weekly; to the operator, and to the case officer once it is missed;
- ``interview``: the day before an interview, to the operator;
- ``commitment``: before and after an interview commitment's due day, to the operator.

Casework's event mails (an order issued, an extension granted…) are ``mail.py``'s.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from supervision.core.dates import local_date
from supervision.reminders import clock, rules, visibility
from supervision.reminders.rules import DatedRule, Due, Rule, window

from .models import (
    OPEN_INTERVIEW_STATES,
    OPEN_ORDER_STATES,
    Commitment,
    CommitmentState,
    InterviewNotice,
    RectificationOrder,
)


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
        now = clock.now()
        return (
            RectificationOrder.objects.open()
            .with_deadline_day()
            .with_overdue(now)
            .with_awaiting_verification(now)
        )

    def due(self, today, offsets, repeat):
        days = window(today)
        horizon_low = days[0] - dt.timedelta(days=max(offsets or [0]) + 366)
        orders = self.orders().filter(deadline_day__gte=horizon_low).select_related("case_officer")
        people = rules.operator_people({o.operator_id for o in orders})
        for order in orders:
            if order.awaiting_verification:
                continue
            due_date = order.deadline_day
            for day in days:
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


class InterviewRule(DatedRule):
    kind = "interview"

    def objects(self):
        return InterviewNotice.objects.filter(state__in=OPEN_INTERVIEW_STATES)

    def moment_of(self, obj):
        return obj.scheduled_at

    def subject_text(self, obj):
        return _("Interview tomorrow: %(place)s") % {"place": obj.place}

    def body_text(self, obj):
        return _("The interview (%(no)s) is held at %(place)s. Persons required: %(persons)s") % {
            "no": obj, "place": obj.place, "persons": obj.persons_required,
        }  # fmt: skip


class CommitmentRule(DatedRule):
    kind = "commitment"

    def objects(self):
        return Commitment.objects.filter(state=CommitmentState.OPEN).select_related("interview")

    def moment_of(self, obj):
        return obj.due_at

    def operator_ids(self, obj):
        return [obj.interview.operator_id]

    def subject_text(self, obj):
        return _("Interview commitment due %(day)s") % {"day": self.date_of(obj).isoformat()}

    def body_text(self, obj):
        return obj.text


def register() -> None:
    rules.register(
        OrderDeadlineRule(
            "order_deadline", _("Rectification deadline"), offsets=[-7, -1, 1], repeat_every_days=7,
            description=_("7 days and 1 day before the deadline, the day after it is missed, then weekly; to the operator, and to the case officer once missed."),
        ),
        InterviewRule(
            "interview", _("Interview"), offsets=[-1],
            description=_("The day before an interview, to the operator."),
        ),
        CommitmentRule(
            "commitment", _("Interview commitment"), offsets=[-3, 1], repeat_every_days=7,
            description=_("3 days before it is due, the day after if still open, then weekly; to the operator."),
        ),
    )  # fmt: skip


def for_order(order, *, user) -> dict:
    """The deadline reminders of an order: sent, and the next ones while it stays open. None is
    upcoming while it awaits verification (its report came in by the deadline and stands): the
    rule reminds it of nothing then, before the deadline or after (``OrderDeadlineRule``)."""
    reminded = order.state in OPEN_ORDER_STATES and not order.is_awaiting_verification
    due_date = local_date(order.deadline) if reminded else None
    return visibility.for_object(f"order:{order.pk}:", due_date, "order_deadline", user=user)


def for_interview(notice, *, user) -> dict:
    """An interview's reminders: the day before it, while it is issued or confirmed."""
    return visibility.for_dated("interview", [notice], user=user)[notice.pk]


def for_commitments(commitments, *, user) -> dict[int, dict]:
    """The reminders of an interview's commitments, by pk, in one query; upcoming while open."""
    return visibility.for_dated("commitment", commitments, user=user)
