"""The operator's monthly reports, ledger uploads and major-problem reports."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supervision.core.actions import Refused
from supervision.core.models import Period
from supervision.core.permissions import operator_manager_required, operator_required
from supervision.ingest.checks import CHECKS
from supervision.reporting import incidents, submissions, uploads
from supervision.reporting.ingest import build_template
from supervision.reporting.models import (
    Incident,
    MonthlySubmission,
    PendingUpload,
    UploadKind,
    UploadState,
)
from supervision.reporting.presentation import compare_context, file_response, submission_context
from supervision.reporting.receipts import receipt_pdf, receipt_text
from supervision.reporting.tasks import check_upload

from .forms.reporting import (
    IncidentFollowUpForm,
    IncidentForm,
    IncidentRecoveryForm,
    LedgerUploadForm,
    MonthlyUploadForm,
    TypicalCaseFormSet,
)


@operator_required
def submission_list(request):
    user = request.user
    return render(
        request,
        "portal/submissions.html",
        {
            "submissions": MonthlySubmission.objects.visible_to(user).select_related("period", "created_by"),
            "pending": PendingUpload.objects.visible_to(user)
            .filter(state__in=[UploadState.CHECKING, UploadState.CHECKED])
            .select_related("period"),
            "period": Period.last_complete(),
        },
    )


def _start_checks(request, upload):
    if uploads.should_check_in_background(upload):
        transaction.on_commit(lambda: check_upload.delay(str(upload.pk), request.LANGUAGE_CODE))
    else:
        uploads.run_checks(upload.pk)
    return redirect("portal:upload", pk=upload.pk)


@operator_required
def submission_new(request):
    held = uploads.held_upload(request.user, request.POST.get("held"))
    form = MonthlyUploadForm(
        request.POST or None, request.FILES or None, operator=request.operator, held=held
    )
    cases = TypicalCaseFormSet(request.POST or None, prefix="cases")
    if request.method == "POST":
        form_ok, cases_ok = form.is_valid(), cases.is_valid()
        if form_ok and cases_ok:
            period = Period.objects.from_label(form.cleaned_data["period"])
            form_data = {
                "narrative": form.cleaned_data["narrative"],
                "major_problem": form.cleaned_data["major_problem"],
                "typical_cases": [
                    {**c, "city": c["city"].code} for c in cases.cleaned_data if c and not c.get("DELETE")
                ],
            }
            try:
                upload = uploads.start_upload(
                    kind=UploadKind.MONTHLY,
                    operator=request.operator,
                    user=request.user,
                    period=period,
                    figures=form.cleaned_data["figures"],
                    ledger=form.cleaned_data["ledger"],
                    form_data=form_data,
                    held=held,
                )
            except submissions.SubmissionRefused as refused:
                form.add_error("period", str(refused))
            else:
                return _start_checks(request, upload)
        # Refused for another reason: keep the files chosen, so they need not be chosen again.
        cleaned = getattr(form, "cleaned_data", {})
        held = uploads.hold_files(
            operator=request.operator,
            user=request.user,
            figures=cleaned.get("figures"),
            ledger=cleaned.get("ledger"),
            held=held,
        )
    return render(request, "portal/submission_new.html", {"form": form, "cases": cases, "held": held})


@operator_required
def ledger_upload(request):
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = uploads.start_upload(
            kind=UploadKind.LEDGER,
            operator=request.operator,
            user=request.user,
            ledger=form.cleaned_data["ledger"],
        )
        return _start_checks(request, upload)
    return render(request, "portal/ledger_upload.html", {"form": form})


def _stored(request, upload, result):
    """After a confirmed upload: what was stored, and where to go next."""
    if upload.kind == UploadKind.MONTHLY:
        messages.success(
            request,
            _(
                "Version %(v)d is stored. A manager of your company must now certify it before the administration sees it."
            )
            % {"v": result.version},
        )
        return redirect("portal:submission", pk=result.pk)
    messages.success(
        request,
        _("The ledger is stored: %(added)d complaints added, %(updated)d updated, %(unchanged)d unchanged.")
        % {
            "added": result.rows_added,
            "updated": result.rows_updated,
            "unchanged": result.rows_unchanged,
        },
    )
    return redirect("portal:submissions")


@operator_required
def upload_detail(request, pk):
    upload = get_object_or_404(PendingUpload.objects.visible_to(request.user).select_related("period"), pk=pk)
    if upload.state == UploadState.CONFIRMED and upload.submission_id:
        return redirect("portal:submission", pk=upload.submission_id)
    explanations = {}
    error = None
    if request.method == "POST" and upload.state == UploadState.CHECKED:
        if "discard" in request.POST:
            uploads.discard(upload)
            messages.info(request, _("The upload was discarded; nothing was stored."))
            return redirect("portal:submissions")
        explanations = {i: request.POST.get(f"explain-{i}", "") for i, _p in uploads.warnings_of(upload)}
        # One explanation for the warnings ticked, given with any button.
        selected = {int(v) for v in request.POST.getlist("select") if v.isdigit()}
        explanations = uploads.explain_selected(upload, explanations, selected, request.POST.get("bulk", ""))
        if "reuse" in request.POST:
            explanations = uploads.reuse_last_explanations(upload, explanations)
        if "apply" in request.POST or "reuse" in request.POST:
            # "Explain the ticked warnings" or "Use last month's explanations": the page again,
            # with the explanations filled in, to read before confirming.
            messages.info(request, _("The explanations are filled in: read them, then confirm."))
        else:
            try:
                result = uploads.confirm(upload, user=request.user, explanations=explanations)
            except (uploads.UploadRefused, submissions.SubmissionRefused) as refused:
                error = str(refused)
            else:
                return _stored(request, upload, result)
    last = uploads.last_explanations(upload) if upload.state == UploadState.CHECKED else {}
    problems = uploads.problem_rows(upload, explanations, last)
    return render(
        request,
        "portal/upload_detail.html",
        {
            "upload": upload,
            "has_errors": uploads.has_errors(upload),
            "problems": problems,
            "warnings": sum(p["kind"] == "warning" for p in problems),
            "has_last": bool(last),
            "figures": uploads.preview_figures(upload),
            "accepted_changes": uploads.accepted_changes(upload),
            "error": error,
        },
    )


@operator_required
def upload_status(request, pk):
    upload = get_object_or_404(PendingUpload.objects.visible_to(request.user), pk=pk)
    return JsonResponse({"state": upload.state, "progress": upload.progress})


@operator_required
def submission_detail(request, pk):
    submission = get_object_or_404(MonthlySubmission.objects.visible_to(request.user), pk=pk)
    context = submission_context(submission, request.user)
    context["attestation"] = submissions.attestation(submission.operator)
    return render(request, "portal/submission_detail.html", context)


@operator_manager_required
@require_POST
def submission_certify(request, pk):
    submission = get_object_or_404(MonthlySubmission.objects.visible_to(request.user), pk=pk)
    try:
        # The manager ticked the attestation (``submissions.attestation``) beside the button.
        submissions.certify(submission, manager=request.user, attested=request.POST.get("attested") == "1")
    except submissions.SubmissionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, _("Certified. The administration now sees this report; download the receipt below.")
        )
    return redirect("portal:submission", pk=pk)


@operator_required
def submission_receipt(request, pk):
    submission = get_object_or_404(
        MonthlySubmission.objects.visible_to(request.user).exclude(receipt_no=None), pk=pk
    )
    if request.GET.get("format") == "pdf":
        response = HttpResponse(receipt_pdf(submission), content_type="application/pdf")
        name = f"回执-{submission.receipt_no}.pdf"
    else:
        response = HttpResponse(receipt_text(submission), content_type="text/plain; charset=utf-8")
        name = f"回执-{submission.receipt_no}.txt"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@operator_required
def submission_file(request, pk, file_pk):
    submission = get_object_or_404(MonthlySubmission.objects.visible_to(request.user), pk=pk)
    return file_response(get_object_or_404(submission.files, pk=file_pk), user=request.user)


@operator_required
def submission_compare(request, pk, other_pk):
    visible = MonthlySubmission.objects.visible_to(request.user)
    return render(request, "portal/submission_compare.html", compare_context(visible, pk, other_pk))


@operator_required
def template_download(request, kind):
    if kind not in ("monthly", "ledger"):
        raise Http404
    period = Period.last_complete()
    data = build_template(kind, operator=request.operator, period=period)
    names = {
        "monthly": f"携号转网月报-{request.operator.code}-{period.label}.xlsx",
        "ledger": f"携号转网投诉台账-{request.operator.code}.xlsx",
    }
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, names[kind])
    return response


@operator_required
def checks(request):
    return render(request, "portal/checks.html", {"checks": CHECKS})


@operator_required
def incident_list(request):
    rows = list(Incident.objects.visible_to(request.user).select_related("city"))
    for incident in rows:
        incident.age = incidents.age_text(incident)
    return render(request, "portal/incidents.html", {"incidents": rows})


@operator_required
def incident_new(request):
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        incident = incidents.report(form.save(commit=False), operator=request.operator, user=request.user)
        messages.success(request, _("The major problem is reported; the administration has been notified."))
        return redirect("portal:incident", incident.pk)
    return render(request, "portal/incident_form.html", {"form": form})


def _incident(request, pk) -> Incident:
    # Another operator's major problem is a 404 (visible_to).
    rows = Incident.objects.visible_to(request.user).select_related(
        "operator", "city", "reported_by", "closed_by"
    )
    return get_object_or_404(rows, pk=pk)


def _incident_page(request, incident, *, status=200, refusal=None, **forms):
    context = {
        **incidents.page_context(incident, request.user),
        "refusal": refusal,
        "follow_up_form": forms.get("follow_up_form") or IncidentFollowUpForm(prefix="follow_up"),
        "recovery_form": forms.get("recovery_form") or IncidentRecoveryForm(prefix="recovery"),
    }
    return render(request, "portal/incident_detail.html", context, status=status)


@operator_required
def incident_detail(request, pk):
    return _incident_page(request, _incident(request, pk))


def _incident_step(request, pk, form, prefix, act, success):
    """A follow-up or the recovery, posted from the page: done, or the page again with why not."""
    incident = _incident(request, pk)
    refusal = None
    if form.is_valid():
        try:
            act(incident, form.cleaned_data)
        except Refused as refused:
            refusal = str(refused)
        else:
            messages.success(request, success)
            return redirect("portal:incident", pk)
    return _incident_page(request, incident, status=400, refusal=refusal, **{f"{prefix}_form": form})


@operator_required
@require_POST
def incident_follow_up(request, pk):
    return _incident_step(
        request,
        pk,
        IncidentFollowUpForm(request.POST, prefix="follow_up"),
        "follow_up",
        lambda incident, data: incidents.follow_up(incident, user=request.user, text=data["text"]),
        _("The follow-up report is sent; the administration sees it on the major problem's page."),
    )


@operator_required
@require_POST
def incident_recover(request, pk):
    return _incident_step(
        request,
        pk,
        IncidentRecoveryForm(request.POST, prefix="recovery"),
        "recovery",
        lambda incident, data: incidents.recover(
            incident,
            user=request.user,
            recovered_at=data["recovered_at"],
            cause=data["cause"],
            measures=data["measures"],
        ),
        _("The recovery is reported; the administration will review it and close the major problem."),
    )
