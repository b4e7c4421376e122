"""One English word, several meanings: each is translated by its context (pgettext).

"Reason" and "Addressee" read 理由 / 主送单位 on rectification orders, extension requests and
meeting mail, and 约谈事由 / 约谈对象 only on interview notices (DOMAIN.md's words). A page or a
mail that used the other meaning's Chinese would read wrongly to its Chinese reader.
"""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from supervision.casework import interviews, orders
from supervision.casework.models import local_date
from supervision.core.models import SHANGHAI, Operator
from supervision.meetings import services
from supervision.meetings.models import MeetingSeries
from tests.casework.conftest import make_interview, make_order

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)
EXTENSION_REASON = "涉及全省营业厅系统改造，需协调集团总部排期。"
CANCEL_REASON = "与应急演练冲突"

pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def fixed_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def sent(eager_tasks, django_capture_on_commit_callbacks):
    """``sent(change)``: run a change with its on-commit mail; the messages sent, in Chinese."""

    def run(change):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            change()
        return list(mail.outbox)

    return run


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200, url
    return response.content.decode()


def test_an_order_page_names_its_addressee_and_the_extension_reason_as_on_orders(
    client, regulator, operator_a
):
    order = make_order(regulator, operator_a, state="acknowledged")
    orders.ask_extension(
        order,
        user=operator_a,
        reason=EXTENSION_REASON,
        proposed_date=local_date(order.deadline) + dt.timedelta(days=10),
    )

    html = page(client, regulator, reverse("control:order", args=[order.pk]))

    assert "主送单位" in html
    assert '<th scope="col">理由</th>' in html  # the extension requests' column
    assert EXTENSION_REASON in html
    assert "约谈事由" not in html and "约谈对象" not in html


def test_an_interview_page_names_its_reason_and_addressee_as_an_interview(client, regulator):
    interview = make_interview(regulator)

    html = page(client, regulator, reverse("control:interview", args=[interview.pk]))

    assert "约谈对象" in html and "约谈事由" in html
    assert "主送单位" not in html and ">理由<" not in html


def test_the_extension_mail_gives_the_reason_as_on_orders(regulator, operator_a, sent):
    order = make_order(regulator, operator_a, state="acknowledged")

    messages = sent(
        lambda: orders.ask_extension(
            order,
            user=operator_a,
            reason=EXTENSION_REASON,
            proposed_date=local_date(order.deadline) + dt.timedelta(days=10),
        )
    )

    to_regulator = next(m for m in messages if m.to == [regulator.email])
    assert f"理由: {EXTENSION_REASON}" in to_regulator.body
    assert "约谈事由" not in to_regulator.body


def test_the_interview_mail_gives_the_reason_as_an_interview(regulator, manager_a, sent):
    notice = make_interview(regulator, state="draft")

    messages = sent(lambda: interviews.issue_interview(notice, user=regulator))

    to_manager = next(m for m in messages if m.to == [manager_a.email])
    assert f"约谈事由: {notice.reason}" in to_manager.body


def test_a_meeting_cancellation_mail_gives_the_reason_as_on_orders(regulator, operator_a, sent):
    series = services.create_series(
        MeetingSeries(
            title="携号转网工作会商会",
            rrule="FREQ=MONTHLY;BYDAY=1TH",
            first_start=dt.datetime(2026, 12, 3, 14, 30, tzinfo=SHANGHAI),
            duration_minutes=120,
            place="省通信管理局三楼会议室",
        ),
        invited_operators=[Operator.objects.get(code="CMCC")],
        user=regulator,
    )
    meeting = series.meetings.order_by("starts_at").first()
    assert meeting.starts_at > timezone.now()
    services.add_item(
        meeting, title="通报11月携号转网工作情况", presenter="王科长", planned_minutes=20, user=regulator
    )
    sent(lambda: services.publish_agenda(meeting, user=regulator))

    messages = sent(lambda: services.cancel(meeting, reason=CANCEL_REASON, user=regulator))

    to_operator = next(m for m in messages if m.to == [operator_a.email])
    assert f"理由: {CANCEL_REASON}" in to_operator.body
    assert "约谈事由" not in to_operator.body
