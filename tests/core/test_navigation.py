"""Each face builds its own menu (``control.navigation``, ``portal.navigation``); the lowest app
asks them (``core.navigation``) and names none of their pages."""

import inspect

import pytest
from django.test import RequestFactory
from django.urls import reverse

from supervision.control import navigation as control
from supervision.core import context_processors
from supervision.core import navigation as core
from supervision.core.models import Role, User
from supervision.portal import navigation as portal
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def nav(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return context_processors.navigation(request)["nav_items"]


def urls(items) -> list[str]:
    return [e["url"] for i in items for e in (i.get("children") or [i])]


def test_the_administration_gets_its_faces_menu(regulator, leader):
    assert urls(nav(regulator)) == [
        reverse(name)
        for name in (
            "control:home",
            "control:reporting",
            "control:charts",
            "control:city_matrix",
            "control:anomalies",
            "control:complaints",
            "control:findings",
            "control:orders",
            "control:incidents",
            "control:interviews",
            "control:records",
            "control:audit",
            "control:meetings",
            "control:briefings",
            "control:mail_log",
            "control:task_forces",
        )
    ]
    assert nav(leader) == control.menu(leader, "/")
    assert portal.menu(regulator, "/") is None


def test_a_user_administrator_also_gets_the_log_and_the_admin_site(db):
    staff_admin = make_user("admin", Role.REGULATOR_STAFF, can_administer_users=True)
    assert urls(nav(staff_admin))[-2:] == [reverse("control:access_log"), reverse("admin:index")]
    # A superuser made on the command line, with no role of the desk.
    roleless = User(username="root", role=Role.OPERATOR_STAFF, is_superuser=True)
    assert urls(nav(roleless)) == [reverse("control:access_log"), reverse("admin:index")]


def test_an_operator_gets_the_portals_menu(operator_a):
    assert urls(nav(operator_a)) == [
        reverse(name)
        for name in (
            "portal:home",
            "portal:submissions",
            "portal:incidents",
            "portal:checks",
            "portal:documents",
            "portal:findings",
            "portal:orders",
            "portal:interviews",
            "portal:records",
            "portal:meetings",
            "portal:action_items",
            "portal:task_force",
        )
    ]
    assert control.menu(operator_a, "/") is None
    # Given the administrator's right by mistake, an operator still sees only its own face.
    operator_a.can_administer_users = True
    assert control.menu(operator_a, "/") is None


def test_the_page_and_its_group_are_marked_active(regulator, operator_a):
    items = nav(regulator, reverse("control:orders") + "12/")
    casework = next(
        i
        for i in items
        if i.get("children") and any(e["url"] == reverse("control:orders") for e in i["children"])
    )
    assert casework["active"]
    assert [e["url"] for e in casework["children"] if e["active"]] == [reverse("control:orders")]
    # A face's home is active on itself only.
    assert not items[0]["active"]
    assert nav(operator_a, reverse("portal:home"))[0]["active"]


def test_the_lowest_app_names_no_page_of_the_faces():
    for module in (core, context_processors):
        source = inspect.getsource(module)
        assert "control:" not in source and "portal:" not in source, module.__name__


def test_nobody_signed_in_gets_no_menu(client):
    from django.contrib.auth.models import AnonymousUser

    assert nav(AnonymousUser()) == []
