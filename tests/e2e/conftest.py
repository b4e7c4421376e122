"""End-to-end tests in a real Chromium (Debian's), driven by Playwright against a live server.

Every test in this folder is marked ``e2e`` automatically: ``pytest -m "not e2e"`` leaves them out.

The live server needs a transactional database, and pytest-django empties (flushes) every table
after a transactional test, which would also delete the reference rows that the data migration
``core/0002_reference_data`` created (operators, cities, categories, periods). The harness
therefore runs that migration's function again

* before each test here (``reference_data``: the browser tests never depend on what ran earlier), and
* after each transactional test here, once the flush is done (``pytest_runtest_teardown``), and
  at the end of the session before the test database is torn down or kept (``--reuse-db``),

so that every test that runs afterwards, in this folder or elsewhere, sees the same reference
data as after ``migrate``.
"""

import importlib
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, make_user

# Playwright's sync API runs an asyncio event loop in the main thread for the rest of the session
# once the browser has started, and Django refuses ORM calls from a thread with a running loop.
# It has to be set process-wide: the loop stays up for any test that runs after the first one here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

E2E_DIR = Path(__file__).resolve().parent
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Where the live server's media handler listens: nowhere the site links to (``live_server``).
UNSERVED_MEDIA_URL = "/__e2e_media_not_served__/"

_reference_migration = importlib.import_module("supervision.core.migrations.0002_reference_data")
_DB_BLOCKER = pytest.StashKey[object]()


def create_reference_data():
    """Run the data migration's function again; it is idempotent (update_or_create / get_or_create).

    Rows made again after a flush have new primary keys: the builders' cache of them is emptied.
    """
    from django.apps import apps

    from tests.builders import reference_id

    _reference_migration.create_reference_data(apps, None)
    reference_id.cache_clear()


# --- Marking and reporting -------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # This hook sees every collected item of the session, not only this folder's.
    # tryfirst: the mark is there before ``-m`` selects on it.
    for item in items:
        if item.path.is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # ``item.rep_setup`` / ``rep_call`` / ``rep_teardown``, for the screenshot below.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _uses_transactional_db(item) -> bool:
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    return (
        "transactional_db" in names
        or "live_server" in names
        or bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        # The test's fixtures are torn down now, so the flush has happened. At the very end of the
        # session (nextitem is None) the session fixture ``_reference_data_at_session_end`` does it,
        # because by now the test database may be gone.
        blocker = item.config.stash.get(_DB_BLOCKER, None)
        if nextitem is not None and blocker is not None and _uses_transactional_db(item):
            with blocker.unblock():
                create_reference_data()


# --- Chromium --------------------------------------------------------------------------------


def _chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM


def _running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true"}


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The Chromium binary; skips the browser tests when it is missing, or fails them under CI."""
    configured = _chromium_path()
    found = shutil.which(configured)
    if not found:
        message = (
            f"Chromium not found at {configured}; install Debian's chromium "
            "(apt-get install chromium) to run the browser tests"
        )
        if _running_in_ci():
            pytest.fail(f"{message} (CI is set: a missing browser is an error there, not a skip)")
        pytest.skip(message)
    return found


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_executable):
    """pytest-playwright's launch options, with Debian's Chromium. Never ``playwright install``."""
    return {
        **browser_type_launch_args,
        "executable_path": chromium_executable,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


# A browser as the desk's users have it: Chinese, in Shandong's time zone; and asking for reduced
# motion, which Bootstrap honours by dropping its transitions: a test then waits for what the user
# sees rather than for a 350 ms slide (Playwright's ``expect`` polls after 100, 250 and 500 ms, so
# each menu opened or closed cost up to a second).
CONTEXT = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai", "reduced_motion": "reduce"}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """pytest-playwright's context options with ``CONTEXT``'s."""
    return {**browser_context_args, **CONTEXT}


@pytest.fixture(autouse=True)
def _screenshot_on_failure(request, output_path):
    """A full-page screenshot in test-results/<test>/failure.png when a browser test fails."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")  # set up before this fixture, so still open at its teardown
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and not page.is_closed():
        target = Path(output_path) / "failure.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), full_page=True)
        print(f"screenshot of the failure: {target}")


@pytest.fixture(autouse=True)
def _confirm_irreversible_actions(request):
    """An irreversible action asks the user to confirm its consequence (static/js/confirm.js, a
    window.confirm); a browser test accepts, as the user who clicks the button means to."""
    if "page" not in request.fixturenames:
        return
    request.getfixturevalue("page").on("dialog", lambda dialog: dialog.accept())


# --- The clock -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _browser_test_clock(clock, settings):
    """Every browser test runs on a pinned clock (tests/conftest.py's ``clock``: ``--at``'s instant,
    or a fixed day), never on today's date; a test may travel on to an instant of its own.

    time-machine moves the clock of this process, the live server's threads included, not
    Chromium's: a session cookie whose expiry the server computed from a pinned day in the past
    would already have expired for the browser, which would then drop it and never be logged in.
    Here the session cookie lasts until the browser closes (the server still ends the session
    after SESSION_COOKIE_AGE, by its own clock).
    """
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    return clock


# --- Database and live server ----------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _reference_data_at_session_end(request, django_db_setup, django_db_blocker):
    """Lets the teardown hook reach the database; restores the reference rows at the very end."""
    request.config.stash[_DB_BLOCKER] = django_db_blocker
    yield
    # Torn down after the last test's flush and before the test database is destroyed (or kept).
    with django_db_blocker.unblock():
        create_reference_data()
    del request.config.stash[_DB_BLOCKER]


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, whose media handler serves nothing the site links to.

    Django's LiveServerThread wraps the site in a handler that serves MEDIA_ROOT at MEDIA_URL.
    Uploaded files are only ever served through views that check access, so while the server
    starts MEDIA_URL is a path that nothing links to: a browser test cannot reach a file by a
    way that production does not have.
    """
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    )
    with override_settings(MEDIA_URL=UNSERVED_MEDIA_URL):
        server = LiveServer(addr)
    yield server
    server.stop()


@pytest.fixture
def reference_data(transactional_db):
    """The reference rows, whatever a transactional test before this one left in the tables."""
    create_reference_data()


@pytest.fixture
def live_url(live_server, reference_data):
    """``live_url("/accounts/login/")``: the absolute URL of a path on the live server."""

    def url(path: str = "/") -> str:
        return f"{live_server.url}{path}"

    return url


@pytest.fixture
def login(live_url):
    """``login(page, username, password)``: log in through the real form at /accounts/login/."""
    from playwright.sync_api import expect

    def do_login(page, username: str, password: str = PASSWORD):
        page.goto(live_url("/accounts/login/"))
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        page.locator("main form button[type=submit]").click()
        # A successful log-in leaves the log-in page; a failed one re-renders it with an error.
        expect(page).not_to_have_url(live_url("/accounts/login/"))
        return page

    return do_login


# --- People, one per role, in the live database ----------------------------------------------


@pytest.fixture
def live_user(reference_data):
    """``live_user(username, role, operator_code=None, **extra)``: tests/conftest.py's make_user,
    in the database that the live server sees. The password is tests.conftest.PASSWORD."""
    return make_user


@pytest.fixture
def live_regulator(live_user):
    from supervision.core.models import Role

    return live_user("regulator", Role.REGULATOR_STAFF, full_name="王科长")


@pytest.fixture
def live_leader(live_user):
    from supervision.core.models import Role

    return live_user("leader", Role.REGULATOR_LEADER, full_name="李局长")


@pytest.fixture
def live_operator_staff(live_user):
    """Reporting staff of China Mobile (CMCC)."""
    from supervision.core.models import Role

    return live_user("operator_a", Role.OPERATOR_STAFF, "CMCC", full_name="张专员")


@pytest.fixture
def live_operator_manager(live_user):
    """Manager of China Mobile (CMCC)."""
    from supervision.core.models import Role

    return live_user("manager_a", Role.OPERATOR_MANAGER, "CMCC", full_name="赵经理")


def click_nav(page, path: str) -> None:
    """Follow the navigation link to ``path``, opening its drop-down menu first if it is in one.

    Waits for what the user waits for: the page loaded, its style sheets and scripts included,
    before asking whether the link is visible (``is_visible`` does not wait: before Bootstrap's
    style sheet applies, a closed drop-down's links count as visible, and the click would then
    wait for a link that its menu hides) and before a drop-down is opened (a click on the toggle
    before Bootstrap's script has run opens nothing, and the link would never become visible).
    """
    from playwright.sync_api import expect

    link = page.get_by_test_id("nav").locator(f"a[href='{path}']")
    link.wait_for(state="attached")
    page.wait_for_load_state("load")
    if not link.is_visible():
        link.locator("xpath=ancestor::li[contains(@class, 'dropdown')]/button").click()
        expect(link).to_be_visible()
    link.click()
