"""The administration's pages of a major problem (重大问题): its facts and timeline, and the staff's
review: ask the operator for more information (需补充), or close it (已结案). The list is the
dashboard's list (``lists.incidents``). Views only: each change calls ``reporting.incidents``,
whose ``ACTIONS`` table also decides which forms the page offers; leadership reads.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supervision.core.actions import Refused
from supervision.core.permissions import regulator_required, regulator_staff_required
from supervision.reporting import incidents
from supervision.reporting.models import Incident

from .forms.reporting import IncidentAskMoreForm, IncidentCloseForm


def _incident(request, pk) -> Incident:
    rows = Incident.objects.visible_to(request.user).select_related(
        "operator", "city", "reported_by", "closed_by"
    )
    return get_object_or_404(rows, pk=pk)


def _page(request, incident, *, status=200, refusal=None, **forms):
    context = {
        **incidents.page_context(incident, request.user),
        "refusal": refusal,
        "ask_more_form": forms.get("ask_more_form") or IncidentAskMoreForm(prefix="ask_more"),
        "close_form": forms.get("close_form") or IncidentCloseForm(prefix="close"),
    }
    return render(request, "control/incident_detail.html", context, status=status)


@regulator_required
def incident_detail(request, pk):
    return _page(request, _incident(request, pk))


def _review(request, pk, form_class, prefix, service, success):
    incident = _incident(request, pk)
    form = form_class(request.POST, prefix=prefix)
    refusal = None
    if form.is_valid():
        try:
            service(incident, user=request.user, text=form.cleaned_data["text"])
        except Refused as refused:
            refusal = str(refused)
        else:
            messages.success(request, success)
            return redirect("control:incident", pk)
    return _page(request, incident, status=400, refusal=refusal, **{f"{prefix}_form": form})


@regulator_staff_required
@require_POST
def incident_ask_more(request, pk):
    return _review(
        request,
        pk,
        IncidentAskMoreForm,
        "ask_more",
        incidents.ask_more,
        _("The operator is asked for more information and reminded until it answers."),
    )


@regulator_staff_required
@require_POST
def incident_close(request, pk):
    return _review(
        request, pk, IncidentCloseForm, "close", incidents.close, _("The major problem is closed.")
    )
