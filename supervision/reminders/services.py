"""Scanning for due reminders and sending each occasion, reminder or event mail, exactly once.

Two kinds of occasion share this code path: reminders, recorded by ``scan`` from the rules each
app registers (``rules.RULES``), and event mails, recorded by the services that make a change,
inside its transaction (``outbox.record``; an order issued, a meeting moved, a briefing
circulated).

Exactly once, step by step:
1. ``scan`` records every due reminder with ``bulk_create(ignore_conflicts=True)`` on the unique
   key (rule, object, recipient, date): two schedulers, or a scan repeated after a crash, record
   nothing twice. ``outbox.record`` does the same for an event's recipients.
2. ``send`` claims the occasion with a conditional UPDATE (pending → sending); only the worker
   whose update changed the row sends. A second delivery of the same task finds it claimed.
3. After the mail server accepted the mail, one UPDATE records it as sent — before the SMTP
   connection is closed, so the window does not include the server's goodbye. A worker killed
   in between leaves the occasion "sending": the next scan after ``STALE_CLAIM`` releases it and
   it is sent again. That instant — after the server's acceptance, before the UPDATE — is the
   only window in which a mail can be duplicated; it lasts one database write. An event mail's
   ``sent`` hook (a timeline line, a delivery row) runs after that UPDATE, never before it.
4. Nothing waits in the broker alone: every scan re-queues the pending occasions — reminders and
   event mails alike — so a task lost with Redis is queued again when the broker is back.

After downtime, a scan records every reminder that fell due in the catch-up window: a daily
reminder missed for three days is three occasions of one *series* (one rule, one object, one
recipient). Only the latest is sent; the earlier ones are marked *superseded* (``supersede``),
kept on the mail log and the object's page, never sent: one mail, not three within seconds.
"""

import contextlib
import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Exists, F, OuterRef
from django.utils import translation

from . import clock, outbox
from .models import Occasion, OccasionState
from .rules import RULES, timing

log = logging.getLogger(__name__)

STALE_CLAIM = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5


def scan() -> list[int]:
    """Record the due occasions and return the ids of those to send now."""
    now = clock.now()
    today = clock.today()
    # A claim older than STALE_CLAIM belongs to a worker that died: release it.
    Occasion.objects.filter(state=OccasionState.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        state=OccasionState.PENDING
    )
    for rule in RULES.values():
        offsets, repeat, enabled = timing(rule)
        if not enabled:
            continue
        due = list(rule.due(today, offsets, repeat))
        Occasion.objects.bulk_create(
            [
                Occasion(rule=rule.code, object_key=d.object_key, recipient=d.recipient, on_date=d.on_date)
                for d in due
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
    supersede(today)
    pending = Occasion.objects.filter(state=OccasionState.PENDING, on_date__lte=today).values_list(
        "pk", "attempts", "claimed_at"
    )
    # A failed delivery waits its back-off (30 s, doubling, at most an hour) before the next try.
    return [
        pk
        for pk, attempts, last in pending
        if not attempts or last is None or last <= now - backoff(attempts)
    ]


# A later reminder of the series that went, or will go, instead of an earlier one.
_LIVE = [OccasionState.PENDING, OccasionState.SENDING, OccasionState.SENT]


def _later_of_series(today: dt.date):
    """A reminder of the same series (rule, object, recipient) for a later day, up to today,
    that is sent or on its way."""
    return Occasion.objects.filter(
        rule=OuterRef("rule"),
        object_key=OuterRef("object_key"),
        recipient_id=OuterRef("recipient_id"),
        on_date__gt=OuterRef("on_date"),
        on_date__lte=today,
        state__in=_LIVE,
    )


def supersede(today: dt.date) -> int:
    """Mark superseded the pending reminders that a later reminder of their series replaces.

    After downtime the scan records every day of the catch-up window: the overdue report reminded
    on each of the days missed. One mail goes, the latest (it is built from the data as they are
    now, as every reminder is); the others are kept as superseded, not sent and not lost. Event
    mails are not a series: each names its own event. Returns how many were superseded.
    """
    return (
        Occasion.objects.filter(state=OccasionState.PENDING, rule__in=list(RULES), on_date__lte=today)
        .filter(Exists(_later_of_series(today)))
        .update(state=OccasionState.SUPERSEDED)
    )


def backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), dt.timedelta(hours=1))


class DeliveryFailed(Exception):
    """The mail server did not take the mail; the task retries with back-off."""


def send(occasion_id: int) -> str:
    """Send one occasion if it is still pending and still due; returns what happened."""
    now = clock.now()
    claimed = Occasion.objects.filter(pk=occasion_id, state=OccasionState.PENDING).update(
        state=OccasionState.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "taken"  # sent already, or another worker has it
    occasion = Occasion.objects.select_related("recipient").get(pk=occasion_id)
    # A reminder rule, or a registered kind of event mail; a code that is neither is dropped.
    rule = RULES.get(occasion.rule)
    event = outbox.get(occasion.rule) if rule is None else None
    if rule is not None:
        due = rule.still_due(occasion.object_key, occasion.on_date)
    else:
        due = event is not None and event.still_due(occasion.object_key)
    if not due:
        Occasion.objects.filter(pk=occasion_id).update(state=OccasionState.DROPPED)
        return "dropped"
    # A send queued before a later reminder of its series was recorded (the broker kept it).
    if rule is not None and _is_superseded(occasion):
        Occasion.objects.filter(pk=occasion_id).update(state=OccasionState.SUPERSEDED)
        return "superseded"
    connection = get_connection()
    try:
        message = build_message(occasion, rule) if rule is not None else outbox.build(occasion, event)
        message.extra_headers["X-Supervision-Reminder"] = (
            f"{occasion.rule}/{occasion.object_key}/{occasion.on_date}"
        )
        connection.open()
        connection.send_messages([message])
    except Exception as error:  # noqa: BLE001 — any failure to build or deliver the mail is retried
        with contextlib.suppress(Exception):
            connection.close()
        final = occasion.attempts >= MAX_ATTEMPTS
        Occasion.objects.filter(pk=occasion_id).update(
            state=OccasionState.FAILED if final else OccasionState.PENDING, last_error=str(error)[:2000]
        )
        log.warning("mail %s not delivered (attempt %s): %s", occasion_id, occasion.attempts, error)
        if final:
            return "failed"
        raise DeliveryFailed(str(error)) from error
    # The window: the server has the mail; until this UPDATE a crash would send it again.
    sent_at = clock.now()
    Occasion.objects.filter(pk=occasion_id).update(
        state=OccasionState.SENT, sent_at=sent_at, subject=message.subject[:300]
    )
    with contextlib.suppress(Exception):
        connection.close()
    if event is not None:
        occasion.state, occasion.sent_at, occasion.subject = (
            OccasionState.SENT,
            sent_at,
            message.subject[:300],
        )
        outbox.after_sent(occasion, event)
    return "sent"


def _is_superseded(occasion: Occasion) -> bool:
    return Occasion.objects.filter(pk=occasion.pk).filter(Exists(_later_of_series(clock.today()))).exists()


def build_message(occasion: Occasion, rule) -> EmailMultiAlternatives:
    recipient = occasion.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = {
            "recipient": recipient,
            "occasion": occasion,
            "rule": rule,
            "site_url": settings.SITE_URL,
            **rule.context(occasion.object_key),
        }
        return outbox.render_message(
            f"emails/reminders/{getattr(rule, 'template', rule.code)}", context, recipient
        )
