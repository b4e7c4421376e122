"""A case's page shows the same case to both faces (``casework.pages``): the administration and
the operator read the same grounds, deadlines, reports and commitments; only what the operator
may not see (a withdrawn draft) and each face's own buttons and addresses differ."""

import pytest
from django.urls import reverse

from supervision.casework import interviews, orders

from .conftest import make_finding, make_interview, make_order, pending_extension

pytestmark = pytest.mark.dates


def opened(client, user, name, pk):
    client.force_login(user)
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200
    return response.context


def test_both_faces_show_an_order_alike(client, regulator, operator_a):
    order = make_order(regulator, operator_a, state="report_submitted")
    extension = pending_extension(order, operator_a)
    control = opened(client, regulator, "control:order", order.pk)
    portal = opened(client, operator_a, "portal:order", order.pk)
    for key in ("findings", "complaints", "deadlines", "extensions", "days_left"):
        assert control[key] == portal[key], key
    assert control["pending_extension"] == portal["pending_extension"] == extension
    assert [r.pk for r in control["reports"]] == [r.pk for r in portal["reports"]] != []
    assert (control["file_url_name"], portal["file_url_name"]) == ("control:case_file", "portal:case_file")
    assert control["comment_url"] == reverse("control:comment", args=["order", order.pk])
    assert portal["comment_url"] == reverse("portal:comment", args=["order", order.pk])


def test_a_findings_page_lists_its_orders_but_never_a_withdrawn_draft(client, regulator, operator_a):
    finding = make_finding(regulator)
    issued = make_order(regulator, operator_a, finding=finding)
    draft = orders.create_order(
        user=regulator, operator=finding.operator, title="草稿", requirements="立即整改", findings=[finding]
    )
    make_order(regulator, operator_a, state="withdrawn", finding=finding)
    control = opened(client, regulator, "control:finding", finding.pk)
    portal = opened(client, operator_a, "portal:finding", finding.pk)
    assert set(control["orders"]) == {issued, draft}  # the administration sees its drafts
    assert list(portal["orders"]) == [issued]


def test_both_faces_show_an_interviews_commitments_alike(client, regulator, operator_a, manager_a):
    notice = make_interview(regulator, state="held", manager=manager_a)
    interviews.add_commitment(
        notice, user=regulator, text="一周内完成整改", due_date=notice.scheduled_at.date()
    )
    control = opened(client, regulator, "control:interview", notice.pk)
    portal = opened(client, operator_a, "portal:interview", notice.pk)
    assert [c.text for c, _allowed in control["commitments"]] == [
        c.text for c, _allowed in portal["commitments"]
    ]
    assert list(control["orders"]) == list(portal["orders"])
