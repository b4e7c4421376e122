"""Background work of briefings. Tasks are thin: ids as arguments, load, call a service, done."""

from celery import shared_task

from . import mail


@shared_task(name="briefings.send_briefing", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_briefing(briefing_id: int) -> None:
    """E-mail one circulated briefing to every operator's managers not reached yet."""
    mail.send(briefing_id)
