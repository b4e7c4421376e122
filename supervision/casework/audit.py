"""The audit trail: every change django-simple-history recorded on the casework models and the
operators' task forces, with the fields each change touched, and every audit entry the other apps'
services wrote (``core.audit.log``: a meeting's agenda published, a briefing approved), newest
first. Read-only.

Rows from the several history tables are merged in the order (when, table, id) and paged with a
cursor on that order, so a page costs two queries per table whatever the number of changes,
and rows recorded at the same instant (an imported batch) are neither lost nor repeated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from supervision.core import audit as entries
from supervision.core import dates
from supervision.core.models import AuditEntry, TaskForceMember
from supervision.reporting.models import ReportingDecision

from .models import (
    CaseFile,
    Commitment,
    ExtensionRequest,
    FindingResponse,
    InspectionFinding,
    InterviewNotice,
    NoticeRecord,
    RectificationOrder,
    RectificationReport,
)

AUDITED = [
    InspectionFinding,
    FindingResponse,
    RectificationOrder,
    ExtensionRequest,
    RectificationReport,
    InterviewNotice,
    Commitment,
    NoticeRecord,
    CaseFile,
    TaskForceMember,
    # Locks, unlocks, acceptances and returns of monthly reports, and per-operator reopenings.
    ReportingDecision,
]
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
PER_PAGE = 50
VALUE_LENGTH = 80


def _logged_models() -> dict[str, type]:
    """The models whose services write audit entries, by model name (``core.audit.register``)."""
    return {a.model._meta.model_name: a.model for a in entries.registered() if a.model not in AUDITED}


def model_choices() -> list[tuple[str, str]]:
    models = AUDITED + list(_logged_models().values())
    return [(m._meta.model_name, capfirst(m._meta.verbose_name)) for m in models]


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Row:
    at: dt.datetime
    user: object
    model: type
    object_id: int
    label: str
    action: str
    kind: str
    changes: list[Change]
    url: str | None
    reason: str
    cursor: str

    @property
    def order(self) -> tuple:
        """The trail's order: (when, table, id), as in the cursor."""
        _when, index, row_id = self.cursor.split("|")
        return (self.at, int(index), int(row_id))

    @property
    def model_name(self) -> str:
        return capfirst(self.model._meta.verbose_name)


def _case_url(model, record) -> str | None:
    """The page of the case a history row belongs to."""
    if model is InspectionFinding:
        return reverse("control:finding", args=[record.id])
    if model is RectificationOrder:
        return reverse("control:order", args=[record.id])
    if model is InterviewNotice:
        return reverse("control:interview", args=[record.id])
    if model is NoticeRecord:
        return reverse("control:record", args=[record.id])
    if model is FindingResponse and record.finding_id:
        return reverse("control:finding", args=[record.finding_id])
    if model in (ExtensionRequest, RectificationReport) and record.order_id:
        return reverse("control:order", args=[record.order_id])
    if model is Commitment and record.interview_id:
        return reverse("control:interview", args=[record.interview_id])
    if model is CaseFile:
        for field, name in (
            ("finding_id", "control:finding"),
            ("order_id", "control:order"),
            ("interview_id", "control:interview"),
            ("record_id", "control:record"),
        ):
            if getattr(record, field, None):
                return reverse(name, args=[getattr(record, field)])
    if model is TaskForceMember:
        return reverse("control:task_forces")
    if model is ReportingDecision:
        if record.submission_id:
            return reverse("control:submission", args=[record.submission_id])
        return reverse("control:reporting")
    return None


def _shown(field, value, related: dict) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        value = dict(field.flatchoices).get(value, value)
    elif field.is_relation:
        value = related.get((field.related_model, value), f"#{value}")
    if isinstance(value, bool):
        value = _("yes") if value else _("no")
    text = str(value)
    if isinstance(value, dt.datetime):
        text = dates.moment_label(value)
    return text if len(text) <= VALUE_LENGTH else text[: VALUE_LENGTH - 1] + "…"


def _cursor_q(
    before: tuple[dt.datetime, int, int] | None, index: int, when_field="history_date", id_field="history_id"
) -> Q:
    if before is None:
        return Q()
    when, model_index, row_id = before
    q = Q(**{f"{when_field}__lt": when})
    if index < model_index:
        q |= Q(**{when_field: when})
    elif index == model_index:
        q |= Q(**{when_field: when, f"{id_field}__lt": row_id})
    return q


def parse_cursor(text: str | None) -> tuple[dt.datetime, int, int] | None:
    try:
        when, model_index, history_id = (text or "").split("|")
        moment = parse_datetime(when)
        return (moment, int(model_index), int(history_id)) if moment else None
    except ValueError:
        return None


def page(
    *,
    model_name: str = "",
    user_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    before=None,
):
    """One page of the trail: (rows, cursor of the next page or None)."""
    fetched = []
    for index, model in enumerate(AUDITED):
        if model_name and model._meta.model_name != model_name:
            continue
        history = model.history.model
        rows = history.objects.filter(_cursor_q(before, index))
        if user_id:
            rows = rows.filter(history_user_id=user_id)
        if since:
            rows = rows.filter(history_date__date__gte=since)
        if until:
            rows = rows.filter(history_date__date__lte=until)
        previous = history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by(
            "-history_id"
        )
        rows = rows.select_related("history_user").annotate(
            previous_id=Subquery(previous.values("history_id")[:1])
        )
        for record in rows.order_by("-history_date", "-history_id")[: PER_PAGE + 1]:
            fetched.append((record.history_date, index, record.history_id, model, record))
    logged = _logged_models()
    if not model_name or model_name in logged:
        # The audit entries come after the history tables in the cursor's order.
        entry_rows = AuditEntry.objects.filter(_cursor_q(before, len(AUDITED), "at", "id"))
        if model_name:
            entry_rows = entry_rows.filter(content_type=ContentType.objects.get_for_model(logged[model_name]))
        if user_id:
            entry_rows = entry_rows.filter(user_id=user_id)
        if since:
            entry_rows = entry_rows.filter(at__date__gte=since)
        if until:
            entry_rows = entry_rows.filter(at__date__lte=until)
        for entry in entry_rows.select_related("user", "content_type").order_by("-at", "-id")[: PER_PAGE + 1]:
            fetched.append((entry.at, len(AUDITED), entry.id, AuditEntry, entry))
    fetched.sort(key=lambda item: item[:3], reverse=True)
    more = len(fetched) > PER_PAGE
    fetched = fetched[:PER_PAGE]
    logged_entries = [item for item in fetched if item[3] is AuditEntry]
    fetched = [item for item in fetched if item[3] is not AuditEntry]

    # The previous version of each row, one query per table, to tell what changed.
    previous_of = {}
    for model in {item[3] for item in fetched}:
        ids = [item[4].previous_id for item in fetched if item[3] is model and item[4].previous_id]
        for old in model.history.model.objects.filter(history_id__in=ids):
            previous_of[(model, old.history_id)] = old

    # Names of the rows the changed foreign keys point to, one query per related table.
    wanted: dict[type, set] = {}
    diffs = []
    for _when, _index, _hid, model, record in fetched:
        old = previous_of.get((model, record.previous_id))
        fields = [f for f in model.history.model.tracked_fields if f.name not in ("id", "created_at")]
        changed = []
        for field in fields:
            new_value = getattr(record, field.attname)
            old_value = getattr(old, field.attname) if old is not None else None
            if old is not None and new_value == old_value:
                continue
            if old is None and new_value in (None, ""):
                continue
            changed.append((field, old_value, new_value))
            if field.is_relation:
                wanted.setdefault(field.related_model, set()).update(v for v in (old_value, new_value) if v)
        diffs.append(changed)
    related = {}
    for related_model, pks in wanted.items():
        rows = related_model._default_manager.filter(pk__in=pks)
        if any(f.name == "operator" for f in related_model._meta.get_fields()):
            rows = rows.select_related("operator")  # some rows are named after their operator
        for obj in rows:
            related[(related_model, obj.pk)] = str(obj)

    result = [_entry_row(entry, when, index) for when, index, _id, _model, entry in logged_entries]
    for (when, index, history_id, model, record), changed in zip(fetched, diffs, strict=True):
        result.append(
            Row(
                at=when,
                user=record.history_user,
                model=model,
                object_id=record.id,
                label=_label(model, record),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                kind=record.history_type,
                changes=[
                    Change(
                        str(capfirst(field.verbose_name)),
                        _shown(field, old, related),
                        _shown(field, new, related),
                    )
                    for field, old, new in changed
                ],
                url=_case_url(model, record),
                reason=record.history_change_reason or "",
                cursor=f"{when.isoformat()}|{index}|{history_id}",
            )
        )
    result.sort(key=lambda row: row.order, reverse=True)
    return result, (result[-1].cursor if more and result else None)


def _entry_row(entry: AuditEntry, when: dt.datetime, index: int) -> Row:
    """An audit entry as a row of the trail: the action's words, the details in words."""
    return Row(
        at=when,
        user=entry.user,
        model=entries.model_of(entry) or AuditEntry,
        object_id=entry.object_id,
        label=entry.object_repr,
        action=entries.action_label(entry),
        kind="*",
        changes=[Change(field, "", value) for field, value in entries.details(entry)],
        url=entries.url(entry),
        reason="",
        cursor=f"{when.isoformat()}|{index}|{entry.id}",
    )


def _label(model, record) -> str:
    if model is ReportingDecision:
        return str(record.get_action_display())
    for name in ("document_no", "title", "name"):
        value = getattr(record, name, None)
        if value:
            return str(value)
    return f"#{record.id}"
