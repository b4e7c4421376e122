"""Official casework documents follow the distribution lists: an order or an interview notice is
mailed to the operator's recipients of official documents (with its other users, who answer it),
the page warns before issuing when the operator has nobody to receive it, and the operator's
portal lists its own issued documents only.
"""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from supervision.casework import orders
from supervision.core.models import SHANGHAI, Role, TaskForceMember
from supervision.reminders.models import Occasion
from tests.casework.conftest import make_finding, make_interview, make_order
from tests.conftest import make_user

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_the_page_warns_before_issuing_to_an_operator_nobody_receives_documents_at(
    client, regulator, operator_a
):
    draft = make_order(regulator, operator_a, state="draft")
    client.force_login(regulator)
    url = reverse("control:order", args=[draft.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        'data-testid="no-recipient"' in page and "Nobody receives official documents at China Mobile" in page
    )
    assert reverse("control:distribution") in page
    # A designated contact (CMCC's reporting staff, through its account): no warning any more.
    TaskForceMember.objects.create(
        operator=operator_a.operator, name="张专员", duty="联络员", phone="1", email="z@example.cn",
        account=operator_a, receives_documents=True,
    )  # fmt: skip
    assert 'data-testid="no-recipient"' not in client.get(url).content.decode()
    notice = make_interview(regulator, state="draft")
    assert (
        'data-testid="no-recipient"'
        not in client.get(reverse("control:interview", args=[notice.pk])).content.decode()
    )


def test_the_interview_page_warns_too(client, regulator):
    notice = make_interview(regulator, state="draft", operator="CTCC")
    client.force_login(regulator)
    page = client.get(
        reverse("control:interview", args=[notice.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Nobody receives official documents at China Telecom" in page


def test_an_issued_order_reaches_the_recipients_and_the_reporting_staff(
    regulator, operator_a, manager_a, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = make_order(regulator, operator_a)
    issued = Occasion.objects.filter(rule="casework.order_issued", object_key=f"order:{order.pk}:issued")
    assert sorted(o.recipient.username for o in issued) == ["manager_a", "operator_a"]
    assert {o.state for o in issued} == {"sent"}
    assert sum(order.document_no in m.subject for m in mail.outbox) == 2


def test_the_portal_lists_only_the_operators_own_orders(client, regulator, operator_a, operator_b):
    own = make_order(regulator, operator_a)
    finding = make_finding(regulator, operator="CUCC")
    other = orders.create_order(
        user=regulator, operator=finding.operator, title="关于中国联通问题的整改通知",
        requirements="一、整改。", findings=[finding],
    )  # fmt: skip
    orders.issue_order(other, user=regulator)
    draft = make_order(regulator, operator_a, state="draft")
    client.force_login(operator_a)
    page = client.get(reverse("portal:documents")).content.decode()
    assert own.document_no in page
    assert "关于中国联通问题的整改通知" not in page and f'data-order="{draft.pk}"' not in page
    assert client.get(reverse("portal:order_document", args=[other.pk])).status_code == 404
    make_user("cucc_manager", Role.OPERATOR_MANAGER, "CUCC")
    client.force_login(operator_b)
    assert "关于中国联通问题的整改通知" in client.get(reverse("portal:documents")).content.decode()
