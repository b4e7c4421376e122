"""An inspection batch uploaded on the site: checked, previewed, then confirmed.

The same pipeline and guarantees as ``manage.py import_inspections`` and the monthly uploads
(``casework.ingest``, on ``supervision.ingest``): every problem is listed in the preview, a file
with an error stores nothing, and confirming checks the kept file again and stores all its
visits in one transaction, as draft findings that point back to the batch.

What is kept of the file (FORMATS.md, "Files kept"): the raw workbook never reaches the disk. A
batch without errors keeps, until it is confirmed or discarded, a masked re-export of the visits
it would store (``reporting.kept.masked_workbook``), which the confirmation checks again; a batch
with errors keeps nothing but its problems; once confirmed, the findings are what is kept, and
discarding deletes the file too. The batch keeps the file's name (masked) and its SHA-256.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.core import privacy
from supervision.core.files import display_name
from supervision.core.models import Operator
from supervision.ingest import FileRefused, Problem
from supervision.reporting import kept

from .ingest import COLUMNS, check_inspections_file, store_inspections
from .models import BatchState, CaseEvent, EventKind, InspectionBatch, InspectionFinding
from .rules import TransitionRefused


def _read(batch: InspectionBatch) -> bytes:
    batch.file.open("rb")
    try:
        return batch.file.read()
    finally:
        batch.file.close()


def _reading_name(batch: InspectionBatch) -> str:
    # The kept re-export is an .xlsx, whatever the user uploaded (a raw file kept by an older
    # version is read under its own name).
    return batch.file.name.rsplit("/", 1)[-1] if kept.is_kept(batch.file.name) else batch.name


def _keep_masked(batch: InspectionBatch, result) -> None:
    """Keep the masked re-export of what a confirmation would store, or nothing."""
    if result is not None and not has_errors(batch):
        batch.file.save(
            kept.kept_name("inspections"),
            ContentFile(kept.masked_workbook(COLUMNS, result.records)),
            save=False,
        )
    else:
        batch.file = ""


def _delete_file(batch: InspectionBatch) -> None:
    """Forget the batch's file; on disk once the transaction is committed."""
    if not batch.file:
        return
    storage, path = batch.file.storage, batch.file.name
    batch.file = ""
    batch.save(update_fields=["file"])
    transaction.on_commit(lambda: storage.delete(path))


def _check(data: bytes, name: str):
    """(result or None, problems as JSON): the file refused whole is one problem."""
    try:
        result = check_inspections_file(data, name)
    except FileRefused as refused:
        return None, [{"refused": str(refused)}]
    return result, [p.to_dict() for p in result.problems]


def _preview(result) -> dict:
    if result is None:
        return {}
    visits = Counter(r["operator_code"] for r in result.records if r["operator_code"])
    found = Counter(r["operator_code"] for r in result.records if r["operator_code"] and r["violation"])
    return {
        "visits": len(result.records),
        "found": sum(1 for r in result.records if r["violation"]),
        "by_operator": {code: [visits[code], found.get(code, 0)] for code in sorted(visits)},
    }


@transaction.atomic
def start_batch(uploaded, *, user) -> InspectionBatch:
    """Keep the uploaded workbook aside and check it; nothing becomes a finding yet."""
    if not getattr(user, "is_regulator_staff", False):
        raise TransitionRefused(_("Only the administration's case officers may import inspections."))
    data = b"".join(uploaded.chunks())
    # The name as shown, its base name with any mobile number in it masked.
    name = display_name(uploaded.name or "")
    batch = InspectionBatch(name=name, sha256=hashlib.sha256(data).hexdigest(), uploaded_by=user)
    result, batch.problems = _check(data, name)
    batch.preview = _preview(result)
    _keep_masked(batch, result)
    batch.save()
    return batch


def has_errors(batch: InspectionBatch) -> bool:
    return any(p.get("refused") or Problem.from_dict(p).blocking for p in batch.problems)


@transaction.atomic
def confirm_batch(batch: InspectionBatch, *, user) -> list[InspectionFinding]:
    """Store every visit of a checked batch as a draft finding, in one transaction."""
    if not getattr(user, "is_regulator_staff", False):
        raise TransitionRefused(_("Only the administration's case officers may import inspections."))
    batch = InspectionBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != BatchState.CHECKED:
        raise TransitionRefused(_("This batch was already confirmed or discarded."))
    # What is stored is exactly what passes the checks now, not what passed at upload.
    if not batch.file:
        raise TransitionRefused(_("The file does not pass the checks: nothing was stored."))
    result, problems = _check(_read(batch), _reading_name(batch))
    if result is None or not result.ok:
        batch.problems = problems
        batch.save(update_fields=["problems"])
        raise TransitionRefused(_("The file does not pass the checks: nothing was stored."))
    findings = _store(batch, result, user=user)
    # The findings are what is kept of a confirmed batch: no file of it stays.
    _delete_file(batch)
    return findings


@transaction.atomic
def import_file(
    data: bytes, name: str, result, *, user=None
) -> tuple[InspectionBatch, list[InspectionFinding]]:
    """``manage.py import_inspections``: record the file as a batch and store its visits at once.

    ``result`` is the file's check, already free of errors (the command lists them and stops
    otherwise). The batch, its findings and their timeline lines are what an upload on the site
    and its confirmation would make; ``user`` is who ran the command, if named (``--user``). As
    for a confirmed upload, no file of it is kept: its name (masked) and SHA-256 are.
    """
    batch = InspectionBatch(
        name=display_name(name),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user,
        problems=[],
        preview=_preview(result),
    )
    batch.problems = [p.to_dict() for p in result.problems]
    batch.save()
    return batch, _store(batch, result, user=user)


def _store(batch: InspectionBatch, result, *, user) -> list[InspectionFinding]:
    """Store the checked visits as draft findings of ``batch``, and mark it confirmed."""
    findings = store_inspections(result, user=user)
    ids = [f.pk for f in findings]
    InspectionFinding.objects.filter(pk__in=ids).update(batch=batch, created_by=user)
    now = timezone.now()
    CaseEvent.objects.bulk_create(
        CaseEvent(
            kind=EventKind.IMPORTED,
            finding_id=pk,
            actor=user,
            at=now,
            internal=True,
            data={"batch": batch.name},
        )
        for pk in ids
    )
    batch.state = BatchState.CONFIRMED
    batch.confirmed_at = now
    batch.save(update_fields=["state", "confirmed_at"])
    return findings


@transaction.atomic
def discard_batch(batch: InspectionBatch, *, user) -> None:
    batch = InspectionBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != BatchState.CHECKED:
        raise TransitionRefused(_("This batch was already confirmed or discarded."))
    batch.state = BatchState.DISCARDED
    batch.save(update_fields=["state"])
    _delete_file(batch)


# --- Files nobody confirmed, and files older versions kept ----------------------------------------


def discard_stale(before, **_kwargs) -> int:
    """``kept.stale_files_due``: discard the batches checked before ``before`` and never
    confirmed, and delete their (masked) files. Returns how many were discarded."""
    count = 0
    stale = InspectionBatch.objects.filter(state=BatchState.CHECKED, uploaded_at__lt=before).exclude(file="")
    for pk in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            batch = (
                InspectionBatch.objects.select_for_update()
                .filter(pk=pk, state=BatchState.CHECKED, uploaded_at__lt=before)
                .first()
            )
            if batch is None:
                continue
            storage, path = batch.file.storage, batch.file.name
            batch.state = BatchState.DISCARDED
            batch.file = ""
            batch.save(update_fields=["state", "file"])
        storage.delete(path)
        count += 1
    return count


def mask_old_files(**_kwargs) -> tuple[int, int, int]:
    """``kept.old_files_found`` (``manage.py mask_kept_uploads``): a batch waiting for
    confirmation without errors keeps the masked re-export of its visits instead of the raw
    workbook an older version kept; any other batch keeps no file. Names and problems recorded
    before they were masked on upload are masked. Returns (masked, deleted, records masked)."""
    masked = deleted = 0
    for batch in InspectionBatch.objects.exclude(file="").iterator():
        waiting = batch.state == BatchState.CHECKED and not has_errors(batch)
        if waiting and kept.is_kept(batch.file.name):
            continue
        raw, storage = batch.file.name, batch.file.storage
        if waiting and _mask_raw_file(batch):
            masked += 1
        else:
            batch.file = ""
            batch.save(update_fields=["file"])
            deleted += 1
        if storage.exists(raw):
            storage.delete(raw)
    records = 0
    for pk, name, problems in InspectionBatch.objects.values_list("pk", "name", "problems").iterator():
        updates = {"name": privacy.mask_text(name), "problems": privacy.mask_data(problems)}
        if updates != {"name": name, "problems": problems}:
            # ``update``: no save signal, just the masked text.
            InspectionBatch.objects.filter(pk=pk).update(**updates)
            records += 1
    return masked, deleted, records


def _mask_raw_file(batch: InspectionBatch) -> bool:
    """Check a raw workbook again and keep the masked re-export of its visits, if it passes."""
    try:
        data = _read(batch)
    except OSError:
        return False
    result, batch.problems = _check(data, batch.name)
    if result is None or not result.ok:
        batch.save(update_fields=["problems"])
        return False
    _keep_masked(batch, result)
    batch.save(update_fields=["file", "problems"])
    return True


def problem_rows(batch: InspectionBatch) -> list[dict]:
    """The batch's problems for the preview, in the active language, errors first."""
    rows = []
    for index, stored in enumerate(batch.problems):
        if stored.get("refused"):
            rows.append({"index": index, "kind": "error", "message": stored["refused"], "row": None})
            continue
        problem = Problem.from_dict(stored)
        rows.append(
            {
                "index": index,
                "kind": problem.kind,
                "message": problem.message,
                "row": problem.row,
                "column": problem.column,
                "value": problem.value,
            }
        )
    order = {"error": 0, "warning": 1, "notice": 2}
    return sorted(rows, key=lambda r: (order.get(r["kind"], 3), r["index"]))


def preview_rows(batch: InspectionBatch) -> list[tuple[Operator, int, int]]:
    """(operator, visits, with a problem found), in the operators' order."""
    counts = batch.preview.get("by_operator", {})
    return [(op, *counts[op.code]) for op in Operator.objects.filter(code__in=list(counts))]
