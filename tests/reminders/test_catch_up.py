"""After downtime, the reminders of one series that fell due meanwhile go out as one mail.

A series is one rule, one object, one recipient: China Broadnet's October report, overdue and
reminded every day (``report_due``: 3 days before the due day, on it, then daily). When nothing
ran for three days, the first scan finds three reminders due: the latest is sent, the two
earlier ones are kept as superseded (on the mail log and the report's page), never sent.
"""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from supervision.core.models import Period
from supervision.reminders import services
from supervision.reminders.models import Occasion, OccasionState
from supervision.reporting import submissions
from supervision.reporting.models import MonthlySubmission
from tests.conftest import make_user
from tests.reminders.helpers import at, make_cbn_staff, scan_and_send

SERIES = "report_due/report:CBN:2026-10"


@pytest.fixture
def cbn_staff(db, settings):
    """China Broadnet's reporting staff; its October report, due on 31 October, never came."""
    settings.REPORT_DUE_DAYS_AFTER_MONTH_END = 0
    return make_cbn_staff()


def states(user):
    return {
        o.on_date.isoformat(): o.state
        for o in Occasion.objects.filter(rule="report_due", object_key="report:CBN:2026-10", recipient=user)
    }


def test_a_series_missed_for_three_days_is_one_mail(cbn_staff):
    with at(2026, 10, 31):
        assert scan_and_send() == [f"{SERIES}/2026-10-31"]
    with at(2026, 11, 1):
        scan_and_send()
    mail.outbox.clear()
    # Nothing ran on 2 and 3 November; the scheduler is back on the 4th.
    with at(2026, 11, 4, 9, 5):
        assert scan_and_send() == [f"{SERIES}/2026-11-04"]
        assert scan_and_send() == [f"{SERIES}/2026-11-04"]  # a second scan sends nothing more
    [message] = mail.outbox
    assert message.to == [cbn_staff.email]
    assert states(cbn_staff) == {
        "2026-10-31": OccasionState.SENT,
        "2026-11-01": OccasionState.SENT,
        "2026-11-02": OccasionState.SUPERSEDED,
        "2026-11-03": OccasionState.SUPERSEDED,
        "2026-11-04": OccasionState.SENT,
    }


def test_each_recipient_gets_one_mail_of_the_series(cbn_staff):
    manager = make_user("cbn_manager", "operator_manager", "CBN")
    with at(2026, 11, 4):
        scan_and_send()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cbn_staff.email, manager.email])
    assert {m.extra_headers["X-Supervision-Reminder"] for m in mail.outbox} == {f"{SERIES}/2026-11-04"}
    for user in (cbn_staff, manager):
        assert list(states(user).values()).count(OccasionState.SUPERSEDED) == 2


def test_sends_queued_while_the_worker_was_down_are_one_mail(cbn_staff):
    """The scheduler ran and queued a send each day; the worker was down and takes them all at
    once: the earlier days are superseded, the latest goes."""
    queued = []
    for day in (2, 3, 4):
        with at(2026, 11, day):
            queued += services.scan()
    with at(2026, 11, 4, 9, 30):
        results = [services.send(occasion_id) for occasion_id in queued]
    assert results.count("sent") == 1
    assert set(results) <= {"sent", "taken", "superseded"}
    [message] = mail.outbox
    assert message.extra_headers["X-Supervision-Reminder"] == f"{SERIES}/2026-11-04"


def test_a_send_already_queued_for_an_earlier_day_is_superseded_at_the_claim(cbn_staff):
    """A send taken from the broker after the later reminder went (the scan had not yet run
    between them): the claim finds the later one and sends nothing."""
    with at(2026, 11, 3):
        [earlier] = [i for i in services.scan() if Occasion.objects.get(pk=i).on_date == dt.date(2026, 11, 3)]
    with at(2026, 11, 4):
        Occasion.objects.create(
            rule="report_due",
            object_key="report:CBN:2026-10",
            recipient=cbn_staff,
            on_date=dt.date(2026, 11, 4),
            state=OccasionState.SENT,
        )
        assert services.send(earlier) == "superseded"
    assert mail.outbox == []
    assert Occasion.objects.get(pk=earlier).state == OccasionState.SUPERSEDED


def test_reminders_of_different_series_are_not_merged(cbn_staff):
    """Two months late for the same operator are two series: two mails."""
    MonthlySubmission.objects.filter(operator=cbn_staff.operator, period__month=dt.date(2026, 9, 1)).delete()
    with at(2026, 11, 4):
        headers = scan_and_send()
    assert sorted(headers) == ["report_due/report:CBN:2026-09/2026-11-04", f"{SERIES}/2026-11-04"]


def test_a_report_arriving_after_the_downtime_sends_nothing(cbn_staff):
    with at(2026, 11, 4):
        ids = services.scan()
        submissions.submit(
            submissions.create_version(cbn_staff.operator, Period.objects.from_label("2026-10"))
        )
        assert sorted(services.send(i) for i in ids) == ["dropped"]
    assert mail.outbox == []


def test_the_report_page_shows_the_superseded_reminders(client, cbn_staff):
    with at(2026, 11, 4):
        scan_and_send()
        version = submissions.create_version(cbn_staff.operator, Period.objects.from_label("2026-10"))
        client.force_login(cbn_staff)
        page = client.get(
            reverse("portal:submission", args=[version.pk]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert page.count("Superseded: a later reminder of the same series went instead") == 2
    assert "2026-11-02" in page and "2026-11-03" in page
