"""What the consultation meetings leave waiting for whom (``core.queues``), registered from ``ready``.

- the administration's staff: meetings in the next weeks whose agenda is not published yet,
  operators' agenda proposals to accept or decline, and the administration's own action items;
- an operator's reporting staff: its action items until done, and the meetings it was invited
  to (the agenda published) that it has not answered.

Each queue is one query (``core.queues.take``); an operator's user only ever sees its own
operator's invitations and action items.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from supervision.core import dates, queues
from supervision.core.models import Role

from .models import ActionItem, ActionState, AgendaItem, AgendaState, Invitation, Meeting, MeetingState

# A meeting starting within this time without a published agenda waits for the staff.
AGENDA_AHEAD = dt.timedelta(days=30)


def _meeting_title(meeting: Meeting) -> str:
    return f"{meeting.series.title} · {dates.moment_label(meeting.starts_at)}"


# --- The administration's staff -----------------------------------------------------------------


def without_agenda(user, now) -> queues.Queue | None:
    """Meetings in the next 30 days whose agenda has not been published (nor the invitation sent)."""
    rows, count = queues.take(
        Meeting.objects.visible_to(user)
        .filter(
            state=MeetingState.SCHEDULED,
            starts_at__gte=now,
            starts_at__lt=now + AGENDA_AHEAD,
            agenda_published_at__isnull=True,
        )
        .select_related("series")
        .order_by("starts_at", "pk")
    )

    def item(row):
        return queues.Item(
            title=_meeting_title(row),
            url=reverse("control:meeting", args=[row.pk]),
            due=row.starts_at,
            extra=_("Prepare and publish the agenda: the invitations go out with it."),
        )

    return queues.queue(
        "meetings.without_agenda",
        _("Meetings without an agenda"),
        rows,
        count,
        item,
        url=reverse("control:meetings"),
    )


def proposals_to_decide(user, now) -> queues.Queue | None:
    """Agenda items operators proposed for a meeting still ahead: accept or decline them."""
    rows, count = queues.take(
        AgendaItem.objects.filter(state=AgendaState.PROPOSED, meeting__state=MeetingState.SCHEDULED)
        .filter(meeting__in=Meeting.objects.visible_to(user))
        .select_related("meeting", "meeting__series", "operator")
        .order_by("meeting__starts_at", "pk")
    )

    def item(row):
        who = row.operator.short_name if row.operator_id else ""
        return queues.Item(
            title=f"{who} · {row.title}" if who else row.title,
            url=reverse("control:meeting", args=[row.meeting_id]),
            due=row.meeting.starts_at,
            overdue=row.meeting.starts_at < now,
            extra=_("Proposed for %(meeting)s") % {"meeting": _meeting_title(row.meeting)},
            since=row.created_at,
        )

    return queues.queue("meetings.proposals", _("Agenda proposals to decide"), rows, count, item)


def own_action_items(user, now) -> queues.Queue | None:
    """The administration's own action items (no operator owns them), open, the earliest due first."""
    rows, count = queues.take(
        ActionItem.objects.filter(state=ActionState.OPEN, operator__isnull=True)
        .filter(meeting__in=Meeting.objects.visible_to(user))
        .select_related("meeting", "meeting__series")
        .order_by("due_on", "pk")
    )
    today = dates.local_date(now)

    def item(row):
        return queues.Item(
            title=row.title,
            url=reverse("control:meeting", args=[row.meeting_id]),
            due=row.due_on,
            overdue=row.due_on < today,
            extra=_("From %(meeting)s") % {"meeting": _meeting_title(row.meeting)},
        )

    return queues.queue(
        "meetings.own_action_items", _("The administration's action items"), rows, count, item
    )


# --- An operator's reporting staff --------------------------------------------------------------


def action_items(user, now) -> queues.Queue | None:
    """The operator's action items from the meetings, open, the earliest due first."""
    rows, count = queues.take(
        ActionItem.objects.visible_to(user)
        .filter(state=ActionState.OPEN)
        .select_related("meeting", "meeting__series")
        .order_by("due_on", "pk")
    )
    today = dates.local_date(now)

    def item(row):
        return queues.Item(
            title=row.title,
            url=reverse("portal:action_item", args=[row.pk]),
            due=row.due_on,
            overdue=row.due_on < today,
            extra=_("From %(meeting)s") % {"meeting": _meeting_title(row.meeting)},
        )

    return queues.queue(
        "meetings.action_items", _("Action items"), rows, count, item, url=reverse("portal:action_items")
    )


def to_answer(user, now) -> queues.Queue | None:
    """Meetings the operator was invited to (the agenda published) and has not said who attends."""
    rows, count = queues.take(
        Invitation.objects.visible_to(user)
        .filter(
            answered_at__isnull=True,
            meeting__state=MeetingState.SCHEDULED,
            meeting__agenda_published_at__isnull=False,
            meeting__ends_at__gte=now,
        )
        .select_related("meeting", "meeting__series")
        .order_by("meeting__starts_at", "pk")
    )

    def item(row):
        return queues.Item(
            title=_meeting_title(row.meeting),
            url=reverse("portal:meeting", args=[row.meeting_id]),
            due=row.meeting.starts_at,
            overdue=row.meeting.starts_at < now,
            extra=_("Say who will attend, or that nobody can."),
        )

    return queues.queue(
        "meetings.to_answer", _("Meetings to answer"), rows, count, item, url=reverse("portal:meetings")
    )


PROVIDERS = {
    Role.REGULATOR_STAFF: [without_agenda, proposals_to_decide, own_action_items],
    Role.OPERATOR_STAFF: [action_items, to_answer],
}


def register() -> None:
    """Offer these queues to the home pages (from ``MeetingsConfig.ready``)."""
    for role, providers in PROVIDERS.items():
        queues.register(role, *providers)


def for_user(user, now=None) -> list[queues.Queue]:
    """What the meetings leave waiting for ``user``."""
    return queues.gather(PROVIDERS.get(user.role, []), user, now)
