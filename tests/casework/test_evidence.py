"""Files attached to cases: accepted by content against one allow-list, size-limited, kept
outside the static area, served only to users who may see the case."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from supervision.casework import findings, orders
from supervision.casework.models import CaseFile
from supervision.core.files import FileRefused, check_case_file

from .conftest import EXE, PDF, PNG, make_finding, make_order, upload

MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 50
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 50
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


@pytest.fixture
def evidence(regulator):
    """A published CMCC finding with one PDF of evidence, and a draft with another."""
    published = make_finding(regulator)
    draft = make_finding(regulator, "draft")
    (shown,) = findings.add_evidence(published, [upload("现场照片.pdf")], user=regulator)
    (hidden,) = findings.add_evidence(draft, [upload("草稿证据.pdf")], user=regulator)
    return shown, hidden


# --- The allow-list -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("照片.jpg", JPEG, "photo"),
        ("照片.JPEG", JPEG, "photo"),
        ("截图.png", PNG, "photo"),
        ("录音.mp3", MP3, "audio"),
        ("录音.wav", WAV, "audio"),
        ("视频.mp4", MP4, "video"),
        ("报告.pdf", PDF, "document"),
    ],
)
def test_accepted_kinds_are_recognised_by_their_content(name, data, kind):
    checked = check_case_file(upload(name, data))
    assert (checked.kind, checked.size) == (kind, len(data))


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("照片.jpg", EXE, "is not of an accepted kind"),  # a program renamed as a photo
        ("报告.pdf", b"<html><script>alert(1)</script></html>", "is not of an accepted kind"),
        ("截图.pdf", PNG, "holds PNG content but its name ends in .pdf"),
        ("程序.exe", EXE, "is not an accepted kind of file"),
        ("无扩展名", PDF, "is not an accepted kind of file"),
        ("空.pdf", b"", "is empty"),
    ],
)
def test_refused_files_say_why(name, data, reason):
    with translation.override("en"), pytest.raises(FileRefused, match=reason):
        check_case_file(upload(name, data))


def test_an_oversized_file_is_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    with translation.override("en"), pytest.raises(FileRefused, match="the limit is 1.0"):
        check_case_file(upload("大文件.pdf", PDF + b"\0" * 2000))


def test_a_renamed_program_is_refused_on_the_page_and_nothing_is_kept(client, regulator):
    finding = make_finding(regulator, "draft")
    client.force_login(regulator)
    response = client.post(
        reverse("control:finding_evidence", args=[finding.pk]),
        {"files": [upload("现场照片.jpg", EXE, "image/jpeg")]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "is not of an accepted kind" in response.content.decode()
    assert CaseFile.objects.count() == 0


def test_one_refused_file_refuses_them_all(client, regulator):
    finding = make_finding(regulator, "draft")
    client.force_login(regulator)
    response = client.post(
        reverse("control:finding_evidence", args=[finding.pk]),
        {"files": [upload("好.pdf"), upload("坏.jpg", EXE)]},
    )
    assert response.status_code == 400
    assert CaseFile.objects.count() == 0


def test_files_are_kept_under_media_root_without_the_users_name(evidence):
    shown, _hidden = evidence
    path = Path(shown.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.STATIC_ROOT))
    assert path.read_bytes() == PDF
    assert path.suffix == ".pdf" and "现场照片" not in path.name
    assert (shown.name, shown.content_type, shown.size) == ("现场照片.pdf", "application/pdf", len(PDF))


# --- Who may download -----------------------------------------------------------------------


def test_the_own_operator_downloads_the_evidence_of_a_published_finding(client, operator_a, evidence):
    shown, _hidden = evidence
    client.force_login(operator_a)
    response = client.get(reverse("portal:case_file", args=[shown.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_evidence_of_a_draft_is_not_found_for_the_operator(client, operator_a, regulator, evidence):
    _shown, hidden = evidence
    client.force_login(operator_a)
    assert client.get(reverse("portal:case_file", args=[hidden.pk])).status_code == 404
    client.force_login(regulator)
    assert client.get(reverse("control:case_file", args=[hidden.pk])).status_code == 200


def test_another_operator_gets_404_for_the_file_and_the_finding(client, operator_b, evidence):
    shown, _hidden = evidence
    client.force_login(operator_b)
    assert client.get(reverse("portal:case_file", args=[shown.pk])).status_code == 404
    assert client.get(reverse("portal:finding", args=[shown.finding_id])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, evidence):
    shown, _hidden = evidence
    for name in ("portal:case_file", "control:case_file"):
        response = client.get(reverse(name, args=[shown.pk]))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_an_operator_cannot_use_the_administrations_file_url(client, operator_a, evidence):
    shown, _hidden = evidence
    client.force_login(operator_a)
    assert client.get(reverse("control:case_file", args=[shown.pk])).status_code == 403


def test_report_files_are_the_operators_and_the_administrations_only(
    client, regulator, operator_a, operator_b
):
    order = make_order(regulator, operator_a, "acknowledged")
    report = orders.submit_report(order, user=operator_a, text="已整改", uploads=[upload("整改报告.pdf")])
    (attachment,) = report.files.all()
    assert attachment.order_id == order.pk
    client.force_login(regulator)
    assert client.get(reverse("control:case_file", args=[attachment.pk])).status_code == 200
    client.force_login(operator_b)
    assert client.get(reverse("portal:case_file", args=[attachment.pk])).status_code == 404
    client.force_login(operator_a)
    assert client.get(reverse("portal:case_file", args=[attachment.pk])).status_code == 200


def test_the_operator_contests_with_its_own_files_which_the_staff_read(client, regulator, operator_a):
    finding = make_finding(regulator)
    client.force_login(operator_a)
    response = client.post(
        reverse("portal:finding_respond", args=[finding.pk]),
        {"kind": "contest", "text": "当日系统故障，并非设限", "files": [upload("系统日志.pdf")]},
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.state == "contested"
    (response_file,) = CaseFile.objects.filter(response__finding=finding)
    client.force_login(regulator)
    page = client.get(reverse("control:finding", args=[finding.pk])).content.decode()
    assert "当日系统故障，并非设限" in page
    assert reverse("control:case_file", args=[response_file.pk]) in page
