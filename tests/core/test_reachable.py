"""Who a mail can reach (``User.objects.reachable_staff()`` / ``.reachable_at(operators)``): the
one rule that the case mails, the meeting mails and the briefing's circulation follow."""

import pytest

from supervision.core.models import Operator, Role, User
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(regulator, leader, operator_a, manager_a, operator_b):
    make_user("staff_gone", Role.REGULATOR_STAFF, is_active=False)
    User.objects.create_user("staff_no_address", role=Role.REGULATOR_STAFF)
    make_user("cmcc_gone", Role.OPERATOR_STAFF, "CMCC", is_active=False)
    User.objects.create_user(
        "cmcc_no_address", role=Role.OPERATOR_MANAGER, operator=Operator.objects.get(code="CMCC")
    )
    return {
        "regulator": regulator,
        "leader": leader,
        "a": operator_a,
        "manager_a": manager_a,
        "b": operator_b,
    }


def names(users) -> set[str]:
    return {u.username for u in users}


def test_staff_are_the_administrations_active_staff_with_an_address(people):
    # Not the leadership (they read the dashboard and the briefing), nobody inactive or without an address.
    assert names(User.objects.reachable_staff()) == {"regulator"}


def test_an_operators_people_are_its_active_users_with_an_address(people):
    cmcc, cucc = Operator.objects.get(code="CMCC"), Operator.objects.get(code="CUCC")
    assert names(User.objects.reachable_at([cmcc.pk])) == {"operator_a", "manager_a"}
    assert names(User.objects.reachable_at([cmcc.pk, cucc.pk])) == {"operator_a", "manager_a", "operator_b"}
    assert names(User.objects.reachable_at([])) == set()


def test_the_questions_combine_and_the_manager_still_creates_users(people):
    cucc = Operator.objects.get(code="CUCC")
    both = User.objects.reachable_staff() | User.objects.reachable_at([cucc.pk])
    assert names(both) == {"regulator", "operator_b"}
    assert names(User.objects.filter(username__startswith="staff").reachable()) == set()
    assert User.objects.create_user(
        "new", password="x-Long-enough-1", email="n@example.cn", role=Role.REGULATOR_LEADER
    ).check_password("x-Long-enough-1")
