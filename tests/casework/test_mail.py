"""Casework e-mails: recorded in the reminders' outbox with the change and sent after the commit,
one per recipient in their language, text and HTML, each mail recorded once on the case's
timeline; each event is a mail of its own, the same event recorded twice is not."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction

from supervision.casework import findings, interviews, orders
from supervision.casework import mail as case_mail
from supervision.casework.models import CaseEvent, local_date
from supervision.reminders.models import Occasion

from .conftest import make_finding, make_interview, make_order, upload

# Runs at each of make test-dates' instants: deadlines and their extensions are counted from today.
pytestmark = pytest.mark.dates


@pytest.fixture
def sent(eager_tasks, django_capture_on_commit_callbacks):
    """Run the mail queued by the services in the block, as the worker would after the commit."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        return result

    return run


@pytest.fixture
def cmcc_people(operator_a, manager_a):
    manager_a.language = "en"
    manager_a.save(update_fields=["language"])
    return operator_a, manager_a


def test_an_issued_order_is_mailed_to_each_operator_user_in_their_language(
    sent, regulator, cmcc_people, operator_b
):
    operator_a, manager_a = cmcc_people
    draft = make_order(regulator, operator_a, "draft")
    order = sent(lambda: orders.issue_order(draft, user=regulator))
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {operator_a.email, manager_a.email}  # CMCC's users, not CUCC's
    english = by_address[manager_a.email]
    assert english.subject == f"Rectification order {order.document_no}: {order.title}"
    assert english.body.startswith("Dear 赵经理,")
    assert "/portal/orders/" in english.body
    html, kind = english.alternatives[0]
    assert kind == "text/html" and order.document_no in html and "style=" not in html
    chinese = by_address[operator_a.email]
    assert chinese.body.startswith("张专员，您好：")
    event = CaseEvent.objects.get(order=order, kind="email")
    assert (event.data["mail"], sorted(event.data["to"])) == ("order_issued", sorted(by_address))
    assert not event.internal


def test_the_case_officer_is_told_of_a_report_and_an_extension_request(sent, regulator, operator_a):
    order = make_order(regulator, operator_a, "acknowledged")
    mail.outbox.clear()
    later = local_date(order.deadline) + dt.timedelta(days=10)
    sent(lambda: orders.ask_extension(order, user=operator_a, reason="系统改造", proposed_date=later))
    sent(lambda: orders.submit_report(order, user=operator_a, text="已整改", uploads=[upload()]))
    assert [m.to for m in mail.outbox] == [[regulator.email], [regulator.email]]
    assert "/dashboard/orders/" in mail.outbox[0].body
    assert "系统改造" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("step", "code"),
    [
        ("grant", "extension_granted"),
        ("refuse", "extension_refused"),
        ("return", "report_returned"),
        ("verify", "order_verified"),
    ],
)
def test_decisions_are_mailed_to_the_operator(sent, regulator, operator_a, step, code):
    order = make_order(
        regulator, operator_a, "report_submitted" if step in ("return", "verify") else "acknowledged"
    )
    if step in ("grant", "refuse"):
        request = orders.ask_extension(
            order,
            user=operator_a,
            reason="x",
            proposed_date=local_date(order.deadline) + dt.timedelta(days=3),
        )
    mail.outbox.clear()
    action = {
        "grant": lambda: orders.grant_extension(request, user=regulator),
        "refuse": lambda: orders.refuse_extension(request, user=regulator, note="理由不充分"),
        "return": lambda: orders.return_report(order, user=regulator, comment="请补充培训记录"),
        "verify": lambda: orders.verify_order(order, user=regulator),
    }[step]
    sent(action)
    assert [m.to for m in mail.outbox] == [[operator_a.email]]
    assert CaseEvent.objects.filter(order=order, kind="email", data__mail=code).exists()


def test_published_findings_and_issued_interviews_are_mailed(sent, regulator, operator_a, manager_a):
    finding = make_finding(regulator, "draft", evidence=True)
    sent(lambda: findings.publish_finding(finding, user=regulator))
    notice = make_interview(regulator, "draft")
    sent(lambda: interviews.issue_interview(notice, user=regulator))
    assert [sorted(m.to[0] for m in mail.outbox[i : i + 2]) for i in (0, 2)] == [
        sorted([operator_a.email, manager_a.email])
    ] * 2


def test_a_refused_change_sends_nothing(sent, regulator, operator_a):
    order = make_order(regulator, operator_a, "issued")
    mail.outbox.clear()
    with pytest.raises(orders.TransitionRefused):
        sent(lambda: orders.verify_order(order, user=regulator))
    assert mail.outbox == []


def test_a_rolled_back_change_sends_nothing(sent, regulator, operator_a):
    order = make_order(regulator, operator_a, "draft")

    def issue_then_fail():
        with transaction.atomic():
            orders.issue_order(order, user=regulator)
            raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        sent(issue_then_fail)
    assert mail.outbox == []
    assert not Occasion.objects.filter(object_key__startswith=f"order:{order.pk}:").exists()


def keys(order):
    return sorted(
        set(
            Occasion.objects.filter(object_key__startswith=f"order:{order.pk}:").values_list(
                "object_key", flat=True
            )
        )
    )


def test_each_extension_granted_is_a_mail_of_its_own_about_that_extension(sent, regulator, operator_a):
    order = make_order(regulator, operator_a, "acknowledged")
    decided = []
    for days, note in ((5, "同意延期至第一次"), (12, "同意再次延期")):
        request = orders.ask_extension(
            order,
            user=operator_a,
            reason="x",
            proposed_date=local_date(order.deadline) + dt.timedelta(days=days),
        )
        sent(lambda request=request, note=note: orders.grant_extension(request, user=regulator, note=note))
        order.refresh_from_db()
        decided.append(request)
    first, second = decided
    assert keys(order) == sorted(
        [
            f"order:{order.pk}:issued",
            f"order:{order.pk}:extension:{first.pk}:asked",
            f"order:{order.pk}:extension:{first.pk}:granted",
            f"order:{order.pk}:extension:{second.pk}:asked",
            f"order:{order.pk}:extension:{second.pk}:granted",
        ]
    )
    granted = [m for m in mail.outbox if "同意" in m.body]
    assert [m.to for m in granted] == [[operator_a.email], [operator_a.email]]
    assert "同意延期至第一次" in granted[0].body and "同意再次延期" in granted[1].body
    events = CaseEvent.objects.filter(order=order, kind="email", data__mail="extension_granted")
    assert events.count() == 2


def test_a_report_returned_twice_is_two_mails_and_recording_one_again_is_none(sent, regulator, operator_a):
    order = make_order(regulator, operator_a, "returned")  # report no. 1 returned
    orders.submit_report(order, user=operator_a, text="已补充", uploads=[upload()])
    mail.outbox.clear()
    sent(lambda: orders.return_report(order, user=regulator, comment="仍缺培训签到表"))
    assert f"order:{order.pk}:report:1:returned" in keys(order)
    assert f"order:{order.pk}:report:2:returned" in keys(order)
    assert [m.to for m in mail.outbox] == [[operator_a.email]]
    assert "仍缺培训签到表" in mail.outbox[0].body
    # The same event recorded again (a service retried, say) is no new mail.
    report = order.reports.get(number=2)
    assert sent(lambda: case_mail.queue("report_returned", order, report)) == []
    assert len(mail.outbox) == 1


def test_the_timeline_lists_each_mail_once_whatever_the_deliveries(sent, regulator, cmcc_people):
    operator_a, manager_a = cmcc_people
    draft = make_order(regulator, operator_a, "draft")
    order = sent(lambda: orders.issue_order(draft, user=regulator))
    from supervision.reminders import services

    for occasion in Occasion.objects.filter(object_key=f"order:{order.pk}:issued"):
        assert services.send(occasion.pk) == "taken"
    [event] = CaseEvent.objects.filter(order=order, kind="email")
    assert sorted(event.data["to"]) == sorted([operator_a.email, manager_a.email])
    assert event.data["key"] == f"order:{order.pk}:issued"
