"""The operators' distribution lists: who receives the administration's official documents.

The rule is ``User.objects.document_recipients`` (an operator's managers a mail can reach, else
the task force's designated contacts); this module only explains it, per operator, for the
pages that show it (the distribution lists page, the briefing's circulation): who receives,
why (manager or designated contact), and who might be expected to but cannot (a manager without
an address, a designated contact without a portal account).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from .models import Operator, Role, TaskForceMember, User

MANAGER = "manager"
CONTACT = "contact"
WHY = {
    MANAGER: gettext_lazy("manager"),
    CONTACT: gettext_lazy("designated contact of the task force"),
}


@dataclass
class Recipient:
    user: User
    why: str  # MANAGER or CONTACT

    @property
    def why_label(self) -> str:
        return str(WHY[self.why])


@dataclass
class DistributionList:
    operator: Operator
    recipients: list[Recipient] = field(default_factory=list)
    # Designated contacts who would receive if the operator had no manager who can.
    standby: list[User] = field(default_factory=list)
    # (name, why not): people one might expect to receive, who cannot.
    unreachable: list[tuple[str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.recipients


def why(user: User) -> str:
    """Why ``user``, a document recipient, receives: the role, or the task force's designation."""
    return MANAGER if user.role == Role.OPERATOR_MANAGER else CONTACT


def lists(operators=None) -> list[DistributionList]:
    """Each operator's distribution list, in the operators' order; four queries whatever the size."""
    operators = list(operators if operators is not None else Operator.objects.order_by("sort_order", "pk"))
    by_operator = {op.pk: DistributionList(op) for op in operators}
    ids = list(by_operator)
    # Managers first ("operator_manager" sorts before "operator_staff").
    for user in User.objects.document_recipients(ids).order_by("role", "full_name", "username", "pk"):
        by_operator[user.operator_id].recipients.append(Recipient(user, why(user)))
    for user in User.objects.filter(operator_id__in=ids, role=Role.OPERATOR_MANAGER).exclude(
        pk__in=User.objects.reachable().values("pk")
    ):
        by_operator[user.operator_id].unreachable.append((str(user), _no_mail(user)))
    contacts = TaskForceMember.objects.filter(operator_id__in=ids, receives_documents=True).select_related(
        "account"
    )
    for member in contacts:
        entry = by_operator[member.operator_id]
        account = member.account
        if account is None:
            entry.unreachable.append((member.name, _("designated contact without a portal account")))
        elif not (account.is_active and account.email) or account.operator_id != member.operator_id:
            entry.unreachable.append((member.name, _no_mail(account)))
        elif account.pk not in {r.user.pk for r in entry.recipients}:
            entry.standby.append(account)
    return [by_operator[op.pk] for op in operators]


def _no_mail(user: User) -> str:
    if not user.is_active:
        return _("account deactivated")
    if not user.email:
        return _("no e-mail address")
    return _("account of another operator")


def without_recipients(operators=None) -> list[Operator]:
    """The operators nobody receives official documents at, in the operators' order (one query)."""
    operators = list(operators if operators is not None else Operator.objects.order_by("sort_order", "pk"))
    served = set(
        User.objects.document_recipients([op.pk for op in operators]).values_list("operator_id", flat=True)
    )
    return [op for op in operators if op.pk not in served]


def names(operators) -> str:
    """The operators' short names as one phrase: "中国电信、中国广电", "CTCC, CBN"."""
    return pgettext("list separator", ", ").join(op.short_name for op in operators)
