"""The audit trail: every recorded change, who and when, readable by the administration, editable by nobody."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from supervision.casework.models import InspectionFinding, RectificationOrder
from supervision.core.models import TaskForceMember

from .conftest import make_order


def rows(response):
    return response.context["rows"]


def test_a_transition_shows_who_changed_which_field(client, regulator, operator_a):
    order = make_order(regulator, operator_a, "draft")
    client.force_login(regulator)
    client.post(reverse("control:order_issue", args=[order.pk]))
    response = client.get(
        reverse("control:audit"), {"model": "rectificationorder"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    latest = rows(response)[0]
    assert (latest.user, latest.action, latest.url) == (
        regulator,
        "changed",
        reverse("control:order", args=[order.pk]),
    )
    changes = {c.field: (c.old, c.new) for c in latest.changes}
    assert changes["State"] == ("Draft", "Issued")
    assert changes["Document number"][0] == "—"
    assert set(changes) >= {"State", "Document number", "Issued at"}


def test_the_operators_own_changes_are_there_too(client, regulator, operator_a):
    make_order(regulator, operator_a, "acknowledged")
    TaskForceMember.objects.create(
        operator=operator_a.operator, name="张三", duty="组长", phone="0531-1234567", email="zs@example.cn"
    )
    client.force_login(regulator)
    response = client.get(reverse("control:audit"), {"user": operator_a.pk})
    assert {r.model for r in rows(response)} == {RectificationOrder}
    models = {r.model for r in rows(client.get(reverse("control:audit")))}
    assert TaskForceMember in models and InspectionFinding in models


def test_pages_of_changes_made_at_one_instant_lose_and_repeat_nothing(client, regulator, samples):
    client.force_login(regulator)
    client.post(
        reverse("control:inspection_upload"),
        {"file": SimpleUploadedFile("x.xlsx", (samples / "inspections_2026-09.xlsx").read_bytes())},
    )
    from supervision.casework.models import InspectionBatch

    client.post(
        reverse("control:inspection_batch", args=[InspectionBatch.objects.get().pk]), {"confirm": "1"}
    )
    first = client.get(reverse("control:audit"), {"model": "inspectionfinding"})
    assert len(rows(first)) == 50
    second = client.get(reverse("control:audit") + first.context["next_url"])
    assert second.context["next_url"] is None
    seen = [r.object_id for r in rows(first) + rows(second)]
    assert sorted(seen) == sorted(InspectionFinding.objects.values_list("pk", flat=True))


def test_leadership_reads_the_trail_and_nobody_writes_it(client, regulator, leader, operator_a):
    client.force_login(leader)
    assert client.get(reverse("control:audit")).status_code == 200
    client.force_login(regulator)
    assert client.post(reverse("control:audit")).status_code == 405
    client.force_login(operator_a)
    assert client.get(reverse("control:audit")).status_code == 403


@pytest.fixture
def superuser(regulator):
    regulator.is_staff = regulator.is_superuser = True
    regulator.save()
    return regulator


def test_the_admin_shows_cases_and_their_history_read_only(client, superuser, operator_a):
    order = make_order(superuser, operator_a, "issued")
    client.force_login(superuser)
    change = reverse("admin:casework_rectificationorder_change", args=[order.pk])
    assert client.get(change).status_code == 200  # a view, without a save button
    assert client.post(change, {"title": "改过"}).status_code == 403
    assert client.get(reverse("admin:casework_rectificationorder_add")).status_code == 403
    assert client.get(reverse("admin:casework_rectificationorder_delete", args=[order.pk])).status_code == 403
    history = reverse("admin:casework_rectificationorder_history", args=[order.pk])
    assert client.get(history).status_code == 200
    record = order.history.earliest()
    revert = reverse("admin:casework_rectificationorder_simple_history", args=[order.pk, record.history_id])
    assert client.post(revert).status_code == 403
    order.refresh_from_db()
    assert order.title != "改过"
