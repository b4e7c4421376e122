"""Recurrence rules (iCalendar RRULE) expanded in Asia/Shanghai local time.

The rule runs on naive local date-times from the local time of the series' first start, and each
date-time it yields is then given the zone. Expanding in UTC would turn "14:30 on the first
Thursday" into "06:30 UTC on the first Thursday", which is the same here only because Shanghai has
no daylight saving; in local time it stays right whatever the zone, and month ends follow the
rule's own semantics (RFC 5545): ``BYMONTHDAY=31`` skips the months without a 31st,
``BYMONTHDAY=-1`` is each month's last day, ``BYDAY=-1FR`` its last Friday.
"""

import datetime as dt
from dataclasses import dataclass

from dateutil.rrule import rrulestr
from django.utils.translation import gettext_lazy as _

from supervision.core.dates import end_of_day, from_wall_time, local_date, wall_time

WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
# Safety net: no series needs more occurrences than this in one expansion.
MAX_OCCURRENCES = 1000


class RuleError(ValueError):
    """A recurrence rule that cannot be used; the message says why."""


class Pattern:
    """The patterns the series form offers; each becomes an RRULE built from the first date."""

    MONTHLY_WEEKDAY = "monthly_weekday"
    MONTHLY_LAST_WEEKDAY = "monthly_last_weekday"
    MONTHLY_DAY = "monthly_day"
    MONTHLY_LAST_DAY = "monthly_last_day"
    WEEKLY = "weekly"

    CHOICES = [
        (MONTHLY_WEEKDAY, _("Monthly, on the same weekday of the month (e.g. the first Thursday)")),
        (MONTHLY_LAST_WEEKDAY, _("Monthly, on the last such weekday of the month (e.g. the last Friday)")),
        (MONTHLY_DAY, _("Monthly, on the same day of the month (months without that day are skipped)")),
        (MONTHLY_LAST_DAY, _("Monthly, on the last day of the month")),
        (WEEKLY, _("Weekly, on the same weekday")),
    ]


def build_rule(pattern: str, first_day: dt.date, *, interval: int = 1, until: dt.date | None = None) -> str:
    """The RRULE for a pattern, taking weekday and day of month from the first meeting's date."""
    weekday = WEEKDAY_CODES[first_day.weekday()]
    if pattern == Pattern.MONTHLY_WEEKDAY:
        nth = (first_day.day - 1) // 7 + 1
        # A fifth weekday does not exist in every month: the rule says "the last" instead.
        parts = ["FREQ=MONTHLY", f"BYDAY={nth if nth < 5 else -1}{weekday}"]
    elif pattern == Pattern.MONTHLY_LAST_WEEKDAY:
        parts = ["FREQ=MONTHLY", f"BYDAY=-1{weekday}"]
    elif pattern == Pattern.MONTHLY_DAY:
        parts = ["FREQ=MONTHLY", f"BYMONTHDAY={first_day.day}"]
    elif pattern == Pattern.MONTHLY_LAST_DAY:
        parts = ["FREQ=MONTHLY", "BYMONTHDAY=-1"]
    elif pattern == Pattern.WEEKLY:
        parts = ["FREQ=WEEKLY", f"BYDAY={weekday}"]
    else:
        raise RuleError(_("Unknown repetition pattern."))
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if until:
        # UNTIL in UTC, at the end of that local day, as RFC 5545 asks when DTSTART has a zone.
        end = end_of_day(until).astimezone(dt.UTC)
        parts.append(f"UNTIL={end:%Y%m%dT%H%M%SZ}")
    return ";".join(parts)


def _parse(rule: str, first_start: dt.datetime):
    text = rule.strip().removeprefix("RRULE:")
    if not text or "\n" in text or "DTSTART" in text.upper():
        raise RuleError(_("Write one RRULE, e.g. FREQ=MONTHLY;BYDAY=1TH, without DTSTART."))
    local_first = wall_time(first_start)
    try:
        # dateutil wants UNTIL naive when DTSTART is naive; a UTC UNTIL is turned into local time.
        parsed = rrulestr(text, dtstart=local_first, ignoretz=True)
        until = _until_utc(text)
        if until is not None:
            parsed = parsed.replace(until=wall_time(until))
    except (ValueError, TypeError) as error:
        raise RuleError(_("This recurrence rule cannot be read: %(error)s") % {"error": error}) from None
    return parsed


def _until_utc(text: str) -> dt.datetime | None:
    for part in text.upper().split(";"):
        key, _sep, value = part.partition("=")
        if key == "UNTIL" and value.endswith("Z"):
            return dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    return None


def validate(rule: str, first_start: dt.datetime) -> str:
    """The rule, cleaned; RuleError when it cannot be read or yields no meeting at all."""
    parsed = _parse(rule, first_start)
    freq = dict(p.partition("=")[::2] for p in rule.upper().split(";") if p).get("FREQ", "")
    if freq in {"HOURLY", "MINUTELY", "SECONDLY"}:
        raise RuleError(_("A meeting repeats daily at most."))
    if next(iter(parsed), None) is None:
        raise RuleError(_("This rule gives no meeting at all."))
    return rule.strip().removeprefix("RRULE:")


def expand(rule: str, first_start: dt.datetime, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """The rule's start times in ``[start, end]``, aware (Asia/Shanghai), oldest first."""
    parsed = _parse(rule, first_start)
    local_start = wall_time(start)
    local_end = wall_time(end)
    found = []
    for occurrence in parsed.xafter(local_start, inc=True, count=MAX_OCCURRENCES):
        if occurrence > local_end:
            break
        found.append(from_wall_time(occurrence))
    return found


@dataclass(frozen=True)
class RuleParts:
    """What the series form shows for an existing rule, when it is one of its patterns."""

    pattern: str | None
    interval: int
    until: dt.date | None


def describe_parts(rule: str, first_start: dt.datetime) -> RuleParts:
    """Recognise a rule built by ``build_rule``; ``pattern`` None for any other rule."""
    local = local_date(first_start)
    interval, until = 1, None
    parts = dict(p.partition("=")[::2] for p in rule.upper().split(";") if p)
    if "INTERVAL" in parts and parts["INTERVAL"].isdigit():
        interval = int(parts["INTERVAL"])
    utc_until = _until_utc(rule)
    if utc_until:
        until = local_date(utc_until)
    for pattern, _label in Pattern.CHOICES:
        if build_rule(pattern, local, interval=interval, until=until).upper() == rule.upper():
            return RuleParts(pattern, interval, until)
    return RuleParts(None, interval, until)
