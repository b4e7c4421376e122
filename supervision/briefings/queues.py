"""What the monthly briefing leaves waiting for whom (``core.queues``), registered from ``ready``.

- leadership: drafts to approve (the briefing's sign-off);
- the administration's staff: approved briefings still to circulate to the operators.

Each queue is one query (``core.queues.take``).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from supervision.core import queues
from supervision.core.models import Role

from .models import Briefing, BriefingState


def _title(briefing: Briefing) -> str:
    title = _("Monthly briefing %(period)s, version %(version)s") % {
        "period": briefing.period.label,
        "version": briefing.version,
    }
    return f"{briefing.document_no} · {title}" if briefing.document_no else title


def to_approve(user, now) -> queues.Queue | None:
    """Leadership: draft briefings awaiting approval, the oldest month first."""
    rows, count = queues.take(
        Briefing.objects.filter(state=BriefingState.DRAFT)
        .select_related("period", "created_by")
        .order_by("period__month", "version")
    )

    def item(row):
        return queues.Item(
            title=_title(row),
            url=reverse("control:briefing", args=[row.pk]),
            extra=_("Drafted by %(user)s; read it and approve it on its page.")
            % {"user": row.created_by or "—"},
            since=row.edited_at or row.created_at,
        )

    return queues.queue(
        "briefings.to_approve", _("Briefings to approve"), rows, count, item, url=reverse("control:briefings")
    )


def to_circulate(user, now) -> queues.Queue | None:
    """Staff: approved briefings not yet circulated to the operators."""
    rows, count = queues.take(
        Briefing.objects.filter(state=BriefingState.APPROVED)
        .select_related("period", "approved_by")
        .order_by("approved_at", "pk")
    )

    def item(row):
        return queues.Item(
            title=_title(row),
            url=reverse("control:briefing", args=[row.pk]),
            extra=_("Approved by %(user)s: circulate it to the operators.")
            % {"user": row.approved_by or "—"},
            since=row.approved_at,
        )

    return queues.queue(
        "briefings.to_circulate",
        _("Briefings to circulate"),
        rows,
        count,
        item,
        url=reverse("control:briefings"),
    )


PROVIDERS = {
    Role.REGULATOR_LEADER: [to_approve],
    Role.REGULATOR_STAFF: [to_circulate],
}


def register() -> None:
    """Offer these queues to the home pages (from ``BriefingsConfig.ready``)."""
    for role, providers in PROVIDERS.items():
        queues.register(role, *providers)


def for_user(user, now=None) -> list[queues.Queue]:
    """What the briefings leave waiting for ``user``."""
    return queues.gather(PROVIDERS.get(user.role, []), user, now)
