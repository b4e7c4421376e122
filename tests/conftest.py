"""Fixed users per role, as the tests speak of them: regulator, leader, operator_a, operator_b."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation

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


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file, not Django's default shared in-memory database.

    With an in-memory database, Django's live server hands its one connection to every request
    thread; Python's sqlite3 module does not support one connection used by several threads at
    once, and the browser tests, which load a page's images in parallel, then deadlock (a thread
    holding SQLite's connection mutex waits for the GIL held by a thread waiting for that mutex).
    A file gives every thread its own connection, as in production.
    """
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


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
def default_language():
    """Each test starts in the site's default language (Chinese).

    Django's LocaleMiddleware leaves the language of the last request active in the thread, so
    without this a test would see whatever language the test before it last requested.
    """
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


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
