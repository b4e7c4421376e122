"""Whose file, which month: what the title rows above the header say (FORMATS.md, "Rules for
every upload").

A title row that names an operator other than the uploader's is an error (the file is someone
else's); a title month, or a 填报日期, other than the chosen period is a warning. Pure: no
database, the operators come from the ``Reference``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from supervision.core.dates import month_end
from supervision.ingest.checks import Problem
from supervision.ingest.columns import DateParser
from supervision.ingest.reading import Sheet
from supervision.ingest.reference import Reference

from .checks import ProvenanceChecks

# 2026年10月, 2026-10, 2026/10, 2026.10, but not a whole date (2026-10-28 is a 填报日期, not a title).
_MONTH = re.compile(r"(?<!\d)(20\d{2})\s*(?:年|[-/.])\s*(\d{1,2})(?!\d)(?!\s*[-/.]\s*\d)(?!\s*月\s*\d)")
_FILING_LABEL = "填报日期"


def operator_names(reference: Reference) -> dict[str, list[re.Pattern]]:
    """``{code: [patterns naming it]}``: code, Chinese and English names, 山东联通-style short names."""
    names = {}
    for code, short_zh, name_zh, short_en, name_en in reference.operators:
        spellings = [short_zh, name_zh]
        if short_zh.startswith("中国"):
            spellings.append("山东" + short_zh.removeprefix("中国"))
        patterns = [re.compile(re.escape(s)) for s in spellings if s]
        patterns += [
            re.compile(rf"(?<![A-Za-z]){re.escape(s)}(?![A-Za-z])", re.IGNORECASE)
            for s in (code, short_en, name_en)
            if s
        ]
        names[code] = patterns
    return names


def operator_short(reference: Reference) -> dict[str, str]:
    return {code: short_zh for code, short_zh, *_rest in reference.operators}


def _named_operators(text: str, names: dict[str, list[re.Pattern]]) -> list[str]:
    return [code for code, patterns in names.items() if any(p.search(text) for p in patterns)]


def check_title_rows(
    sheet: Sheet,
    header_row: int,
    checks: ProvenanceChecks,
    problems: list[Problem],
    *,
    reference: Reference,
    operator: str | None = None,
    period: dt.date | None = None,
    filed_by: dt.date | None = None,
) -> None:
    """Check the rows above the header (Excel rows 1 … header_row − 1).

    ``operator``: the uploader's operator code (``None``: not checked). ``period``: the first day
    of the chosen month (``None``: not checked); ``filed_by``: the last day a 填报日期 may be for
    that period (its due date; the month's end when not given).
    """
    if operator is None and period is None:
        return
    names = operator_names(reference) if operator else {}
    short = operator_short(reference)
    for index, row in enumerate(sheet.rows[: max(header_row - 1, 0)]):
        row_number = index + 1
        cells = [unicodedata.normalize("NFKC", c).strip() for c in row]
        for position, text in enumerate(cells):
            if not text:
                continue
            if operator:
                others = [code for code in _named_operators(text, names) if code != operator]
                if others:
                    problems.append(
                        checks.other_operator.at(
                            row=row_number,
                            value=text,
                            named="、".join(short.get(code, code) for code in others),
                            operator=short.get(operator, operator),
                        )
                    )
            if period is None:
                continue
            if _FILING_LABEL in text:
                _check_filing_date(
                    text, cells[position + 1 :], row_number, checks, problems, period, filed_by
                )
                continue
            for match in _MONTH.finditer(text):
                year, month = int(match[1]), int(match[2])
                if not 1 <= month <= 12:
                    continue
                if (year, month) != (period.year, period.month):
                    problems.append(
                        checks.other_month.at(
                            row=row_number,
                            value=text,
                            month=f"{year:04d}-{month:02d}",
                            period=f"{period:%Y-%m}",
                        )
                    )
                    break


def _check_filing_date(text, following, row_number, checks, problems, period, filed_by) -> None:
    value = text.split(_FILING_LABEL, 1)[1].strip(" :：")
    if not value:
        value = next((cell for cell in following if cell), "")
    if not value:
        return
    date = DateParser._parse(value)
    if date is None:
        return
    last = filed_by or month_end(period)
    if not period <= date <= max(last, month_end(period)):
        problems.append(
            checks.filing_date.at(
                row=row_number, column=_FILING_LABEL, value=date.isoformat(), period=f"{period:%Y-%m}"
            )
        )


def complaint_prefix(reference: Reference, operator: str) -> re.Pattern | None:
    """Matches a complaint number that starts with another operator's code (``CTCC-…``)."""
    others = [code for code, *_rest in reference.operators if code != operator]
    if not others:
        return None
    return re.compile(rf"({'|'.join(map(re.escape, others))})(?=[-_/.\s]|\d)", re.IGNORECASE)
