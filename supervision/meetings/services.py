"""The life of consultation meetings: one service function per change.

Each function runs in a transaction, refuses what the rules do not allow (``MeetingRefused``, with
a message for the user), and records the e-mail in the reminders' outbox in that transaction
(``mail.queue``): nothing is sent for a change rolled back, nothing is lost once it has committed,
the worker sends it after the commit. Both faces, the demo data and the scheduled horizon task
call these; no view changes a meeting by itself.

Two rules hold everywhere:

* A **closed** meeting's record is read-only: its agenda, attendance, minutes and action items can
  no longer be added to or edited (the action items' status still moves on until done). A
  **cancelled** meeting takes no more changes either.
* **Past occurrences never change** when the series changes: a new rule, place or duration only
  reaches future occurrences that were not changed on their own (moved, cancelled, added) and
  hold no record yet (agenda, answers, an invitation sent).
"""

import datetime as dt
import secrets

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Case, Max, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.core.actions import Refused
from supervision.core.models import OPERATOR_ROLES, Operator, User

from . import mail, recurrence
from .mail import CANCELLATION, INVITATION, UPDATE
from .models import (
    ActionItem,
    ActionState,
    AgendaItem,
    AgendaSource,
    AgendaState,
    Attendee,
    CalendarFeed,
    Invitation,
    Meeting,
    MeetingSeries,
    MeetingState,
)

# Occurrences exist as rows this far ahead; the daily task extends the horizon.
HORIZON_MONTHS = 6


class MeetingRefused(Refused):
    """A change the rules do not allow; the message says why, in the user's language."""


def horizon_end(now: dt.datetime) -> dt.datetime:
    return now + relativedelta(months=HORIZON_MONTHS)


def ensure_open(meeting: Meeting) -> None:
    """Refuse any change to the record of a closed or cancelled meeting."""
    if meeting.state == MeetingState.CLOSED:
        raise MeetingRefused(_("This meeting is closed: its record can no longer be changed."))
    if meeting.state == MeetingState.CANCELLED:
        raise MeetingRefused(_("This meeting is cancelled: it can no longer be changed."))


def _locked(meeting: Meeting) -> Meeting:
    """The meeting row, locked for this transaction, with its state as stored now."""
    return Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)


def _queue_mail(meeting: Meeting, kind: str) -> None:
    """Record the mail in the reminders' outbox, in this transaction: sent once it commits."""
    mail.queue(meeting, kind)


def _announce_change(meeting: Meeting) -> bool:
    """After a change people were told about: a new calendar revision and an update to send."""
    if meeting.invitation_sent_at is None:
        return False
    meeting.sequence += 1
    return True


# --- Series and occurrences -------------------------------------------------------------------


def _occurrence(series: MeetingSeries, start: dt.datetime) -> Meeting:
    return Meeting(
        series=series,
        recurrence_start=start,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=series.duration_minutes),
        place=series.place,
        video_link=series.video_link,
    )


@transaction.atomic
def materialise(series: MeetingSeries, *, now=None, until=None) -> list[Meeting]:
    """Create the rule's occurrences from now (or the first start) to the horizon that are missing.

    An occurrence that exists for a planned start — moved, cancelled or not — is never created
    twice (unique series × planned start).
    """
    now = now or timezone.now()
    until = until or horizon_end(now)
    starts = recurrence.expand(series.rrule, series.first_start, max(series.first_start, now), until)
    existing = set(
        series.meetings.filter(recurrence_start__in=starts).values_list("recurrence_start", flat=True)
    )
    new = [_occurrence(series, start) for start in starts if start not in existing]
    Meeting.objects.bulk_create(new)
    operators = list(series.invited_operators.all())
    Invitation.objects.bulk_create([Invitation(meeting=m, operator=op) for m in new for op in operators])
    return new


def extend_horizons(now=None) -> int:
    """Keep every series materialised up to the horizon; run daily by the scheduler."""
    return sum(len(materialise(series, now=now)) for series in MeetingSeries.objects.all())


@transaction.atomic
def create_series(series: MeetingSeries, *, invited_operators, user=None, now=None) -> MeetingSeries:
    """Store a new series with its invitees and materialise its occurrences up to the horizon."""
    series.rrule = recurrence.validate(series.rrule, series.first_start)
    series.created_by = user
    series.save()
    series.invited_operators.set(invited_operators)
    materialise(series, now=now)
    return series


def _has_record(meeting: Meeting) -> bool:
    """Whether an occurrence holds something of its own that a rule change must not throw away."""
    return (
        meeting.detached
        or meeting.is_extra
        or meeting.state != MeetingState.SCHEDULED
        or meeting.invitation_sent_at is not None
        or bool(meeting.agenda_items.all())
        or any(inv.answered_at for inv in meeting.invitations.all())
    )


@transaction.atomic
def update_series(series: MeetingSeries, *, invited_operators, user=None, now=None) -> dict[str, int]:
    """Save a changed series; only future occurrences without a record of their own follow it.

    Those whose planned start the new rule still gives take the new place, link, duration and
    invitees; the others are removed, and the rule's new occurrences are created up to the horizon.
    Past occurrences, and future ones with a record, stay exactly as they are.
    """
    now = now or timezone.now()
    series.rrule = recurrence.validate(series.rrule, series.first_start)
    series.save()
    series.invited_operators.set(invited_operators)
    operator_ids = {op.pk for op in invited_operators}
    until = horizon_end(now)
    starts = set(recurrence.expand(series.rrule, series.first_start, max(series.first_start, now), until))
    future = series.meetings.filter(starts_at__gte=now).prefetch_related("agenda_items", "invitations")
    removed, kept = [], []
    for meeting in future:
        if _has_record(meeting):
            continue
        if meeting.recurrence_start not in starts:
            removed.append(meeting.pk)
            continue
        meeting.ends_at = meeting.starts_at + dt.timedelta(minutes=series.duration_minutes)
        meeting.place = series.place
        meeting.video_link = series.video_link
        kept.append(meeting)
        # No answers yet (else it would have a record): the invitees simply follow the series.
        have = {inv.operator_id for inv in meeting.invitations.all()}
        meeting.invitations.exclude(operator__in=operator_ids).delete()
        Invitation.objects.bulk_create(
            [Invitation(meeting=meeting, operator_id=op) for op in operator_ids - have]
        )
    Meeting.objects.filter(pk__in=removed).delete()
    Meeting.objects.bulk_update(kept, ["ends_at", "place", "video_link"])
    created = materialise(series, now=now, until=until)
    return {"removed": len(removed), "updated": len(kept), "created": len(created)}


@transaction.atomic
def add_occurrence(
    series: MeetingSeries,
    *,
    starts_at,
    duration_minutes: int,
    place: str = "",
    video_link: str = "",
    user=None,
) -> Meeting:
    """An extra meeting of the series, outside its rule; the series' invitees are invited."""
    if series.meetings.filter(recurrence_start=starts_at).exists():
        raise MeetingRefused(_("The series already has a meeting at that time."))
    meeting = Meeting.objects.create(
        series=series,
        recurrence_start=starts_at,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=duration_minutes),
        place=place,
        video_link=video_link,
        is_extra=True,
        detached=True,
    )
    Invitation.objects.bulk_create(
        [Invitation(meeting=meeting, operator=op) for op in series.invited_operators.all()]
    )
    return meeting


@transaction.atomic
def move(
    meeting: Meeting, *, starts_at, duration_minutes: int, place: str, video_link: str, user=None
) -> Meeting:
    """Move one occurrence (its planned start stays); invitees already told get an update."""
    meeting = _locked(meeting)
    ensure_open(meeting)
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    if (meeting.starts_at, meeting.ends_at, meeting.place, meeting.video_link) == (
        starts_at,
        ends_at,
        place,
        video_link,
    ):
        return meeting
    if meeting.series.meetings.filter(starts_at=starts_at).exclude(pk=meeting.pk).exists():
        raise MeetingRefused(_("The series already has a meeting at that time."))
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.place, meeting.video_link = place, video_link
    meeting.detached = True
    notify = _announce_change(meeting)
    meeting.save()
    if notify:
        _queue_mail(meeting, UPDATE)
    return meeting


@transaction.atomic
def cancel(meeting: Meeting, *, reason: str = "", user=None) -> Meeting:
    """Cancel one occurrence; the series goes on. Invitees already told get a cancellation."""
    meeting = _locked(meeting)
    ensure_open(meeting)
    meeting.state = MeetingState.CANCELLED
    meeting.cancel_reason = reason.strip()
    meeting.cancelled_at = timezone.now()
    meeting.detached = True
    notify = _announce_change(meeting)
    meeting.save()
    if notify:
        _queue_mail(meeting, CANCELLATION)
    return meeting


# --- Agenda ------------------------------------------------------------------------------------


def agenda_minutes(items) -> int:
    return sum(item.planned_minutes for item in items if item.state == AgendaState.ACCEPTED)


def over_time(meeting: Meeting, items) -> int:
    """By how many minutes the agenda's planned time exceeds the meeting's slot (0 when it fits)."""
    return max(0, agenda_minutes(items) - meeting.duration_minutes)


def _next_position(meeting: Meeting) -> int:
    last = meeting.agenda_items.filter(state=AgendaState.ACCEPTED).aggregate(n=Max("position"))["n"]
    return 1 if last is None else last + 1


@transaction.atomic
def add_item(
    meeting: Meeting,
    *,
    title: str,
    presenter: str = "",
    planned_minutes: int = 10,
    details: str = "",
    operator: Operator | None = None,
    shared: bool = False,
    source: str = AgendaSource.STAFF,
    suggestion_key: str = "",
    link: str = "",
    user=None,
) -> AgendaItem:
    """An item on the agenda, at its end; about one ``operator``, shown to it alone unless ``shared``."""
    meeting = _locked(meeting)
    ensure_open(meeting)
    return AgendaItem.objects.create(
        meeting=meeting,
        position=_next_position(meeting),
        title=title,
        presenter=presenter,
        planned_minutes=planned_minutes,
        details=details,
        operator=operator,
        shared=shared,
        source=source,
        state=AgendaState.ACCEPTED,
        suggestion_key=suggestion_key,
        link=link,
        decided_by=user,
        decided_at=timezone.now(),
    )


@transaction.atomic
def update_item(item: AgendaItem, *, user=None, **fields) -> AgendaItem:
    ensure_open(_locked(item.meeting))
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    return item


@transaction.atomic
def delete_item(item: AgendaItem, *, user=None) -> None:
    ensure_open(_locked(item.meeting))
    item.delete()


@transaction.atomic
def move_item(item: AgendaItem, *, up: bool, user=None) -> None:
    """Swap an agenda item with its neighbour above or below."""
    meeting = _locked(item.meeting)
    ensure_open(meeting)
    items = list(meeting.agenda_items.filter(state=AgendaState.ACCEPTED).order_by("position", "pk"))
    index = next((i for i, other in enumerate(items) if other.pk == item.pk), None)
    if index is None:
        return
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    # Renumber all: positions stay 1…n whatever happened to them before.
    for position, agenda_item in enumerate(items, start=1):
        agenda_item.position = position
    AgendaItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def take_suggestion(meeting: Meeting, key: str, *, user=None, now=None) -> AgendaItem:
    """Put a suggestion on the agenda, as the data describe it now."""
    from .suggestions import suggest

    meeting = _locked(meeting)
    ensure_open(meeting)
    suggestion = next((s for s in suggest(meeting, now=now) if s.key == key), None)
    if suggestion is None:
        raise MeetingRefused(_("This suggestion is no longer open, or it is on the agenda already."))
    return add_item(
        meeting,
        title=suggestion.title,
        details=suggestion.details,
        presenter=suggestion.operator.short_name if suggestion.operator else "",
        planned_minutes=suggestion.planned_minutes,
        operator=suggestion.operator,
        source=AgendaSource.SUGGESTION,
        suggestion_key=suggestion.key,
        link=suggestion.link,
        user=user,
    )


def _invitation(meeting: Meeting, operator_id: int) -> Invitation:
    invitation = meeting.invitations.filter(operator=operator_id).first()
    if invitation is None:
        raise MeetingRefused(_("Your company is not invited to this meeting."))
    return invitation


@transaction.atomic
def propose_item(
    meeting: Meeting, *, user, title: str, details: str = "", presenter: str = "", planned_minutes: int = 10
) -> AgendaItem:
    """An operator proposes an item; the administration accepts or declines it."""
    meeting = _locked(meeting)
    ensure_open(meeting)
    _invitation(meeting, user.operator_id)
    return AgendaItem.objects.create(
        meeting=meeting,
        title=title,
        details=details,
        presenter=presenter,
        planned_minutes=planned_minutes,
        operator_id=user.operator_id,
        source=AgendaSource.PROPOSAL,
        state=AgendaState.PROPOSED,
        proposed_by=user,
    )


@transaction.atomic
def withdraw_proposal(item: AgendaItem, *, user) -> None:
    ensure_open(_locked(item.meeting))
    if item.state != AgendaState.PROPOSED or item.operator_id != user.operator_id:
        raise MeetingRefused(_("Only a proposal still awaiting a decision can be withdrawn."))
    item.delete()


@transaction.atomic
def accept_proposal(item: AgendaItem, *, user) -> AgendaItem:
    meeting = _locked(item.meeting)
    ensure_open(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.state != AgendaState.PROPOSED:
        raise MeetingRefused(_("This proposal was decided already."))
    item.state = AgendaState.ACCEPTED
    item.position = _next_position(meeting)
    item.decided_by, item.decided_at = user, timezone.now()
    item.save()
    return item


@transaction.atomic
def decline_proposal(item: AgendaItem, *, user, reason: str = "") -> AgendaItem:
    ensure_open(_locked(item.meeting))
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.state != AgendaState.PROPOSED:
        raise MeetingRefused(_("This proposal was decided already."))
    item.state = AgendaState.DECLINED
    item.decline_reason = reason.strip()
    item.decided_by, item.decided_at = user, timezone.now()
    item.save()
    return item


@transaction.atomic
def publish_agenda(meeting: Meeting, *, user=None) -> Meeting:
    """Send the agenda to the invitees with the calendar invitation (an update after the first)."""
    meeting = _locked(meeting)
    ensure_open(meeting)
    if not meeting.agenda_items.filter(state=AgendaState.ACCEPTED).exists():
        raise MeetingRefused(_("The agenda is empty: add at least one item before publishing it."))
    now = timezone.now()
    first = meeting.invitation_sent_at is None
    if first:
        meeting.invitation_sent_at = now
    else:
        meeting.sequence += 1
    meeting.agenda_published_at = now
    meeting.save()
    _queue_mail(meeting, INVITATION if first else UPDATE)
    return meeting


# --- Attendance --------------------------------------------------------------------------------


def attendee_choices(operator_id: int):
    """Who an operator may name: its active staff and managers."""
    return User.objects.filter(operator=operator_id, role__in=OPERATOR_ROLES, is_active=True).order_by(
        "role", "full_name", "username"
    )


@transaction.atomic
def answer_attendance(
    meeting: Meeting,
    *,
    user,
    attendees,
    others: list[tuple[str, str]] = (),
    declined: bool = False,
    note: str = "",
) -> Invitation:
    """An operator names who will attend (its users, and others by name), or says nobody can."""
    meeting = _locked(meeting)
    ensure_open(meeting)
    invitation = _invitation(meeting, user.operator_id)
    allowed = {u.pk for u in attendee_choices(user.operator_id)}
    chosen = [] if declined else [u for u in attendees if u.pk in allowed]
    others = [] if declined else [(n.strip(), p.strip()) for n, p in others if n.strip()]
    if not declined and not chosen and not others:
        raise MeetingRefused(_("Name at least one person who will attend, or say that nobody can."))
    existing = {a.user_id: a for a in invitation.attendees.filter(user__isnull=False)}
    keep = {u.pk for u in chosen}
    invitation.attendees.filter(user__isnull=False).exclude(user__in=keep).delete()
    invitation.attendees.filter(user__isnull=True).delete()
    Attendee.objects.bulk_create(
        [
            Attendee(invitation=invitation, user=u, name=u.full_name or u.username)
            for u in chosen
            if u.pk not in existing
        ]
        + [Attendee(invitation=invitation, name=name, position=position) for name, position in others]
    )
    invitation.declined = declined
    invitation.note = note.strip()
    invitation.answered_at = timezone.now()
    invitation.answered_by = user
    invitation.save()
    return invitation


@transaction.atomic
def record_attendance(
    meeting: Meeting, *, attended_ids, administration_attendees: str = "", user=None
) -> Meeting:
    """Staff record, at the meeting, who of the named people attended."""
    meeting = _locked(meeting)
    ensure_open(meeting)
    Attendee.objects.filter(invitation__meeting=meeting).update(
        attended=Case(When(pk__in=list(attended_ids), then=Value(True)), default=Value(False))
    )
    meeting.administration_attendees = administration_attendees.strip()
    meeting.save(update_fields=["administration_attendees"])
    return meeting


# --- Minutes, action items, closing ------------------------------------------------------------


@transaction.atomic
def save_minutes(meeting: Meeting, *, text: str, user=None) -> Meeting:
    meeting = _locked(meeting)
    ensure_open(meeting)
    meeting.minutes = text.strip()
    meeting.save(update_fields=["minutes"])
    return meeting


@transaction.atomic
def publish_minutes(meeting: Meeting, *, user=None) -> Meeting:
    """Send the minutes and the action items to the attendees; operators read them in the portal."""
    meeting = _locked(meeting)
    ensure_open(meeting)
    if not meeting.minutes.strip():
        raise MeetingRefused(_("Write the minutes before publishing them."))
    meeting.minutes_published_at = timezone.now()
    meeting.save(update_fields=["minutes_published_at"])
    _queue_mail(meeting, "minutes")
    return meeting


@transaction.atomic
def close(meeting: Meeting, *, user=None) -> Meeting:
    """Close a meeting that was held: from now on its record is read-only."""
    meeting = _locked(meeting)
    ensure_open(meeting)
    if meeting.starts_at > timezone.now():
        raise MeetingRefused(_("A meeting can be closed only once it has started."))
    meeting.state = MeetingState.CLOSED
    meeting.closed_at = timezone.now()
    meeting.closed_by = user
    meeting.save(update_fields=["state", "closed_at", "closed_by"])
    return meeting


@transaction.atomic
def add_action_item(
    meeting: Meeting,
    *,
    title: str,
    due_on: dt.date,
    operator: Operator | None = None,
    details: str = "",
    user=None,
) -> ActionItem:
    """A decision to carry out: owned by an invited operator, or by the administration (None)."""
    meeting = _locked(meeting)
    ensure_open(meeting)
    if operator is not None:
        _invitation(meeting, operator.pk)
    return ActionItem.objects.create(
        meeting=meeting, title=title, details=details, operator=operator, due_on=due_on, created_by=user
    )


@transaction.atomic
def delete_action_item(item: ActionItem, *, user=None) -> None:
    ensure_open(_locked(item.meeting))
    item.delete()


@transaction.atomic
def complete_action_item(item: ActionItem, *, user, note: str = "") -> ActionItem:
    """Mark an action item done; allowed after the meeting was closed: follow-up goes on."""
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.state != ActionState.OPEN:
        raise MeetingRefused(_("This action item is done already."))
    item.state = ActionState.DONE
    item.done_at = timezone.now()
    item.done_by = user
    item.done_note = note.strip()
    item.save()
    return item


@transaction.atomic
def reopen_action_item(item: ActionItem, *, user) -> ActionItem:
    """The administration reopens an action item it does not consider done."""
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.state != ActionState.DONE:
        raise MeetingRefused(_("This action item is open already."))
    item.state = ActionState.OPEN
    item.done_at = None
    item.done_by = None
    item.save()
    return item


# --- Calendar feeds ----------------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def feed_for(user) -> CalendarFeed:
    """The user's calendar feed, created on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": _new_token()})
    return feed


@transaction.atomic
def reset_feed(user) -> CalendarFeed:
    """A new private address; the old one stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"token": _new_token()}
    )
    if not created:
        feed.token = _new_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed


def revoke_feed(user) -> None:
    """No address at all until the user asks for one again."""
    CalendarFeed.objects.filter(user=user).delete()
