"""An operator never sees another operator's data: another operator's object is a 404."""

import pytest
from django.urls import reverse

from supervision.core.models import Operator, TaskForceMember


@pytest.fixture
def unicom_member(db):
    return TaskForceMember.objects.create(
        operator=Operator.objects.get(code="CUCC"), name="刘联络", duty="联络员", phone="0531-7654321",
        email="liu@cucc-sd.example.cn",
    )  # fmt: skip


def test_operator_gets_404_for_another_operators_roster_entry(client, operator_a, unicom_member):
    client.force_login(operator_a)
    assert client.get(reverse("portal:task_force_edit", args=[unicom_member.pk])).status_code == 404
    assert client.post(reverse("portal:task_force_delete", args=[unicom_member.pk])).status_code == 404
    assert TaskForceMember.objects.filter(pk=unicom_member.pk).exists()


def test_operator_roster_lists_only_its_own_members(client, operator_a, unicom_member):
    TaskForceMember.objects.create(
        operator=operator_a.operator, name="张组长", duty="组长", phone="1", email="z@cmcc-sd.example.cn"
    )
    client.force_login(operator_a)
    page = client.get(reverse("portal:task_force")).content.decode()
    assert "张组长" in page
    assert "刘联络" not in page


def test_operator_adds_a_member_to_its_own_operator_only(client, operator_a):
    client.force_login(operator_a)
    response = client.post(
        reverse("portal:task_force_add"),
        {"name": "新成员", "duty": "数据报送", "phone": "0531-1", "email": "new@cmcc-sd.example.cn", "sort_order": 1,
         "operator": Operator.objects.get(code="CUCC").pk},
    )  # fmt: skip
    assert response.status_code == 302
    assert TaskForceMember.objects.get(name="新成员").operator.code == "CMCC"


def test_roster_form_names_the_wrong_field(client, operator_a):
    client.force_login(operator_a)
    response = client.post(
        reverse("portal:task_force_add"),
        {"name": "", "duty": "x", "phone": "1", "email": "not-an-address", "sort_order": 0},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter a valid email address." in body
    assert not TaskForceMember.objects.exists()


def test_administration_sees_all_rosters(client, regulator, unicom_member):
    TaskForceMember.objects.create(
        operator=Operator.objects.get(code="CMCC"), name="张组长", duty="组长", phone="1", email="z@x.cn"
    )
    client.force_login(regulator)
    page = client.get(reverse("control:task_forces")).content.decode()
    assert "张组长" in page and "刘联络" in page


def test_visible_to_is_empty_for_inactive_users(operator_a, unicom_member):
    operator_a.is_active = False
    assert TaskForceMember.objects.visible_to(operator_a).count() == 0


def test_each_role_sees_only_its_own_navigation(client, regulator, operator_a):
    client.force_login(regulator)
    page = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("control:task_forces") in page
    assert reverse("portal:task_force") not in page
    client.force_login(operator_a)
    page = client.get("/portal/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("portal:task_force") in page
    assert "/dashboard/" not in page
    assert "/admin/" not in page
