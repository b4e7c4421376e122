"""The meetings' e-mails: one function, three templates (subject, text, HTML) per kind.

Invitations, updates and cancellations carry the occurrence as an iCalendar file, both as a
``text/calendar; method=…`` alternative (Outlook and most mail clients then offer to add or update
the event) and as an attached ``.ics`` file (for the others). Each recipient gets their own
message in their own language.

Every mail goes through the reminders' outbox (``supervision.reminders.outbox``): the service
that changes the meeting calls ``queue(meeting, kind)`` inside its transaction, which records one
occasion per recipient (the recipients as they are at that moment), and the worker sends each
exactly once. The object key names the event: ``meeting:7:invitation:0``, ``meeting:7:update:3``
(the calendar revision, so each update is a mail of its own), ``meeting:7:cancellation`` and
``meeting:7:minutes:20261203T163000`` (when they were published: corrected minutes published
again are a new mail). The message is built when it is sent, from the meeting as it is then.

An action item given to an operator is told to that operator's people at once
(``meetings.action_item_assigned``, key ``action:<pk>:assigned``, recorded by
``services.add_action_item``), not only by its first reminder days before it is due; the item's
page lists it with its reminders (same ``action:<pk>:`` prefix).
"""

from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supervision.core.dates import local_time
from supervision.core.models import User
from supervision.reminders import outbox

from . import calendars
from .models import ActionItem, ActionState, AgendaItem, Attendee, Meeting

# The kinds of meeting mail (services queues them; each has its templates here).
INVITATION, UPDATE, CANCELLATION = "invitation", "update", "cancellation"
MINUTES = "minutes"
LABELS = {
    INVITATION: _("Meeting invitation"),
    UPDATE: _("Meeting updated"),
    CANCELLATION: _("Meeting cancelled"),
    MINUTES: _("Meeting minutes"),
}
KINDS = set(LABELS)


def outbox_code(kind: str) -> str:
    return f"meetings.{kind}"


def object_key(meeting: Meeting, kind: str) -> str:
    key = f"meeting:{meeting.pk}:{kind}"
    if kind in (INVITATION, UPDATE):
        return f"{key}:{meeting.sequence}"
    if kind == MINUTES:
        published = local_time(meeting.minutes_published_at or timezone.now())
        return f"{key}:{published:%Y%m%dT%H%M%S}"
    return key


def queue(meeting: Meeting, kind: str) -> list[int]:
    """Record one kind of meeting e-mail to everyone concerned, in the caller's transaction."""

    if kind not in KINDS:
        raise ValueError(kind)
    people = minutes_recipients(meeting) if kind == MINUTES else invitees(meeting)
    return outbox.record(outbox_code(kind), object_key(meeting, kind), people)


def _meeting(meeting_id, recipient) -> Meeting:
    """The meeting with the agenda ``recipient`` reads (``AgendaItemQuerySet.shown_to``): the mail
    and its calendar file never name another operator's case."""
    return (
        Meeting.objects.select_related("series")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.accepted().shown_to(recipient).select_related("operator"),
                to_attr="agenda",
            ),
            "invitations__operator",
            Prefetch("action_items", queryset=ActionItem.objects.select_related("operator")),
        )
        .get(pk=meeting_id)
    )


def invitees(meeting: Meeting):
    """The administration's staff and every active user of the invited operators, with an address."""
    operator_ids = [inv.operator_id for inv in meeting.invitations.all()]
    return (User.objects.reachable_staff() | User.objects.reachable_at(operator_ids)).order_by("pk")


def minutes_recipients(meeting: Meeting):
    """The administration's staff, and the operators' attendees who have an account.

    Those recorded as attended when staff recorded attendance; everyone named otherwise.
    """
    named = Attendee.objects.filter(invitation__meeting=meeting, user__isnull=False).values_list(
        "user_id", "attended"
    )
    everyone = {user_id for user_id, _attended in named}
    people = {user_id for user_id, attended in named if attended} or everyone
    return (User.objects.reachable_staff() | User.objects.reachable().filter(pk__in=people)).order_by("pk")


def _url(meeting: Meeting, recipient) -> str:
    face = "control" if recipient.is_regulator else "portal"
    return settings.SITE_URL + reverse(f"{face}:meeting", args=[meeting.pk])


def build(kind: str, occasion) -> EmailMultiAlternatives:
    """The mail of one occasion: to its recipient, in the language active (theirs)."""
    recipient = occasion.recipient
    meeting = _meeting(outbox.object_pk(occasion.object_key), recipient)
    template = {UPDATE: INVITATION}.get(kind, kind)
    url = _url(meeting, recipient)
    actions = list(meeting.action_items.all())
    if recipient.is_operator_user:
        actions = [a for a in actions if a.operator_id == recipient.operator_id]
    context = {
        "meeting": meeting,
        "recipient": recipient,
        "url": url,
        "is_update": kind == UPDATE,
        "agenda": meeting.agenda if meeting.agenda_published_at else [],
        "action_items": actions,
    }
    message = outbox.render_message(f"emails/meetings/{template}", context, recipient)
    if kind != MINUTES:
        method = calendars.CANCEL if kind == CANCELLATION else calendars.REQUEST
        ics = calendars.invitation_ics(meeting, method=method, attendee=recipient, url=url)
        mimetype = f"text/calendar; method={method}"
        message.attach_alternative(ics.decode(), mimetype)
        message.attach("meeting.ics", ics, mimetype)
    return message


def still_due(key: str) -> bool:
    """A mail about a meeting that no longer exists is dropped."""
    return Meeting.objects.filter(pk=outbox.object_pk(key)).exists()


ACTION_ITEM_ASSIGNED = "meetings.action_item_assigned"


def action_item_assigned(item: ActionItem) -> list[int]:
    """Record the mail telling the owner operator's people of an action item given to it, in the
    caller's transaction. The administration's own items tell nobody: its staff wrote them."""
    if item.operator_id is None:
        return []
    people = User.objects.reachable_at([item.operator_id]).order_by("pk")
    return outbox.record(ACTION_ITEM_ASSIGNED, f"action:{item.pk}:assigned", people)


def build_action_item(occasion) -> EmailMultiAlternatives:
    item = ActionItem.objects.select_related("meeting__series", "operator", "created_by").get(
        pk=outbox.object_pk(occasion.object_key)
    )
    recipient = occasion.recipient
    if recipient.is_regulator:
        url = _url(item.meeting, recipient)
    else:
        url = settings.SITE_URL + reverse("portal:action_item", args=[item.pk])
    context = {"item": item, "meeting": item.meeting, "recipient": recipient, "url": url}
    return outbox.render_message("emails/meetings/action_item_assigned", context, recipient)


def action_item_open(key: str) -> bool:
    """An item removed, or done, before its mail went is not told of any more."""
    return ActionItem.objects.filter(pk=outbox.object_pk(key), state=ActionState.OPEN).exists()


def register() -> None:
    """Declare the meetings' mails to the outbox (from the app's ``ready``)."""

    for kind, label in LABELS.items():
        outbox.register(outbox_code(kind), label=label, build=partial(build, kind), still_due=still_due)
    outbox.register(
        ACTION_ITEM_ASSIGNED,
        label=_("Action item assigned"),
        build=build_action_item,
        still_due=action_item_open,
    )
