"""What else is on at a meeting's or an interview's time: the clashes a form warns of before saving.

Two of the administration's appointments (a consultation meeting, an interview) clash when their
times overlap. The warning names what they share: the **operator** (interviewed at one and invited
to the other, or invited to both), the **room** (the same place), or else only the **time** (the
administration's people are expected at both). A clash refuses nothing: the form page lists the
clashes and saves only when the user ticks "save anyway" (``SAVE_ANYWAY``).

Cancelled meetings and withdrawn interview drafts are no longer on; an interview takes its room
for ``interviews.DURATION``. Two queries whatever the number of times asked about (a series' every
meeting up to the horizon): the appointments of the whole span, matched here.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from supervision.casework import interviews
from supervision.casework.models import InterviewNotice, InterviewState

from . import recurrence
from .models import Invitation, Meeting, MeetingSeries, MeetingState

# The checkbox of the form pages: the user has seen the clashes and saves all the same.
SAVE_ANYWAY = "save_anyway"


@dataclass(frozen=True)
class Clash:
    kind: str  # "meeting" or "interview"
    pk: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    operators: tuple  # the operators both concern
    same_room: bool

    @property
    def url_name(self) -> str:
        return f"control:{self.kind}"

    @property
    def reasons(self) -> list[str]:
        """What the two share, in the reader's language."""
        found = []
        if self.operators:
            names = "、".join(op.short_name for op in self.operators)  # in the reader's language
            found.append(_("the same operator: %(operators)s") % {"operators": names})
        if self.same_room:
            found.append(_("the same room: %(place)s") % {"place": self.place})
        return found or [_("the same time")]


def _room(place: str) -> str:
    return " ".join((place or "").split()).casefold()


def _overlaps(start, end, slots) -> bool:
    return any(start < slot_end and slot_start < end for slot_start, slot_end in slots)


def find(
    slots: list[tuple[dt.datetime, dt.datetime]],
    *,
    place: str = "",
    operator_ids=(),
    exclude_meetings=None,
    exclude_series: int | None = None,
    exclude_interview: int | None = None,
) -> list[Clash]:
    """The meetings and interviews overlapping any of ``slots`` (start, end), soonest first."""
    if not slots:
        return []
    first = min(start for start, _end in slots)
    last = max(end for _start, end in slots)
    operator_ids = set(operator_ids)
    room = _room(place)
    meetings = (
        Meeting.objects.filter(starts_at__lt=last, ends_at__gt=first)
        .exclude(state=MeetingState.CANCELLED)
        .select_related("series")
        .prefetch_related(Prefetch("invitations", queryset=Invitation.objects.select_related("operator")))
    )
    if exclude_meetings:
        meetings = meetings.exclude(pk__in=list(exclude_meetings))
    if exclude_series:
        meetings = meetings.exclude(series=exclude_series)
    notices = (
        InterviewNotice.objects.filter(scheduled_at__lt=last, scheduled_at__gt=first - interviews.DURATION)
        .exclude(state=InterviewState.WITHDRAWN)
        .select_related("operator")
    )
    if exclude_interview:
        notices = notices.exclude(pk=exclude_interview)
    found = []
    for meeting in meetings:
        if not _overlaps(meeting.starts_at, meeting.ends_at, slots):
            continue
        shared = [inv.operator for inv in meeting.invitations.all() if inv.operator_id in operator_ids]
        found.append(
            Clash(
                "meeting",
                meeting.pk,
                meeting.title,
                meeting.starts_at,
                meeting.ends_at,
                meeting.place,
                tuple(shared),
                bool(room) and _room(meeting.place) == room,
            )
        )
    for notice in notices:
        ends_at = notice.scheduled_at + interviews.DURATION
        if not _overlaps(notice.scheduled_at, ends_at, slots):
            continue
        shared = [notice.operator] if notice.operator_id in operator_ids else []
        found.append(
            Clash(
                "interview",
                notice.pk,
                _("Interview: %(operator)s") % {"operator": notice.operator.short_name},
                notice.scheduled_at,
                ends_at,
                notice.place,
                tuple(shared),
                bool(room) and _room(notice.place) == room,
            )
        )
    return sorted(found, key=lambda clash: (clash.starts_at, clash.kind, clash.pk))


def for_meeting(
    starts_at: dt.datetime,
    duration_minutes: int,
    *,
    place: str = "",
    operator_ids=(),
    exclude_meeting: int | None = None,
) -> list[Clash]:
    """What clashes with one meeting at ``starts_at`` (a one-off, an extra one, one moved)."""
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    exclude = [exclude_meeting] if exclude_meeting else None
    return find([(starts_at, ends_at)], place=place, operator_ids=operator_ids, exclude_meetings=exclude)


def for_series(series: MeetingSeries, *, operator_ids, now: dt.datetime, until: dt.datetime) -> list[Clash]:
    """What clashes with the meetings the series' rule gives from ``now`` to ``until`` (not with
    the series' own meetings)."""
    starts = recurrence.expand(series.rrule, series.first_start, max(series.first_start, now), until)
    length = dt.timedelta(minutes=series.duration_minutes)
    return find(
        [(start, start + length) for start in starts],
        place=series.place,
        operator_ids=operator_ids,
        exclude_series=series.pk,
    )


def for_interview(
    scheduled_at: dt.datetime, *, place: str, operator_id: int, exclude_interview: int | None = None
) -> list[Clash]:
    """What clashes with an interview of the operator ``operator_id`` at ``scheduled_at``."""
    return find(
        [(scheduled_at, scheduled_at + interviews.DURATION)],
        place=place,
        operator_ids=[operator_id],
        exclude_interview=exclude_interview,
    )
