"""The life of a monthly submission: one service function per state change.

Each function runs in a transaction, checks that the change is allowed from the current
state, and records who and when. Views, the import commands and the reminders all call these.
"""

import secrets

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.core.models import Operator, Period

from .models import MonthlySubmission, SubmissionState

# States in which a version still counts as the operator's answer for its period.
LIVE_STATES = [SubmissionState.AWAITING_CERTIFICATION, SubmissionState.SUBMITTED, SubmissionState.RETURNED]


class SubmissionRefused(Exception):
    """A change the rules do not allow; the message says why, in the user's language."""


def ensure_period_open(operator: Operator, period: Period) -> None:
    """Refuse a new version when the period is locked or a version was already accepted."""
    if period.is_locked:
        raise SubmissionRefused(
            _("The period %(period)s is locked; ask the administration to unlock it.")
            % {"period": period.label}
        )
    if MonthlySubmission.objects.filter(
        operator=operator, period=period, state=SubmissionState.ACCEPTED
    ).exists():
        raise SubmissionRefused(
            _(
                "The administration has already accepted the report for %(period)s; it can no longer be replaced."
            )
            % {"period": period.label}
        )


@transaction.atomic
def create_version(operator: Operator, period: Period, *, user=None, **fields) -> MonthlySubmission:
    """Start the next version of the operator's report for the period, as a draft."""
    # Lock the period row so that two uploads at once cannot take the same version number.
    period = Period.objects.select_for_update().get(pk=period.pk)
    ensure_period_open(operator, period)
    last = (
        MonthlySubmission.objects.filter(operator=operator, period=period).aggregate(n=Max("version"))["n"]
        or 0
    )
    return MonthlySubmission.objects.create(
        operator=operator,
        period=period,
        version=last + 1,
        created_by=user,
        state=SubmissionState.DRAFT,
        **fields,
    )


def _new_receipt_no(submission: MonthlySubmission) -> str:
    # Readable on the phone, unique thanks to the random tail: SD-202610-CMCC-V2-7F3K9Q
    tail = "".join(secrets.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(6))
    return f"SD-{submission.period.month:%Y%m}-{submission.operator.code}-V{submission.version}-{tail}"


@transaction.atomic
def submit(submission: MonthlySubmission, *, certified_by=None, at=None) -> MonthlySubmission:
    """Make a version the operator's answer for its period: earlier live versions are superseded."""
    submission = MonthlySubmission.objects.select_for_update().get(pk=submission.pk)
    ensure_period_open(submission.operator, submission.period)
    if submission.state not in (SubmissionState.DRAFT, SubmissionState.AWAITING_CERTIFICATION):
        raise SubmissionRefused(_("This version was submitted already."))
    now = at or timezone.now()
    MonthlySubmission.objects.filter(
        operator=submission.operator, period=submission.period, state__in=LIVE_STATES
    ).exclude(pk=submission.pk).update(state=SubmissionState.SUPERSEDED)
    submission.state = SubmissionState.SUBMITTED
    submission.submitted_at = now
    submission.confirmed_at = submission.confirmed_at or now
    submission.certified_by = certified_by
    submission.receipt_no = submission.receipt_no or _new_receipt_no(submission)
    submission.save()
    return submission


def certify(submission: MonthlySubmission, *, manager) -> MonthlySubmission:
    """The operator's manager certifies a confirmed version: the administration now sees it."""
    if submission.state != SubmissionState.AWAITING_CERTIFICATION:
        raise SubmissionRefused(_("Only a confirmed version awaiting certification can be certified."))
    if manager.operator_id != submission.operator_id or not manager.is_operator_manager:
        raise SubmissionRefused(
            _("Only a manager of %(operator)s can certify its report.") % {"operator": submission.operator}
        )
    return submit(submission, certified_by=manager)


@transaction.atomic
def accept(submission: MonthlySubmission, *, user) -> MonthlySubmission:
    submission = MonthlySubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.state != SubmissionState.SUBMITTED:
        raise SubmissionRefused(
            _("Only a submitted version can be accepted (this one is “%(state)s”).")
            % {"state": submission.get_state_display()}
        )
    submission.state = SubmissionState.ACCEPTED
    submission.decided_by = user
    submission.decided_at = timezone.now()
    submission.save(update_fields=["state", "decided_by", "decided_at"])
    return submission


@transaction.atomic
def return_to_operator(submission: MonthlySubmission, *, user, comment: str) -> MonthlySubmission:
    """Send a submitted version back with the reason; the operator uploads a new version."""
    submission = MonthlySubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.state != SubmissionState.SUBMITTED:
        raise SubmissionRefused(
            _("Only a submitted version can be returned (this one is “%(state)s”).")
            % {"state": submission.get_state_display()}
        )
    if not comment.strip():
        raise SubmissionRefused(_("Say why the report is returned: the operator reads this comment."))
    submission.state = SubmissionState.RETURNED
    submission.return_comment = comment.strip()
    submission.decided_by = user
    submission.decided_at = timezone.now()
    submission.save(update_fields=["state", "return_comment", "decided_by", "decided_at"])
    return submission


def lock_period(period: Period, *, user) -> Period:
    period.locked_at = timezone.now()
    period.locked_by = user
    period.save(update_fields=["locked_at", "locked_by"])
    return period


def unlock_period(period: Period, *, user) -> Period:
    period.locked_at = None
    period.locked_by = None
    period.save(update_fields=["locked_at", "locked_by"])
    return period
