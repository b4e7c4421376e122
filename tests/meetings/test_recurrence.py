"""Recurrence rules expanded in Beijing local time, month ends as the rule says."""

import datetime as dt

import pytest

from supervision.core.models import SHANGHAI
from supervision.meetings import recurrence
from supervision.meetings.recurrence import Pattern

from .conftest import local


def expand(rule, first, until):
    return [f"{d:%Y-%m-%d %H:%M %a}" for d in recurrence.expand(rule, first, first, until)]


def test_first_thursday_at_half_past_two_stays_local():
    dates = recurrence.expand(
        "FREQ=MONTHLY;BYDAY=1TH", local(2026, 12, 3), local(2026, 12, 1), local(2027, 5, 31)
    )
    assert [f"{d:%Y-%m-%d}" for d in dates] == [
        "2026-12-03",
        "2027-01-07",
        "2027-02-04",
        "2027-03-04",
        "2027-04-01",
        "2027-05-06",
    ]
    assert {(d.weekday(), d.hour, d.minute, d.utcoffset()) for d in dates} == {
        (3, 14, 30, dt.timedelta(hours=8))
    }
    # 14:30 in Jinan is 06:30 UTC.
    assert dates[0].astimezone(dt.UTC).hour == 6


def test_the_31st_skips_the_months_without_one():
    assert expand("FREQ=MONTHLY;BYMONTHDAY=31", local(2027, 1, 31, 9, 0), local(2027, 12, 31, 23, 0)) == [
        "2027-01-31 09:00 Sun",
        "2027-03-31 09:00 Wed",
        "2027-05-31 09:00 Mon",
        "2027-07-31 09:00 Sat",
        "2027-08-31 09:00 Tue",
        "2027-10-31 09:00 Sun",
        "2027-12-31 09:00 Fri",
    ]


def test_the_last_day_of_each_month_knows_february_and_leap_years():
    dates = recurrence.expand(
        "FREQ=MONTHLY;BYMONTHDAY=-1", local(2027, 1, 31), local(2027, 1, 1), local(2028, 3, 31)
    )
    days = [f"{d:%Y-%m-%d}" for d in dates]
    assert "2027-02-28" in days and "2028-02-29" in days
    assert "2027-04-30" in days and "2027-12-31" in days
    assert len(days) == 15


def test_the_last_friday_across_month_ends():
    assert expand("FREQ=MONTHLY;BYDAY=-1FR", local(2026, 12, 25), local(2027, 4, 30, 23, 0)) == [
        "2026-12-25 14:30 Fri",
        "2027-01-29 14:30 Fri",
        "2027-02-26 14:30 Fri",
        "2027-03-26 14:30 Fri",
        "2027-04-30 14:30 Fri",
    ]


def test_the_window_is_inclusive_and_in_local_time():
    # A window given in UTC still means the local days: 3 Dec 14:30 Jinan is 06:30 UTC.
    start = dt.datetime(2026, 12, 3, 6, 30, tzinfo=dt.UTC)
    dates = recurrence.expand("FREQ=MONTHLY;BYDAY=1TH", local(2026, 1, 1), start, start)
    assert dates == [local(2026, 12, 3)]


@pytest.mark.parametrize(
    ("pattern", "day", "rule"),
    [
        (Pattern.MONTHLY_WEEKDAY, dt.date(2026, 12, 3), "FREQ=MONTHLY;BYDAY=1TH"),
        (Pattern.MONTHLY_WEEKDAY, dt.date(2026, 12, 15), "FREQ=MONTHLY;BYDAY=3TU"),
        # A fifth Thursday is not in every month: the rule says "the last Thursday".
        (Pattern.MONTHLY_WEEKDAY, dt.date(2026, 10, 29), "FREQ=MONTHLY;BYDAY=-1TH"),
        (Pattern.MONTHLY_LAST_WEEKDAY, dt.date(2026, 12, 25), "FREQ=MONTHLY;BYDAY=-1FR"),
        (Pattern.MONTHLY_DAY, dt.date(2027, 1, 31), "FREQ=MONTHLY;BYMONTHDAY=31"),
        (Pattern.MONTHLY_LAST_DAY, dt.date(2027, 1, 31), "FREQ=MONTHLY;BYMONTHDAY=-1"),
        (Pattern.WEEKLY, dt.date(2026, 12, 1), "FREQ=WEEKLY;BYDAY=TU"),
    ],
)
def test_patterns_become_rules(pattern, day, rule):
    assert recurrence.build_rule(pattern, day) == rule


def test_quarterly_until_a_local_day():
    rule = recurrence.build_rule(
        Pattern.MONTHLY_WEEKDAY, dt.date(2026, 12, 3), interval=3, until=dt.date(2027, 9, 2)
    )
    # UNTIL is the end of that Beijing day, in UTC.
    assert rule == "FREQ=MONTHLY;BYDAY=1TH;INTERVAL=3;UNTIL=20270902T155959Z"
    first = local(2026, 12, 3)
    assert [f"{d:%Y-%m-%d}" for d in recurrence.expand(rule, first, first, local(2030, 1, 1))] == [
        "2026-12-03",
        "2027-03-04",
        "2027-06-03",
        "2027-09-02",
    ]
    parts = recurrence.describe_parts(rule, first)
    assert (parts.pattern, parts.interval, parts.until) == (Pattern.MONTHLY_WEEKDAY, 3, dt.date(2027, 9, 2))


def test_a_rule_the_form_cannot_show_is_kept_as_text():
    parts = recurrence.describe_parts("FREQ=MONTHLY;BYDAY=1TH,3TH", local(2026, 12, 3))
    assert parts.pattern is None


@pytest.mark.parametrize(
    "rule",
    [
        "",
        "FREQ=SOMETIMES",
        "not a rule",
        "FREQ=HOURLY",
        "FREQ=MONTHLY;BYMONTHDAY=30;BYMONTH=2",
        "DTSTART:20261203",
    ],
)
def test_unusable_rules_are_refused(rule):
    with pytest.raises(recurrence.RuleError):
        recurrence.validate(rule, dt.datetime(2026, 12, 3, 14, 30, tzinfo=SHANGHAI))
