"""Calendar files that calendar programs accept: invitations, updates and cancellations by e-mail
with a stable UID and a growing SEQUENCE, downloads, and each user's private, revocable feed."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from supervision.casework.models import InterviewNotice, InterviewState, OrderState, RectificationOrder
from supervision.meetings import services
from supervision.meetings.models import CalendarFeed

from .conftest import local


def calendars_of(message):
    """The calendar files a message carries: (its alternative, its attachment), parsed."""
    alternative = [c for c, mimetype in message.alternatives if mimetype.startswith("text/calendar")]
    attached = [a for a in message.attachments if a[0].endswith(".ics")]
    assert len(alternative) == 1 and len(attached) == 1
    assert attached[0][2].startswith("text/calendar; method=")
    return Calendar.from_ical(alternative[0]), Calendar.from_ical(attached[0][1])


def event_of(calendar):
    (event,) = calendar.walk("VEVENT")
    return event


@pytest.fixture
def sent(eager_tasks, django_capture_on_commit_callbacks):
    """``sent(fn)``: run a change, its on-commit mail included; returns the messages sent."""

    def run(change):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            change()
        return list(mail.outbox)

    return run


@pytest.fixture
def people(regulator, operator_a, manager_a, operator_b):
    operator_a.language = "en"
    operator_a.save(update_fields=["language"])
    return regulator, operator_a, manager_a, operator_b


def test_publishing_the_agenda_invites_with_method_request(meeting, people, sent, regulator):
    regulator, operator_a, manager_a, operator_b = people
    services.add_item(
        meeting, title="通报11月携号转网工作情况", presenter="王科长", planned_minutes=20, user=regulator
    )
    messages = sent(lambda: services.publish_agenda(meeting, user=regulator))
    assert sorted(m.to[0] for m in messages) == sorted(u.email for u in people)
    to_a = next(m for m in messages if m.to == [operator_a.email])
    assert to_a.subject == "Invitation: 携号转网工作会商会, 2026-12-03 14:30"
    assert "通报11月携号转网工作情况" in to_a.body
    for calendar in calendars_of(to_a):
        assert calendar["METHOD"] == "REQUEST"
        event = event_of(calendar)
        assert str(event["UID"]) == f"meeting-{meeting.uid}@127.0.0.1"
        assert event["SEQUENCE"] == 0
        assert event.decoded("DTSTART") == local(2026, 12, 3)
        assert event.decoded("DTEND") == local(2026, 12, 3, 16, 30)
        assert str(event["STATUS"]) == "CONFIRMED"
        assert str(event["ATTENDEE"]) == f"mailto:{operator_a.email}"
        assert str(event["ORGANIZER"]).startswith("mailto:")
        assert "通报11月携号转网工作情况" in str(event["DESCRIPTION"])
    assert 'text/calendar; method="REQUEST"' in to_a.message().as_string()


def test_updates_keep_the_uid_and_raise_the_sequence_and_a_cancellation_cancels(
    meeting, people, sent, regulator
):
    regulator, operator_a, *_ = people
    services.add_item(meeting, title="通报11月携号转网工作情况", user=regulator)
    invitation = sent(lambda: services.publish_agenda(meeting, user=regulator))
    moved = sent(
        lambda: services.move(
            meeting,
            starts_at=local(2026, 12, 10, 9, 0),
            duration_minutes=120,
            place="视频会议",
            video_link="",
            user=regulator,
        )
    )
    services.add_item(meeting, title="研究春节前携转服务保障", user=regulator)
    republished = sent(lambda: services.publish_agenda(meeting, user=regulator))
    cancelled = sent(lambda: services.cancel(meeting, reason="与应急演练冲突", user=regulator))

    def to_a(messages):
        return calendars_of(next(m for m in messages if m.to == [operator_a.email]))[1]

    calendars = [to_a(batch) for batch in (invitation, moved, republished, cancelled)]
    assert [str(c["METHOD"]) for c in calendars] == ["REQUEST", "REQUEST", "REQUEST", "CANCEL"]
    events = [event_of(c) for c in calendars]
    assert len({str(e["UID"]) for e in events}) == 1
    assert [e["SEQUENCE"] for e in events] == [0, 1, 2, 3]
    assert events[1].decoded("DTSTART") == local(2026, 12, 10, 9, 0)
    assert str(events[1]["LOCATION"]) == "视频会议"
    assert str(events[3]["STATUS"]) == "CANCELLED"
    assert next(m for m in cancelled if m.to == [operator_a.email]).subject.startswith("Cancelled: ")
    assert "与应急演练冲突" in next(m for m in cancelled if m.to == [operator_a.email]).body


def test_each_update_is_a_mail_of_its_own_and_each_is_sent_once(meeting, people, sent, regulator):
    from supervision.reminders import services as reminder_services
    from supervision.reminders.models import Occasion

    regulator, operator_a, *_ = people
    services.add_item(meeting, title="通报11月携号转网工作情况", user=regulator)
    sent(lambda: services.publish_agenda(meeting, user=regulator))
    for day in (10, 11):
        sent(
            lambda day=day: services.move(
                meeting,
                starts_at=local(2026, 12, day, 9, 0),
                duration_minutes=120,
                place="视频会议",
                video_link="",
                user=regulator,
            )
        )
    sent(lambda: services.cancel(meeting, user=regulator))
    to_a = Occasion.objects.filter(recipient=operator_a).order_by("pk")
    assert [(o.rule, o.object_key, o.state) for o in to_a] == [
        ("meetings.invitation", f"meeting:{meeting.pk}:invitation:0", "sent"),
        ("meetings.update", f"meeting:{meeting.pk}:update:1", "sent"),
        ("meetings.update", f"meeting:{meeting.pk}:update:2", "sent"),
        ("meetings.cancellation", f"meeting:{meeting.pk}:cancellation", "sent"),
    ]
    before = len(mail.outbox)
    assert {reminder_services.send(o.pk) for o in to_a} == {"taken"}  # a task delivered twice
    assert len(mail.outbox) == before


def test_a_meeting_mail_rolled_back_records_nothing_and_one_recorded_before_a_deletion_is_dropped(
    meeting, people, django_capture_on_commit_callbacks, regulator
):
    from django.db import transaction

    from supervision.reminders import services as reminder_services
    from supervision.reminders.models import Occasion

    services.add_item(meeting, title="通报情况", user=regulator)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.publish_agenda(meeting, user=regulator)
        raise RuntimeError("the disk is full")
    assert not Occasion.objects.exists()
    with django_capture_on_commit_callbacks(execute=False):
        services.publish_agenda(meeting, user=regulator)  # the broker loses the tasks
    recorded = list(Occasion.objects.filter(rule="meetings.invitation"))
    assert len(recorded) == len(people)
    meeting.delete()
    assert {reminder_services.send(o.pk) for o in recorded} == {"dropped"}
    assert mail.outbox == []


def test_changes_before_the_invitation_send_nothing(meeting, people, sent, regulator):
    assert (
        sent(
            lambda: services.move(
                meeting,
                starts_at=local(2026, 12, 4),
                duration_minutes=60,
                place="",
                video_link="",
                user=regulator,
            )
        )
        == []
    )
    assert sent(lambda: services.cancel(meeting, user=regulator)) == []
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_the_meeting_downloads_as_a_calendar_file(client, meeting, regulator, operator_a):
    for user, name in ((regulator, "control:meeting_ics"), (operator_a, "portal:meeting_ics")):
        client.force_login(user)
        response = client.get(reverse(name, args=[meeting.pk]))
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        calendar = Calendar.from_ical(response.content)
        assert str(calendar["METHOD"]) == "PUBLISH"
        assert str(event_of(calendar)["UID"]) == f"meeting-{meeting.uid}@127.0.0.1"


# --- The private feed ---------------------------------------------------------------------------


@pytest.fixture
def cmcc_only(make_series, frozen, cmcc):
    return make_series(title="中国移动专题会商", first_start=local(2026, 12, 10, 9, 0), operators=[cmcc])


@pytest.fixture
def cucc_only(make_series, frozen, cucc):
    return make_series(title="中国联通专题会商", first_start=local(2026, 12, 11, 9, 0), operators=[cucc])


def feed_url(client, face):
    client.post(reverse(f"{face}:calendar_reset"))
    return client.get(reverse(f"{face}:calendar_address")).context["feed_url"]


def summaries(response):
    calendar = Calendar.from_ical(response.content)
    return sorted({str(e["SUMMARY"]) for e in calendar.walk("VEVENT")})


@pytest.mark.urls("tests.meetings.urls")
def test_the_feed_shows_only_the_users_own_meetings_interviews_and_deadlines(
    client, operator_a, regulator, series, cmcc_only, cucc_only, cmcc, cucc
):
    RectificationOrder.objects.create(
        operator=cmcc, title="整改营业厅携转告知", requirements="-", severity="MAJOR",
        deadline=local(2026, 12, 20, 17, 0), state=OrderState.ISSUED,
    )  # fmt: skip
    RectificationOrder.objects.create(
        operator=cucc, title="整改授权码下发", requirements="-", severity="MAJOR",
        deadline=local(2026, 12, 21, 17, 0), state=OrderState.ISSUED,
    )  # fmt: skip
    InterviewNotice.objects.create(
        operator=cucc, reason="-", scheduled_at=local(2026, 12, 15, 10, 0), place="管局", persons_required="-",
        state=InterviewState.ISSUED,
    )  # fmt: skip
    operator_a.language = "en"  # the feed speaks its owner's language
    operator_a.save(update_fields=["language"])
    client.force_login(operator_a)
    url = feed_url(client, "portal")
    client.logout()  # a calendar program has no session: the token is the key
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert summaries(response) == sorted(
        [
            "携号转网工作会商会",
            "中国移动专题会商",
            f"Rectification deadline: {cmcc.short_en} 整改营业厅携转告知",
        ]
    )
    calendar = Calendar.from_ical(response.content)
    assert "METHOD" not in calendar
    assert len(calendar.walk("VEVENT")) == series.meetings.count() + cmcc_only.meetings.count() + 1

    client.force_login(regulator)
    staff_feed = client.get(feed_url(client, "control"))
    assert {"中国联通专题会商", "中国移动专题会商"} <= set(summaries(staff_feed))
    # The interview and both deadlines too (the administration sees every operator's).
    assert len([s for s in summaries(staff_feed) if "会商" not in s]) == 3


@pytest.mark.urls("tests.meetings.urls")
@pytest.mark.dates
def test_draft_and_withdrawn_interviews_stay_out_of_the_staff_feed(client, regulator, cucc, clock):
    # Interviews in two weeks' time, whatever the (pinned) date: the feed shows what is to come.
    scheduled_at = clock + dt.timedelta(days=14)
    for state, place in [
        (InterviewState.ISSUED, "管局第一会议室"),
        (InterviewState.DRAFT, "草稿会议室"),
        (InterviewState.WITHDRAWN, "已撤回会议室"),
    ]:
        InterviewNotice.objects.create(
            operator=cucc, reason="-", scheduled_at=scheduled_at, place=place,
            persons_required="-", state=state,
        )  # fmt: skip
    client.force_login(regulator)
    feed = Calendar.from_ical(client.get(feed_url(client, "control")).content)
    places = {str(event.get("LOCATION", "")) for event in feed.walk("VEVENT")}
    assert "管局第一会议室" in places
    assert not places & {"草稿会议室", "已撤回会议室"}


@pytest.mark.urls("tests.meetings.urls")
def test_a_reset_address_answers_404_and_so_does_a_revoked_one(client, operator_a, series):
    client.force_login(operator_a)
    old = feed_url(client, "portal")
    new = feed_url(client, "portal")
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    client.post(reverse("portal:calendar_revoke"))
    assert not CalendarFeed.objects.filter(user=operator_a).exists()
    assert client.get(new).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


@pytest.mark.urls("tests.meetings.urls")
def test_a_deactivated_users_feed_is_gone(client, operator_a, series):
    client.force_login(operator_a)
    url = feed_url(client, "portal")
    operator_a.is_active = False
    operator_a.save()
    assert client.get(url).status_code == 404


def test_the_feed_token_is_long_and_random(operator_a, leader):
    tokens = {services.reset_feed(operator_a).token for _ in range(5)}
    assert len(tokens) == 5
    assert all(len(t) >= 40 for t in tokens)
    assert services.feed_for(leader).token != services.feed_for(operator_a).token


def test_cancelled_meetings_stay_in_the_feed_marked_cancelled(meeting, operator_a, regulator):
    from supervision.meetings.calendars import feed_ics

    services.cancel(meeting, user=regulator)
    meeting.refresh_from_db()
    event = event_of(Calendar.from_ical(feed_ics(operator_a, meetings=[meeting], name="x")))
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(hours=2)


@pytest.mark.urls("tests.meetings.urls")
def test_the_feed_takes_a_fixed_number_of_queries(client, operator_a, series, make_series, cmcc, regulator):
    client.force_login(operator_a)
    url = feed_url(client, "portal")
    client.logout()
    # The feed, its user; meetings and their agendas; interviews; orders.
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    make_series(title="专题会商", first_start=local(2026, 12, 10, 9, 0), operators=[cmcc])
    services.add_item(series.meetings.first(), title="通报情况", user=regulator)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(one) == len(more) == 5
