"""What the casework leaves waiting for whom (``core.queues``), registered from ``ready``.

- the administration's staff: operators' answers and contests of findings to decide, extension
  requests, rectification reports and commitments reported done to verify;
- leadership: escalated orders it has not yet written an instruction (批示) on;
- an operator's managers: interview notices whose attendees they must confirm, and the
  interviews ahead;
- an operator's reporting staff: orders to acknowledge or report on by their deadline (with the
  administration's comment when a report came back), and interview commitments due.

Each queue is one query (``core.queues.take``), the rows linked to their page in the user's face;
an operator's user only ever sees its own operator's cases (``visible_to``).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from supervision.core import queues
from supervision.core.dates import moment_label
from supervision.core.models import Instruction, Role

from .models import (
    CaseEvent,
    Commitment,
    CommitmentState,
    EventKind,
    ExtensionRequest,
    ExtensionState,
    FindingResponse,
    FindingState,
    InspectionFinding,
    InterviewNotice,
    InterviewState,
    OrderState,
    RectificationOrder,
    RectificationReport,
    ReportDecision,
)


def _short(text: str, length: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _order_title(order: RectificationOrder, *, with_operator: bool) -> str:
    title = f"{order.document_no} · {order.title}" if order.document_no else order.title
    return f"{order.operator.short_name} · {title}" if with_operator else title


# --- The administration's staff -----------------------------------------------------------------


def findings_to_decide(user, now) -> queues.Queue | None:
    """Findings the operator answered or contested: uphold or withdraw them."""
    latest = FindingResponse.objects.filter(finding=OuterRef("pk")).order_by("-submitted_at", "-pk")
    rows, count = queues.take(
        InspectionFinding.objects.visible_to(user)
        .filter(state__in=[FindingState.RESPONDED, FindingState.CONTESTED])
        .annotate(
            answered_at=Subquery(latest.values("submitted_at")[:1]),
            answer=Subquery(latest.values("text")[:1]),
        )
        .select_related("operator")
        .order_by("answered_at", "pk")
    )

    def item(row):
        said = _("Contested: %(text)s") if row.state == FindingState.CONTESTED else _("Answered: %(text)s")
        return queues.Item(
            title=f"{row.operator.short_name} · {row.reference} · {_short(row.scenario, 60)}",
            url=reverse("control:finding", args=[row.pk]),
            extra=said % {"text": _short(row.answer)},
            since=row.answered_at,
        )

    return queues.queue("casework.findings_to_decide", _("Answers and contests to decide"), rows, count, item)


def extensions_to_decide(user, now) -> queues.Queue | None:
    """Extension requests awaiting a decision, the order whose deadline comes first first."""
    rows, count = queues.take(
        ExtensionRequest.objects.filter(
            state=ExtensionState.PENDING, order__in=RectificationOrder.objects.visible_to(user)
        )
        .select_related("order", "order__operator")
        .order_by("order__deadline", "pk")
    )

    def item(row):
        return queues.Item(
            title=_order_title(row.order, with_operator=True),
            url=reverse("control:order", args=[row.order_id]),
            due=row.order.deadline,
            overdue=row.order.deadline < now,
            extra=_("Asks until %(date)s: %(reason)s")
            % {"date": f"{row.proposed_date:%Y-%m-%d}", "reason": _short(row.reason)},
            since=row.requested_at,
        )

    return queues.queue("casework.extensions", _("Extension requests to decide"), rows, count, item)


def reports_to_verify(user, now) -> queues.Queue | None:
    """Orders whose rectification report awaits verification, the longest waiting first."""
    pending = RectificationReport.objects.filter(
        order=OuterRef("pk"), decision=ReportDecision.PENDING
    ).order_by("-number")
    rows, count = queues.take(
        RectificationOrder.objects.visible_to(user)
        .filter(state=OrderState.REPORT_SUBMITTED)
        .annotate(report_at=Subquery(pending.values("submitted_at")[:1]))
        .select_related("operator")
        .order_by("report_at", "pk")
    )

    def item(row):
        return queues.Item(
            title=_order_title(row, with_operator=True),
            url=reverse("control:order", args=[row.pk]),
            extra=_("Report submitted %(when)s; deadline %(deadline)s")
            % {
                "when": moment_label(row.report_at) if row.report_at else "—",
                "deadline": moment_label(row.deadline),
            },
            since=row.report_at,
        )

    return queues.queue(
        "casework.reports_to_verify", _("Rectification reports to verify"), rows, count, item,
        url=reverse("control:orders") + f"?state={OrderState.REPORT_SUBMITTED}",
    )  # fmt: skip


def commitments_to_verify(user, now) -> queues.Queue | None:
    """Interview commitments the operator reported done."""
    rows, count = queues.take(
        Commitment.objects.visible_to(user)
        .filter(state=CommitmentState.DONE)
        .select_related("interview", "interview__operator")
        .order_by("done_at", "pk")
    )

    def item(row):
        return queues.Item(
            title=f"{row.interview.operator.short_name} · {_short(row.text, 80)}",
            url=reverse("control:interview", args=[row.interview_id]),
            extra=_("Reported done: %(note)s") % {"note": _short(row.done_note)},
            since=row.done_at,
        )

    return queues.queue("casework.commitments_to_verify", _("Commitments to verify"), rows, count, item)


# --- Leadership ---------------------------------------------------------------------------------


def escalations(user, now) -> queues.Queue | None:
    """Escalated orders no leader has written an instruction on yet: they wait for leadership."""
    instructed = Instruction.objects.filter(
        content_type=ContentType.objects.get_for_model(RectificationOrder), object_id=OuterRef("pk")
    )
    escalated = CaseEvent.objects.filter(order=OuterRef("pk"), kind=EventKind.ESCALATED).order_by("-at")
    rows, count = queues.take(
        RectificationOrder.objects.visible_to(user)
        .filter(state=OrderState.ESCALATED)
        .exclude(Exists(instructed))
        .annotate(
            escalated_at=Subquery(escalated.values("at")[:1]), reason=Subquery(escalated.values("text")[:1])
        )
        .select_related("operator")
        .order_by("escalated_at", "pk")
    )

    def item(row):
        return queues.Item(
            title=_order_title(row, with_operator=True),
            url=reverse("control:order", args=[row.pk]),
            extra=_("Escalated: %(reason)s") % {"reason": _short(row.reason)},
            since=row.escalated_at,
        )

    return queues.queue(
        "casework.escalations", _("Escalated orders awaiting your instruction"), rows, count, item,
        url=reverse("control:orders") + f"?state={OrderState.ESCALATED}",
    )  # fmt: skip


# --- An operator's managers ---------------------------------------------------------------------


def _interview_title(notice: InterviewNotice) -> str:
    title = _("Interview on %(when)s at %(place)s") % {
        "when": moment_label(notice.scheduled_at),
        "place": notice.place,
    }
    return f"{notice.document_no} · {title}" if notice.document_no else title


def interviews_to_confirm(user, now) -> queues.Queue | None:
    """Interview notices whose attendees the manager has not confirmed yet, the soonest first."""
    rows, count = queues.take(
        InterviewNotice.objects.visible_to(user)
        .filter(state=InterviewState.ISSUED)
        .order_by("scheduled_at", "pk")
    )

    def item(row):
        return queues.Item(
            title=_interview_title(row),
            url=reverse("portal:interview", args=[row.pk]),
            due=row.scheduled_at,
            overdue=row.scheduled_at < now,
            extra=_("Persons required: %(persons)s") % {"persons": _short(row.persons_required)},
            since=row.issued_at,
        )

    return queues.queue(
        "casework.interviews_to_confirm", _("Interview attendees to confirm"), rows, count, item,
        url=reverse("portal:interviews"),
    )  # fmt: skip


def interviews_ahead(user, now) -> queues.Queue | None:
    """Confirmed interviews still ahead: the notices the manager is the addressee of."""
    rows, count = queues.take(
        InterviewNotice.objects.visible_to(user)
        .filter(state=InterviewState.CONFIRMED, scheduled_at__gte=now)
        .order_by("scheduled_at", "pk")
    )

    def item(row):
        return queues.Item(
            title=_interview_title(row),
            url=reverse("portal:interview", args=[row.pk]),
            due=row.scheduled_at,
            extra=_("Attending: %(persons)s") % {"persons": _short(row.confirmed_attendees)},
            since=row.confirmed_at,
        )

    return queues.queue(
        "casework.interviews_ahead",
        _("Interview notices"),
        rows,
        count,
        item,
        url=reverse("portal:interviews"),
    )


# --- An operator's reporting staff --------------------------------------------------------------


def orders_due(user, now) -> queues.Queue | None:
    """Orders the operator must act on: acknowledge, report on, report again; the earliest deadline first."""
    returned = RectificationReport.objects.filter(
        order=OuterRef("pk"), decision=ReportDecision.RETURNED
    ).order_by("-number")
    rows, count = queues.take(
        RectificationOrder.objects.visible_to(user)
        .filter(state__in=[OrderState.ISSUED, OrderState.ACKNOWLEDGED, OrderState.RETURNED])
        .with_overdue(now)
        .annotate(return_comment=Subquery(returned.values("comment")[:1]))
        .order_by("deadline", "pk")
    )

    def item(row):
        if row.state == OrderState.ISSUED:
            extra = _("Acknowledge it, then report the rectification by the deadline.")
        elif row.state == OrderState.RETURNED:
            extra = _("Report returned: %(reason)s") % {"reason": _short(row.return_comment)}
        else:
            extra = _("Submit the rectification report by the deadline.")
        return queues.Item(
            title=_order_title(row, with_operator=False),
            url=reverse("portal:order", args=[row.pk]),
            due=row.deadline,
            overdue=row.overdue,
            extra=extra,
            since=row.issued_at,
        )

    return queues.queue(
        "casework.orders_due", _("Rectification orders due"), rows, count, item, url=reverse("portal:orders")
    )


def commitments_due(user, now) -> queues.Queue | None:
    """Commitments made at an interview, open, the earliest due first."""
    rows, count = queues.take(
        Commitment.objects.visible_to(user).filter(state=CommitmentState.OPEN).order_by("due_at", "pk")
    )

    def item(row):
        return queues.Item(
            title=_short(row.text, 80),
            url=reverse("portal:interview", args=[row.interview_id]),
            due=row.due_at,
            overdue=row.due_at < now,
            extra=_("Returned: %(reason)s") % {"reason": _short(row.return_comment)}
            if row.return_comment
            else "",
        )

    return queues.queue(
        "casework.commitments_due", _("Interview commitments due"), rows, count, item,
        url=reverse("portal:interviews"),
    )  # fmt: skip


PROVIDERS = {
    Role.REGULATOR_STAFF: [
        findings_to_decide,
        extensions_to_decide,
        reports_to_verify,
        commitments_to_verify,
    ],
    Role.REGULATOR_LEADER: [escalations],
    Role.OPERATOR_MANAGER: [interviews_to_confirm, interviews_ahead],
    Role.OPERATOR_STAFF: [orders_due, commitments_due],
}


def register() -> None:
    """Offer these queues to the home pages (from ``CaseworkConfig.ready``)."""
    for role, providers in PROVIDERS.items():
        queues.register(role, *providers)


def for_user(user, now=None) -> list[queues.Queue]:
    """What the casework leaves waiting for ``user``."""
    return queues.gather(PROVIDERS.get(user.role, []), user, now)
