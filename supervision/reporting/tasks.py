"""Background work of the reporting app. Tasks are thin: load, call a service, done."""

from celery import shared_task
from django.utils import translation

from . import incidents, uploads


@shared_task(name="reporting.check_upload")
def check_upload(upload_id: str, language: str = "zh-hans") -> None:
    """Check a large upload in the worker; the page polls its progress."""
    with translation.override(language):
        uploads.run_checks(upload_id)


@shared_task(name="reporting.notify_incident", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_incident(incident_id: int) -> None:
    """Tell the administration's staff about a major problem at once."""
    incidents.send_notification(incident_id)
