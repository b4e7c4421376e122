"""Leadership's instructions (批示): a leader writes one on a case, a report or a briefing; the
staff see it on the object's page and in their queue, and acknowledge it; nobody else may do
either; each step is on the audit trail."""

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.core import audit, instructions, queues
from supervision.core.instructions import InstructionRefused
from supervision.core.models import Operator, Period
from supervision.reporting import incidents, submissions
from supervision.reporting.models import Incident
from tests.conftest import make_user


@pytest.fixture
def report(db):
    """A certified monthly report of CMCC, awaiting the administration's decision."""
    version = submissions.create_version(
        Operator.objects.get(code="CMCC"), Period.objects.from_label("2026-10")
    )
    return submissions.submit(version)


def queue(user, key):
    return next((q for q in queues.for_user(user) if q.key == key), None)


def test_a_leader_gives_an_instruction_the_staff_see_and_acknowledge(report, leader, regulator):
    given = instructions.give(report, user=leader, text="请核实潍坊市数据后再受理")
    assert (given.kind, given.object_repr, given.author) == ("report", str(report), leader)
    assert list(instructions.on(report)) == [given]

    # In the staff's queue, linked to the report's page, and in the leader's until acknowledged.
    (item,) = queue(regulator, "core.instructions_to_acknowledge").items
    assert item.url == reverse("control:submission", args=[report.pk])
    assert item.extra == "李局长：请核实潍坊市数据后再受理"
    assert queue(leader, "core.instructions_not_acknowledged").count == 1

    instructions.acknowledge(given, user=regulator)
    given.refresh_from_db()
    assert given.acknowledged_by == regulator and given.acknowledged_at is not None
    assert queue(regulator, "core.instructions_to_acknowledge") is None
    assert queue(leader, "core.instructions_not_acknowledged") is None


def test_each_leader_follows_only_their_own_instructions(report, leader, regulator):
    other = make_user("leader2", "regulator_leader", full_name="周副局长")
    instructions.give(report, user=other, text="同意")
    assert queue(leader, "core.instructions_not_acknowledged") is None
    assert queue(other, "core.instructions_not_acknowledged").count == 1


def test_only_leadership_gives_and_only_the_staff_acknowledge(
    report, leader, regulator, operator_a, manager_a
):
    for user in (regulator, operator_a, manager_a):
        with pytest.raises(InstructionRefused, match="只有管局领导"):
            instructions.give(report, user=user, text="请处理")
    given = instructions.give(report, user=leader, text="请处理")
    for user in (leader, operator_a, manager_a):
        with pytest.raises(InstructionRefused, match="只有管局工作人员"):
            instructions.acknowledge(given, user=user)
    instructions.acknowledge(given, user=regulator)
    with pytest.raises(InstructionRefused):
        instructions.acknowledge(given, user=regulator)  # once


def test_an_empty_instruction_or_an_unknown_object_is_refused(report, leader):
    with pytest.raises(InstructionRefused):
        instructions.give(report, user=leader, text="  ")
    with pytest.raises(InstructionRefused):
        instructions.give(Operator.objects.get(code="CMCC"), user=leader, text="请处理")


def test_giving_and_acknowledging_are_on_the_audit_trail(report, leader, regulator):
    given = instructions.give(report, user=leader, text="请核实")
    instructions.acknowledge(given, user=regulator)
    entries = list(audit.for_object(given).order_by("at", "pk"))
    assert [(e.action, e.user) for e in entries] == [("give", leader), ("acknowledge", regulator)]
    assert audit.action_label(entries[0]) == "作出批示"
    assert entries[0].data["note"] == "请核实"


@pytest.fixture
def incident(operator_a):
    """A major problem CMCC reported: a case leadership may write on, on its dashboard page."""
    return incidents.report(
        Incident(title="潍坊授权码短信下发异常", description="-", since=timezone.now(), measures="-"),
        operator=Operator.objects.get(code="CMCC"),
        user=operator_a,
    )


def test_the_page_shows_the_form_to_leadership_and_the_button_to_the_staff(
    client, incident, leader, regulator
):
    page = reverse("control:incident", args=[incident.pk])
    client.force_login(leader)
    response = client.post(
        reverse("control:instruction_give", args=["incident", incident.pk]), {"text": "请督促尽快恢复"}
    )
    assert response.url == page
    html = client.get(page).content.decode()
    assert "请督促尽快恢复" in html and "作出批示" in html  # the form stays for another one
    (given,) = instructions.on(incident)

    client.force_login(regulator)
    html = client.get(page).content.decode()
    assert reverse("control:instruction_acknowledge", args=[given.pk]) in html
    assert reverse("control:instruction_give", args=["incident", incident.pk]) not in html
    client.post(reverse("control:instruction_acknowledge", args=[given.pk]))
    html = client.get(page).content.decode()
    assert reverse("control:instruction_acknowledge", args=[given.pk]) not in html
    assert "王科长 已于" in html  # who acknowledged, and when


def test_the_staff_cannot_post_an_instruction_and_operators_never_see_one(
    client, report, regulator, operator_a
):
    client.force_login(regulator)
    client.post(reverse("control:instruction_give", args=["report", report.pk]), {"text": "越权"})
    assert not instructions.on(report).exists()
    client.force_login(operator_a)
    assert (
        client.post(
            reverse("control:instruction_give", args=["report", report.pk]), {"text": "x"}
        ).status_code
        == 403
    )
