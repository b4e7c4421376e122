"""Operator B (CUCC) never sees nor changes operator A's (CMCC) meetings, answers, proposals or
action items: another operator's object is a 404."""

import datetime as dt

import pytest
from django.urls import reverse

from supervision.meetings import services
from supervision.meetings.models import AgendaItem

from .conftest import local


@pytest.fixture
def cmcc_meeting(make_series, frozen, cmcc):
    """A meeting only CMCC is invited to."""
    series = make_series(title="中国移动专题会商", first_start=local(2026, 12, 10, 9, 0), operators=[cmcc])
    return series.meetings.order_by("starts_at").first()


@pytest.fixture
def a_records(meeting, operator_a, cmcc, regulator):
    """In the meeting both are invited to: CMCC's answer, proposal and action item."""
    services.answer_attendance(
        meeting, user=operator_a, attendees=[operator_a], others=[("孙主任", "副总经理")]
    )
    proposal = services.propose_item(meeting, user=operator_a, title="移动的提议")
    action = services.add_action_item(
        meeting, title="移动的待办", operator=cmcc, due_on=dt.date(2026, 12, 20), user=regulator
    )
    return {"proposal": proposal, "action": action}


def test_b_cannot_open_a_meeting_it_is_not_invited_to(client, operator_b, cmcc_meeting):
    client.force_login(operator_b)
    for name in (
        "portal:meeting",
        "portal:meeting_attendance",
        "portal:meeting_propose",
        "portal:meeting_ics",
    ):
        assert client.get(reverse(name, args=[cmcc_meeting.pk])).status_code == 404, name
    response = client.post(
        reverse("portal:meeting_propose", args=[cmcc_meeting.pk]), {"title": "x", "planned_minutes": "5"}
    )
    assert response.status_code == 404
    response = client.post(
        reverse("portal:meeting_attendance", args=[cmcc_meeting.pk]), {"attendees": [operator_b.pk]}
    )
    assert response.status_code == 404
    assert cmcc_meeting.title not in client.get(reverse("portal:meetings")).content.decode()


def test_b_cannot_see_or_change_as_proposal_and_action_item(client, operator_b, a_records):
    client.force_login(operator_b)
    assert (
        client.post(reverse("portal:proposal_withdraw", args=[a_records["proposal"].pk])).status_code == 404
    )
    assert AgendaItem.objects.filter(pk=a_records["proposal"].pk).exists()
    action = a_records["action"]
    assert client.get(reverse("portal:action_item", args=[action.pk])).status_code == 404
    assert client.post(reverse("portal:action_item", args=[action.pk]), {"note": "x"}).status_code == 404
    action.refresh_from_db()
    assert action.is_open
    assert "移动的待办" not in client.get(reverse("portal:action_items")).content.decode()


def test_in_a_shared_meeting_b_sees_only_its_own_answer_proposals_and_actions(
    client, operator_b, meeting, a_records
):
    client.force_login(operator_b)
    page = client.get(reverse("portal:meeting", args=[meeting.pk])).content.decode()
    for text in ("移动的提议", "移动的待办", "孙主任", "张专员"):
        assert text not in page, text
    form = client.get(reverse("portal:meeting_attendance", args=[meeting.pk])).context["form"]
    assert form.initial["others"] == "" and form.initial["attendees"] == []
    client.post(reverse("portal:meeting_attendance", args=[meeting.pk]), {"attendees": [operator_b.pk]})
    a_invitation = meeting.invitations.get(operator__code="CMCC")
    assert [a.name for a in a_invitation.attendees.all()] == ["张专员", "孙主任"]
    assert meeting.invitations.get(operator__code="CUCC").attendees.get().user == operator_b


def test_b_cannot_name_a_people_nor_give_a_an_action_item_by_hand(meeting, operator_a, operator_b):
    services.answer_attendance(meeting, user=operator_b, attendees=[operator_a, operator_b])
    assert [a.user for a in meeting.invitations.get(operator__code="CUCC").attendees.all()] == [operator_b]


def test_operators_cannot_reach_the_dashboards_meeting_pages(client, operator_a, meeting):
    client.force_login(operator_a)
    assert client.get(reverse("control:meeting", args=[meeting.pk])).status_code == 403
    assert client.post(reverse("control:meeting_agenda_publish", args=[meeting.pk])).status_code == 403


# --- Agenda items about one operator's case (issue 12, point 9) ---------------------------------


@pytest.fixture
def case_agenda(meeting, cmcc, operator_a, operator_b, regulator):
    """A published agenda (after the users exist: they are invited): an item about CMCC's case,
    one about CMCC shared by staff, a general one."""
    items = {
        "private": services.add_item(
            meeting, title="逾期整改：中国移动烟台客服热线", operator=cmcc, user=regulator
        ),
        "shared": services.add_item(
            meeting, title="中国移动经验交流", operator=cmcc, shared=True, user=regulator
        ),
        "general": services.add_item(meeting, title="通报11月携号转网工作情况", user=regulator),
    }
    services.publish_agenda(meeting, user=regulator)
    return items


def ics_description(content: bytes) -> str:
    from icalendar import Calendar

    (event,) = Calendar.from_ical(content).walk("VEVENT")
    return str(event.get("DESCRIPTION", ""))


def test_b_never_reads_an_agenda_item_about_as_case_unless_shared(
    client, meeting, case_agenda, operator_a, operator_b, regulator
):
    from supervision.meetings import mail as meeting_mail
    from supervision.reminders.models import Occasion

    private, shared, general = (case_agenda[k].title for k in ("private", "shared", "general"))
    client.force_login(operator_b)
    page = client.get(reverse("portal:meeting", args=[meeting.pk]))
    assert [item.title for item in page.context["agenda"]] == [shared, general]
    assert private not in page.content.decode()
    description = ics_description(client.get(reverse("portal:meeting_ics", args=[meeting.pk])).content)
    assert shared in description and private not in description

    client.force_login(operator_a)
    page = client.get(reverse("portal:meeting", args=[meeting.pk]))
    assert [item.title for item in page.context["agenda"]] == [private, shared, general]

    client.force_login(regulator)
    assert private in client.get(reverse("control:meeting", args=[meeting.pk])).content.decode()

    # The invitation mail and its calendar file, each in its recipient's version.
    invitations = Occasion.objects.filter(object_key__startswith=f"meeting:{meeting.pk}:invitation")
    for user, sees_private in ((operator_b, False), (operator_a, True), (regulator, True)):
        message = meeting_mail.build("invitation", invitations.get(recipient=user))
        assert (private in message.body) is sees_private, user
        assert shared in message.body and general in message.body
        assert (private in ics_description(message.attachments[0][1])) is sees_private


def test_staff_share_an_item_on_the_agenda_form(client, meeting, case_agenda, operator_b, regulator):
    item = case_agenda["private"]
    client.force_login(regulator)
    response = client.post(
        reverse("control:agenda_item_edit", args=[item.pk]),
        {"title": item.title, "operator": item.operator_id, "shared": "on", "planned_minutes": "10"},
    )
    assert response.status_code == 302
    client.force_login(operator_b)
    page = client.get(reverse("portal:meeting", args=[meeting.pk]))
    assert item.title in [i.title for i in page.context["agenda"]]
