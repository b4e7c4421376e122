"""The e-mails of a monthly report's life, each told once, registered from ``ReportingConfig.ready``.

- ``reporting.version_stored``: a version was stored in the portal and awaits certification, to
  the operator's managers (who certify it); recorded by ``uploads.confirm``;
- ``reporting.version_certified``: a manager certified it, to the administration's staff (who
  accept or return it); recorded by ``submissions.certify``;
- ``reporting.report_returned``: the administration returned it, with the reason, to the
  operator's people; recorded by ``submissions.return_to_operator``;
- ``reporting.report_accepted``: the administration accepted it, to the operator's people;
  recorded by ``submissions.accept``.

Each goes through the reminders' outbox (``supervision.reminders.outbox``): the service records
it inside its transaction (rolled back with a refused change, never lost once committed) and the
worker sends each recipient's copy exactly once. The key names the version and the event,
``submission:<pk>:stored`` and so on: a version is stored, certified and decided once, so each
event is one mail per recipient, ever; a corrected version is a new one. The report's page lists
them beside the month's reminders (``reminders.for_submission``). Each mail links to the
version's page in its recipient's face: the portal for the operator's people, the dashboard for
the administration.

Templates: ``emails/reporting/<event>_subject.txt``, ``<event>.txt`` and ``<event>.html``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from supervision.core.models import Role, User
from supervision.reminders import outbox

from .models import MonthlySubmission, SubmissionState

MANAGERS = "managers"  # the operator's managers, who certify
STAFF = "staff"  # the administration's staff, who decide
OPERATOR = "operator"  # the operator's reporting staff and managers

STORED, CERTIFIED, RETURNED, ACCEPTED = "stored", "certified", "returned", "accepted"


@dataclass(frozen=True)
class Mail:
    event: str  # the last part of the object key, and the template's name
    code: str
    label: Promise  # how the mail log and the report's page name it
    to: str


MAILS = {
    m.event: m
    for m in [
        Mail(STORED, "reporting.version_stored", _("Monthly report stored: to certify"), MANAGERS),
        Mail(CERTIFIED, "reporting.version_certified", _("Monthly report certified"), STAFF),
        Mail(RETURNED, "reporting.report_returned", _("Monthly report returned"), OPERATOR),
        Mail(ACCEPTED, "reporting.report_accepted", _("Monthly report accepted"), OPERATOR),
    ]
}


def object_key(event: str, submission: MonthlySubmission) -> str:
    return f"submission:{submission.pk}:{event}"


def recipients(mail: Mail, submission: MonthlySubmission):
    if mail.to == STAFF:
        return User.objects.reachable_staff().order_by("pk")
    people = User.objects.reachable_at([submission.operator_id])
    if mail.to == MANAGERS:
        # A manager who stored the version has it in front of them: the others are told.
        people = people.filter(role=Role.OPERATOR_MANAGER).exclude(pk=submission.created_by_id)
    return people.order_by("pk")


def queue(event: str, submission: MonthlySubmission) -> list[int]:
    """Record the mail of ``event`` about this version, in the caller's transaction; it is sent
    once the transaction has committed."""
    mail = MAILS[event]
    return outbox.record(mail.code, object_key(event, submission), recipients(mail, submission))


def build(event: str, occasion) -> EmailMultiAlternatives:
    """The mail of one occasion: to its recipient, in the language active (theirs)."""
    submission = MonthlySubmission.objects.select_related(
        "operator", "period", "created_by", "certified_by", "decided_by"
    ).get(pk=outbox.object_pk(occasion.object_key))
    recipient = occasion.recipient
    face = "control" if recipient.is_regulator else "portal"
    context = {
        "submission": submission,
        "operator": submission.operator,
        "period": submission.period,
        "recipient": recipient,
        "url": settings.SITE_URL + reverse(f"{face}:submission", args=[submission.pk]),
        "administration": settings.ADMINISTRATION_NAME,
    }
    return outbox.render_message(f"emails/reporting/{event}", context, recipient)


def still_due(event: str, key: str) -> bool:
    """A version that is gone is told of no more; nor is one to certify that no longer awaits it
    (certified, or replaced by a newer version, before the mail went)."""
    versions = MonthlySubmission.objects.filter(pk=outbox.object_pk(key))
    if event == STORED:
        versions = versions.filter(state=SubmissionState.AWAITING_CERTIFICATION)
    return versions.exists()


def register() -> None:
    """Declare the monthly report's mails to the outbox (from the app's ``ready``)."""
    for event, mail in MAILS.items():
        outbox.register(
            mail.code, label=mail.label, build=partial(build, event), still_due=partial(still_due, event)
        )
