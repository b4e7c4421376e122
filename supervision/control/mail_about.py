"""What each mail on the mail log is about: the object's title, linked to its page.

An occasion's key names its object (``order:12:issued``, ``meeting:7:2026-12-03``,
``report:CMCC:2026-10``; ``reminders.outbox``). The objects of a page of the log are fetched kind
by kind, one query for all its orders, one for all its meetings and so on, never one per row. A
key of a kind not named here, or whose object is gone, shows as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from supervision.briefings.models import Briefing
from supervision.casework.models import Commitment, InspectionFinding, InterviewNotice, RectificationOrder
from supervision.core.dates import local_date
from supervision.core.models import Operator, User
from supervision.meetings.models import ActionItem, Meeting
from supervision.reporting.models import Incident, MonthlySubmission


@dataclass(frozen=True)
class About:
    kind: object  # what sort of thing it is (a lazy translation)
    title: str
    url: str | None


def _url(name: str, *args, anchor: str = "") -> str | None:
    try:
        return reverse(name, args=args) + anchor
    except NoReverseMatch:
        return None


def _order(order: RectificationOrder) -> About:
    title = f"{order.document_no} {order.title}" if order.document_no else order.title
    return About(_("Rectification order"), title, _url("control:order", order.pk))


def _finding(finding: InspectionFinding) -> About:
    title = f"{finding.operator.short_name} {finding.visit_date:%Y-%m-%d} {finding.scenario}"
    return About(_("Finding"), title, _url("control:finding", finding.pk))


def _interview(notice: InterviewNotice) -> About:
    when = f"{local_date(notice.scheduled_at):%Y-%m-%d}"
    title = " ".join(part for part in (notice.document_no, notice.operator.short_name, when) if part)
    return About(_("Interview"), title, _url("control:interview", notice.pk))


def _commitment(commitment: Commitment) -> About:
    url = _url("control:interview", commitment.interview_id, anchor="#commitments")
    return About(_("Commitment"), commitment.text[:80], url)


def _meeting(meeting: Meeting) -> About:
    return About(_("Meeting"), str(meeting), _url("control:meeting", meeting.pk))


def _action(item: ActionItem) -> About:
    return About(_("Action item"), item.title, _url("control:meeting", item.meeting_id))


def _briefing(briefing: Briefing) -> About:
    return About(_("Briefing"), f"{briefing} {briefing.period.label}", _url("control:briefing", briefing.pk))


def _submission(submission: MonthlySubmission) -> About:
    title = f"{submission.operator.short_name} {submission.period.label} v{submission.version}"
    return About(_("Monthly report"), title, _url("control:submission", submission.pk))


def _incident(incident: Incident) -> About:
    title = f"{incident.operator.short_name} {incident.title}"
    return About(_("Major problem"), title, _url("control:incident", incident.pk))


def _digest(user: User) -> About:
    return About(_("Morning digest"), str(user), None)


# kind → (rows of that kind, their titles); rows are fetched by primary key, all at once.
BY_PK: dict[str, tuple[Callable[[], object], Callable[[object], About]]] = {
    "order": (lambda: RectificationOrder.objects.all(), _order),
    "finding": (lambda: InspectionFinding.objects.select_related("operator"), _finding),
    "interview": (lambda: InterviewNotice.objects.select_related("operator"), _interview),
    "commitment": (lambda: Commitment.objects.all(), _commitment),
    "meeting": (lambda: Meeting.objects.select_related("series"), _meeting),
    "action": (lambda: ActionItem.objects.all(), _action),
    "briefing": (lambda: Briefing.objects.select_related("period"), _briefing),
    "submission": (lambda: MonthlySubmission.objects.select_related("operator", "period"), _submission),
    "incident": (lambda: Incident.objects.select_related("operator"), _incident),
    "digest": (lambda: User.objects.all(), _digest),
}


def _keyed(keys: Iterable[str]) -> dict[str, About]:
    """The objects of ``keys`` (``kind:pk:…``) of the kinds in ``BY_PK``, by ``kind:pk``."""
    wanted: dict[str, set[int]] = {}
    for key in keys:
        kind, _sep, rest = key.partition(":")
        pk = rest.partition(":")[0]
        if kind in BY_PK and pk.isdigit():
            wanted.setdefault(kind, set()).add(int(pk))
    found = {}
    for kind, pks in wanted.items():
        rows, describe = BY_PK[kind]
        for row in rows().filter(pk__in=pks):
            found[f"{kind}:{row.pk}"] = describe(row)
    return found


def _reports(keys: Iterable[str]) -> dict[str, About]:
    """``report:CMCC:2026-10`` (a month's report reminder) and ``late-reports:2026-W48``."""
    found = {}
    codes = {key.split(":")[1] for key in keys if key.startswith("report:") and key.count(":") >= 2}
    names = {op.code: op.short_name for op in Operator.objects.filter(code__in=codes)} if codes else {}
    for key in keys:
        kind, _sep, rest = key.partition(":")
        if kind == "report":
            code, _sep, month = rest.partition(":")
            title = f"{names.get(code, code)} {month}"
            found[key] = About(_("Monthly report"), title, _url("control:reporting"))
        elif kind == "late-reports":
            found[key] = About(_("Late reports"), rest, _url("control:reporting"))
    return found


def describe(occasions: Iterable) -> None:
    """Put ``about`` (an ``About``, or None when unknown) on each of ``occasions``: one query per
    kind of object among them."""
    occasions = list(occasions)
    keys = {o.object_key for o in occasions}
    by_object = _keyed(keys)
    by_key = _reports(keys)
    for occasion in occasions:
        key = occasion.object_key
        kind, _sep, rest = key.partition(":")
        occasion.about = by_key.get(key) or by_object.get(f"{kind}:{rest.partition(':')[0]}")
