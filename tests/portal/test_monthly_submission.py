"""An operator submits its monthly report: upload, preview, explain, confirm, certify, receipt."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from supervision.core.models import Period
from supervision.reporting.models import (
    CityFigures,
    ComplaintRecord,
    MonthlySubmission,
    PendingUpload,
    SubmissionState,
    UploadState,
)

PERIOD = "2026-10"


def upload_file(samples, name):
    return SimpleUploadedFile(name, (samples / name).read_bytes())


def post_report(
    client,
    samples,
    figures="monthly_report_CMCC_2026-10.xlsx",
    ledger="complaints_CMCC_2026-10_utf8bom.csv",
    **extra,
):
    data = {
        "period": PERIOD,
        "figures": upload_file(samples, figures) if isinstance(figures, str) else figures,
        "narrative": "本月按要求开展携号转网服务工作。",
        "cases-TOTAL_FORMS": "1",
        "cases-INITIAL_FORMS": "0",
        "cases-MIN_NUM_FORMS": "0",
        "cases-MAX_NUM_FORMS": "10",
        **extra,
    }
    if ledger:
        data["ledger"] = upload_file(samples, ledger)
    return client.post(reverse("portal:submission_new"), data, HTTP_ACCEPT_LANGUAGE="en")


def explanations_for(upload):
    return {
        f"explain-{i}": "积压工单在本月办结。"
        for i, p in enumerate(upload.problems)
        if p.get("needs_explanation")
    }


@pytest.fixture
def confirmed_v1(client, samples, operator_a):
    client.force_login(operator_a)
    response = post_report(client, samples)
    upload = PendingUpload.objects.get()
    assert response.url == reverse("portal:upload", args=[upload.pk])
    response = client.post(response.url, {"confirm": "1", **explanations_for(upload)})
    return MonthlySubmission.objects.get(version=1)


def test_sample_pair_previews_without_errors(client, samples, operator_a):
    client.force_login(operator_a)
    response = post_report(client, samples)
    upload = PendingUpload.objects.get()
    assert upload.state == UploadState.CHECKED
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Confirm and store" in page
    assert "Jinan" in page and "Heze" in page  # the preview shows the 16 cities
    assert "240" in page or "complaints in the file" in page
    # Nothing is stored before the submitter confirms.
    assert not CityFigures.objects.exists()
    assert not ComplaintRecord.objects.exists()
    assert not MonthlySubmission.objects.exists()


def test_confirmed_report_waits_for_the_managers_certification(client, confirmed_v1, regulator):
    assert confirmed_v1.state == SubmissionState.AWAITING_CERTIFICATION
    assert confirmed_v1.figures.count() == 16
    assert ComplaintRecord.objects.filter(operator__code="CMCC").exists()
    assert {f.kind for f in confirmed_v1.files.all()} == {"monthly", "ledger"}
    client.force_login(regulator)
    # Until a manager certifies, the administration neither sees it nor counts it.
    assert client.get(reverse("control:submission", args=[confirmed_v1.pk])).status_code == 404


def test_staff_cannot_certify_only_a_manager_can(client, confirmed_v1, operator_a):
    client.force_login(operator_a)
    assert client.post(reverse("portal:submission_certify", args=[confirmed_v1.pk])).status_code == 403


def test_manager_certifies_and_gets_a_receipt(client, confirmed_v1, manager_a):
    client.force_login(manager_a)
    client.post(reverse("portal:submission_certify", args=[confirmed_v1.pk]), {"attested": "1"})
    confirmed_v1.refresh_from_db()
    assert confirmed_v1.state == SubmissionState.SUBMITTED
    assert confirmed_v1.certified_by == manager_a
    assert confirmed_v1.receipt_no.startswith("SD-202610-CMCC-V1-")
    receipt = client.get(reverse("portal:submission_receipt", args=[confirmed_v1.pk]))
    assert receipt["Content-Disposition"].startswith("attachment")
    text = receipt.content.decode()
    assert confirmed_v1.receipt_no in text
    assert "2026-10" in text
    for stored in confirmed_v1.files.all():
        assert stored.sha256 in text


def test_the_receipt_is_a_pdf_too_with_every_number_whole(client, confirmed_v1, manager_a, operator_b):
    client.force_login(manager_a)
    client.post(reverse("portal:submission_certify", args=[confirmed_v1.pk]), {"attested": "1"})
    confirmed_v1.refresh_from_db()
    page = client.get(reverse("portal:submission", args=[confirmed_v1.pk]), HTTP_ACCEPT_LANGUAGE="en")
    url = reverse("portal:submission_receipt", args=[confirmed_v1.pk])
    assert f"{url}?format=pdf" in page.content.decode()
    receipt = client.get(url, {"format": "pdf"})
    assert receipt["Content-Type"] == "application/pdf"
    assert (
        receipt["Content-Disposition"].startswith("attachment") and ".pdf" in receipt["Content-Disposition"]
    )
    reader = PdfReader(io.BytesIO(receipt.content))
    lines = ["".join(line.split()) for page in reader.pages for line in page.extract_text().splitlines()]
    text = "".join(lines)
    assert lines[0] == "山东省通信管理局"
    assert "携号转网月报报送回执" in text and "Receiptforamonthlynumberportabilityreport" in text
    # The confirmation number, the month and each checksum whole on a line of their own.
    assert confirmed_v1.receipt_no in lines
    assert any("2026-10" in line for line in lines)
    for stored in confirmed_v1.files.all():
        assert stored.sha256 in lines
    client.force_login(operator_b)
    assert client.get(url, {"format": "pdf"}).status_code == 404


def test_a_file_with_errors_stores_nothing_and_cannot_be_confirmed(client, samples, operator_a):
    client.force_login(operator_a)
    bad = SimpleUploadedFile("figures.csv", "地市,授权码申请量\n济南,-3\n".encode())
    response = post_report(client, samples, figures=bad, ledger=None)
    upload = PendingUpload.objects.get()
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nothing will be stored" in page
    assert "Confirm and store" not in page
    client.post(response.url, {"confirm": "1"})
    assert not MonthlySubmission.objects.exists()
    assert not CityFigures.objects.exists()
    upload.refresh_from_db()
    assert upload.state == UploadState.CHECKED


def test_a_refused_upload_leaves_the_stored_report_untouched(client, samples, confirmed_v1, operator_a):
    before = list(CityFigures.objects.order_by("pk").values_list("pk", "port_out_applications"))
    complaints_before = ComplaintRecord.objects.count()
    bad = SimpleUploadedFile("figures.xlsx", b"this is not a spreadsheet")
    post_report(client, samples, figures=bad, ledger=None)
    upload = PendingUpload.objects.order_by("-created_at").first()
    client.post(reverse("portal:upload", args=[upload.pk]), {"confirm": "1"})
    assert list(CityFigures.objects.order_by("pk").values_list("pk", "port_out_applications")) == before
    assert ComplaintRecord.objects.count() == complaints_before
    assert MonthlySubmission.objects.count() == 1


def test_oversized_file_is_refused_by_the_form(client, samples, operator_a, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(operator_a)
    response = post_report(client, samples, ledger=None)
    assert response.status_code == 200
    assert "a file may be at most 1 KB" in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_locked_period_refuses_a_new_report(client, samples, operator_a, regulator):
    period = Period.objects.from_label(PERIOD)
    period.locked_at = timezone.now()
    period.save()
    client.force_login(operator_a)
    response = post_report(client, samples)
    assert response.status_code == 200
    # A locked month is not offered: the form refuses it, and keeps the files chosen.
    assert f'<option value="{PERIOD}"' not in response.content.decode()
    assert "is not one of the available choices" in response.content.decode()
    assert not PendingUpload.objects.exclude(state=UploadState.HELD).exists()


def test_background_check_shows_progress_then_the_preview(
    client, samples, operator_a, settings, eager_tasks, django_capture_on_commit_callbacks
):
    settings.UPLOAD_BACKGROUND_BYTES = 0
    client.force_login(operator_a)
    with django_capture_on_commit_callbacks(execute=True):
        post_report(client, samples)
    upload = PendingUpload.objects.get()
    status = client.get(reverse("portal:upload_status", args=[upload.pk])).json()
    assert status == {"state": "checked", "progress": 100}


def test_discarding_an_upload_stores_nothing(client, samples, operator_a):
    client.force_login(operator_a)
    response = post_report(client, samples)
    client.post(response.url, {"discard": "1"})
    assert PendingUpload.objects.get().state == UploadState.DISCARDED
    assert not MonthlySubmission.objects.exists()


def test_each_warning_needs_an_explanation_before_confirming(client, samples, operator_a):
    client.force_login(operator_a)
    # Figures without their ledger: every city's complaint count differs from the (empty) ledger.
    response = post_report(client, samples, ledger=None)
    upload = PendingUpload.objects.get()
    warnings = [i for i, p in enumerate(upload.problems) if p["needs_explanation"]]
    assert warnings, "a figures file without its ledger raises the cross-check warning"
    page = client.post(response.url, {"confirm": "1"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Explain every warning before you confirm ({len(warnings)} without explanation)" in page
    assert not MonthlySubmission.objects.exists()

    client.post(response.url, {"confirm": "1", **{f"explain-{i}": "台账将于下周补报。" for i in warnings}})
    submission = MonthlySubmission.objects.get()
    assert len(submission.warnings) == len(warnings)
    assert {w["explanation"] for w in submission.warnings} == {"台账将于下周补报。"}
    page = client.get(reverse("portal:submission", args=[submission.pk])).content.decode()
    assert "台账将于下周补报。" in page


def test_second_version_after_return_keeps_the_first_readable(
    client, samples, confirmed_v1, manager_a, regulator, operator_a
):
    from supervision.reporting import submissions

    client.force_login(manager_a)
    client.post(reverse("portal:submission_certify", args=[confirmed_v1.pk]), {"attested": "1"})
    submissions.return_to_operator(
        MonthlySubmission.objects.get(pk=confirmed_v1.pk), user=regulator, comment="请核实"
    )
    client.force_login(operator_a)
    response = post_report(client, samples, figures="monthly_report_CMCC_2026-10.xlsx")
    upload = PendingUpload.objects.order_by("-created_at").first()
    client.post(response.url, {"confirm": "1", **explanations_for(upload)})
    second = MonthlySubmission.objects.get(version=2)
    assert second.state == SubmissionState.AWAITING_CERTIFICATION
    page = client.get(
        reverse("portal:submission_compare", args=[second.pk, confirmed_v1.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "0 figures differ." in page.content.decode()
    first_page = client.get(reverse("portal:submission", args=[confirmed_v1.pk])).content.decode()
    assert "请核实" in first_page


def test_template_download_is_a_prefilled_workbook(client, operator_a):
    import io

    import openpyxl

    client.force_login(operator_a)
    response = client.get(reverse("portal:template", args=["monthly"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "济南市" in values and "菏泽市" in values and "地市" in values


def test_checks_page_lists_the_registered_checks(client, operator_a):
    from supervision.ingest.checks import CHECKS

    client.force_login(operator_a)
    page = client.get(reverse("portal:checks"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # One catalogue: every file's checks, reporting's templates and casework's inspection batch.
    assert list(CHECKS) == ["file", "monthly", "ledger", "inspections"]
    for kind in CHECKS:
        for check in CHECKS[kind]:
            assert check.code in page
