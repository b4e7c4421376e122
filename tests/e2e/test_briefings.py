"""The monthly briefing's whole life in a real Chromium against the live server.

The administration's staff drafts the October 2026 briefing from the dashboard's figures and
writes its assessment paragraph; leadership approves it (it gets its number and can no longer
change); the staff circulates it (confirming the operators nobody receives documents at), and
every operator's managers receive it by e-mail with the .docx and the PDF attached, their
reporting staff nothing.

Pages are driven in English (each user's profile language); elements are found by data-testid,
name and data attributes. The briefing's text itself is Chinese whatever the reader's language.
"""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from supervision.briefings.models import Briefing, BriefingState
from supervision.core.models import SHANGHAI, Role
from tests.briefings.builders import seed_month

# Runs at each of make test-dates' instants: the briefing's number is of the year it is approved in.
pytestmark = pytest.mark.dates

BRIEFINGS = "/dashboard/briefings/"
COMMENTARY = "本月全省携号转网服务总体平稳，中国联通投诉率偏高，需重点关注。"


@pytest.fixture
def people(live_regulator, live_leader, live_operator_manager, live_operator_staff, live_user):
    manager_b = live_user("manager_b", Role.OPERATOR_MANAGER, "CUCC", full_name="钱经理")
    everyone = (live_regulator, live_leader, live_operator_manager, live_operator_staff, manager_b)
    for user in everyone:
        user.language = "en"
        user.save(update_fields=["language"])
    return everyone


def log_in(page, login, live_url, user):
    login(page, user.username)
    expect(page.locator("html")).to_have_attribute("lang", "en")


def log_out(page, live_url):
    page.locator("form[action='/accounts/logout/'] button[type=submit]").click()
    expect(page).to_have_url(live_url("/accounts/login/"))


def expect_state(page, state):
    expect(page.get_by_test_id("briefing-state")).to_have_attribute("data-state", state)


def test_briefing_drafted_edited_approved_and_circulated(
    page, live_url, login, people, media_root, eager_tasks
):
    regulator, leader, manager_a, operator_staff, manager_b = people
    seed_month()

    # Staff drafts the month's briefing from the list.
    log_in(page, login, live_url, regulator)
    page.goto(live_url(BRIEFINGS))
    form = page.get_by_test_id("draft-form")
    form.locator("select[name=month]").select_option("2026-10")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(live_url(BRIEFINGS)) + r"\d+/$"))
    detail_url = page.url
    expect_state(page, BriefingState.DRAFT)
    # The dashboard's figures, generated: CUCC's port-out success rate, first.
    expect(page.get_by_test_id("table-indicators").locator("tbody tr").first).to_contain_text("97.0")
    expect(page.get_by_test_id("document-number")).to_have_text("（草稿，未编号）")

    # … edits a paragraph; the preview shows it.
    texts = page.get_by_test_id("texts-form")
    texts.locator("textarea[name=commentary]").fill(COMMENTARY)
    texts.locator("button[type=submit]").click()
    expect(page).to_have_url(detail_url)
    expect(page.get_by_test_id("preview")).to_contain_text(COMMENTARY)
    expect(page.get_by_test_id("approve")).to_have_count(0)  # staff does not approve
    log_out(page, live_url)

    # Leadership approves: numbered, frozen.
    log_in(page, login, live_url, leader)
    page.goto(detail_url)
    expect(page.get_by_test_id("texts-form")).to_have_count(0)
    page.get_by_test_id("approve").click()
    expect_state(page, BriefingState.APPROVED)
    # Numbered in the year of its approval, Beijing time (the clock is pinned: ``clock``, ``--at``).
    approved_in = timezone.localtime(Briefing.objects.get().approved_at, SHANGHAI).year
    document_no = f"鲁通管通〔{approved_in}〕1号"
    expect(page.get_by_test_id("document-number")).to_have_text(document_no)
    expect(page.get_by_test_id("circulate")).to_have_count(0)  # staff circulates
    log_out(page, live_url)

    # Staff circulates it.
    log_in(page, login, live_url, regulator)
    page.goto(detail_url)
    expect(page.get_by_test_id("texts-form")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_test_id("download-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    # CTCC and CBN have no manager here: the page names them before the button, and circulating
    # needs each confirmed.
    warning = page.get_by_test_id("nobody-warning")
    expect(warning).to_contain_text("China Telecom, China Broadnet")
    warning.locator("input[name=without][value=CTCC]").check()
    warning.locator("input[name=without][value=CBN]").check()
    page.get_by_test_id("circulate").click()
    expect_state(page, BriefingState.CIRCULATED)
    addressees = page.get_by_test_id("addressees")
    expect(addressees.get_by_test_id("recipient")).to_have_count(2)
    expect(addressees.get_by_test_id("no-recipient")).to_have_count(2)

    # Every operator's managers got it once, with both files; reporting staff did not.
    briefing = Briefing.objects.get()
    assert briefing.commentary == COMMENTARY
    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager_a.email, manager_b.email])
    assert operator_staff.email not in {m.to[0] for m in mail.outbox}
    with briefing.pdf_file.open("rb") as stored:
        approved_pdf = stored.read()
    for message in mail.outbox:
        assert message.subject.startswith(f"Circulated: {document_no}")
        assert [name.rsplit(".", 1)[1] for name, _data, _type in message.attachments] == ["docx", "pdf"]
        assert message.attachments[1][1] == approved_pdf  # the very file leadership approved
