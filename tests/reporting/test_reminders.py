"""The reminders and the event mail of monthly reporting (``supervision/reporting/reminders.py``):
the monthly report due (3 days before, on the day, then daily while no report counts), the weekly
list of late reports, and the mail about a major problem reported, recorded with the report and
sent once to every staff member."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core import mail
from django.db import transaction

from supervision.core.models import Period, User
from supervision.reminders import services
from supervision.reminders.models import Occasion, OccasionState, ReminderSetting
from supervision.reporting import incidents, submissions
from supervision.reporting.models import Incident
from tests.conftest import make_user
from tests.reminders.helpers import at, make_cbn_staff, scan_and_send

INCIDENT_REPORTED = "reporting.incident_reported"


@pytest.fixture
def cbn_staff(db):
    """A user of China Broadnet, whose reports up to September are in: only October is chased."""
    return make_cbn_staff()


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


def test_weekly_late_list_goes_to_staff_on_mondays(regulator, db):
    with at(2026, 11, 2):  # a Monday; every October report is missing
        headers = scan_and_send()
    assert "late_reports/late-reports:2026-W45/2026-11-02" in headers
    late = next(m for m in mail.outbox if m.to == [regulator.email])
    assert "2026-10" in late.body


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


def new_incident(title="授权码短信下发失败") -> Incident:
    return Incident(
        title=title, description="10086 下发授权码的短信通道故障。", location="全省",
        since=dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC), subscribers_affected=1200, measures="已切换备用通道。",
    )  # fmt: skip


def test_a_reported_incident_records_its_mail_to_every_staff_member_with_the_report(
    regulator, leader, operator_a, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=make_user("no_address", "regulator_staff").pk).update(email="")
    make_user("gone", "regulator_staff", is_active=False)
    with django_capture_on_commit_callbacks() as queued:
        incident = incidents.report(new_incident(), operator=operator_a.operator, user=operator_a)
    occasions = Occasion.objects.filter(rule=INCIDENT_REPORTED)
    # The staff reachable, not leadership nor the operator; at once (today), sent after the commit.
    assert [(o.object_key, o.recipient, o.on_date, o.state) for o in occasions] == [
        (f"incident:{incident.pk}:reported", regulator, dt.date(2026, 11, 20), OccasionState.PENDING)
    ]
    assert len(queued) == 1
    assert mail.outbox == []


def test_a_report_rolled_back_records_no_mail(regulator, operator_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        incidents.report(new_incident(), operator=operator_a.operator, user=operator_a)
        raise RuntimeError("the report fails after the incident was saved")
    assert not Incident.objects.exists()
    assert not Occasion.objects.exists()


def test_the_incident_mail_is_sent_once_at_once(
    regulator, operator_a, eager_tasks, django_capture_on_commit_callbacks
):
    regulator.language = "en"
    regulator.save()
    with django_capture_on_commit_callbacks(execute=True):
        incident = incidents.report(new_incident(), operator=operator_a.operator, user=operator_a)
    [message] = mail.outbox
    assert message.to == [regulator.email]
    assert message.subject == "Major problem reported by China Mobile: 授权码短信下发失败"
    assert message.extra_headers["X-Supervision-Reminder"] == (
        f"{INCIDENT_REPORTED}/incident:{incident.pk}:reported/2026-11-20"
    )
    [occasion] = Occasion.objects.filter(rule=INCIDENT_REPORTED)
    assert occasion.state == OccasionState.SENT
    assert services.send(occasion.pk) == "taken"
    assert occasion.pk not in services.scan()
    assert len(mail.outbox) == 1


def test_occasions_of_the_former_incident_rule_become_the_event_mails(regulator, operator_a):
    """Recorded by the rule ``incident`` before it became an event mail: one still pending is
    sent as the event mail; the rule's timing has nothing left to time."""
    migration = importlib.import_module(
        "supervision.reminders.migrations.0002_incident_mail_is_an_event_mail"
    )
    incident = new_incident()
    incident.operator, incident.reported_by = operator_a.operator, operator_a
    incident.save()
    Occasion.objects.create(
        rule="incident",
        object_key=f"incident:{incident.pk}",
        recipient=regulator,
        on_date=dt.date(2026, 11, 20),
    )
    ReminderSetting.objects.create(rule="incident", enabled=False)
    migration.forwards(apps, None)
    occasion = Occasion.objects.get()
    assert (occasion.rule, occasion.object_key) == (INCIDENT_REPORTED, f"incident:{incident.pk}:reported")
    assert not ReminderSetting.objects.exists()
    assert services.send(occasion.pk) == "sent"
    assert "授权码短信下发失败" in mail.outbox[0].subject
    migration.backwards(apps, None)
    assert Occasion.objects.values_list("rule", "object_key").get() == ("incident", f"incident:{incident.pk}")
