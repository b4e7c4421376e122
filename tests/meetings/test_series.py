"""Series and occurrences: materialised ahead, moved, cancelled or added one by one, and a rule
change that leaves past meetings (and meetings with a record of their own) as they were."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from supervision.meetings import services
from supervision.meetings.models import Invitation, Meeting, MeetingState

from .conftest import NOW, local, starts


def test_a_new_series_has_six_months_of_meetings_each_with_its_invitations(series, cmcc, cucc):
    assert starts(series.meetings.all()) == [
        "2026-12-03 14:30",
        "2027-01-07 14:30",
        "2027-02-04 14:30",
        "2027-03-04 14:30",
        "2027-04-01 14:30",
        "2027-05-06 14:30",
    ]
    assert Invitation.objects.filter(meeting__series=series).count() == 6 * 2
    first = series.meetings.first()
    assert {i.operator.code for i in first.invitations.all()} == {"CMCC", "CUCC"}
    assert first.ends_at - first.starts_at == dt.timedelta(minutes=120)
    assert first.place == "省通信管理局三楼会议室"


def test_the_horizon_moves_on_and_nothing_is_created_twice(series):
    assert services.extend_horizons() == 0
    # Ten days on, the six months ahead reach into June.
    with time_machine.travel(NOW + dt.timedelta(days=10), tick=False):
        assert services.extend_horizons() == 1
    assert starts(series.meetings.all())[-1] == "2027-06-03 14:30"


def test_a_monthly_rule_on_the_31st_skips_short_months(make_series, frozen):
    series = make_series(rule="FREQ=MONTHLY;BYMONTHDAY=31", first_start=local(2026, 12, 31, 9, 0))
    # Six months ahead of 28 November 2026 (until 28 May 2027): February and April have no 31st.
    assert starts(series.meetings.all()) == ["2026-12-31 09:00", "2027-01-31 09:00", "2027-03-31 09:00"]


def test_a_moved_meeting_keeps_its_planned_start_and_is_not_recreated(series, meeting, regulator):
    moved = services.move(
        meeting,
        starts_at=local(2026, 12, 10, 9, 0),
        duration_minutes=90,
        place="视频会议",
        video_link="",
        user=regulator,
    )
    assert moved.recurrence_start == local(2026, 12, 3)
    assert (moved.starts_at, moved.ends_at) == (local(2026, 12, 10, 9, 0), local(2026, 12, 10, 10, 30))
    assert moved.is_moved and moved.detached
    assert services.extend_horizons() == 0
    assert series.meetings.count() == 6
    assert starts(series.meetings.all())[:2] == ["2026-12-10 09:00", "2027-01-07 14:30"]


def test_a_cancelled_meeting_stays_cancelled_and_the_series_goes_on(series, meeting, regulator):
    services.cancel(meeting, reason="与全省通信保障工作冲突", user=regulator)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED
    assert meeting.cancel_reason == "与全省通信保障工作冲突"
    services.extend_horizons()
    assert series.meetings.filter(recurrence_start=local(2026, 12, 3)).count() == 1
    assert series.meetings.filter(state=MeetingState.SCHEDULED).count() == 5
    with pytest.raises(services.MeetingRefused):
        services.move(
            meeting,
            starts_at=local(2026, 12, 4),
            duration_minutes=60,
            place="",
            video_link="",
            user=regulator,
        )


def test_an_extra_meeting_joins_the_series(series, cmcc, cucc, regulator):
    extra = services.add_occurrence(
        series, starts_at=local(2026, 12, 17, 9, 0), duration_minutes=60, user=regulator
    )
    assert extra.is_extra and not extra.is_moved
    assert {i.operator_id for i in extra.invitations.all()} == {cmcc.pk, cucc.pk}
    assert series.meetings.count() == 7
    with pytest.raises(services.MeetingRefused):
        services.add_occurrence(
            series, starts_at=local(2026, 12, 17, 9, 0), duration_minutes=60, user=regulator
        )


def test_changing_the_rule_keeps_past_meetings_and_those_with_a_record(make_series, cmcc, cucc, regulator):
    with time_machine.travel(local(2026, 9, 1, 9, 0), tick=False):
        series = make_series(first_start=local(2026, 9, 3))
    past = {m.pk: (m.starts_at, m.ends_at, m.place) for m in series.meetings.filter(starts_at__lt=NOW)}
    assert starts(Meeting.objects.filter(pk__in=past)) == [
        "2026-09-03 14:30",
        "2026-10-01 14:30",
        "2026-11-05 14:30",
    ]

    with time_machine.travel(NOW, tick=False):
        january = series.meetings.get(recurrence_start=local(2027, 1, 7))
        services.add_item(january, title="春节前营业厅携转服务保障", user=regulator)  # a record of its own
        february = series.meetings.get(recurrence_start=local(2027, 2, 4))
        services.cancel(february, user=regulator)
        # From December on: the second Tuesday at 09:30, in another room.
        series.rrule = "FREQ=MONTHLY;BYDAY=2TU"
        series.first_start = local(2026, 12, 8, 9, 30)
        series.place = "第二会议室"
        counts = services.update_series(series, invited_operators=[cmcc, cucc], user=regulator)

    assert {m.pk: (m.starts_at, m.ends_at, m.place) for m in series.meetings.filter(pk__in=past)} == past
    assert Meeting.objects.filter(pk=january.pk, starts_at=local(2027, 1, 7)).exists()
    assert Meeting.objects.filter(pk=february.pk, state=MeetingState.CANCELLED).exists()
    future_rule = series.meetings.filter(
        starts_at__gte=NOW, is_extra=False, detached=False, agenda_items=None
    )
    assert starts(future_rule) == [
        "2026-12-08 09:30",
        "2027-01-12 09:30",
        "2027-02-09 09:30",
        "2027-03-09 09:30",
        "2027-04-13 09:30",
        "2027-05-11 09:30",
    ]
    assert {m.place for m in future_rule} == {"第二会议室"}
    # Materialised in September up to February: of the future ones only December had no record.
    assert counts == {"removed": 1, "updated": 0, "created": 6}


def test_changing_place_and_invitees_reaches_untouched_future_meetings_only(
    series, meeting, cmcc, cucc, regulator
):
    services.answer_attendance(meeting, user=_cmcc_user(cmcc), attendees=[_cmcc_user(cmcc)])
    series.place = "视频会议"
    series.duration_minutes = 90
    counts = services.update_series(series, invited_operators=[cmcc], user=regulator)
    assert counts == {"removed": 0, "updated": 5, "created": 0}
    meeting.refresh_from_db()
    assert meeting.place == "省通信管理局三楼会议室"  # has answers: stays as it was
    assert {i.operator_id for i in meeting.invitations.all()} == {cmcc.pk, cucc.pk}
    later = series.meetings.exclude(pk=meeting.pk)
    assert {(m.place, m.duration_minutes) for m in later} == {("视频会议", 90)}
    assert set(Invitation.objects.filter(meeting__in=later).values_list("operator__code", flat=True)) == {
        "CMCC"
    }


def _cmcc_user(cmcc):
    from supervision.core.models import Role, User

    user, _created = User.objects.get_or_create(
        username="cmcc_staff", defaults={"role": Role.OPERATOR_STAFF, "operator": cmcc, "full_name": "张专员"}
    )
    return user


def test_staff_create_a_monthly_series_in_the_form(client, regulator, frozen, cmcc, cucc):
    client.force_login(regulator)
    response = client.post(
        reverse("control:meeting_series_new"),
        {
            "title": "携号转网工作会商会",
            "first_date": "2026-12-03",
            "start_time": "14:30",
            "pattern": "monthly_weekday",
            "interval": "1",
            "duration_minutes": "120",
            "place": "省通信管理局三楼会议室",
            "invited_operators": [cmcc.pk, cucc.pk],
        },
    )
    assert response.status_code == 302
    series = Meeting.objects.get(starts_at=local(2026, 12, 3)).series
    assert series.rrule == "FREQ=MONTHLY;BYDAY=1TH"
    assert series.meetings.count() == 6
    form = client.get(reverse("control:meeting_series_edit", args=[series.pk])).context["form"]
    assert (form.initial["pattern"], form.initial["first_date"]) == ("monthly_weekday", dt.date(2026, 12, 3))


def test_the_series_form_refuses_a_rule_it_cannot_read(client, regulator, frozen, cmcc):
    client.force_login(regulator)
    response = client.post(
        reverse("control:meeting_series_new"),
        {
            "title": "会商会",
            "first_date": "2026-12-03",
            "start_time": "14:30",
            "pattern": "monthly_weekday",
            "interval": "1",
            "custom_rule": "FREQ=HOURLY",
            "duration_minutes": "120",
            "invited_operators": [cmcc.pk],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "A meeting repeats daily at most." in response.content.decode()
    assert not Meeting.objects.exists()


def test_staff_move_a_meeting_in_the_form(client, regulator, meeting):
    client.force_login(regulator)
    response = client.post(
        reverse("control:meeting_move", args=[meeting.pk]),
        {"starts_at": "2026-12-10T09:00", "duration_minutes": "90", "place": "视频会议", "video_link": ""},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.recurrence_start) == (local(2026, 12, 10, 9, 0), local(2026, 12, 3))
