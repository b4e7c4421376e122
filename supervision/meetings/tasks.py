"""Background work of the meetings app. Tasks are thin: load, call a service, done.

The meetings' e-mails are sent by the reminders' outbox (``mail.queue``), not by a task of
their own.
"""

from celery import shared_task

from . import services


@shared_task(name="meetings.extend_horizons")
def extend_horizons() -> None:
    """Materialise every series' occurrences up to the horizon (daily)."""
    services.extend_horizons()
