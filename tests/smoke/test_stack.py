"""The production stack, from a browser: log in on the running site and see the work queue.

Run by ``make ci-stack`` (deploy/ci-stack.sh) against deploy/serve.sh on PostgreSQL and Redis,
DEBUG off, with the demo data; the site's address comes from ``SMOKE_BASE_URL``. Marked
``smoke`` and left out of ``make test``; without ``SMOKE_BASE_URL`` the tests are skipped.
Debian's Chromium (``CHROMIUM`` or /usr/bin/chromium), as the browser tests use.
"""

import os

import pytest

from supervision.demo.accounts import DEMO_PASSWORD

pytestmark = pytest.mark.smoke

BASE_URL = os.environ.get("SMOKE_BASE_URL", "").rstrip("/")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="module")
def browser():
    if not BASE_URL:
        pytest.skip("SMOKE_BASE_URL is not set (make ci-stack sets it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)  # a loaded machine, a cold stack
    yield page
    context.close()


def log_in(page, username: str) -> None:
    from playwright.sync_api import expect

    answer = page.goto(f"{BASE_URL}/accounts/login/")
    assert answer.status == 200
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(f"{BASE_URL}/accounts/login/")


def see_home_and_list(page, home: str, listing: str) -> None:
    from playwright.sync_api import expect

    answer = page.goto(f"{BASE_URL}{home}")
    assert answer.status == 200, f"{home}: {answer.status}"
    expect(page.locator("[data-testid=work-queue] #work-heading")).to_be_visible()
    answer = page.goto(f"{BASE_URL}{listing}")
    assert answer.status == 200, f"{listing}: {answer.status}"
    expect(page.locator("main table").first).to_be_visible()


def test_staff_sees_the_work_queue_and_the_complaints(page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "staff")
    see_home_and_list(page, "/dashboard/", "/dashboard/complaints/")
    assert errors == []


def test_operator_sees_the_work_queue_and_the_reports(page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "cmcc")
    see_home_and_list(page, "/portal/", "/portal/reports/")
    assert errors == []
