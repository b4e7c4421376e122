"""Background work of the meetings app. Tasks are thin: load, call a service, done."""

from celery import shared_task

from . import mail, services


@shared_task(name="meetings.send_meeting_mail", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_meeting_mail(meeting_id: int, kind: str) -> None:
    """Invitation, update, cancellation (each with its .ics) or minutes, to everyone concerned."""
    mail.send(meeting_id, kind)


@shared_task(name="meetings.extend_horizons")
def extend_horizons() -> None:
    """Materialise every series' occurrences up to the horizon (daily)."""
    services.extend_horizons()
