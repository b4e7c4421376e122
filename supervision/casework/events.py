"""The case timeline: every service writes a ``CaseEvent``; pages read them back, described.

An event keeps facts (``data``: a deadline, the fields changed, a file, the mail sent), never a
rendered sentence, so that each reader sees it in their own language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from supervision.core.dates import moment_label
from supervision.reminders import outbox

from .models import (
    CaseEvent,
    CaseFile,
    EventKind,
    FindingState,
    InspectionFinding,
    InterviewNotice,
    InterviewState,
    NoticeRecord,
    OrderState,
    RectificationOrder,
)

_CASE_FIELDS = {
    InspectionFinding: "finding",
    RectificationOrder: "order",
    InterviewNotice: "interview",
    NoticeRecord: "record",
}
# The states in which the operator has never seen the case: a draft, or a draft withdrawn.
_UNSEEN = {
    InspectionFinding: {FindingState.DRAFT},
    RectificationOrder: {OrderState.DRAFT, OrderState.WITHDRAWN},
    InterviewNotice: {InterviewState.DRAFT, InterviewState.WITHDRAWN},
}


def case_field(case) -> str:
    return _CASE_FIELDS[type(case)]


def is_draft(case) -> bool:
    """Whether the operator has never seen ``case``: a draft, or a draft since withdrawn."""
    unseen = _UNSEEN.get(type(case))
    return unseen is not None and case.state in unseen


def record(
    kind: str,
    case,
    *,
    actor=None,
    text: str = "",
    data: dict | None = None,
    case_file: CaseFile | None = None,
    internal: bool | None = None,
    at: dt.datetime | None = None,
) -> CaseEvent:
    """Write one line of ``case``'s timeline. Events of a draft are the administration's only."""
    return CaseEvent.objects.create(
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        text=text,
        data=data or {},
        case_file=case_file,
        internal=is_draft(case) if internal is None else internal,
        at=at or timezone.now(),
        **{case_field(case): case},
    )


def file_data(case_file: CaseFile) -> dict:
    return {"id": case_file.pk, "name": case_file.name, "size": case_file.size}


def iso(moment: dt.datetime) -> str:
    return moment.isoformat()


def _when(value: str | None) -> str:
    moment = parse_datetime(value) if value else None
    if moment is None:
        return value or ""
    return moment_label(moment)


def _field_names(model, names) -> str:
    labels = []
    for name in names:
        try:
            labels.append(str(capfirst(model._meta.get_field(name).verbose_name)))
        except FieldDoesNotExist:  # a field removed since: its name still tells
            labels.append(name)
    return ", ".join(labels)


def _mail_label(code: str) -> str:
    # Every casework mail is registered with the outbox as "casework.<code>" (casework.mail,
    # from AppConfig.ready): its label is read there.
    mail = outbox.get(f"casework.{code}")
    return str(mail.label) if mail else code


def describe(event: CaseEvent, model=None) -> str:
    """The facts of an event as one line in the active language (the text is shown apart)."""
    data = event.data or {}
    kind = event.kind
    if kind == EventKind.ISSUED and "deadline" in data:
        return _("Document number %(no)s; deadline %(deadline)s.") % {
            "no": data.get("document_no", ""),
            "deadline": _when(data["deadline"]),
        }
    if kind == EventKind.ISSUED and "scheduled_at" in data:
        return _("Document number %(no)s; interview on %(when)s.") % {
            "no": data.get("document_no", ""),
            "when": _when(data["scheduled_at"]),
        }
    if kind == EventKind.EXTENSION_ASKED:
        return _("Asked to move the deadline from %(old)s to %(new)s.") % {
            "old": _when(data.get("previous")),
            "new": data.get("proposed_date", ""),
        }
    if kind == EventKind.EXTENSION_GRANTED:
        return _("Deadline moved from %(old)s to %(new)s.") % {
            "old": _when(data.get("previous")),
            "new": _when(data.get("deadline")),
        }
    if kind == EventKind.EXTENSION_REFUSED:
        return _("The deadline stays %(deadline)s.") % {"deadline": _when(data.get("deadline"))}
    if (
        kind in (EventKind.REPORT_SUBMITTED, EventKind.REPORT_RETURNED, EventKind.VERIFIED)
        and "number" in data
    ):
        return _("Rectification report no. %(n)s.") % {"n": data["number"]}
    if kind == EventKind.EDITED and data.get("fields"):
        return _("Changed: %(fields)s.") % {"fields": _field_names(model, data["fields"]) if model else ""}
    if kind == EventKind.IMPORTED:
        return _("From the file %(name)s.") % {"name": data.get("batch", "")}
    if kind == EventKind.EMAIL:
        return _("“%(mail)s” to %(to)s.") % {
            "mail": _mail_label(data.get("mail", "")),
            "to": ", ".join(data.get("to", [])),
        }
    if kind in (
        EventKind.COMMITMENT_ADDED,
        EventKind.COMMITMENT_DONE,
        EventKind.COMMITMENT_VERIFIED,
        EventKind.COMMITMENT_RETURNED,
    ):
        return _("“%(commitment)s”, due %(due)s.") % {
            "commitment": data.get("commitment", ""),
            "due": _when(data.get("due")),
        }
    if kind == EventKind.FILE_ADDED:
        return data.get("name", "")
    return ""


@dataclass
class Entry:
    event: CaseEvent
    label: str
    detail: str
    files: list[dict]

    @property
    def at(self):
        return self.event.at


def timeline(case, user) -> list[Entry]:
    """The case's events, oldest first, as ``user`` may read them (one query)."""
    events = case.events.select_related("actor")
    if not user.is_regulator:
        events = events.filter(internal=False)
    model = type(case)
    entries = []
    for event in events:
        files = list(event.data.get("files", []))
        if event.kind == EventKind.FILE_ADDED and event.case_file_id:
            files = [{"id": event.case_file_id, "name": event.data.get("name", "")}]
        entries.append(Entry(event, str(event.get_kind_display()), describe(event, model), files))
    return entries
