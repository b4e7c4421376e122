"""The meetings' e-mails: one function, three templates (subject, text, HTML) per kind.

Invitations, updates and cancellations carry the occurrence as an iCalendar file, both as a
``text/calendar; method=…`` alternative (Outlook and most mail clients then offer to add or update
the event) and as an attached ``.ics`` file (for the others). Each recipient gets their own
message in their own language.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from supervision.core.models import OPERATOR_ROLES, Role, User

from . import calendars
from .models import ActionItem, AgendaItem, AgendaState, Attendee, Meeting
from .services import CANCELLATION, INVITATION, UPDATE

KINDS = {INVITATION, UPDATE, CANCELLATION, "minutes"}


def _meeting(meeting_id: int) -> Meeting:
    return (
        Meeting.objects.select_related("series")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.filter(state=AgendaState.ACCEPTED).select_related("operator"),
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
    staff = User.objects.filter(role=Role.REGULATOR_STAFF, is_active=True)
    operators = User.objects.filter(operator__in=operator_ids, role__in=OPERATOR_ROLES, is_active=True)
    return (staff | operators).exclude(email="").order_by("pk")


def minutes_recipients(meeting: Meeting):
    """The administration's staff, and the operators' attendees who have an account.

    Those recorded as attended when staff recorded attendance; everyone named otherwise.
    """
    named = Attendee.objects.filter(invitation__meeting=meeting, user__isnull=False).values_list(
        "user_id", "attended"
    )
    everyone = {user_id for user_id, _attended in named}
    people = {user_id for user_id, attended in named if attended} or everyone
    staff = User.objects.filter(role=Role.REGULATOR_STAFF, is_active=True)
    return (staff | User.objects.filter(pk__in=people, is_active=True)).exclude(email="").order_by("pk")


def _url(meeting: Meeting, recipient) -> str:
    face = "control" if recipient.is_regulator else "portal"
    return settings.SITE_URL + reverse(f"{face}:meeting", args=[meeting.pk])


def send(meeting_id: int, kind: str) -> int:
    """Send one kind of meeting e-mail to everyone concerned; returns how many went out."""
    if kind not in KINDS:
        raise ValueError(kind)
    meeting = _meeting(meeting_id)
    recipients = minutes_recipients(meeting) if kind == "minutes" else invitees(meeting)
    template = {UPDATE: INVITATION}.get(kind, kind)
    sent = 0
    for recipient in recipients:
        with translation.override(recipient.language):
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
            subject = render_to_string(f"emails/meetings/{template}_subject.txt", context).strip()
            message = EmailMultiAlternatives(
                subject,
                render_to_string(f"emails/meetings/{template}.txt", context),
                to=[recipient.email],
                reply_to=[settings.REPLY_TO_EMAIL],
            )
            message.attach_alternative(
                render_to_string(f"emails/meetings/{template}.html", context), "text/html"
            )
            if kind != "minutes":
                method = calendars.CANCEL if kind == CANCELLATION else calendars.REQUEST
                ics = calendars.invitation_ics(meeting, method=method, attendee=recipient, url=url)
                mimetype = f"text/calendar; method={method}"
                message.attach_alternative(ics.decode(), mimetype)
                message.attach("meeting.ics", ics, mimetype)
            sent += message.send()
    return sent
