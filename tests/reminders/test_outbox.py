"""Event mails go through the reminders' outbox: recorded with the change, sent exactly once.

The event here is casework's "order issued" (``casework.order_issued``) to CMCC's two users;
the outbox and ``services.send`` are the same for every event mail.
"""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.urls import reverse
from kombu.exceptions import OperationalError

from supervision.casework import orders
from supervision.casework.models import CaseEvent
from supervision.reminders import outbox, services
from supervision.reminders.models import Occasion, OccasionState
from tests.casework.conftest import make_order

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 10, 10, 0, tzinfo=SHANGHAI)
ISSUED = "casework.order_issued"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def draft(frozen, regulator, operator_a, manager_a):
    """A draft order of CMCC, whose users are operator_a and manager_a."""
    return make_order(regulator, operator_a, "draft")


@pytest.fixture
def refuse_mail_to(monkeypatch):
    """``refuse_mail_to(address)``: the mail server refuses every mail to that address."""
    from django.core.mail.backends.locmem import EmailBackend

    deliver = EmailBackend.send_messages

    def refuse(address):
        def send_messages(self, messages):
            if any(address in message.to for message in messages):
                raise OSError(f"550 {address}: mailbox unavailable")
            return deliver(self, messages)

        monkeypatch.setattr(EmailBackend, "send_messages", send_messages)

    return refuse


def issue(order, user, callbacks, *, execute=False):
    """Issue the order; its on-commit callbacks (queuing the sends) run only if ``execute``."""
    with callbacks(execute=execute):
        orders.issue_order(order, user=user)
    return list(Occasion.objects.filter(rule=ISSUED).order_by("recipient_id"))


def test_issuing_records_one_pending_occasion_per_recipient_in_the_transaction(
    draft, regulator, operator_a, manager_a, django_capture_on_commit_callbacks
):
    occasions = issue(draft, regulator, django_capture_on_commit_callbacks)
    assert [(o.object_key, o.recipient, o.on_date, o.state) for o in occasions] == [
        (f"order:{draft.pk}:issued", operator_a, dt.date(2026, 11, 10), OccasionState.PENDING),
        (f"order:{draft.pk}:issued", manager_a, dt.date(2026, 11, 10), OccasionState.PENDING),
    ]
    assert mail.outbox == []  # nothing is sent inside the transaction


def test_the_commit_queues_the_send_of_each_new_occasion(
    draft, regulator, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr("supervision.reminders.tasks.send.delay", queued.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        orders.issue_order(draft, user=regulator)
        assert queued == []  # not before the commit
    for callback in callbacks:
        callback()
    assert queued == [o.pk for o in Occasion.objects.filter(rule=ISSUED).order_by("pk")]


def test_a_rolled_back_change_records_no_mail(draft, regulator, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        orders.issue_order(draft, user=regulator)
        raise RuntimeError("the disk is full")
    assert callbacks == []
    assert not Occasion.objects.filter(rule=ISSUED).exists()
    assert mail.outbox == []


def test_one_recipient_refused_is_retried_without_sending_again_to_the_others(
    draft, regulator, operator_a, manager_a, frozen, refuse_mail_to, django_capture_on_commit_callbacks
):
    to_operator, to_manager = issue(draft, regulator, django_capture_on_commit_callbacks)
    refuse_mail_to(manager_a.email)
    assert services.send(to_operator.pk) == "sent"
    with pytest.raises(services.DeliveryFailed):
        services.send(to_manager.pk)
    to_manager.refresh_from_db()
    assert (to_manager.state, to_manager.attempts) == (OccasionState.PENDING, 1)
    assert "mailbox unavailable" in to_manager.last_error
    assert [m.to for m in mail.outbox] == [[operator_a.email]]

    # The server takes mail again; after the back-off the scan queues only the one not sent.
    refuse_mail_to("nobody@example.cn")
    frozen.shift(dt.timedelta(minutes=1))
    assert to_manager.pk in services.scan()
    assert to_operator.pk not in services.scan()
    assert services.send(to_manager.pk) == "sent"
    assert services.send(to_operator.pk) == "taken"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([operator_a.email, manager_a.email])
    # The timeline has the one mail, with both addresses, written as each copy went out.
    event = CaseEvent.objects.get(order=draft, kind="email")
    assert (event.data["mail"], event.data["to"]) == ("order_issued", [operator_a.email, manager_a.email])


def test_sending_the_same_occasion_twice_sends_it_once(
    draft, regulator, operator_a, django_capture_on_commit_callbacks
):
    to_operator, _to_manager = issue(draft, regulator, django_capture_on_commit_callbacks)
    assert [services.send(to_operator.pk), services.send(to_operator.pk)] == ["sent", "taken"]
    assert [m.to for m in mail.outbox] == [[operator_a.email]]
    assert CaseEvent.objects.get(order=draft, kind="email").data["to"] == [operator_a.email]


def test_recording_the_same_event_again_is_no_new_mail(draft, regulator, django_capture_on_commit_callbacks):
    from supervision.casework import mail as case_mail

    issue(draft, regulator, django_capture_on_commit_callbacks)
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert case_mail.queue("order_issued", draft) == []
    assert callbacks == []
    assert Occasion.objects.filter(rule=ISSUED).count() == 2


def test_a_task_lost_with_the_broker_is_sent_by_the_next_scan(
    draft, regulator, operator_a, manager_a, django_capture_on_commit_callbacks
):
    occasions = issue(draft, regulator, django_capture_on_commit_callbacks)  # never queued
    pending = services.scan()
    assert {o.pk for o in occasions} <= set(pending)
    for occasion in occasions:
        assert services.send(occasion.pk) == "sent"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([operator_a.email, manager_a.email])
    assert not {o.pk for o in occasions} & set(services.scan())


def test_a_broker_that_is_down_does_not_fail_the_change(
    draft, regulator, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("supervision.reminders.tasks.send.delay", down)
    occasions = issue(draft, regulator, django_capture_on_commit_callbacks, execute=True)
    draft.refresh_from_db()
    assert draft.state == "issued"
    assert {o.pk for o in occasions} <= set(services.scan())  # the scan queues them instead


def test_the_outbox_sends_inline_with_eager_tasks(
    draft, regulator, operator_a, manager_a, eager_tasks, django_capture_on_commit_callbacks
):
    occasions = issue(draft, regulator, django_capture_on_commit_callbacks, execute=True)
    assert {o.pk: Occasion.objects.get(pk=o.pk).state for o in occasions} == {
        o.pk: OccasionState.SENT for o in occasions
    }
    message = next(m for m in mail.outbox if m.to == [operator_a.email])
    assert message.extra_headers["X-Supervision-Reminder"] == f"{ISSUED}/order:{draft.pk}:issued/2026-11-10"
    assert Occasion.objects.get(pk=occasions[0].pk).subject == message.subject


def test_an_event_mail_about_an_object_that_is_gone_is_dropped(frozen, operator_a):
    occasion = Occasion.objects.create(
        rule=ISSUED, object_key="order:999999:issued", recipient=operator_a, on_date=dt.date(2026, 11, 10)
    )
    assert services.send(occasion.pk) == "dropped"
    unknown = Occasion.objects.create(
        rule="casework.no_such_mail",
        object_key="order:1:x",
        recipient=operator_a,
        on_date=dt.date(2026, 11, 10),
    )
    assert services.send(unknown.pk) == "dropped"
    assert mail.outbox == []


def test_an_event_code_is_neither_a_reminder_rule_nor_unknown(operator_a):
    with pytest.raises(ImproperlyConfigured):
        outbox.register("order_deadline", label="x", build=lambda o: None, still_due=lambda key: True)
    with pytest.raises(LookupError), transaction.atomic():
        outbox.record("casework.no_such_mail", "order:1:x", [operator_a])


def test_event_mails_are_on_the_staff_mail_log_failures_first(
    client, draft, regulator, manager_a, refuse_mail_to, django_capture_on_commit_callbacks
):
    to_operator, to_manager = issue(draft, regulator, django_capture_on_commit_callbacks)
    services.send(to_operator.pk)
    Occasion.objects.filter(pk=to_manager.pk).update(
        state=OccasionState.FAILED, attempts=services.MAX_ATTEMPTS, last_error="550 mailbox unavailable"
    )
    client.force_login(regulator)
    page = client.get(reverse("control:mail_log"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    log = page[page.index('data-testid="mail-log"') :]
    assert "Rectification order issued" in log
    failed = log.index("550 mailbox unavailable")
    assert failed < log.index(Occasion.objects.get(pk=to_operator.pk).subject)
    # Each names the order it is about, linked to its page (not by its key, order:12:issued).
    draft.refresh_from_db()
    link = f'<a href="{reverse("control:order", args=[draft.pk])}">{draft.document_no} {draft.title}</a>'
    assert log.count(link) == 2
    assert f"order:{draft.pk}:issued" not in log


@pytest.mark.parametrize("face", ["control", "portal"])
def test_the_order_page_lists_the_order_issued_mail(
    client, draft, regulator, operator_a, face, django_capture_on_commit_callbacks
):
    to_operator, _to_manager = issue(draft, regulator, django_capture_on_commit_callbacks)
    services.send(to_operator.pk)
    client.force_login(regulator if face == "control" else operator_a)
    page = client.get(reverse(f"{face}:order", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    start = page.index('data-testid="reminders"')
    section = page[start : page.index("</section>", start)]
    assert "Rectification order issued" in section
    assert "张专员" in section  # operator_a, sent
    assert "2026-11-10 10:00" in section
