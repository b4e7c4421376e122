"""The inspection batch uploaded on the site: the same pipeline and guarantees as the command."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from supervision.casework.models import BatchState, CaseEvent, InspectionBatch, InspectionFinding

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
