"""The administration's casework pages: findings, inspection batches, rectification orders,
interviews, notices and decisions, the audit trail.

Views only: each change calls one service of ``supervision.casework`` and shows its refusal
(``TransitionRefused``) as it is. Read pages are open to the administration (leadership reads);
every change is for its staff (``regulator_staff_required``), and the services check it again.
"""

from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from supervision.casework import (
    attachments,
    audit,
    batches,
    documents,
    events,
    findings,
    interviews,
    orders,
    pages,
    presentation,
    records,
    rules,
)
from supervision.casework.models import (
    GROUNDING_FINDING_STATES,
    BatchState,
    CaseFile,
    Commitment,
    ExtensionRequest,
    InspectionBatch,
    InspectionFinding,
    InterviewNotice,
    InterviewState,
    NoticeRecord,
    RecordKind,
    RectificationOrder,
    end_of_day,
    local_date,
    proposed_deadline,
)
from supervision.casework.rules import TransitionRefused
from supervision.core import params as query_values
from supervision.core.models import Operator, User
from supervision.core.permissions import regulator_required, regulator_staff_required
from supervision.meetings import clashes

from .forms import casework as forms

PER_PAGE = 50


def _operator_from_request(request):
    code = request.GET.get("operator") or request.POST.get("operator")
    return get_object_or_404(Operator, code=code) if code else None


@regulator_required
def case_file(request, pk):
    """A case's file, for the administration (every operator's)."""
    return attachments.file_response(get_object_or_404(CaseFile.objects.visible_to(request.user), pk=pk))


@regulator_staff_required
@require_POST
def comment(request, kind, pk):
    return presentation.post_comment(request, kind, pk, namespace="control")


# --- Findings -------------------------------------------------------------------------------


def _finding(request, pk):
    rows = InspectionFinding.objects.visible_to(request.user).select_related(
        "operator", "city", "clause", "created_by", "decided_by", "batch"
    )
    return get_object_or_404(rows, pk=pk)


def _finding_page(request, finding, *, status=200, refusal=None, **forms_):
    context = pages.finding_context(finding, request.user, namespace="control")
    context.update(
        {
            "refusal": refusal,
            "can_order": request.user.is_regulator_staff
            and finding.violation
            and finding.state in GROUNDING_FINDING_STATES,
            "evidence_form": forms_.get("evidence_form") or forms.EvidenceForm(),
            "decision_form": forms_.get("decision_form") or forms.DecisionForm(),
        }
    )
    return render(request, "control/casework/finding_detail.html", context, status=status)


@regulator_required
def finding_detail(request, pk):
    return _finding_page(request, _finding(request, pk))


@regulator_staff_required
def finding_new(request):
    form = forms.FindingForm(request.POST or None)
    saved = presentation.save_form(
        request,
        form,
        lambda data: findings.create_finding(user=request.user, **data),
        _("The finding is recorded as a draft. Attach the evidence, then publish it."),
        lambda finding: reverse("control:finding", args=[finding.pk]),
    )
    if saved is not None:
        return saved
    return render(request, "control/casework/finding_form.html", {"form": form, "finding": None})


@regulator_staff_required
def finding_edit(request, pk):
    finding = _finding(request, pk)
    if "edit" not in rules.allowed(findings.ACTIONS, finding, request.user):
        messages.error(request, _("Only a draft can be edited; a published finding is answered and decided."))
        return redirect("control:finding", pk=pk)
    form = forms.FindingForm(request.POST or None, instance=finding)
    saved = presentation.save_form(
        request,
        form,
        lambda data: findings.update_finding(
            finding, user=request.user, **{name: data[name] for name in findings.FIELDS}
        ),
        _("The finding is saved."),
        reverse("control:finding", args=[pk]),
    )
    if saved is not None:
        return saved
    return render(request, "control/casework/finding_form.html", {"form": form, "finding": finding})


@regulator_staff_required
@require_POST
def finding_publish(request, pk):
    return presentation.post_action(
        request,
        _finding(request, pk),
        findings.publish_finding,
        _("The finding is published; the operator is told by e-mail."),
        reverse("control:finding", args=[pk]),
    )


@regulator_staff_required
@require_POST
def finding_evidence(request, pk):
    finding = _finding(request, pk)
    form = forms.EvidenceForm(request.POST, request.FILES)
    return presentation.post_form(
        request,
        form,
        lambda data: findings.add_evidence(finding, data["files"], user=request.user),
        lambda stored: _("%(n)d file(s) attached.") % {"n": len(stored)},
        reverse("control:finding", args=[pk]) + "#evidence",
        partial(_finding_page, request, finding, evidence_form=form),
    )


@regulator_staff_required
@require_POST
def finding_decide(request, pk):
    finding = _finding(request, pk)
    form = forms.DecisionForm(request.POST)
    uphold = request.POST.get("decision") == "uphold"
    return presentation.post_form(
        request,
        form,
        lambda data: findings.decide_finding(finding, user=request.user, uphold=uphold, note=data["note"]),
        _("The finding is upheld.") if uphold else _("The finding is withdrawn."),
        reverse("control:finding", args=[pk]),
        partial(_finding_page, request, finding, decision_form=form),
    )


# --- Inspection batches ---------------------------------------------------------------------


@regulator_staff_required
def inspection_upload(request):
    form = forms.BatchUploadForm(request.POST or None, request.FILES or None)
    saved = presentation.save_form(
        request,
        form,
        lambda data: batches.start_batch(data["file"], user=request.user),
        None,
        lambda batch: reverse("control:inspection_batch", args=[batch.pk]),
    )
    if saved is not None:
        return saved
    recent = InspectionBatch.objects.select_related("uploaded_by")[:10]
    return render(request, "control/casework/batch_upload.html", {"form": form, "recent": recent})


@regulator_staff_required
def inspection_batch(request, pk):
    batch = get_object_or_404(InspectionBatch.objects.select_related("uploaded_by"), pk=pk)
    error = None
    if request.method == "POST" and batch.state == BatchState.CHECKED:
        try:
            if "discard" in request.POST:
                batches.discard_batch(batch, user=request.user)
                messages.info(request, _("The batch was discarded; nothing was stored."))
                return redirect("control:inspection_upload")
            stored = batches.confirm_batch(batch, user=request.user)
        except TransitionRefused as refused:
            error = str(refused)
            batch.refresh_from_db()
        else:
            messages.success(
                request,
                _("%(visits)d visits stored as draft findings (%(found)d with a problem found).")
                % {"visits": len(stored), "found": sum(1 for f in stored if f.violation)},
            )
            return redirect("control:inspection_batch", pk=batch.pk)
    context = {
        "batch": batch,
        "error": error,
        "has_errors": batches.has_errors(batch),
        "problems": batches.problem_rows(batch),
        "preview": batches.preview_rows(batch),
        "stored": batch.findings.select_related("operator", "city", "clause").order_by("pk")
        if batch.state == BatchState.CONFIRMED
        else [],
    }
    return render(request, "control/casework/batch_detail.html", context)


# --- Rectification orders -------------------------------------------------------------------


def _order(request, pk):
    # Days left, overdue and awaiting verification as of now: the orders' own definitions
    # (casework.models.OrderQuerySet), read once for the whole page.
    rows = (
        RectificationOrder.objects.visible_to(request.user)
        .select_related("operator", "case_officer", "withdrawn_by")
        .with_days_left()
        .with_overdue()
        .with_awaiting_verification()
    )
    return get_object_or_404(rows, pk=pk)


def _no_recipient(case, allowed) -> bool:
    """Whether the page must warn, before the issue button, that nobody at the case's operator
    receives official documents (the document would reach it only in its portal)."""
    return "issue" in allowed and not User.objects.document_recipients([case.operator_id]).exists()


def _order_page(request, order, *, status=200, refusal=None, **forms_):
    context = pages.order_context(order, request.user, namespace="control")
    context.update(
        {
            "refusal": refusal,
            "interviews": order.interviews.live().select_related("operator"),
            "no_recipient": _no_recipient(order, context["allowed"]),
            "return_form": forms_.get("return_form") or forms.CommentedForm(prefix="return"),
            "verify_form": forms_.get("verify_form") or forms.VerifyForm(prefix="verify"),
            "escalate_form": forms_.get("escalate_form") or forms.EscalateForm(prefix="escalate"),
            "withdraw_form": forms_.get("withdraw_form") or forms.WithdrawForm(prefix="withdraw"),
            "extension_form": forms_.get("extension_form") or forms.ExtensionDecisionForm(prefix="extension"),
        }
    )
    return render(request, "control/casework/order_detail.html", context, status=status)


@regulator_required
def order_detail(request, pk):
    return _order_page(request, _order(request, pk))


def _order_initial(finding):
    if finding is None:
        return {}
    clause = finding.clause.name_zh if finding.clause_id else ""
    return {
        "findings": [finding.pk],
        "title": f"关于{finding.operator.short_zh}{finding.city.short_zh}{clause}问题的整改通知",
    }


def _order_fields(form, order=None) -> dict:
    data = form.cleaned_data
    severity = (
        data["severity"] or orders.proposed_severity(data["findings"]) or (order.severity if order else "")
    )
    deadline = end_of_day(data["deadline"]) if data["deadline"] else None
    if deadline is None and severity:
        deadline = proposed_deadline(severity)
    return {
        "title": data["title"],
        "requirements": data["requirements"],
        "severity": severity or None,
        "deadline": deadline,
        "findings": data["findings"],
        "complaints": form.complaints,
    }


@regulator_staff_required
def order_new(request):
    finding = None
    if finding_id := query_values.object_id(request, "finding"):
        finding = get_object_or_404(
            InspectionFinding.objects.visible_to(request.user).select_related("operator", "city", "clause"),
            pk=finding_id,
        )
    operator = finding.operator if finding else _operator_from_request(request)
    if operator is None:
        return render(
            request,
            "control/casework/pick_operator.html",
            {"form": forms.OperatorPickForm(), "what": "order"},
        )
    form = forms.OrderForm(request.POST or None, operator=operator, initial=_order_initial(finding))
    saved = presentation.save_form(
        request,
        form,
        lambda data: orders.create_order(user=request.user, operator=operator, **_order_fields(form)),
        _("The order is saved as a draft. Check it, then issue it."),
        lambda order: reverse("control:order", args=[order.pk]),
    )
    if saved is not None:
        return saved
    proposal = None
    if finding is not None and finding.severity:
        proposal = {
            "severity": finding.get_severity_display(),
            "deadline": proposed_deadline(finding.severity),
        }
    return render(
        request,
        "control/casework/order_form.html",
        {"form": form, "operator": operator, "order": None, "proposal": proposal},
    )


@regulator_staff_required
def order_edit(request, pk):
    order = _order(request, pk)
    if "edit" not in rules.allowed(orders.ACTIONS, order, request.user):
        messages.error(request, _("Only a draft order can be edited."))
        return redirect("control:order", pk=pk)
    initial = {
        "findings": list(order.findings.values_list("pk", flat=True)),
        "complaint_numbers": "\n".join(order.complaints.values_list("complaint_no", flat=True)),
        "title": order.title,
        "requirements": order.requirements,
        "severity": order.severity,
        "deadline": local_date(order.deadline),
    }
    form = forms.OrderForm(request.POST or None, operator=order.operator, initial=initial)
    saved = presentation.save_form(
        request,
        form,
        lambda data: orders.update_order(order, user=request.user, **_order_fields(form, order)),
        _("The order is saved."),
        reverse("control:order", args=[pk]),
    )
    if saved is not None:
        return saved
    return render(
        request,
        "control/casework/order_form.html",
        {"form": form, "operator": order.operator, "order": order, "proposal": None},
    )


@regulator_staff_required
@require_POST
def order_issue(request, pk):
    return presentation.post_action(
        request,
        _order(request, pk),
        orders.issue_order,
        _("The order is issued; the operator is told by e-mail."),
        reverse("control:order", args=[pk]),
    )


def _order_form_action(request, pk, form_class, prefix, service, success, field):
    order = _order(request, pk)
    form = form_class(request.POST, prefix=prefix)
    return presentation.post_form(
        request,
        form,
        lambda data: service(order, user=request.user, **{field: data[field]}),
        success,
        reverse("control:order", args=[pk]),
        partial(_order_page, request, order, **{f"{prefix}_form": form}),
    )


@regulator_staff_required
@require_POST
def order_return(request, pk):
    return _order_form_action(
        request,
        pk,
        forms.CommentedForm,
        "return",
        orders.return_report,
        _("The report is returned; the operator must report again."),
        "comment",
    )


@regulator_staff_required
@require_POST
def order_verify(request, pk):
    return _order_form_action(
        request,
        pk,
        forms.VerifyForm,
        "verify",
        orders.verify_order,
        _("The rectification is verified; the order is closed."),
        "comment",
    )


@regulator_staff_required
@require_POST
def order_escalate(request, pk):
    return _order_form_action(
        request,
        pk,
        forms.EscalateForm,
        "escalate",
        orders.escalate_order,
        _("The order is escalated."),
        "reason",
    )


def _withdraw(request, case, actions, service):
    """Withdraw a draft: (refusal or None, form). A refusal of the rules (not a draft any more)
    is said even when the form is incomplete, since the form is then no longer on the page."""
    form = forms.WithdrawForm(request.POST, prefix="withdraw")
    try:
        if form.is_valid():
            service(case, user=request.user, reason=form.cleaned_data["reason"])
        else:
            rules.check(actions["withdraw"], case, request.user)
    except TransitionRefused as refused:
        return str(refused), form
    return None, form


@regulator_staff_required
@require_POST
def order_withdraw(request, pk):
    """Withdraw a draft order made by mistake; an issued one is refused with the rules' message."""
    order = _order(request, pk)
    refusal, form = _withdraw(request, order, orders.ACTIONS, orders.withdraw_order)
    if refusal is None and form.is_valid():
        messages.success(request, _("The draft order is withdrawn. It is kept, but no longer listed."))
        return redirect("control:order", pk=pk)
    return _order_page(request, order, status=400, refusal=refusal, withdraw_form=form)


@regulator_staff_required
@require_POST
def extension_decide(request, pk, extension_pk):
    order = _order(request, pk)
    extension = get_object_or_404(ExtensionRequest, pk=extension_pk, order=order)
    form = forms.ExtensionDecisionForm(request.POST, prefix="extension")
    grant = "grant" in request.POST

    def decide(data):
        if grant:
            return orders.grant_extension(
                extension, user=request.user, new_date=data["new_date"], note=data["note"]
            )
        return orders.refuse_extension(extension, user=request.user, note=data["note"])

    return presentation.post_form(
        request,
        form,
        decide,
        _("The extension is granted; the deadline has moved.") if grant else _("The extension is refused."),
        reverse("control:order", args=[pk]),
        partial(_order_page, request, order, extension_form=form),
    )


@regulator_required
def order_document(request, pk):
    order = _order(request, pk)
    stem = f"整改通知书-{order.document_no or _('draft')}"
    response = presentation.document_download(request, documents.order_letter(order), stem)
    presentation.record_order_document(request.user, order, presentation.document_format(request))
    return response


# --- Interviews -----------------------------------------------------------------------------


@regulator_required
def interview_list(request):
    rows = InterviewNotice.objects.visible_to(request.user).select_related("operator")
    state = request.GET.get("state")
    # Withdrawn drafts are listed only when asked for.
    rows = rows.filter(state=state) if state in InterviewState.values else rows.live()
    operator = request.GET.get("operator")
    if operator:
        rows = rows.filter(operator__code=operator)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "control/casework/interview_list.html",
        {
            "page": page,
            "states": InterviewState.choices,
            "operators": Operator.objects.all(),
            "state": state,
            "operator": operator,
        },
    )


def _interview(request, pk):
    rows = InterviewNotice.objects.visible_to(request.user).select_related(
        "operator", "case_officer", "confirmed_by", "withdrawn_by"
    )
    return get_object_or_404(rows, pk=pk)


def _interview_page(request, notice, *, status=200, refusal=None, **forms_):
    context = pages.interview_context(notice, request.user, namespace="control")
    context.update(
        {
            "refusal": refusal,
            "findings": notice.findings.select_related("city", "clause"),
            "no_recipient": _no_recipient(notice, context["allowed"]),
            # Before issuing: what else is on at that time (a warning, not a refusal).
            "clashes": _clashes_of(notice) if "issue" in context["allowed"] else [],
            "minutes_form": forms_.get("minutes_form")
            or forms.MinutesForm(initial={"minutes": notice.minutes}),
            "commitment_form": forms_.get("commitment_form") or forms.CommitmentForm(),
            "return_form": forms.CommentedForm(prefix="return"),
            "withdraw_form": forms_.get("withdraw_form") or forms.WithdrawForm(prefix="withdraw"),
        }
    )
    return render(request, "control/casework/interview_detail.html", context, status=status)


@regulator_required
def interview_detail(request, pk):
    return _interview_page(request, _interview(request, pk))


def _clashes_of(notice) -> list:
    return clashes.for_interview(
        notice.scheduled_at, place=notice.place, operator_id=notice.operator_id, exclude_interview=notice.pk
    )


def _form_clashes(request, form, operator, notice=None) -> list:
    """What a valid interview form clashes with (another interview, a meeting: same operator, room
    or time), unless the user has seen them and ticked "save anyway"; the form page lists them."""
    if request.method != "POST" or not form.is_valid() or request.POST.get(clashes.SAVE_ANYWAY) == "1":
        return []
    data = form.cleaned_data
    return clashes.for_interview(
        data["scheduled_at"],
        place=data["place"],
        operator_id=operator.pk,
        exclude_interview=notice.pk if notice else None,
    )


def _interview_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in interviews.FIELDS} | {
        "orders": form.cleaned_data["orders"],
        "findings": form.cleaned_data["findings"],
    }


@regulator_staff_required
def interview_new(request):
    operator = _operator_from_request(request)
    if operator is None:
        return render(
            request,
            "control/casework/pick_operator.html",
            {"form": forms.OperatorPickForm(), "what": "interview"},
        )
    initial = {}
    if order_id := query_values.object_id(request, "order"):
        initial["orders"] = [order_id]
    form = forms.InterviewForm(request.POST or None, operator=operator, initial=initial)
    found = _form_clashes(request, form, operator)
    if not found:
        saved = presentation.save_form(
            request,
            form,
            lambda data: interviews.create_interview(
                user=request.user, operator=operator, **_interview_fields(form)
            ),
            _("The interview notice is saved as a draft. Check it, then issue it."),
            lambda notice: reverse("control:interview", args=[notice.pk]),
        )
        if saved is not None:
            return saved
    return render(
        request,
        "control/casework/interview_form.html",
        {"form": form, "operator": operator, "interview": None, "clashes": found},
    )


@regulator_staff_required
def interview_edit(request, pk):
    notice = _interview(request, pk)
    if "edit" not in rules.allowed(interviews.ACTIONS, notice, request.user):
        messages.error(request, _("Only a draft interview notice can be edited."))
        return redirect("control:interview", pk=pk)
    initial = {name: getattr(notice, name) for name in interviews.FIELDS}
    initial["orders"] = list(notice.orders.values_list("pk", flat=True))
    initial["findings"] = list(notice.findings.values_list("pk", flat=True))
    form = forms.InterviewForm(request.POST or None, operator=notice.operator, initial=initial)
    found = _form_clashes(request, form, notice.operator, notice)
    if not found:
        saved = presentation.save_form(
            request,
            form,
            lambda data: interviews.update_interview(notice, user=request.user, **_interview_fields(form)),
            _("The interview notice is saved."),
            reverse("control:interview", args=[pk]),
        )
        if saved is not None:
            return saved
    return render(
        request,
        "control/casework/interview_form.html",
        {"form": form, "operator": notice.operator, "interview": notice, "clashes": found},
    )


@regulator_staff_required
@require_POST
def interview_issue(request, pk):
    return presentation.post_action(
        request,
        _interview(request, pk),
        interviews.issue_interview,
        _("The interview notice is issued; the operator is told by e-mail."),
        reverse("control:interview", args=[pk]),
    )


@regulator_staff_required
@require_POST
def interview_withdraw(request, pk):
    """Withdraw a draft notice made by mistake; an issued one is refused with the rules' message."""
    notice = _interview(request, pk)
    refusal, form = _withdraw(request, notice, interviews.ACTIONS, interviews.withdraw_interview)
    if refusal is None and form.is_valid():
        messages.success(
            request, _("The draft interview notice is withdrawn. It is kept, but no longer listed.")
        )
        return redirect("control:interview", pk=pk)
    return _interview_page(request, notice, status=400, refusal=refusal, withdraw_form=form)


@regulator_staff_required
@require_POST
def interview_minutes(request, pk):
    notice = _interview(request, pk)
    form = forms.MinutesForm(request.POST)
    return presentation.post_form(
        request,
        form,
        lambda data: interviews.record_minutes(notice, user=request.user, minutes=data["minutes"]),
        _("The minutes are recorded. Record the commitments below."),
        reverse("control:interview", args=[pk]) + "#commitments",
        partial(_interview_page, request, notice, minutes_form=form),
    )


@regulator_staff_required
@require_POST
def commitment_add(request, pk):
    notice = _interview(request, pk)
    form = forms.CommitmentForm(request.POST)
    return presentation.post_form(
        request,
        form,
        lambda data: interviews.add_commitment(notice, user=request.user, **data),
        _("The commitment is recorded."),
        reverse("control:interview", args=[pk]) + "#commitments",
        partial(_interview_page, request, notice, commitment_form=form),
    )


def _commitment(request, pk):
    visible = Commitment.objects.visible_to(request.user).select_related("interview")
    return get_object_or_404(visible, pk=pk)


@regulator_staff_required
@require_POST
def commitment_verify(request, pk):
    commitment = _commitment(request, pk)
    return presentation.post_action(
        request,
        commitment,
        interviews.verify_commitment,
        _("The commitment is verified."),
        reverse("control:interview", args=[commitment.interview_id]) + "#commitments",
    )


@regulator_staff_required
@require_POST
def commitment_return(request, pk):
    commitment = _commitment(request, pk)
    return presentation.post_action(
        request,
        commitment,
        interviews.return_commitment,
        _("The commitment is returned to the operator."),
        reverse("control:interview", args=[commitment.interview_id]) + "#commitments",
        form=forms.CommentedForm(request.POST, prefix="return"),
    )


@regulator_required
def interview_document(request, pk):
    notice = _interview(request, pk)
    stem = f"约谈通知书-{notice.document_no or _('draft')}"
    return presentation.document_download(request, documents.interview_letter(notice), stem)


# --- Notices and decisions ------------------------------------------------------------------


@regulator_required
def record_list(request):
    rows = NoticeRecord.objects.visible_to(request.user).select_related("operator")
    kind = request.GET.get("kind")
    if kind in RecordKind.values:
        rows = rows.filter(kind=kind)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "control/casework/record_list.html",
        {"page": page, "kinds": RecordKind.choices, "kind": kind},
    )


@regulator_required
def record_detail(request, pk):
    record = get_object_or_404(
        NoticeRecord.objects.visible_to(request.user).select_related("operator", "created_by"), pk=pk
    )
    context = {
        "record": record,
        "files": record.files.select_related("uploaded_by"),
        "orders": record.orders.all(),
        "interviews": record.interviews.all(),
        "findings": record.findings.select_related("city"),
        "timeline": events.timeline(record, request.user),
        "file_url_name": "control:case_file",
    }
    return render(request, "control/casework/record_detail.html", context)


@regulator_staff_required
def record_new(request):
    operator = _operator_from_request(request)
    if operator is None:
        return render(
            request,
            "control/casework/pick_operator.html",
            {"form": forms.OperatorPickForm(), "what": "record"},
        )
    form = forms.RecordForm(request.POST or None, request.FILES or None, operator=operator)
    saved = presentation.save_form(
        request,
        form,
        lambda data: records.create_record(
            user=request.user,
            operator=operator,
            orders=data["orders"],
            interviews=data["interviews"],
            uploads=data["files"],
            **{name: data[name] for name in forms.RECORD_FIELDS},
        ),
        _("The notice or decision is recorded; the operator sees it in its portal."),
        lambda record: reverse("control:record", args=[record.pk]),
    )
    if saved is not None:
        return saved
    return render(request, "control/casework/record_form.html", {"form": form, "operator": operator})


# --- Audit trail ----------------------------------------------------------------------------


@regulator_required
@require_safe
def audit_trail(request):
    """Every recorded change of the casework and the task forces, newest first. Read-only."""
    model_name = request.GET.get("model", "")
    if model_name not in {name for name, _label in audit.model_choices()}:
        model_name = ""
    user_id = query_values.object_id(request, "user")
    rows, next_cursor = audit.page(
        model_name=model_name, user_id=user_id, before=audit.parse_cursor(request.GET.get("before"))
    )
    params = request.GET.copy()
    params.pop("before", None)
    first_url = f"?{params.urlencode()}"
    if next_cursor:
        params["before"] = next_cursor
    return render(
        request,
        "control/casework/audit.html",
        {
            "rows": rows,
            "models": audit.model_choices(),
            "model_name": model_name,
            "users": User.objects.filter(is_active=True).order_by("operator__sort_order", "username"),
            "user_id": user_id,
            "next_url": f"?{params.urlencode()}" if next_cursor else None,
            "first_url": first_url if request.GET.get("before") else None,
        },
    )
