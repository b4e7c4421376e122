"""Who a briefing reaches, per addressee: before circulation who will, after it who did.

Before a briefing is circulated its page shows each operator's distribution list as it stands
(``core.distribution``): who will receive it and why, and the operators nobody would. Once it
is circulated, each operator's recipients as they were recorded (``BriefingDelivery``), the state
of each one's mail in the outbox (waiting, sent, failed), and the first download in the portal
by a user of that operator. Four queries whatever the number of operators and recipients.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from supervision.core import distribution
from supervision.core.models import Operator
from supervision.reminders.models import Occasion, OccasionState

from . import mail
from .models import Briefing, BriefingDownload

# How a mail's state reads on the page, in three words the table colours: sent, pending, failed.
SENT, PENDING, FAILED = "sent", "pending", "failed"
_OUTCOME = {
    OccasionState.SENT: SENT,
    OccasionState.PENDING: PENDING,
    OccasionState.SENDING: PENDING,
    OccasionState.FAILED: FAILED,
    OccasionState.DROPPED: FAILED,
}


@dataclass
class Row:
    user: object
    email: str
    why: str  # distribution.MANAGER or CONTACT
    occasion: Occasion | None = None
    sent_at: object = None

    @property
    def why_label(self) -> str:
        return str(distribution.WHY[self.why])

    @property
    def outcome(self) -> str:
        if self.sent_at is not None:
            return SENT
        return _OUTCOME.get(self.occasion.state, PENDING) if self.occasion else PENDING

    @property
    def state_label(self) -> str:
        if self.occasion is not None:
            return self.occasion.get_state_display()
        return str(OccasionState.SENT.label if self.sent_at else OccasionState.PENDING.label)


@dataclass
class Addressee:
    operator: Operator
    rows: list[Row] = field(default_factory=list)
    downloaded: BriefingDownload | None = None
    unreachable: list[tuple[str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.rows


def planned() -> list[Addressee]:
    """Each operator and whom a circulation would reach now (its distribution list)."""
    return [
        Addressee(
            entry.operator,
            [Row(r.user, r.user.email, r.why) for r in entry.recipients],
            unreachable=entry.unreachable,
        )
        for entry in distribution.lists()
    ]


def for_briefing(briefing: Briefing) -> list[Addressee]:
    """The briefing's addressees: as planned while it is not circulated, as delivered after."""
    if briefing.circulated_at is None:
        return planned()
    addressees = {op.pk: Addressee(op) for op in Operator.objects.order_by("sort_order", "pk")}
    occasions = {
        o.recipient_id: o
        for o in Occasion.objects.filter(rule=mail.CODE, object_key=mail.object_key(briefing)).order_by("pk")
    }
    for delivery in briefing.deliveries.select_related("recipient").order_by("operator__sort_order", "pk"):
        entry = addressees.get(delivery.operator_id)
        if entry is not None:
            entry.rows.append(
                Row(
                    delivery.recipient,
                    delivery.email,
                    distribution.why(delivery.recipient),
                    occasions.get(delivery.recipient_id),
                    delivery.sent_at,
                )
            )
    for download in briefing.downloads.select_related("user").order_by("at", "pk"):
        entry = addressees.get(download.operator_id)
        if entry is not None and entry.downloaded is None:
            entry.downloaded = download
    return list(addressees.values())
