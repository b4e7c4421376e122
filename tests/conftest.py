"""Fixed users per role, as the tests speak of them: regulator, leader, operator_a, operator_b."""

from pathlib import Path

import pytest

from supervision.core.models import Operator, Role, User

PASSWORD = "Correct-Horse-42"


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


@pytest.fixture
def regulator(db):
    return make_user("regulator", Role.REGULATOR_STAFF, full_name="王科长")


@pytest.fixture
def leader(db):
    return make_user("leader", Role.REGULATOR_LEADER, full_name="李局长")


@pytest.fixture
def operator_a(db):
    """Reporting staff of China Mobile (CMCC)."""
    return make_user("operator_a", Role.OPERATOR_STAFF, "CMCC", full_name="张专员")


@pytest.fixture
def manager_a(db):
    """Manager of China Mobile (CMCC)."""
    return make_user("manager_a", Role.OPERATOR_MANAGER, "CMCC", full_name="赵经理")


@pytest.fixture
def operator_b(db):
    """Reporting staff of China Unicom (CUCC)."""
    return make_user("operator_b", Role.OPERATOR_STAFF, "CUCC", full_name="刘专员")


@pytest.fixture
def client_for(client):
    """``client_for(user)``: a test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs a quarter of a second per log-in; tests don't need its strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"


@pytest.fixture
def samples():
    """The valid sample uploads of ../shared/samples (FORMATS.md)."""
    assert SAMPLES.is_dir(), f"the sample files are expected in {SAMPLES}"
    return SAMPLES


@pytest.fixture
def eager_tasks(settings):
    """Run Celery tasks inline, for tests about what a task does rather than how it is queued."""
    from supervision.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False
