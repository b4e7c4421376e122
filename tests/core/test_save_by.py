"""``core.audit.save_by``: the one way a service saves a row so that its recorded history says who
changed it and why, outside a request too (a command, a task), where no middleware knows."""

import pytest

from supervision.core.audit import save_by
from supervision.core.models import Operator, TaskForceMember


@pytest.mark.django_db
def test_the_history_names_who_saved_and_why(regulator, operator_a):
    member = TaskForceMember(
        operator=Operator.objects.get(code="CMCC"),
        name="王伟",
        duty="专班联络",
        phone="0531-0000",
        email="w@example.cn",
    )
    save_by(member, regulator, "added")
    member = TaskForceMember.objects.get(pk=member.pk)  # as a service reads (and locks) it again
    member.duty = "专班负责人"
    save_by(member, operator_a)
    created, changed = member.history.order_by("history_id")
    assert (created.history_user, created.history_change_reason) == (regulator, "added")
    assert changed.history_user == operator_a and not changed.history_change_reason
    assert changed.duty == "专班负责人"
