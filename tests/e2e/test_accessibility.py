"""Accessibility checked by a machine: axe-core (axe-playwright-python, its script shipped in the
package, nothing fetched) on every page of the site, in Chinese and in English, must find no
violation of impact *serious* or *critical*.

The pages are not listed by hand: they are the URL patterns of both faces, walked by the
permission matrix (tests/test_permissions.py), with the objects it makes and the arguments it
gives each pattern (a finding, an order, an interview, a meeting and its series, a report's
versions, an incident, a briefing, an operator's and a city's profile, the forms…). Every pattern
a GET can open is scanned, except those in ``NOT_PAGES`` (files and downloads, each with its
reason); a new page is scanned as soon as it has a URL, and a new download fails the scan until
it is named there. The pages outside the faces (log-in, profile, the error page 404, each role's
home) are in ``SITE_PAGES``.

Every page is scanned in Chinese, the site's first language. In English the scan opens each
face's home, the account pages, the error page and the pages before logging in: the pages are the
same templates in either language, and the English text is the catalogue's msgid (never empty),
so a page's structure, names, labels and contrast do not change with the language; what does
(``<html lang>``, the language switch) is on every page and checked on those.

On failure the test prints, per page, each violation with its rule, impact, help and the
elements concerned, and the page's screenshot is kept as usual (tests/e2e/README.md).
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import URLResolver, get_resolver, reverse

import tests.test_permissions as matrix
from supervision.core.models import Role

LANGUAGES = ["zh-hans", "en"]
HTML_LANG = {"zh-hans": "zh-CN", "en": "en"}  # what <html lang> says in each
BLOCKING = {"serious", "critical"}

# Patterns of the faces that a GET opens but that are no HTML page: nothing for axe to read.
NOT_PAGES: dict[str, str] = {
    "control:briefing_chart": "a chart as PNG, embedded in the briefing's page with its alt text",
    "control:briefing_download": "the briefing's .docx/.pdf file",
    "control:case_file": "an evidence file (download)",
    "control:interview_document": "the interview notice as a document (download)",
    "control:meeting_ics": "a calendar file (.ics)",
    "control:order_document": "the order as a document (download)",
    "control:submission_file": "a report's stored file (download)",
    "portal:briefing_download": "a circulated briefing's file (download)",
    "portal:case_file": "an evidence file (download)",
    "portal:interview_document": "the interview notice as a document (download)",
    "portal:meeting_ics": "a calendar file (.ics)",
    "portal:order_document": "the order as a document (download)",
    "portal:submission_file": "a report's stored file (download)",
    "portal:submission_receipt": "the receipt as a text/PDF file (download)",
    "portal:template": "a spreadsheet template (download)",
    "portal:upload_status": "an upload's progress as JSON, read by the upload page's script",
}


# Outside the faces: the user's own account pages (scanned in each face's test), the pages before
# logging in (their own test, by name and arguments), and the rest with the reason.
ACCOUNT_PAGES = ["profile", "password_change", "password_change_done", "two_step_setup"]
PUBLIC_PAGES = {
    "login": {},
    "password_reset": {},
    "password_reset_done": {},
    "password_reset_confirm": {"uidb64": "MQ", "token": "expired-token"},  # the link is no longer valid
    "password_reset_complete": {},
}
SITE_NOT_PAGES: dict[str, str] = {
    "home": "redirects to the user's home in the face, scanned there for each role",
    "logout": "POST only (the log-out button on every page)",
    "set_language": "POST only (the language switch on every page)",
    "two_step_verify": "the second step of a log-in with two steps, reached only between the two",
    "two_step_recovery_codes": "POST only: new recovery codes, shown once",
    "two_step_turn_off": "POST only",
    "api_token_create": "POST only: a new API token's secret, shown once",
    "api_token_revoke": "POST only",
    "calendar_feed": "a calendar file (.ics)",
    "healthz": "the health check's answer for the monitoring, no page",
}
LEADERSHIP_PAGES = [
    "control:briefing",
    "control:order",
    "control:interview",
    "control:incident",
    "control:finding",
]


def site_pages() -> set[str]:
    """The URL names outside the faces (namespaces control and portal) and Django's admin (its own
    templates, not the site's), as the URLconf has them now."""

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace is None:
                    yield from walk(pattern.url_patterns)
            elif pattern.name:
                yield pattern.name

    return set(walk(get_resolver().url_patterns))


def face_pages(face: str, language: str = "zh-hans") -> list[str]:
    """The URL names of one face that a GET opens as an HTML page (in English: its home only)."""
    if language != "zh-hans":
        return [f"{face}:home"]
    return [
        name
        for name, _pattern in matrix.ALL_URLS
        if name.startswith(f"{face}:") and name not in matrix.POST_ONLY and name not in NOT_PAGES
    ]


def test_every_page_is_scanned_or_excluded_with_a_reason(reference_data):
    """The faces' pages are all scanned but NOT_PAGES, which names only patterns that exist and
    that a GET opens; every other named URL is scanned or in SITE_NOT_PAGES with its reason.

    It reads only the URLconf, but takes the database as the browser tests do (``reference_data``):
    run alone, the harness's restoring of the reference rows at the session's end would otherwise
    find no test database."""
    openable = {name for name, _ in matrix.ALL_URLS if name not in matrix.POST_ONLY}
    assert not set(NOT_PAGES) - openable, "NOT_PAGES names patterns that are gone or POST only"
    assert face_pages("control") and face_pages("portal")
    named = site_pages()
    classified = set(ACCOUNT_PAGES) | set(PUBLIC_PAGES) | set(SITE_NOT_PAGES)
    assert not named - classified, (
        "New pages outside the faces: add each to ACCOUNT_PAGES or PUBLIC_PAGES (scanned) or to "
        f"SITE_NOT_PAGES with the reason, in tests/e2e/test_accessibility.py: {sorted(named - classified)}"
    )
    assert not classified - named, f"entries for pages that are gone: {sorted(classified - named)}"
    assert all(reason.strip() for reason in {**NOT_PAGES, **SITE_NOT_PAGES}.values())


# --- The scan ---------------------------------------------------------------------------------


def blocking_violations(page) -> list[dict]:
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING]


def describe(url: str, violations: list[dict]) -> str:
    lines = [f"\n== {url}"]
    for violation in violations:
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:6]:
            target = " ".join(str(t) for t in node["target"])
            html = " ".join(node.get("html", "").split())[:200]
            lines.append(f"      at {target}: {html}")
            summary = " ".join((node.get("failureSummary") or "").split())
            if summary:
                lines.append(f"        {summary[:300]}")
        if len(violation["nodes"]) > 6:
            lines.append(f"      … and {len(violation['nodes']) - 6} more")
    return "\n".join(lines)


class Scan:
    """Opens pages in one language and gathers the blocking violations of each."""

    def __init__(self, page, live_url, language):
        self.page, self.live_url, self.language = page, live_url, language
        self.found: list[str] = []
        self.scanned: list[str] = []

    def open(self, path: str, status: int = 200) -> None:
        response = self.page.goto(self.live_url(path))
        assert response is not None, path
        assert response.status == status, f"{path}: {response.status}, expected {status}"
        kind = response.headers.get("content-type", "")
        assert kind.startswith("text/html"), (
            f"{path} answers {kind}: if it is a download, add its URL name to NOT_PAGES in "
            "tests/e2e/test_accessibility.py with the reason"
        )
        self.page.wait_for_load_state("load")
        lang = self.page.locator("html").get_attribute("lang")
        assert lang == HTML_LANG[self.language], f"{path}: <html lang={lang!r}>"
        violations = blocking_violations(self.page)
        self.scanned.append(path)
        if violations:
            self.found.append(describe(path, violations))

    def assert_clean(self) -> None:
        print(f"axe scanned {len(self.scanned)} pages in {self.language}: " + ", ".join(self.scanned))
        assert not self.found, (
            f"{len(self.found)} of {len(self.scanned)} pages in {self.language} have serious or "
            "critical accessibility violations:" + "".join(self.found)
        )


@pytest.fixture
def matrix_objects(reference_data, media_root):
    """The permission matrix's objects of China Mobile, in the live server's database."""
    return matrix._own_objects()


def reader(live_user, username, role, operator=None, *, language, **extra):
    return live_user(username, role, operator, full_name="王科长", language=language, **extra)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_administrations_pages(page, live_url, login, live_user, matrix_objects, language):
    staff = reader(
        live_user, "a11y_staff", Role.REGULATOR_STAFF, language=language, can_administer_users=True
    )
    login(page, staff.username)
    scan = Scan(page, live_url, language)
    for name in face_pages("control", language):
        kwargs = matrix.URL_KWARGS.get(name, lambda _objs: {})(matrix_objects)
        scan.open(reverse(name, kwargs=kwargs))
    for name in ACCOUNT_PAGES:
        scan.open(reverse(name))
    scan.open("/dashboard/no-such-page/", status=404)
    scan.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_operators_pages(page, live_url, login, live_user, matrix_objects, language):
    staff = reader(live_user, "a11y_operator", Role.OPERATOR_STAFF, "CMCC", language=language)
    manager = reader(live_user, "a11y_manager", Role.OPERATOR_MANAGER, "CMCC", language=language)
    scan = Scan(page, live_url, language)
    login(page, manager.username)
    for name in face_pages("portal", language):
        if name in matrix.MANAGER_ONLY:
            scan.open(reverse(name, kwargs=matrix.URL_KWARGS.get(name, lambda _objs: {})(matrix_objects)))
    scan.open(reverse("portal:home"))  # the manager's work: versions to certify, notices to confirm
    page.context.clear_cookies()
    login(page, staff.username)
    for name in face_pages("portal", language):
        kwargs = matrix.URL_KWARGS.get(name, lambda _objs: {})(matrix_objects)
        scan.open(reverse(name, kwargs=kwargs))
    for name in ACCOUNT_PAGES:
        scan.open(reverse(name))
    scan.open("/portal/no-such-page/", status=404)
    scan.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_leaderships_home(page, live_url, login, live_user, matrix_objects, language):
    leader = reader(live_user, "a11y_leader", Role.REGULATOR_LEADER, language=language)
    login(page, leader.username)
    scan = Scan(page, live_url, language)
    scan.open(reverse("control:home"))
    # The pages where leadership writes an instruction (批示) and approves the briefing.
    for name in LEADERSHIP_PAGES if language == "zh-hans" else []:
        scan.open(reverse(name, kwargs=matrix.URL_KWARGS[name](matrix_objects)))
    scan.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pages_before_logging_in(page, live_url, reference_data, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_url("/")}])
    scan = Scan(page, live_url, language)
    for name, kwargs in PUBLIC_PAGES.items():
        scan.open(reverse(name, kwargs=kwargs))
    scan.open("/no-such-page/", status=404)
    scan.assert_clean()
