"""Pages that guard the user (issue 14, point 5), for meetings: attendance and minutes only once
the meeting has started; a warning before saving a meeting that clashes with another appointment
(operator, room or time), saved only when the user ticks "save anyway"; a one-off meeting without
a series; publishing and closing, which cannot be undone, say their consequence first. The clock
stands at 28 November 2026, 10:00 Beijing time (``frozen``); the series' next meeting is Thursday
3 December, 14:30–16:30, in 省通信管理局三楼会议室, CMCC and CUCC invited.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from supervision.casework import interviews
from supervision.core.models import Operator
from supervision.meetings import clashes, services
from supervision.meetings.models import Meeting, MeetingSeries

from .conftest import local

ROOM = "省通信管理局三楼会议室"


@pytest.fixture
def staff_client(client, regulator):
    client.force_login(regulator)
    return client


# --- Attendance and minutes only once the meeting has started ------------------------------------


def test_attendance_and_minutes_are_refused_before_the_meeting_starts(meeting, regulator, frozen):
    before = [
        lambda: services.record_attendance(
            meeting, attended_ids=[], administration_attendees="王科长", user=regulator
        ),
        lambda: services.save_minutes(meeting, text="会议纪要", user=regulator),
        lambda: services.publish_minutes(meeting, user=regulator),
    ]
    for change in before:
        with translation.override("en"), pytest.raises(services.MeetingRefused) as refused:
            change()
        assert str(refused.value) == (
            "The meeting has not started yet (it starts at 2026-12-03 14:30): attendance and minutes "
            "are recorded once it has."
        )
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.minutes_published_at, meeting.administration_attendees) == ("", None, "")

    frozen.move_to(local(2026, 12, 3, 14, 30))  # the minute it starts
    services.record_attendance(meeting, attended_ids=[], administration_attendees="王科长", user=regulator)
    services.save_minutes(meeting, text="会议纪要", user=regulator)
    services.publish_minutes(meeting, user=regulator)
    meeting.refresh_from_db()
    assert meeting.minutes_published_at == local(2026, 12, 3, 14, 30)


def test_the_pages_say_when_attendance_and_minutes_can_be_recorded(staff_client, meeting, frozen):
    minutes = reverse("control:meeting_minutes", args=[meeting.pk])
    attendance = reverse("control:meeting_attendance", args=[meeting.pk])
    page = staff_client.get(minutes, HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert page.context["form"] is None and 'data-testid="minutes-form"' not in body
    assert 'data-testid="publish-minutes"' not in body
    assert (
        "The meeting starts at 2026-12-03 14:30: attendance and minutes are recorded once it has started."
        in body
    )
    body = staff_client.get(attendance, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="not-started"' in body and "Record attendance</button>" not in body
    # A POST is refused all the same, with the reason.
    response = staff_client.post(minutes, {"minutes": "会议纪要"}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "The meeting has not started yet" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == ""

    frozen.move_to(local(2026, 12, 3, 15, 0))
    body = staff_client.get(minutes).content.decode()
    assert 'data-testid="minutes-form"' in body and 'data-testid="not-started"' not in body
    assert 'data-testid="not-started"' not in staff_client.get(attendance).content.decode()


# --- A clash of operator, room or time --------------------------------------------------------------


def one_off(**changes):
    data = {
        "title": "携号转网专题会",
        "starts_at": "2026-12-03T15:00",
        "duration_minutes": "60",
        "place": ROOM,
        "video_link": "",
        "invited_operators": [Operator.objects.get(code="CMCC").pk],
    }
    return {**data, **changes}


def test_the_clashes_name_what_two_appointments_share(meeting, regulator, cmcc, cucc, ctcc_interview):
    found = clashes.for_meeting(
        local(2026, 12, 3, 16, 0), 60, place=f" {ROOM} ", operator_ids=[cucc.pk, cmcc.pk]
    )
    with translation.override("en"):
        assert [(c.kind, c.pk, c.reasons) for c in found] == [
            (
                "meeting",
                meeting.pk,
                ["the same operator: China Mobile、China Unicom", f"the same room: {ROOM}"],
            ),
            ("interview", ctcc_interview.pk, ["the same time"]),
        ]
    # Back to back is no clash: the meeting ends at 16:30, the interview at 17:00.
    assert clashes.for_meeting(local(2026, 12, 3, 17, 0), 60, place=ROOM, operator_ids=[cmcc.pk]) == []
    # A cancelled meeting is no longer on.
    services.cancel(meeting, user=regulator)
    assert [c.kind for c in clashes.for_meeting(local(2026, 12, 3, 16, 0), 60, place=ROOM)] == ["interview"]


@pytest.fixture
def ctcc_interview(regulator, frozen):
    """A China Telecom interview on 3 December, 16:00–17:00, in another room."""
    return interviews.create_interview(
        user=regulator,
        operator=Operator.objects.get(code="CTCC"),
        scheduled_at=local(2026, 12, 3, 16, 0),
        place="省通信管理局五楼约谈室",
        reason="限制携号转网",
        persons_required="分管副总经理",
    )


def test_a_one_off_meeting_that_clashes_is_saved_only_when_the_user_says_so(staff_client, meeting):
    url = reverse("control:meeting_new")
    response = staff_client.post(url, one_off(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="clashes"' in body and 'name="save_anyway"' in body
    assert "the same operator: China Mobile" in body and f"the same room: {ROOM}" in body
    assert reverse("control:meeting", args=[meeting.pk]) in body
    assert Meeting.objects.count() == meeting.series.meetings.count()  # nothing saved

    response = staff_client.post(url, one_off(save_anyway="1"))
    created = Meeting.objects.get(series__title="携号转网专题会")
    assert response.status_code == 302 and response["Location"] == reverse(
        "control:meeting", args=[created.pk]
    )


def test_an_extra_or_moved_meeting_and_a_series_are_warned_of_too(staff_client, meeting, ctcc_interview):
    series = meeting.series
    # An extra meeting of the series at the interview's time, in its room.
    add = reverse("control:meeting_add", args=[series.pk])
    data = {"starts_at": "2026-12-03T16:30", "duration_minutes": "30", "place": "省通信管理局五楼约谈室"}
    response = staff_client.post(add, data, HTTP_ACCEPT_LANGUAGE="en")
    assert (
        response.status_code == 200 and "the same room: 省通信管理局五楼约谈室" in response.content.decode()
    )
    # Moving the meeting itself onto the interview; its own slot is no clash.
    move = reverse("control:meeting_move", args=[meeting.pk])
    data = {"starts_at": "2026-12-03T15:30", "duration_minutes": "120", "place": ROOM, "video_link": ""}
    response = staff_client.post(move, data)
    assert [c.kind for c in response.context["clashes"]] == ["interview"]
    meeting.refresh_from_db()
    assert meeting.starts_at == local(2026, 12, 3, 14, 30)
    data["starts_at"] = "2026-12-03T14:00"
    data["duration_minutes"] = "90"
    assert staff_client.post(move, data).status_code == 302  # clashes only with itself: saved
    # A new series whose first meeting falls on the interview.
    new = {
        "title": "专题会商会",
        "first_date": "2026-12-03",
        "start_time": "16:30",  # as the monthly meetings end: only the interview clashes
        "pattern": "monthly_weekday",
        "interval": "1",
        "duration_minutes": "60",
        "place": "",
        "invited_operators": [Operator.objects.get(code="CTCC").pk],
    }
    response = staff_client.post(reverse("control:meeting_series_new"), new, HTTP_ACCEPT_LANGUAGE="en")
    with translation.override("en"):
        assert [(c.kind, c.reasons) for c in response.context["clashes"]] == [
            ("interview", ["the same operator: China Telecom"])
        ]
    assert not MeetingSeries.objects.filter(title="专题会商会").exists()
    response = staff_client.post(reverse("control:meeting_series_new"), {**new, "save_anyway": "1"})
    assert response.status_code == 302 and MeetingSeries.objects.filter(title="专题会商会").exists()


# --- A one-off meeting ------------------------------------------------------------------------


def test_a_one_off_meeting_has_no_series(staff_client, regulator, cmcc, cucc, frozen):
    meeting = services.create_one_off(
        title="携号转网专题会",
        starts_at=local(2026, 12, 10, 9, 30),
        duration_minutes=90,
        place=ROOM,
        invited_operators=[cmcc],
        user=regulator,
    )
    assert (meeting.starts_at, meeting.ends_at, meeting.place) == (
        local(2026, 12, 10, 9, 30),
        local(2026, 12, 10, 11, 0),
        ROOM,
    )
    assert [inv.operator for inv in meeting.invitations.all()] == [cmcc]
    series = meeting.series
    assert services.is_one_off(series) and series.meetings.count() == 1
    # No horizon, rule or extra meeting ever adds to it.
    services.extend_horizons(now=local(2027, 3, 1, 0, 0))
    assert series.meetings.count() == 1
    with translation.override("en"), pytest.raises(services.MeetingRefused, match="no series"):
        services.add_occurrence(
            series, starts_at=local(2026, 12, 17, 9, 30), duration_minutes=60, user=regulator
        )
    # The pages never show it as a series: not listed, its address leads to the meeting.
    listing = staff_client.get(reverse("control:meetings"))
    assert series not in listing.context["series_list"]
    assert meeting in listing.context["upcoming"]
    for name in ("control:meeting_series", "control:meeting_series_edit", "control:meeting_add"):
        response = staff_client.get(reverse(name, args=[series.pk]))
        assert response["Location"] == reverse("control:meeting", args=[meeting.pk])
    page = staff_client.get(reverse("control:meeting", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert reverse("control:meeting_series", args=[series.pk]) not in page.content.decode()
    assert "one-off meeting" in page.content.decode()


def test_a_one_off_meeting_is_made_on_its_page(staff_client, leader, client, frozen):
    body = staff_client.get(reverse("control:meetings")).content.decode()
    assert reverse("control:meeting_new") in body
    response = staff_client.post(reverse("control:meeting_new"), one_off(starts_at="2026-12-10T09:30"))
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("control:meeting", args=[meeting.pk])
    assert (meeting.title, meeting.duration_minutes, meeting.starts_at) == (
        "携号转网专题会",
        60,
        local(2026, 12, 10, 9, 30),
    )
    assert [inv.operator.code for inv in meeting.invitations.all()] == ["CMCC"]
    client.force_login(leader)  # leadership reads, and creates nothing
    assert client.get(reverse("control:meeting_new")).status_code == 403
    assert dt.timedelta(minutes=60) == meeting.ends_at - meeting.starts_at


# --- Irreversible actions say their consequence and ask for confirmation -----------------------------


def test_publishing_and_closing_a_meeting_say_their_consequence_and_ask_first(
    staff_client, meeting, regulator, frozen
):
    services.add_item(meeting, title="通报情况", user=regulator)
    body = staff_client.get(
        reverse("control:meeting", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    action = reverse("control:meeting_agenda_publish", args=[meeting.pk])
    consequence = "The invitees are e-mailed the agenda with the calendar invitation at once; a mail sent cannot be taken back."
    assert f'<form method="post" action="{action}" data-confirm="{consequence}" class="irreversible">' in body
    frozen.move_to(local(2026, 12, 3, 16, 0))
    services.save_minutes(meeting, text="会议纪要", user=regulator)
    body = staff_client.get(reverse("control:meeting_minutes", args=[meeting.pk])).content.decode()
    for name, words in (
        ("control:meeting_minutes_publish", "会议纪要和待办事项邮件"),
        ("control:meeting_close", "永久只读"),
    ):
        form = re.search(
            rf'<form method="post" action="{reverse(name, args=[meeting.pk])}" data-confirm="([^"]+)"', body
        )
        assert form and words in form.group(1), name
