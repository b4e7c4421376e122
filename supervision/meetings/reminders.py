"""The reminders of consultation meetings, registered from ``MeetingsConfig.ready``, and what a
meeting's page shows of them.

Reminder rules (``supervision.reminders.rules``; the codes are kept for ever, stored occasions
and timings refer to them):

- ``meeting``: 7 days before a meeting (call for agenda items and attendees) and the day before
  (agenda), to the invited operators;
- ``action_item``: before and after an action item's due day, to its owner.

The meetings' event mails (invitation, update, cancellation, minutes) are ``mail.py``'s.
"""

from django.utils.translation import gettext_lazy as _

from supervision.core.dates import local_time
from supervision.reminders import rules, visibility
from supervision.reminders.rules import DatedRule

from .models import ActionItem, ActionState, Meeting, MeetingState


class MeetingRule(DatedRule):
    kind = "meeting"

    def objects(self):
        return Meeting.objects.filter(state=MeetingState.SCHEDULED).prefetch_related("invited_operators")

    def moment_of(self, obj):
        return obj.starts_at

    def operator_ids(self, obj):
        return [o.pk for o in obj.invited_operators.all()]

    def subject_text(self, obj):
        return _("Consultation meeting on %(day)s: %(title)s") % {
            "day": local_time(obj.starts_at).strftime("%Y-%m-%d %H:%M"), "title": obj.series.title,
        }  # fmt: skip

    def body_text(self, obj):
        return _(
            "The meeting is coming. A week before: propose agenda items and name who will attend in the portal. "
            "The day before: read the agenda."
        )


class ActionItemRule(DatedRule):
    kind = "action"

    def objects(self):
        return ActionItem.objects.filter(state=ActionState.OPEN)

    def moment_of(self, obj):
        return obj.due_on

    def subject_text(self, obj):
        return _("Action item due %(day)s: %(title)s") % {"day": obj.due_on.isoformat(), "title": obj.title}

    def body_text(self, obj):
        return _("Mark it done in the portal when it is carried out.")


def register() -> None:
    rules.register(
        MeetingRule(
            "meeting", _("Consultation meeting"), offsets=[-7, -1],
            description=_("7 days before (call for agenda items and attendees) and the day before (agenda); to the invited operators."),
        ),
        ActionItemRule(
            "action_item", _("Action item"), offsets=[-3, 1], repeat_every_days=7,
            description=_("3 days before it is due, the day after if still open, then weekly; to its owner."),
        ),
    )  # fmt: skip


def for_meeting(meeting, *, user) -> dict:
    """A meeting's reminders (and other mail recorded about it); upcoming while it is scheduled."""
    return visibility.for_dated("meeting", [meeting], user=user)[meeting.pk]


def for_action_items(items, *, user) -> dict[int, dict]:
    """The reminders of several action items, by pk, in one query; upcoming while each is open."""
    return visibility.for_dated("action_item", items, user=user)


def for_action_item(item, *, user) -> dict:
    return for_action_items([item], user=user)[item.pk]
