"""The monthly briefing in the administration's face: draft, edit, approve, circulate, correct.

Views only: every change goes through ``briefings.services``, which says no (``BriefingRefused``)
when the state or the role does not allow it; the page shows why. Staff draft, edit, correct and
circulate; leadership approves (and reads everything).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supervision.briefings import charts, delivery, documents, services
from supervision.briefings.models import Briefing
from supervision.core import actions, distribution
from supervision.core.models import Period
from supervision.core.permissions import regulator_required, regulator_staff_required

from .forms.briefings import TextsForm
from .views import month_choices

DOWNLOADS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _briefing(pk) -> Briefing:
    return get_object_or_404(Briefing.objects.select_related("period", "corrects"), pk=pk)


def _refused(request, refused: services.BriefingRefused, pk):
    messages.error(request, str(refused))
    return redirect("control:briefing", pk=pk)


@regulator_required
def briefing_list(request):
    briefings = Briefing.objects.select_related("period").order_by("-period__month", "-version")
    last = Period.last_complete()
    return render(
        request,
        "control/briefings/list.html",
        {
            "briefings": briefings,
            "months": month_choices(last, 24),
            "period": last,
            "allowed": actions.allowed(services.MONTH_ACTIONS, last, request.user),
        },
    )


@regulator_staff_required
@require_POST
def briefing_create(request):
    try:
        period = Period.objects.from_label(request.POST.get("month", ""))
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("control:briefings")
    try:
        briefing = services.start(period, user=request.user)
    except services.BriefingRefused as refused:
        messages.error(request, str(refused))
        return redirect("control:briefings")
    messages.success(
        request, _("The briefing of %(month)s is drafted from the figures.") % {"month": period.label}
    )
    return redirect("control:briefing", pk=briefing.pk)


@regulator_required
def briefing_detail(request, pk):
    briefing = _briefing(pk)
    return _detail(request, briefing, TextsForm(instance=briefing))


def _detail(request, briefing, form, status=200):
    composition = services.compose(briefing)
    versions = Briefing.objects.filter(period=briefing.period).order_by("version")
    addressees = delivery.for_briefing(briefing)
    nobody = [a.operator for a in addressees if a.empty]
    return render(
        request,
        "control/briefings/detail.html",
        {
            "briefing": briefing,
            "composition": composition,
            "form": form,
            "versions": versions,
            "is_latest": versions.last() == briefing,
            # Per addressee: who will receive it (before circulation) or who did, and whether the
            # operator has downloaded it (after).
            "addressees": addressees,
            "nobody": nobody,
            "nobody_names": distribution.names(nobody),
            # What the user may do to this briefing now (``services.ACTIONS``): the page's buttons.
            "allowed": actions.allowed(services.ACTIONS, briefing, request.user),
        },
        status=status,
    )


@regulator_staff_required
@require_POST
def briefing_edit(request, pk):
    briefing = _briefing(pk)
    form = TextsForm(request.POST, instance=Briefing.objects.get(pk=pk))
    if not form.is_valid():
        return _detail(request, briefing, form, status=400)
    try:
        services.edit(
            briefing, user=request.user, **{name: form.cleaned_data[name] for name in services.TEXT_FIELDS}
        )
    except services.BriefingRefused as refused:
        return _refused(request, refused, pk)
    messages.success(request, _("The texts are saved."))
    return redirect("control:briefing", pk=pk)


@regulator_required(leader_may_write=True)
@require_POST
def briefing_approve(request, pk):
    # Leadership approves; the staff who drafted it may not sign it off themselves.
    if not request.user.is_leader:
        raise PermissionDenied
    briefing = _briefing(pk)
    try:
        briefing = services.approve(briefing, user=request.user)
    except services.BriefingRefused as refused:
        return _refused(request, refused, pk)
    messages.success(
        request,
        _("The briefing is approved as %(number)s; it can no longer change.")
        % {"number": briefing.document_no},
    )
    return redirect("control:briefing", pk=pk)


@regulator_staff_required
@require_POST
def briefing_circulate(request, pk):
    briefing = _briefing(pk)
    try:
        # The operators the page listed as having nobody to receive it, which the user confirmed.
        services.circulate(briefing, user=request.user, without=request.POST.getlist("without"))
    except services.BriefingRefused as refused:
        return _refused(request, refused, pk)
    messages.success(
        request,
        _(
            "The briefing is circulated: it is being e-mailed to each operator's recipients and every "
            "operator can download it in the portal."
        ),
    )
    return redirect("control:briefing", pk=pk)


@regulator_staff_required
@require_POST
def briefing_correct(request, pk):
    briefing = _briefing(pk)
    try:
        correction = services.correct(briefing, user=request.user)
    except services.BriefingRefused as refused:
        return _refused(request, refused, pk)
    messages.success(
        request,
        _("Version %(version)s is drafted from version %(old)s: edit it, then have it approved.")
        % {"version": correction.version, "old": briefing.version},
    )
    return redirect("control:briefing", pk=correction.pk)


@regulator_required
def briefing_download(request, pk, kind):
    """The stored file of an approved briefing; a draft's, made now."""
    if kind not in DOWNLOADS:
        raise Http404
    briefing = _briefing(pk)
    name = documents.file_name(briefing, kind)
    stored = briefing.docx_file if kind == "docx" else briefing.pdf_file
    if stored:
        return FileResponse(
            stored.open("rb"), as_attachment=True, filename=name, content_type=DOWNLOADS[kind]
        )
    response = HttpResponse(services.render(briefing, kinds=[kind])[kind], content_type=DOWNLOADS[kind])
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@regulator_required
def briefing_chart(request, pk, key):
    """One of the briefing's charts as PNG, for the page."""
    if key not in charts.KEYS:
        raise Http404
    briefing = _briefing(pk)
    png = charts.render(key, services.current_figures(briefing))
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response
