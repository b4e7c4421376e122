"""What the consultation meetings leave waiting for whom (meetings.queues): the agenda to prepare
and the proposals to decide for the staff; the invitation to answer and the action items for the
operator invited, never another operator's."""

import datetime as dt

from django.urls import reverse

from supervision.core import queues
from supervision.meetings import services

from .conftest import NOW


def queue(user, key):
    return next((q for q in queues.for_user(user, NOW) if q.key == key), None)


def test_a_meeting_without_an_agenda_waits_for_the_staff_until_published(meeting, regulator, leader):
    (item,) = queue(regulator, "meetings.without_agenda").items  # the next one only: 30 days ahead
    assert (item.url, item.due) == (reverse("control:meeting", args=[meeting.pk]), meeting.starts_at)
    assert queue(leader, "meetings.without_agenda") is None
    services.add_item(meeting, title="十一月携转情况通报", user=regulator)
    services.publish_agenda(meeting, user=regulator)
    assert queue(regulator, "meetings.without_agenda") is None


def test_the_invitation_waits_for_the_invited_operator_until_answered(
    meeting, regulator, operator_a, operator_b, manager_a
):
    assert queue(operator_a, "meetings.to_answer") is None  # not invited yet: no agenda sent
    services.add_item(meeting, title="十一月携转情况通报", user=regulator)
    services.publish_agenda(meeting, user=regulator)
    (item,) = queue(operator_a, "meetings.to_answer").items
    assert item.url == reverse("portal:meeting", args=[meeting.pk])
    assert queue(manager_a, "meetings.to_answer") is None  # the reporting staff answer
    services.answer_attendance(meeting, user=operator_a, attendees=[operator_a])
    assert queue(operator_a, "meetings.to_answer") is None
    assert queue(operator_b, "meetings.to_answer").count == 1  # CUCC has not answered


def test_a_proposal_waits_for_the_staff_until_decided(meeting, regulator, operator_a):
    proposal = services.propose_item(meeting, user=operator_a, title="跨网携转投诉协同处理")
    (item,) = queue(regulator, "meetings.proposals").items
    assert item.title == "中国移动 · 跨网携转投诉协同处理"
    services.decline_proposal(proposal, user=regulator, reason="下次会议讨论")
    assert queue(regulator, "meetings.proposals") is None


def test_an_action_item_waits_for_its_owner_only(meeting, regulator, cmcc, operator_a, operator_b):
    item = services.add_action_item(
        meeting, title="报送潍坊整改进展", due_on=dt.date(2026, 11, 27), operator=cmcc, user=regulator
    )
    own = services.add_action_item(
        meeting, title="印发会议纪要", due_on=dt.date(2026, 12, 10), user=regulator
    )
    (found,) = queue(operator_a, "meetings.action_items").items
    assert (found.url, found.due_label, found.overdue) == (
        reverse("portal:action_item", args=[item.pk]),
        "2026-11-27",
        True,  # NOW is 28 November
    )
    assert queue(operator_b, "meetings.action_items") is None
    assert [i.title for i in queue(regulator, "meetings.own_action_items").items] == [own.title]
    services.complete_action_item(item, user=operator_a, note="已报送")
    assert queue(operator_a, "meetings.action_items") is None
