from pathlib import Path

import polib
from django.urls import reverse
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_chinese_is_the_default_language(client, regulator):
    client.force_login(regulator)
    page = client.get("/dashboard/").content.decode()
    assert '<html lang="zh-CN">' in page
    assert "概览" in page


def test_language_switch_changes_the_ui_and_is_remembered(client, regulator):
    client.force_login(regulator)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/dashboard/"})
    assert response.status_code == 302
    page = client.get("/dashboard/").content.decode()
    assert '<html lang="en">' in page
    assert "Overview" in page and "概览" not in page
    regulator.refresh_from_db()
    assert regulator.language == "en"


def test_saved_language_applies_at_the_next_log_in(client, operator_a):
    from tests.conftest import PASSWORD

    operator_a.language = "en"
    operator_a.save()
    client.post(reverse("login"), {"username": "operator_a", "password": PASSWORD})
    assert '<html lang="en">' in client.get("/portal/").content.decode()


def test_chinese_catalogue_is_complete():
    catalogue = polib.pofile(str(CATALOGUE))
    missing = [entry.msgid for entry in catalogue if not entry.translated() and not entry.obsolete]
    assert missing == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_source():
    """The committed .mo is what Django reads at run time; it must say what the .po says."""
    catalogue = polib.pofile(str(CATALOGUE))
    with translation.override("zh-hans"):
        stale = [
            entry.msgid
            for entry in catalogue
            if entry.translated() and not entry.msgid_plural and "\n" not in entry.msgid
            and (translation.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else translation.gettext(entry.msgid))
            != entry.msgstr
        ]  # fmt: skip
    assert stale == []
