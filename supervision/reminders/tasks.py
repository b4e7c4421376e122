"""Celery tasks of the reminders: thin, by name, ids as arguments."""

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
    return services.send(occasion_id)
