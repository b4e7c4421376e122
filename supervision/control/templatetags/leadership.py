"""``{% instructions_of obj %}``: leadership's instructions (批示) on an object's dashboard page,
with the form for a leader and the acknowledge button for the staff (one query)."""

from django import template

from supervision.core import instructions

from ..forms.instructions import InstructionForm

register = template.Library()


@register.inclusion_tag("control/includes/instructions.html", takes_context=True)
def instructions_of(context, obj):
    user = context["request"].user
    kind = instructions.kind_of(obj)
    return {
        "csrf_token": context.get("csrf_token"),
        "kind": kind,
        "obj": obj,
        "instructions": list(instructions.on(obj)) if kind else [],
        "may_give": kind is not None and instructions.may_give(user),
        "may_acknowledge": instructions.may_acknowledge(user),
        "form": InstructionForm(),
    }
