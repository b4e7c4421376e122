"""The one e-mail of briefings: a circulated briefing to every operator's managers, with its files.

``queue`` runs after the transaction commits (a refused or rolled-back circulation sends
nothing); the worker calls ``send``. Each manager gets one mail in their own language with the
.docx and the PDF attached, and a ``BriefingDelivery`` row: a retried task sends only to those
not reached yet. Templates: ``emails/briefings/circulated_subject.txt``, ``.txt`` and ``.html``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from supervision.core.models import Role, User

from . import documents
from .models import Briefing, BriefingDelivery

TEMPLATE = "emails/briefings/circulated"


def queue(briefing: Briefing) -> None:
    """Send the circulated ``briefing`` once the current transaction has committed."""
    from .tasks import send_briefing  # the task module imports this one

    briefing_id = briefing.pk
    transaction.on_commit(lambda: send_briefing.delay(briefing_id))


def recipients():
    """Every active manager of every operator who has an address."""
    return (
        User.objects.filter(is_active=True, role=Role.OPERATOR_MANAGER, operator__isnull=False)
        .exclude(email="")
        .select_related("operator")
        .order_by("operator__sort_order", "pk")
    )


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def send(briefing_id: int) -> int:
    """Mail the briefing to the managers not reached yet; returns how many were sent now."""
    from .services import file_name

    briefing = Briefing.objects.select_related("period").get(pk=briefing_id)
    attachments = [
        (file_name(briefing, "docx"), _read(briefing.docx_file), documents.DOCX_TYPE),
        (file_name(briefing, "pdf"), _read(briefing.pdf_file), documents.PDF_TYPE),
    ]
    sent = 0
    for recipient in recipients():
        delivery, _created = BriefingDelivery.objects.get_or_create(
            briefing=briefing,
            recipient=recipient,
            defaults={"operator_id": recipient.operator_id, "email": recipient.email},
        )
        if delivery.sent_at is not None:
            continue
        with translation.override(recipient.language):
            context = {
                "briefing": briefing,
                "recipient": recipient,
                "title": attachments[0][0].rsplit(".", 1)[0],
                "administration": settings.ADMINISTRATION_NAME,
            }
            subject = " ".join(render_to_string(f"{TEMPLATE}_subject.txt", context).split())
            message = EmailMultiAlternatives(
                subject,
                render_to_string(f"{TEMPLATE}.txt", context),
                to=[recipient.email],
                reply_to=[settings.REPLY_TO_EMAIL],
            )
            message.attach_alternative(render_to_string(f"{TEMPLATE}.html", context), "text/html")
            for name, data, mimetype in attachments:
                message.attach(name, data, mimetype)
            message.send()
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["sent_at"])
        sent += 1
    return sent
