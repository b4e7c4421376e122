"""The e-mails of casework: one entry per e-mail, three templates each, the recipient's language.

Each mail goes through the reminders' outbox (``supervision.reminders.outbox``): a service
calls ``queue(code, case, about)`` inside its transaction, which records one occasion per
recipient — rolled back with a refused or failed change, never lost once it has committed —
and the worker sends each occasion exactly once, with the reminders' retries and mail log.

The object key names the event, so that a second extension granted or a report returned a second
time is a new mail, and the same event recorded twice is not: ``finding:9:published``,
``order:12:issued``, ``order:12:extension:3:granted``, ``order:12:report:2:returned``,
``interview:5:issued``, ``finding:9:responded`` (a finding is answered or contested once). The
mail's text is about that extension or report, even if another has come since.

The case's timeline gets one ``email`` event per mail, written when the first recipient's copy is
sent and completed with each address as its copy goes out: it lists whom the mail reached.

Templates: ``emails/casework/<code>_subject.txt``, ``<code>.txt`` and ``<code>.html``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from supervision.core.models import User
from supervision.reminders import outbox, visibility

from . import events
from .models import CaseEvent, EventKind, InspectionFinding, InterviewNotice, RectificationOrder

OPERATOR_USERS = "operator"  # every active user of the case's operator
# An official document (an order, an interview notice): the operator's recipients of official
# documents (``User.objects.document_recipients``) and its other users, who answer it.
OFFICIAL = "official"
CASE_OFFICER = "officer"  # the order's case officer, or every staff member when it has none

EXTENSION, REPORT = "extension", "report"


@dataclass(frozen=True)
class Mail:
    code: str
    label: Promise  # how the timeline and the mail log name it
    model: type
    to: str
    event: str  # the last part of the object key: "issued", "granted"…
    about: str = ""  # EXTENSION or REPORT: the key names which one

    @property
    def outbox_code(self) -> str:
        return f"casework.{self.code}"


MAILS = {
    m.code: m
    for m in [
        Mail("finding_published", _("Finding published"), InspectionFinding, OPERATOR_USERS, "published"),
        Mail("finding_responded", _("Finding answered"), InspectionFinding, CASE_OFFICER, "responded"),
        Mail("finding_contested", _("Finding contested"), InspectionFinding, CASE_OFFICER, "contested"),
        Mail("order_issued", _("Rectification order issued"), RectificationOrder, OFFICIAL, "issued"),
        Mail("extension_asked", _("Extension asked"), RectificationOrder, CASE_OFFICER, "asked", EXTENSION),
        Mail("extension_granted", _("Extension granted"), RectificationOrder, OPERATOR_USERS, "granted", EXTENSION),
        Mail("extension_refused", _("Extension refused"), RectificationOrder, OPERATOR_USERS, "refused", EXTENSION),
        Mail("report_submitted", _("Rectification report submitted"), RectificationOrder, CASE_OFFICER, "submitted", REPORT),
        Mail("report_returned", _("Rectification report returned"), RectificationOrder, OPERATOR_USERS, "returned", REPORT),
        Mail("order_verified", _("Rectification verified"), RectificationOrder, OPERATOR_USERS, "verified", REPORT),
        Mail("interview_issued", _("Interview notice issued"), InterviewNotice, OFFICIAL, "issued"),
    ]
}  # fmt: skip

_PREFIXES = {InspectionFinding: "finding", RectificationOrder: "order", InterviewNotice: "interview"}


def object_key(mail: Mail, case, about=None) -> str:
    """``order:12:issued``, ``order:12:extension:3:granted``, ``order:12:report:2:returned``."""
    key = f"{_PREFIXES[mail.model]}:{case.pk}"
    if mail.about == EXTENSION:
        key += f":extension:{about.pk}"
    elif mail.about == REPORT:
        key += f":report:{about.number}"
    return f"{key}:{mail.event}"


def queue(code: str, case, about=None) -> list[int]:
    """Record mail ``code`` about ``case`` (and the extension or report ``about``) in the outbox,
    in the caller's transaction; it is sent once the transaction has committed."""

    mail = MAILS[code]
    assert isinstance(case, mail.model), code
    assert bool(mail.about) == (about is not None), code
    return outbox.record(mail.outbox_code, object_key(mail, case, about), recipients(mail, case))


def recipients(mail: Mail, case) -> list[User]:
    """The operator's users (for an official document, its recipients of official documents
    among them), or the case officer, or (without one who can be reached) the staff."""
    if mail.to == OFFICIAL:
        people = User.objects.document_recipients([case.operator_id]) | User.objects.reachable_at(
            [case.operator_id]
        )
        return list(people.order_by("pk"))
    if mail.to == OPERATOR_USERS:
        return list(User.objects.reachable_at([case.operator_id]).order_by("pk"))
    officer = getattr(case, "case_officer", None)
    if officer is not None and officer.is_active and officer.email:
        return [officer]
    return list(User.objects.reachable_staff().order_by("pk"))


def _context(mail: Mail, case, recipient: User, key: str) -> dict:
    # The case's page in the recipient's face: ``control:order`` for staff, ``portal:order`` for operators.
    face = "control" if recipient.is_regulator else "portal"
    url = settings.SITE_URL + reverse(f"{face}:{_PREFIXES[mail.model]}", args=[case.pk])
    context = {
        "case": case,
        "recipient": recipient,
        "url": url,
        "administration": settings.ADMINISTRATION_NAME,
    }
    if isinstance(case, RectificationOrder):
        parts = key.split(":")
        context["order"] = case
        context["extension"] = (
            case.extensions.get(pk=parts[3])
            if mail.about == EXTENSION
            else case.extensions.order_by("-pk").first()
        )
        context["report"] = (
            case.reports.get(number=parts[3])
            if mail.about == REPORT
            else case.reports.order_by("-number").first()
        )
    elif isinstance(case, InspectionFinding):
        context["finding"] = case
        # The operator's answer or contest (one per finding: only a published finding takes one).
        context["response"] = case.responses.select_related("submitted_by").order_by("-pk").first()
    else:
        context["interview"] = case
    return context


def build(code: str, occasion) -> EmailMultiAlternatives:
    """The mail of one occasion: to its recipient, in the language active (theirs)."""
    mail = MAILS[code]
    case = mail.model.objects.select_related("operator").get(pk=outbox.object_pk(occasion.object_key))
    recipient = occasion.recipient
    context = _context(mail, case, recipient, occasion.object_key)
    return outbox.render_message(f"emails/casework/{code}", context, recipient)


def still_due(code: str, key: str) -> bool:
    """A mail about a case that no longer exists is dropped."""
    return MAILS[code].model.objects.filter(pk=outbox.object_pk(key)).exists()


def sent(code: str, occasion) -> None:
    """Put the address on the timeline's ``email`` event of this mail (one event per mail).

    The case row is locked while the event is read and written, so two workers sending two copies
    of the same mail at once write one event with both addresses.
    """
    mail = MAILS[code]
    with transaction.atomic():
        case = mail.model.objects.select_for_update().filter(pk=outbox.object_pk(occasion.object_key)).first()
        if case is None:
            return
        address = occasion.recipient.email
        event = CaseEvent.objects.filter(
            kind=EventKind.EMAIL, data__key=occasion.object_key, **{events.case_field(case): case}
        ).first()
        if event is None:
            events.record(
                EventKind.EMAIL,
                case,
                data={"mail": code, "key": occasion.object_key, "to": [address]},
                internal=False,
                at=occasion.sent_at,
            )
        elif address not in event.data.get("to", []):
            event.data["to"] = [*event.data.get("to", []), address]
            event.save(update_fields=["data"])


def register() -> None:
    """Declare every casework mail to the outbox (from the app's ``ready``)."""

    for code, mail in MAILS.items():
        outbox.register(
            mail.outbox_code,
            label=mail.label,
            build=partial(build, code),
            still_due=partial(still_due, code),
            sent=partial(sent, code),
        )


def mails_about(case, *, user) -> dict:
    """Every mail recorded about a case that ``user`` may see (its event mails and reminders), for
    the block ``reminders/for_object.html`` on the case's page."""
    return visibility.for_object(f"{_PREFIXES[type(case)]}:{case.pk}:", user=user)
