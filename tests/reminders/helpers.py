"""What the tests of the reminder rules share, in every app: the clock in Jinan, one scan with its
sends, and the people reminded of the monthly report."""

import datetime as dt

import time_machine
from django.core import mail

from supervision.core.models import Period
from supervision.reminders import services
from supervision.reporting import submissions
from tests.conftest import make_user

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(year, month, day, hour=9, minute=0):
    return time_machine.travel(dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI), tick=False)


def scan_and_send():
    """One scan and the sends it queues; the ``rule/object/day`` of every mail sent in the test."""
    for occasion_id in services.scan():
        services.send(occasion_id)
    return [m.extra_headers["X-Supervision-Reminder"] for m in mail.outbox]


def dated_mails(day, rule):
    """The mails of ``rule`` (a header prefix, ``"interview/"``) a scan on ``day`` sends for that day."""
    with at(*day):
        return [h for h in scan_and_send() if h.startswith(rule) and h.endswith(dt.date(*day).isoformat())]


def make_cbn_staff():
    """A user of China Broadnet, whose reports up to September are in: only October is chased."""
    user = make_user("cbn_staff", "operator_staff", "CBN")
    for label in ("2026-08", "2026-09"):
        submissions.submit(submissions.create_version(user.operator, Period.objects.from_label(label)))
    return user
