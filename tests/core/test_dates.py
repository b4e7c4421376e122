"""``core.dates``: the one month arithmetic and the one local day, at the year's end, on a leap
day and at the ends of months."""

import datetime as dt

import pytest
import time_machine

from supervision.core import dates
from supervision.core.dates import (
    SHANGHAI,
    add_months,
    end_of_day,
    local_date,
    month_end,
    month_label,
    month_range,
    next_month,
    start_of_day,
)

UTC = dt.UTC


@pytest.mark.parametrize(
    "month, count, expected",
    [
        (dt.date(2026, 12, 1), 1, dt.date(2027, 1, 1)),  # over the year's end
        (dt.date(2027, 1, 1), -1, dt.date(2026, 12, 1)),  # back over it
        (dt.date(2026, 11, 1), 2, dt.date(2027, 1, 1)),
        (dt.date(2026, 10, 1), -12, dt.date(2025, 10, 1)),  # the same month a year before
        (dt.date(2026, 1, 1), -13, dt.date(2024, 12, 1)),
        (dt.date(2026, 12, 1), -35, dt.date(2024, 1, 1)),  # the charts' three years
        (dt.date(2026, 12, 1), 25, dt.date(2029, 1, 1)),
        (dt.date(2026, 6, 1), 0, dt.date(2026, 6, 1)),
    ],
)
def test_add_months_crosses_years(month, count, expected):
    assert add_months(month, count) == expected


@pytest.mark.parametrize(
    "day, count, expected",
    [
        # A month is its first day, whatever the day given: 31 January + 1 is February, not 3 March.
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 1)),
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 1)),
        (dt.date(2026, 12, 31), 1, dt.date(2027, 1, 1)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 1)),  # a leap day, a year on
        (dt.date(2024, 2, 29), -48, dt.date(2020, 2, 1)),
        (dt.date(2024, 2, 29), 1, dt.date(2024, 3, 1)),
    ],
)
def test_add_months_keeps_only_the_month_of_a_day(day, count, expected):
    assert add_months(day, count) == expected


@pytest.mark.parametrize(
    "month, last_day",
    [
        (dt.date(2024, 2, 1), dt.date(2024, 2, 29)),  # leap year
        (dt.date(2026, 2, 14), dt.date(2026, 2, 28)),
        (dt.date(2000, 2, 1), dt.date(2000, 2, 29)),  # divisible by 400: leap
        (dt.date(2100, 2, 1), dt.date(2100, 2, 28)),  # divisible by 100 only: not leap
        (dt.date(2026, 4, 30), dt.date(2026, 4, 30)),
        (dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
    ],
)
def test_month_end(month, last_day):
    assert month_end(month) == last_day


def test_next_month_is_where_a_month_ends():
    assert next_month(dt.date(2026, 12, 31)) == dt.date(2027, 1, 1)
    assert next_month(dt.date(2024, 2, 29)) == dt.date(2024, 3, 1)
    assert next_month(dt.date(2026, 1, 31)) == dt.date(2026, 2, 1)


def test_month_range_ends_with_the_month_and_crosses_years():
    assert month_range(dt.date(2026, 2, 1), 3) == [
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]
    assert month_range(dt.date(2026, 2, 28), 1) == [dt.date(2026, 2, 1)]
    months = month_range(dt.date(2026, 9, 1), 36)
    assert len(months) == 36 and months[0] == dt.date(2023, 10, 1) and months[-1] == dt.date(2026, 9, 1)
    assert months == sorted(set(months))


def test_month_label():
    assert month_label(dt.date(2026, 9, 1)) == "2026-09"
    assert month_label(dt.date(2026, 12, 31)) == "2026-12"


def test_a_deadline_ends_its_day_in_shanghai():
    deadline = end_of_day(dt.date(2026, 12, 31))
    assert deadline == dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=SHANGHAI)
    assert deadline.astimezone(UTC) == dt.datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC)
    assert local_date(deadline) == dt.date(2026, 12, 31)
    assert start_of_day(dt.date(2027, 1, 1)) == dt.datetime(2027, 1, 1, tzinfo=SHANGHAI)
    assert start_of_day(dt.date(2027, 1, 1)) - deadline == dt.timedelta(seconds=1)


def test_the_local_date_is_shanghais():
    # 16:30 UTC on New Year's Eve is half past midnight on 1 January in Shanghai.
    assert local_date(dt.datetime(2026, 12, 31, 16, 30, tzinfo=UTC)) == dt.date(2027, 1, 1)
    assert local_date(dt.datetime(2026, 12, 31, 15, 59, tzinfo=UTC)) == dt.date(2026, 12, 31)
    # The evening of 28 February 2024 (UTC) is already the leap day there.
    assert local_date(dt.datetime(2024, 2, 28, 17, 0, tzinfo=UTC)) == dt.date(2024, 2, 29)


def test_today_is_shanghais_whatever_the_server_zone(settings):
    settings.TIME_ZONE = "UTC"
    with time_machine.travel(dt.datetime(2026, 12, 31, 16, 30, tzinfo=UTC), tick=False):
        assert dates.today() == dt.date(2027, 1, 1)
    with time_machine.travel(dt.datetime(2024, 2, 28, 16, 0, tzinfo=UTC), tick=False):
        assert dates.today() == dt.date(2024, 2, 29)


def test_the_zone_is_the_one_the_models_name():
    from supervision.core.models import SHANGHAI as models_shanghai

    assert models_shanghai is SHANGHAI


@pytest.mark.parametrize(
    "day, month",
    [
        (dt.date(2026, 12, 31), dt.date(2026, 12, 1)),
        (dt.date(2024, 2, 29), dt.date(2024, 2, 1)),  # the leap day
        (dt.date(2027, 1, 1), dt.date(2027, 1, 1)),
    ],
)
def test_month_of_is_the_first_day(day, month):
    assert dates.month_of(day) == month


def test_a_moment_reads_as_shanghais_clock_shows_it():
    # 16:30 UTC on New Year's Eve: 00:30 on 1 January in Shanghai, the year a number counts in.
    local = dates.local_time(dt.datetime(2026, 12, 31, 16, 30, tzinfo=UTC))
    assert (local.year, local.month, local.day, local.hour, local.minute) == (2027, 1, 1, 0, 30)
    assert local.utcoffset() == dt.timedelta(hours=8)
    assert f"{local:%Y-%m-%d %H:%M}" == "2027-01-01 00:30"


def test_a_time_of_day_is_set_in_shanghai():
    moment = dates.local_moment(dt.date(2024, 2, 29), 8)
    assert moment.astimezone(UTC) == dt.datetime(2024, 2, 29, 0, 0, tzinfo=UTC)
    assert dates.local_moment(dt.date(2026, 12, 31), 23, 59, 59) == end_of_day(dt.date(2026, 12, 31))
    assert dates.local_moment(dt.date(2027, 1, 1)) == start_of_day(dt.date(2027, 1, 1))


def test_wall_time_drops_the_zone_and_comes_back():
    moment = dt.datetime(2026, 12, 31, 16, 30, tzinfo=UTC)
    naive = dates.wall_time(moment)
    assert naive == dt.datetime(2027, 1, 1, 0, 30) and naive.tzinfo is None
    assert dates.from_wall_time(naive) == moment
    assert dates.from_wall_time(naive).tzinfo is SHANGHAI


def test_a_moment_is_labelled_to_the_minute_in_shanghai():
    assert dates.moment_label(dt.datetime(2026, 12, 31, 16, 30, 59, tzinfo=UTC)) == "2027-01-01 00:30"
    assert dates.moment_label(dt.datetime(2024, 2, 29, 8, 5, tzinfo=SHANGHAI)) == "2024-02-29 08:05"
