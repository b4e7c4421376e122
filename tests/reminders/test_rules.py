"""Each reminder rule at its boundaries in Asia/Shanghai time, and exactly-once sending."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from supervision.casework.models import OrderState, RectificationOrder
from supervision.core.models import Operator, Period
from supervision.reminders import services
from supervision.reminders.models import Occasion, OccasionState, ReminderSetting
from supervision.reporting import submissions
from tests.conftest import make_user

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(year, month, day, hour=9, minute=0):
    return time_machine.travel(dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI), tick=False)


def scan_and_send():
    for occasion_id in services.scan():
        services.send(occasion_id)
    return [m.extra_headers["X-Supervision-Reminder"] for m in mail.outbox]


@pytest.fixture
def cbn_staff(db):
    """A user of China Broadnet, whose reports up to September are in: only October is chased."""
    user = make_user("cbn_staff", "operator_staff", "CBN")
    for label in ("2026-08", "2026-09"):
        submissions.submit(submissions.create_version(user.operator, Period.objects.from_label(label)))
    return user


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ((2026, 10, 27), []),
        ((2026, 10, 28), ["report_due/report:CBN:2026-10/2026-10-28"]),  # 3 days before the 31st
        ((2026, 10, 31), ["report_due/report:CBN:2026-10/2026-10-31"]),  # the due day
        ((2026, 11, 1), ["report_due/report:CBN:2026-10/2026-11-01"]),  # late: every day
    ],
)
def test_monthly_report_reminders_at_the_month_end(cbn_staff, day, expected, settings):
    settings.REPORT_DUE_DAYS_AFTER_MONTH_END = 0
    with at(*day):
        # Only the reminders of the day itself: earlier days of the catch-up window are past.
        sent = [h for h in scan_and_send() if h.endswith(dt.date(*day).isoformat())]
    assert sent == expected


def test_february_ends_on_the_28th(cbn_staff):
    with at(2027, 2, 25):
        assert "report_due/report:CBN:2027-02/2027-02-25" in scan_and_send()


def test_a_submitted_report_stops_its_reminders(cbn_staff):
    with at(2026, 10, 28):
        scan_and_send()
    assert len(mail.outbox) == 1
    submissions.submit(submissions.create_version(cbn_staff.operator, Period.objects.from_label("2026-10")))
    with at(2026, 10, 31):
        scan_and_send()
    assert len(mail.outbox) == 1


def test_a_returned_report_is_chased_until_a_corrected_version_is_certified(cbn_staff, regulator, settings):
    """A returned report counts nowhere (DOMAIN.md "Which report counts"): its operator is
    reminded, told it was returned and why, until a corrected version is certified."""
    settings.REPORT_DUE_DAYS_AFTER_MONTH_END = 0
    cbn_staff.language = "en"
    cbn_staff.save()
    october = Period.objects.from_label("2026-10")

    def report_mails(day):
        with at(2026, 11, day):
            return [
                h for h in scan_and_send() if h.startswith("report_due") and h.endswith(f"2026-11-{day:02d}")
            ]

    with at(2026, 10, 30):
        first = submissions.submit(submissions.create_version(cbn_staff.operator, october))
    assert report_mails(1) == []
    with at(2026, 11, 2, 10):
        submissions.return_to_operator(first, user=regulator, comment="潍坊市数据与台账不符")
    assert report_mails(3) == ["report_due/report:CBN:2026-10/2026-11-03"]
    [returned] = [
        m
        for m in mail.outbox
        if m.extra_headers["X-Supervision-Reminder"] == "report_due/report:CBN:2026-10/2026-11-03"
    ]
    assert (
        returned.subject
        == "Returned: the monthly porting report for 2026-10 must be corrected and submitted again"
    )
    assert "returned by the administration on 2026-11-02" in returned.body
    assert "潍坊市数据与台账不符" in returned.body
    with at(2026, 11, 4):
        ids = [i for i in services.scan() if Occasion.objects.get(pk=i).rule == "report_due"]
        submissions.submit(submissions.create_version(cbn_staff.operator, october))
        assert {services.send(i) for i in ids} == {"dropped"}
    assert report_mails(5) == []


def test_an_occasion_recorded_before_the_report_arrived_is_dropped(cbn_staff):
    with at(2026, 10, 28):
        ids = services.scan()
        submissions.submit(
            submissions.create_version(cbn_staff.operator, Period.objects.from_label("2026-10"))
        )
        assert [services.send(i) for i in ids] == ["dropped"]
    assert mail.outbox == []
    assert Occasion.objects.get().state == OccasionState.DROPPED


def test_never_twice_even_when_scanned_and_sent_again(cbn_staff):
    with at(2026, 10, 28):
        scan_and_send()
        ids = services.scan()
        assert ids == []
        occasion = Occasion.objects.get()
        assert services.send(occasion.pk) == "taken"
    assert len(mail.outbox) == 1


def test_two_workers_claim_an_occasion_once(cbn_staff):
    with at(2026, 10, 28):
        [occasion_id] = services.scan()
        results = [services.send(occasion_id), services.send(occasion_id)]
    assert results == ["sent", "taken"]
    assert len(mail.outbox) == 1


def test_a_claim_left_by_a_dead_worker_is_released_and_sent(cbn_staff):
    with at(2026, 10, 28, 9, 0):
        [occasion_id] = services.scan()
        Occasion.objects.filter(pk=occasion_id).update(
            state=OccasionState.SENDING, claimed_at=dt.datetime(2026, 10, 28, 1, 0, tzinfo=dt.UTC)
        )
    with at(2026, 10, 28, 9, 5):  # not yet stale: left alone
        assert services.scan() == []
    with at(2026, 10, 28, 9, 15):
        assert services.scan() == [occasion_id]
        assert services.send(occasion_id) == "sent"


def test_failed_delivery_is_retried_then_shown_as_failed(cbn_staff, settings, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with at(2026, 10, 28):
        [occasion_id] = services.scan()
        for _attempt in range(services.MAX_ATTEMPTS - 1):
            with pytest.raises(services.DeliveryFailed):
                services.send(occasion_id)
            assert Occasion.objects.get().state == OccasionState.PENDING
        assert services.send(occasion_id) == "failed"
    occasion = Occasion.objects.get()
    assert (occasion.state, occasion.attempts, occasion.last_error) == (
        OccasionState.FAILED,
        5,
        "connection refused",
    )


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
    # A draft withdrawn before it was issued is never open (``OrderQuerySet.open``): no reminder,
    # in the reminder scan as in the case officers' digest.
    order.state = OrderState.WITHDRAWN
    order.save()
    for day in ((2026, 12, 3), (2026, 12, 9), (2026, 12, 11), (2026, 12, 18)):
        assert order_mails(day) == []
    from supervision.reminders.rules import RULES

    with at(2026, 12, 11):
        context = RULES["digest"].context(f"digest:{regulator.pk}")
        assert not context["overdue_orders"].exists()
        assert not context["due_soon_orders"].exists()


def test_staff_change_the_timing(order, cbn_staff):
    ReminderSetting.objects.create(rule="order_deadline", offsets=[-2], repeat_every_days=None)
    assert order_mails((2026, 12, 3)) == []
    assert len(order_mails((2026, 12, 8))) == 1


def test_a_disabled_rule_sends_nothing(cbn_staff):
    ReminderSetting.objects.create(rule="report_due", enabled=False)
    with at(2026, 10, 28):
        assert scan_and_send() == []


def test_weekly_late_list_goes_to_staff_on_mondays(regulator, db):
    with at(2026, 11, 2):  # a Monday; every October report is missing
        headers = scan_and_send()
    assert "late_reports/late-reports:2026-W45/2026-11-02" in headers
    late = next(m for m in mail.outbox if m.to == [regulator.email])
    assert "2026-10" in late.body


def test_reminder_mail_is_in_the_recipients_language(cbn_staff):
    cbn_staff.language = "en"
    cbn_staff.save()
    with at(2026, 10, 28):
        scan_and_send()
    assert mail.outbox[0].subject.startswith("Reminder: the monthly porting report for 2026-10 is due")
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_digest_goes_on_weekday_mornings_to_those_who_want_it(regulator, db):
    make_user("quiet", "regulator_staff").__class__.objects.filter(username="quiet").update(
        receives_digest=False
    )
    with at(2026, 11, 30, 7, 30):  # Monday before 08:00
        assert not [h for h in scan_and_send() if h.startswith("digest")]
    with at(2026, 11, 30, 8, 30):
        scan_and_send()
        digests = [m for m in mail.outbox if m.extra_headers["X-Supervision-Reminder"].startswith("digest")]
    assert [m.to for m in digests] == [[regulator.email]]
    with at(2026, 12, 5, 9, 0):  # Saturday
        assert not [h for h in scan_and_send() if h.startswith("digest") and h.endswith("2026-12-05")]


def test_staff_see_the_mail_log_with_failures_first(client, regulator, cbn_staff):
    with at(2026, 10, 28):
        scan_and_send()
    Occasion.objects.create(rule="report_due", object_key="report:CBN:2026-09", recipient=cbn_staff, on_date=dt.date(2026, 10, 1), state=OccasionState.FAILED, last_error="550 mailbox unavailable")  # fmt: skip
    client.force_login(regulator)
    page = client.get("/dashboard/mail/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.index("550 mailbox unavailable") < page.index("report:CBN:2026-10")


def test_a_report_page_shows_its_reminders(client, cbn_staff):
    from django.urls import reverse

    with at(2026, 10, 28):
        scan_and_send()
        version = submissions.create_version(cbn_staff.operator, Period.objects.from_label("2026-10"))
        client.force_login(cbn_staff)
        page = client.get(
            reverse("portal:submission", args=[version.pk]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert "2026-10-28" in page  # sent
    assert "2026-10-31" in page  # next: the due day


def test_a_returned_report_page_shows_the_reminders_to_come(client, cbn_staff, regulator, settings):
    from django.urls import reverse

    settings.REPORT_DUE_DAYS_AFTER_MONTH_END = 0
    october = Period.objects.from_label("2026-10")
    with at(2026, 10, 30):
        first = submissions.submit(submissions.create_version(cbn_staff.operator, october))
    client.force_login(cbn_staff)
    with at(2026, 11, 2, 9):
        page = client.get(reverse("portal:submission", args=[first.pk])).content.decode()
        assert 'data-testid="upcoming"' not in page  # counted: nothing to chase
        submissions.return_to_operator(first, user=regulator, comment="请更正")
        page = client.get(reverse("portal:submission", args=[first.pk])).content.decode()
    upcoming = page.split('data-testid="upcoming">')[1].split("</p>")[0]
    assert "2026-11-03" in upcoming  # every day until a corrected version is certified


def test_a_failed_delivery_waits_its_back_off_before_the_next_scan_queues_it(cbn_staff, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    with at(2026, 10, 28, 9, 0):
        [occasion_id] = services.scan()
        monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        with pytest.raises(services.DeliveryFailed):
            services.send(occasion_id)
        assert services.scan() == []
    with at(2026, 10, 28, 9, 1):  # 30 s after the first attempt
        assert services.scan() == [occasion_id]


def dated_mails(day, rule):
    with at(*day):
        return [h for h in scan_and_send() if h.startswith(rule) and h.endswith(dt.date(*day).isoformat())]


def test_interview_reminder_the_day_before(cbn_staff):
    from supervision.casework.models import InterviewNotice, InterviewState

    InterviewNotice.objects.create(
        operator=cbn_staff.operator, reason="设限阻挠", scheduled_at=dt.datetime(2026, 12, 8, 9, 30, tzinfo=SHANGHAI),
        place="省通信管理局201会议室", persons_required="分管副总经理", state=InterviewState.ISSUED,
    )  # fmt: skip
    assert dated_mails((2026, 12, 6), "interview/") == []
    assert len(dated_mails((2026, 12, 7), "interview/")) == 1


def test_a_withdrawn_interview_draft_has_no_reminder(cbn_staff):
    from supervision.casework.models import InterviewNotice, InterviewState

    InterviewNotice.objects.create(
        operator=cbn_staff.operator, reason="设限阻挠", scheduled_at=dt.datetime(2026, 12, 8, 9, 30, tzinfo=SHANGHAI),
        place="省通信管理局201会议室", persons_required="分管副总经理", state=InterviewState.WITHDRAWN,
    )  # fmt: skip
    assert dated_mails((2026, 12, 7), "interview/") == []


def test_meeting_reminders_a_week_and_a_day_before_to_invited_operators(cbn_staff, operator_a):
    from supervision.meetings.models import Invitation, Meeting, MeetingSeries

    series = MeetingSeries.objects.create(
        title="携号转网工作会商会",
        rrule="FREQ=MONTHLY;BYDAY=1TH",
        first_start=dt.datetime(2026, 12, 3, 14, 30, tzinfo=SHANGHAI),
    )
    start = dt.datetime(2026, 12, 3, 14, 30, tzinfo=SHANGHAI)
    meeting = Meeting.objects.create(
        series=series, recurrence_start=start, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    Invitation.objects.create(meeting=meeting, operator=cbn_staff.operator)
    assert len(dated_mails((2026, 11, 26), "meeting/")) == 1  # CBN only: CMCC is not invited
    assert dated_mails((2026, 11, 27), "meeting/") == []
    assert len(dated_mails((2026, 12, 2), "meeting/")) == 1


def test_action_item_reminders_before_and_after_its_due_day(cbn_staff):
    from supervision.meetings.models import ActionItem, ActionState, Meeting, MeetingSeries

    start = dt.datetime(2026, 11, 5, 14, 30, tzinfo=SHANGHAI)
    series = MeetingSeries.objects.create(title="会商会", rrule="FREQ=MONTHLY;BYDAY=1TH", first_start=start)
    meeting = Meeting.objects.create(series=series, recurrence_start=start, starts_at=start, ends_at=start)
    item = ActionItem.objects.create(
        meeting=meeting, title="核查潍坊营业厅", operator=cbn_staff.operator, due_on=dt.date(2026, 12, 10)
    )
    assert len(dated_mails((2026, 12, 7), "action_item/")) == 1
    assert len(dated_mails((2026, 12, 11), "action_item/")) == 1
    item.state = ActionState.DONE
    item.save()
    assert dated_mails((2026, 12, 18), "action_item/") == []


def test_an_order_page_shows_its_reminders(client, order, cbn_staff):
    from django.urls import reverse

    with at(2026, 12, 3):
        scan_and_send()
        client.force_login(cbn_staff)
        page = client.get(
            reverse("portal:order", args=[order.pk]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert 'data-testid="reminders"' in page
    assert "2026-12-03" in page  # sent: 7 days before
    assert "2026-12-09" in page  # next: the day before the deadline
