"""Interviews (约谈) and the commitments made at them, one service function per change.

    draft ─issue→ issued ─confirm (operator's manager)→ confirmed ─record_minutes→ held
                  issued ─record_minutes→ held (the company came without confirming)
    draft ─withdraw→ withdrawn (a draft made by mistake; an issued notice is never withdrawn)

After the interview the staff record its minutes and the commitments, each with a due day;
a commitment is followed up like an order: the operator reports it done, the staff verify it
or return it (open again). A commitment open past its due time is overdue (derived).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supervision.core.audit import save_by

from . import events, mail
from .models import (
    Commitment,
    CommitmentState,
    EventKind,
    InterviewNotice,
    InterviewState,
    end_of_day,
)
from .numbers import next_document_number
from .rules import MANAGER, OPERATOR, STAFF, Action, TransitionRefused, check

S = InterviewState
C = CommitmentState

ACTIONS = {
    "edit": Action("edit", gettext_lazy("edit this interview notice"), STAFF, frozenset({S.DRAFT})),
    "issue": Action(
        "issue", gettext_lazy("issue this interview notice"), STAFF, frozenset({S.DRAFT}), S.ISSUED
    ),
    "withdraw": Action(
        "withdraw",
        gettext_lazy("withdraw this interview notice"),
        STAFF,
        frozenset({S.DRAFT}),
        S.WITHDRAWN,
    ),
    "confirm": Action(
        "confirm",
        gettext_lazy("confirm who will attend"),
        MANAGER,
        frozenset({S.ISSUED, S.CONFIRMED}),
        S.CONFIRMED,
    ),
    "record_minutes": Action(
        "record_minutes",
        gettext_lazy("record the minutes of this interview"),
        STAFF,
        frozenset({S.ISSUED, S.CONFIRMED, S.HELD}),
        S.HELD,
    ),
    "add_commitment": Action(
        "add_commitment", gettext_lazy("record a commitment"), STAFF, frozenset({S.HELD})
    ),
}

COMMITMENT_ACTIONS = {
    "done": Action(
        "done", gettext_lazy("report this commitment done"), OPERATOR, frozenset({C.OPEN}), C.DONE
    ),
    "verify": Action(
        "verify", gettext_lazy("verify this commitment"), STAFF, frozenset({C.DONE}), C.VERIFIED
    ),
    "return": Action("return", gettext_lazy("return this commitment"), STAFF, frozenset({C.DONE}), C.OPEN),
}

FIELDS = ["scheduled_at", "place", "reason", "persons_required", "administration_attendees"]

# How long an interview takes the room and the people (its calendar entry, a clash with another).
DURATION = dt.timedelta(hours=1)


def _locked(notice: InterviewNotice) -> InterviewNotice:
    return (
        InterviewNotice.objects.select_for_update(of=("self",)).select_related("operator").get(pk=notice.pk)
    )


def _check_links(operator, orders, findings) -> None:
    for order in orders:
        if order.operator_id != operator.pk:
            raise TransitionRefused(_("Order %(order)s is about another operator.") % {"order": order})
    for finding in findings:
        if finding.operator_id != operator.pk:
            raise TransitionRefused(_("Finding %(pk)s is about another operator.") % {"pk": finding.pk})


@transaction.atomic
def create_interview(*, user, operator, orders=(), findings=(), **fields) -> InterviewNotice:
    """Draft an interview notice: reason, date and time, place, who must come."""
    if not getattr(user, "is_regulator_staff", False):
        raise TransitionRefused(_("Only the administration's case officers may draft an interview notice."))
    orders, findings = list(orders), list(findings)
    _check_links(operator, orders, findings)
    notice = InterviewNotice(operator=operator, case_officer=user, state=S.DRAFT, **fields)
    save_by(notice, user)
    notice.orders.set(orders)
    notice.findings.set(findings)
    events.record(EventKind.CREATED, notice, actor=user)
    return notice


@transaction.atomic
def update_interview(
    notice: InterviewNotice, *, user, orders=None, findings=None, **fields
) -> InterviewNotice:
    notice = _locked(notice)
    check(ACTIONS["edit"], notice, user)
    changed = [name for name, value in fields.items() if getattr(notice, name) != value]
    for name in changed:
        setattr(notice, name, fields[name])
    links = {
        "orders": list(orders) if orders is not None else list(notice.orders.all()),
        "findings": list(findings) if findings is not None else list(notice.findings.all()),
    }
    _check_links(notice.operator, links["orders"], links["findings"])
    for name, rows in links.items():
        if set(getattr(notice, name).values_list("pk", flat=True)) != {row.pk for row in rows}:
            getattr(notice, name).set(rows)
            changed.append(name)
    if changed:
        save_by(notice, user)
        events.record(EventKind.EDITED, notice, actor=user, data={"fields": changed})
    return notice


@transaction.atomic
def issue_interview(notice: InterviewNotice, *, user) -> InterviewNotice:
    """Send the notice to the operator: it gets its document number; the operator is told by mail."""
    notice = _locked(notice)
    check(ACTIONS["issue"], notice, user)
    now = timezone.now()
    if notice.scheduled_at <= now:
        raise TransitionRefused(_("The interview's date has passed: set a later one before issuing."))
    notice.document_no = next_document_number(now)
    notice.issued_at = now
    notice.state = S.ISSUED
    save_by(notice, user, "issued")
    events.record(
        EventKind.ISSUED,
        notice,
        actor=user,
        data={"document_no": notice.document_no, "scheduled_at": events.iso(notice.scheduled_at)},
        internal=False,
    )
    mail.queue("interview_issued", notice)
    return notice


@transaction.atomic
def withdraw_interview(notice: InterviewNotice, *, user, reason: str) -> InterviewNotice:
    """Withdraw a draft made by mistake (staff only): kept, with who, when and why, but no longer
    listed or reminded of. An issued notice is an official document and is never withdrawn."""
    notice = _locked(notice)
    check(ACTIONS["withdraw"], notice, user)
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(_("Say why the draft is withdrawn."))
    notice.mark_withdrawn(S.WITHDRAWN, user, reason)
    save_by(notice, user, "withdrawn")
    # The operator never saw the draft: the line stays the administration's.
    events.record(EventKind.DRAFT_WITHDRAWN, notice, actor=user, text=reason, internal=True)
    return notice


@transaction.atomic
def confirm_attendance(notice: InterviewNotice, *, user, attendees: str) -> InterviewNotice:
    """The operator's manager names who will come (and may correct it until the interview)."""
    notice = _locked(notice)
    check(ACTIONS["confirm"], notice, user)
    attendees = (attendees or "").strip()
    if not attendees:
        raise TransitionRefused(_("Name who will attend, with their positions."))
    notice.confirmed_attendees = attendees
    notice.confirmed_by = user
    notice.confirmed_at = timezone.now()
    notice.state = S.CONFIRMED
    save_by(notice, user, "confirmed")
    events.record(EventKind.CONFIRMED, notice, actor=user, text=attendees)
    return notice


@transaction.atomic
def record_minutes(notice: InterviewNotice, *, user, minutes: str) -> InterviewNotice:
    """After the interview: what was said and agreed. The commitments are recorded next."""
    notice = _locked(notice)
    check(ACTIONS["record_minutes"], notice, user)
    minutes = (minutes or "").strip()
    if not minutes:
        raise TransitionRefused(_("Write the minutes."))
    if notice.state != S.HELD and notice.scheduled_at > timezone.now():
        raise TransitionRefused(_("The interview has not taken place yet."))
    notice.minutes = minutes
    notice.held_at = notice.held_at or timezone.now()
    notice.state = S.HELD
    save_by(notice, user, "minutes")
    events.record(EventKind.MINUTES, notice, actor=user, text=minutes)
    return notice


def _commitment_data(commitment: Commitment) -> dict:
    return {"commitment": commitment.text[:200], "due": events.iso(commitment.due_at)}


@transaction.atomic
def add_commitment(notice: InterviewNotice, *, user, text: str, due_date: dt.date) -> Commitment:
    notice = _locked(notice)
    check(ACTIONS["add_commitment"], notice, user)
    text = (text or "").strip()
    if not text:
        raise TransitionRefused(_("Write the commitment."))
    commitment = Commitment(interview=notice, text=text, due_at=end_of_day(due_date))
    save_by(commitment, user)
    events.record(EventKind.COMMITMENT_ADDED, notice, actor=user, data=_commitment_data(commitment))
    return commitment


def _locked_commitment(commitment: Commitment) -> Commitment:
    return (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("interview", "interview__operator")
        .get(pk=commitment.pk)
    )


def _check_commitment(name: str, commitment: Commitment, user) -> None:
    check(COMMITMENT_ACTIONS[name], commitment, user, operator_id=commitment.interview.operator_id)


@transaction.atomic
def commitment_done(commitment: Commitment, *, user, note: str) -> Commitment:
    """The operator reports what it did to keep the commitment."""
    commitment = _locked_commitment(commitment)
    _check_commitment("done", commitment, user)
    note = (note or "").strip()
    if not note:
        raise TransitionRefused(_("Say what was done."))
    commitment.state = C.DONE
    commitment.done_note = note
    commitment.done_by = user
    commitment.done_at = timezone.now()
    save_by(commitment, user, "done")
    events.record(
        EventKind.COMMITMENT_DONE,
        commitment.interview,
        actor=user,
        text=note,
        data=_commitment_data(commitment),
    )
    return commitment


@transaction.atomic
def verify_commitment(commitment: Commitment, *, user) -> Commitment:
    commitment = _locked_commitment(commitment)
    _check_commitment("verify", commitment, user)
    commitment.state = C.VERIFIED
    commitment.verified_by = user
    commitment.verified_at = timezone.now()
    save_by(commitment, user, "verified")
    events.record(
        EventKind.COMMITMENT_VERIFIED, commitment.interview, actor=user, data=_commitment_data(commitment)
    )
    return commitment


@transaction.atomic
def return_commitment(commitment: Commitment, *, user, comment: str) -> Commitment:
    commitment = _locked_commitment(commitment)
    _check_commitment("return", commitment, user)
    comment = (comment or "").strip()
    if not comment:
        raise TransitionRefused(_("Say what is still missing: the operator reads it."))
    commitment.state = C.OPEN
    commitment.return_comment = comment
    save_by(commitment, user, "returned")
    events.record(
        EventKind.COMMITMENT_RETURNED,
        commitment.interview,
        actor=user,
        text=comment,
        data=_commitment_data(commitment),
    )
    return commitment
