"""The one contract of every state change, in every app, and how a view carries it out.

Every change of state (an order issued, a meeting's agenda published, a report accepted, a
briefing approved) is an ``Action`` of its app's ``ACTIONS`` table: the role that may take it, the
states it may be taken from and the state it leads to. The service function calls ``check``
first, inside its transaction, on the freshly locked row, then writes one audit entry (the case's
timeline in casework, ``core.audit.log`` elsewhere); the pages call ``allowed`` to offer only the
buttons that would be accepted. A newcomer who asks "who may do this, and when?" reads the table.

A service that refuses a change raises a subclass of ``Refused`` whose message says why, in the
user's language (``TransitionRefused`` from the tables, ``meetings.services.MeetingRefused``,
``briefings.services.BriefingRefused``, ``reporting.submissions.SubmissionRefused``, …). The views
show it: after a button as an error message, on a form page as the page again with the refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.utils.translation import gettext as _


class Refused(Exception):
    """A change the rules do not allow for this user or in this state; the message says why."""


class TransitionRefused(Refused):
    """A change an ``ACTIONS`` table does not allow for this user or in this state."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)

    def __str__(self) -> str:
        return self.message


# --- Who may take an action -----------------------------------------------------------------------

STAFF = "staff"  # the administration's staff (not leadership: it reads, and approves briefings)
LEADER = "leader"  # the administration's leadership
OPERATOR = "operator"  # any user of the operator concerned
MANAGER = "manager"  # a manager of the operator concerned
STAFF_OR_OPERATOR = "staff_or_operator"  # the staff, or a user of the operator concerned


def role_allows(role: str, user, operator_id: int | None) -> bool:
    """Whether ``user`` holds ``role`` for an object of the operator ``operator_id`` (None: the
    administration's own object, which no operator's user acts on)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    of_operator = operator_id is not None and user.is_operator_user and user.operator_id == operator_id
    if role == STAFF:
        return user.is_regulator_staff
    if role == LEADER:
        return user.is_leader
    if role == OPERATOR:
        return of_operator
    if role == MANAGER:
        return of_operator and user.is_operator_manager
    if role == STAFF_OR_OPERATOR:
        return user.is_regulator_staff or of_operator
    raise ValueError(role)


def _role_refusal(role: str) -> str:
    return {
        STAFF: _("Only the administration's staff may %(action)s."),
        LEADER: _("Only the administration's leadership may %(action)s."),
        OPERATOR: _("Only the operator concerned may %(action)s."),
        MANAGER: _("Only a manager of the operator concerned may %(action)s."),
        STAFF_OR_OPERATOR: _("Only the administration's staff or the operator concerned may %(action)s."),
    }[role]


# --- The tables -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise  # completes "You cannot … now", e.g. "acknowledge this order"
    role: str
    # The states it may be taken from; None for an object without states (a meeting series).
    states: frozenset[str] | None
    target: str | None = None  # the state it leads to; None when the state stays
    # An extra condition on the case (e.g. escalating a submitted report only when overdue).
    also_when: Callable[[object], bool] | None = field(default=None, compare=False)
    # A condition of the moment besides the role and the state (e.g. attendance is recorded only
    # once the meeting has started): None when it holds, else why not, in the user's language.
    only_if: Callable[[object], str | None] | None = field(default=None, compare=False)

    def state_allows(self, case) -> bool:
        if self.states is None or case.state in self.states:
            return True
        return self.also_when is not None and self.also_when(case)


def check(
    action: Action,
    case,
    user,
    *,
    operator_id: int | None = None,
    state_label: str | None = None,
    refused: type[Refused] = TransitionRefused,
) -> None:
    """Raise ``refused`` (a ``TransitionRefused`` unless the app names its own) unless ``user``
    may take ``action`` on ``case`` now: first the role, then the state, then ``only_if``.

    ``operator_id`` is the operator concerned, by default the case's own (none for the
    administration's objects: meetings, briefings, periods).
    """
    if operator_id is None:
        operator_id = getattr(case, "operator_id", None)
    if not role_allows(action.role, user, operator_id):
        raise refused(_role_refusal(action.role) % {"action": action.label})
    if not action.state_allows(case):
        raise refused(
            _("You cannot %(action)s now: it is “%(state)s”.")
            % {"action": action.label, "state": state_label or case.get_state_display()}
        )
    if action.only_if is not None and (reason := action.only_if(case)):
        raise refused(reason)


def allowed(actions: dict[str, Action], case, user, *, operator_id: int | None = None) -> set[str]:
    """The names of the actions ``user`` may take on ``case`` now (for the page's buttons)."""
    names = set()
    for name, action in actions.items():
        try:
            check(action, case, user, operator_id=operator_id)
        except Refused:
            continue
        names.add(name)
    return names


# --- In the views ---------------------------------------------------------------------------------


def form_errors(form) -> str:
    """Every error of a form in one line, for a message after a button."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def attempt(request, action, success: str | None = None) -> bool:
    """Run a service call; a refusal becomes an error message, success the ``success`` message."""
    try:
        action()
    except Refused as refused:
        messages.error(request, str(refused))
        return False
    if success:
        messages.success(request, success)
    return True


def post_action(request, obj, service, success: str | None, redirect_to: str, *, form=None, **kwargs):
    """A button that changes ``obj``: call the service, say how it went, go back to ``redirect_to``.

    A ``form``, when given, must be valid (else its errors are the message and nothing changes);
    its cleaned data go to the service with ``kwargs``.
    """
    if form is not None and not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        data = {**kwargs, **(form.cleaned_data if form is not None else {})}
        attempt(request, lambda: service(obj, user=request.user, **data), success)
    return redirect(redirect_to)
