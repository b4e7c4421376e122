"""Meetings: a series to which CMCC and CUCC are invited, on a fixed day in Beijing time."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from supervision.core.models import SHANGHAI, Operator
from supervision.meetings import services
from supervision.meetings.models import MeetingSeries

# Saturday 28 November 2026, 10:00 in Jinan: the next first Thursday is 3 December.
NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI)


def local(year, month, day, hour=14, minute=30) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    """The clock stands at NOW (28 Nov 2026, 10:00 Beijing time) for the whole test."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def cmcc(db):
    return Operator.objects.get(code="CMCC")


@pytest.fixture
def cucc(db):
    return Operator.objects.get(code="CUCC")


def create_series(
    regulator, *, rule="FREQ=MONTHLY;BYDAY=1TH", first_start=None, operators=None, duration=120, **fields
):
    """A stored, materialised series made by ``regulator``; CMCC and CUCC invited unless ``operators``."""
    series = MeetingSeries(
        title=fields.pop("title", "携号转网工作会商会"),
        rrule=rule,
        first_start=first_start or local(2026, 12, 3),
        duration_minutes=duration,
        place=fields.pop("place", "省通信管理局三楼会议室"),
        **fields,
    )
    if operators is None:
        operators = list(Operator.objects.filter(code__in=["CMCC", "CUCC"]))
    return services.create_series(series, invited_operators=operators, user=regulator)


@pytest.fixture
def make_series(db, regulator):
    """``make_series(rule=..., first_start=..., operators=[...])``: a stored, materialised series."""

    def make(**kwargs):
        return create_series(regulator, **kwargs)

    return make


@pytest.fixture
def series(make_series, frozen):
    """Monthly on the first Thursday at 14:30, CMCC and CUCC invited, from 3 December 2026."""
    return make_series()


@pytest.fixture
def meeting(series):
    """The next meeting: Thursday 3 December 2026, 14:30–16:30."""
    return series.meetings.order_by("starts_at").first()


def starts(meetings) -> list[str]:
    """Local start times as text, for readable assertions."""
    return [f"{timezone.localtime(m.starts_at, SHANGHAI):%Y-%m-%d %H:%M}" for m in meetings]
