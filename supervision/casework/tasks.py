"""Background work of casework. Tasks are thin: ids as arguments, load, call a service, done."""

from celery import shared_task

from . import mail


@shared_task(name="casework.send_case_mail", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_case_mail(code: str, case_id: int) -> None:
    """Send one casework e-mail (``mail.MAILS``) about one case to its recipients."""
    mail.send(code, case_id)
