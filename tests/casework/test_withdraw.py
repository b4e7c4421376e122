"""Withdrawing a draft order or interview notice made by mistake: staff only, drafts only, with a
reason; the draft is kept (timeline, audit trail) but leaves the lists, the counts and the open
orders, and the operator never sees it. (Every role and state: test_transitions.py.)"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from supervision.casework import audit, interviews, orders
from supervision.casework.models import (
    CaseEvent,
    InterviewNotice,
    RectificationOrder,
)
from supervision.casework.rules import TransitionRefused
from supervision.control.forms.casework import OrderForm

from .conftest import make_finding, make_interview, make_order

REASON = "误建草稿：应为中国联通的问题"


def _order_snapshot(order):
    row = RectificationOrder.objects.get(pk=order.pk)
    return (row.state, row.document_no, row.withdrawn_at, row.withdrawal_reason, row.events.count())


def _interview_snapshot(notice):
    row = InterviewNotice.objects.get(pk=notice.pk)
    return (row.state, row.document_no, row.withdrawn_at, row.withdrawal_reason, row.events.count())


# --- Orders ---------------------------------------------------------------------------------


def test_staff_withdraw_a_draft_order_with_a_reason(client, regulator, operator_a):
    order = make_order(regulator, operator_a, "draft")
    client.force_login(regulator)
    response = client.post(reverse("control:order_withdraw", args=[order.pk]), {"withdraw-reason": REASON})
    assert response.status_code == 302
    assert response.url == reverse("control:order", args=[order.pk])
    order.refresh_from_db()
    assert (order.state, order.withdrawn_by, order.withdrawal_reason) == ("withdrawn", regulator, REASON)
    assert order.withdrawn_at is not None
    assert order.document_no is None  # never numbered: it was never an official document
    # On the timeline, with who and why, for the administration only.
    event = order.events.get(kind="draft_withdrawn")
    assert (event.actor, event.text, event.internal) == (regulator, REASON, True)
    page = client.get(reverse("control:order", args=[order.pk]))
    assert [e.event.kind for e in page.context["timeline"]] == ["created", "draft_withdrawn"]
    content = page.content.decode()
    assert REASON in content
    assert 'data-testid="withdraw-form"' not in content  # done once
    # Edit and issue are over.
    assert page.context["allowed"] == set()


def test_a_withdrawn_order_is_in_the_audit_trail(regulator, operator_a):
    order = make_order(regulator, operator_a, "withdrawn")
    with translation.override("en"):
        rows, _next = audit.page(model_name="rectificationorder")
    row = next(r for r in rows if r.object_id == order.pk and r.reason == "withdrawn")
    assert row.user == regulator
    changes = {c.field: c.new for c in row.changes}
    assert {"State", "Withdrawn at", "Withdrawn by", "Reason for the withdrawal"} <= set(changes)
    assert (changes["State"], changes["Reason for the withdrawal"]) == ("Withdrawn (draft)", "误建草稿")


def test_a_withdrawal_needs_a_reason(client, regulator, operator_a):
    order = make_order(regulator, operator_a, "draft")
    before = _order_snapshot(order)
    with translation.override("en"), pytest.raises(TransitionRefused, match="Say why the draft is withdrawn"):
        orders.withdraw_order(order, user=regulator, reason="  ")
    client.force_login(regulator)
    response = client.post(reverse("control:order_withdraw", args=[order.pk]), {"withdraw-reason": ""})
    assert response.status_code == 400
    assert response.context["withdraw_form"].errors
    assert 'data-testid="withdraw-form"' in response.content.decode()  # kept, with its error
    assert _order_snapshot(order) == before


@pytest.mark.parametrize("state", ["issued", "acknowledged", "verified", "escalated", "withdrawn"])
def test_only_a_draft_order_is_withdrawn(client, regulator, operator_a, state):
    order = make_order(regulator, operator_a, state)
    before = _order_snapshot(order)
    client.force_login(regulator)
    url = reverse("control:order_withdraw", args=[order.pk])
    for data in ({"withdraw-reason": REASON}, {"withdraw-reason": ""}):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        label = dict(RectificationOrder._meta.get_field("state").flatchoices)[state]
        with translation.override("en"):
            assert f"You cannot withdraw this order now: it is “{label}”." in response.content.decode()
    assert _order_snapshot(order) == before


@pytest.mark.parametrize("role", ["leader", "operator_a", "manager_a", "operator_b"])
def test_only_staff_withdraw_a_draft_order(client, request, regulator, operator_a, role):
    order = make_order(regulator, operator_a, "draft")
    before = _order_snapshot(order)
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("control:order_withdraw", args=[order.pk]), {"withdraw-reason": REASON})
    assert response.status_code == 403  # leadership reads; operators have no business here
    with translation.override("en"), pytest.raises(TransitionRefused, match="^Only the administration"):
        orders.withdraw_order(order, user=request.getfixturevalue(role), reason=REASON)
    assert _order_snapshot(order) == before


def test_the_withdraw_form_is_on_drafts_for_staff_only(client, regulator, leader, operator_a):
    draft = make_order(regulator, operator_a, "draft")
    issued = make_order(regulator, operator_a, "issued")
    client.force_login(regulator)
    page = client.get(reverse("control:order", args=[draft.pk])).content.decode()
    assert 'data-testid="withdraw-form"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert reverse("control:order_withdraw", args=[draft.pk]) in page
    assert (
        'data-testid="withdraw-form"'
        not in client.get(reverse("control:order", args=[issued.pk])).content.decode()
    )
    client.force_login(leader)
    assert (
        'data-testid="withdraw-form"'
        not in client.get(reverse("control:order", args=[draft.pk])).content.decode()
    )


def test_a_withdrawn_order_leaves_the_list_unless_asked_for(client, regulator, operator_a):
    kept = make_order(regulator, operator_a, "draft")
    withdrawn = make_order(regulator, operator_a, "withdrawn")
    client.force_login(regulator)

    def listed(query=""):
        rows = client.get(reverse("control:orders") + query).context["table"].paginated_rows.data
        return {row.pk for row in rows}

    assert listed() == {kept.pk}
    assert listed("?state=draft") == {kept.pk}
    assert listed("?state=withdrawn") == {withdrawn.pk}
    assert listed("?overdue=no") == {kept.pk}
    response = client.get(reverse("control:orders") + "?export=csv")
    export = b"".join(response.streaming_content).decode("utf-8-sig")
    assert export.count("关于中国移动潍坊违规限制携号转网问题的整改通知") == 1


@pytest.mark.dates
def test_a_withdrawn_order_is_never_open_overdue_nor_counted(client, regulator, operator_a):
    issued = make_order(regulator, operator_a, "issued")
    withdrawn = make_order(regulator, operator_a, "withdrawn")
    # Even with its deadline passed, a withdrawn draft is neither open nor overdue.
    RectificationOrder.objects.filter(pk=withdrawn.pk).update(deadline=timezone.now() - dt.timedelta(days=3))
    withdrawn.refresh_from_db()
    assert not withdrawn.is_open and not withdrawn.is_overdue and withdrawn.days_left_now() is None
    assert set(RectificationOrder.objects.open()) == {issued}
    assert not RectificationOrder.objects.overdue().exists()  # the agenda suggestions and the briefing
    assert RectificationOrder.objects.with_days_left().get(pk=withdrawn.pk).days_left is None
    client.force_login(regulator)
    home = client.get(reverse("control:home"))
    cmcc = next(op for op in home.context["operators"] if op.code == "CMCC")
    assert (cmcc.open_orders, cmcc.overdue_orders) == (1, 0)
    assert list(home.context["overdue_orders"]) == []


def test_the_findings_of_a_withdrawn_order_may_ground_a_new_one(client, regulator, operator_a):
    finding = make_finding(regulator)
    withdrawn = make_order(regulator, operator_a, "withdrawn", finding=finding)
    # Offered again on the order form, and accepted by the rules.
    assert finding in OrderForm(operator=finding.operator).fields["findings"].queryset
    again = make_order(regulator, operator_a, "issued", finding=finding)
    assert list(again.findings.all()) == [finding]
    # The finding's page lists the new order, not the withdrawn draft.
    client.force_login(regulator)
    listed = client.get(reverse("control:finding", args=[finding.pk])).context["orders"]
    assert [o.pk for o in listed] == [again.pk]
    assert withdrawn.findings.get() == finding  # the withdrawn draft keeps what it was grounded on


def test_an_operator_never_sees_a_withdrawn_draft_order(client, regulator, operator_a, manager_a):
    finding = make_finding(regulator)
    order = make_order(regulator, operator_a, "withdrawn", finding=finding)
    for user in (operator_a, manager_a):
        client.force_login(user)
        assert client.get(reverse("portal:order", args=[order.pk])).status_code == 404
        assert client.get(reverse("portal:order_document", args=[order.pk])).status_code == 404
        assert order.pk not in {o.pk for o in client.get(reverse("portal:orders")).context["page"]}
        assert (
            reverse("portal:order", args=[order.pk])
            not in client.get(reverse("portal:home")).content.decode()
        )
        finding_page = client.get(reverse("portal:finding", args=[finding.pk]))
        assert order.pk not in {o.pk for o in finding_page.context["orders"]}
        response = client.post(reverse("portal:comment", args=["order", order.pk]), {"text": "?"})
        assert response.status_code == 404
        assert not RectificationOrder.objects.visible_to(user).filter(pk=order.pk).exists()
    assert not CaseEvent.objects.filter(order=order, internal=False).exists()


# --- Interview notices ----------------------------------------------------------------------


def test_staff_withdraw_a_draft_interview_notice_with_a_reason(client, regulator, manager_a):
    notice = make_interview(regulator, "draft", manager=manager_a)
    client.force_login(regulator)
    page = client.get(reverse("control:interview", args=[notice.pk])).content.decode()
    assert 'data-testid="withdraw-form"' in page
    response = client.post(
        reverse("control:interview_withdraw", args=[notice.pk]), {"withdraw-reason": REASON}
    )
    assert response.url == reverse("control:interview", args=[notice.pk])
    notice.refresh_from_db()
    assert (notice.state, notice.withdrawn_by, notice.withdrawal_reason) == ("withdrawn", regulator, REASON)
    event = notice.events.get(kind="draft_withdrawn")
    assert (event.actor, event.text, event.internal) == (regulator, REASON, True)
    page = client.get(reverse("control:interview", args=[notice.pk]))
    assert [e.event.kind for e in page.context["timeline"]] == ["created", "draft_withdrawn"]
    assert 'data-testid="withdraw-form"' not in page.content.decode()


@pytest.mark.parametrize("state", ["issued", "confirmed", "held", "withdrawn"])
def test_only_a_draft_interview_notice_is_withdrawn(client, regulator, manager_a, state):
    notice = make_interview(regulator, state, manager=manager_a)
    before = _interview_snapshot(notice)
    client.force_login(regulator)
    response = client.post(
        reverse("control:interview_withdraw", args=[notice.pk]),
        {"withdraw-reason": REASON},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "You cannot withdraw this interview notice now: it is “" in response.content.decode()
    assert 'data-testid="withdraw-form"' not in response.content.decode()
    assert _interview_snapshot(notice) == before


@pytest.mark.parametrize("role", ["leader", "operator_a", "manager_a"])
def test_only_staff_withdraw_a_draft_interview_notice(client, request, regulator, manager_a, role):
    notice = make_interview(regulator, "draft", manager=manager_a)
    before = _interview_snapshot(notice)
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        reverse("control:interview_withdraw", args=[notice.pk]), {"withdraw-reason": REASON}
    )
    assert response.status_code == 403
    with translation.override("en"), pytest.raises(TransitionRefused, match="^Only the administration"):
        interviews.withdraw_interview(notice, user=request.getfixturevalue(role), reason=REASON)
    assert _interview_snapshot(notice) == before


def test_a_withdrawn_interview_notice_leaves_the_lists(client, regulator, operator_a, manager_a):
    kept = make_interview(regulator, "issued", manager=manager_a)
    withdrawn = make_interview(regulator, "withdrawn", manager=manager_a)
    client.force_login(regulator)

    def listed(query=""):
        return {i.pk for i in client.get(reverse("control:interviews") + query).context["page"]}

    assert listed() == {kept.pk}
    assert listed("?state=withdrawn") == {withdrawn.pk}
    assert [i.pk for i in client.get(reverse("control:home")).context["interviews"]] == [kept.pk]
    profile = client.get(reverse("control:operator", args=["CMCC"]))
    assert withdrawn.pk not in {i.pk for i in profile.context["interviews"]}
    # An operator never saw it.
    for user in (operator_a, manager_a):
        client.force_login(user)
        assert client.get(reverse("portal:interview", args=[withdrawn.pk])).status_code == 404
        assert withdrawn.pk not in {i.pk for i in client.get(reverse("portal:interviews")).context["page"]}


def test_withdrawn_drafts_are_not_offered_as_links(regulator, operator_a, manager_a):
    from supervision.control.forms.casework import InterviewForm, RecordForm

    issued = make_order(regulator, operator_a, "issued")
    make_order(regulator, operator_a, "withdrawn")
    live_notice = make_interview(regulator, "issued", manager=manager_a)
    make_interview(regulator, "withdrawn", manager=manager_a)
    assert list(InterviewForm(operator=issued.operator).fields["orders"].queryset) == [issued]
    record_form = RecordForm(operator=issued.operator)
    assert list(record_form.fields["orders"].queryset) == [issued]
    assert list(record_form.fields["interviews"].queryset) == [live_notice]
