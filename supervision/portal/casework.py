"""The operator's casework pages: its findings, orders (with days left), interviews, notices.

Every query starts from ``visible_to(request.user)``: another operator's case, or a case still
in draft, is a 404. Each action calls one service of ``supervision.casework``, which checks the
role and the state again and whose refusal is shown as it is.
"""

from functools import partial

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supervision.briefings import services as briefing_services
from supervision.casework import (
    attachments,
    documents,
    findings,
    interviews,
    orders,
    pages,
    presentation,
)
from supervision.casework.models import (
    CaseFile,
    Commitment,
    InspectionFinding,
    InterviewNotice,
    NoticeRecord,
    RectificationOrder,
)
from supervision.core.permissions import operator_manager_required, operator_required

from .forms.casework import AttendanceForm, DoneForm, ExtensionForm, ReportForm, RespondForm

PER_PAGE = 50


# --- Shared ---------------------------------------------------------------------------------


@operator_required
def case_file(request, pk):
    """A file of one of the operator's own visible cases; anything else is a 404."""
    return attachments.file_response(get_object_or_404(CaseFile.objects.visible_to(request.user), pk=pk))


@operator_required
@require_POST
def comment(request, kind, pk):
    return presentation.post_comment(request, kind, pk, namespace="portal")


# --- Findings -------------------------------------------------------------------------------


@operator_required
def finding_list(request):
    rows = (
        InspectionFinding.objects.visible_to(request.user)
        .select_related("city", "clause")
        .order_by("-published_at", "-pk")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/casework/finding_list.html", {"page": page})


def _finding(request, pk):
    rows = InspectionFinding.objects.visible_to(request.user).select_related(
        "operator", "city", "clause", "decided_by"
    )
    return get_object_or_404(rows, pk=pk)


def _finding_page(request, finding, *, status=200, refusal=None, respond_form=None):
    context = pages.finding_context(finding, request.user, namespace="portal")
    context.update(
        {
            "refusal": refusal,
            "respond_form": respond_form or RespondForm(),
        }
    )
    return render(request, "portal/casework/finding_detail.html", context, status=status)


@operator_required
def finding_detail(request, pk):
    return _finding_page(request, _finding(request, pk))


@operator_required
@require_POST
def finding_respond(request, pk):
    finding = _finding(request, pk)
    form = RespondForm(request.POST, request.FILES)
    return presentation.post_form(
        request,
        form,
        lambda data: findings.respond_to_finding(
            finding, user=request.user, kind=data["kind"], text=data["text"], uploads=data["files"]
        ),
        _("Your answer is sent; the administration will decide."),
        reverse("portal:finding", args=[pk]),
        partial(_finding_page, request, finding, respond_form=form),
    )


# --- Orders ---------------------------------------------------------------------------------


@operator_required
def order_list(request):
    rows = (
        RectificationOrder.objects.visible_to(request.user)
        .with_days_left()
        .with_overdue()
        .order_by("-issued_at", "-pk")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/casework/order_list.html", {"page": page})


def _order(request, pk):
    # Days left, overdue and awaiting verification as of now: the orders' own definitions
    # (casework.models.OrderQuerySet), read once for the whole page.
    rows = (
        RectificationOrder.objects.visible_to(request.user)
        .select_related("operator", "case_officer")
        .with_days_left()
        .with_overdue()
        .with_awaiting_verification()
    )
    return get_object_or_404(rows, pk=pk)


def _order_page(request, order, *, status=200, refusal=None, extension_form=None, report_form=None):
    context = pages.order_context(order, request.user, namespace="portal")
    context.update(
        {
            "refusal": refusal,
            "extension_form": extension_form or ExtensionForm(prefix="extension"),
            "report_form": report_form or ReportForm(prefix="report"),
        }
    )
    return render(request, "portal/casework/order_detail.html", context, status=status)


@operator_required
def order_detail(request, pk):
    return _order_page(request, _order(request, pk))


@operator_required
@require_POST
def order_acknowledge(request, pk):
    return presentation.post_action(
        request,
        _order(request, pk),
        orders.acknowledge_order,
        _("The order is acknowledged. Report the rectification before the deadline."),
        reverse("portal:order", args=[pk]),
    )


@operator_required
@require_POST
def order_extension(request, pk):
    order = _order(request, pk)
    form = ExtensionForm(request.POST, prefix="extension")
    return presentation.post_form(
        request,
        form,
        lambda data: orders.ask_extension(order, user=request.user, **data),
        _("Your request is sent; the administration will decide."),
        reverse("portal:order", args=[pk]),
        partial(_order_page, request, order, extension_form=form),
    )


@operator_required
@require_POST
def order_report(request, pk):
    order = _order(request, pk)
    form = ReportForm(request.POST, request.FILES, prefix="report")
    return presentation.post_form(
        request,
        form,
        lambda data: orders.submit_report(order, user=request.user, text=data["text"], uploads=data["files"]),
        _("Your rectification report is submitted; the administration will verify it."),
        reverse("portal:order", args=[pk]),
        partial(_order_page, request, order, report_form=form),
    )


@operator_required
def order_document(request, pk):
    order = _order(request, pk)
    response = presentation.document_download(
        request, documents.order_letter(order), f"整改通知书-{order.document_no}"
    )
    presentation.record_order_document(request.user, order, presentation.document_format(request))
    return response


# --- Interviews -----------------------------------------------------------------------------


@operator_required
def interview_list(request):
    rows = InterviewNotice.objects.visible_to(request.user)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/casework/interview_list.html", {"page": page})


def _interview(request, pk):
    rows = InterviewNotice.objects.visible_to(request.user).select_related("operator", "confirmed_by")
    return get_object_or_404(rows, pk=pk)


def _interview_page(request, notice, *, status=200, refusal=None, attendance_form=None):
    context = pages.interview_context(notice, request.user, namespace="portal")
    context.update(
        {
            "refusal": refusal,
            "attendance_form": attendance_form
            or AttendanceForm(initial={"attendees": notice.confirmed_attendees or notice.persons_required}),
            "done_form": DoneForm(),
        }
    )
    return render(request, "portal/casework/interview_detail.html", context, status=status)


@operator_required
def interview_detail(request, pk):
    return _interview_page(request, _interview(request, pk))


@operator_manager_required
@require_POST
def interview_confirm(request, pk):
    notice = _interview(request, pk)
    form = AttendanceForm(request.POST)
    return presentation.post_form(
        request,
        form,
        lambda data: interviews.confirm_attendance(notice, user=request.user, attendees=data["attendees"]),
        _("Attendance is confirmed."),
        reverse("portal:interview", args=[pk]),
        partial(_interview_page, request, notice, attendance_form=form),
    )


@operator_required
@require_POST
def commitment_done(request, pk):
    commitment = get_object_or_404(Commitment.objects.visible_to(request.user), pk=pk)
    return presentation.post_action(
        request,
        commitment,
        interviews.commitment_done,
        _("The commitment is reported done; the administration will verify it."),
        reverse("portal:interview", args=[commitment.interview_id]) + "#commitments",
        form=DoneForm(request.POST),
    )


@operator_required
def interview_document(request, pk):
    notice = _interview(request, pk)
    return presentation.document_download(
        request, documents.interview_letter(notice), f"约谈通知书-{notice.document_no}"
    )


# --- Notices and decisions ------------------------------------------------------------------


@operator_required
def record_list(request):
    rows = NoticeRecord.objects.visible_to(request.user).prefetch_related("files", "orders")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    # The circulated briefings among them are downloaded from the official documents page.
    briefing_numbers = set(briefing_services.circulated().values_list("document_no", flat=True))
    return render(
        request,
        "portal/casework/record_list.html",
        {"page": page, "file_url_name": "portal:case_file", "briefing_numbers": briefing_numbers},
    )
