"""Uploads from the portal: stored aside, checked (inline or in the worker), previewed, confirmed.

The same ingest pipeline as the import commands does the work (``supervision.reporting.ingest``);
this module only keeps the files and the outcome between the upload and the confirmation, so
that nothing reaches the figures or the ledger before the submitter has seen the preview.
"""

import datetime as dt
import hashlib
import os
from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.core import dates, privacy
from supervision.core.actions import Refused
from supervision.core.files import display_name
from supervision.core.models import City

from . import ingest, kept, mail, submissions
from .ingest import store as ingest_store
from .models import (
    ComplaintRecord,
    MonthlySubmission,
    PendingUpload,
    SubmissionFile,
    SubmissionState,
    TypicalCase,
    UploadKind,
    UploadState,
)


class UploadRefused(Refused):
    """The upload cannot go on; the message says why, in the user's language."""


def _digest(uploaded) -> tuple[str, bytes]:
    data = b"".join(uploaded.chunks()) if hasattr(uploaded, "chunks") else uploaded.read()
    return hashlib.sha256(data).hexdigest(), data


@transaction.atomic
def start_upload(
    *, kind, operator, user, period=None, figures=None, ledger=None, form_data=None, held=None
) -> PendingUpload:
    """Keep the files and the form aside; checks run next (``run_checks``).

    ``held``: files kept from an earlier attempt at the form (``hold_files``); a file chosen
    again replaces the held one.
    """
    if kind == UploadKind.MONTHLY:
        submissions.ensure_period_open(operator, period)
    # What the submitter typed waits here until confirmed: masked already (FORMATS.md §2).
    form_data = privacy.mask_data(form_data or {})
    if held is not None:
        upload = held
        upload.kind, upload.period, upload.form_data = kind, period, form_data or {}
        upload.state = UploadState.CHECKING
        # Uploaded now: the files' time to be confirmed (``discard_stale``) starts again.
        upload.created_at = timezone.now()
    else:
        upload = PendingUpload(
            kind=kind, operator=operator, period=period, created_by=user, form_data=form_data or {}
        )
    _keep_files(upload, figures=figures, ledger=ledger)
    upload.save()
    return upload


def _keep_files(upload: PendingUpload, *, figures=None, ledger=None) -> None:
    for field, uploaded in (("figures", figures), ("ledger", ledger)):
        if uploaded is None:
            continue
        sha256, data = _digest(uploaded)
        # Stored under a generated name, and only until checked (``_keep_masked``).
        extension = os.path.splitext(uploaded.name)[1].lower()[:10]
        getattr(upload, f"{field}_file").save(f"{field}-upload{extension}", ContentFile(data), save=False)
        setattr(upload, f"{field}_name", display_name(uploaded.name))
        setattr(upload, f"{field}_sha256", sha256)


def hold_files(*, operator, user, figures=None, ledger=None, held=None) -> PendingUpload | None:
    """Keep the files of a form that was refused for another reason, so that the submitter need
    not choose them again: the form shows them as kept and sends the upload's id back."""
    if figures is None and ledger is None:
        return held
    upload = held or PendingUpload(
        kind=UploadKind.MONTHLY, operator=operator, created_by=user, state=UploadState.HELD
    )
    upload.created_at = timezone.now()
    _keep_files(upload, figures=figures, ledger=ledger)
    upload.save()
    return upload


def held_upload(user, upload_id) -> PendingUpload | None:
    """The files this user's refused form kept, if ``upload_id`` names them."""
    if not upload_id:
        return None
    try:
        return PendingUpload.objects.filter(
            pk=upload_id, created_by=user, operator_id=user.operator_id, state=UploadState.HELD
        ).first()
    except (ValueError, ValidationError):
        return None


def should_check_in_background(upload: PendingUpload) -> bool:
    """Large files are checked by the worker while the page shows progress."""
    size = sum(f.size for f in (upload.figures_file, upload.ledger_file) if f)
    return size > settings.UPLOAD_BACKGROUND_BYTES


def _read(field) -> bytes:
    field.open("rb")
    try:
        return field.read()
    finally:
        field.close()


def _ledger_counts(operator, period, ledger_result) -> dict[str, int]:
    """Complaints received in the period per city: stored ledger rows merged with the file's."""
    stored = dict(
        ComplaintRecord.objects.filter(
            operator=operator, received_on__year=period.month.year, received_on__month=period.month.month
        )
        .values_list("city__code")
        .annotate(n=Count("pk"))
        .values_list("city__code", "n")
    )
    if ledger_result is None:
        return stored
    in_file = {r["complaint_no"]: r for r in ledger_result.records}
    known = set(
        ComplaintRecord.objects.filter(operator=operator, complaint_no__in=list(in_file)).values_list(
            "complaint_no", flat=True
        )
    )
    counts = Counter(stored)
    for complaint_no, record in in_file.items():
        if complaint_no in known:
            continue  # already counted among the stored rows (an update, not a new complaint)
        received = record["received_on"]
        if (received.year, received.month) == (period.month.year, period.month.month):
            counts[record["city_code"]] += 1
    return dict(counts)


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _reading_name(field, name: str) -> str:
    # A kept (masked) re-export is an .xlsx, whatever the user uploaded: read it as one.
    same = os.path.splitext(field.name)[1].lower() == os.path.splitext(name)[1].lower()
    return name if same and not kept.is_kept(field.name) else os.path.basename(field.name)


def _check(upload: PendingUpload, progress=None):
    """Read and validate the upload's files; returns (figures result, ledger result, problems)."""
    progress = progress or (lambda percent: None)
    problems, figures_result, ledger_result = [], None, None
    if upload.ledger_file:
        progress(10)
        try:
            ledger_result = ingest_store.check_ledger_file(
                _read(upload.ledger_file),
                _reading_name(upload.ledger_file, upload.ledger_name),
                operator=upload.operator,
                period=upload.period if upload.kind == UploadKind.MONTHLY else None,
            )
            problems += [{"file": "ledger", **p.to_dict()} for p in ledger_result.problems]
        except ingest.FileRefused as refused:
            problems.append({"file": "ledger", "refused": str(refused)})
    progress(50)
    if upload.figures_file:
        try:
            sheet = ingest.read_sheet(
                _read(upload.figures_file), _reading_name(upload.figures_file, upload.figures_name)
            )
            history = ingest_store.monthly_history(upload.operator, upload.period)
            counts = _ledger_counts(upload.operator, upload.period, ledger_result)
            figures_result = ingest.validate_monthly(
                sheet,
                history=history,
                ledger_counts=counts,
                operator=upload.operator.code,
                period=upload.period.month,
                filed_by=ingest_store.filed_by(upload.period),
            )
            problems += [{"file": "figures", **p.to_dict()} for p in figures_result.problems]
        except ingest.FileRefused as refused:
            problems.append({"file": "figures", "refused": str(refused)})
    progress(90)
    return figures_result, ledger_result, problems


def run_checks(upload_id, progress_every: int = 1) -> PendingUpload:
    """Check the files and record the outcome and a preview on the upload."""
    upload = PendingUpload.objects.select_related("operator", "period").get(pk=upload_id)

    def progress(percent):
        PendingUpload.objects.filter(pk=upload.pk).update(progress=percent)

    figures_result, ledger_result, problems = _check(upload, progress)
    preview = {}
    if figures_result is not None:
        preview["figures"] = [{k: _jsonable(v) for k, v in row.items()} for row in figures_result.rows]
    if ledger_result is not None:
        numbers = [r["complaint_no"] for r in ledger_result.records]
        known = ComplaintRecord.objects.filter(operator=upload.operator, complaint_no__in=numbers).count()
        preview["ledger"] = {
            "rows": len(numbers),
            "new": len(numbers) - known,
            "known": known,
            "by_status": dict(Counter(r["status"] for r in ledger_result.records)),
            # What the file adds to or changes in months whose report was accepted.
            "accepted_changes": ledger_result.accepted_changes,
        }
    upload.problems = problems
    upload.preview = preview
    upload.state = UploadState.CHECKED
    upload.progress = 100
    with transaction.atomic():
        # Confirmed or discarded meanwhile: that outcome stands. (Marked failed by
        # ``fail_stalled_checks``, it is still CHECKED: the real outcome replaces the failure.)
        still_open = [UploadState.CHECKING, UploadState.CHECKED]
        if (
            PendingUpload.objects.select_for_update().filter(pk=upload.pk, state__in=still_open).first()
            is None
        ):
            upload.refresh_from_db()
            return upload
        _keep_masked(upload, figures_result, ledger_result)
        upload.save(update_fields=["problems", "preview", "state", "progress", "figures_file", "ledger_file"])
    return upload


def _keep_masked(upload: PendingUpload, figures_result, ledger_result) -> None:
    """Replace the raw files by masked re-exports of the accepted rows, or by nothing.

    FORMATS.md, "Files kept": raw uploads are deleted once checked. A file with errors cannot be
    confirmed, so nothing of it is kept; the problems found stay on the upload for the preview.
    """
    refused = has_errors(upload)
    for name, result, build in (
        ("figures", figures_result, lambda r: kept.monthly_workbook(r.rows)),
        ("ledger", ledger_result, lambda r: kept.ledger_workbook(r.records)),
    ):
        field = getattr(upload, f"{name}_file")
        if not field or kept.is_kept(field.name):
            continue
        raw, storage = field.name, field.storage
        if refused or result is None:
            setattr(upload, f"{name}_file", "")
        else:
            field.save(kept.kept_name(name), ContentFile(build(result)), save=False)
        storage.delete(raw)


def _delete_files(upload: PendingUpload) -> None:
    """Forget the upload's files; on disk once the transaction is committed."""
    paths = []
    for name in ("figures", "ledger"):
        field = getattr(upload, f"{name}_file")
        if field:
            paths.append((field.storage, field.name))
            setattr(upload, f"{name}_file", "")
    upload.save(update_fields=["figures_file", "ledger_file"])
    transaction.on_commit(lambda: [storage.delete(path) for storage, path in paths])


def has_errors(upload: PendingUpload) -> bool:
    return any(p.get("refused") or p.get("blocking") for p in upload.problems)


def warnings_of(upload: PendingUpload) -> list[tuple[int, dict]]:
    """The problems that need an explanation, with their index in ``upload.problems``."""
    return [(i, p) for i, p in enumerate(upload.problems) if p.get("needs_explanation")]


# --- Explaining the warnings: several at once, or as last month -----------------------------------


def explain_selected(
    upload: PendingUpload, explanations: dict[int, str], selected, text: str
) -> dict[int, str]:
    """The explanations with ``text`` given to each selected warning (one explanation for several);
    the others as they were. Indices that are no warning of the upload are ignored."""
    text = (text or "").strip()
    if not text:
        return dict(explanations)
    warnings = {i for i, _p in warnings_of(upload)}
    return {**explanations, **{i: text for i in selected if i in warnings}}


def _same_warning(problem: dict) -> tuple:
    """What makes two months' warnings the same: the file, the check, the city and the figure."""
    params = problem.get("params") or {}
    return (
        problem.get("file") or "",
        problem["check_code"],
        params.get("city", ""),
        problem.get("column") or "",
    )


def last_explanations(upload: PendingUpload) -> dict[int, str]:
    """For each warning of a monthly upload, the explanation the operator gave last month to the same
    check in the same city (and figure): that of its latest version of the month before, certified
    or awaiting certification. A warning last month did not have is not in the answer."""
    if upload.kind != UploadKind.MONTHLY or upload.period_id is None:
        return {}
    month = dates.add_months(upload.period.month, -1)
    version = (
        MonthlySubmission.objects.filter(operator=upload.operator_id, period__month=month)
        .exclude(state=SubmissionState.DRAFT)
        .order_by("-version")
        .only("warnings")
        .first()
    )
    if version is None:
        return {}
    given = {
        _same_warning(w): w["explanation"] for w in version.warnings if (w.get("explanation") or "").strip()
    }
    return {i: given[key] for i, p in warnings_of(upload) if (key := _same_warning(p)) in given}


def reuse_last_explanations(upload: PendingUpload, explanations: dict[int, str]) -> dict[int, str]:
    """The explanations with last month's filled in where none is written yet."""
    last = last_explanations(upload)
    return {**explanations, **{i: text for i, text in last.items() if not explanations.get(i, "").strip()}}


@transaction.atomic
def confirm(upload: PendingUpload, *, user, explanations: dict[int, str]):
    """Store what the preview showed, in one transaction; returns the submission or ledger upload.

    The files are checked again: what is stored is exactly what passes the checks now.
    """
    # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of the join to the period.
    upload = (
        PendingUpload.objects.select_for_update(of=("self",))
        .select_related("operator", "period")
        .get(pk=upload.pk)
    )
    if upload.state != UploadState.CHECKED:
        raise UploadRefused(_("This upload was already confirmed or discarded."))
    if has_errors(upload):
        # The files of a refused upload are not kept: there is nothing to check again.
        raise UploadRefused(_("The files no longer pass the checks; upload them again."))
    missing = [i for i, _p in warnings_of(upload) if not explanations.get(i, "").strip()]
    if missing:
        raise UploadRefused(
            _("Explain every warning before you confirm (%(n)d without explanation).") % {"n": len(missing)}
        )
    figures_result, ledger_result, problems = _check(upload)
    if any(p.get("refused") or p.get("blocking") for p in problems):
        raise UploadRefused(_("The files no longer pass the checks; upload them again."))

    ledger_upload = None
    if ledger_result is not None:
        ledger_warnings = _explained(upload, explanations, "ledger")
        ledger_upload = ingest_store.store_ledger(
            ledger_result,
            operator=upload.operator,
            user=user,
            file_name=upload.ledger_name,
            sha256=upload.ledger_sha256,
            warnings=ledger_warnings,
            explanations={
                w["params"]["period"]: w["explanation"]
                for w in ledger_warnings
                if w["check_code"] == ACCEPTED_MONTH_CHECK and "period" in (w["params"] or {})
            },
        )
    result = ledger_upload
    if upload.kind == UploadKind.MONTHLY:
        form = upload.form_data
        submission = submissions.create_version(
            upload.operator,
            upload.period,
            user=user,
            narrative=form.get("narrative", ""),
            major_problem=bool(form.get("major_problem")),
            warnings=_explained(upload, explanations),
        )
        ingest_store.store_monthly(figures_result, submission)
        cities = {c.code: c for c in City.objects.all()}
        # bulk_create skips the pre_save masking: the texts are masked here (privacy.mask_text).
        TypicalCase.objects.bulk_create(
            TypicalCase(
                submission=submission,
                title=privacy.mask_text(case["title"]),
                city=cities[case["city"]],
                what_happened=privacy.mask_text(case["what_happened"]),
                handling=privacy.mask_text(case["handling"]),
            )
            for case in form.get("typical_cases", [])
        )
        for kind, field, name, sha in (
            (UploadKind.MONTHLY, upload.figures_file, upload.figures_name, upload.figures_sha256),
            (UploadKind.LEDGER, upload.ledger_file, upload.ledger_name, upload.ledger_sha256),
        ):
            if field:
                SubmissionFile.objects.create(
                    submission=submission, kind=kind, file=field.name, name=name, sha256=sha, size=field.size
                )
        if ledger_upload is not None:
            ledger_upload.submission = submission
            ledger_upload.save(update_fields=["submission"])
        submission.state = SubmissionState.AWAITING_CERTIFICATION
        submission.confirmed_at = timezone.now()
        submission.save(update_fields=["state", "confirmed_at"])
        mail.queue(mail.STORED, submission)  # the operator's managers are asked to certify it
        upload.submission = submission
        result = submission
    upload.state = UploadState.CONFIRMED
    upload.save(update_fields=["state", "submission"])
    if upload.kind == UploadKind.LEDGER:
        # A ledger on its own is kept as its stored complaints; no file of it is served.
        _delete_files(upload)
    return result


ACCEPTED_MONTH_CHECK = ingest.checks.LEDGER_PERIOD_ACCEPTED.code


def _explained(upload: PendingUpload, explanations: dict[int, str], file: str | None = None) -> list[dict]:
    """The upload's warnings (of one file, or all), each with the submitter's explanation."""
    return [
        {
            **{k: p.get(k) for k in ("file", "row", "column", "value", "check_code", "params")},
            "explanation": privacy.mask_text(explanations[i].strip()),
        }
        for i, p in warnings_of(upload)
        if file is None or p.get("file") == file
    ]


def accepted_changes(upload: PendingUpload) -> list[dict]:
    """For the preview: per accepted month, the complaints the ledger adds or changes in it."""
    changes = (upload.preview.get("ledger") or {}).get("accepted_changes") or {}
    return [
        {
            "period": label,
            "added": [c for c in rows if c["change"] == "added"],
            "edited": [c for c in rows if c["change"] == "edited"],
        }
        for label, rows in sorted(changes.items())
    ]


# --- Files nobody confirmed -------------------------------------------------------------------

# An upload in one of these states has not been stored: its files wait for the submitter.
UNCONFIRMED_STATES = [UploadState.HELD, UploadState.CHECKING, UploadState.CHECKED, UploadState.DISCARDED]


def stale_before(now: dt.datetime | None = None) -> dt.datetime:
    """Files of uploads made before this instant and not confirmed are deleted."""
    return (now or timezone.now()) - dt.timedelta(hours=settings.UPLOAD_FILES_KEPT_HOURS)


def discard_stale(before: dt.datetime) -> int:
    """Discard the uploads made before ``before`` and never confirmed, and delete their files.

    Files held for a refused form, a checked upload nobody confirmed (its masked re-export), an
    upload whose check never ended, a discarded upload whose files are still there: none stays on
    disk for ever (FORMATS.md, "Files kept"). Returns how many uploads lost their files. A
    confirmed upload is never touched: a report's files are its submission's.
    """
    stale = (
        PendingUpload.objects.filter(state__in=UNCONFIRMED_STATES, created_at__lt=before)
        .exclude(figures_file="", ledger_file="")
        .values_list("pk", flat=True)
    )
    count = 0
    for pk in list(stale):
        with transaction.atomic():
            # Locked, and looked at again: a confirmation under way wins.
            upload = (
                PendingUpload.objects.select_for_update()
                .filter(pk=pk, state__in=UNCONFIRMED_STATES, created_at__lt=before)
                .first()
            )
            if upload is None:
                continue
            paths = [(f.storage, f.name) for f in (upload.figures_file, upload.ledger_file) if f]
            upload.figures_file = upload.ledger_file = ""
            upload.state = UploadState.DISCARDED
            upload.save(update_fields=["state", "figures_file", "ledger_file"])
        for storage, path in paths:
            storage.delete(path)
        count += 1
    return count


# A check running longer than this has lost its worker (killed, restarted, out of memory) or was
# never queued (the broker was down): ``fail_stalled_checks`` marks it failed. A 100,000-row
# ledger is checked in about a minute.
CHECK_STALE_MINUTES = 15


def stalled_check_message() -> str:
    return _(
        "The check was interrupted before it ended (the server stopped it); nothing was stored. "
        "Discard this upload and upload the files again."
    )


def fail_stalled_checks(now: dt.datetime | None = None) -> int:
    """Mark failed every upload whose check began ``CHECK_STALE_MINUTES`` ago and never ended, so
    that no upload stays "being checked" for ever: its page shows why, nothing of it can be
    confirmed, and the submitter discards it and uploads again. Returns how many were marked.

    A check that ends after all (a slow worker) records its outcome over the failure, unless the
    upload was discarded meanwhile.
    """
    before = (now or timezone.now()) - dt.timedelta(
        minutes=getattr(settings, "UPLOAD_CHECK_STALE_MINUTES", CHECK_STALE_MINUTES)
    )
    count = 0
    for pk in list(
        PendingUpload.objects.filter(state=UploadState.CHECKING, created_at__lt=before).values_list(
            "pk", flat=True
        )
    ):
        with transaction.atomic():
            upload = (
                PendingUpload.objects.select_for_update()
                .filter(pk=pk, state=UploadState.CHECKING, created_at__lt=before)
                .first()
            )
            if upload is None:
                continue
            upload.problems = [
                {"file": "ledger" if upload.ledger_file else "figures", "refused": stalled_check_message()}
            ]
            upload.preview = {}
            upload.state = UploadState.CHECKED
            upload.progress = 100
            upload.save(update_fields=["problems", "preview", "state", "progress"])
        count += 1
    return count


def discard_stale_files(now: dt.datetime | None = None) -> int:
    """Every kept file left unconfirmed for ``settings.UPLOAD_FILES_KEPT_HOURS``: the uploads'
    and those of the apps connected to ``kept.stale_files_due`` (inspection batches)."""
    before = stale_before(now)
    count = discard_stale(before)
    for _receiver, discarded in kept.stale_files_due.send(sender=PendingUpload, before=before):
        count += discarded or 0
    return count


def discard(upload: PendingUpload) -> None:
    if upload.state == UploadState.CONFIRMED:
        raise UploadRefused(_("A confirmed upload cannot be discarded."))
    upload.state = UploadState.DISCARDED
    upload.save(update_fields=["state"])
    _delete_files(upload)


def problem_rows(
    upload: PendingUpload, explanations: dict[int, str] | None = None, last: dict[int, str] | None = None
) -> list[dict]:
    """The upload's problems for the preview, messages in the active language, errors first; with
    each warning's explanation so far and last month's (``last_explanations``)."""
    explanations = explanations or {}
    last = last or {}
    labels = {"figures": _("Monthly figures"), "ledger": _("Complaint ledger")}
    rows = []
    for index, stored in enumerate(upload.problems):
        row = {
            "index": index,
            "file": labels.get(stored.get("file"), ""),
            "explanation": explanations.get(index, ""),
            "last": last.get(index, ""),
        }
        if stored.get("refused"):
            row.update(kind="error", message=stored["refused"], row=None, column=None, value=None)
        else:
            problem = ingest.Problem.from_dict(stored)
            row.update(
                kind=problem.kind,
                message=problem.message,
                row=problem.row,
                column=problem.column,
                value=problem.value,
            )
        rows.append(row)
    order = {"error": 0, "warning": 1, "notice": 2}
    return sorted(rows, key=lambda r: (order.get(r["kind"], 3), r["index"]))


def preview_figures(upload: PendingUpload) -> list[dict]:
    """The previewed figures with their City, named in the active language at render time."""
    cities = {c.code: c for c in City.objects.all()}
    return [{**row, "city": cities.get(row.get("city_code"))} for row in upload.preview.get("figures", [])]
