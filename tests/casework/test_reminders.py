"""The reminders of casework (``supervision/casework/reminders.py``): an order's deadline (7 and 1
days before, the day after it is missed, then weekly), an interview (the day before) and its
commitments, each at its boundaries in Asia/Shanghai time; the interview pages of both faces show
the reminders sent and pending for the interview and for each of its commitments, a closed one
what was sent and nothing upcoming."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from supervision.casework import interviews
from supervision.casework.models import (
    InterviewNotice,
    InterviewState,
    OrderState,
    RectificationOrder,
)
from supervision.core.models import SHANGHAI, Operator
from supervision.reminders import services
from supervision.reminders.models import Occasion, OccasionState, ReminderSetting
from tests.conftest import make_user
from tests.reminders.helpers import at, dated_mails, make_cbn_staff, scan_and_send

from .conftest import make_interview

# Tuesday 1 December 2026, 09:00 in Jinan.
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def section(page: str, testid: str = "reminders") -> str:
    """The part of the page from ``data-testid=<testid>`` to the end of its section."""
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("</section>", start)]


def sent(object_key, recipient, day, rule):
    return Occasion.objects.create(
        rule=rule, object_key=object_key, recipient=recipient, on_date=day, state=OccasionState.SENT,
        sent_at=dt.datetime.combine(day, dt.time(8, 3), tzinfo=SHANGHAI),
    )  # fmt: skip


def page(client, user, face, notice):
    client.force_login(user)
    response = client.get(reverse(f"{face}:interview", args=[notice.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("face", ["control", "portal"])
def test_an_issued_interview_shows_its_sent_and_next_reminder(
    client, frozen, regulator, operator_a, manager_a, face
):
    notice = make_interview(regulator, "issued", manager=manager_a)  # on 8 December, 09:00
    sent(f"interview:{notice.pk}:2026-12-08", operator_a, dt.date(2026, 11, 30), "interview")
    response = page(client, regulator if face == "control" else operator_a, face, notice)
    assert response.context["reminders"]["upcoming"] == [dt.date(2026, 12, 7)]  # the day before
    reminders = section(response.content.decode())
    assert "2026-11-30 08:03" in reminders and "张专员" in reminders
    assert "2026-12-07" in reminders


@pytest.mark.parametrize("face", ["control", "portal"])
def test_each_commitment_shows_its_reminders_and_a_held_interview_none_upcoming(
    client, frozen, regulator, operator_a, manager_a, face
):
    notice = make_interview(regulator, "held", manager=manager_a)
    open_one = interviews.add_commitment(
        notice, user=regulator, text="一周内完成整改", due_date=dt.date(2026, 12, 10)
    )
    done_one = interviews.add_commitment(
        notice, user=regulator, text="培训营业员", due_date=dt.date(2026, 12, 4)
    )
    interviews.commitment_done(done_one, user=operator_a, note="已培训")
    sent(f"interview:{notice.pk}:2026-11-24", operator_a, dt.date(2026, 11, 23), "interview")
    sent(f"commitment:{open_one.pk}:2026-12-10", operator_a, dt.date(2026, 11, 27), "commitment")
    sent(f"commitment:{done_one.pk}:2026-12-04", operator_a, dt.date(2026, 11, 29), "commitment")

    response = page(client, regulator if face == "control" else operator_a, face, notice)
    # The interview is held: what was sent stays, nothing more will come.
    assert response.context["reminders"]["upcoming"] == []
    assert "2026-11-23" in section(response.content.decode())
    rows = {c.pk: c.reminders for c, _can in response.context["commitments"]}
    # Open: 3 days before, the day after, then weekly. Reported done: nothing upcoming.
    assert rows[open_one.pk]["upcoming"] == [
        dt.date(2026, 12, 7),
        dt.date(2026, 12, 11),
        dt.date(2026, 12, 18),
    ]
    assert rows[done_one.pk]["upcoming"] == []
    assert [o.on_date for o in rows[open_one.pk]["recorded"]] == [dt.date(2026, 11, 27)]
    assert [o.on_date for o in rows[done_one.pk]["recorded"]] == [dt.date(2026, 11, 29)]
    commitments = section(response.content.decode(), "commitments")
    assert "2026-12-07, 2026-12-11, 2026-12-18" in commitments
    assert "2026-11-27" in commitments and "2026-11-29" in commitments


def test_an_operator_sees_only_reminders_addressed_to_its_own_people(
    client, frozen, regulator, operator_a, manager_a
):
    notice = make_interview(regulator, "issued", manager=manager_a)
    stranger = make_user("stranger", "operator_staff", "CUCC", full_name="周外人")
    sent(f"interview:{notice.pk}:2026-12-08", operator_a, dt.date(2026, 11, 30), "interview")
    sent(f"interview:{notice.pk}:2026-12-08", stranger, dt.date(2026, 11, 30), "interview")
    sent(f"interview:{notice.pk}:2026-12-08", regulator, dt.date(2026, 11, 30), "interview")
    portal = section(page(client, operator_a, "portal", notice).content.decode())
    assert "张专员" in portal
    assert "周外人" not in portal and "王科长" not in portal
    control = section(page(client, regulator, "control", notice).content.decode())
    assert "张专员" in control and "周外人" in control and "王科长" in control


def test_the_interview_page_takes_the_same_queries_with_more_commitments_and_reminders(
    client, frozen, regulator, operator_a, manager_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def busy(n):
        notice = make_interview(regulator, "held", manager=manager_a)
        for i in range(n):
            c = interviews.add_commitment(
                notice, user=regulator, text=f"承诺{i}", due_date=dt.date(2026, 12, 10)
            )
            sent(f"commitment:{c.pk}:2026-12-10", operator_a, dt.date(2026, 11, 27), "commitment")
        return notice

    client.force_login(operator_a)
    counts = []
    for notice in (busy(1), busy(4)):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("portal:interview", args=[notice.pk])).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# The reminder rules, at their boundaries.


@pytest.fixture
def cbn_staff(db):
    """A user of China Broadnet, whose reports up to September are in."""
    return make_cbn_staff()


@pytest.fixture
def order(db, regulator):
    return RectificationOrder.objects.create(
        operator=Operator.objects.get(code="CBN"), document_no="鲁通管〔2026〕12号", title="整改营业厅告知不到位",
        requirements="…", severity="MAJOR", state=OrderState.ISSUED, case_officer=regulator,
        deadline=dt.datetime(2026, 12, 10, 23, 59, tzinfo=SHANGHAI),
    )  # fmt: skip


def order_mails(day):
    with at(*day):
        return [
            h
            for h in scan_and_send()
            if h.startswith("order_deadline") and h.endswith(dt.date(*day).isoformat())
        ]


@pytest.mark.parametrize(
    ("day", "count"),
    [
        ((2026, 12, 2), 0),
        ((2026, 12, 3), 1),
        ((2026, 12, 9), 1),
        ((2026, 12, 10), 0),
        ((2026, 12, 11), 2),
        ((2026, 12, 12), 0),
        ((2026, 12, 18), 2),
    ],
)
def test_order_deadline_reminders(order, cbn_staff, day, count):
    # 7 days and 1 day before, the day after (operator + case officer), then weekly.
    assert len(order_mails(day)) == count


def test_a_deadline_at_23_59_shanghai_is_that_local_day(order, cbn_staff):
    # 23:59 in Shanghai is 15:59 UTC the same day: the "1 day before" mail goes on the 9th.
    assert order_mails((2026, 12, 9)) == [f"order_deadline/order:{order.pk}:2026-12-10/2026-12-09"]


def test_an_extended_deadline_moves_the_reminders(order, cbn_staff):
    order.deadline = dt.datetime(2026, 12, 20, 23, 59, tzinfo=SHANGHAI)
    order.save()
    assert order_mails((2026, 12, 9)) == []
    assert order_mails((2026, 12, 19)) == [f"order_deadline/order:{order.pk}:2026-12-20/2026-12-19"]


def test_a_closed_order_drops_its_pending_reminders(order, cbn_staff):
    with at(2026, 12, 9):
        ids = services.scan()
        order.state = OrderState.VERIFIED
        order.save()
        assert {services.send(i) for i in ids if Occasion.objects.get(pk=i).rule == "order_deadline"} == {
            "dropped"
        }


def test_a_withdrawn_draft_has_no_deadline_reminders(order, cbn_staff, regulator):
    # A draft withdrawn before it was issued is never open (``OrderQuerySet.open``): no reminder
    # (nor a line in the case officers' digest: tests/analytics/test_digest.py).
    order.state = OrderState.WITHDRAWN
    order.save()
    for day in ((2026, 12, 3), (2026, 12, 9), (2026, 12, 11), (2026, 12, 18)):
        assert order_mails(day) == []


def test_staff_change_the_timing(order, cbn_staff):
    ReminderSetting.objects.create(rule="order_deadline", offsets=[-2], repeat_every_days=None)
    assert order_mails((2026, 12, 3)) == []
    assert len(order_mails((2026, 12, 8))) == 1


def test_an_order_page_shows_its_reminders(client, order, cbn_staff):
    with at(2026, 12, 3):
        scan_and_send()
        client.force_login(cbn_staff)
        page = client.get(
            reverse("portal:order", args=[order.pk]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert 'data-testid="reminders"' in page
    assert "2026-12-03" in page  # sent: 7 days before
    assert "2026-12-09" in page  # next: the day before the deadline


def test_interview_reminder_the_day_before(cbn_staff):
    InterviewNotice.objects.create(
        operator=cbn_staff.operator, reason="设限阻挠", scheduled_at=dt.datetime(2026, 12, 8, 9, 30, tzinfo=SHANGHAI),
        place="省通信管理局201会议室", persons_required="分管副总经理", state=InterviewState.ISSUED,
    )  # fmt: skip
    assert dated_mails((2026, 12, 6), "interview/") == []
    assert len(dated_mails((2026, 12, 7), "interview/")) == 1


def test_a_withdrawn_interview_draft_has_no_reminder(cbn_staff):
    InterviewNotice.objects.create(
        operator=cbn_staff.operator, reason="设限阻挠", scheduled_at=dt.datetime(2026, 12, 8, 9, 30, tzinfo=SHANGHAI),
        place="省通信管理局201会议室", persons_required="分管副总经理", state=InterviewState.WITHDRAWN,
    )  # fmt: skip
    assert dated_mails((2026, 12, 7), "interview/") == []
