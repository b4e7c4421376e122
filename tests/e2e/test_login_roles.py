"""Each role logs in through the real form, lands on its own face, sees only its navigation,
reads it in Chinese first, switches to English, and logs out.

Labels in Chinese are taken from the zh-hans catalogue (Django's gettext): as long as a label has no
translation the page shows its English msgid, and the test checks exactly that; once
locale/zh_Hans/LC_MESSAGES/django.mo translates it, the test expects the Chinese label instead.
Texts that do not depend on the catalogue (the <html lang>, operator names from the database,
the language switch's "English"/"简体中文") are asserted literally.
"""

import re
from dataclasses import dataclass

import pytest
from django.utils import translation
from playwright.sync_api import expect

from supervision.core.models import Operator, Role

# Runs at each of make test-dates' instants: each face's home page opens on the last complete month.
pytestmark = pytest.mark.dates


@dataclass(frozen=True)
class Face:
    user_fixture: str
    role: str
    home: str
    area: str  # every navigation entry of the role lies under this path
    nav: tuple[tuple[str, str], ...]  # (English label, path) entries the role must have, home first


REGULATOR_NAV = (("Overview", "/dashboard/"), ("Task forces", "/dashboard/task-forces/"))
OPERATOR_NAV = (("My company", "/portal/"), ("Task force", "/portal/task-force/"))

FACES = [
    Face("live_regulator", Role.REGULATOR_STAFF, "/dashboard/", "/dashboard/", REGULATOR_NAV),
    Face("live_leader", Role.REGULATOR_LEADER, "/dashboard/", "/dashboard/", REGULATOR_NAV),
    Face("live_operator_staff", Role.OPERATOR_STAFF, "/portal/", "/portal/", OPERATOR_NAV),
    Face("live_operator_manager", Role.OPERATOR_MANAGER, "/portal/", "/portal/", OPERATOR_NAV),
]


def in_chinese(text: str) -> str:
    with translation.override("zh-hans"):
        return str(translation.gettext(text))


def nav_entries(page) -> list[tuple[str, str]]:
    """(label, href) of every link in the navigation, in order."""
    links = page.get_by_test_id("nav").locator("a")
    expect(links.first).to_be_visible()
    pairs = links.evaluate_all("links => links.map(a => [a.textContent.trim(), a.getAttribute('href')])")
    return [(label, href) for label, href in pairs]


def expect_face(page, face: Face, *, chinese: bool) -> None:
    """The navigation and the home page's content of the role, in one language.

    The navigation grows as features land, so the test asks for the role's own entries and for
    nothing outside the role's area, rather than for an exact list.
    """
    entries = nav_entries(page)
    for label, path in face.nav:
        assert ((in_chinese(label) if chinese else label), path) in entries
    assert all(href.startswith(face.area) for _label, href in entries), entries
    home_link = page.get_by_test_id("nav").locator(f"a[href='{face.home}']")
    expect(home_link).to_have_attribute("aria-current", "page")

    cmcc = Operator.objects.get(code="CMCC")
    heading = page.locator("main h1")
    if face.home == "/portal/":
        # The operator's own name, in the page's language; none of the administration's entries.
        expect(heading).to_have_text(cmcc.name_zh if chinese else cmcc.name_en)
        labels = {label for label, _href in entries}
        for label, _path in REGULATOR_NAV:
            assert label not in labels
            assert in_chinese(label) not in labels
    else:
        expect(heading).to_contain_text(in_chinese("Overview") if chinese else "Overview")
        # Every operator in the summary table, by its short name in the page's language.
        # (Compared as sets: the table's order is the dashboard's business, not this test's.)
        names = page.get_by_test_id("operator-summary").locator("tbody th")
        expect(names).to_have_count(Operator.objects.count())
        expected = {op.short_zh if chinese else op.short_en for op in Operator.objects.all()}
        assert {name.strip() for name in names.all_inner_texts()} == expected


@pytest.mark.parametrize("face", FACES, ids=[face.role for face in FACES])
def test_role_logs_in_sees_its_face_in_chinese_then_english_and_logs_out(
    page, request, live_url, login, face
):
    user = request.getfixturevalue(face.user_fixture)
    assert user.role == face.role

    login(page, user.username)

    # Chinese first: the desk's default language.
    expect(page).to_have_url(live_url(face.home))
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect_face(page, face, chinese=True)
    switch = page.get_by_test_id("language-switch")
    to_english = switch.locator("button[name=language][value=en]")
    expect(switch.locator("button")).to_have_count(1)  # the one other language
    expect(to_english).to_have_attribute("lang", "en")
    # Its label is not asserted here: {% get_available_languages %} runs the names in LANGUAGES
    # through gettext, so on a Chinese page the button reads "英语" (Django's own catalogue), not
    # "English". Once the switch names each language in itself, add:
    #     expect(to_english).to_have_text("English")

    # The same page in English.
    to_english.click()
    expect(page).to_have_url(live_url(face.home))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect_face(page, face, chinese=False)
    expect(switch.locator("button")).to_have_text(["简体中文"])
    user.refresh_from_db()
    assert user.language == "en"  # remembered on the profile, for the next log-in on any browser

    # Log out: back on the log-in page, without navigation, and the home page is closed again.
    page.locator("form[action='/accounts/logout/'] button[type=submit]").click()
    expect(page).to_have_url(live_url("/accounts/login/"))
    expect(page.get_by_test_id("nav")).to_have_count(0)
    expect(page.locator("#id_username")).to_be_visible()
    page.goto(live_url(face.home))
    expect(page).to_have_url(re.compile(re.escape(live_url("/accounts/login/")) + r"\?next="))


@pytest.mark.django_db(transaction=True)
def test_reference_data_survive_the_browser_tests():
    """Runs after the browser tests above (same transactional group, file order): the flush that
    follows each of them must not leave the next test without the reference rows."""
    assert list(Operator.objects.values_list("code", flat=True)) == ["CMCC", "CUCC", "CTCC", "CBN"]
    from supervision.core.models import City, Period, ViolationCategory

    assert City.objects.count() == 16
    assert ViolationCategory.objects.count() == 8
    assert Period.objects.filter(month__year=2019, month__month=12).exists()
