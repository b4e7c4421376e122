"""What both faces do alike on a case page; each face only adds its permission and namespace."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import comments
from .forms import CommentForm
from .models import InspectionFinding, InterviewNotice, RectificationOrder
from .rules import TransitionRefused

CASES = {"finding": InspectionFinding, "order": RectificationOrder, "interview": InterviewNotice}


def form_errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def post_comment(request, kind, pk, *, namespace):
    """Add a comment to a case the user can see (another operator's case is a 404)."""
    model = CASES.get(kind)
    if model is None:
        raise Http404
    case = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        try:
            comments.add_comment(case, user=request.user, text=form.cleaned_data["text"])
        except TransitionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The comment is on the timeline."))
    return redirect(reverse(f"{namespace}:{kind}", args=[pk]) + "#timeline")
