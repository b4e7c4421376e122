"""Who may do what to a case, and from which state: the machinery lives in ``core.actions``.

Every state change of a finding, order, interview or commitment is an ``Action`` of its module's
``ACTIONS`` table (``findings``, ``orders``, ``interviews``), checked by the service with ``check``
and offered by the pages with ``allowed``, as in every other app. Re-exported here so that the
casework modules keep reading ``from .rules import …``.
"""

from supervision.core.actions import (  # noqa: F401 — re-exported for the casework modules
    MANAGER,
    OPERATOR,
    STAFF,
    Action,
    TransitionRefused,
    allowed,
    check,
    role_allows,
)
