"""Circulated notices, public disclosures, penalty decisions and assessment opinions, as recorded.

Each is a document the administration issued elsewhere (a penalty decision has its own
procedure): the desk keeps its number, date, operator, summary, file and the cases it concerns,
and shows it to the operator concerned.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from supervision.core.audit import save_by

from . import attachments, events
from .models import EventKind, NoticeRecord
from .rules import TransitionRefused


@transaction.atomic
def create_record(
    *, user, operator, orders=(), findings=(), interviews=(), uploads=(), **fields
) -> NoticeRecord:
    """Record a notice or decision about one operator, with its file and linked cases."""
    if not getattr(user, "is_regulator_staff", False):
        raise TransitionRefused(_("Only the administration's case officers may record a notice or decision."))
    orders, findings, interviews = list(orders), list(findings), list(interviews)
    for linked in (*orders, *findings, *interviews):
        if linked.operator_id != operator.pk:
            raise TransitionRefused(
                _("“%(case)s” is about another operator: link only cases of %(operator)s.")
                % {"case": linked, "operator": operator.short_name}
            )
    checked = attachments.check_all(uploads)
    record = NoticeRecord(operator=operator, created_by=user, **fields)
    save_by(record, user)
    record.orders.set(orders)
    record.findings.set(findings)
    record.interviews.set(interviews)
    files = [attachments.store(uploaded, info, user=user, record=record) for uploaded, info in checked]
    events.record(
        EventKind.CREATED,
        record,
        actor=user,
        data={"files": [events.file_data(f) for f in files]},
        internal=False,
    )
    return record
