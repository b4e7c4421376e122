"""What both faces show alike on a case's page: a finding, a rectification order, an interview.

Each face adds its own forms, buttons and extras, and names its namespace (``control`` or
``portal``) for the addresses of the files and of the comment form. The same queries serve
whoever reads: what an operator may not see (drafts, withdrawn drafts, another operator's cases)
is ``visible_to``'s business, and the timeline's (``events.timeline``).
"""

from django.urls import reverse

from . import events, findings, interviews, orders, presentation, rules
from . import mail as case_mail
from . import reminders as case_reminders
from .forms import CommentForm
from .models import ExtensionState, InspectionFinding, InterviewNotice, RectificationOrder


def _case(case, kind: str, user, namespace: str) -> dict:
    """The timeline and the comment form every case's page ends with."""
    return {
        "timeline": events.timeline(case, user),
        "comment_form": CommentForm(),
        "file_url_name": f"{namespace}:case_file",
        "comment_url": reverse(f"{namespace}:comment", args=[kind, case.pk]),
    }


def finding_context(finding: InspectionFinding, user, *, namespace: str) -> dict:
    """A finding with its evidence, the operator's answers and the orders it grounds."""
    return {
        "finding": finding,
        "reminders": case_mail.mails_about(finding, user=user),
        "evidence": finding.files.filter(response=None).select_related("uploaded_by"),
        "responses": finding.responses.select_related("submitted_by").prefetch_related(
            presentation.files_with_uploader()
        ),
        "orders": finding.orders.visible_to(user).live().select_related("operator"),
        "allowed": rules.allowed(findings.ACTIONS, finding, user),
        **_case(finding, "finding", user, namespace),
    }


def order_context(order: RectificationOrder, user, *, namespace: str) -> dict:
    """An order with its grounds, deadlines, requests for more time and rectification reports.

    ``order`` comes with its days left, overdue and awaiting verification
    (``OrderQuerySet.with_days_left`` …), read once for the whole page."""
    grounds, complaints = orders.grounds_of(order)
    extensions = list(order.extensions.select_related("requested_by", "decided_by"))
    return {
        "order": order,
        "reminders": case_reminders.for_order(order, user=user),
        "findings": grounds,
        "complaints": complaints,
        "deadlines": orders.deadline_history(order),
        "extensions": extensions,
        "pending_extension": next((e for e in extensions if e.state == ExtensionState.PENDING), None),
        "reports": order.reports.select_related("submitted_by", "decided_by").prefetch_related(
            presentation.files_with_uploader()
        ),
        "allowed": rules.allowed(orders.ACTIONS, order, user),
        "days_left": order.days_left_now(),
        **_case(order, "order", user, namespace),
    }


def interview_context(notice: InterviewNotice, user, *, namespace: str) -> dict:
    """An interview with its linked orders and the commitments made there, each with its
    reminders and what ``user`` may do with it."""
    commitments = list(notice.commitments.select_related("done_by", "verified_by"))
    # Each commitment's reminders, fetched for all of them at once.
    commitment_reminders = case_reminders.for_commitments(commitments, user=user)
    for commitment in commitments:
        commitment.reminders = commitment_reminders[commitment.pk]
    return {
        "interview": notice,
        "reminders": case_reminders.for_interview(notice, user=user),
        "orders": notice.orders.visible_to(user),
        "commitments": [
            (c, rules.allowed(interviews.COMMITMENT_ACTIONS, c, user, operator_id=notice.operator_id))
            for c in commitments
        ],
        "allowed": rules.allowed(interviews.ACTIONS, notice, user),
        **_case(notice, "interview", user, namespace),
    }
