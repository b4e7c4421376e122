"""The meeting pages take a fixed number of queries, with one row or many."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision.core.models import Period
from supervision.meetings import services


def fill(meeting, user, operator, n, regulator):
    for i in range(n):
        services.add_item(meeting, title=f"议题{i}", planned_minutes=5, operator=operator, user=regulator)
        services.propose_item(meeting, user=user, title=f"提议{i}")
        services.add_action_item(
            meeting, title=f"待办{i}", operator=operator, due_on=dt.date(2026, 12, 20), user=regulator
        )
    services.answer_attendance(
        meeting, user=user, attendees=[user], others=[(f"来宾{i}", "") for i in range(n)]
    )


def count(client, url) -> int:
    client.get(url)  # warm up: sessions, the periods the pages create on first use
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("face", "name", "with_pk", "expected"),
    [
        # session and user; the meeting; invitations, attendees, agenda, action items; the item
        # form's operators; suggestions: orders, incidents, the period, spikes (4), action items;
        # reminders: the meeting's and all action items' occasions (one query each), each rule's timing
        ("control", "control:meeting", True, 20),
        ("control", "control:meeting_minutes", True, 8),
        ("control", "control:meeting_attendance", True, 7),
        ("control", "control:meetings", False, 6),
        ("control", "control:meeting_series", None, 5),
        ("portal", "portal:meeting", True, 12),  # reminders as above: 4
        ("portal", "portal:meetings", False, 7),
        ("portal", "portal:action_items", False, 6),  # reminders: occasions, timing
    ],
)
def test_meeting_pages_take_a_fixed_number_of_queries(
    client, regulator, operator_a, meeting, series, cmcc, face, name, with_pk, expected
):
    Period.last_complete()
    client.force_login(regulator if face == "control" else operator_a)
    args = [meeting.pk] if with_pk else [series.pk] if with_pk is None else []
    url = reverse(name, args=args)
    fill(meeting, operator_a, cmcc, 1, regulator)
    assert count(client, url) == expected
    fill(meeting, operator_a, cmcc, 6, regulator)
    assert count(client, url) == expected
