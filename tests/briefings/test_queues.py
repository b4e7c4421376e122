"""What the monthly briefing leaves waiting for whom (briefings.queues): a draft for leadership to
approve, then an approved one for the staff to circulate; never for an operator."""

import pytest
from django.urls import reverse

from supervision.briefings import services
from supervision.core import queues
from supervision.core.models import Period

pytestmark = [pytest.mark.dates, pytest.mark.usefixtures("media_root")]  # approving stamps the day


def queue(user, key):
    return next((q for q in queues.for_user(user) if q.key == key), None)


def test_a_draft_waits_for_leadership_then_the_approved_one_for_the_staff(
    regulator, leader, operator_a, manager_a
):
    draft = services.start(Period.objects.from_label("2026-10"), user=regulator)
    (item,) = queue(leader, "briefings.to_approve").items
    assert item.url == reverse("control:briefing", args=[draft.pk])
    assert item.title == "月度通报 2026-10，第 1 版"
    assert queue(regulator, "briefings.to_approve") is None
    assert queue(regulator, "briefings.to_circulate") is None
    for operator_user in (operator_a, manager_a):
        assert [q for q in queues.for_user(operator_user) if q.key.startswith("briefings.")] == []

    approved = services.approve(draft, user=leader)
    assert queue(leader, "briefings.to_approve") is None
    (item,) = queue(regulator, "briefings.to_circulate").items
    assert item.url == reverse("control:briefing", args=[approved.pk])
    assert item.title.startswith(approved.document_no)

    services.circulate(approved, user=regulator, without=["CMCC", "CUCC", "CTCC", "CBN"])
    assert queue(regulator, "briefings.to_circulate") is None
