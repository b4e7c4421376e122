"""Two schedulers started by mistake send no reminder twice.

Exactly one scheduler (Celery beat) is to run (docs/deploy.md), but a second one started by
mistake, on another machine or twice by hand, must cost nothing but work: each scan records every
due occasion with an insert that ignores the unique key (rule, object, recipient, date), and each
send claims its occasion with one conditional UPDATE (docs/reminders.md). So whatever the
interleaving of two scans and of the sends each queues, one mail goes per occasion.

Two ways: interleaved step by step in one database transaction, and for real, two schedulers
and their workers in threads with their own database connections, started at the same instant.
"""

import datetime as dt
import importlib
import threading
from collections import Counter

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection

from supervision.core.models import Period
from supervision.reminders import services
from supervision.reminders.models import Occasion, OccasionState
from supervision.reporting import submissions
from tests.conftest import make_user
from tests.reminders.helpers import at, make_cbn_staff

# Planned from the due day of October's report: runs at each of make test-dates' instants.
pytestmark = pytest.mark.dates

REMINDER = "X-Supervision-Reminder"


def cbn_people():
    """China Broadnet's reporting staff and manager, and China Unicom's reporting staff: their
    October reports, due on 31 October, have not come (three series of the monthly report)."""
    people = [make_cbn_staff(), make_user("cbn_manager16", "operator_manager", "CBN")]
    cucc = make_user("cucc_staff16", "operator_staff", "CUCC")
    for label in ("2026-08", "2026-09"):
        submissions.submit(submissions.create_version(cucc.operator, Period.objects.from_label(label)))
    return [*people, cucc]


def mails_per_occasion() -> Counter:
    """How many mails went for each occasion: (rule/object/day, recipient)."""
    return Counter((m.extra_headers[REMINDER], m.to[0]) for m in mail.outbox)


def key(occasion) -> tuple[str, str]:
    return f"{occasion.rule}/{occasion.object_key}/{occasion.on_date}", occasion.recipient.email


def due_occasions() -> set[tuple[str, str]]:
    return {
        key(o)
        for o in Occasion.objects.filter(rule="report_due")
        .exclude(state=OccasionState.SUPERSEDED)
        .select_related("recipient")
    }


@pytest.mark.django_db
def test_two_schedulers_interleaved_send_one_mail_per_occasion(settings):
    settings.REPORT_DUE_DAYS_AFTER_MONTH_END = 0
    people = cbn_people()
    with at(2026, 10, 28):
        # Both schedulers wake at once: each scan records and queues what is due.
        queued_by_first = services.scan()
        queued_by_second = services.scan()
        assert len(queued_by_first) >= len(people)
        assert sorted(queued_by_first) == sorted(queued_by_second)
        assert Occasion.objects.count() == len(queued_by_first)  # recorded once
        # Their sends arrive at the workers interleaved: first's, second's, first's, ...
        results = []
        for pair in zip(queued_by_first, reversed(queued_by_second), strict=True):
            results += [services.send(pair[0]), services.send(pair[1])]
        # A third scan, a moment later, finds nothing left to send.
        assert services.scan() == []
    assert Counter(results)["sent"] == len(queued_by_first)
    assert set(Counter(results)) <= {"sent", "taken"}
    counts = mails_per_occasion()
    assert set(counts.values()) == {1}
    assert set(counts) == due_occasions()
    assert {to for _reminder, to in counts} == {p.email for p in people}


@pytest.mark.django_db
def test_two_schedulers_over_several_days_send_each_days_reminder_once(settings):
    """Down for two days then both restarted: each series is one mail per day it ran, not two."""
    settings.REPORT_DUE_DAYS_AFTER_MONTH_END = 0
    cbn_people()
    for day in ((2026, 10, 28), (2026, 10, 31), (2026, 11, 3)):
        with at(*day):
            first, second = services.scan(), services.scan()
            for occasion_id in [*second, *first]:
                services.send(occasion_id)
    counts = mails_per_occasion()
    assert set(counts.values()) == {1}
    assert set(counts) == {key(o) for o in Occasion.objects.filter(state=OccasionState.SENT)}


# --- For real: two schedulers and their workers at the same instant -------------------------

_reference = importlib.import_module("supervision.core.migrations.0002_reference_data")


@pytest.fixture
def reference_rows_again(django_db_blocker):
    """Requested before ``transactional_db``, so torn down after its flush: the reference rows
    (operators, cities, categories) are made again for the tests that follow on this worker."""
    yield
    with django_db_blocker.unblock():
        _reference.create_reference_data(apps, None)


def scheduler_with_its_worker(start: threading.Barrier, outcomes: list, errors: list):
    """One scheduler's scan and the sends it queues, run by its worker, on its own connection."""
    try:
        start.wait(timeout=30)
        for occasion_id in services.scan():
            outcomes.append(services.send(occasion_id))
    except Exception as error:  # noqa: BLE001 — reported by the test
        errors.append(error)
    finally:
        connection.close()


def test_two_schedulers_at_the_same_instant_send_one_mail_per_occasion(
    reference_rows_again, transactional_db, settings
):
    settings.REPORT_DUE_DAYS_AFTER_MONTH_END = 0
    _reference.create_reference_data(apps, None)  # after another transactional test's flush
    people = cbn_people()
    outcomes, errors = [], []
    start = threading.Barrier(2)
    with at(2026, 10, 28):
        threads = [
            threading.Thread(target=scheduler_with_its_worker, args=(start, outcomes, errors))
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert not errors, errors
    counts = mails_per_occasion()
    assert set(counts.values()) == {1}
    assert set(counts) == due_occasions()
    assert len(counts) >= len(people)
    assert Counter(outcomes)["sent"] == len(counts)
    assert Occasion.objects.filter(state=OccasionState.SENT).count() == len(counts)
    assert not Occasion.objects.filter(state__in=[OccasionState.PENDING, OccasionState.SENDING]).exists()


def test_the_claim_is_the_guard_a_second_send_of_a_sent_occasion_mails_nothing(db, settings):
    settings.REPORT_DUE_DAYS_AFTER_MONTH_END = 0
    make_cbn_staff()
    with at(2026, 10, 28, 9, 0):
        [occasion_id] = services.scan()
        assert services.send(occasion_id) == "sent"
    # The second scheduler's send arrives late, even after a claim would be stale: still taken.
    with at(2026, 10, 28, 9, 30):
        assert services.send(occasion_id) == "taken"
        assert services.scan() == []
    assert len(mail.outbox) == 1
    assert dt.date(2026, 10, 28).isoformat() in mail.outbox[0].extra_headers[REMINDER]
