"""The portal's reporting pages depend on the date: which periods the upload form offers (the
filing window opens on the 25th), and what "last month" is. Every test here runs at a fixed
instant, whatever today's date: 20 November 2026, 10:00 Beijing time (November's window is not
open yet, so October is the newest period a report can be sent for)."""

import datetime as dt

import pytest
import time_machine

from supervision.core.models import SHANGHAI

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield NOW
