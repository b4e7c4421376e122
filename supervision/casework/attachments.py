"""Files attached to cases, checked against the one allow-list (``supervision.core.files``)."""

from __future__ import annotations

from django.http import FileResponse

from supervision.core.audit import save_by
from supervision.core.files import CheckedFile, FileRefused, check_case_file

from .models import CaseFile
from .rules import TransitionRefused


def check_all(uploads) -> list[tuple[object, CheckedFile]]:
    """Check every file before any is kept: one refused file refuses the whole step."""
    checked = []
    for uploaded in uploads:
        try:
            checked.append((uploaded, check_case_file(uploaded)))
        except FileRefused as refused:
            raise TransitionRefused(str(refused)) from None
    return checked


def store(uploaded, checked: CheckedFile, *, user, **parent) -> CaseFile:
    """Keep a checked file under MEDIA_ROOT, attached to its case (``finding=…``, ``order=…``, …)."""
    case_file = CaseFile(
        name=checked.name,
        kind=checked.kind,
        content_type=checked.mime,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
        **parent,
    )
    uploaded.seek(0)
    case_file.file.save(f"file.{checked.extension}", uploaded, save=False)
    save_by(case_file, user)
    return case_file


def file_response(case_file: CaseFile) -> FileResponse:
    """A case file, as an attachment with the type its content was checked to be.

    Only ever called with a file taken from ``CaseFile.objects.visible_to(user)``.
    """
    response = FileResponse(
        case_file.file.open("rb"),
        as_attachment=True,
        filename=case_file.name,
        content_type=case_file.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
