"""The upload form offers only periods that can take a report and keeps the files of a refused
form; a ledger that changes an accepted month is shown as such, explained, and reaches the
administration's page of that report."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from supervision.core.models import Operator, Period
from supervision.reporting import submissions
from supervision.reporting.models import LedgerCorrection, PendingUpload, UploadState
from tests.reporting.builders import LEDGER_HEADERS, ledger_row, xlsx_bytes

from .test_monthly_submission import PERIOD, post_report


def period_options(page: str) -> list[str]:
    start = page.index('name="period"')
    select = page[start : page.index("</select>", start)]
    return [chunk.split('"', 1)[0] for chunk in select.split('<option value="')[1:]]


def test_the_form_offers_only_periods_that_can_take_a_report(client, operator_a, regulator):
    cmcc = Operator.objects.get(code="CMCC")
    september = Period.objects.from_label("2026-09")
    submissions.accept(submissions.submit(submissions.create_version(cmcc, september)), user=regulator)
    Period.objects.filter(month=Period.objects.from_label("2026-08").month).update(locked_at=timezone.now())
    client.force_login(operator_a)
    options = period_options(client.get(reverse("portal:submission_new")).content.decode())
    # 20 November: November's window opens on the 25th; September is accepted, August locked.
    assert options[0] == "2026-10"
    assert not {"2026-11", "2026-09", "2026-08"} & set(options)
    assert "2026-07" in options


def test_a_period_whose_window_has_not_opened_is_refused(client, samples, operator_a):
    client.force_login(operator_a)
    response = post_report(client, samples, period="2026-11")
    assert response.status_code == 200
    assert "2026-11 is not one of the available choices" in response.content.decode()
    assert not PendingUpload.objects.exclude(state=UploadState.HELD).exists()


def test_a_refused_form_keeps_the_files_so_they_need_not_be_chosen_again(client, samples, operator_a):
    client.force_login(operator_a)
    response = post_report(client, samples, ledger=None, narrative="")
    page = response.content.decode()
    assert response.status_code == 200
    assert "File kept: monthly_report_CMCC_2026-10.xlsx" in page
    held = PendingUpload.objects.get(state=UploadState.HELD)
    assert f'name="held" value="{held.pk}"' in page
    # Sent again with the narrative, and without choosing the file: the kept file is checked.
    response = client.post(
        reverse("portal:submission_new"),
        {
            "period": PERIOD,
            "held": str(held.pk),
            "narrative": "本月按要求开展携号转网服务工作。",
            "cases-TOTAL_FORMS": "0",
            "cases-INITIAL_FORMS": "0",
            "cases-MIN_NUM_FORMS": "0",
            "cases-MAX_NUM_FORMS": "10",
        },
    )
    assert response.url == reverse("portal:upload", args=[held.pk])
    held.refresh_from_db()
    assert held.state == UploadState.CHECKED and held.period.label == PERIOD
    assert held.preview["figures"]  # the 16 cities of the kept file


def test_a_kept_file_is_only_its_uploaders(client, samples, operator_a, operator_b):
    client.force_login(operator_a)
    post_report(client, samples, ledger=None, narrative="")
    held = PendingUpload.objects.get(state=UploadState.HELD)
    client.force_login(operator_b)
    response = client.post(reverse("portal:submission_new"), {"period": PERIOD, "held": str(held.pk)})
    assert "File kept" not in response.content.decode()


def ledger_file(*rows):
    return SimpleUploadedFile("台账.xlsx", xlsx_bytes([LEDGER_HEADERS, *rows]))


def upload(client, *rows):
    response = client.post(reverse("portal:ledger_upload"), {"ledger": ledger_file(*rows)})
    return PendingUpload.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


def test_changes_to_an_accepted_month_are_previewed_explained_and_shown_to_the_administration(
    client, operator_a, regulator
):
    cmcc = Operator.objects.get(code="CMCC")
    client.force_login(operator_a)
    first = upload(client, ledger_row(1), ledger_row(2))
    client.post(reverse("portal:upload", args=[first.pk]), {"confirm": "1"})
    report = submissions.submit(submissions.create_version(cmcc, Period.objects.from_label(PERIOD)))
    submissions.accept(report, user=regulator)

    second = upload(client, ledger_row(1), ledger_row(2, 处理结果="已重新回访"), ledger_row(3))
    page = client.get(reverse("portal:upload", args=[second.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Changes to 2026-10, whose report was already accepted" in page
    assert "CMCC-202610-00003</code> (row 4)" in page  # new
    assert "CMCC-202610-00002</code> (row 3: resolution)" in page  # changed
    [index] = [i for i, p in enumerate(second.problems) if p.get("needs_explanation")]

    refused = client.post(
        reverse("portal:upload", args=[second.pk]), {"confirm": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Explain every warning" in refused.content.decode()
    assert not LedgerCorrection.objects.exists()
    client.post(
        reverse("portal:upload", args=[second.pk]), {"confirm": "1", f"explain-{index}": "回访后更正处理结果"}
    )
    correction = LedgerCorrection.objects.get()
    assert correction.submission == report and correction.explanation == "回访后更正处理结果"

    client.force_login(regulator)
    page = client.get(
        reverse("control:submission", args=[report.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Ledger changes after acceptance" in page
    assert "回访后更正处理结果" in page and str(operator_a) in page
    assert "CMCC-202610-00003" in page and "CMCC-202610-00002" in page


def test_a_ledger_changing_a_locked_month_cannot_be_confirmed(client, operator_a):
    client.force_login(operator_a)
    Period.objects.filter(month=Period.objects.from_label(PERIOD).month).update(locked_at=timezone.now())
    pending = upload(client, ledger_row(1))
    page = client.get(reverse("portal:upload", args=[pending.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Complaint CMCC-202610-00001 belongs to 2026-10, which is locked" in page
    assert "Confirm and store" not in page
