"""Dates as the administration reads them: every deadline and every month is local to Asia/Shanghai.

One definition each of "today", "the local date of a moment", "the end of a deadline's day" and
the month arithmetic the figures use (a *month* is the ``date`` of its first day). Nothing here
reads the database, so every app may import it.

The reminders keep their own clock (``reminders.clock``: a time that the scheduler may be told
to pretend), and read their dates from it.
"""

import calendar
import datetime as dt
import zoneinfo

from django.utils import timezone

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


# --- Days ----------------------------------------------------------------------------------------


def today() -> dt.date:
    """Today in Asia/Shanghai."""
    return timezone.localdate(timezone=SHANGHAI)


def local_date(moment: dt.datetime) -> dt.date:
    """The date of ``moment`` in Asia/Shanghai (16:30 UTC on 31 December is 1 January there)."""
    return timezone.localtime(moment, SHANGHAI).date()


def start_of_day(day: dt.date) -> dt.datetime:
    """00:00 on ``day`` in Asia/Shanghai: the first instant of that day (and of a month, on its 1st)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=SHANGHAI)


def end_of_day(day: dt.date) -> dt.datetime:
    """A deadline falling on ``day``: 23:59:59 that day in Asia/Shanghai."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=SHANGHAI)


# --- Months --------------------------------------------------------------------------------------


def add_months(month: dt.date, count: int) -> dt.date:
    """The first day of the month ``count`` months after ``month``'s (before it when negative).

    Only the month of ``month`` matters: ``add_months(31 January, 1)`` is 1 February."""
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def next_month(month: dt.date) -> dt.date:
    """The first day of the month after ``month``'s: where a month's half-open range ends."""
    return add_months(month, 1)


def month_end(month: dt.date) -> dt.date:
    """The last day of ``month``'s month (29 February in a leap year)."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def month_range(last: dt.date, count: int) -> list[dt.date]:
    """The ``count`` months that end with ``last``'s, oldest first (first days of the months)."""
    return [add_months(last, -k) for k in range(count - 1, -1, -1)]


def month_label(month: dt.date) -> str:
    """``2026-09``: a month as the pages' addresses, filters and chart axes write it."""
    return f"{month.year:04d}-{month.month:02d}"


def month_of(day: dt.date) -> dt.date:
    """The month ``day`` is in: the first day of that month, as months are stored and counted."""
    return day.replace(day=1)


# --- Moments -------------------------------------------------------------------------------------


def local_time(moment: dt.datetime) -> dt.datetime:
    """``moment`` as a clock in Asia/Shanghai shows it (aware): what a page, a mail or a file name
    writes, and the year a document number counts in."""
    return timezone.localtime(moment, SHANGHAI)


def moment_label(moment: dt.datetime) -> str:
    """``2027-01-01 00:30``: a moment to the minute in Asia/Shanghai, as audit lines, a case's
    timeline and the reminders' subjects write it."""
    return f"{local_time(moment):%Y-%m-%d %H:%M}"


def local_moment(day: dt.date, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    """``hour:minute:second`` on ``day`` in Asia/Shanghai (a time of day as people set it)."""
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=SHANGHAI)


def wall_time(moment: dt.datetime) -> dt.datetime:
    """``moment``'s Asia/Shanghai clock time without its zone: what a recurrence rule (dateutil's
    ``rrule``) counts in, so that "the first Thursday at 14:30" stays 14:30."""
    return timezone.localtime(moment, SHANGHAI).replace(tzinfo=None)


def from_wall_time(naive: dt.datetime) -> dt.datetime:
    """A zone-less Asia/Shanghai clock time (``wall_time``'s kind) made aware again. Never
    ambiguous: Asia/Shanghai has kept UTC+8 all year since 1991."""
    return naive.replace(tzinfo=SHANGHAI)
