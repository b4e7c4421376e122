"""What is kept of an upload is the masked re-export, never the raw file (FORMATS.md, "Files kept")."""

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from supervision.core.models import SHANGHAI, Period
from supervision.reporting import uploads
from supervision.reporting.models import (
    ComplaintRecord,
    ComplaintRevision,
    MonthlySubmission,
    PendingUpload,
    SubmissionFile,
    UploadKind,
    UploadState,
)
from tests.core.test_privacy import assert_no_number

# Full numbers as operators really write them, in the number column and in the texts.
FULL = {
    "13986528960": "+8613986528960",
    "13712345678": "８６１３７１２３４５６７８",
    "15866661234": "158.6666.1234",
    "18800001111": "0086 188-0000 1111",
}


def ledger_with_full_numbers(samples) -> bytes:
    """The CMCC sample ledger with full numbers written into its first rows."""
    lines = (samples / "complaints_CMCC_2026-10_utf8bom.csv").read_text(encoding="utf-8-sig").splitlines()
    spellings = list(FULL.values())
    for i, spelled in enumerate(spellings, start=1):
        cells = lines[i].split(",")
        cells[5] = spelled
        lines[i] = ",".join(cells)
    lines[5] = lines[5].replace("他网营业员", f"用户（电话{spellings[0]}）反映他网营业员")
    return ("\n".join(lines) + "\n").encode("utf-8")


def files_on_disk(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def assert_no_full_number(text: str) -> None:
    for number in FULL:
        assert_no_number(number, text)


def workbook_text(data: bytes) -> str:
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    return "\n".join(
        str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None
    )


def start_ledger(operator, user, data, name="台账.csv"):
    return uploads.start_upload(
        kind=UploadKind.LEDGER, operator=operator, user=user, ledger=SimpleUploadedFile(name, data)
    )


def test_a_checked_ledger_keeps_only_its_masked_re_export(clock, media_root, samples, operator_a):
    upload = start_ledger(operator_a.operator, operator_a, ledger_with_full_numbers(samples))
    raw = Path(upload.ledger_file.path)
    assert raw.exists()
    upload = uploads.run_checks(upload.pk)
    assert not raw.exists()
    assert files_on_disk(media_root) == [Path(upload.ledger_file.path)]
    assert upload.ledger_file.name.endswith("ledger-masked.xlsx")
    kept = workbook_text(Path(upload.ledger_file.path).read_bytes())
    assert "139****8960" in kept and "投诉编号" in kept
    assert_no_full_number(kept)


def test_a_confirmed_ledger_is_stored_masked_and_keeps_no_file(
    clock, media_root, samples, operator_a, django_capture_on_commit_callbacks
):
    upload = uploads.run_checks(
        start_ledger(operator_a.operator, operator_a, ledger_with_full_numbers(samples)).pk
    )
    assert not uploads.has_errors(upload)
    with django_capture_on_commit_callbacks(execute=True):
        uploads.confirm(
            upload, user=operator_a, explanations={i: "说明" for i, _p in uploads.warnings_of(upload)}
        )
    rows = ComplaintRecord.objects.values_list("msisdn_masked", "summary", "resolution")
    assert {r[0] for r in rows} >= {"139****8960", "137****5678", "158****1234", "188****1111"}
    for row in rows:
        assert_no_full_number(" ".join(row))
    assert files_on_disk(media_root) == []


def test_a_refused_upload_keeps_no_file(clock, media_root, samples, operator_a):
    lines = (samples / "complaints_CMCC_2026-10_utf8bom.csv").read_text(encoding="utf-8-sig").splitlines()
    cells = lines[1].split(",")
    cells[5] = "139 8652 8960 1"
    lines[1] = ",".join(cells)
    upload = start_ledger(operator_a.operator, operator_a, ("\n".join(lines) + "\n").encode())
    upload = uploads.run_checks(upload.pk)
    assert uploads.has_errors(upload)
    assert files_on_disk(media_root) == []
    assert not upload.ledger_file
    # The error message repeats the wrong number with its digits starred.
    messages = " ".join(row["message"] + str(row["value"]) for row in uploads.problem_rows(upload))
    assert "139****8960" in messages or "139*****9601" in messages
    assert_no_full_number(messages)


def test_a_discarded_upload_keeps_no_file(
    clock, media_root, samples, operator_a, django_capture_on_commit_callbacks
):
    upload = uploads.run_checks(
        start_ledger(operator_a.operator, operator_a, ledger_with_full_numbers(samples)).pk
    )
    with django_capture_on_commit_callbacks(execute=True):
        uploads.discard(upload)
    assert files_on_disk(media_root) == []


def test_the_served_report_file_is_the_masked_re_export(clock, media_root, samples, client, operator_a):
    period = Period.objects.from_label("2026-10")
    upload = uploads.start_upload(
        kind=UploadKind.MONTHLY,
        operator=operator_a.operator,
        user=operator_a,
        period=period,
        figures=SimpleUploadedFile("月报.xlsx", (samples / "monthly_report_CMCC_2026-10.xlsx").read_bytes()),
        ledger=SimpleUploadedFile("台账.csv", ledger_with_full_numbers(samples)),
        form_data={"narrative": "回访用户 139 8652 8960", "major_problem": False, "typical_cases": []},
    )
    upload = uploads.run_checks(upload.pk)
    assert not uploads.has_errors(upload), upload.problems
    submission = uploads.confirm(
        upload, user=operator_a, explanations={i: "说明" for i, _p in uploads.warnings_of(upload)}
    )
    assert submission.narrative == "回访用户 139****8960"
    client.force_login(operator_a)
    for submission_file in submission.files.all():
        response = client.get(reverse("portal:submission_file", args=[submission.pk, submission_file.pk]))
        assert response.status_code == 200
        assert (
            response["Content-Disposition"].endswith('.xlsx"') or ".xlsx" in response["Content-Disposition"]
        )
        assert_no_full_number(workbook_text(b"".join(response.streaming_content)))
    assert all(p.name.endswith("-masked.xlsx") for p in files_on_disk(media_root))


def test_mask_kept_uploads_replaces_old_raw_files_once(clock, media_root, samples, operator_a):
    submission = MonthlySubmission.objects.create(
        operator=operator_a.operator, period=Period.objects.from_label("2026-10"), version=1
    )
    raw = SubmissionFile(submission=submission, kind=UploadKind.LEDGER, name="台账.csv", sha256="x", size=1)
    raw.file.save("台账.csv", ContentFile(ledger_with_full_numbers(samples)))
    raw_path = Path(raw.file.path)
    pending = PendingUpload.objects.create(
        kind=UploadKind.LEDGER,
        operator=operator_a.operator,
        created_by=operator_a,
        state=UploadState.DISCARDED,
    )
    pending.ledger_file.save("old.csv", ContentFile(b"x"))

    call_command("mask_kept_uploads", stdout=io.StringIO())
    raw.refresh_from_db()
    assert not raw_path.exists()
    assert raw.file.name.endswith("ledger-masked.xlsx")
    kept = workbook_text(Path(raw.file.path).read_bytes())
    assert "139****8960" in kept
    assert_no_full_number(kept)
    assert files_on_disk(media_root) == [Path(raw.file.path)]

    before = raw.file.name
    call_command("mask_kept_uploads", stdout=io.StringIO())
    raw.refresh_from_db()
    assert raw.file.name == before


@pytest.mark.dates
def test_purge_personal_data_empties_old_closed_complaints_only(clock, settings, operator_a, caplog):
    from supervision.core.models import City, ViolationCategory

    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    today = clock.astimezone(SHANGHAI).date()  # the pinned clock's day: ``clock``, ``--at``
    common = {
        "operator": operator_a.operator,
        "city": City.objects.first(),
        "category": ViolationCategory.objects.first(),
        "channel": "MIIT",
        "received_on": today - dt.timedelta(days=90),
    }
    old = ComplaintRecord.objects.create(complaint_no="A", status="RESOLVED", resolved_on=today - dt.timedelta(days=60),
                                         msisdn_masked="139****8960", summary="老投诉", resolution="已解决", **common)  # fmt: skip
    recent = ComplaintRecord.objects.create(complaint_no="B", status="RESOLVED", resolved_on=today - dt.timedelta(days=10),
                                            msisdn_masked="139****8960", summary="新投诉", resolution="已解决", **common)  # fmt: skip
    still_open = ComplaintRecord.objects.create(complaint_no="C", status="OPEN", msisdn_masked="139****8960",
                                                summary="处理中", **common)  # fmt: skip
    from supervision.reporting.models import LedgerUpload

    ledger_upload = LedgerUpload.objects.create(operator=operator_a.operator, file_name="f", sha256="x")
    ComplaintRevision.objects.create(complaint=old, upload=ledger_upload,
                                     changes={"summary": ["旧文字", "老投诉"], "status": ["OPEN", "RESOLVED"]})  # fmt: skip
    out = io.StringIO()
    with caplog.at_level("INFO", logger="supervision.privacy"):
        call_command("purge_personal_data", stdout=out)
    old.refresh_from_db()
    assert (old.msisdn_masked, old.summary, old.resolution) == ("", "", "")
    assert ComplaintRevision.objects.get().changes == {
        "summary": [None, None],
        "status": ["OPEN", "RESOLVED"],
    }
    assert ComplaintRecord.objects.get(pk=recent.pk).summary == "新投诉"
    assert ComplaintRecord.objects.get(pk=still_open.pk).summary == "处理中"
    assert "CMCC" in out.getvalue() and " 1 " in out.getvalue()
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "1 resolved complaints of CMCC" in logged
    assert "老投诉" not in logged and "139****8960" not in logged
    # Run again: nothing more to purge.
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "CMCC" not in out.getvalue()


def test_the_scheduler_purges_personal_data_every_night(clock, settings, operator_a, eager_tasks):
    from django_celery_beat.models import PeriodicTask

    from supervision.core.models import City, ViolationCategory
    from supervision.reporting import schedule, tasks

    schedule.ensure_schedule()
    entry = PeriodicTask.objects.get(name=schedule.PURGE_TASK_NAME)
    assert (entry.task, entry.enabled, entry.crontab.hour, entry.crontab.minute) == (
        "reporting.purge_personal_data",
        True,
        "3",
        "15",
    )
    assert str(entry.crontab.timezone) == "Asia/Shanghai"

    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    old = ComplaintRecord.objects.create(
        operator=operator_a.operator, city=City.objects.first(), category=ViolationCategory.objects.first(),
        channel="MIIT", received_on=dt.date(2026, 8, 1), complaint_no="A", status="RESOLVED",
        resolved_on=dt.date(2026, 9, 1), msisdn_masked="139****8960", summary="老投诉", resolution="已解决",
    )  # fmt: skip
    assert tasks.purge_personal_data.delay().get() == {"CMCC": 1}
    old.refresh_from_db()
    assert (old.msisdn_masked, old.summary, old.resolution) == ("", "", "")
