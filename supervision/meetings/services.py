"""The life of consultation meetings: one service function per change.

Who may take which change, and in which state of the meeting, is the ``ACTIONS`` tables below
(``SERIES_ACTIONS``, ``ACTIONS`` for a meeting and its record, ``ACTION_ITEM_ACTIONS``): the staff
run the meetings, an invited operator answers and proposes, leadership reads. Each function runs
in a transaction, checks its action first (``actions.check``, on the locked row), refuses what
the rules do not allow (``MeetingRefused``, with a message for the user), writes one audit entry
(``core.audit.log``, on the audit trail page) and records the e-mail in the reminders' outbox in
that transaction (``mail.queue``): nothing is sent for a change rolled back, nothing is lost once
it has committed, the worker sends it after the commit. Both faces call these, with the user
acting; no view changes a meeting by itself. The scheduled horizon task only adds occurrences
(``extend_horizons``), which is no one's decision.

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
from django.utils.translation import gettext_lazy

from supervision.core import audit, dates
from supervision.core.actions import OPERATOR, STAFF, STAFF_OR_OPERATOR, Action, Refused, check
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


# --- Who may do what, and when ------------------------------------------------------------------

# A series has no state: the staff create and change it, and add meetings to it.
SERIES_ACTIONS = {
    "create_series": Action("create_series", gettext_lazy("create a meeting series"), STAFF, None),
    "update_series": Action("update_series", gettext_lazy("change the meeting series"), STAFF, None),
    "add_occurrence": Action("add_occurrence", gettext_lazy("add a meeting to the series"), STAFF, None),
    # A one-off meeting: one occurrence held by a series without a rule (``is_one_off``).
    "create_meeting": Action("create_meeting", gettext_lazy("create a one-off meeting"), STAFF, None),
}

M = MeetingState
# A meeting's record changes only while it is scheduled: neither closed nor cancelled.
_OPEN = frozenset({M.SCHEDULED})


def has_started(meeting: Meeting, now: dt.datetime | None = None) -> bool:
    return meeting.starts_at <= (now or timezone.now())


def _once_started(meeting: Meeting) -> str | None:
    """Attendance and minutes record what happened: refused before the meeting has started."""
    if has_started(meeting):
        return None
    return _(
        "The meeting has not started yet (it starts at %(start)s): attendance and minutes are "
        "recorded once it has."
    ) % {"start": dates.moment_label(meeting.starts_at)}


ACTIONS = {
    "move": Action("move", gettext_lazy("move this meeting"), STAFF, _OPEN),
    "cancel": Action("cancel", gettext_lazy("cancel this meeting"), STAFF, _OPEN, M.CANCELLED),
    "add_item": Action("add_item", gettext_lazy("add an item to the agenda"), STAFF, _OPEN),
    "update_item": Action("update_item", gettext_lazy("change an agenda item"), STAFF, _OPEN),
    "delete_item": Action("delete_item", gettext_lazy("remove an agenda item"), STAFF, _OPEN),
    "move_item": Action("move_item", gettext_lazy("reorder the agenda"), STAFF, _OPEN),
    "take_suggestion": Action(
        "take_suggestion", gettext_lazy("take a suggestion into the agenda"), STAFF, _OPEN
    ),
    "accept_proposal": Action("accept_proposal", gettext_lazy("accept a proposed agenda item"), STAFF, _OPEN),
    "decline_proposal": Action(
        "decline_proposal", gettext_lazy("decline a proposed agenda item"), STAFF, _OPEN
    ),
    "publish_agenda": Action("publish_agenda", gettext_lazy("publish the agenda"), STAFF, _OPEN),
    "propose_item": Action("propose_item", gettext_lazy("propose an agenda item"), OPERATOR, _OPEN),
    "withdraw_proposal": Action("withdraw_proposal", gettext_lazy("withdraw the proposal"), OPERATOR, _OPEN),
    "answer_attendance": Action("answer_attendance", gettext_lazy("say who will attend"), OPERATOR, _OPEN),
    "record_attendance": Action(
        "record_attendance", gettext_lazy("record attendance"), STAFF, _OPEN, only_if=_once_started
    ),
    "save_minutes": Action(
        "save_minutes", gettext_lazy("write the minutes"), STAFF, _OPEN, only_if=_once_started
    ),
    "publish_minutes": Action(
        "publish_minutes", gettext_lazy("publish the minutes"), STAFF, _OPEN, only_if=_once_started
    ),
    "close": Action("close", gettext_lazy("close this meeting"), STAFF, _OPEN, M.CLOSED),
    "add_action_item": Action("add_action_item", gettext_lazy("add an action item"), STAFF, _OPEN),
    "delete_action_item": Action("delete_action_item", gettext_lazy("remove an action item"), STAFF, _OPEN),
}

# An action item's follow-up goes on after the meeting is closed: its owner (the operator, or the
# administration for its own items) or the staff mark it done; the staff reopen it.
A = ActionState
ACTION_ITEM_ACTIONS = {
    "complete_action_item": Action(
        "complete_action_item",
        gettext_lazy("mark this action item done"),
        STAFF_OR_OPERATOR,
        frozenset({A.OPEN}),
        A.DONE,
    ),
    "reopen_action_item": Action(
        "reopen_action_item", gettext_lazy("reopen this action item"), STAFF, frozenset({A.DONE}), A.OPEN
    ),
}


def register_audit() -> None:
    """Make the meetings' audit entries readable on the audit trail page (from ``ready``)."""
    audit.register(MeetingSeries, SERIES_ACTIONS, url_name="control:meeting_series")
    audit.register(Meeting, ACTIONS, ACTION_ITEM_ACTIONS, url_name="control:meeting")


def _check(name: str, obj, user, **kwargs) -> Action:
    """Refuse the change ``name`` unless the tables allow it for ``user`` on ``obj`` now."""
    action = {**SERIES_ACTIONS, **ACTIONS, **ACTION_ITEM_ACTIONS}[name]
    check(action, obj, user, refused=MeetingRefused, **kwargs)
    return action


def _operator_of(user) -> int | None:
    """The operator an operator's user acts for (the administration acts for none)."""
    return getattr(user, "operator_id", None)


def horizon_end(now: dt.datetime) -> dt.datetime:
    return now + relativedelta(months=HORIZON_MONTHS)


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
    if is_one_off(series):
        return []  # its one meeting was created with it
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
    return sum(len(materialise(series, now=now)) for series in MeetingSeries.objects.exclude(rrule=""))


def is_one_off(series: MeetingSeries) -> bool:
    """A one-off meeting's series: no rule, one meeting, never shown as a series."""
    return not series.rrule


@transaction.atomic
def create_one_off(
    *,
    title: str,
    starts_at: dt.datetime,
    duration_minutes: int,
    place: str = "",
    video_link: str = "",
    invited_operators,
    user,
) -> Meeting:
    """A meeting held once, outside any series: the invited operators are invited to it alone.

    It is kept as a series without a rule holding its one meeting (so that it has everything an
    occurrence has: invitations, agenda, minutes, calendar identity); no rule change, horizon or
    extra meeting ever touches it, and the pages never show it as a series.
    """
    series = MeetingSeries(
        title=title,
        rrule="",
        first_start=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        video_link=video_link,
        created_by=user,
    )
    action = _check("create_meeting", series, user)
    series.save()
    series.invited_operators.set(invited_operators)
    meeting = Meeting.objects.create(
        series=series,
        recurrence_start=starts_at,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=duration_minutes),
        place=place,
        video_link=video_link,
        detached=True,
    )
    Invitation.objects.bulk_create([Invitation(meeting=meeting, operator=op) for op in invited_operators])
    audit.log(series, action, user, {"starts_at": starts_at, "place": place})
    return meeting


@transaction.atomic
def create_series(series: MeetingSeries, *, invited_operators, user, now=None) -> MeetingSeries:
    """Store a new series with its invitees and materialise its occurrences up to the horizon."""
    action = _check("create_series", series, user)
    series.rrule = recurrence.validate(series.rrule, series.first_start)
    series.created_by = user
    series.save()
    series.invited_operators.set(invited_operators)
    materialise(series, now=now)
    audit.log(series, action, user)
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
def update_series(series: MeetingSeries, *, invited_operators, user, now=None) -> dict[str, int]:
    """Save a changed series; only future occurrences without a record of their own follow it.

    Those whose planned start the new rule still gives take the new place, link, duration and
    invitees; the others are removed, and the rule's new occurrences are created up to the horizon.
    Past occurrences, and future ones with a record, stay exactly as they are.
    """
    action = _check("update_series", series, user)
    # As stored: the series form has given the object a rule already.
    if MeetingSeries.objects.filter(pk=series.pk, rrule="").exists():
        raise MeetingRefused(_("A one-off meeting has no series to change: move the meeting instead."))
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
    counts = {"removed": len(removed), "updated": len(kept), "created": len(created)}
    audit.log(series, action, user, counts)
    return counts


@transaction.atomic
def add_occurrence(
    series: MeetingSeries,
    *,
    starts_at,
    duration_minutes: int,
    place: str = "",
    video_link: str = "",
    user,
) -> Meeting:
    """An extra meeting of the series, outside its rule; the series' invitees are invited."""
    action = _check("add_occurrence", series, user)
    if is_one_off(series):
        raise MeetingRefused(_("A one-off meeting has no series to add a meeting to."))
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
    audit.log(series, action, user, {"starts_at": starts_at})
    return meeting


@transaction.atomic
def move(meeting: Meeting, *, starts_at, duration_minutes: int, place: str, video_link: str, user) -> Meeting:
    """Move one occurrence (its planned start stays); invitees already told get an update."""
    meeting = _locked(meeting)
    action = _check("move", meeting, user)
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
    audit.log(meeting, action, user, {"starts_at": starts_at, "place": place})
    if notify:
        _queue_mail(meeting, UPDATE)
    return meeting


@transaction.atomic
def cancel(meeting: Meeting, *, reason: str = "", user) -> Meeting:
    """Cancel one occurrence; the series goes on. Invitees already told get a cancellation."""
    meeting = _locked(meeting)
    action = _check("cancel", meeting, user)
    meeting.state = MeetingState.CANCELLED
    meeting.cancel_reason = reason.strip()
    meeting.cancelled_at = timezone.now()
    meeting.detached = True
    notify = _announce_change(meeting)
    meeting.save()
    audit.log(meeting, action, user, {"reason": meeting.cancel_reason})
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
    user,
) -> AgendaItem:
    """An item on the agenda, at its end; about one ``operator``, shown to it alone unless ``shared``."""
    meeting = _locked(meeting)
    action = _check("add_item", meeting, user)
    return _add_item(
        meeting,
        action,
        user,
        title=title,
        presenter=presenter,
        planned_minutes=planned_minutes,
        details=details,
        operator=operator,
        shared=shared,
        source=source,
        suggestion_key=suggestion_key,
        link=link,
    )


def _add_item(meeting: Meeting, action: Action, user, **fields) -> AgendaItem:
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=_next_position(meeting),
        state=AgendaState.ACCEPTED,
        decided_by=user,
        decided_at=timezone.now(),
        **fields,
    )
    audit.log(meeting, action, user, {"title": item.title})
    return item


@transaction.atomic
def update_item(item: AgendaItem, *, user, **fields) -> AgendaItem:
    meeting = _locked(item.meeting)
    action = _check("update_item", meeting, user)
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    audit.log(meeting, action, user, {"title": item.title})
    return item


@transaction.atomic
def delete_item(item: AgendaItem, *, user) -> None:
    meeting = _locked(item.meeting)
    action = _check("delete_item", meeting, user)
    item.delete()
    audit.log(meeting, action, user, {"title": item.title})


@transaction.atomic
def move_item(item: AgendaItem, *, up: bool, user) -> None:
    """Swap an agenda item with its neighbour above or below."""
    meeting = _locked(item.meeting)
    action = _check("move_item", meeting, user)
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
    audit.log(meeting, action, user, {"title": item.title})


@transaction.atomic
def take_suggestion(meeting: Meeting, key: str, *, user, now=None) -> AgendaItem:
    """Put a suggestion on the agenda, as the data describe it now."""
    from .suggestions import suggest

    meeting = _locked(meeting)
    action = _check("take_suggestion", meeting, user)
    suggestion = next((s for s in suggest(meeting, now=now) if s.key == key), None)
    if suggestion is None:
        raise MeetingRefused(_("This suggestion is no longer open, or it is on the agenda already."))
    return _add_item(
        meeting,
        action,
        user,
        title=suggestion.title,
        details=suggestion.details,
        presenter=suggestion.operator.short_name if suggestion.operator else "",
        planned_minutes=suggestion.planned_minutes,
        operator=suggestion.operator,
        source=AgendaSource.SUGGESTION,
        suggestion_key=suggestion.key,
        link=suggestion.link,
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
    action = _check("propose_item", meeting, user, operator_id=_operator_of(user))
    _invitation(meeting, user.operator_id)
    item = AgendaItem.objects.create(
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
    audit.log(meeting, action, user, {"title": title})
    return item


@transaction.atomic
def withdraw_proposal(item: AgendaItem, *, user) -> None:
    meeting = _locked(item.meeting)
    action = _check("withdraw_proposal", meeting, user, operator_id=item.operator_id)
    if item.state != AgendaState.PROPOSED:
        raise MeetingRefused(_("Only a proposal still awaiting a decision can be withdrawn."))
    item.delete()
    audit.log(meeting, action, user, {"title": item.title})


@transaction.atomic
def accept_proposal(item: AgendaItem, *, user) -> AgendaItem:
    meeting = _locked(item.meeting)
    action = _check("accept_proposal", meeting, user)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.state != AgendaState.PROPOSED:
        raise MeetingRefused(_("This proposal was decided already."))
    item.state = AgendaState.ACCEPTED
    item.position = _next_position(meeting)
    item.decided_by, item.decided_at = user, timezone.now()
    item.save()
    audit.log(meeting, action, user, {"title": item.title, "operator": item.operator})
    return item


@transaction.atomic
def decline_proposal(item: AgendaItem, *, user, reason: str = "") -> AgendaItem:
    meeting = _locked(item.meeting)
    action = _check("decline_proposal", meeting, user)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.state != AgendaState.PROPOSED:
        raise MeetingRefused(_("This proposal was decided already."))
    item.state = AgendaState.DECLINED
    item.decline_reason = reason.strip()
    item.decided_by, item.decided_at = user, timezone.now()
    item.save()
    audit.log(
        meeting, action, user, {"title": item.title, "operator": item.operator, "reason": item.decline_reason}
    )
    return item


@transaction.atomic
def publish_agenda(meeting: Meeting, *, user) -> Meeting:
    """Send the agenda to the invitees with the calendar invitation (an update after the first)."""
    meeting = _locked(meeting)
    action = _check("publish_agenda", meeting, user)
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
    audit.log(meeting, action, user)
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
    action = _check("answer_attendance", meeting, user, operator_id=_operator_of(user))
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
    audit.log(meeting, action, user, {"operator": invitation.operator, "note": invitation.note})
    return invitation


@transaction.atomic
def record_attendance(meeting: Meeting, *, attended_ids, administration_attendees: str = "", user) -> Meeting:
    """Staff record, at the meeting, who of the named people attended."""
    meeting = _locked(meeting)
    action = _check("record_attendance", meeting, user)
    Attendee.objects.filter(invitation__meeting=meeting).update(
        attended=Case(When(pk__in=list(attended_ids), then=Value(True)), default=Value(False))
    )
    meeting.administration_attendees = administration_attendees.strip()
    meeting.save(update_fields=["administration_attendees"])
    audit.log(meeting, action, user)
    return meeting


# --- Minutes, action items, closing ------------------------------------------------------------


@transaction.atomic
def save_minutes(meeting: Meeting, *, text: str, user) -> Meeting:
    meeting = _locked(meeting)
    action = _check("save_minutes", meeting, user)
    meeting.minutes = text.strip()
    meeting.save(update_fields=["minutes"])
    audit.log(meeting, action, user)
    return meeting


@transaction.atomic
def publish_minutes(meeting: Meeting, *, user) -> Meeting:
    """Send the minutes and the action items to the attendees; operators read them in the portal."""
    meeting = _locked(meeting)
    action = _check("publish_minutes", meeting, user)
    if not meeting.minutes.strip():
        raise MeetingRefused(_("Write the minutes before publishing them."))
    meeting.minutes_published_at = timezone.now()
    meeting.save(update_fields=["minutes_published_at"])
    audit.log(meeting, action, user)
    _queue_mail(meeting, "minutes")
    return meeting


@transaction.atomic
def close(meeting: Meeting, *, user) -> Meeting:
    """Close a meeting that was held: from now on its record is read-only."""
    meeting = _locked(meeting)
    action = _check("close", meeting, user)
    if meeting.starts_at > timezone.now():
        raise MeetingRefused(_("A meeting can be closed only once it has started."))
    meeting.state = MeetingState.CLOSED
    meeting.closed_at = timezone.now()
    meeting.closed_by = user
    meeting.save(update_fields=["state", "closed_at", "closed_by"])
    audit.log(meeting, action, user)
    return meeting


@transaction.atomic
def add_action_item(
    meeting: Meeting,
    *,
    title: str,
    due_on: dt.date,
    operator: Operator | None = None,
    details: str = "",
    user,
) -> ActionItem:
    """A decision to carry out: owned by an invited operator, told by mail at once, or by the
    administration (None)."""
    meeting = _locked(meeting)
    action = _check("add_action_item", meeting, user)
    if operator is not None:
        _invitation(meeting, operator.pk)
    item = ActionItem.objects.create(
        meeting=meeting, title=title, details=details, operator=operator, due_on=due_on, created_by=user
    )
    audit.log(meeting, action, user, {"title": title, "operator": operator})
    mail.action_item_assigned(item)  # its operator is told at once, not only by its reminders
    return item


@transaction.atomic
def delete_action_item(item: ActionItem, *, user) -> None:
    meeting = _locked(item.meeting)
    action = _check("delete_action_item", meeting, user)
    item.delete()
    audit.log(meeting, action, user, {"title": item.title})


def _locked_item(item: ActionItem) -> ActionItem:
    return (
        ActionItem.objects.select_for_update(of=("self",)).select_related("meeting__series").get(pk=item.pk)
    )


@transaction.atomic
def complete_action_item(item: ActionItem, *, user, note: str = "") -> ActionItem:
    """Mark an action item done; allowed after the meeting was closed: follow-up goes on."""
    item = _locked_item(item)
    action = _check("complete_action_item", item, user)
    item.state = ActionState.DONE
    item.done_at = timezone.now()
    item.done_by = user
    item.done_note = note.strip()
    item.save()
    audit.log(item.meeting, action, user, {"title": item.title, "note": item.done_note})
    return item


@transaction.atomic
def reopen_action_item(item: ActionItem, *, user) -> ActionItem:
    """The administration reopens an action item it does not consider done."""
    item = _locked_item(item)
    action = _check("reopen_action_item", item, user)
    item.state = ActionState.OPEN
    item.done_at = None
    item.done_by = None
    item.save()
    audit.log(item.meeting, action, user, {"title": item.title})
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
