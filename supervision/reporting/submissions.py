"""The life of a monthly submission: one service function per state change.

Each function runs in a transaction, checks that the change is allowed from the current
state, and records who and when. Views, the import commands and the reminders all call these.

The administration's decisions (accept or return a report; lock, unlock, reopen a month for one
operator and close it again) are the ``ACTIONS`` and ``PERIOD_ACTIONS`` tables below: the staff
decide, leadership and the operators are refused. Each decision is checked first
(``actions.check``, on the locked row) and written to the audit trail as a
``ReportingDecision``.

Who must act next is told by mail, once (``mail.py``, through the reminders' outbox, recorded in
the same transaction): a version certified, to the administration's staff; a report returned
(with the reason) or accepted, to the operator's people.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supervision.core.actions import STAFF, Action, Refused, check
from supervision.core.audit import save_by
from supervision.core.dates import start_of_day
from supervision.core.models import Operator, Period, PeriodState

from . import mail
from .models import MonthlySubmission, PeriodReopening, ReportingAction, ReportingDecision, SubmissionState

# States in which a version still counts as the operator's answer for its period.
LIVE_STATES = [SubmissionState.AWAITING_CERTIFICATION, SubmissionState.SUBMITTED, SubmissionState.RETURNED]


class SubmissionRefused(Refused):
    """A change the rules do not allow; the message says why, in the user's language."""


# --- The administration's decisions: who, and from which state ----------------------------------

S = SubmissionState
ACTIONS = {
    "accept": Action(
        "accept", gettext_lazy("accept this report"), STAFF, frozenset({S.SUBMITTED}), S.ACCEPTED
    ),
    "return": Action(
        "return", gettext_lazy("return this report"), STAFF, frozenset({S.SUBMITTED}), S.RETURNED
    ),
}
P = PeriodState
PERIOD_ACTIONS = {
    "lock": Action("lock", gettext_lazy("lock this month"), STAFF, frozenset({P.OPEN}), P.LOCKED),
    "unlock": Action("unlock", gettext_lazy("unlock this month"), STAFF, frozenset({P.LOCKED}), P.OPEN),
    # A lock exception for one operator, and its end: only within a locked month.
    "reopen": Action(
        "reopen", gettext_lazy("reopen this month for one operator"), STAFF, frozenset({P.LOCKED})
    ),
    "close": Action(
        "close", gettext_lazy("close this month again for the operator"), STAFF, frozenset({P.LOCKED})
    ),
}


def _check(action: Action, obj, user) -> None:
    check(action, obj, user, refused=SubmissionRefused)


def window_opens_at(period: Period) -> dt.datetime:
    """When a month's filing window opens: the set day of that month (``REPORT_WINDOW_OPENS_DAY``,
    the month's last day if it is shorter), 00:00 Asia/Shanghai. Reports are due at the month's
    end, so a report sent earlier could not hold the whole month."""
    day = min(settings.REPORT_WINDOW_OPENS_DAY, period.last_day.day)
    return start_of_day(period.month.replace(day=day))


def window_is_open(period: Period, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) >= window_opens_at(period)


def open_reopening(operator: Operator, period: Period) -> PeriodReopening | None:
    """The lock exception in force for the operator's month, if any."""
    return PeriodReopening.objects.filter(operator=operator, period=period, closed_at=None).first()


def is_locked_for(operator: Operator, period: Period) -> bool:
    """A locked period is locked for every operator except one whose month was reopened."""
    return period.is_locked and open_reopening(operator, period) is None


def is_accepted(operator: Operator, period: Period) -> bool:
    return MonthlySubmission.objects.filter(
        operator=operator, period=period, state=SubmissionState.ACCEPTED
    ).exists()


def ensure_window_open(period: Period, now: dt.datetime | None = None) -> None:
    """Refuse a report for a month whose filing window has not opened yet."""
    if not window_is_open(period, now):
        opens = window_opens_at(period)
        raise SubmissionRefused(
            _(
                "The filing window for %(period)s opens on %(date)s; a report for it cannot be "
                "submitted before then."
            )
            % {"period": period.label, "date": f"{opens:%Y-%m-%d}"}
        )


def ensure_period_open(operator: Operator, period: Period) -> None:
    """Refuse a new version when the window has not opened, the period is locked for the
    operator, or a version was already accepted."""
    ensure_window_open(period)
    if is_locked_for(operator, period):
        raise SubmissionRefused(
            _("The period %(period)s is locked; ask the administration to unlock it.")
            % {"period": period.label}
        )
    if is_accepted(operator, period):
        raise SubmissionRefused(
            _(
                "The administration has already accepted the report for %(period)s; it can no longer be replaced."
            )
            % {"period": period.label}
        )


def can_take_report(operator: Operator, period: Period, now: dt.datetime | None = None) -> bool:
    """Whether a new version can be started now (what the upload form offers)."""
    try:
        ensure_window_open(period, now)
    except SubmissionRefused:
        return False
    return not is_locked_for(operator, period) and not is_accepted(operator, period)


def periods_taking_reports(
    operator: Operator, *, months: int = 12, now: dt.datetime | None = None
) -> list[Period]:
    """The periods a new version can be started for now, newest first: the current month and the
    ``months`` before it, whose window is open, not locked for the operator, not accepted."""
    now = now or timezone.now()
    current = Period.last_complete(now).previous(-1)
    candidates = [current.previous(n) for n in range(months + 1)]
    accepted = set(
        MonthlySubmission.objects.filter(
            operator=operator, period__in=candidates, state=SubmissionState.ACCEPTED
        ).values_list("period_id", flat=True)
    )
    reopened = set(
        PeriodReopening.objects.filter(operator=operator, period__in=candidates, closed_at=None).values_list(
            "period_id", flat=True
        )
    )
    return [
        period
        for period in candidates
        if window_is_open(period, now)
        and (not period.is_locked or period.pk in reopened)
        and period.pk not in accepted
    ]


def _record(action: str, period: Period, *, user, operator=None, submission=None, comment="") -> None:
    """Write the decision to the audit trail (its history row carries who and when)."""
    decision = ReportingDecision(
        action=action,
        period=period,
        operator=operator,
        submission=submission,
        comment=comment,
        decided_by=user,
    )
    save_by(decision, user)


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


def attestation(operator: Operator) -> str:
    """The sentence a manager ticks to certify a report (the portal's form; the API's ``attested``)."""
    return _(
        "I certify, as a manager of %(operator)s, that this report is true, accurate and complete, "
        "and that %(operator)s answers for it."
    ) % {"operator": operator.short_name}


@transaction.atomic
def certify(submission: MonthlySubmission, *, manager, attested: bool) -> MonthlySubmission:
    """The operator's manager certifies a confirmed version, attesting it (``attestation``): the
    administration now sees it, and its staff are told by mail. Refused without the attestation."""
    if submission.state != SubmissionState.AWAITING_CERTIFICATION:
        raise SubmissionRefused(_("Only a confirmed version awaiting certification can be certified."))
    if manager.operator_id != submission.operator_id or not manager.is_operator_manager:
        raise SubmissionRefused(
            _("Only a manager of %(operator)s can certify its report.") % {"operator": submission.operator}
        )
    if attested is not True:
        raise SubmissionRefused(
            _(
                "Tick the attestation to certify: a manager answers for the report being true, "
                "accurate and complete."
            )
        )
    submission = submit(submission, certified_by=manager)
    mail.queue(mail.CERTIFIED, submission)
    return submission


@transaction.atomic
def accept(submission: MonthlySubmission, *, user) -> MonthlySubmission:
    """Accept a submitted version: it is the operator's report for the month, for good."""
    submission = MonthlySubmission.objects.select_for_update().get(pk=submission.pk)
    _check(ACTIONS["accept"], submission, user)
    submission.state = SubmissionState.ACCEPTED
    submission.decided_by = user
    submission.decided_at = timezone.now()
    submission.save(update_fields=["state", "decided_by", "decided_at"])
    _record(
        ReportingAction.ACCEPT,
        submission.period,
        user=user,
        operator=submission.operator,
        submission=submission,
    )
    mail.queue(mail.ACCEPTED, submission)
    return submission


@transaction.atomic
def return_to_operator(submission: MonthlySubmission, *, user, comment: str) -> MonthlySubmission:
    """Send a submitted version back with the reason; the operator uploads a new version."""
    submission = MonthlySubmission.objects.select_for_update().get(pk=submission.pk)
    _check(ACTIONS["return"], submission, user)
    if not comment.strip():
        raise SubmissionRefused(_("Say why the report is returned: the operator reads this comment."))
    submission.state = SubmissionState.RETURNED
    submission.return_comment = comment.strip()
    submission.decided_by = user
    submission.decided_at = timezone.now()
    submission.save(update_fields=["state", "return_comment", "decided_by", "decided_at"])
    _record(
        ReportingAction.RETURN,
        submission.period,
        user=user,
        operator=submission.operator,
        submission=submission,
        comment=submission.return_comment,
    )
    mail.queue(mail.RETURNED, submission)  # the operator is told why
    return submission


@transaction.atomic
def lock_period(period: Period, *, user) -> Period:
    """Lock a period against further reports and ledger changes, for every operator."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    _check(PERIOD_ACTIONS["lock"], period, user)
    period.locked_at = timezone.now()
    period.locked_by = user
    period.save(update_fields=["locked_at", "locked_by"])
    _record(ReportingAction.LOCK, period, user=user)
    return period


@transaction.atomic
def unlock_period(period: Period, *, user) -> Period:
    """Unlock a period; the reopenings of single operators' months end with the lock."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    _check(PERIOD_ACTIONS["unlock"], period, user)
    period.locked_at = None
    period.locked_by = None
    period.save(update_fields=["locked_at", "locked_by"])
    PeriodReopening.objects.filter(period=period, closed_at=None).update(
        closed_at=timezone.now(), closed_by=user
    )
    _record(ReportingAction.UNLOCK, period, user=user)
    return period


@transaction.atomic
def reopen_for_operator(period: Period, operator: Operator, *, user, reason: str) -> PeriodReopening:
    """A lock exception: reopen one operator's month for correction; it stays locked for the others."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    _check(PERIOD_ACTIONS["reopen"], period, user)
    if open_reopening(operator, period) is not None:
        raise SubmissionRefused(
            _("%(period)s is already reopened for %(operator)s.")
            % {"period": period.label, "operator": operator}
        )
    if not reason.strip():
        raise SubmissionRefused(_("Say why the month is reopened: the operator and the audit trail read it."))
    reopening = PeriodReopening.objects.create(
        period=period, operator=operator, reason=reason.strip(), reopened_by=user
    )
    _record(ReportingAction.REOPEN, period, user=user, operator=operator, comment=reopening.reason)
    return reopening


@transaction.atomic
def close_reopening(period: Period, operator: Operator, *, user) -> PeriodReopening:
    """End a lock exception: the operator's month is locked again like the others'."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    _check(PERIOD_ACTIONS["close"], period, user)
    reopening = (
        PeriodReopening.objects.select_for_update()
        .filter(operator=operator, period=period, closed_at=None)
        .first()
    )
    if reopening is None:
        raise SubmissionRefused(
            _("%(period)s is not reopened for %(operator)s.") % {"period": period.label, "operator": operator}
        )
    reopening.closed_at = timezone.now()
    reopening.closed_by = user
    reopening.save(update_fields=["closed_at", "closed_by"])
    _record(ReportingAction.CLOSE, period, user=user, operator=operator)
    return reopening
