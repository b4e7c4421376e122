"""What the casework leaves waiting for whom (casework.queues): each item for the role that acts
on it, linked in its own face, for its own operator only, gone once the step is taken."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from supervision.casework import findings, interviews, orders
from supervision.core import instructions, queues
from supervision.core.dates import SHANGHAI
from tests.conftest import make_user

from .conftest import make_finding, make_interview, make_order, pending_extension, upload

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def manager_b(db):
    return make_user("manager_b", "operator_manager", "CUCC")


def queue(user, key):
    return next((q for q in queues.for_user(user, NOW) if q.key == key), None)


def urls(user, key):
    found = queue(user, key)
    return [i.url for i in found.items] if found else []


def test_an_answer_or_a_contest_waits_for_the_staff_until_decided(regulator, leader, operator_a):
    answered = make_finding(regulator, "responded", operator_user=operator_a)
    contested = make_finding(regulator, "contested", operator_user=operator_a)
    found = queue(regulator, "casework.findings_to_decide")
    assert found.count == 2
    assert {i.url for i in found.items} == {
        reverse("control:finding", args=[answered.pk]),
        reverse("control:finding", args=[contested.pk]),
    }
    assert {i.extra for i in found.items} == {"已答复：已整改", "已申辩：已整改"}
    assert queue(leader, "casework.findings_to_decide") is None
    assert queue(operator_a, "casework.findings_to_decide") is None
    findings.decide_finding(answered, user=regulator, uphold=True, note="经复核")
    assert urls(regulator, "casework.findings_to_decide") == [reverse("control:finding", args=[contested.pk])]


def test_an_extension_request_waits_for_the_staff_with_the_orders_deadline(regulator, operator_a):
    order = make_order(regulator, operator_a, "acknowledged")
    extension = pending_extension(order, operator_a)
    (item,) = queue(regulator, "casework.extensions").items
    assert item.url == reverse("control:order", args=[order.pk])
    assert item.due == order.deadline and not item.overdue
    assert "系统改造需要时间" in item.extra
    orders.refuse_extension(extension, user=regulator, note="理由不充分")
    assert queue(regulator, "casework.extensions") is None


def test_a_rectification_report_waits_for_verification(regulator, operator_a):
    order = make_order(regulator, operator_a, "report_submitted")
    assert urls(regulator, "casework.reports_to_verify") == [reverse("control:order", args=[order.pk])]
    assert queue(operator_a, "casework.orders_due") is None  # the operator has done its part
    orders.verify_order(order, user=regulator)
    assert queue(regulator, "casework.reports_to_verify") is None


def test_an_order_waits_for_its_operator_until_reported_and_again_when_returned(
    regulator, operator_a, operator_b, manager_a
):
    order = make_order(regulator, operator_a, "issued")
    (item,) = queue(operator_a, "casework.orders_due").items
    assert item.url == reverse("portal:order", args=[order.pk])
    assert item.extra == "请先签收，再在期限前报送整改报告。"
    assert queue(operator_b, "casework.orders_due") is None  # another operator's order
    assert queue(manager_a, "casework.orders_due") is None  # the reporting staff's work
    assert queue(regulator, "casework.orders_due") is None

    orders.acknowledge_order(order, user=operator_a)
    assert queue(operator_a, "casework.orders_due").count == 1
    orders.submit_report(order, user=operator_a, text="已完成整改", uploads=[upload()])
    assert queue(operator_a, "casework.orders_due") is None
    orders.return_report(order, user=regulator, comment="请补充培训记录")
    assert queue(operator_a, "casework.orders_due").items[0].extra == "整改报告被退回：请补充培训记录"


def test_an_overdue_order_is_flagged(regulator, operator_a):
    make_order(regulator, operator_a, "acknowledged", overdue=True)
    (item,) = queue(operator_a, "casework.orders_due").items
    assert item.overdue


def test_an_escalation_waits_for_leadership_until_a_leader_writes_on_it(regulator, leader, operator_a):
    order = make_order(regulator, operator_a, "escalated")
    (item,) = queue(leader, "casework.escalations").items
    assert item.url == reverse("control:order", args=[order.pk])
    assert item.extra == "已升级处理：拒不整改"
    assert queue(regulator, "casework.escalations") is None
    instructions.give(order, user=leader, text="请依法启动约谈程序")
    assert queue(leader, "casework.escalations") is None


def test_an_interview_notice_waits_for_the_operators_manager_to_confirm(
    regulator, manager_a, manager_b, operator_a
):
    notice = make_interview(regulator, "issued")
    (item,) = queue(manager_a, "casework.interviews_to_confirm").items
    assert item.url == reverse("portal:interview", args=[notice.pk])
    assert item.due == notice.scheduled_at
    assert queue(manager_b, "casework.interviews_to_confirm") is None
    assert queue(operator_a, "casework.interviews_to_confirm") is None

    interviews.confirm_attendance(notice, user=manager_a, attendees="钱副总经理")
    assert queue(manager_a, "casework.interviews_to_confirm") is None
    assert urls(manager_a, "casework.interviews_ahead") == [reverse("portal:interview", args=[notice.pk])]


def test_a_commitment_waits_for_its_operator_then_for_the_staff(regulator, operator_a, operator_b, manager_a):
    notice = make_interview(regulator, "held", manager=manager_a)
    commitment = interviews.add_commitment(
        notice, user=regulator, text="一个月内完成全省营业厅培训", due_date=dt.date(2026, 12, 20)
    )
    (item,) = queue(operator_a, "casework.commitments_due").items
    assert (item.url, item.due_label) == (reverse("portal:interview", args=[notice.pk]), "2026-12-20 23:59")
    assert queue(operator_b, "casework.commitments_due") is None

    interviews.commitment_done(commitment, user=operator_a, note="已完成培训 120 场")
    assert queue(operator_a, "casework.commitments_due") is None
    assert urls(regulator, "casework.commitments_to_verify") == [
        reverse("control:interview", args=[notice.pk])
    ]
    interviews.verify_commitment(commitment, user=regulator)
    assert queue(regulator, "casework.commitments_to_verify") is None
