"""The inspection batch uploaded on the site: the same pipeline and guarantees as the command."""

import hashlib
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from supervision.casework import batches
from supervision.casework.ingest import check_inspections_file
from supervision.casework.models import BatchState, CaseEvent, InspectionBatch, InspectionFinding
from tests.core.test_masking_end_to_end import leaks

SAMPLE = "inspections_2026-09.xlsx"


@pytest.fixture
def staff(client, regulator):
    client.force_login(regulator)
    return client


def sample_upload(samples):
    return SimpleUploadedFile(SAMPLE, (samples / SAMPLE).read_bytes())


def broken_workbook() -> SimpleUploadedFile:
    """Two visits: one without its operator, one found a problem but says neither what nor how bad."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "检查日期",
            "运营商",
            "地市",
            "渠道",
            "网点名称",
            "检查方式",
            "检查场景",
            "是否发现问题",
            "问题描述",
            "违反条款",
            "严重程度",
            "检查机构",
        ]
    )
    sheet.append(["2026-09-03", "", "济南市", "APP", "", "暗访", "申请授权码", "否", "", "", "", "某机构"])
    sheet.append(
        ["2026-09-04", "中国移动", "济南市", "APP", "", "暗访", "申请授权码", "是", "", "", "", "某机构"]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("有错的批次.xlsx", buffer.getvalue())


def test_the_sample_batch_is_previewed_then_stored_as_drafts(staff, regulator, samples):
    response = staff.post(reverse("control:inspection_upload"), {"file": sample_upload(samples)})
    batch = InspectionBatch.objects.get()
    assert response.url == reverse("control:inspection_batch", args=[batch.pk])
    assert InspectionFinding.objects.count() == 0  # nothing stored before the confirmation

    preview = staff.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    assert preview.context["has_errors"] is False
    assert batch.preview["visits"] == 60
    cmcc = {op.code: (visits, found) for op, visits, found in preview.context["preview"]}["CMCC"]
    assert cmcc[1] >= 1  # the sample has CMCC visits with a problem found

    confirmed = staff.post(response.url, {"confirm": "1"}, follow=True)
    assert confirmed.status_code == 200
    batch.refresh_from_db()
    assert batch.state == BatchState.CONFIRMED
    stored = InspectionFinding.objects.filter(batch=batch)
    assert stored.count() == 60
    assert set(stored.values_list("state", flat=True)) == {"draft"}
    assert set(stored.values_list("created_by", flat=True)) == {regulator.pk}
    assert CaseEvent.objects.filter(kind="imported", internal=True).count() == 60
    # The history says who imported them.
    assert {h.history_user_id for h in InspectionFinding.history.all()} == {regulator.pk}


def test_a_batch_with_errors_lists_them_all_and_stores_nothing(staff, regulator):
    response = staff.post(reverse("control:inspection_upload"), {"file": broken_workbook()}, follow=True)
    page = response.content.decode()
    assert response.context["has_errors"] is True
    rows = {(p["row"], p["kind"]) for p in response.context["problems"]}
    assert (2, "error") in rows and (3, "error") in rows
    assert 'name="confirm"' not in page
    batch = InspectionBatch.objects.get()
    staff.post(reverse("control:inspection_batch", args=[batch.pk]), {"confirm": "1"})
    assert InspectionFinding.objects.count() == 0
    assert InspectionBatch.objects.get().state == BatchState.CHECKED


def test_a_file_that_is_not_a_workbook_is_refused_whole(staff):
    response = staff.post(
        reverse("control:inspection_upload"),
        {"file": SimpleUploadedFile("检查.xlsx", b"MZ\x90\x00" + b"\x00" * 100)},
        follow=True,
    )
    assert response.context["has_errors"] is True
    assert [p["kind"] for p in response.context["problems"]] == ["error"]


def test_a_discarded_batch_stores_nothing_and_cannot_be_confirmed(staff, samples):
    staff.post(reverse("control:inspection_upload"), {"file": sample_upload(samples)})
    batch = InspectionBatch.objects.get()
    staff.post(reverse("control:inspection_batch", args=[batch.pk]), {"discard": "1"})
    staff.post(reverse("control:inspection_batch", args=[batch.pk]), {"confirm": "1"})
    assert InspectionBatch.objects.get().state == BatchState.DISCARDED
    assert InspectionFinding.objects.count() == 0


def test_confirming_twice_stores_once(staff, samples):
    staff.post(reverse("control:inspection_upload"), {"file": sample_upload(samples)})
    batch = InspectionBatch.objects.get()
    for _ in range(2):
        staff.post(reverse("control:inspection_batch", args=[batch.pk]), {"confirm": "1"})
    assert InspectionFinding.objects.count() == 60


def test_leadership_and_operators_cannot_import(client, leader, operator_a, samples):
    for user in (leader, operator_a):
        client.force_login(user)
        assert (
            client.post(reverse("control:inspection_upload"), {"file": sample_upload(samples)}).status_code
            == 403
        )
    assert InspectionBatch.objects.count() == 0


# --- What is kept of the file: a masked re-export until confirmed, then nothing ---------------


def files_under(root) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def with_numbers(samples, name="检查结果 13912345678.xlsx") -> SimpleUploadedFile:
    """The sample batch with full mobile numbers in the visits' texts, under a name holding one."""
    book = openpyxl.load_workbook(samples / SAMPLE)
    sheet = book.active
    sheet["G2"] = "回访用户 +86 139-8652-8960 咨询携号转网"
    sheet["I2"] = f"{sheet['I2'].value}（用户１３７１２３４５６７８）"
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def kept_text(field) -> str:
    with field.open("rb") as handle:
        sheet = openpyxl.load_workbook(io.BytesIO(handle.read()), read_only=True).active
        return "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None)


def test_a_checked_batch_keeps_only_the_masked_re_export_of_its_visits(staff, samples, settings):
    staff.post(reverse("control:inspection_upload"), {"file": with_numbers(samples)})
    batch = InspectionBatch.objects.get()
    assert batch.name == "检查结果 139****5678.xlsx"
    assert files_under(settings.MEDIA_ROOT) == [Path(batch.file.path)]
    assert batch.file.name.endswith("-inspections-masked.xlsx")
    text = kept_text(batch.file)
    assert "检查场景" in text and "139****8960" in text and "137****5678" in text
    assert not leaks(text.splitlines())
    assert not leaks([repr(batch.problems), batch.name])


def test_a_confirmed_batch_stores_what_the_file_said_and_keeps_no_file(
    staff, samples, settings, django_capture_on_commit_callbacks
):
    raw = (samples / SAMPLE).read_bytes()
    expected = check_inspections_file(raw, SAMPLE).records
    staff.post(reverse("control:inspection_upload"), {"file": sample_upload(samples)})
    batch = InspectionBatch.objects.get()
    assert batch.sha256 == hashlib.sha256(raw).hexdigest()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("control:inspection_batch", args=[batch.pk]), {"confirm": "1"})
    batch.refresh_from_db()
    assert batch.state == BatchState.CONFIRMED and not batch.file
    assert files_under(settings.MEDIA_ROOT) == []
    stored = [
        (f.visit_date, f.operator.code, f.city.code, f.channel, f.site, f.method, f.scenario, f.violation,
         f.description, f.clause.code if f.clause else None, f.severity, f.agency)
        for f in InspectionFinding.objects.filter(batch=batch).select_related("operator", "city", "clause")
    ]  # fmt: skip
    assert sorted(stored, key=repr) == sorted(
        (
            (r["visit_date"], r["operator_code"], r["city_code"], r["channel"], r["site"], r["method"],
             r["scenario"], r["violation"], r["description"], r["clause_code"], r["severity"], r["agency"])
            for r in expected
        ),
        key=repr,
    )  # fmt: skip


def test_a_batch_with_errors_or_discarded_keeps_no_file(
    staff, samples, settings, django_capture_on_commit_callbacks
):
    staff.post(reverse("control:inspection_upload"), {"file": broken_workbook()})
    refused = InspectionBatch.objects.get()
    assert not refused.file
    assert files_under(settings.MEDIA_ROOT) == []

    staff.post(reverse("control:inspection_upload"), {"file": sample_upload(samples)})
    batch = InspectionBatch.objects.exclude(pk=refused.pk).get()
    assert batch.file
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("control:inspection_batch", args=[batch.pk]), {"discard": "1"})
    batch.refresh_from_db()
    assert batch.state == BatchState.DISCARDED and not batch.file
    assert files_under(settings.MEDIA_ROOT) == []


def test_mask_kept_uploads_masks_or_deletes_the_raw_files_of_older_batches(
    regulator, samples, settings, django_capture_on_commit_callbacks
):
    def old_batch(state, data, name):
        # As an earlier version kept it: the raw workbook, under the name as uploaded.
        batch = InspectionBatch(name=name, sha256="x", uploaded_by=regulator, state=state)
        batch.problems = batches._check(data, name)[1]
        batch.file.save("raw.xlsx", ContentFile(data), save=False)
        batch.save()
        return batch

    data = with_numbers(samples).read()
    waiting = old_batch(BatchState.CHECKED, data, "用户13912345678.xlsx")
    confirmed = old_batch(BatchState.CONFIRMED, data, "a.xlsx")
    discarded = old_batch(BatchState.DISCARDED, data, "b.xlsx")
    raw_paths = [Path(b.file.path) for b in (waiting, confirmed, discarded)]

    out = io.StringIO()
    with translation.override("en"):
        call_command("mask_kept_uploads", stdout=out)
    assert "Inspection batches masked: 1; batch files deleted: 2" in out.getvalue()
    for batch in (waiting, confirmed, discarded):
        batch.refresh_from_db()
    assert not confirmed.file and not discarded.file
    assert waiting.file.name.endswith("-inspections-masked.xlsx")
    assert waiting.name == "用户139****5678.xlsx"
    assert "139****8960" in kept_text(waiting.file) and "13986528960" not in kept_text(waiting.file)
    assert files_under(settings.MEDIA_ROOT) == [Path(waiting.file.path)]
    assert not any(p.exists() for p in raw_paths)

    # The masked batch can still be confirmed: its findings are the visits, masked.
    with django_capture_on_commit_callbacks(execute=True):
        findings = batches.confirm_batch(waiting, user=regulator)
    assert len(findings) == 60
    assert InspectionFinding.objects.filter(scenario__contains="139****8960").count() == 1

    waiting.refresh_from_db()
    assert not waiting.file and files_under(settings.MEDIA_ROOT) == []

    # Run again: nothing more to do.
    out = io.StringIO()
    with translation.override("en"):
        call_command("mask_kept_uploads", stdout=out)
    assert "Inspection batches masked: 0; batch files deleted: 0" in out.getvalue()
