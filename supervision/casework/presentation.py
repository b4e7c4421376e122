"""What both faces do alike on a case page; each face only adds its permission and namespace.

Every change goes through one service of ``supervision.casework``; its refusal
(``TransitionRefused``) is shown as it is: an error message after a button, the page again with
the refusal after a form posted from a case's page, a form error on a form page of its own.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from supervision.core import access
from supervision.core.actions import attempt, form_errors, post_action  # noqa: F401 — the faces use them from here
from supervision.core.models import PersonalDataUse

from . import comments, documents
from .forms import CommentForm
from .models import CaseFile, InspectionFinding, InterviewNotice, RectificationOrder
from .rules import TransitionRefused

CASES = {"finding": InspectionFinding, "order": RectificationOrder, "interview": InterviewNotice}


def files_with_uploader():
    """Each file names who uploaded it: fetched with the files, in one query whatever their number."""
    return Prefetch("files", queryset=CaseFile.objects.select_related("uploaded_by"))


def record_order_document(user, order: RectificationOrder, fmt: str) -> None:
    """An order's document quotes each complaint it cites (its number and text): its download is
    recorded in the personal-data access log (``core.access``) when it cites any."""
    cited = order.complaints.count()
    if cited:
        access.record(
            user,
            PersonalDataUse.ORDER_DOCUMENT,
            filters={"operator": order.operator.code, "format": fmt},
            rows=cited,
            object_id=order.pk,
        )


def download(data: bytes, name: str, content_type: str = documents.DOCX_TYPE) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def document_format(request) -> str:
    """The file an official document is asked for in: ``?format=pdf``, else the .docx."""
    return "pdf" if request.GET.get("format") == "pdf" else "docx"


def document_download(request, letter: documents.Letter, stem: str) -> HttpResponse:
    """An order or interview notice as the file asked for (``document_format``), named ``stem``."""
    if document_format(request) == "pdf":
        return download(documents.render_pdf(letter), f"{stem}.pdf", documents.PDF_TYPE)
    return download(documents.render_docx(letter), f"{stem}.docx", documents.DOCX_TYPE)


def post_form(request, form, act, success, redirect_to: str, page):
    """A form posted from a case's page. Valid, ``act(cleaned_data)`` calls the service and, once
    done, the user goes to ``redirect_to`` with ``success`` (a text, or a function of what the
    service returned). Otherwise the page comes again, ``page(status=400, refusal=…)``, with the
    form's errors or the refusal.
    """
    refusal = None
    if form.is_valid():
        try:
            done = act(form.cleaned_data)
        except TransitionRefused as refused:
            refusal = str(refused)
        else:
            messages.success(request, success(done) if callable(success) else success)
            return redirect(redirect_to)
    return page(status=400, refusal=refusal)


def save_form(request, form, act, success: str | None, redirect_to):
    """A form page that creates or edits a case: on a valid POST, ``act(cleaned_data)`` calls the
    service; a refusal becomes an error of the form. Returns the redirect to ``redirect_to`` (a URL,
    or a function of what the service returned) once saved, else None: the form page is shown again.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = act(form.cleaned_data)
    except TransitionRefused as refused:
        form.add_error(None, str(refused))
        return None
    if success:
        messages.success(request, success)
    return redirect(redirect_to(saved) if callable(redirect_to) else redirect_to)


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
