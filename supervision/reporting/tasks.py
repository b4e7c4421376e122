"""Background work of the reporting app. Tasks are thin: load, call a service, done."""

from celery import shared_task
from django.utils import translation

from supervision.core import dates

from . import retention, uploads


@shared_task(name="reporting.check_upload")
def check_upload(upload_id: str, language: str = "zh-hans") -> None:
    """Check a large upload in the worker; the page polls its progress."""
    with translation.override(language):
        uploads.run_checks(upload_id)


@shared_task(name="reporting.discard_stale_uploads")
def discard_stale_uploads() -> int:
    """Hourly (``schedule.ensure_schedule``): delete the files nobody confirmed in time."""
    return uploads.discard_stale_files()


@shared_task(name="reporting.fail_stalled_checks")
def fail_stalled_checks() -> int:
    """Every five minutes (``schedule.ensure_schedule``): a check whose worker died (killed,
    restarted) or that was never queued is marked failed, so that no upload stays "being
    checked" for ever; its page tells the submitter to upload again."""
    return uploads.fail_stalled_checks()


@shared_task(name="reporting.purge_personal_data")
def purge_personal_data() -> dict[str, int]:
    """Nightly (``schedule.ensure_schedule``): empty the personal data of complaints resolved
    longer ago than ``PERSONAL_DATA_RETENTION_DAYS`` (logged as counts per operator)."""
    return retention.purge_personal_data(dates.today())
