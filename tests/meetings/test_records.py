"""Attendance, minutes and action items; a closed meeting's record is read-only."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation

from supervision.meetings import services
from supervision.meetings.models import ActionState, Attendee, MeetingState

from .conftest import local

# Attendance and minutes are recorded once the meeting (3 December, 14:30) has started.
HELD = local(2026, 12, 3, 16, 0)


def test_operators_name_attendees_and_staff_see_who_has_not_answered(
    client, regulator, operator_a, manager_a, meeting
):
    client.force_login(operator_a)
    url = reverse("portal:meeting_attendance", args=[meeting.pk])
    form = client.get(url).context["form"]
    assert {u.username for u in form.fields["attendees"].queryset} == {"operator_a", "manager_a"}
    response = client.post(
        url, {"attendees": [operator_a.pk, manager_a.pk], "others": "孙主任，市场部副总经理\n", "note": ""}
    )
    assert response.status_code == 302
    invitation = meeting.invitations.get(operator__code="CMCC")
    assert invitation.answered_by == operator_a
    attendees = invitation.attendees.select_related("user")
    assert sorted((a.name, a.user_id, a.position) for a in attendees) == sorted(
        [("张专员", operator_a.pk, ""), ("赵经理", manager_a.pk, ""), ("孙主任", None, "市场部副总经理")]
    )
    with translation.override("en"):
        assert sorted(str(a) for a in attendees) == [
            "孙主任 (市场部副总经理)",
            "张专员 (Operator reporting staff)",
            "赵经理 (Operator manager)",
        ]

    client.force_login(regulator)
    page = client.get(reverse("control:meeting", args=[meeting.pk]))
    assert [i.operator.code for i in page.context["not_answered"]] == ["CUCC"]
    assert "孙主任" in page.content.decode()


def test_an_answer_names_somebody_or_says_nobody_can_come(client, operator_a, meeting):
    client.force_login(operator_a)
    url = reverse("portal:meeting_attendance", args=[meeting.pk])
    client.post(url, {"note": ""})
    assert not meeting.invitations.get(operator__code="CMCC").is_answered
    client.post(url, {"attendees": [operator_a.pk], "declined": "on", "note": "当天有应急保障任务"})
    invitation = meeting.invitations.get(operator__code="CMCC")
    assert (invitation.declined, invitation.note, invitation.attendees.count()) == (
        True,
        "当天有应急保障任务",
        0,
    )


def test_another_operators_user_cannot_be_named(meeting, operator_a, operator_b):
    services.answer_attendance(meeting, user=operator_a, attendees=[operator_a, operator_b])
    assert [a.user for a in Attendee.objects.filter(invitation__meeting=meeting)] == [operator_a]


def test_staff_record_who_attended(client, regulator, operator_a, manager_a, meeting, frozen):
    services.answer_attendance(meeting, user=operator_a, attendees=[operator_a, manager_a])
    came = Attendee.objects.get(user=manager_a)
    frozen.move_to(HELD)
    client.force_login(regulator)
    client.post(
        reverse("control:meeting_attendance", args=[meeting.pk]),
        {"attended": [str(came.pk)], "administration_attendees": "王科长、李处长"},
    )
    assert list(Attendee.objects.filter(attended=True)) == [came]
    meeting.refresh_from_db()
    assert meeting.administration_attendees == "王科长、李处长"


def test_minutes_are_rendered_safely(client, operator_a, meeting, regulator, frozen):
    frozen.move_to(HELD)
    services.save_minutes(
        meeting,
        text="一、通报情况\n<script>alert(1)</script>\n\n- 各运营商报送分析\n- 管局组织测评",
        user=regulator,
    )
    services.publish_minutes(meeting, user=regulator)
    client.force_login(operator_a)
    page = client.get(reverse("portal:meeting", args=[meeting.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<p>一、通报情况<br>&lt;script&gt;" in page
    assert "<ul><li>各运营商报送分析</li><li>管局组织测评</li></ul>" in page


def test_minutes_are_published_to_the_attendees(
    meeting,
    frozen,
    regulator,
    operator_a,
    manager_a,
    operator_b,
    eager_tasks,
    django_capture_on_commit_callbacks,
):
    services.answer_attendance(meeting, user=operator_a, attendees=[operator_a])
    frozen.move_to(HELD)
    services.save_minutes(meeting, text="议定事项：各运营商报送投诉原因分析。", user=regulator)
    services.add_action_item(
        meeting,
        title="报送投诉原因分析",
        operator=operator_a.operator,
        due_on=dt.date(2026, 12, 20),
        user=regulator,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_minutes(meeting, user=regulator)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([regulator.email, operator_a.email])
    to_a = next(m for m in mail.outbox if m.to == [operator_a.email])
    assert "议定事项" in to_a.body and "报送投诉原因分析" in to_a.body
    assert not [a for a in to_a.alternatives if a[1].startswith("text/calendar")]


def test_corrected_minutes_published_again_are_a_new_mail(
    meeting, frozen, regulator, operator_a, eager_tasks, django_capture_on_commit_callbacks
):
    from supervision.reminders.models import Occasion

    services.answer_attendance(meeting, user=operator_a, attendees=[operator_a])
    frozen.move_to(HELD)
    services.save_minutes(meeting, text="议定事项：各运营商报送投诉原因分析。", user=regulator)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_minutes(meeting, user=regulator)
    frozen.shift(dt.timedelta(hours=2))
    services.save_minutes(
        meeting, text="议定事项（更正）：各运营商于12月20日前报送投诉原因分析。", user=regulator
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_minutes(meeting, user=regulator)
    to_a = [m for m in mail.outbox if m.to == [operator_a.email]]
    assert len(to_a) == 2 and "更正" in to_a[1].body
    assert sorted(Occasion.objects.filter(recipient=operator_a).values_list("object_key", flat=True)) == [
        f"meeting:{meeting.pk}:minutes:20261203T160000",
        f"meeting:{meeting.pk}:minutes:20261203T180000",
    ]


def test_operators_mark_their_action_items_done(client, operator_a, meeting, cmcc, regulator):
    item = services.add_action_item(
        meeting, title="报送投诉原因分析", operator=cmcc, due_on=dt.date(2026, 12, 20), user=regulator
    )
    client.force_login(operator_a)
    assert item.title in client.get(reverse("portal:action_items")).content.decode()
    response = client.post(reverse("portal:action_item", args=[item.pk]), {"note": "已于12月18日书面报送"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.done_by, item.done_note) == (
        ActionState.DONE,
        operator_a,
        "已于12月18日书面报送",
    )
    client.post(reverse("portal:action_item", args=[item.pk]), {"note": "again"})
    item.refresh_from_db()
    assert item.done_note == "已于12月18日书面报送"


# --- A closed meeting ---------------------------------------------------------------------------


@pytest.fixture
def closed(meeting, regulator, operator_a, cmcc):
    """The December meeting, held and closed, with an agenda item, a proposal and an action item."""
    item = services.add_item(meeting, title="通报情况", user=regulator)
    proposal = services.propose_item(meeting, user=operator_a, title="统一客服口径")
    action = services.add_action_item(
        meeting, title="报送分析", operator=cmcc, due_on=dt.date(2026, 12, 20), user=regulator
    )
    services.answer_attendance(meeting, user=operator_a, attendees=[operator_a])
    with time_machine.travel(local(2026, 12, 3, 17, 0), tick=False):
        services.save_minutes(meeting, text="会议纪要", user=regulator)
        services.close(meeting, user=regulator)
    meeting.refresh_from_db()
    return {"meeting": meeting, "item": item, "proposal": proposal, "action": action}


def test_a_meeting_is_closed_only_once_it_has_started(meeting, regulator):
    with pytest.raises(services.MeetingRefused):
        services.close(meeting, user=regulator)


def test_a_closed_meeting_refuses_every_change(closed, regulator, operator_a, cmcc):
    meeting = closed["meeting"]
    assert meeting.state == MeetingState.CLOSED
    changes = [
        lambda: services.add_item(meeting, title="x", user=regulator),
        lambda: services.update_item(closed["item"], title="x", user=regulator),
        lambda: services.delete_item(closed["item"], user=regulator),
        lambda: services.move_item(closed["item"], up=True, user=regulator),
        lambda: services.take_suggestion(meeting, "order:1", user=regulator),
        lambda: services.propose_item(meeting, user=operator_a, title="x"),
        lambda: services.withdraw_proposal(closed["proposal"], user=operator_a),
        lambda: services.accept_proposal(closed["proposal"], user=regulator),
        lambda: services.decline_proposal(closed["proposal"], user=regulator),
        lambda: services.publish_agenda(meeting, user=regulator),
        lambda: services.answer_attendance(meeting, user=operator_a, attendees=[], declined=True),
        lambda: services.record_attendance(meeting, attended_ids=[], user=regulator),
        lambda: services.save_minutes(meeting, text="改写", user=regulator),
        lambda: services.publish_minutes(meeting, user=regulator),
        lambda: services.add_action_item(
            meeting, title="x", operator=cmcc, due_on=dt.date(2026, 12, 31), user=regulator
        ),
        lambda: services.delete_action_item(closed["action"], user=regulator),
        lambda: services.move(
            meeting,
            starts_at=local(2026, 12, 4),
            duration_minutes=60,
            place="",
            video_link="",
            user=regulator,
        ),
        lambda: services.cancel(meeting, user=regulator),
        lambda: services.close(meeting, user=regulator),
    ]
    for change in changes:
        with translation.override("en"), pytest.raises(services.MeetingRefused, match="“Closed”"):
            change()
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.agenda_items.count(), meeting.action_items.count()) == ("会议纪要", 2, 1)


def test_a_closed_meeting_refuses_edits_through_the_pages_with_a_message(
    client, closed, regulator, operator_a
):
    meeting = closed["meeting"]
    client.force_login(regulator)
    response = client.post(
        reverse("control:meeting_minutes", args=[meeting.pk]),
        {"minutes": "改写"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "You cannot write the minutes now: it is “Closed”." in response.content.decode()
    response = client.post(
        reverse("control:meeting_agenda_add", args=[meeting.pk]),
        {"title": "新议题", "planned_minutes": "10", "operator": ""},
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    page = client.get(reverse("control:meeting", args=[meeting.pk])).content.decode()
    assert 'data-testid="read-only"' in page and 'data-testid="publish-agenda"' not in page
    client.force_login(operator_a)
    response = client.post(
        reverse("portal:meeting_propose", args=[meeting.pk]), {"title": "x", "planned_minutes": "5"}
    )
    assert response.status_code == 200 and meeting.agenda_items.count() == 2
    meeting.refresh_from_db()
    assert meeting.minutes == "会议纪要"


def test_action_items_of_a_closed_meeting_are_still_followed_up(client, closed, operator_a):
    client.force_login(operator_a)
    client.post(reverse("portal:action_item", args=[closed["action"].pk]), {"note": "已完成"})
    closed["action"].refresh_from_db()
    assert closed["action"].state == ActionState.DONE
