"""The downloadable .xlsx templates of the operators' two uploads: monthly figures, complaint ledger.

What every template has (title, header notes, drop-down lists, the instructions sheet with its
checks) is written by ``supervision.ingest.templates``; here are what the two templates are.
The monthly template is pre-filled with the 16 cities and a 合计 row of SUM formulas. A template
filled in correctly passes validation (tests/reporting/test_workbook_templates.py).
"""

from __future__ import annotations

import xlsxwriter

from supervision.ingest import templates
from supervision.ingest.reference import Reference
from supervision.ingest.templates import Template

from . import ledger, monthly


def _prefill_monthly(sheet, columns, reference: Reference, first_data: int, formats) -> int:
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
    return len(reference.cities)  # the drop-down lists cover the city rows, not the total


MONTHLY = Template(
    kind="monthly",
    title="携号转网月报",
    sheet_name="携号转网月报",
    columns=monthly.COLUMNS,
    vocabularies=lambda reference: {"city": reference.city_lookup},
    cell_formats={
        name: "decimal" if name in monthly.DECIMAL_FIELDS else "integer" for name in monthly.FIGURE_FIELDS
    },
    prefill=_prefill_monthly,
    frozen_columns=1,
)
LEDGER = Template(
    kind="ledger",
    title="携号转网投诉台账",
    sheet_name="投诉台账",
    columns=ledger.COLUMNS,
    vocabularies=ledger.lookups,
    # Text keeps 13812341234 from turning into 1.38E+10.
    cell_formats={"received_on": "date", "resolved_on": "date", "complaint_no": "text", "msisdn": "text"},
)
TEMPLATES = {"monthly": MONTHLY, "ledger": LEDGER}
KINDS = tuple(TEMPLATES)


def _template(kind: str) -> Template:
    if kind not in TEMPLATES:
        raise ValueError(f"unknown template kind {kind!r}")
    return TEMPLATES[kind]


def template_title(kind: str, *, operator=None, period=None) -> str:
    """E.g. "中国移动 2026-10 携号转网月报"."""
    return templates.template_title(_template(kind), operator=operator, period=period)


def template_filename(kind: str, *, operator=None, period=None) -> str:
    return templates.template_filename(_template(kind), operator=operator, period=period)


def build_template(kind: str, *, operator=None, period=None, reference: Reference | None = None) -> bytes:
    """The .xlsx template for ``kind`` ("monthly" or "ledger"), as bytes.

    ``operator`` (an Operator) and ``period`` (a Period or "YYYY-MM") only go into the title.
    """
    return templates.build_template(_template(kind), operator=operator, period=period, reference=reference)
