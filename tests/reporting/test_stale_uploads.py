"""No file of an upload nobody confirmed stays on disk for ever (FORMATS.md, "Files kept").

Files held for a refused form, a checked upload never confirmed (its masked re-export), a check
that never ended, a discarded upload whose files are still there, a checked inspection batch:
``settings.UPLOAD_FILES_KEPT_HOURS`` (24) after the upload, the hourly task and
``manage.py mask_kept_uploads`` discard it and delete its files. A confirmed report's files are
its submission's and are never touched. The clock is pinned: the outcome depends on it.
"""

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from supervision.casework import batches
from supervision.casework.models import BatchState, InspectionBatch
from supervision.core.models import SHANGHAI, Period
from supervision.reporting import schedule, tasks, uploads
from supervision.reporting.models import PendingUpload, SubmissionFile, UploadKind, UploadState

# Inside October 2026's filing window: a report for 2026-10 can be uploaded.
START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
SAMPLE_LEDGER = "complaints_CMCC_2026-10_utf8bom.csv"
SAMPLE_FIGURES = "monthly_report_CMCC_2026-10.xlsx"


@pytest.fixture
def clock():
    """The clock, stopped at START; ``clock.shift(timedelta)`` moves it on."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def files_on_disk(root) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def ledger(samples, name="台账.csv"):
    return SimpleUploadedFile(name, (samples / SAMPLE_LEDGER).read_bytes())


def figures(samples):
    return SimpleUploadedFile("月报.xlsx", (samples / SAMPLE_FIGURES).read_bytes())


def held_upload(operator_a, samples) -> PendingUpload:
    """The files of a monthly form refused for another reason, kept for the next attempt."""
    return uploads.hold_files(
        operator=operator_a.operator, user=operator_a, figures=figures(samples), ledger=ledger(samples)
    )


def checked_ledger(operator_a, samples) -> PendingUpload:
    upload = uploads.start_upload(
        kind=UploadKind.LEDGER, operator=operator_a.operator, user=operator_a, ledger=ledger(samples)
    )
    upload = uploads.run_checks(upload.pk)
    assert not uploads.has_errors(upload) and upload.ledger_file
    return upload


def test_held_files_are_deleted_once_the_time_to_confirm_is_over(clock, media_root, samples, operator_a):
    upload = held_upload(operator_a, samples)
    kept = [Path(upload.figures_file.path), Path(upload.ledger_file.path)]
    assert files_on_disk(media_root) == sorted(kept)

    clock.shift(dt.timedelta(hours=23, minutes=59))
    assert uploads.discard_stale_files() == 0
    assert files_on_disk(media_root) == sorted(kept)
    assert uploads.held_upload(operator_a, upload.pk) == upload

    clock.shift(dt.timedelta(minutes=2))
    assert uploads.discard_stale_files() == 1
    assert files_on_disk(media_root) == []
    upload.refresh_from_db()
    assert upload.state == UploadState.DISCARDED
    assert not upload.figures_file and not upload.ledger_file
    # The form no longer offers the files as kept: they must be chosen again.
    assert uploads.held_upload(operator_a, upload.pk) is None
    # Run again: nothing more to do.
    assert uploads.discard_stale_files() == 0


def test_a_checked_upload_never_confirmed_is_discarded(clock, media_root, samples, operator_a, client):
    upload = checked_ledger(operator_a, samples)
    assert len(files_on_disk(media_root)) == 1  # the masked re-export

    clock.shift(dt.timedelta(hours=24, seconds=1))
    assert uploads.discard_stale_files() == 1
    assert files_on_disk(media_root) == []
    upload.refresh_from_db()
    assert upload.state == UploadState.DISCARDED
    with pytest.raises(uploads.UploadRefused):
        uploads.confirm(upload, user=operator_a, explanations={})
    client.force_login(operator_a)
    page = client.get(reverse("portal:upload", args=[upload.pk]))
    assert translation.gettext("This upload was discarded; nothing was stored.") in page.content.decode()


def test_an_upload_whose_check_never_ended_and_a_discarded_one_lose_their_files(
    clock, media_root, samples, operator_a
):
    stuck = uploads.start_upload(
        kind=UploadKind.LEDGER, operator=operator_a.operator, user=operator_a, ledger=ledger(samples)
    )
    assert stuck.state == UploadState.CHECKING
    # Discarded by an older version, which left its file on disk.
    discarded = PendingUpload.objects.create(
        kind=UploadKind.LEDGER,
        operator=operator_a.operator,
        created_by=operator_a,
        state=UploadState.DISCARDED,
    )
    discarded.ledger_file.save("ledger-upload.csv", ContentFile(b"x"))
    assert len(files_on_disk(media_root)) == 2

    clock.shift(dt.timedelta(days=2))
    assert uploads.discard_stale_files() == 2
    assert files_on_disk(media_root) == []
    stuck.refresh_from_db()
    assert stuck.state == UploadState.DISCARDED and not stuck.ledger_file


def test_a_confirmed_report_keeps_its_files(clock, media_root, samples, operator_a):
    upload = uploads.start_upload(
        kind=UploadKind.MONTHLY,
        operator=operator_a.operator,
        user=operator_a,
        period=Period.objects.from_label("2026-10"),
        figures=figures(samples),
        ledger=ledger(samples),
        form_data={"narrative": "本月工作正常。", "major_problem": False, "typical_cases": []},
    )
    upload = uploads.run_checks(upload.pk)
    assert not uploads.has_errors(upload), upload.problems
    submission = uploads.confirm(
        upload, user=operator_a, explanations={i: "说明" for i, _p in uploads.warnings_of(upload)}
    )
    kept = files_on_disk(media_root)
    assert len(kept) == 2 and SubmissionFile.objects.filter(submission=submission).count() == 2

    clock.shift(dt.timedelta(days=30))
    assert uploads.discard_stale_files() == 0
    assert files_on_disk(media_root) == kept
    upload.refresh_from_db()
    assert upload.state == UploadState.CONFIRMED


def test_files_chosen_again_start_their_time_again(clock, media_root, samples, operator_a):
    held = held_upload(operator_a, samples)
    clock.shift(dt.timedelta(hours=20))
    # The corrected form is sent with the held files: checked now, 20 hours after they were held.
    upload = uploads.start_upload(
        kind=UploadKind.MONTHLY,
        operator=operator_a.operator,
        user=operator_a,
        period=Period.objects.from_label("2026-10"),
        form_data={"narrative": "本月工作正常。", "major_problem": False, "typical_cases": []},
        held=held,
    )
    uploads.run_checks(upload.pk)
    clock.shift(dt.timedelta(hours=10))
    assert uploads.discard_stale_files() == 0
    assert len(files_on_disk(media_root)) == 2
    clock.shift(dt.timedelta(hours=15))
    assert uploads.discard_stale_files() == 1
    assert files_on_disk(media_root) == []


def test_the_time_to_confirm_is_a_setting(clock, media_root, samples, operator_a, settings):
    settings.UPLOAD_FILES_KEPT_HOURS = 2
    held_upload(operator_a, samples)
    clock.shift(dt.timedelta(hours=1))
    assert uploads.discard_stale_files() == 0
    clock.shift(dt.timedelta(hours=1, seconds=1))
    assert uploads.discard_stale_files() == 1
    assert files_on_disk(media_root) == []


def test_a_checked_inspection_batch_never_confirmed_is_discarded(
    clock, media_root, samples, regulator, django_capture_on_commit_callbacks
):
    sample = (samples / "inspections_2026-09.xlsx").read_bytes()
    waiting = batches.start_batch(SimpleUploadedFile("检查.xlsx", sample), user=regulator)
    confirmed = batches.start_batch(SimpleUploadedFile("检查.xlsx", sample), user=regulator)
    with django_capture_on_commit_callbacks(execute=True):
        batches.confirm_batch(confirmed, user=regulator)
    assert files_on_disk(media_root) == [Path(waiting.file.path)]

    clock.shift(dt.timedelta(hours=25))
    assert uploads.discard_stale_files() == 1
    assert files_on_disk(media_root) == []
    waiting.refresh_from_db()
    confirmed.refresh_from_db()
    assert (waiting.state, confirmed.state) == (BatchState.DISCARDED, BatchState.CONFIRMED)
    assert InspectionBatch.objects.exclude(file="").count() == 0


def test_the_hourly_task_and_the_command_delete_stale_files(
    clock, media_root, samples, operator_a, eager_tasks
):
    from django_celery_beat.models import PeriodicTask

    # The scheduler runs the task every hour (set up by ``migrate``).
    schedule.ensure_schedule()
    entry = PeriodicTask.objects.get(name=schedule.STALE_UPLOADS_TASK_NAME)
    assert (entry.task, entry.enabled, entry.interval.every, entry.interval.period) == (
        "reporting.discard_stale_uploads",
        True,
        1,
        "hours",
    )

    held_upload(operator_a, samples)
    clock.shift(dt.timedelta(hours=25))
    assert tasks.discard_stale_uploads.delay().get() == 1
    assert files_on_disk(media_root) == []

    held_upload(operator_a, samples)
    clock.shift(dt.timedelta(hours=25))
    out = io.StringIO()
    with translation.override("en"):
        call_command("mask_kept_uploads", stdout=out)
    assert "not confirmed within 24 hours, their files deleted: 1." in out.getvalue()
    assert files_on_disk(media_root) == []
