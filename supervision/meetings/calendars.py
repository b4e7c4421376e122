"""iCalendar files: invitations, updates and cancellations by e-mail, and each user's private feed.

One occurrence is one VEVENT with a UID that never changes (``Meeting.uid``) and a SEQUENCE that
grows with every change sent (``Meeting.sequence``), so a calendar program replaces the event it
has instead of adding a second one (RFC 5546). Invitations and updates are ``METHOD:REQUEST``,
cancellations ``METHOD:CANCEL`` with ``STATUS:CANCELLED``. The feed is a plain published calendar
(no METHOD) that calendar programs poll.
"""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, TimezoneStandard, vCalAddress, vText

from supervision.core.dates import local_time

from .models import Meeting

PRODID = "-//Shandong Communications Administration//Number portability supervision desk//ZH"
REQUEST, CANCEL = "REQUEST", "CANCEL"


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.uid}@{_domain()}"


def _calendar(method: str | None = None, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Asia/Shanghai")
    calendar.add_component(_shanghai())
    return calendar


def _shanghai() -> Timezone:
    """Asia/Shanghai as a VTIMEZONE: UTC+8 all year, no daylight saving since 1991."""
    zone = Timezone()
    zone.add("tzid", "Asia/Shanghai")
    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", dt.timedelta(hours=8))
    standard.add("tzoffsetto", dt.timedelta(hours=8))
    standard.add("tzname", "CST")
    zone.add_component(standard)
    return zone


def _organizer() -> vCalAddress:
    organizer = vCalAddress(f"mailto:{settings.REPLY_TO_EMAIL}")
    organizer.params["cn"] = vText(str(settings.ADMINISTRATION_NAME))
    return organizer


def agenda_lines(meeting: Meeting, viewer=None) -> list[str]:
    """The published agenda as numbered lines, as ``viewer`` reads it (``AgendaItemQuerySet.shown_to``;
    ``None``: the items shared with every operator). Uses ``meeting.agenda`` when the caller
    prefetched it, filtered for the same person."""
    items = getattr(meeting, "agenda", None)
    if items is None:
        items = meeting.agenda_items.accepted().shown_to(viewer).select_related("operator")
    lines = []
    for number, item in enumerate(items, start=1):
        who = f" — {item.presenter}" if item.presenter else ""
        lines.append(
            _("%(n)s. %(title)s%(who)s (%(minutes)s min)")
            % {"n": number, "title": item.title, "who": who, "minutes": item.planned_minutes}
        )
    return lines


def _description(meeting: Meeting, url: str | None, viewer=None) -> str:
    parts = []
    if meeting.video_link:
        parts.append(_("Video link: %(link)s") % {"link": meeting.video_link})
    if meeting.agenda_published_at:
        lines = agenda_lines(meeting, viewer)
        if lines:
            parts.append(_("Agenda:") + "\n" + "\n".join(lines))
    if meeting.is_cancelled and meeting.cancel_reason:
        parts.append(_("Cancelled: %(reason)s") % {"reason": meeting.cancel_reason})
    if url:
        parts.append(url)
    return "\n\n".join(parts)


def meeting_event(
    meeting: Meeting,
    *,
    url: str | None = None,
    attendee=None,
    stamp: dt.datetime | None = None,
    viewer=None,
) -> Event:
    """The occurrence as a VEVENT, in the active language; ``attendee`` the user it is sent to,
    ``viewer`` the user who reads it (the attendee when not given): the agenda is theirs."""
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", (stamp or timezone.now()).astimezone(dt.UTC))
    event.add("dtstart", local_time(meeting.starts_at))
    event.add("dtend", local_time(meeting.ends_at))
    event.add("summary", meeting.title)
    location = meeting.place or meeting.video_link
    if location:
        event.add("location", location)
    description = _description(meeting, url, viewer if viewer is not None else attendee)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _organizer())
    if attendee is not None and attendee.email:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = vText(str(attendee))
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION")
        # Attendance is answered in the portal, per operator: no e-mail replies are expected.
        address.params["rsvp"] = vText("FALSE")
        event.add("attendee", address)
    return event


def invitation_ics(meeting: Meeting, *, method: str, attendee, url: str | None = None) -> bytes:
    """The file an invitation (``REQUEST``) or a cancellation (``CANCEL``) carries."""
    calendar = _calendar(method)
    calendar.add_component(meeting_event(meeting, url=url, attendee=attendee))
    return calendar.to_ical()


def download_ics(meeting: Meeting, url: str | None = None, *, viewer=None) -> bytes:
    """The occurrence as a file to import by hand (published, not an invitation), for ``viewer``."""
    calendar = _calendar("PUBLISH")
    calendar.add_component(meeting_event(meeting, url=url, viewer=viewer))
    return calendar.to_ical()


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def feed_path(token: str) -> str:
    """The path of a private feed (``supervision/meetings/urls.py``, included at the site's root)."""
    return reverse("calendar_feed", kwargs={"token": token})


def _page(name: str, pk: int) -> str:
    return absolute(reverse(name, args=[pk]))


def feed_ics(user, *, meetings, interviews=(), orders=(), name: str) -> bytes:
    """A user's feed: their meetings (cancelled ones marked so), interviews and order deadlines."""
    calendar = _calendar(name=name)
    stamp = timezone.now()
    face = "control" if user.is_regulator else "portal"
    for meeting in meetings:
        url = absolute(reverse(f"{face}:meeting", args=[meeting.pk]))
        calendar.add_component(meeting_event(meeting, url=url, stamp=stamp, viewer=user))
    for interview in interviews:
        event = Event()
        event.add("uid", f"interview-{interview.pk}@{_domain()}")
        event.add("dtstamp", stamp.astimezone(dt.UTC))
        event.add("dtstart", local_time(interview.scheduled_at))
        event.add("dtend", local_time(interview.scheduled_at) + dt.timedelta(hours=1))
        event.add("summary", _("Interview: %(operator)s") % {"operator": interview.operator.short_name})
        if interview.place:
            event.add("location", interview.place)
        event.add("url", _page(f"{face}:interview", interview.pk))
        calendar.add_component(event)
    for order in orders:
        event = Event()
        event.add("uid", f"order-deadline-{order.pk}@{_domain()}")
        event.add("dtstamp", stamp.astimezone(dt.UTC))
        deadline = local_time(order.deadline)
        # A deadline is a moment, shown as a short event ending at it.
        event.add("dtstart", deadline - dt.timedelta(minutes=30))
        event.add("dtend", deadline)
        event.add(
            "summary",
            _("Rectification deadline: %(operator)s %(title)s")
            % {"operator": order.operator.short_name, "title": order.title},
        )
        event.add("transp", "TRANSPARENT")
        event.add("url", _page(f"{face}:order", order.pk))
        calendar.add_component(event)
    return calendar.to_ical()
