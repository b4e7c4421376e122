"""Who may do what to a case, and from which state: the one table each service checks.

Every state change of a finding, order, interview or commitment is an ``Action``: the role that
may take it, the states it may be taken from and the state it leads to. The service function
calls ``check`` first, inside its transaction, on the freshly locked row; the pages call
``allowed`` to offer only the buttons that would be accepted. A refusal is a
``TransitionRefused`` whose message the pages show as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from supervision.core.actions import Refused

STAFF = "staff"  # the administration's case officers (not leadership: it reads)
OPERATOR = "operator"  # any user of the case's operator
MANAGER = "manager"  # a manager of the case's operator


class TransitionRefused(Refused):
    """A change the rules do not allow for this user or in this state; the message says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise  # completes "You cannot … now", e.g. "acknowledge this order"
    role: str
    states: frozenset[str]
    target: str | None = None  # the state it leads to; None when the state stays
    # An extra condition on the case (e.g. escalating a submitted report only when overdue).
    also_when: Callable[[object], bool] | None = field(default=None, compare=False)

    def state_allows(self, case) -> bool:
        if case.state in self.states:
            return True
        return self.also_when is not None and self.also_when(case)


def role_allows(role: str, user, operator_id: int) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if role == STAFF:
        return user.is_regulator_staff
    if role == OPERATOR:
        return user.is_operator_user and user.operator_id == operator_id
    if role == MANAGER:
        return user.is_operator_manager and user.operator_id == operator_id
    raise ValueError(role)


def check(
    action: Action, case, user, *, operator_id: int | None = None, state_label: str | None = None
) -> None:
    """Raise ``TransitionRefused`` unless ``user`` may take ``action`` on ``case`` now."""
    operator_id = operator_id if operator_id is not None else case.operator_id
    if not role_allows(action.role, user, operator_id):
        if action.role == STAFF:
            message = _("Only the administration's case officers may %(action)s.")
        elif action.role == MANAGER:
            message = _("Only a manager of the operator concerned may %(action)s.")
        else:
            message = _("Only the operator concerned may %(action)s.")
        raise TransitionRefused(message % {"action": action.label})
    if not action.state_allows(case):
        raise TransitionRefused(
            _("You cannot %(action)s now: it is “%(state)s”.")
            % {"action": action.label, "state": state_label or case.get_state_display()}
        )


def allowed(actions: dict[str, Action], case, user, *, operator_id: int | None = None) -> set[str]:
    """The names of the actions ``user`` may take on ``case`` now (for the page's buttons)."""
    names = set()
    for name, action in actions.items():
        try:
            check(action, case, user, operator_id=operator_id)
        except TransitionRefused:
            continue
        names.add(name)
    return names
