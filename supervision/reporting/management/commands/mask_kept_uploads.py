"""``manage.py mask_kept_uploads``: replace the raw uploads kept before masking by masked copies.

Up to this version the site kept every uploaded file as it came, full subscriber numbers
included. FORMATS.md, "Files kept": what is kept of an upload is a masked re-export of the
accepted rows. This command, run once after upgrading (and harmless to run again: it touches only
files that are not masked re-exports yet), does for the files already on disk what the upload
pipeline now does for every new upload:

- a submission's file is re-read and replaced by the masked re-export of its rows; a file that
  can no longer be read (or is missing) is deleted and no longer served;
- a checked upload without errors waiting for confirmation is checked again, which keeps the
  masked re-export; the raw files of confirmed, discarded or refused uploads are deleted;
- the apps connected to ``kept.old_files_found`` do the same for theirs: an inspection batch
  waiting for confirmation, without errors, keeps the masked re-export of its visits instead of
  its raw workbook; the files of confirmed, discarded or refused batches are deleted;
- the file names and the problems recorded with uploads, submissions and batches are masked
  (names and column headers written before they were masked on upload);
- the files of uploads and batches nobody confirmed within ``settings.UPLOAD_FILES_KEPT_HOURS``
  are deleted, as the hourly task does (``uploads.discard_stale_files``).

A command rather than a data migration: it reads and writes files, and it uses today's readers
and validators, which a migration must not import.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from supervision.core import privacy
from supervision.ingest import FileRefused, Reference, read_sheet
from supervision.reporting import kept, uploads
from supervision.reporting.ingest import validate_ledger, validate_monthly
from supervision.reporting.ingest.store import today_in_shanghai
from supervision.reporting.models import (
    LedgerUpload,
    MonthlySubmission,
    PendingUpload,
    SubmissionFile,
    UploadKind,
    UploadState,
)


def _raw(field) -> bool:
    return bool(field) and not kept.is_kept(field.name)


# Text recorded with uploads that users wrote: file names, and problems quoting their headers.
_RECORDED_TEXT = [
    (PendingUpload, ("figures_name", "ledger_name", "problems")),
    (LedgerUpload, ("file_name", "warnings")),
    (MonthlySubmission, ("warnings",)),
    (SubmissionFile, ("name",)),
]


class Command(BaseCommand):
    help = (
        "Replace kept raw uploads by masked re-exports of their rows, delete the raw files, and "
        "delete the files of uploads nobody confirmed in time."
    )

    def handle(self, *args, **options):
        # First what nobody confirmed in time: its files go, whatever they hold.
        stale = uploads.discard_stale_files()
        reference = Reference.load()
        converted = removed = 0
        for submission_file in SubmissionFile.objects.exclude(file="").iterator():
            if not _raw(submission_file.file):
                continue
            if self._convert(submission_file, reference):
                converted += 1
            else:
                removed += 1
        rechecked = cleared = 0
        for upload in PendingUpload.objects.exclude(state__in=[UploadState.CHECKING, UploadState.HELD]):
            if not (_raw(upload.figures_file) or _raw(upload.ledger_file)):
                continue
            if upload.state == UploadState.CHECKED and not uploads.has_errors(upload):
                uploads.run_checks(upload.pk)
                rechecked += 1
            else:
                self._clear(upload)
                cleared += 1
        names_masked = self._mask_recorded_text()
        others = [0, 0, 0]
        for _receiver, counts in kept.old_files_found.send(sender=self.__class__):
            others = [a + b for a, b in zip(others, counts or (0, 0, 0), strict=True)]
        self.stdout.write(
            _(
                "Submission files masked: %(converted)d; unreadable and deleted: %(removed)d. "
                "Pending uploads checked again and masked: %(rechecked)d; raw files deleted: %(cleared)d."
            )
            % {"converted": converted, "removed": removed, "rechecked": rechecked, "cleared": cleared}
        )
        self.stdout.write(
            _(
                "Inspection batches masked: %(masked)d; batch files deleted: %(deleted)d. "
                "Records whose file names or problems were masked: %(names)d."
            )
            % {"masked": others[0], "deleted": others[1], "names": names_masked + others[2]}
        )
        self.stdout.write(
            _("Uploads and batches not confirmed within %(hours)d hours, their files deleted: %(stale)d.")
            % {"hours": settings.UPLOAD_FILES_KEPT_HOURS, "stale": stale}
        )

    def _mask_recorded_text(self) -> int:
        """Mask the names and problems recorded before they were masked on upload."""
        changed = 0
        for model, fields in _RECORDED_TEXT:
            for row in model._default_manager.values("pk", *fields).iterator():
                masked = {name: privacy.mask_data(row[name]) for name in fields}
                updates = {name: value for name, value in masked.items() if value != row[name]}
                if updates:
                    # ``update``: no save signal, no history row, just the masked text.
                    model._default_manager.filter(pk=row["pk"]).update(**updates)
                    changed += 1
        return changed

    def _convert(self, submission_file, reference) -> bool:
        field = submission_file.file
        raw, storage = field.name, field.storage
        try:
            with field.open("rb") as handle:
                data = handle.read()
            sheet = read_sheet(data, submission_file.name)
        except (OSError, FileRefused):
            data = None
        if data is None:
            submission_file.file = ""
            submission_file.save(update_fields=["file"])
        else:
            if submission_file.kind == UploadKind.LEDGER:
                content = kept.ledger_workbook(
                    validate_ledger(sheet, today=today_in_shanghai(), reference=reference).records
                )
            else:
                content = kept.monthly_workbook(validate_monthly(sheet, reference=reference).rows)
            with transaction.atomic():
                field.save(kept.kept_name(submission_file.kind), ContentFile(content), save=False)
                submission_file.size = field.size
                submission_file.save(update_fields=["file", "size"])
        if storage.exists(raw):
            storage.delete(raw)
        self._forget_path(raw, submission_file.file.name)
        return data is not None

    def _forget_path(self, raw: str, new: str) -> None:
        # A confirmed upload shares its files with its submission: point it at the kept copy.
        for name in ("figures", "ledger"):
            PendingUpload.objects.filter(**{f"{name}_file": raw}).update(**{f"{name}_file": new})

    def _clear(self, upload) -> None:
        for name in ("figures", "ledger"):
            field = getattr(upload, f"{name}_file")
            if _raw(field):
                if field.storage.exists(field.name):
                    field.storage.delete(field.name)
                setattr(upload, f"{name}_file", "")
        upload.save(update_fields=["figures_file", "ledger_file"])
