"""The one e-mail of briefings: a circulated briefing to every operator's recipients, with its files.

It goes through the reminders' outbox (``supervision.reminders.outbox``): ``queue`` runs inside
the circulation's transaction and records, for each recipient of official documents (an
operator's managers, or the task force's designated contacts: ``User.objects.document_recipients``),
an occasion (object key ``briefing:<pk>:circulated``) and a ``BriefingDelivery`` row, not sent
yet. A refused or rolled-back circulation records nothing; once it has committed, the worker
sends each occasion exactly once, in the recipient's language, with the .docx and then the approved PDF attached, and
stamps the delivery as sent. Templates: ``emails/briefings/circulated_subject.txt``, ``.txt`` and
``.html``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supervision.core.models import Operator, User
from supervision.reminders import outbox

from . import documents
from .models import Briefing, BriefingDelivery

TEMPLATE = "emails/briefings/circulated"
CODE = "briefings.circulated"


def object_key(briefing: Briefing) -> str:
    return f"briefing:{briefing.pk}:circulated"


def queue(briefing: Briefing, people=None) -> list[int]:
    """Record the circulated ``briefing``'s mail to every recipient (``people``, else
    ``recipients()``), in the caller's transaction."""

    people = list(recipients()) if people is None else list(people)
    BriefingDelivery.objects.bulk_create(
        [
            BriefingDelivery(
                briefing=briefing, recipient=user, operator_id=user.operator_id, email=user.email
            )
            for user in people
        ],
        ignore_conflicts=True,
    )
    return outbox.record(CODE, object_key(briefing), people)


def recipients():
    """Every operator's recipients of official documents (``User.objects.document_recipients``):
    its managers, or without one its task force's designated contacts."""
    return (
        User.objects.document_recipients(Operator.objects.values("pk"))
        .select_related("operator")
        .order_by("operator__sort_order", "pk")
    )


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def build(occasion) -> EmailMultiAlternatives:
    """The mail of one occasion: to its recipient, in the language active (theirs)."""
    briefing = Briefing.objects.select_related("period").get(pk=outbox.object_pk(occasion.object_key))
    recipient = occasion.recipient
    docx_name = documents.file_name(briefing, "docx")
    context = {
        "briefing": briefing,
        "recipient": recipient,
        "title": docx_name.rsplit(".", 1)[0],
        "administration": settings.ADMINISTRATION_NAME,
    }
    message = outbox.render_message(TEMPLATE, context, recipient)
    message.attach(docx_name, _read(briefing.docx_file), documents.DOCX_TYPE)
    message.attach(documents.file_name(briefing, "pdf"), _read(briefing.pdf_file), documents.PDF_TYPE)
    return message


def still_due(key: str) -> bool:
    """A mail about a briefing that no longer exists is dropped."""
    return Briefing.objects.filter(pk=outbox.object_pk(key)).exists()


def sent(occasion) -> None:
    """Stamp the recipient's delivery as sent."""
    BriefingDelivery.objects.filter(
        briefing_id=outbox.object_pk(occasion.object_key),
        recipient_id=occasion.recipient_id,
        sent_at__isnull=True,
    ).update(sent_at=occasion.sent_at or timezone.now())


def register() -> None:
    """Declare the briefing's mail to the outbox (from the app's ``ready``)."""

    outbox.register(CODE, label=_("Briefing circulated"), build=build, still_due=still_due, sent=sent)
