"""The buttons and forms of the meeting pages, on both faces: each change says how it went and goes
back to where the user was; a refusal is an error message and changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from supervision.meetings import services
from supervision.meetings.models import ActionState, AgendaState, CalendarFeed, MeetingState


def post(client, name, pk=None, data=None):
    """Post in English and follow the redirect: (where it went, the messages shown there)."""
    args = [pk] if pk else []
    response = client.post(reverse(name, args=args), data or {}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    (went, status), *_ = response.redirect_chain
    assert status == 302
    return went, [(m.level_tag, m.message) for m in response.context["messages"]]


def test_staff_cancel_a_meeting_with_a_reason(client, regulator, meeting):
    client.force_login(regulator)
    went, said = post(client, "control:meeting_cancel", meeting.pk, {"reason": "与专项检查时间冲突"})
    assert went == reverse("control:meeting", args=[meeting.pk])
    assert said == [("success", "The meeting is cancelled; the rest of the series is unchanged.")]
    meeting.refresh_from_db()
    assert (meeting.state, meeting.cancel_reason) == (MeetingState.CANCELLED, "与专项检查时间冲突")


@pytest.mark.parametrize("name", ["control:meeting_cancel", "control:proposal_decline"])
def test_a_reason_too_long_changes_nothing_and_says_why(client, regulator, operator_a, meeting, name):
    # It used to cancel the meeting (or decline the proposal) without the reason, and say nothing.
    proposal = services.propose_item(meeting, user=operator_a, title="统一客服口径")
    client.force_login(regulator)
    pk = meeting.pk if name == "control:meeting_cancel" else proposal.pk
    _went, said = post(client, name, pk, {"reason": "因" * 301})
    assert said == [("error", "Ensure this value has at most 300 characters (it has 301).")]
    meeting.refresh_from_db()
    proposal.refresh_from_db()
    assert (meeting.state, meeting.cancel_reason, proposal.state) == (
        MeetingState.SCHEDULED,
        "",
        AgendaState.PROPOSED,
    )


def test_a_refusal_is_an_error_message(client, regulator, meeting):
    client.force_login(regulator)
    went, said = post(client, "control:meeting_agenda_publish", meeting.pk)
    assert went == reverse("control:meeting", args=[meeting.pk])
    assert said == [("error", "The agenda is empty: add at least one item before publishing it.")]
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is None


def test_staff_add_and_decide_on_the_agenda_and_go_back_to_it(client, regulator, operator_a, meeting):
    proposal = services.propose_item(meeting, user=operator_a, title="统一客服口径")
    client.force_login(regulator)
    agenda = reverse("control:meeting", args=[meeting.pk]) + "#agenda"
    went, said = post(
        client,
        "control:meeting_agenda_add",
        meeting.pk,
        {"title": "通报情况", "planned_minutes": "10", "operator": ""},
    )
    assert (went, said) == (agenda, [("success", "The item is on the agenda.")])
    assert post(client, "control:proposal_accept", proposal.pk) == (
        agenda,
        [("success", "The proposal is on the agenda.")],
    )
    # Moving an item says nothing: the new order on the page says it.
    assert post(client, "control:agenda_item_move", proposal.pk, {"direction": "up"}) == (agenda, [])
    assert [i.title for i in meeting.agenda_items.order_by("position")] == ["统一客服口径", "通报情况"]


def test_staff_follow_an_action_item_through_done_reopen_and_removal(client, regulator, meeting, cmcc):
    item = services.add_action_item(
        meeting, title="报送分析", operator=cmcc, due_on=dt.date(2026, 12, 20), user=regulator
    )
    client.force_login(regulator)
    back = reverse("control:meeting_minutes", args=[meeting.pk]) + "#action-items"
    assert post(client, "control:action_item_done", item.pk) == (
        back,
        [("success", "The action item is marked done.")],
    )
    assert post(client, "control:action_item_done", item.pk) == (
        back,
        [("error", "You cannot mark this action item done now: it is “Done”.")],
    )
    assert post(client, "control:action_item_reopen", item.pk) == (
        back,
        [("success", "The action item is open again.")],
    )
    item.refresh_from_db()
    assert item.state == ActionState.OPEN
    assert post(client, "control:action_item_delete", item.pk) == (
        back,
        [("success", "The action item is removed.")],
    )
    assert not meeting.action_items.exists()


def test_operators_withdraw_their_proposal_once(client, operator_a, meeting):
    proposal = services.propose_item(meeting, user=operator_a, title="统一客服口径")
    client.force_login(operator_a)
    proposals = reverse("portal:meeting", args=[meeting.pk]) + "#proposals"
    assert post(client, "portal:proposal_withdraw", proposal.pk) == (
        proposals,
        [("success", "Your proposal is withdrawn.")],
    )
    assert not meeting.agenda_items.exists()


@pytest.mark.parametrize(("face", "user"), [("control", "leader"), ("portal", "operator_a")])
def test_everyone_resets_and_turns_off_their_calendar_address(client, request, face, user):
    user = request.getfixturevalue(user)
    client.force_login(user)
    page = reverse(f"{face}:calendar_address")
    assert post(client, f"{face}:calendar_reset") == (
        page,
        [("success", "Your calendar has a new address; any earlier one no longer works.")],
    )
    assert CalendarFeed.objects.filter(user=user).exists()
    assert post(client, f"{face}:calendar_revoke") == (
        page,
        [("success", "Your calendar address is turned off.")],
    )
    assert not CalendarFeed.objects.filter(user=user).exists()


@pytest.mark.parametrize(("face", "user"), [("control", "leader"), ("portal", "operator_a")])
def test_the_calendar_page_posts_to_its_own_face(client, request, face, user):
    client.force_login(request.getfixturevalue(user))
    html = client.get(reverse(f"{face}:calendar_address")).content.decode()
    assert f'action="{reverse(f"{face}:calendar_reset")}"' in html  # before an address exists
    client.post(reverse(f"{face}:calendar_reset"))
    html = client.get(reverse(f"{face}:calendar_address")).content.decode()
    assert f'action="{reverse(f"{face}:calendar_reset")}"' in html
    assert f'action="{reverse(f"{face}:calendar_revoke")}"' in html
