"""Leadership's instructions (批示) on the dashboard's pages: give one, acknowledge one.

The rules are ``core.instructions``'; these two buttons call it and go back to the object's page.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supervision.core import instructions
from supervision.core.actions import attempt, form_errors
from supervision.core.models import Instruction
from supervision.core.permissions import regulator_required, regulator_staff_required

from .forms.instructions import InstructionForm


@regulator_required(leader_may_write=True)
@require_POST
def instruction_give(request, kind, pk):
    target = instructions.target(kind)
    if target is None:
        raise Http404
    obj = get_object_or_404(target.model.objects.all(), pk=pk)
    form = InstructionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        attempt(
            request,
            lambda: instructions.give(obj, user=request.user, text=form.cleaned_data["text"]),
            _("Your instruction was recorded; the administration's staff see it in their work queue."),
        )
    return redirect(target.url_name, pk)


@regulator_staff_required
@require_POST
def instruction_acknowledge(request, pk):
    instruction = get_object_or_404(Instruction, pk=pk)
    attempt(
        request,
        lambda: instructions.acknowledge(instruction, user=request.user),
        _("Instruction acknowledged."),
    )
    return redirect(instructions.object_url(instruction) or "control:home")
