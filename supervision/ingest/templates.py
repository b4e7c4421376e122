"""The downloadable .xlsx template of an upload (xlsxwriter), from its ``Template``.

Each template has a title row, the header row with a comment on each header saying what the
column wants, drop-down lists for coded columns, date and text formats, and a second sheet
(填写说明) with the instructions and every check the file will go through. A template may be
pre-filled (the monthly figures' 16 cities and 合计 row). The apps declare their templates
beside their validators; a template filled in correctly passes validation
(tests/reporting/test_workbook_templates.py, tests/casework/test_ingest.py).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import xlsxwriter
from django.conf import settings
from django.utils.translation import gettext as _

from .checks import CHECKS
from .columns import Column
from .reference import Reference


@dataclass(frozen=True)
class Template:
    """One upload's downloadable template."""

    kind: str  # its template in the catalogue of checks ("ledger"): the checks it lists
    title: str  # the title row, after the operator and the period: "携号转网投诉台账"
    sheet_name: str  # at most 31 characters, without "/"
    columns: list[Column]
    # The coded columns' vocabularies (field → Lookup), for the drop-down lists and the notes.
    vocabularies: Callable[[Reference], dict]
    # field → "date", "text", "integer" or "decimal": the cell format of the column's data cells.
    cell_formats: dict[str, str] = field(default_factory=dict)
    # ``prefill(sheet, columns, reference, first_data, formats)`` writes the rows a template comes
    # with and returns how many data rows it has (the drop-down lists cover only those).
    prefill: Callable | None = None
    frozen_columns: int = 0  # columns kept in view when scrolling right


def template_title(template: Template, *, operator=None, period=None) -> str:
    """E.g. "中国移动 2026-10 携号转网月报"."""
    parts = []
    if operator is not None:
        parts.append(operator.short_zh)
    if period is not None:
        parts.append(period if isinstance(period, str) else period.label)
    parts.append(template.title)
    return " ".join(parts)


def template_filename(template: Template, *, operator=None, period=None) -> str:
    return (
        template_title(template, operator=operator, period=period).replace(" ", "_").replace("/", "-")
        + ".xlsx"
    )


def build_template(
    template: Template, *, operator=None, period=None, reference: Reference | None = None
) -> bytes:
    """The .xlsx file of ``template``, as bytes.

    ``operator`` (an Operator) and ``period`` (a Period or "YYYY-MM") only go into the title.
    Notes and instructions are in the active language; headers and labels are the Chinese
    ones the validators read.
    """
    reference = reference or Reference.load()
    columns = template.columns
    vocabularies = template.vocabularies(reference)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"title": template.title, "company": str(settings.ADMINISTRATION_NAME)})
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}),
        "header": workbook.add_format(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        ),
        "required": workbook.add_format(
            {
                "bold": True,
                "bg_color": "#FCE4D6",
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        ),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "text": workbook.add_format({"num_format": "@"}),
        "integer": workbook.add_format({"num_format": "0"}),
        "decimal": workbook.add_format({"num_format": "0.00"}),
        "total": workbook.add_format({"bold": True, "num_format": "0", "top": 1}),
        "total_label": workbook.add_format({"bold": True, "top": 1}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "bold": workbook.add_format({"bold": True}),
    }
    sheet = workbook.add_worksheet(template.sheet_name)
    title_row, header_row = 0, 1
    first_data = header_row + 1
    rows = settings.UPLOAD_MAX_ROWS
    if template.prefill is not None:
        rows = template.prefill(sheet, columns, reference, first_data, formats)
    last_data = first_data + rows - 1

    sheet.merge_range(
        title_row,
        0,
        title_row,
        len(columns) - 1,
        template_title(template, operator=operator, period=period),
        formats["title"],
    )
    sheet.set_row(title_row, 30)
    sheet.set_row(header_row, 32)
    for col, column in enumerate(columns):
        sheet.write_string(
            header_row, col, column.header, formats["required" if column.required else "header"]
        )
        sheet.write_comment(
            header_row,
            col,
            _column_note(column, vocabularies.get(column.field)),
            {"author": str(settings.ADMINISTRATION_NAME), "x_scale": 3, "y_scale": 2.5},
        )
        cell_format = formats.get(template.cell_formats.get(column.field))
        sheet.set_column(col, col, max(column.width, len(column.header) * 2 + 2), cell_format)
        vocabulary = vocabularies.get(column.field)
        offered = vocabulary.offered if vocabulary is not None else []
        if offered and len(",".join(offered)) <= 255:
            sheet.data_validation(
                first_data,
                col,
                last_data,
                col,
                {
                    "validate": "list",
                    "source": offered,
                    # A warning, not a stop: codes (MIIT, 370100 …) are accepted as well.
                    "error_type": "warning",
                    "error_title": _("Not in the list"),
                    "error_message": _("Use a value from the list, or its code; see the column's comment."),
                },
            )
    sheet.freeze_panes(first_data, template.frozen_columns)

    _instructions(workbook, template.kind, columns, vocabularies, formats)
    workbook.close()
    return buffer.getvalue()


def _column_note(column, vocabulary) -> str:
    lines = [f"{column.header} ({column.alias})", str(column.note)]
    if vocabulary is not None and column.field not in ("city",):
        lines.append(_("Accepted values: %(allowed)s") % {"allowed": vocabulary.allowed})
    return "\n".join(lines)


def _instructions(workbook, kind, columns, vocabularies, formats) -> None:
    sheet = workbook.add_worksheet(_("Instructions")[:31])
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 22)
    sheet.set_column(2, 2, 90, formats["wrap"])
    row = 0
    sheet.write_string(row, 0, _("How to fill in this template"), formats["bold"])
    row += 1
    sheet.write_string(
        row,
        2,
        _(
            "Fill in the first sheet below its header row; keep the headers as they are. Point at a header to "
            "read what the column wants. Codes may be given as the code or the Chinese label. Upload the file "
            "as .xlsx, or as CSV (UTF-8 or GB18030)."
        ),
    )
    row += 2
    for label, col in ((_("Column"), 0), (_("English alias"), 1), (_("What it wants"), 2)):
        sheet.write_string(row, col, label, formats["bold"])
    row += 1
    for column in columns:
        sheet.write_string(row, 0, column.header)
        sheet.write_string(row, 1, column.alias)
        sheet.write_string(row, 2, _column_note(column, vocabularies.get(column.field)).split("\n", 1)[1])
        row += 1
    row += 1
    sheet.write_string(row, 0, _("Checks"), formats["bold"])
    row += 1
    kinds = {
        "error": _("Error: nothing is stored"),
        "warning": _("Warning: explain it"),
        "notice": _("Notice"),
    }
    for check in [*CHECKS["file"], *CHECKS[kind]]:
        sheet.write_string(row, 0, check.code)
        sheet.write_string(row, 1, kinds[check.kind])
        sheet.write_string(row, 2, str(check.description))
        row += 1
