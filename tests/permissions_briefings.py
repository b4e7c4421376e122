"""The monthly briefing's URLs in the permission matrix (merged by tests/test_permissions.py).

A draft briefing of October 2026: the administration reads it (staff and leadership alike);
operators never reach the briefing's pages, they receive it by e-mail and download a circulated
one (September's) from their portal's official documents. Every change is a POST
(a GET answers 405); drafting, editing, correcting and circulating are the staff's, approving
is leadership's (a staff POST is refused with 403: tests/briefings).
"""

from django.core.files.base import ContentFile
from django.utils import timezone

from supervision.briefings import content
from supervision.briefings.models import Briefing, BriefingState
from supervision.core.models import Period


def objects(objs):
    period = Period.objects.from_label("2026-10")
    # September's, circulated with its files: what an operator downloads in its portal.
    september = Period.objects.from_label("2026-09")
    circulated = Briefing(
        period=september,
        state=BriefingState.CIRCULATED,
        document_no="鲁通管通〔2026〕9号",
        circulated_at=timezone.now(),
        **content.default_texts(september.label),
    )
    circulated.docx_file.save("briefing.docx", ContentFile(b"PK docx"), save=False)
    circulated.pdf_file.save("briefing.pdf", ContentFile(b"%PDF pdf"), save=False)
    circulated.save()
    return {
        "briefing": Briefing.objects.create(period=period, **content.default_texts(period.label)),
        "circulated_briefing": circulated,
    }


def _pk(objs):
    return {"pk": objs["briefing"].pk}


URL_KWARGS = {
    "control:briefing": _pk,
    "control:briefing_edit": _pk,
    "control:briefing_approve": _pk,
    "control:briefing_circulate": _pk,
    "control:briefing_correct": _pk,
    "control:briefing_download": lambda objs: {"pk": objs["briefing"].pk, "kind": "docx"},
    "control:briefing_chart": lambda objs: {"pk": objs["briefing"].pk, "key": "categories"},
    "portal:briefing_download": lambda objs: {"pk": objs["circulated_briefing"].pk, "kind": "pdf"},
}
POST_ONLY = {
    "control:briefing_create",
    "control:briefing_edit",
    "control:briefing_approve",
    "control:briefing_circulate",
    "control:briefing_correct",
}
REGULATOR_STAFF_ONLY = {
    "control:briefing_create",
    "control:briefing_edit",
    "control:briefing_circulate",
    "control:briefing_correct",
}
