"""Inspection batches stored as draft findings, and ``manage.py import_inspections``."""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from supervision.casework.ingest import NotValid, check_inspections_file, store_inspections
from supervision.casework.models import (
    BatchState,
    CaseEvent,
    EventKind,
    FindingState,
    InspectionBatch,
    InspectionFinding,
)
from tests.reporting.builders import INSPECTION_HEADERS, TODAY, csv_bytes, inspection_row

pytestmark = pytest.mark.django_db

SAMPLE = "inspections_2026-09.xlsx"


@pytest.fixture(autouse=True)
def english(clock):
    """Messages in English, at the tests' instant (the sample's visits are of 2026-09)."""
    with translation.override("en"):
        yield


@pytest.fixture
def sample(samples):
    return (samples / SAMPLE).read_bytes(), SAMPLE


# --- Stored as draft findings -------------------------------------------------------------------


def test_store_inspections_stores_the_sample_as_draft_findings_with_history(sample, regulator):
    result = check_inspections_file(*sample, today=TODAY)
    assert result.problems == []
    findings = store_inspections(result, user=regulator)
    assert len(findings) == InspectionFinding.objects.count() == 60
    assert set(InspectionFinding.objects.values_list("state", flat=True)) == {FindingState.DRAFT}
    first = InspectionFinding.objects.get(pk=findings[0].pk)
    assert (first.operator.code, first.city.code, first.clause.code, first.severity) == (
        "CUCC",
        "371100",
        "BL1",
        "MINOR",
    )
    assert InspectionFinding.objects.filter(violation=False, clause__isnull=False).count() == 0
    assert first.history.get().history_user == regulator


def test_a_batch_with_errors_is_never_stored():
    result = check_inspections_file(
        csv_bytes([INSPECTION_HEADERS, inspection_row(运营商="中国铁通")]), "检查.csv"
    )
    assert not result.ok
    with pytest.raises(NotValid):
        store_inspections(result, user=None)
    assert not InspectionFinding.objects.exists()


# --- manage.py import_inspections ---------------------------------------------------------------


def run(*args, language="en"):
    """(stdout, stderr, the CommandError or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, "--language", language, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_import_inspections_stores_draft_findings(samples):
    out, err, error = run("import_inspections", str(samples / SAMPLE))
    assert error is None and err == ""
    assert out == "Stored 60 inspection visits (27 with a problem found) as drafts.\n"
    assert InspectionFinding.objects.count() == 60


def test_import_inspections_records_the_file_as_a_batch_with_who_imported_it(
    samples, regulator, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    sample = samples / SAMPLE
    out, _err, error = run("import_inspections", str(sample), "--user", "regulator")
    assert error is None and out.startswith("Stored 60 inspection visits")
    batch = InspectionBatch.objects.get()
    assert (batch.name, batch.uploaded_by, batch.state) == (SAMPLE, regulator, BatchState.CONFIRMED)
    assert batch.sha256 == hashlib.sha256(sample.read_bytes()).hexdigest()
    # The findings are what is kept of it: no file, raw or masked (FORMATS.md, "Files kept").
    assert not batch.file
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
    assert set(InspectionFinding.objects.values_list("batch", "created_by")) == {(batch.pk, regulator.pk)}
    assert CaseEvent.objects.filter(kind=EventKind.IMPORTED, actor=regulator).count() == 60


def test_import_inspections_without_user_records_a_command_line_batch(
    samples, settings, tmp_path, client_for, regulator
):
    settings.MEDIA_ROOT = str(tmp_path)
    _out, _err, error = run("import_inspections", str(samples / SAMPLE))
    assert error is None
    batch = InspectionBatch.objects.get()
    assert batch.uploaded_by is None and InspectionFinding.objects.filter(batch=batch).count() == 60
    page = client_for(regulator).get(reverse("control:inspection_batch", args=[batch.pk]))
    assert "命令行导入" in page.content.decode()


def test_import_inspections_refuses_an_unknown_or_operator_user_and_stores_nothing(
    samples, operator_a, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    for name in ("nobody", "operator_a"):
        _out, _err, error = run("import_inspections", str(samples / SAMPLE), "--user", name)
        assert str(error) == f"“{name}” is not an active user of the administration's staff."
    assert not InspectionBatch.objects.exists() and not InspectionFinding.objects.exists()
