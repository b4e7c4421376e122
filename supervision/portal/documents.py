"""The operator's official documents in its portal: circulated briefings, its orders and notices.

A briefing is addressed to every operator: each portal lists it, with its .docx and PDF, from
the moment it is circulated and never before (a draft or a merely approved briefing is a 404).
The operator's rectification orders and interview notices come through ``visible_to``: its own,
once issued; another operator's is a 404. The first download of a briefing by each user of an
operator is noted (``briefings.services.record_download``) for the briefing's page.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from supervision.briefings import content, documents, services
from supervision.casework.models import InterviewNotice, RectificationOrder
from supervision.core.permissions import operator_required

DOWNLOADS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# The most documents of each kind listed; the orders' and interviews' own pages list them all.
LIMIT = 50


@operator_required
def document_list(request):
    user = request.user
    briefings = list(services.circulated().order_by("-circulated_at", "-pk")[:LIMIT])
    for briefing in briefings:
        briefing.title = content.title(briefing.period.label)
    orders = (
        RectificationOrder.objects.visible_to(user)
        .filter(issued_at__isnull=False)
        .order_by("-issued_at", "-pk")[:LIMIT]
    )
    interviews = (
        InterviewNotice.objects.visible_to(user)
        .filter(issued_at__isnull=False)
        .order_by("-issued_at", "-pk")[:LIMIT]
    )
    return render(
        request,
        "portal/documents.html",
        {"briefings": briefings, "orders": orders, "interviews": interviews},
    )


@operator_required
def briefing_download(request, pk, kind):
    """The stored file of a circulated briefing; anything else is a 404."""
    if kind not in DOWNLOADS:
        raise Http404
    briefing = get_object_or_404(services.circulated(), pk=pk)
    stored = briefing.docx_file if kind == "docx" else briefing.pdf_file
    if not stored:
        raise Http404
    services.record_download(briefing, request.user, kind)
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=documents.file_name(briefing, kind),
        content_type=DOWNLOADS[kind],
    )
