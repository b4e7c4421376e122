"""Celery tasks of the reminders and event mails (one outbox): thin, by name, ids as arguments."""

from celery import shared_task

from . import services


@shared_task(name="reminders.scan")
def scan() -> int:
    """Woken by the scheduler: record what is due and queue a send for each pending occasion."""
    ids = services.scan()
    for occasion_id in ids:
        send.delay(occasion_id)
    return len(ids)


@shared_task(
    name="reminders.send",
    autoretry_for=(services.DeliveryFailed,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=services.MAX_ATTEMPTS,
)
def send(occasion_id: int) -> str:
    """Send one occasion, a reminder or an event mail (``outbox.record`` queues it after the commit)."""
    return services.send(occasion_id)
