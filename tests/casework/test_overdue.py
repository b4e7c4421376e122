"""Overdue is derived from the deadline, in Asia/Shanghai time, the same on every page."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from supervision.casework import orders
from supervision.casework.models import RectificationOrder, end_of_day
from supervision.casework.templatetags.casework import days_left

from .conftest import make_finding, make_order

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DEADLINE_DAY = dt.date(2026, 12, 5)


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def order(regulator, operator_a):
    """Issued on 28 November, due 5 December 2026 at 23:59:59 in Jinan (15:59:59 UTC)."""
    with time_machine.travel(at(2026, 11, 28, 10, 0), tick=False):
        finding = make_finding(regulator)
        draft = orders.create_order(
            user=regulator,
            operator=finding.operator,
            title="整改通知",
            requirements="立即整改",
            findings=[finding],
            deadline=end_of_day(DEADLINE_DAY),
        )
        return orders.issue_order(draft, user=regulator)


def overdue_ids():
    return set(RectificationOrder.objects.overdue().values_list("pk", flat=True))


def test_the_deadline_is_the_end_of_the_day_in_shanghai(order):
    assert order.deadline == at(2026, 12, 5, 23, 59, 59)
    assert order.deadline == dt.datetime(2026, 12, 5, 15, 59, 59, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("moment", "overdue", "text"),
    [
        (at(2026, 12, 5, 0, 0, 0), False, "Due today"),
        (at(2026, 12, 5, 23, 59, 58), False, "Due today"),
        (at(2026, 12, 5, 23, 59, 59), False, "Due today"),  # the deadline itself is still in time
        (at(2026, 12, 6, 0, 0, 0), True, "1 day overdue"),  # 16:00 UTC on the 5th: the next day in Jinan
        (at(2026, 12, 4, 23, 0, 0), False, "1 day left"),
        (at(2026, 12, 8, 9, 0, 0), True, "3 days overdue"),
    ],
)
def test_overdue_flips_exactly_after_the_deadline_in_shanghai(order, moment, overdue, text):
    with time_machine.travel(moment, tick=False):
        order.refresh_from_db()
        assert order.is_overdue is overdue
        assert (order.pk in overdue_ids()) is overdue
        annotated = RectificationOrder.objects.with_days_left().get(pk=order.pk)
        assert annotated.days_left.days == order.days_left_now()
        with translation.override("en"):
            assert days_left(annotated) == text


def test_a_closed_order_is_never_overdue(order, regulator, operator_a):
    orders.escalate_order(order, user=regulator, reason="拒不整改")
    with time_machine.travel(at(2026, 12, 20, 9, 0), tick=False):
        order.refresh_from_db()
        assert not order.is_overdue
        assert overdue_ids() == set()
        assert RectificationOrder.objects.with_days_left().get(pk=order.pk).days_left is None


def test_an_extension_granted_clears_overdue_and_keeps_the_old_deadline(order, regulator, operator_a):
    with time_machine.travel(at(2026, 12, 6, 9, 0), tick=False):
        assert order.pk in overdue_ids()
        request = orders.ask_extension(
            order, user=operator_a, reason="需协调总部系统改造", proposed_date=dt.date(2026, 12, 15)
        )
        orders.grant_extension(request, user=regulator)
        order.refresh_from_db()
        assert order.deadline == at(2026, 12, 15, 23, 59, 59)
        assert not order.is_overdue
        assert overdue_ids() == set()
        assert [(d.kind, d.deadline) for d in order.deadlines.all()] == [
            ("initial", at(2026, 12, 5, 23, 59, 59)),
            ("extension", at(2026, 12, 15, 23, 59, 59)),
        ]


def test_the_pages_flag_overdue_orders(order, client, regulator, operator_a):
    with time_machine.travel(at(2026, 12, 6, 9, 0), tick=False):
        client.force_login(regulator)
        listed = client.get(reverse("control:orders"), {"overdue": "yes"}, HTTP_ACCEPT_LANGUAGE="en")
        assert [row.record.pk for row in listed.context["table"].paginated_rows] == [order.pk]
        page = client.get(reverse("control:order", args=[order.pk]))
        assert 'data-testid="overdue"' in page.content.decode()
        client.force_login(operator_a)
        portal = client.get(reverse("portal:orders")).content.decode()
        assert "table-danger" in portal
        assert (
            'data-testid="overdue"' in client.get(reverse("portal:order", args=[order.pk])).content.decode()
        )


def test_an_order_due_later_is_not_flagged(regulator, operator_a, client):
    order = make_order(regulator, operator_a)
    client.force_login(operator_a)
    assert (
        'data-testid="overdue"' not in client.get(reverse("portal:order", args=[order.pk])).content.decode()
    )
