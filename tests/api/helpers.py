"""The sample files of ../shared/samples as the JSON rows an operator's system would send."""

import csv
import io

import openpyxl

from supervision.reporting.ingest import ledger as ledger_template
from supervision.reporting.ingest import monthly as monthly_template


def _by_header(columns):
    return {c.header: c.field for c in columns}


def figure_rows(samples, name="monthly_report_CMCC_2026-10.xlsx"):
    sheet = openpyxl.load_workbook(samples / name, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    fields = _by_header(monthly_template.COLUMNS)
    start = next(i for i, row in enumerate(rows) if row and row[0] == "地市")
    names = [fields.get(h) for h in rows[start]]
    out = []
    for row in rows[start + 1 :]:
        if not row or row[0] in (None, "合计"):
            continue
        out.append(
            {name: value for name, value in zip(names, row, strict=False) if name and value is not None}
        )
    return out


def ledger_rows(samples, name="complaints_CMCC_2026-10_utf8bom.csv"):
    text = (samples / name).read_text(encoding="utf-8-sig")
    fields = _by_header(ledger_template.COLUMNS)
    return [
        {fields[h]: v for h, v in row.items() if v != "" and h in fields}
        for row in csv.DictReader(io.StringIO(text))
    ]
