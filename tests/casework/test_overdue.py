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

# Runs at each of make test-dates' instants: overdue is counted from today.
pytestmark = pytest.mark.dates

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


# --- One number everywhere -------------------------------------------------------------------

# 07:30 on Thursday 10 December 2026 in Jinan is still the 9th in UTC (23:30): a page counting
# days or "today" in UTC, or comparing dates instead of moments, gets a different answer.
STRADDLE_NOW = at(2026, 12, 10, 7, 30)


@pytest.fixture
def straddling_orders(db):
    """CMCC's orders around the deadline at STRADDLE_NOW: which are overdue is known by hand."""
    from supervision.core.models import Operator

    cmcc = Operator.objects.get(code="CMCC")
    today, yesterday = dt.date(2026, 12, 10), dt.date(2026, 12, 9)

    def order(name, deadline, state, **extra):
        return RectificationOrder.objects.create(
            operator=cmcc, document_no=f"鲁通管〔2026〕{name}号", title=f"整改通知 {name}", requirements="限期整改",
            severity="MAJOR", deadline=deadline, state=state, issued_at=at(2026, 11, 20, 10, 0), **extra,
        )  # fmt: skip

    return {
        "tonight": order("1", end_of_day(today), "acknowledged"),  # 23:59:59 today: due today, in time
        "yesterday": order("2", end_of_day(yesterday), "issued"),  # 1 day overdue
        "this_morning": order("3", at(2026, 12, 10, 7, 0), "returned"),  # passed half an hour ago
        "verified_late": order(  # verified after its deadline: closed, never overdue
            "4", end_of_day(dt.date(2026, 12, 5)), "verified", closed_at=at(2026, 12, 8, 16, 0)
        ),
        "escalated": order(
            "5", end_of_day(dt.date(2026, 12, 1)), "escalated", closed_at=at(2026, 12, 3, 9, 0)
        ),
    }


def test_every_page_counts_the_same_overdue_orders(straddling_orders, client, regulator, operator_a):
    from supervision.briefings import figures
    from supervision.core.models import Operator, Period
    from supervision.meetings import services as meetings
    from supervision.meetings.models import MeetingSeries
    from supervision.meetings.suggestions import suggest

    pk = {name: order.pk for name, order in straddling_orders.items()}
    expected = {pk["yesterday"], pk["this_morning"]}
    with time_machine.travel(STRADDLE_NOW, tick=False):
        assert overdue_ids() == expected
        assert {o.pk for o in RectificationOrder.objects.all() if o.is_overdue} == expected

        client.force_login(regulator)
        home = client.get(reverse("control:home")).context
        summary = {op.code: op.overdue_orders for op in home["operators"]}
        assert summary == {"CMCC": 2, "CUCC": 0, "CTCC": 0, "CBN": 0}
        assert {o.pk for o in home["overdue_orders"]} == expected

        listed = client.get(reverse("control:orders"), {"overdue": "yes"}).context["table"]
        assert {row.record.pk for row in listed.paginated_rows} == expected

        profile = client.get(reverse("control:operator", args=["CMCC"]))
        assert profile.context["overdue_count"] == 2
        assert {o.order.pk for o in profile.context["open_orders"] if o.overdue} == expected
        days = {o.order.pk: o.days_left for o in profile.context["open_orders"]}
        assert days == {pk["tonight"]: 0, pk["yesterday"]: -1, pk["this_morning"]: 0}
        assert 'data-testid="overdue-count"' in profile.content.decode()

        series = meetings.create_series(
            MeetingSeries(title="携号转网工作会商会", rrule="FREQ=MONTHLY;BYDAY=2TH",
                          first_start=at(2026, 12, 10, 14, 30), place="省通信管理局三楼会议室"),
            invited_operators=[Operator.objects.get(code="CMCC")], user=regulator,
        )  # fmt: skip
        suggested = suggest(series.meetings.order_by("starts_at").first(), now=STRADDLE_NOW)
        assert {int(s.key.split(":")[1]) for s in suggested if s.kind == "order"} == expected

        briefing = figures.build(Period.objects.for_month(2026, 11), now=STRADDLE_NOW)
        assert {o["id"]: o["days_overdue"] for o in briefing["overdue_orders"]} == {
            pk["yesterday"]: 1,
            pk["this_morning"]: 0,
        }

        client.force_login(operator_a)
        portal = client.get(reverse("portal:home"))
        assert portal.context["overdue_count"] == 2
        assert {o.pk for o in portal.context["orders"] if o.overdue} == expected
        assert {o.pk for o in portal.context["orders"]} == {pk["tonight"], *expected}
        page = portal.content.decode()
        for order_pk in expected:  # the overdue orders' links are red, the one due tonight's is not
            assert f'{reverse("portal:order", args=[order_pk])}" class="link-danger"' in page
        assert f'{reverse("portal:order", args=[pk["tonight"]])}" class="link-danger"' not in page


# --- A report in time: awaiting verification, not overdue (DOMAIN.md "Overdue") ----------------


def report(order, operator_user, moment):
    """The operator acknowledges (if it has not) and submits its rectification report at ``moment``."""
    from .conftest import upload

    with time_machine.travel(moment, tick=False):
        order.refresh_from_db()
        if order.state == "issued":
            orders.acknowledge_order(order, user=operator_user)
        orders.submit_report(order, user=operator_user, text="已完成整改", uploads=[upload()])


def order_reminders(day: dt.date) -> list[str]:
    """The deadline reminders the scan sends on ``day`` (09:00 in Jinan), to whom."""
    from django.core import mail

    from supervision.reminders import services

    mail.outbox.clear()
    with time_machine.travel(at(day.year, day.month, day.day, 9, 0), tick=False):
        for occasion_id in services.scan():
            services.send(occasion_id)
    return [
        m.to[0]
        for m in mail.outbox
        if m.extra_headers["X-Supervision-Reminder"].startswith("order_deadline")
        and m.extra_headers["X-Supervision-Reminder"].endswith(day.isoformat())
    ]


def test_an_order_with_its_report_in_time_is_awaiting_verification_not_overdue(
    order, client, regulator, operator_a
):
    from supervision.briefings import figures
    from supervision.core.models import Period

    report(order, operator_a, at(2026, 12, 5, 22, 0))  # two hours before the deadline
    with time_machine.travel(at(2026, 12, 8, 9, 0), tick=False):
        order.refresh_from_db()
        assert not order.is_overdue
        assert overdue_ids() == set()
        annotated = RectificationOrder.objects.with_days_left().with_overdue().get(pk=order.pk)
        with translation.override("en"):
            assert days_left(annotated) == "Awaiting verification"

        client.force_login(regulator)
        home = client.get(reverse("control:home")).context
        assert list(home["overdue_orders"]) == []
        assert {op.code: op.overdue_orders for op in home["operators"]}["CMCC"] == 0
        page = client.get(reverse("control:order", args=[order.pk])).content.decode()
        assert 'data-testid="overdue"' not in page

        briefing = figures.build(Period.objects.for_month(2026, 11), now=timezone_now())
        assert briefing["overdue_orders"] == []

        client.force_login(operator_a)
        assert client.get(reverse("portal:home")).context["overdue_count"] == 0


def timezone_now():
    from django.utils import timezone

    return timezone.now()


def test_no_deadline_missed_mail_for_a_report_in_time(order, regulator, operator_a):
    late = make_order(regulator, operator_a)  # due later: moved to the same deadline, no report
    RectificationOrder.objects.filter(pk=late.pk).update(deadline=order.deadline)
    report(order, operator_a, at(2026, 12, 4, 10, 0))
    RectificationOrder.objects.filter(pk=order.pk).update(case_officer=regulator)
    # The day after the deadline: the order without a report is chased, the other is not.
    sent = order_reminders(dt.date(2026, 12, 6))
    assert sorted(sent) == sorted([operator_a.email, regulator.email])
    from supervision.reminders.models import Occasion

    after_the_deadline = Occasion.objects.filter(rule="order_deadline", on_date__gt=DEADLINE_DAY)
    assert not after_the_deadline.filter(object_key__startswith=f"order:{order.pk}:").exists()
    assert after_the_deadline.filter(object_key__startswith=f"order:{late.pk}:").exists()


def test_a_report_returned_after_the_deadline_makes_the_order_overdue_from_the_return(
    order, regulator, operator_a
):
    report(order, operator_a, at(2026, 12, 4, 10, 0))
    returned_at = at(2026, 12, 9, 15, 0)
    with time_machine.travel(returned_at, tick=False):
        assert overdue_ids() == set()
        orders.return_report(order, user=regulator, comment="请补充培训记录")
    with time_machine.travel(returned_at + dt.timedelta(seconds=1), tick=False):
        order.refresh_from_db()
        assert order.is_overdue
        assert overdue_ids() == {order.pk}
        # Asked as of a moment before the return, the report still stood then.
        before = returned_at - dt.timedelta(minutes=1)
        assert not RectificationOrder.objects.overdue(before).filter(pk=order.pk).exists()
    # A corrected report, now late, keeps the order overdue while it awaits verification.
    report(order, operator_a, at(2026, 12, 10, 10, 0))
    with time_machine.travel(at(2026, 12, 11, 9, 0), tick=False):
        assert overdue_ids() == {order.pk}
    # The weekly "deadline missed" mail goes again (day +8 after the 5th).
    assert operator_a.email in order_reminders(dt.date(2026, 12, 13))


def test_a_report_returned_before_the_deadline_leaves_the_order_overdue_once_it_passes(
    order, regulator, operator_a
):
    report(order, operator_a, at(2026, 12, 2, 10, 0))
    with time_machine.travel(at(2026, 12, 3, 10, 0), tick=False):
        orders.return_report(order, user=regulator, comment="整改不到位")
    with time_machine.travel(at(2026, 12, 5, 23, 0), tick=False):
        assert overdue_ids() == set()
    with time_machine.travel(at(2026, 12, 6, 0, 0), tick=False):
        assert overdue_ids() == {order.pk}


# --- How each order stands against its deadline (整改按期完成率) ------------------------------


def issued(regulator, deadline_day: dt.date) -> RectificationOrder:
    with time_machine.travel(at(2026, 11, 28, 10, 0), tick=False):
        draft = orders.create_order(
            user=regulator, operator=make_finding(regulator).operator, title="整改通知", requirements="立即整改",
            findings=[make_finding(regulator)], deadline=end_of_day(deadline_day),
        )  # fmt: skip
        return orders.issue_order(draft, user=regulator)


def decide(order, regulator, moment, verify: bool):
    with time_machine.travel(moment, tick=False):
        order.refresh_from_db()
        if verify:
            orders.verify_order(order, user=regulator)
        else:
            orders.return_report(order, user=regulator, comment="请补充")


def outcomes(now) -> dict[int, str]:
    return dict(RectificationOrder.objects.with_deadline_outcome(now).values_list("pk", "outcome"))


def test_each_order_has_its_deadline_outcome(regulator, operator_a):
    due, later = dt.date(2026, 12, 5), dt.date(2026, 12, 20)
    on_time = issued(regulator, due)
    report(on_time, operator_a, at(2026, 12, 4, 10, 0))
    decide(on_time, regulator, at(2026, 12, 8, 10, 0), verify=True)  # verified after the deadline
    pending = issued(regulator, due)
    report(pending, operator_a, at(2026, 12, 5, 23, 59, 59))  # the deadline itself is in time
    no_report = issued(regulator, due)
    returned_late = issued(regulator, due)
    report(returned_late, operator_a, at(2026, 12, 4, 10, 0))
    decide(returned_late, regulator, at(2026, 12, 7, 10, 0), verify=False)
    report(returned_late, operator_a, at(2026, 12, 8, 10, 0))
    decide(returned_late, regulator, at(2026, 12, 9, 10, 0), verify=True)  # verified, but late
    late_report = issued(regulator, due)
    report(late_report, operator_a, at(2026, 12, 6, 0, 0, 1))
    not_due = issued(regulator, later)
    not_due_reported = issued(regulator, later)
    report(not_due_reported, operator_a, at(2026, 12, 9, 10, 0))
    verified_early = issued(regulator, later)
    report(verified_early, operator_a, at(2026, 12, 9, 10, 0))
    decide(verified_early, regulator, at(2026, 12, 10, 10, 0), verify=True)

    assert outcomes(at(2026, 12, 10, 12, 0)) == {
        on_time.pk: "on_time",
        pending.pk: "pending",
        no_report.pk: "late",
        returned_late.pk: "late",
        late_report.pk: "late",
        not_due.pk: "not_due",
        not_due_reported.pk: "not_due",
        verified_early.pk: "on_time",
    }
    # As of the day after the deadline: the reports in time still awaited verification.
    day_after = outcomes(at(2026, 12, 6, 9, 0))
    assert [day_after[o.pk] for o in (on_time, returned_late, no_report, verified_early)] == [
        "pending",
        "pending",
        "late",
        "not_due",
    ]
    # Late as soon as the deadline passes, not the next day.
    assert outcomes(at(2026, 12, 6, 0, 0))[no_report.pk] == "late"
    assert outcomes(at(2026, 12, 5, 23, 59, 59))[no_report.pk] == "not_due"


# --- Days overdue: from the deadline, or from the return (DOMAIN.md "Overdue") ----------------


def test_days_overdue_count_from_the_return_of_a_report_in_time(order, client, regulator, operator_a):
    """Due 5 December; the report of the 4th is returned on the 9th: overdue from the 9th, so on
    the 11th it is 2 days overdue (not 6), on every page; an order without a report, 6."""
    from supervision.analytics.profiles import operator_profile
    from supervision.briefings import figures
    from supervision.core.models import Operator, Period

    with time_machine.travel(at(2026, 11, 28, 11, 0), tick=False):
        silent = make_order(regulator, operator_a)  # moved to the same deadline, never reported
    RectificationOrder.objects.filter(pk=silent.pk).update(deadline=order.deadline)
    report(order, operator_a, at(2026, 12, 4, 10, 0))
    with time_machine.travel(at(2026, 12, 9, 15, 0), tick=False):
        orders.return_report(order, user=regulator, comment="请补充培训记录")
    with time_machine.travel(at(2026, 12, 9, 16, 0), tick=False):
        order.refresh_from_db()
        assert order.days_left_now() == 0
        with translation.override("en"):
            assert days_left(order) == "Overdue since today"

    now = at(2026, 12, 11, 9, 0)
    with time_machine.travel(now, tick=False):
        order.refresh_from_db()
        silent.refresh_from_db()
        annotated = {o.pk: o.days_left.days for o in RectificationOrder.objects.with_days_left()}
        assert annotated == {order.pk: -2, silent.pk: -6}
        assert (order.days_left_now(), silent.days_left_now()) == (-2, -6)
        with translation.override("en"):
            assert days_left(order) == "2 days overdue"
            assert days_left(silent) == "6 days overdue"

        briefing = figures.build(Period.objects.for_month(2026, 11), now=now)
        assert {o["id"]: o["days_overdue"] for o in briefing["overdue_orders"]} == {order.pk: 2, silent.pk: 6}

        profile = operator_profile(Operator.objects.get(code="CMCC"), dt.date(2026, 11, 1), now=now)
        assert {o.order.pk: o.days_overdue for o in profile["open_orders"]} == {order.pk: 2, silent.pk: 6}

        client.force_login(regulator)
        listed = client.get(reverse("control:orders"), {"overdue": "yes"}, HTTP_ACCEPT_LANGUAGE="en")
        rows = {row.record.pk: row.get_cell("days_left") for row in listed.context["table"].paginated_rows}
        assert rows == {order.pk: "2 days overdue", silent.pk: "6 days overdue"}


# --- Awaiting verification: no reminder to come (the page and the scan agree) ------------------


def upcoming(order, user, moment) -> list[dt.date]:
    from supervision.casework import reminders

    with time_machine.travel(moment, tick=False):
        order.refresh_from_db()
        return reminders.for_order(order, user=user)["upcoming"]


def test_an_order_awaiting_verification_has_no_reminder_to_come(order, client, regulator, operator_a):
    """Due 5 December: the report of 30 November awaits verification, so neither the "due
    tomorrow" reminder of the 4th nor a "deadline missed" one is planned or sent; once the
    report is returned (before the deadline) the reminders are planned again."""
    assert upcoming(order, operator_a, at(2026, 11, 30, 9, 0))[:2] == [
        dt.date(2026, 12, 4),
        dt.date(2026, 12, 6),
    ]
    report(order, operator_a, at(2026, 11, 30, 10, 0))
    assert upcoming(order, operator_a, at(2026, 12, 1, 9, 0)) == []
    assert upcoming(order, regulator, at(2026, 12, 8, 9, 0)) == []
    with time_machine.travel(at(2026, 12, 8, 9, 0), tick=False):
        client.force_login(operator_a)
        page = client.get(reverse("portal:order", args=[order.pk])).content.decode()
        assert 'data-testid="upcoming"' not in page
    assert order_reminders(dt.date(2026, 12, 4)) == []
    assert order_reminders(dt.date(2026, 12, 6)) == []

    with time_machine.travel(at(2026, 12, 2, 10, 0), tick=False):
        order.refresh_from_db()
        orders.return_report(order, user=regulator, comment="整改不到位")
    assert upcoming(order, operator_a, at(2026, 12, 3, 9, 0))[:2] == [
        dt.date(2026, 12, 4),
        dt.date(2026, 12, 6),
    ]
