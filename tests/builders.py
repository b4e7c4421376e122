"""Builders the tests of several parts share: the fixed users, reports, complaints, document readers.

A builder here makes rows as a test speaks of them (``report("CMCC", "2026-10", {...})``) and is
imported where it is needed; the fixtures that use them are in tests/conftest.py.
"""

from supervision.core.models import Operator, Role, User

PASSWORD = "Correct-Horse-42"


# --- Users --------------------------------------------------------------------------------------


def make_user(username, role, operator_code=None, **extra):
    operator = Operator.objects.get(code=operator_code) if operator_code else None
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.cn",
        role=role,
        operator=operator,
        **extra,
    )


# The fixed users per role (the fixtures of tests/conftest.py by these names): username, role,
# operator, full name.
FIXED_USERS = {
    "regulator": (Role.REGULATOR_STAFF, None, "王科长"),
    "leader": (Role.REGULATOR_LEADER, None, "李局长"),
    "operator_a": (Role.OPERATOR_STAFF, "CMCC", "张专员"),  # reporting staff of China Mobile
    "manager_a": (Role.OPERATOR_MANAGER, "CMCC", "赵经理"),  # manager of China Mobile
    "operator_b": (Role.OPERATOR_STAFF, "CUCC", "刘专员"),  # reporting staff of China Unicom
}

# The roles of the transition tables, and the fixed user each stands for.
TABLE_ROLES = {
    "staff": "regulator",
    "leader": "leader",
    "operator_a": "operator_a",
    "manager_a": "manager_a",
    "operator_b": "operator_b",
}


def fixed_user(username):
    """One of FIXED_USERS, made."""
    role, operator_code, full_name = FIXED_USERS[username]
    return make_user(username, role, operator_code, full_name=full_name)


def make_role_users():
    """The users the transition tables are tried with, by the names the tests give the roles."""
    return {role: fixed_user(username) for role, username in TABLE_ROLES.items()}


def fresh(users):
    """The same users read again from the database (for tests sharing rows made once)."""
    by_pk = User.objects.in_bulk([user.pk for user in users.values()])
    return {role: by_pk[user.pk] for role, user in users.items()}
