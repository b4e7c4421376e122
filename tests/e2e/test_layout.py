"""The layout at the widths people use: a 1280 px laptop in English (the longer labels) and a
390 px phone. No page scrolls sideways; on the laptop the navigation, the log-out button and
the language switch are all on screen; on the phone the menu opens from its button, and the
home pages and lists show one card per row instead of a table wider than the screen.
"""

import re

import pytest
from playwright.sync_api import expect

from supervision.core.models import Role
from tests.casework.conftest import make_interview, make_order
from tests.e2e.conftest import CONTEXT

REGULATOR_PAGES = [
    "/dashboard/",
    "/dashboard/reporting/",
    "/dashboard/complaints/",
    "/dashboard/findings/",
    "/dashboard/orders/",
    "/dashboard/interviews/",
    "/dashboard/meetings/",
    "/dashboard/briefings/",
    "/dashboard/mail/",
]
OPERATOR_PAGES = [
    "/portal/",
    "/portal/reports/",
    "/portal/findings/",
    "/portal/orders/",
    "/portal/interviews/",
    "/portal/meetings/",
]
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def people(live_user, settings, tmp_path):
    """Staff and a manager of China Mobile, in English, with an order and an interview to list."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Staff who is also a user administrator: the longest menu (the admin site, the access log).
    staff = live_user(
        "layout_staff",
        Role.REGULATOR_STAFF,
        full_name="王科长",
        language="en",
        is_staff=True,
        can_administer_users=True,
    )
    manager = live_user("layout_manager", Role.OPERATOR_MANAGER, "CMCC", full_name="赵经理", language="en")
    operator = live_user("layout_operator", Role.OPERATOR_STAFF, "CMCC", full_name="张专员", language="en")
    make_order(staff, operator)
    make_interview(staff, manager=manager)
    return {"staff": staff, "manager": manager}


def scroll_width(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")


# The elements that reach past the window's right edge and have no child that does: the culprits.
WIDEST = """() => {
  const limit = document.documentElement.clientWidth;
  const over = [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > limit + 1);
  return over.filter(e => ![...e.children].some(c => over.includes(c))).slice(0, 6).map(
    e => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} ${Math.round(e.getBoundingClientRect().right)}`);
}"""


def assert_no_sideways_scroll(page, path):
    wide, visible = scroll_width(page)
    assert wide <= visible, f"{path} is {wide} px wide in a {visible} px window: {page.evaluate(WIDEST)}"


@pytest.mark.parametrize("who,pages", [("staff", REGULATOR_PAGES), ("manager", OPERATOR_PAGES)])
def test_a_laptop_in_english_has_the_whole_navigation_on_screen(browser, live_url, login, people, who, pages):
    context = browser.new_context(**{**CONTEXT, "locale": "en-GB"}, viewport=LAPTOP)
    page = context.new_page()
    login(page, people[who].username)
    for path in pages:
        page.goto(live_url(path))
        page.wait_for_load_state("load")
        assert page.locator("html").get_attribute("lang") == "en"
        expect(page.get_by_test_id("nav")).to_be_visible()
        logout = page.locator("nav form[action$='/logout/'] button")
        expect(logout).to_be_visible()
        expect(page.get_by_test_id("language-switch")).to_be_visible()
        # Everything of the bar inside the window, the log-out button and the switch included.
        for element in (logout, page.get_by_test_id("language-switch")):
            box = element.bounding_box()
            assert box["x"] + box["width"] <= LAPTOP["width"], path
        # The bar is one line: the navigation and the log-out button side by side.
        nav_box = page.get_by_test_id("nav").bounding_box()
        assert abs(nav_box["y"] - logout.bounding_box()["y"]) < nav_box["height"], path
        assert_no_sideways_scroll(page, path)
    context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("who,pages", [("staff", REGULATOR_PAGES), ("manager", OPERATOR_PAGES)])
def test_a_phone_shows_cards_and_never_scrolls_sideways(
    browser, live_url, login, people, who, pages, language
):
    people[who].language = language
    people[who].save(update_fields=["language"])
    context = browser.new_context(**CONTEXT, viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    login(page, people[who].username)
    for path in pages:
        page.goto(live_url(path))
        page.wait_for_load_state("load")
        assert_no_sideways_scroll(page, path)
        expect(page.get_by_test_id("language-switch")).to_be_visible()
        # The menu opens from its button, with the log-out button in it.
        page.locator(".navbar-toggler").click()
        expect(page.locator("#nav-menu")).to_have_class(re.compile(r"\bshow\b"))  # opened fully
        expect(page.locator("nav form[action$='/logout/'] button")).to_be_visible()
        page.locator(".navbar-toggler").click()
        expect(page.locator("nav form[action$='/logout/'] button")).to_be_hidden()
        # Every table is cards: each row a block, each cell under its column's name.
        displays = page.eval_on_selector_all(
            "main table",
            "tables => tables.map(t => [t.className, getComputedStyle(t.tBodies[0]?.rows[0] ?? t).display])",
        )
        for classes, display in displays:
            assert "no-cards" in classes or ("cards" in classes and display == "block"), (
                path,
                classes,
                display,
            )
    # The order listed: its cells named as in the table's header.
    orders = "/dashboard/orders/" if who == "staff" else "/portal/orders/"
    page.goto(live_url(orders))
    first = page.locator("main table tbody tr").first.locator("td[data-label]").first
    expect(first).to_be_visible()
    assert first.get_attribute("data-label")
    context.close()
