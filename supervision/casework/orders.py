"""The life of a rectification order (责令限期整改), one service function per change.

    draft ─issue→ issued ─acknowledge→ acknowledged ─submit_report→ report_submitted ─verify→ verified
                                                          ↑                    │
                                                          └── returned ←return_report
    issued | acknowledged | returned | (report_submitted and overdue) ─escalate→ escalated
    draft ─withdraw→ withdrawn (a draft made by mistake; an issued order is never withdrawn)

A withdrawn draft is kept, with who withdrew it, when and why; it is never open, the operator
never sees it (it never saw the draft), and its findings may ground a new order as before (a
finding may ground any number of orders). Extensions do not change the state: the operator asks (issued, acknowledged, returned), the
staff grant a new deadline or refuse, and every deadline the order had is kept
(``OrderDeadline``). Overdue is never a state: it is derived from the deadline
(``OrderQuerySet.overdue``).

Each function runs in a transaction on the locked order, checks ``ACTIONS`` (role, state),
records the timeline event and records the e-mail in the reminders' outbox (``mail.queue``): in
the same transaction, sent once it has committed.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from supervision.core.audit import save_by
from supervision.reporting.models import ComplaintRecord

from . import attachments, events, mail
from .models import (
    GROUNDING_FINDING_STATES,
    OPEN_ORDER_STATES,
    DeadlineKind,
    EventKind,
    ExtensionRequest,
    ExtensionState,
    InspectionFinding,
    OrderDeadline,
    OrderState,
    RectificationOrder,
    RectificationReport,
    ReportDecision,
    end_of_day,
    local_date,
    most_severe,
    proposed_deadline,
)
from .numbers import next_document_number
from .rules import OPERATOR, STAFF, Action, TransitionRefused, check

S = OrderState
_MAY_ASK_MORE_TIME = frozenset({S.ISSUED, S.ACKNOWLEDGED, S.RETURNED})

ACTIONS = {
    "edit": Action("edit", gettext_lazy("edit this order"), STAFF, frozenset({S.DRAFT})),
    "issue": Action("issue", gettext_lazy("issue this order"), STAFF, frozenset({S.DRAFT}), S.ISSUED),
    "acknowledge": Action(
        "acknowledge", gettext_lazy("acknowledge this order"), OPERATOR, frozenset({S.ISSUED}), S.ACKNOWLEDGED
    ),
    "ask_extension": Action(
        "ask_extension", gettext_lazy("ask for more time on this order"), OPERATOR, _MAY_ASK_MORE_TIME
    ),
    "decide_extension": Action(
        "decide_extension",
        gettext_lazy("decide on an extension of this order"),
        STAFF,
        frozenset(OPEN_ORDER_STATES),
    ),
    "submit_report": Action(
        "submit_report",
        gettext_lazy("submit a rectification report for this order"),
        OPERATOR,
        frozenset({S.ACKNOWLEDGED, S.RETURNED}),
        S.REPORT_SUBMITTED,
    ),
    "return_report": Action(
        "return_report",
        gettext_lazy("return the rectification report"),
        STAFF,
        frozenset({S.REPORT_SUBMITTED}),
        S.RETURNED,
    ),
    "verify": Action(
        "verify",
        gettext_lazy("verify and close this order"),
        STAFF,
        frozenset({S.REPORT_SUBMITTED}),
        S.VERIFIED,
    ),
    "withdraw": Action(
        "withdraw", gettext_lazy("withdraw this order"), STAFF, frozenset({S.DRAFT}), S.WITHDRAWN
    ),
    "escalate": Action(
        "escalate",
        gettext_lazy("escalate this order"),
        STAFF,
        frozenset({S.ISSUED, S.ACKNOWLEDGED, S.RETURNED}),
        S.ESCALATED,
        # A report submitted in time waits for the staff; one that is overdue may be escalated.
        also_when=lambda order: order.state == S.REPORT_SUBMITTED and order.is_overdue,
    ),
}

# The fields of an order staff write (the grounds apart), in the form's order.
FIELDS = ["title", "requirements", "severity", "deadline"]


def _locked(order: RectificationOrder) -> RectificationOrder:
    return (
        RectificationOrder.objects.select_for_update(of=("self",))
        .select_related("operator", "case_officer")
        .get(pk=order.pk)
    )


def _day(moment: dt.datetime) -> str:
    return date_format(local_date(moment), "Y-m-d")


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise TransitionRefused(message)
    return text


# --- Grounds, severity and deadline ----------------------------------------------------------


def check_grounds(operator, findings, complaints) -> None:
    """Refuse grounds that are not the operator's, not findings of a problem, or not published."""
    findings, complaints = list(findings), list(complaints)
    if not findings and not complaints:
        raise TransitionRefused(_("Ground the order on at least one finding or complaint."))
    for finding in findings:
        if finding.operator_id != operator.pk:
            raise TransitionRefused(
                _("Finding %(pk)s is about another operator: an order concerns one operator only.")
                % {"pk": finding.pk}
            )
        if not finding.violation or finding.state not in GROUNDING_FINDING_STATES:
            raise TransitionRefused(
                _("Finding %(pk)s cannot ground an order: only a published finding of a problem can.")
                % {"pk": finding.pk}
            )
    for complaint in complaints:
        if complaint.operator_id != operator.pk:
            raise TransitionRefused(
                _("Complaint %(no)s is about another operator: an order concerns one operator only.")
                % {"no": complaint.complaint_no}
            )


def proposed_severity(findings) -> str | None:
    """The severity of the most severe finding among the grounds."""
    return most_severe(f.severity for f in findings)


# --- Draft ----------------------------------------------------------------------------------


@transaction.atomic
def create_order(
    *,
    user,
    operator,
    title: str,
    requirements: str,
    findings=(),
    complaints=(),
    severity: str | None = None,
    deadline: dt.datetime | None = None,
) -> RectificationOrder:
    """Draft an order on findings and/or complaints of one operator (staff only).

    Without a severity, the most severe finding's; without a deadline, the one the rules propose
    for the severity (``settings.RECTIFICATION_DAYS``), at 23:59:59 Asia/Shanghai.
    """
    if not getattr(user, "is_regulator_staff", False):
        raise TransitionRefused(_("Only the administration's case officers may draft an order."))
    findings, complaints = list(findings), list(complaints)
    check_grounds(operator, findings, complaints)
    severity = severity or proposed_severity(findings)
    if not severity:
        raise TransitionRefused(_("Choose the severity: the complaints alone do not say it."))
    order = RectificationOrder(
        operator=operator,
        title=_required(title, _("Give the order a title.")),
        requirements=_required(requirements, _("Write what the operator must do.")),
        severity=severity,
        deadline=deadline or proposed_deadline(severity),
        case_officer=user,
        state=S.DRAFT,
    )
    save_by(order, user)
    order.findings.set(findings)
    order.complaints.set(complaints)
    events.record(EventKind.CREATED, order, actor=user)
    return order


@transaction.atomic
def update_order(
    order: RectificationOrder, *, user, findings=None, complaints=None, **fields
) -> RectificationOrder:
    """Change a draft: its text, severity, deadline or grounds."""
    order = _locked(order)
    check(ACTIONS["edit"], order, user)
    changed = [name for name, value in fields.items() if getattr(order, name) != value]
    for name in changed:
        setattr(order, name, fields[name])
    grounds = {
        "findings": list(findings) if findings is not None else list(order.findings.all()),
        "complaints": list(complaints) if complaints is not None else list(order.complaints.all()),
    }
    check_grounds(order.operator, grounds["findings"], grounds["complaints"])
    for name, rows in grounds.items():
        before = set(getattr(order, name).values_list("pk", flat=True))
        if before != {row.pk for row in rows}:
            getattr(order, name).set(rows)
            changed.append(name)
    if changed:
        save_by(order, user)
        events.record(EventKind.EDITED, order, actor=user, data={"fields": changed})
    return order


# --- Issue and acknowledge ------------------------------------------------------------------


@transaction.atomic
def issue_order(order: RectificationOrder, *, user) -> RectificationOrder:
    """Send a draft to its operator: it gets its document number and its first deadline."""
    order = _locked(order)
    check(ACTIONS["issue"], order, user)
    now = timezone.now()
    if order.deadline <= now:
        raise TransitionRefused(
            _("The deadline %(deadline)s has passed: set a later one before issuing.")
            % {"deadline": _day(order.deadline)}
        )
    check_grounds(order.operator, order.findings.all(), order.complaints.all())
    order.document_no = next_document_number(now)
    order.issued_at = now
    order.state = S.ISSUED
    save_by(order, user, "issued")
    OrderDeadline.objects.create(order=order, deadline=order.deadline, kind=DeadlineKind.INITIAL, set_by=user)
    events.record(
        EventKind.ISSUED,
        order,
        actor=user,
        data={"document_no": order.document_no, "deadline": events.iso(order.deadline)},
        internal=False,
    )
    mail.queue("order_issued", order)
    return order


@transaction.atomic
def acknowledge_order(order: RectificationOrder, *, user) -> RectificationOrder:
    """The operator confirms it has received the order."""
    order = _locked(order)
    check(ACTIONS["acknowledge"], order, user)
    order.state = S.ACKNOWLEDGED
    save_by(order, user, "acknowledged")
    events.record(EventKind.ACKNOWLEDGED, order, actor=user)
    return order


@transaction.atomic
def withdraw_order(order: RectificationOrder, *, user, reason: str) -> RectificationOrder:
    """Withdraw a draft made by mistake (staff only): kept, with who, when and why, but no longer
    listed, counted or open. An issued order is an official document: escalated or verified,
    never withdrawn."""
    order = _locked(order)
    check(ACTIONS["withdraw"], order, user)
    reason = _required(reason, _("Say why the draft is withdrawn."))
    order.mark_withdrawn(S.WITHDRAWN, user, reason)
    save_by(order, user, "withdrawn")
    # The operator never saw the draft: the line stays the administration's.
    events.record(EventKind.DRAFT_WITHDRAWN, order, actor=user, text=reason, internal=True)
    return order


# --- Extensions -----------------------------------------------------------------------------


@transaction.atomic
def ask_extension(
    order: RectificationOrder, *, user, reason: str, proposed_date: dt.date
) -> ExtensionRequest:
    """The operator asks to move the deadline to a later day, saying why."""
    order = _locked(order)
    check(ACTIONS["ask_extension"], order, user)
    if order.extensions.filter(state=ExtensionState.PENDING).exists():
        raise TransitionRefused(_("An extension request is already awaiting the administration's decision."))
    reason = _required(reason, _("Say why you need more time."))
    if proposed_date <= local_date(order.deadline):
        raise TransitionRefused(
            _("Propose a day after the current deadline (%(deadline)s).") % {"deadline": _day(order.deadline)}
        )
    extension = ExtensionRequest(
        order=order,
        reason=reason,
        proposed_date=proposed_date,
        requested_by=user,
        previous_deadline=order.deadline,
    )
    save_by(extension, user)
    events.record(
        EventKind.EXTENSION_ASKED,
        order,
        actor=user,
        text=reason,
        data={"proposed_date": proposed_date.isoformat(), "previous": events.iso(order.deadline)},
    )
    mail.queue("extension_asked", order, extension)
    return extension


def _pending(order: RectificationOrder, extension: ExtensionRequest) -> ExtensionRequest:
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    if extension.order_id != order.pk:
        raise TransitionRefused(_("This request is about another order."))
    if extension.state != ExtensionState.PENDING:
        raise TransitionRefused(
            _("This request was already decided (%(state)s).") % {"state": extension.get_state_display()}
        )
    return extension


@transaction.atomic
def grant_extension(
    extension: ExtensionRequest, *, user, new_date: dt.date | None = None, note: str = ""
) -> RectificationOrder:
    """Move the deadline to ``new_date`` (by default the day asked for), 23:59:59 Asia/Shanghai."""
    order = _locked(extension.order)
    check(ACTIONS["decide_extension"], order, user)
    extension = _pending(order, extension)
    new_date = new_date or extension.proposed_date
    if new_date <= local_date(order.deadline):
        raise TransitionRefused(
            _("The new deadline must be after the current one (%(deadline)s).")
            % {"deadline": _day(order.deadline)}
        )
    if end_of_day(new_date) <= timezone.now():
        raise TransitionRefused(_("The new deadline must be in the future."))
    previous = order.deadline
    order.deadline = end_of_day(new_date)
    save_by(order, user, "extension granted")
    extension.state = ExtensionState.GRANTED
    extension.decided_by = user
    extension.decided_at = timezone.now()
    extension.decision_note = note.strip()
    extension.granted_deadline = order.deadline
    save_by(extension, user, "granted")
    OrderDeadline.objects.create(
        order=order, deadline=order.deadline, kind=DeadlineKind.EXTENSION, set_by=user, extension=extension
    )
    events.record(
        EventKind.EXTENSION_GRANTED,
        order,
        actor=user,
        text=extension.decision_note,
        data={"previous": events.iso(previous), "deadline": events.iso(order.deadline)},
    )
    mail.queue("extension_granted", order, extension)
    return order


@transaction.atomic
def refuse_extension(extension: ExtensionRequest, *, user, note: str) -> ExtensionRequest:
    """Keep the deadline; the operator reads why."""
    order = _locked(extension.order)
    check(ACTIONS["decide_extension"], order, user)
    extension = _pending(order, extension)
    extension.decision_note = _required(note, _("Say why the extension is refused: the operator reads it."))
    extension.state = ExtensionState.REFUSED
    extension.decided_by = user
    extension.decided_at = timezone.now()
    save_by(extension, user, "refused")
    events.record(
        EventKind.EXTENSION_REFUSED,
        order,
        actor=user,
        text=extension.decision_note,
        data={"deadline": events.iso(order.deadline)},
    )
    mail.queue("extension_refused", order, extension)
    return extension


# --- Report, verification, escalation -------------------------------------------------------


@transaction.atomic
def submit_report(order: RectificationOrder, *, user, text: str, uploads) -> RectificationReport:
    """The operator reports what it rectified, with its attachments (checked by content)."""
    order = _locked(order)
    check(ACTIONS["submit_report"], order, user)
    text = _required(text, _("Say what was rectified."))
    checked = attachments.check_all(uploads)
    if not checked:
        raise TransitionRefused(_("Attach the rectification report (a PDF, for instance)."))
    report = RectificationReport(order=order, number=order.reports.count() + 1, text=text, submitted_by=user)
    save_by(report, user)
    files = [
        attachments.store(uploaded, info, user=user, order=order, report=report) for uploaded, info in checked
    ]
    order.state = S.REPORT_SUBMITTED
    save_by(order, user, "report submitted")
    events.record(
        EventKind.REPORT_SUBMITTED,
        order,
        actor=user,
        text=text,
        data={"number": report.number, "files": [events.file_data(f) for f in files]},
    )
    mail.queue("report_submitted", order, report)
    return report


def _latest_report(order: RectificationOrder) -> RectificationReport:
    report = (
        order.reports.select_for_update().filter(decision=ReportDecision.PENDING).order_by("-number").first()
    )
    if report is None:  # an order imported in this state, without its report
        raise TransitionRefused(_("There is no rectification report awaiting a decision."))
    return report


def _decide_report(report: RectificationReport, decision: str, user, comment: str) -> None:
    report.decision = decision
    report.decided_by = user
    report.decided_at = timezone.now()
    report.comment = comment
    save_by(report, user, decision)


@transaction.atomic
def return_report(order: RectificationOrder, *, user, comment: str) -> RectificationOrder:
    """Send the report back: the operator must report again, with the comment's corrections."""
    order = _locked(order)
    check(ACTIONS["return_report"], order, user)
    comment = _required(comment, _("Say why the report is returned: the operator reads this comment."))
    report = _latest_report(order)
    _decide_report(report, ReportDecision.RETURNED, user, comment)
    order.state = S.RETURNED
    save_by(order, user, "report returned")
    events.record(EventKind.REPORT_RETURNED, order, actor=user, text=comment, data={"number": report.number})
    mail.queue("report_returned", order, report)
    return order


@transaction.atomic
def verify_order(order: RectificationOrder, *, user, comment: str = "") -> RectificationOrder:
    """Accept the rectification (验收): the order is closed."""
    order = _locked(order)
    check(ACTIONS["verify"], order, user)
    report = _latest_report(order)
    _decide_report(report, ReportDecision.VERIFIED, user, comment.strip())
    order.state = S.VERIFIED
    order.closed_at = timezone.now()
    save_by(order, user, "verified")
    events.record(EventKind.VERIFIED, order, actor=user, text=comment.strip(), data={"number": report.number})
    mail.queue("order_verified", order, report)
    return order


@transaction.atomic
def escalate_order(order: RectificationOrder, *, user, reason: str) -> RectificationOrder:
    """Take the case further (interview, penalty): the order stops here, its record stays."""
    order = _locked(order)
    check(ACTIONS["escalate"], order, user)
    reason = _required(reason, _("Say why the order is escalated."))
    order.state = S.ESCALATED
    save_by(order, user, "escalated")
    events.record(EventKind.ESCALATED, order, actor=user, text=reason)
    return order


def days_left_text(days: int, overdue: bool) -> str:
    """``12 days left``, ``3 days overdue``; on the deadline's day, whether it has passed yet.

    Past its deadline an order is not overdue when its report came in on time: it awaits the
    administration's verification (``OrderQuerySet.overdue_q``).
    """
    if days > 0:
        return ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}
    if days < 0 and not overdue:
        return str(ReportDecision.PENDING.label)
    if days < 0:
        return ngettext("%(n)d day overdue", "%(n)d days overdue", -days) % {"n": -days}
    return _("Overdue since today") if overdue else _("Due today")


def deadline_history(order: RectificationOrder) -> list[OrderDeadline]:
    return list(order.deadlines.select_related("set_by", "extension"))


def grounds_of(order: RectificationOrder) -> tuple[list[InspectionFinding], list[ComplaintRecord]]:
    return (
        list(order.findings.select_related("city", "clause").order_by("visit_date", "pk")),
        list(order.complaints.select_related("city", "category").order_by("received_on", "pk")),
    )
