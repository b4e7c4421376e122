"""What is kept of an upload: a masked re-export of the accepted rows, never the raw file.

FORMATS.md, "Files kept": the file an operator uploaded may hold full subscriber numbers (in
用户号码, in 投诉内容, anywhere); the validators mask them in what they return. Once the checks have
run, the raw upload is replaced by an .xlsx written from the validated rows, with the template's
headers, so that what the site keeps, re-checks on confirmation and serves to the
administration is exactly what it stores, masked. The raw file is deleted at once.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import xlsxwriter
from django.dispatch import Signal
from python_calamine import CalamineWorkbook

from .ingest import ledger as ledger_template
from .ingest import monthly as monthly_template

# The stored name of a kept file: a generated name, whatever the operator called the upload.
KEPT_SUFFIX = "-masked.xlsx"

# Apps above reporting keep files of uploads too (casework's inspection batches). They connect
# here, so that one command and one task cover every kept file without reporting importing them.
# ``old_files_found``: ``manage.py mask_kept_uploads`` runs; a receiver masks or deletes the raw
# files an older version kept, and returns ``(files masked, files deleted, records masked)``.
old_files_found = Signal()
# ``stale_files_due(before=…)``: a receiver discards what was left unconfirmed since ``before``
# and deletes its files; it returns how many it discarded.
stale_files_due = Signal()

# Where a template column's value sits in a validated record, when not under the column's field
# (the ledger's and, for casework's inspection batches, the operator's and the clause's).
_RECORD_KEYS = {
    "city": "city_code",
    "category": "category_code",
    "msisdn": "msisdn_masked",
    "operator": "operator_code",
    "clause": "clause_code",
}


def kept_name(kind: str) -> str:
    """``ledger-masked.xlsx``: the kept file's name on disk (its folder is random)."""
    return f"{kind}{KEPT_SUFFIX}"


def is_kept(path: str) -> bool:
    """Whether a stored path is a masked re-export (and not a raw upload)."""
    return bool(path) and path.endswith(KEPT_SUFFIX)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def masked_workbook(columns, rows: list[dict]) -> bytes:
    """The validated ``rows`` as an .xlsx with the template's ``columns`` as headers (masked, as
    the validators return them). The kept file of every upload, casework's included."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            # Text stays text: a summary starting with "=" is never written as a formula.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet()
    bold = workbook.add_format({"bold": True})
    for c, column in enumerate(columns):
        sheet.set_column(c, c, column.width)
        sheet.write_string(0, c, column.header, bold)
    for r, row in enumerate(rows, start=1):
        for c, column in enumerate(columns):
            value = _cell(row.get(_RECORD_KEYS.get(column.field, column.field)))
            if value == "":
                continue
            if isinstance(value, bool):
                sheet.write_string(r, c, "是" if value else "否")
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
    workbook.close()
    return buffer.getvalue()


def row_count(handle) -> int:
    """The data rows of a kept file (its header row left out), read from the sheet's extent:
    what a download of it shows, counted for the personal-data access log."""
    workbook = CalamineWorkbook.from_filelike(handle)
    return max(workbook.get_sheet_by_index(0).height - 1, 0)


def ledger_workbook(records: list[dict]) -> bytes:
    """The accepted complaints as a ledger with the template's headers; numbers masked."""
    return masked_workbook(ledger_template.COLUMNS, records)


def monthly_workbook(rows: list[dict]) -> bytes:
    """The accepted city rows as a monthly report with the template's headers."""
    return masked_workbook(monthly_template.COLUMNS, rows)
