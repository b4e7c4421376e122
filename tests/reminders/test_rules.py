"""The reminders' mechanism: exactly-once sending, claims, retries and back-off, timings staff set,
the recipient's language, the mail log, and one registry of codes for rules and event mails.

The monthly report's reminder (``report_due``) is the example; each app's rules are tested with
the app (``tests/reporting/test_reminders.py``, ``tests/casework/test_reminders.py``,
``tests/meetings/test_reminders.py``, ``tests/analytics/test_digest.py``).
"""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from supervision.core.models import Period
from supervision.reminders import outbox, registry, rules, services
from supervision.reminders.models import Occasion, OccasionState, ReminderSetting
from supervision.reporting import submissions
from tests.reminders.helpers import at, make_cbn_staff, scan_and_send

# Runs at each of make test-dates' instants: reminders are planned from deadlines, month ends and today.
pytestmark = pytest.mark.dates


@pytest.fixture
def cbn_staff(db):
    """A user of China Broadnet, whose reports up to September are in: only October is chased."""
    return make_cbn_staff()


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


def test_a_disabled_rule_sends_nothing(cbn_staff):
    ReminderSetting.objects.create(rule="report_due", enabled=False)
    with at(2026, 10, 28):
        assert scan_and_send() == []


def test_reminder_mail_is_in_the_recipients_language(cbn_staff):
    cbn_staff.language = "en"
    cbn_staff.save()
    with at(2026, 10, 28):
        scan_and_send()
    assert mail.outbox[0].subject.startswith("Reminder: the monthly porting report for 2026-10 is due")
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_staff_see_the_mail_log_with_failures_first(client, regulator, cbn_staff):
    with at(2026, 10, 28):
        scan_and_send()
    Occasion.objects.create(rule="report_due", object_key="report:CBN:2026-09", recipient=cbn_staff, on_date=dt.date(2026, 10, 1), state=OccasionState.FAILED, last_error="550 mailbox unavailable")  # fmt: skip
    client.force_login(regulator)
    page = client.get("/dashboard/mail/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    log = page[page.index('data-testid="mail-log"') :]
    rows = log.split("<tr")[2:]  # after the header row
    assert "550 mailbox unavailable" in rows[0] and 'class="table-danger"' in rows[0]
    assert len(rows) > 1 and all("550 mailbox unavailable" not in row for row in rows[1:])


def test_each_app_registers_its_rules_under_the_codes_stored():
    """Occasions and timings stored refer to these codes: they never change. Listed by app, as the
    mail log page lists them: reporting, casework, meetings, then the digest."""
    assert list(rules.RULES) == [
        "report_due",
        "late_reports",
        "incident_follow_up",
        "incident_review",
        "order_deadline",
        "interview",
        "commitment",
        "meeting",
        "action_item",
        "digest",
    ]
    assert "reporting.incident_reported" in outbox.KINDS  # an event mail, no longer a rule


def test_a_code_is_a_rules_or_an_event_mails_never_both(monkeypatch):
    monkeypatch.setattr(registry, "_CODES", dict(registry._CODES))
    monkeypatch.setattr(rules, "RULES", dict(rules.RULES))
    with pytest.raises(ImproperlyConfigured, match="is an event mail"):
        rules.register(rules.Rule("casework.order_issued", "x"))
    with pytest.raises(ImproperlyConfigured, match="is a reminder rule"):
        outbox.register("digest", label="x", build=lambda o: None, still_due=lambda key: True)
    with pytest.raises(ImproperlyConfigured, match="1 to 40 characters"):
        rules.register(rules.Rule("x" * 41, "x"))
    rules.register(rules.Rule("digest", "again"))  # a rule registered again replaces it
    assert rules.RULES["digest"].label == "again"
