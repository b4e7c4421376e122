"""One audit entry per state change, for the apps without a casework timeline (meetings,
briefings): ``log(obj, action, user, data)`` inside the service's transaction, right after
``actions.check`` allowed the change.

The entry keeps the action's name, the object (type, id and what it was called then), who, when
and a few details in words (an item's title, a reason). The audit trail page
(``casework.audit``) lists the entries beside the casework's recorded changes; to say what an
entry's action was, in the reader's language, and to link to the object's page, each app
registers its models with their ``ACTIONS`` tables (``register``, from the app's ``ready``).

The rows with a recorded history (django-simple-history: the casework's, a briefing, a decision
on a report) are saved by their services through ``save_by(row, user, reason)``, so that the
history names who changed them, and why, even outside a request.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .actions import Action
from .dates import moment_label
from .models import AuditEntry

# The words for the details the services record, as the audit page shows them.
DETAILS = {
    "title": _("item"),
    "reason": _("reason"),
    "note": _("note"),
    "comment": _("comment"),
    "starts_at": _("starts at"),
    "document_no": _("document number"),
    "version": _("version"),
    "operator": _("operator"),
    "place": _("place"),
    "recovered_at": _("recovered at"),
    "cause": _("cause"),
    "created": _("meetings added"),
    "updated": _("meetings kept"),
    "removed": _("meetings removed"),
    "without_recipients": _("nobody to receive it at"),
}


@dataclass(frozen=True)
class Audited:
    """A model whose changes are logged: the words of its actions and the URL name of its page."""

    model: type[models.Model]
    actions: dict[str, Action]
    url_name: str | None


_REGISTRY: dict[str, Audited] = {}


def register(model: type[models.Model], *tables: dict[str, Action], url_name: str | None = None) -> None:
    """Make ``model``'s audit entries readable: its actions' words (from ``tables``) and its page
    (``url_name``, reversed with the object's id)."""
    actions = {name: action for table in tables for name, action in table.items()}
    _REGISTRY[model._meta.label_lower] = Audited(model, actions, url_name)


def registered() -> list[Audited]:
    return list(_REGISTRY.values())


def _text(value) -> str:
    """A detail as it is kept: dates in Beijing time, names in the desk's first language (an
    operator's Chinese name), whoever wrote the entry in whichever language."""
    if isinstance(value, dt.datetime):
        return moment_label(value)
    with translation.override(settings.LANGUAGE_CODE):
        return str(value)


def log(obj: models.Model, action: Action | str, user, data: dict | None = None) -> AuditEntry:
    """Record that ``user`` took ``action`` on ``obj`` now; ``data``: details in words (values
    are kept as text, empty ones dropped; see ``_text``)."""
    name = action.name if isinstance(action, Action) else action
    return AuditEntry.objects.create(
        user=user if getattr(user, "pk", None) else None,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        action=name,
        data={key: _text(value) for key, value in (data or {}).items() if value not in (None, "")},
    )


def save_by(row: models.Model, user, reason: str = "") -> None:
    """Save ``row`` with its recorded history (django-simple-history) naming ``user`` as who
    changed it, and ``reason`` as why when given: outside a request too (commands, tasks), where
    the history middleware knows nobody. The casework's timeline and the audit trail page read
    these records."""
    row._history_user = user
    if reason:
        row._change_reason = reason
    row.save()


def for_object(obj: models.Model):
    """The entries of one object, newest first."""
    return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


# --- How an entry reads ---------------------------------------------------------------------------


def _audited(entry: AuditEntry) -> Audited | None:
    return _REGISTRY.get(f"{entry.content_type.app_label}.{entry.content_type.model}")


def action_label(entry: AuditEntry) -> str:
    """What was done, in the reader's language: the action's words ("publish the agenda")."""
    audited = _audited(entry)
    action = audited.actions.get(entry.action) if audited else None
    return str(capfirst(action.label)) if action else entry.action


def details(entry: AuditEntry) -> list[tuple[str, str]]:
    return [(str(capfirst(DETAILS.get(key, key))), value) for key, value in entry.data.items()]


def url(entry: AuditEntry) -> str | None:
    audited = _audited(entry)
    return reverse(audited.url_name, args=[entry.object_id]) if audited and audited.url_name else None


def model_of(entry: AuditEntry) -> type[models.Model] | None:
    return entry.content_type.model_class()
