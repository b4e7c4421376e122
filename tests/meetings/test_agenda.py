"""The agenda: items with presenter and time, suggestions from the data taken with one click,
operators' proposals accepted or declined, a warning when it runs over, published to the invitees."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from supervision.casework.models import OrderState, RectificationOrder
from supervision.core.models import City, Operator, ViolationCategory
from supervision.meetings import services
from supervision.meetings.models import AgendaSource, AgendaState
from supervision.meetings.suggestions import suggest
from supervision.reporting.models import ComplaintMonthly, Incident, IncidentState

from .conftest import local


@pytest.fixture
def data(meeting, series, cmcc, cucc, regulator):
    """What the data say before the December meeting (the last complete month is October 2026)."""
    ctcc = Operator.objects.get(code="CTCC")
    order = RectificationOrder.objects.create(
        operator=cmcc, document_no="鲁通管〔2026〕31号", title="整改营业厅携出告知不全", requirements="-",
        severity="MAJOR", deadline=local(2026, 11, 20, 17, 0), state=OrderState.ACKNOWLEDGED,
    )  # fmt: skip
    RectificationOrder.objects.create(  # not yet due
        operator=cmcc, title="整改客服口径", requirements="-", severity="MINOR",
        deadline=local(2026, 12, 20, 17, 0), state=OrderState.ISSUED,
    )  # fmt: skip
    RectificationOrder.objects.create(  # CTCC is not invited
        operator=ctcc, title="整改授权码", requirements="-", severity="MAJOR",
        deadline=local(2026, 11, 1, 17, 0), state=OrderState.ISSUED,
    )  # fmt: skip
    incident = Incident.objects.create(
        operator=cucc, title="潍坊授权码下发异常", description="-", since=local(2026, 11, 25, 9, 40),
        subscribers_affected=1200, measures="-", state=IncidentState.REPORTED,
    )  # fmt: skip
    Incident.objects.create(
        operator=cucc, title="已处置", description="-", since=local(2026, 10, 1, 9, 0), measures="-",
        state=IncidentState.CLOSED,
    )  # fmt: skip
    weifang, bl1 = City.objects.get(code="370700"), ViolationCategory.objects.get(code="BL1")
    for month, received in [(5, 2), (6, 3), (7, 2), (8, 2), (9, 3), (10, 21)]:
        ComplaintMonthly.objects.create(
            operator=cucc,
            city=weifang,
            category=bl1,
            channel="MIIT",
            month=dt.date(2026, month, 1),
            received=received,
        )
    november = services.add_occurrence(
        series, starts_at=local(2026, 11, 5), duration_minutes=120, user=regulator
    )
    action = services.add_action_item(
        november, title="报送投诉原因分析", operator=cmcc, due_on=dt.date(2026, 11, 20), user=regulator
    )
    return {"order": order, "incident": incident, "action": action}


def test_suggestions_come_from_the_data_of_the_invited_operators(meeting, data):
    with translation.override("en"):
        found = {s.key: s for s in suggest(meeting)}
    assert set(found) == {
        f"order:{data['order'].pk}",
        f"incident:{data['incident'].pk}",
        "spike:CUCC:370700:BL1:2026-10",
        f"action:{data['action'].pk}",
    }
    assert "整改营业厅携出告知不全" in found[f"order:{data['order'].pk}"].title
    assert "past due" in found[f"action:{data['action'].pk}"].details
    # One suggestion per operator and city: the category-level spike, not the same count again.
    assert "21" in found["spike:CUCC:370700:BL1:2026-10"].details


def test_staff_take_a_suggestion_with_one_click_and_it_is_not_suggested_again(
    client, regulator, meeting, data
):
    client.force_login(regulator)
    key = f"order:{data['order'].pk}"
    assert f'value="{key}"' in client.get(reverse("control:meeting", args=[meeting.pk])).content.decode()
    response = client.post(reverse("control:meeting_agenda_take", args=[meeting.pk]), {"key": key})
    assert response.status_code == 302
    (item,) = meeting.agenda_items.all()
    assert (item.source, item.state, item.operator.code, item.suggestion_key) == (
        AgendaSource.SUGGESTION, AgendaState.ACCEPTED, "CMCC", key,
    )  # fmt: skip
    assert key not in {s.key for s in suggest(meeting)}
    client.post(reverse("control:meeting_agenda_take", args=[meeting.pk]), {"key": key})
    assert meeting.agenda_items.count() == 1
    # A made-up key puts nothing on the agenda.
    client.post(reverse("control:meeting_agenda_take", args=[meeting.pk]), {"key": "order:999999"})
    assert meeting.agenda_items.count() == 1


def test_the_agenda_warns_when_it_runs_over_the_slot(client, regulator, meeting):
    client.force_login(regulator)
    services.add_item(meeting, title="通报情况", planned_minutes=60, user=regulator)
    services.add_item(meeting, title="各运营商汇报", planned_minutes=60, user=regulator)
    page = client.get(
        reverse("control:meeting", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'data-testid="over-time"' not in page
    services.add_item(meeting, title="研究议定事项", planned_minutes=15, user=regulator)
    page = client.get(
        reverse("control:meeting", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'data-testid="over-time"' in page
    assert "runs 15 minutes over" in page
    assert services.over_time(meeting, meeting.agenda_items.all()) == 15


def test_staff_add_move_edit_and_remove_items(client, regulator, meeting):
    client.force_login(regulator)
    url = reverse("control:meeting_agenda_add", args=[meeting.pk])
    client.post(url, {"title": "通报情况", "presenter": "王科长", "planned_minutes": "20", "operator": ""})
    client.post(url, {"title": "各运营商汇报", "presenter": "", "planned_minutes": "40", "operator": ""})
    first, second = meeting.agenda_items.order_by("position")
    client.post(reverse("control:agenda_item_move", args=[second.pk]), {"direction": "up"})
    assert [i.title for i in meeting.agenda_items.order_by("position")] == ["各运营商汇报", "通报情况"]
    client.post(
        reverse("control:agenda_item_edit", args=[first.pk]),
        {"title": "通报11月情况", "presenter": "王科长", "planned_minutes": "25", "operator": ""},
    )
    first.refresh_from_db()
    assert (first.title, first.planned_minutes) == ("通报11月情况", 25)
    client.post(reverse("control:agenda_item_delete", args=[second.pk]))
    assert [i.title for i in meeting.agenda_items.all()] == ["通报11月情况"]
    response = client.post(url, {"title": "", "planned_minutes": "0"})
    assert response.status_code == 400


def test_an_operator_proposes_and_staff_accept_or_decline(client, regulator, operator_a, manager_a, meeting):
    client.force_login(operator_a)
    response = client.post(
        reverse("portal:meeting_propose", args=[meeting.pk]),
        {
            "title": "统一客服热线答复口径",
            "details": "建议统一口径",
            "presenter": "张专员",
            "planned_minutes": "15",
        },
    )
    assert response.status_code == 302
    proposal = meeting.agenda_items.get()
    assert (proposal.state, proposal.source, proposal.operator.code) == ("proposed", "proposal", "CMCC")
    client.force_login(manager_a)
    client.post(
        reverse("portal:meeting_propose", args=[meeting.pk]), {"title": "第二项", "planned_minutes": "10"}
    )
    second = meeting.agenda_items.get(title="第二项")

    client.force_login(regulator)
    client.post(reverse("control:proposal_accept", args=[proposal.pk]))
    client.post(reverse("control:proposal_decline", args=[second.pk]), {"reason": "下次会议再议"})
    proposal.refresh_from_db()
    second.refresh_from_db()
    assert (proposal.state, proposal.position, proposal.decided_by) == ("accepted", 1, regulator)
    assert (second.state, second.decline_reason) == ("declined", "下次会议再议")

    client.force_login(operator_a)
    page = client.get(reverse("portal:meeting", args=[meeting.pk])).content.decode()
    assert "下次会议再议" in page


def test_an_empty_agenda_is_not_published(meeting, regulator):
    with pytest.raises(services.MeetingRefused):
        services.publish_agenda(meeting, user=regulator)


def test_operators_see_the_agenda_once_published(client, operator_a, meeting, regulator):
    services.add_item(meeting, title="通报11月携号转网工作情况", user=regulator)
    client.force_login(operator_a)
    url = reverse("portal:meeting", args=[meeting.pk])
    assert "通报11月携号转网工作情况" not in client.get(url).content.decode()
    services.publish_agenda(meeting, user=regulator)
    assert "通报11月携号转网工作情况" in client.get(url).content.decode()
