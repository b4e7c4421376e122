"""The downloadable .xlsx template of each upload (xlsxwriter).

Each template has a title row, the header row with a comment on each header saying what the
column wants, drop-down lists for coded columns, date and text formats, and a second sheet
(填写说明) with the instructions and every check the file will go through. The monthly
template is pre-filled with the 16 cities and a 合计 row of SUM formulas. A template filled in
correctly passes validation (tests/reporting/test_workbook_templates.py).
"""

from __future__ import annotations

import io

import xlsxwriter
from django.conf import settings
from django.utils.translation import gettext as _

from supervision.ingest.checks import CHECKS
from supervision.ingest.reference import Reference

from . import inspections, ledger, monthly

TITLES = {
    "monthly": "携号转网月报",
    "ledger": "携号转网投诉台账",
    "inspections": "明察暗访/第三方体验结果",
}
# Sheet names cannot hold "/".
SHEET_NAMES = {
    "monthly": "携号转网月报",
    "ledger": "投诉台账",
    "inspections": "检查结果",
}
KINDS = tuple(TITLES)


def _columns(kind):
    return {"monthly": monthly.COLUMNS, "ledger": ledger.COLUMNS, "inspections": inspections.COLUMNS}[kind]


def _vocabularies(kind, reference: Reference) -> dict:
    if kind == "ledger":
        return ledger.lookups(reference)
    if kind == "inspections":
        return inspections.lookups(reference)
    return {"city": reference.city_lookup}


def template_title(kind: str, *, operator=None, period=None) -> str:
    """E.g. "中国移动 2026-10 携号转网月报"."""
    parts = []
    if operator is not None:
        parts.append(operator.short_zh)
    if period is not None:
        parts.append(period if isinstance(period, str) else period.label)
    parts.append(TITLES[kind])
    return " ".join(parts)


def template_filename(kind: str, *, operator=None, period=None) -> str:
    return (
        template_title(kind, operator=operator, period=period).replace(" ", "_").replace("/", "-") + ".xlsx"
    )


def build_template(kind: str, *, operator=None, period=None, reference: Reference | None = None) -> bytes:
    """The .xlsx template for ``kind`` ("monthly", "ledger" or "inspections"), as bytes.

    ``operator`` (an Operator) and ``period`` (a Period or "YYYY-MM") only go into the title.
    Notes and instructions are in the active language; headers and labels are the Chinese
    ones the validators read.
    """
    if kind not in TITLES:
        raise ValueError(f"unknown template kind {kind!r}")
    reference = reference or Reference.load()
    columns = _columns(kind)
    vocabularies = _vocabularies(kind, reference)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"title": TITLES[kind], "company": str(settings.ADMINISTRATION_NAME)})
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
    sheet = workbook.add_worksheet(SHEET_NAMES[kind])
    title_row, header_row = 0, 1
    first_data = header_row + 1
    last_data = first_data + settings.UPLOAD_MAX_ROWS - 1

    sheet.merge_range(
        title_row,
        0,
        title_row,
        len(columns) - 1,
        template_title(kind, operator=operator, period=period),
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
        sheet.set_column(
            col, col, max(column.width, len(column.header) * 2 + 2), _cell_format(kind, column, formats)
        )
        vocabulary = vocabularies.get(column.field)
        offered = vocabulary.offered if vocabulary is not None else []
        if offered and len(",".join(offered)) <= 255:
            sheet.data_validation(
                first_data,
                col,
                last_data if kind != "monthly" else first_data + len(reference.cities) - 1,
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
    if kind == "monthly":
        _prefill_monthly(sheet, columns, reference, first_data, formats)
        sheet.freeze_panes(first_data, 1)
    else:
        sheet.freeze_panes(first_data, 0)

    _instructions(workbook, kind, columns, vocabularies, formats)
    workbook.close()
    return buffer.getvalue()


def _cell_format(kind, column, formats):
    if column.field in ("received_on", "resolved_on", "visit_date"):
        return formats["date"]
    if column.field in ("complaint_no", "msisdn"):
        return formats["text"]  # keeps 13812341234 from turning into 1.38E+10
    if kind == "monthly" and column.field in monthly.DECIMAL_FIELDS:
        return formats["decimal"]
    if kind == "monthly" and column.field != "city":
        return formats["integer"]
    return None


def _column_note(column, vocabulary) -> str:
    lines = [f"{column.header} ({column.alias})", str(column.note)]
    if vocabulary is not None and column.field not in ("city",):
        lines.append(_("Accepted values: %(allowed)s") % {"allowed": vocabulary.allowed})
    return "\n".join(lines)


def _prefill_monthly(sheet, columns, reference: Reference, first_data: int, formats) -> None:
    for offset, (_code, name_zh, _en) in enumerate(reference.cities):
        sheet.write_string(first_data + offset, 0, name_zh)
    total_row = first_data + len(reference.cities)
    sheet.write_string(total_row, 0, "合计", formats["total_label"])
    for col, column in enumerate(columns[1:], start=1):
        if column.field == "avg_resolution_hours":
            sheet.write_blank(total_row, col, None, formats["total_label"])
            continue
        letter = xlsxwriter.utility.xl_col_to_name(col)
        # Cached result 0: Excel recalculates on opening; a file never recalculated reads as an
        # empty total, which the validator does not compare (monthly._check_total).
        sheet.write_formula(
            total_row, col, f"=SUM({letter}{first_data + 1}:{letter}{total_row})", formats["total"], ""
        )


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
