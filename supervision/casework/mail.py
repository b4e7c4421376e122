"""The e-mails of casework: one entry per e-mail, three templates each, the recipient's language.

A service queues a mail with ``queue(code, case)``, which runs after the transaction commits
(a refused or rolled-back change sends nothing); the worker calls ``send``, which writes an
``email`` event on the case's timeline with the addresses it went to.

Templates: ``emails/casework/<code>_subject.txt``, ``<code>.txt`` and ``<code>.html``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from supervision.core.models import Role, User

from . import events
from .models import EventKind, InspectionFinding, InterviewNotice, RectificationOrder

OPERATOR_USERS = "operator"  # every active user of the case's operator
CASE_OFFICER = "officer"  # the order's case officer, or every staff member when it has none


@dataclass(frozen=True)
class Mail:
    code: str
    label: Promise  # how the timeline names it
    model: type
    to: str


MAILS = {
    m.code: m
    for m in [
        Mail("finding_published", _("Finding published"), InspectionFinding, OPERATOR_USERS),
        Mail("order_issued", _("Rectification order issued"), RectificationOrder, OPERATOR_USERS),
        Mail("extension_asked", _("Extension asked"), RectificationOrder, CASE_OFFICER),
        Mail("extension_granted", _("Extension granted"), RectificationOrder, OPERATOR_USERS),
        Mail("extension_refused", _("Extension refused"), RectificationOrder, OPERATOR_USERS),
        Mail("report_submitted", _("Rectification report submitted"), RectificationOrder, CASE_OFFICER),
        Mail("report_returned", _("Rectification report returned"), RectificationOrder, OPERATOR_USERS),
        Mail("order_verified", _("Rectification verified"), RectificationOrder, OPERATOR_USERS),
        Mail("interview_issued", _("Interview notice issued"), InterviewNotice, OPERATOR_USERS),
    ]
}

_URLS = {
    (InspectionFinding, True): "control:finding",
    (InspectionFinding, False): "portal:finding",
    (RectificationOrder, True): "control:order",
    (RectificationOrder, False): "portal:order",
    (InterviewNotice, True): "control:interview",
    (InterviewNotice, False): "portal:interview",
}


def queue(code: str, case) -> None:
    """Send mail ``code`` about ``case`` once the current transaction has committed."""
    from .tasks import send_case_mail  # the task module imports this one

    assert isinstance(case, MAILS[code].model), code
    case_id = case.pk
    transaction.on_commit(lambda: send_case_mail.delay(code, case_id))


def recipients(mail: Mail, case) -> list[User]:
    active = User.objects.filter(is_active=True).exclude(email="")
    if mail.to == OPERATOR_USERS:
        return list(active.filter(operator_id=case.operator_id).order_by("pk"))
    officer = getattr(case, "case_officer", None)
    if officer is not None and officer.is_active and officer.email:
        return [officer]
    return list(active.filter(role=Role.REGULATOR_STAFF).order_by("pk"))


def _context(mail: Mail, case, recipient: User) -> dict:
    url = settings.SITE_URL + reverse(_URLS[(mail.model, recipient.is_regulator)], args=[case.pk])
    context = {
        "case": case,
        "recipient": recipient,
        "url": url,
        "administration": settings.ADMINISTRATION_NAME,
    }
    if isinstance(case, RectificationOrder):
        context["order"] = case
        context["extension"] = case.extensions.order_by("-pk").first()
        context["report"] = case.reports.order_by("-number").first()
    elif isinstance(case, InspectionFinding):
        context["finding"] = case
    else:
        context["interview"] = case
    return context


def send(code: str, case_id: int) -> int:
    """Send mail ``code`` about the case to its recipients, each in their own language."""
    mail = MAILS[code]
    case = mail.model.objects.select_related("operator").get(pk=case_id)
    sent_to = []
    for recipient in recipients(mail, case):
        with translation.override(recipient.language):
            context = _context(mail, case, recipient)
            subject = " ".join(render_to_string(f"emails/casework/{code}_subject.txt", context).split())
            message = EmailMultiAlternatives(
                subject,
                render_to_string(f"emails/casework/{code}.txt", context),
                to=[recipient.email],
                reply_to=[settings.REPLY_TO_EMAIL],
            )
            message.attach_alternative(render_to_string(f"emails/casework/{code}.html", context), "text/html")
            if message.send():
                sent_to.append(recipient.email)
    if sent_to:
        events.record(EventKind.EMAIL, case, data={"mail": code, "to": sent_to}, internal=False)
    return len(sent_to)
