"""The monthly briefing's URLs in the permission matrix (merged by tests/test_permissions.py).

A draft briefing of October 2026: the administration reads it (staff and leadership alike);
operators never reach the briefing's pages, they receive it by e-mail. Every change is a POST
(a GET answers 405); drafting, editing, correcting and circulating are the staff's, approving
is leadership's (a staff POST is refused with 403: tests/briefings).
"""

from supervision.briefings import content
from supervision.briefings.models import Briefing
from supervision.core.models import Period


def objects(objs):
    period = Period.objects.from_label("2026-10")
    return {"briefing": Briefing.objects.create(period=period, **content.default_texts(period.label))}


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
