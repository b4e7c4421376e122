"""Every uploaded file is kept under a generated name; the user's name is only shown.

84 Chinese characters are 252 bytes in UTF-8: with the extension, over the 255 bytes a file
system allows in one name ("File name too long", a 500 before)."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from supervision.casework.models import CaseFile, InspectionBatch
from supervision.core.files import display_name, stored_name
from supervision.reporting.models import PendingUpload
from tests.casework.conftest import PDF, make_finding, make_order

# Files of these tests go to a temporary folder, not the project's var/media.
pytestmark = pytest.mark.usefixtures("media_root")

STEM = "山东省携号转网服务投诉台账" * 6 + "第一季度汇总"  # 84 characters
STORED = re.compile(r"[0-9a-f]{32}(-[A-Za-z0-9_-]+)?\.(xlsx|csv|pdf)")


def long_named(samples, sample, extension):
    assert len(STEM) == 84
    return SimpleUploadedFile(f"{STEM}.{extension}", (samples / sample).read_bytes())


def assert_kept_under_a_generated_name(field):
    path = Path(field.path)
    assert path.is_file()
    assert STORED.fullmatch(path.name), path.name


def test_stored_names_are_generated_and_keep_only_a_plain_extension():
    assert re.fullmatch(r"uploads/\d{4}/\d{2}/[0-9a-f]{32}\.xlsx", stored_name("uploads", f"{STEM}.XLSX"))
    assert re.fullmatch(r"uploads/\d{4}/\d{2}/[0-9a-f]{32}", stored_name("uploads", "报告.x/../../etc"))
    assert re.fullmatch(r"uploads/\d{4}/\d{2}/[0-9a-f]{32}", stored_name("uploads", "没有扩展名"))
    # A short plain name, such as the site gives the masked re-exports it keeps, stays readable.
    assert re.fullmatch(
        r"uploads/\d{4}/\d{2}/[0-9a-f]{32}-ledger-masked\.xlsx", stored_name("uploads", "ledger-masked.xlsx")
    )


def test_a_display_name_is_shortened_to_its_field_keeping_the_extension():
    name = display_name("长" * 300 + ".xlsx")
    assert len(name) == 255 and name.endswith("….xlsx")
    assert display_name(r"C:\用户\桌面\台账.csv") == "台账.csv"


def test_a_ledger_with_a_long_chinese_name_is_uploaded(client, operator_a, samples):
    client.force_login(operator_a)
    response = client.post(
        reverse("portal:ledger_upload"),
        {"ledger": long_named(samples, "complaints_CMCC_2026-10_utf8bom.csv", "csv")},
        follow=True,
    )
    assert response.status_code == 200
    upload = PendingUpload.objects.get()
    assert upload.ledger_name == f"{STEM}.csv"
    assert_kept_under_a_generated_name(upload.ledger_file)
    assert STEM in response.content.decode()


@pytest.mark.dates
def test_monthly_figures_with_a_long_chinese_name_are_uploaded(client, operator_a, samples):
    client.force_login(operator_a)
    response = client.post(
        reverse("portal:submission_new"),
        {
            "period": "2026-10",
            "figures": long_named(samples, "monthly_report_CMCC_2026-10.xlsx", "xlsx"),
            "narrative": "本月按要求开展携号转网服务工作。",
            "cases-TOTAL_FORMS": "0",
            "cases-INITIAL_FORMS": "0",
            "cases-MIN_NUM_FORMS": "0",
            "cases-MAX_NUM_FORMS": "10",
        },
        follow=True,
    )
    assert response.status_code == 200
    upload = PendingUpload.objects.get()
    assert upload.figures_name == f"{STEM}.xlsx"
    assert_kept_under_a_generated_name(upload.figures_file)


def test_an_inspection_batch_with_a_long_chinese_name_is_uploaded(client, regulator, samples):
    client.force_login(regulator)
    response = client.post(
        reverse("control:inspection_upload"),
        {"file": long_named(samples, "inspections_2026-09.xlsx", "xlsx")},
        follow=True,
    )
    assert response.status_code == 200
    batch = InspectionBatch.objects.get()
    assert batch.name == f"{STEM}.xlsx"
    assert_kept_under_a_generated_name(batch.file)


def test_evidence_with_a_long_chinese_name_is_attached(client, regulator):
    finding = make_finding(regulator, "draft")
    client.force_login(regulator)
    response = client.post(
        reverse("control:finding_evidence", args=[finding.pk]),
        {"files": [SimpleUploadedFile(f"{STEM}.pdf", PDF, content_type="application/pdf")]},
    )
    assert response.status_code == 302
    case_file = CaseFile.objects.get(finding=finding)
    assert case_file.name == f"{STEM}.pdf"
    assert_kept_under_a_generated_name(case_file.file)
    download = client.get(reverse("control:case_file", args=[case_file.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_a_rectification_report_attachment_with_a_long_chinese_name_is_submitted(
    client, regulator, operator_a
):
    order = make_order(regulator, operator_a, "acknowledged")
    client.force_login(operator_a)
    response = client.post(
        reverse("portal:order_report", args=[order.pk]),
        {
            "report-text": "已完成整改。",
            "report-files": [SimpleUploadedFile(f"{STEM}.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    case_file = CaseFile.objects.get(order=order)
    assert case_file.name == f"{STEM}.pdf"
    assert_kept_under_a_generated_name(case_file.file)
