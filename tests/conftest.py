"""Fixed users per role, as the tests speak of them: regulator, leader, operator_a, operator_b.

Also the session's clock: ``pytest --at 2027-01-31T23:30+08:00`` runs the tests at that instant
(``clock_instant``, below).
"""

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.utils import translation

from supervision.core.models import SHANGHAI
from tests.builders import (  # noqa: F401  (PASSWORD, fixed_user, make_user: imported from here by tests)
    PASSWORD,
    fixed_user,
    make_user,
    migrated_template,
    test_cache,
)

_AT = pytest.StashKey[dt.datetime]()
_SESSION_TRAVEL = pytest.StashKey[object]()


# --- The clock -------------------------------------------------------------------------------


def pytest_addoption(parser):
    parser.addoption(
        "--at",
        metavar="INSTANT",
        default=None,
        help=(
            "run the session with the clock at INSTANT (ISO 8601, e.g. 2027-01-31T23:30+08:00; "
            "without an offset, Asia/Shanghai): every test starts there and the clock ticks on"
        ),
    )


def clock_instant(value: str) -> dt.datetime:
    """``--at``'s value as an aware datetime; a time without an offset is Asia/Shanghai's."""
    instant = dt.datetime.fromisoformat(value.strip())
    return instant if instant.tzinfo else instant.replace(tzinfo=SHANGHAI)


def pytest_configure(config):
    """``--at``: the process travels there before anything else runs.

    Before the test database is created (its data migration and everything the first tests
    store see that date) and before the browser tests' live server starts: time-machine
    patches the whole process, so the live server's threads, the demo seeding and Celery's
    eager tasks all read the travelled clock.
    """
    _cache_of_this_process()
    value = config.getoption("at", default=None)
    if not value:
        return
    instant = clock_instant(value)
    traveller = time_machine.travel(instant, tick=True)
    traveller.start()
    config.stash[_AT] = instant
    config.stash[_SESSION_TRAVEL] = traveller


def _cache_of_this_process() -> None:
    """The cache's keys under a prefix of this process's own (each xdist worker, each run).

    On the PostgreSQL + Redis run the cache is the machine's Redis: without it, two workers whose
    test databases number their tokens alike, on the same pinned clock, counted each other's
    requests in the same rate-limit key (``api-rate:<token>:<minute>``).
    """
    default = django_settings.CACHES["default"]
    default["KEY_PREFIX"] = (
        f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}-{time.time_ns()}"
    )


def pytest_unconfigure(config):
    traveller = config.stash.get(_SESSION_TRAVEL, None)
    if traveller is not None:
        traveller.stop()
        del config.stash[_SESSION_TRAVEL]


def pytest_report_header(config):
    instant = config.stash.get(_AT, None)
    if instant is not None:
        return f"clock: every test starts at {instant.isoformat()} (--at), and ticks"


# Where a test whose outcome depends on the date stands when no ``--at`` is given.
DEFAULT_INSTANT = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


def session_instant(config) -> dt.datetime:
    """Where a date-sensitive test starts: ``--at``'s instant, or else DEFAULT_INSTANT.

    Also for a fixture of a wider scope than a test that makes data for such tests: it is set up
    before the test's clock is put there (``_test_starts_at_session_instant``).
    """
    return config.stash.get(_AT, DEFAULT_INSTANT)


@pytest.fixture
def clock(request):
    """The clock of a test that depends on the date, ticking: at ``--at``'s instant, or else at
    DEFAULT_INSTANT, whatever today's date. Its value is that instant: compute expectations from it.
    """
    instant = session_instant(request.config)
    with time_machine.travel(instant, tick=True):
        yield instant


@pytest.fixture(autouse=True)
def _test_starts_at_session_instant(request):
    """Under ``--at``, each test starts at that instant again (the clock ticks during the test);
    without it, a test marked ``dates`` starts at DEFAULT_INSTANT, never on today's date.

    Without it the clock would run on through the session, and tests late in a run started at
    2027-12-31 23:59 would all be on 1 January 2028: each test is to see the instant chosen.
    A test that pins its own clock (time_machine.travel) travels on from here.
    """
    if request.config.stash.get(_AT, None) is None and request.node.get_closest_marker("dates") is None:
        yield
        return
    with time_machine.travel(session_instant(request.config), tick=True):
        yield


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


# --- The migrated test database, kept between runs ------------------------------------------------
#
# (tests/builders.py, ``migrated_template``.) A run whose digest has a template copies it and
# runs ``migrate`` on it (nothing left to apply); otherwise it migrates as before and leaves its
# result as the template. The content is the migrations' own, never a schema made from the
# models (``--no-migrations``), so the data migrations' rows are there. Under ``--at`` too, either
# way: the migrations read no clock (their RunPython functions make fixed rows: operators, cities,
# categories, the periods 2019-12 to 2027-12), and the only rows with a time in them, the
# scheduler's timetable made by the post_migrate handlers (``ensure_schedule``, update_or_create),
# are written again with the run's own clock by the ``migrate`` that follows every copy. Not used
# with ``--create-db``, on PostgreSQL, or with TEST_CACHE=0 (which also leaves out the fonts kept,
# ``fonts_cut_once``).

TEST_CACHE = test_cache()


def _cache_enabled() -> bool:
    return os.environ.get("TEST_CACHE", "1") != "0"


def _template_enabled(config) -> bool:
    database = django_settings.DATABASES["default"]
    return (
        database["ENGINE"] == "django.db.backends.sqlite3"
        and _cache_enabled()
        and not config.getvalue("create_db")
    )


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings):
    """True when the test database starts from the kept template (copied here), as ``--reuse-db``."""
    if request.config.getvalue("reuse_db"):
        return True
    if not _template_enabled(request.config):
        return False
    template = migrated_template()
    if not template.exists():
        return False
    name = Path(django_settings.DATABASES["default"]["TEST"]["NAME"])
    shutil.copyfile(template, name)
    return True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_keepdb, request):
    """pytest-django's set-up; a database migrated here becomes the template for the next runs."""
    if not django_db_keepdb and _template_enabled(request.config):
        template = migrated_template()
        name = django_settings.DATABASES["default"]["TEST"]["NAME"]
        template.parent.mkdir(parents=True, exist_ok=True)
        partial = template.with_name(f"{template.stem}.{os.getpid()}.partial")
        # The backup API copies a consistent database, the WAL's pages included.
        with (
            contextlib.closing(sqlite3.connect(name)) as source,
            contextlib.closing(sqlite3.connect(partial)) as copy,
        ):
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        os.replace(partial, template)  # whole or not at all, whatever runs beside
        for old in template.parent.glob("*.sqlite3"):
            if old != template and time.time() - old.stat().st_mtime > 3600:
                old.unlink(missing_ok=True)
    yield


@pytest.fixture
def media_root(settings, tmp_path):
    """A test's uploaded and generated files go to a temporary folder, not the project's var/media;
    the folder, as a Path. Asked for by name, or for a whole module with
    ``pytestmark = pytest.mark.usefixtures("media_root")``."""
    folder = tmp_path / "media"
    settings.MEDIA_ROOT = str(folder)
    return folder


@pytest.fixture
def regulator(db):
    return fixed_user("regulator")


@pytest.fixture
def leader(db):
    return fixed_user("leader")


@pytest.fixture
def operator_a(db):
    """Reporting staff of China Mobile (CMCC)."""
    return fixed_user("operator_a")


@pytest.fixture
def manager_a(db):
    """Manager of China Mobile (CMCC)."""
    return fixed_user("manager_a")


@pytest.fixture
def operator_b(db):
    """Reporting staff of China Unicom (CUCC)."""
    return fixed_user("operator_b")


@pytest.fixture
def role_users(regulator, leader, operator_a, manager_a, operator_b):
    """The users the transition tables are tried with, by the names the tests give the roles."""
    return {
        "staff": regulator,
        "leader": leader,
        "operator_a": operator_a,
        "manager_a": manager_a,
        "operator_b": operator_b,
    }


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


FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs a quarter of a second per log-in; tests don't need its strength."""
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True, scope="session")
def fonts_cut_once():
    """Each font is cut to a set of characters once (``pdf.truetype_subset``), and kept.

    Cutting a Chinese font (opening 8–12 MB of CFF outlines, converting the glyphs to TrueType)
    costs seconds for every PDF, most of a PDF's time; the tests make their documents again and
    again from the same characters, run after run. The cut is a pure function of the font file,
    the set of characters and the code that cuts (core/pdf.py, fontTools), so the bytes kept are
    those it would make again: every PDF is still laid out and written in full, and a change of
    the code, the fonts or the characters cuts afresh. Kept in memory for the process and in
    var/test-cache/fonts/ (under a digest of pdf.py and fontTools' version) for the next runs;
    TEST_CACHE=0: in memory only.
    """
    from fontTools import version as fonttools_version

    from supervision.core import pdf

    original = pdf.truetype_subset
    code = hashlib.sha256(Path(pdf.__file__).read_bytes() + fonttools_version.encode()).hexdigest()[:16]
    folder = TEST_CACHE / "fonts" / code if _cache_enabled() else None
    if folder is not None and folder.parent.exists():
        for old in folder.parent.iterdir():  # the cuts of other versions of the code, unused for a day
            if old != folder and time.time() - old.stat().st_mtime > 86400:
                shutil.rmtree(old, ignore_errors=True)

    @functools.lru_cache(maxsize=64)
    def cut(path, characters):
        if folder is None:
            return original(path, characters)
        font = os.stat(path)
        name = f"{path}|{font.st_size}|{font.st_mtime_ns}|{characters}"
        kept = folder / f"{hashlib.sha256(name.encode()).hexdigest()[:32]}.ttf"
        if kept.exists():
            return kept.read_bytes()
        data = original(path, characters)
        folder.mkdir(parents=True, exist_ok=True)
        partial = kept.with_name(f"{kept.stem}.{os.getpid()}.partial")
        partial.write_bytes(data)
        os.replace(partial, kept)  # whole or not at all, whatever runs beside
        return data

    def truetype_subset(path, text):
        return cut(str(path), "".join(sorted(set(text))))

    pdf.truetype_subset = truetype_subset
    yield
    pdf.truetype_subset = original


@pytest.fixture(autouse=True, scope="session")
def charts_drawn_once():
    """Each briefing chart is drawn once per process for the same figures (``briefings.charts.render``).

    A briefing's files, its page and the hostile-query walk draw the same three charts from the
    same figures again and again (matplotlib, a quarter of a second or more each). The chart is a
    pure function of its key and the figures (no language, no clock), so the PNG remembered is the
    one it would draw again; figures that cannot be written as JSON are drawn every time.
    """
    from supervision.briefings import charts

    original = charts.render
    drawn = {}

    def render(key, figures):
        try:
            known = (key, json.dumps(figures, sort_keys=True, default=repr))
        except (TypeError, ValueError):
            return original(key, figures)
        if known not in drawn:
            if len(drawn) >= 64:
                drawn.clear()
            drawn[known] = original(key, figures)
        return drawn[known]

    charts.render = render
    yield
    charts.render = original


def _rows_made_once(django_db_blocker, config):
    """The set-up and tear-down of ``module_db`` and ``class_db``: the transaction around their tests."""
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()

    def make(build, at=None):
        if at is not None:
            clock = time_machine.travel(at, tick=False)
        elif config.stash.get(_AT, None) is not None:
            clock = time_machine.travel(session_instant(config), tick=True)
        else:
            clock = contextlib.nullcontext()
        with (
            django_db_blocker.unblock(),
            override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS),
            translation.override(django_settings.LANGUAGE_CODE),  # as each test starts
            clock,
        ):
            return build()

    try:
        yield make
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker, request):
    """``module_db(build, at=None)``: rows made once for all the tests of a module; ``build()``'s result.

    As Django's ``TestCase.setUpTestData``: the rows are made inside a transaction opened for the
    module and rolled back after its last test; each test (``db``) runs in a savepoint inside it,
    rolled back at its end, so a test sees the rows as built whatever the tests before it did.
    Python objects returned are shared: a test that changes one reads it again from the database.
    ``at``: the instant to build at (the clock stopped), for a module whose tests pin their own
    clock; otherwise ``--at``'s instant (ticking) if given, or now. Only for modules whose tests
    all use ``db`` (a ``transactional_db`` test would flush the rows under the others), and whose
    tests all expect those rows (once made, they are there for the module's later tests).
    """
    yield from _rows_made_once(django_db_blocker, request.config)


@pytest.fixture(scope="class")
def class_db(django_db_setup, django_db_blocker, request):
    """``class_db(build, at=None)``: as ``module_db``, for the tests of one class."""
    yield from _rows_made_once(django_db_blocker, request.config)


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
