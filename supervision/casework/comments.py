"""Comments on a case: the administration's staff and the operator concerned write on its timeline."""

from django.db import transaction
from django.utils.translation import gettext as _

from . import events
from .models import EventKind
from .rules import OPERATOR, STAFF, TransitionRefused, role_allows

MAX_LENGTH = 4000


@transaction.atomic
def add_comment(case, *, user, text: str):
    """A comment on a finding, order or interview; the operator comments only once it sees the case.

    A comment on a draft stays within the administration, like the draft itself.
    """
    if not (role_allows(STAFF, user, case.operator_id) or role_allows(OPERATOR, user, case.operator_id)):
        raise TransitionRefused(
            _("Only the administration's case officers and the operator concerned may comment.")
        )
    if user.is_operator_user and events.is_draft(case):
        raise TransitionRefused(_("This case is not yet open to the operator."))
    text = (text or "").strip()
    if not text:
        raise TransitionRefused(_("Write the comment first."))
    if len(text) > MAX_LENGTH:
        raise TransitionRefused(_("A comment has at most %(n)d characters.") % {"n": MAX_LENGTH})
    return events.record(EventKind.COMMENT, case, actor=user, text=text)
