"""Event e-mails through the reminders' outbox: recorded with the change, sent exactly once.

A reminder is derived from the data by a rule (``rules.py``); an *event mail* is caused by one
change: an order issued, an extension granted, a meeting moved, a briefing circulated. Both are
occasions (``models.Occasion``, unique on rule × object × recipient × day) and both go through
the one ``services.send``: claimed by a conditional UPDATE, retried with back-off, marked sent by
one UPDATE, failures shown first on the staff's mail log, pending ones re-queued by every scan.

An app registers each kind of event mail once, from its ``AppConfig.ready``::

    outbox.register("casework.order_issued", label=..., build=..., still_due=..., sent=...)

- ``build(occasion)`` returns the ``EmailMultiAlternatives`` for one occasion, i.e. one
  recipient; it runs in the recipient's language (``translation.override``).
- ``still_due(object_key)`` is asked after the claim: False drops the occasion (the object is
  gone), and no mail goes.
- ``sent(occasion)``, optional, runs once the occasion is recorded as sent (a line on a case's
  timeline, a delivery row). It is outside the claim: if it fails, the failure is logged and the
  mail is not sent again.

The service that makes the change calls ``record(code, object_key, recipients)`` **inside its
transaction**: the occasions are rows of that transaction, rolled back with the change and never
lost once it has committed. After the commit the send tasks are queued; a broker that is down or
loses them delays the mail until the next scan (``services.scan`` queues every pending occasion),
it does not lose it.

Object keys name one event, so that a second real event (a second extension granted, a second
update of a meeting) is a new mail, while recording the same event again is not:
``order:12:issued``, ``order:12:extension:3:granted``, ``meeting:7:update:2``. They start with
``<kind>:<pk>:`` so that ``visibility.for_object`` finds every mail about an object by prefix.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from . import clock, registry
from .models import Occasion, OccasionState

log = logging.getLogger(__name__)

# The length of Occasion.object_key (a code's is ``registry.CODE_MAX``).
KEY_MAX = 80

# The Celery task that sends one occasion (``tasks.send``), queued by its name: the tasks call
# ``services``, which calls this module.
SEND_TASK = "reminders.send"


@dataclass(frozen=True)
class EventMail:
    code: str
    label: object  # a lazy translation: how the mail log and an object's page name it
    build: Callable[[Occasion], EmailMultiAlternatives]
    still_due: Callable[[str], bool]
    sent: Callable[[Occasion], None] | None = None


KINDS: dict[str, EventMail] = {}


def register(
    code: str,
    *,
    label,
    build: Callable[[Occasion], EmailMultiAlternatives],
    still_due: Callable[[str], bool],
    sent: Callable[[Occasion], None] | None = None,
) -> EventMail:
    """Declare one kind of event mail; registering a code again replaces it. A code is an event
    mail's or a reminder rule's (``rules.register``), never both (``registry``)."""
    registry.claim(code, registry.EVENT_MAIL)
    KINDS[code] = EventMail(code, label, build, still_due, sent)
    return KINDS[code]


def object_pk(object_key: str) -> str:
    """The primary key of the object a key names: ``"12"`` of ``order:12:issued``."""
    return object_key.split(":")[1]


def get(code: str) -> EventMail | None:
    return KINDS.get(code)


def labels() -> dict[str, object]:
    return {code: kind.label for code, kind in KINDS.items()}


def record(code: str, object_key: str, recipients: Iterable, on_date=None) -> list[int]:
    """Record event mail ``code`` about ``object_key`` for each recipient, in the caller's transaction.

    Recipients without an address are skipped, and so is anyone who has this mail recorded already
    (the same event recorded twice is one mail). Returns the ids of the new occasions; their send
    tasks are queued once the transaction has committed.
    """
    if code not in KINDS:
        raise LookupError(f"no event mail {code!r} is registered")
    if not object_key or len(object_key) > KEY_MAX:
        raise ValueError(f"an object key has 1 to {KEY_MAX} characters: {object_key!r}")
    on_date = on_date or clock.today()
    recipient_ids = []
    for user in recipients:
        if user.email and user.pk not in recipient_ids:
            recipient_ids.append(user.pk)
    known = set(
        Occasion.objects.filter(rule=code, object_key=object_key, recipient_id__in=recipient_ids).values_list(
            "recipient_id", flat=True
        )
    )
    new = [pk for pk in recipient_ids if pk not in known]
    if not new:
        return []
    # ignore_conflicts: a concurrent recording of the same event on the same day adds nothing.
    Occasion.objects.bulk_create(
        [Occasion(rule=code, object_key=object_key, recipient_id=pk, on_date=on_date) for pk in new],
        ignore_conflicts=True,
    )
    ids = list(
        Occasion.objects.filter(
            rule=code,
            object_key=object_key,
            recipient_id__in=new,
            on_date=on_date,
            state=OccasionState.PENDING,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if ids:
        transaction.on_commit(partial(queue, ids))
    return ids


def queue(ids: list[int]) -> None:
    """Queue the send task of each occasion; if the broker cannot take them, the next scan will."""
    send = current_app.tasks[SEND_TASK]
    try:
        for occasion_id in ids:
            send.delay(occasion_id)
    except Exception:  # noqa: BLE001 — the change has committed; the occasions wait for the scan
        if send.app.conf.task_always_eager:
            raise  # run inline (tests, debugging): the error is the sending code's, not the broker's
        log.warning("event mails %s not queued; the next reminder scan queues them", ids, exc_info=True)


def render_message(template: str, context: dict, recipient) -> EmailMultiAlternatives:
    """One recipient's mail from ``<template>_subject.txt``, ``<template>.txt`` and ``.html``.

    Rendered in the language active (the caller's ``build`` runs in the recipient's); the reply
    address is the administration's. Attachments are the caller's to add.
    """
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject,
        render_to_string(f"{template}.txt", context),
        to=[recipient.email],
        reply_to=[settings.REPLY_TO_EMAIL],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def build(occasion: Occasion, kind: EventMail) -> EmailMultiAlternatives:
    """The message of one event occasion, in its recipient's language."""
    with translation.override(occasion.recipient.language or settings.LANGUAGE_CODE):
        return kind.build(occasion)


def after_sent(occasion: Occasion, kind: EventMail) -> None:
    """Run the kind's ``sent`` hook; the mail is out whatever happens here."""
    if kind.sent is None:
        return
    try:
        kind.sent(occasion)
    except Exception:  # noqa: BLE001 — the mail went out and is recorded as sent: never send it again
        log.exception("event mail %s was sent, but recording it with %s failed", occasion.pk, kind.code)
