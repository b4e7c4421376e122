"""What both faces show of a submission: its figures, versions and files, and comparisons.

Shared by the portal and the dashboard so that both show exactly the same thing.
"""

import os

from django.db.models import Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from supervision.core import access
from supervision.core.models import PersonalDataUse

from . import reminders
from .ingest import Problem
from .models import CityFigures, MonthlySubmission, UploadKind

# The figures are shown in tables as ``CityFigures.FIGURES`` orders them; the whole counts are totalled.
INTEGER_FIELDS = [f for f in CityFigures.FIGURES if f not in ("avg_resolution_hours", "subscribers_10k")]


def figure_headers():
    return [CityFigures._meta.get_field(f).verbose_name for f in CityFigures.FIGURES]


def warning_rows(submission):
    rows = []
    for warning in submission.warnings:
        problem = Problem.from_dict(warning)
        rows.append(
            {"problem": problem, "explanation": warning.get("explanation", ""), "file": warning.get("file")}
        )
    return rows


def submission_context(submission: MonthlySubmission, user) -> dict:
    figures = list(submission.figures.select_related("city"))
    totals = submission.figures.aggregate(**{f: Sum(f) for f in INTEGER_FIELDS})
    versions = (
        MonthlySubmission.objects.filter(operator=submission.operator, period=submission.period)
        .select_related("created_by", "certified_by")
        .order_by("-version")
    )
    if user.is_regulator:
        # Drafts and versions awaiting certification stay the operator's own business.
        versions = versions.exclude(submitted_at=None)
    return {
        "submission": submission,
        "figure_headers": figure_headers(),
        "figure_rows": [(row.city, [getattr(row, f) for f in CityFigures.FIGURES]) for row in figures],
        "figure_totals": [totals.get(f) for f in CityFigures.FIGURES],
        "versions": versions,
        "files": submission.files.all(),
        "typical_cases": submission.typical_cases.select_related("city"),
        "warnings": warning_rows(submission),
        "reminders": reminders.for_submission(submission, user=user),
    }


def compare_context(visible, pk, other_pk) -> dict:
    """Two versions of one operator's report for one period, city by city."""
    first = get_object_or_404(visible.select_related("operator", "period"), pk=pk)
    second = get_object_or_404(visible, pk=other_pk, operator=first.operator, period=first.period)
    older, newer = sorted([first, second], key=lambda s: s.version)
    old_rows = {r.city_id: r for r in older.figures.select_related("city")}
    new_rows = {r.city_id: r for r in newer.figures.select_related("city")}
    rows, changed = [], 0
    for city_id, new in new_rows.items():
        old = old_rows.get(city_id)
        cells = []
        for field in CityFigures.FIGURES:
            before = getattr(old, field) if old else None
            after = getattr(new, field)
            cells.append({"before": before, "after": after, "changed": before != after})
            changed += before != after
        rows.append((new.city, cells))
    return {
        "older": older,
        "newer": newer,
        "headers": figure_headers(),
        "rows": rows,
        "changed": changed,
        "title": _("Version %(a)d compared with version %(b)d") % {"a": older.version, "b": newer.version},
    }


def file_response(submission_file, *, user):
    """A kept file of a submission, served as an attachment (never inline) to ``user``, already
    checked: the masked re-export of the accepted rows (``kept``), never the raw upload; a file
    that was not (or could not be) kept is a 404. A ledger file holds complaints' personal
    data: its download is recorded in the access log (``core.access``) with its row count."""
    from .kept import is_kept, row_count

    if not submission_file.file or not is_kept(submission_file.file.name):
        raise Http404
    if submission_file.kind == UploadKind.LEDGER:
        submission = submission_file.submission
        with submission_file.file.open("rb") as handle:
            rows = row_count(handle)
        access.record(
            user,
            PersonalDataUse.LEDGER_FILE,
            filters={
                "operator": submission.operator.code,
                "month": submission.period.label,
                "version": submission.version,
                "file": submission_file.pk,
            },
            rows=rows,
            object_id=submission.pk,
        )
    stem = os.path.splitext(submission_file.name)[0] or submission_file.kind
    return FileResponse(submission_file.file.open("rb"), as_attachment=True, filename=f"{stem}.xlsx")
