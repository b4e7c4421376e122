"""Leadership's instructions (批示): a leader writes one on a case, a monthly report or a
briefing; the administration's staff see it on the object's page and in their work queue, and
acknowledge it; the leader's queue keeps it until they have.

Which objects take an instruction, and where each one's page is in the dashboard, the apps say
from their ``AppConfig.ready`` (``register``): casework its findings, orders and interviews,
reporting its monthly reports and major problems, briefings its briefings. Who may do what is
the ``ACTIONS`` table below; each change writes one audit entry (``core.audit``). The operators
never see an instruction: it is the administration's own business.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit, queues
from .actions import LEADER, STAFF, Action, Refused, check
from .models import Instruction, Role


class InstructionRefused(Refused):
    """A change the rules do not allow; the message says why, in the user's language."""


ACTIONS = {
    # An object has no state of its own for this: leadership may write on it at any time.
    "give": Action("give", gettext_lazy("give an instruction"), LEADER, None),
    "acknowledge": Action(
        "acknowledge",
        gettext_lazy("acknowledge this instruction"),
        STAFF,
        frozenset({Instruction.PENDING}),
        Instruction.ACKNOWLEDGED,
    ),
}


@dataclass(frozen=True)
class Target:
    """A kind of object that takes instructions: its model and the name of its dashboard page."""

    kind: str
    model: type[models.Model]
    url_name: str


_TARGETS: dict[str, Target] = {}


def register(kind: str, model: type[models.Model], url_name: str) -> None:
    """Let leadership write instructions on ``model``'s objects, shown at ``url_name`` (reversed
    with the object's id) in the dashboard; ``kind`` names it in addresses ("order")."""
    _TARGETS[kind] = Target(kind, model, url_name)


def target(kind: str) -> Target | None:
    return _TARGETS.get(kind)


def kind_of(obj: models.Model) -> str | None:
    for entry in _TARGETS.values():
        if isinstance(obj, entry.model):
            return entry.kind
    return None


def object_url(instruction: Instruction) -> str | None:
    """The dashboard page of the object the instruction is on (no query)."""
    entry = _TARGETS.get(instruction.kind)
    return reverse(entry.url_name, args=[instruction.object_id]) if entry else None


def register_audit() -> None:
    audit.register(Instruction, ACTIONS)


# --- Changes ------------------------------------------------------------------------------------


@transaction.atomic
def give(obj: models.Model, *, user, text: str) -> Instruction:
    """A leader's instruction on ``obj`` (a case, a report or a briefing), for the staff."""
    action = ACTIONS["give"]
    kind = kind_of(obj)
    if kind is None:
        raise InstructionRefused(_("Instructions cannot be given on this."))
    check(action, obj, user, operator_id=None, refused=InstructionRefused)
    text = (text or "").strip()
    if not text:
        raise InstructionRefused(_("Write the instruction."))
    instruction = Instruction.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        kind=kind,
        object_repr=str(obj)[:200],
        text=text,
        author=user,
    )
    audit.log(instruction, action, user, {"title": instruction.object_repr, "note": text})
    return instruction


@transaction.atomic
def acknowledge(instruction: Instruction, *, user) -> Instruction:
    """The staff have read the instruction and act on it: it leaves their queue and the leader's."""
    instruction = Instruction.objects.select_for_update().get(pk=instruction.pk)
    action = ACTIONS["acknowledge"]
    check(action, instruction, user, operator_id=None, refused=InstructionRefused)
    instruction.acknowledged_by = user
    instruction.acknowledged_at = timezone.now()
    instruction.save(update_fields=["acknowledged_by", "acknowledged_at"])
    audit.log(instruction, action, user, {"title": instruction.object_repr})
    return instruction


# --- What a page shows --------------------------------------------------------------------------


def on(obj: models.Model):
    """The instructions on ``obj``, oldest first, with who gave and acknowledged them (one query)."""
    return Instruction.objects.on(obj).select_related("author", "acknowledged_by")


def may_give(user) -> bool:
    return getattr(user, "is_leader", False) and user.is_active


def may_acknowledge(user) -> bool:
    return getattr(user, "is_regulator_staff", False) and user.is_active


# --- Work queues --------------------------------------------------------------------------------


def _item(instruction: Instruction, *, by_author: bool) -> queues.Item:
    extra = (
        instruction.text
        if by_author
        else _("%(who)s: %(text)s") % {"who": instruction.author, "text": instruction.text}
    )
    return queues.Item(
        title=instruction.object_repr,
        url=object_url(instruction) or "",
        extra=extra[:200],
        since=instruction.created_at,
    )


def to_acknowledge(user, now) -> queues.Queue | None:
    """Staff: leadership's instructions nobody has acknowledged yet, oldest first."""
    rows, count = queues.take(
        Instruction.objects.pending().select_related("author").order_by("created_at", "pk")
    )
    return queues.queue(
        "core.instructions_to_acknowledge",
        _("Leadership's instructions to acknowledge"),
        rows,
        count,
        lambda row: _item(row, by_author=False),
    )


def awaiting_acknowledgement(user, now) -> queues.Queue | None:
    """Leadership: the leader's own instructions the staff have not acknowledged yet."""
    rows, count = queues.take(
        Instruction.objects.pending()
        .filter(author=user)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    return queues.queue(
        "core.instructions_not_acknowledged",
        _("Your instructions not yet acknowledged"),
        rows,
        count,
        lambda row: _item(row, by_author=True),
    )


def register_queues() -> None:
    queues.register(Role.REGULATOR_STAFF, to_acknowledge)
    queues.register(Role.REGULATOR_LEADER, awaiting_acknowledgement)
