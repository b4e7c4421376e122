"""What the validators share: column specs, header detection, cell parsers, results.

Parsers take a cell's text (already stripped) and return the typed value or raise ``Invalid``
with the check that failed; the validators turn that into a ``Problem`` at the cell's place.
Only failures raise, so the common path for a valid cell is a dict look-up or an ``int()``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from operator import itemgetter

from django.conf import settings
from django.utils.functional import Promise

from .checks import FILE_TOO_MANY_ROWS, Check, Problem, TemplateChecks
from .reading import HEADER_SEARCH_ROWS, Sheet
from .reference import normalise


@dataclass(frozen=True)
class Column:
    """One column of a template (FORMATS.md)."""

    field: str  # the key in the validated record
    header: str  # the Chinese header, as the template writes it
    alias: str  # the English alias
    required: bool = False  # the column must be present, and every row must fill it in
    note: Promise | str = ""  # what the template's header comment says the column wants
    width: int = 12  # the template's column width, in characters


class Invalid(Exception):
    """A cell's value failed a check."""

    def __init__(self, check: Check, **params):
        super().__init__(check.code)
        self.check = check
        self.params = params


# --- Results ----------------------------------------------------------------------------------


@dataclass
class ValidationResult:
    problems: list[Problem] = field(default_factory=list)
    # The header row as Excel numbers it, and each field's header as the user wrote it.
    header_row: int | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.kind == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems the submitter must confirm with an explanation."""
        return [p for p in self.problems if p.kind == "warning"]

    @property
    def notices(self) -> list[Problem]:
        """What the import changed or ignored, for information only."""
        return [p for p in self.problems if p.kind == "notice"]

    @property
    def ok(self) -> bool:
        return not any(p.kind == "error" for p in self.problems)


# --- The header row ---------------------------------------------------------------------------


@dataclass
class Layout:
    header_row: int  # Excel's number
    index: dict[str, int]  # field → column index
    written: dict[str, str]  # field → the header as the user wrote it
    columns: dict[str, Column]

    def header(self, field_name: str) -> str:
        return self.written.get(field_name) or self.columns[field_name].header

    def has(self, field_name: str) -> bool:
        return field_name in self.index


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def find_layout(
    sheet: Sheet, columns: list[Column], checks: TemplateChecks, problems: list[Problem]
) -> Layout | None:
    """Find the header row: the first row, within the first 10, whose cells match the headers.

    A row matches when at least half of the required headers (and at least two) are among its
    cells, so a title row, even one that names a column, is not mistaken for the header, and a
    header row that lacks a required column is still found (and the column reported missing).
    """
    by_name: dict[str, Column] = {}
    for column in columns:
        by_name[normalise(column.header)] = column
        by_name[normalise(column.alias)] = column
    required = [c for c in columns if c.required]
    needed = max(2, math.ceil(len(required) / 2))
    for row_index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        matched = {by_name[key].field for key in (normalise(c) for c in row if c.strip()) if key in by_name}
        if len(matched) >= needed:
            return _layout_from(row_index, row, by_name, columns, checks, problems)
    expected = ", ".join(c.header for c in columns)
    problems.append(checks.header_not_found.at(expected=expected))
    return None


def _layout_from(row_index, row, by_name, columns, checks, problems) -> Layout:
    header_row = row_index + 1
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    for i, cell in enumerate(row):
        text = cell.strip()
        if not text:
            continue
        column = by_name.get(normalise(text))
        if column is None:
            problems.append(checks.header_unknown.at(row=header_row, column=text))
        elif column.field in index:
            problems.append(
                checks.header_duplicate.at(
                    row=header_row,
                    column=text,
                    first=column_letter(index[column.field]),
                    second=column_letter(i),
                )
            )
        else:
            index[column.field] = i
            written[column.field] = text
    for column in columns:
        if column.required and column.field not in index:
            problems.append(checks.header_missing.at(row=header_row, column=column.header))
    return Layout(header_row=header_row, index=index, written=written, columns={c.field: c for c in columns})


def start(
    sheet: Sheet, columns: list[Column], checks: TemplateChecks, result: ValidationResult
) -> Layout | None:
    """Every validator's first steps: find the header row and check the row limit.

    Records the header row and the headers as written on ``result``; returns the layout, or
    ``None`` when there is nothing more to check (no header row, or more data rows than
    settings.UPLOAD_MAX_ROWS), the problem already added to ``result``.
    """
    layout = find_layout(sheet, columns, checks, result.problems)
    if layout is None:
        return None
    result.header_row = layout.header_row
    result.headers = dict(layout.written)
    if over_row_limit(sheet, layout):
        result.problems.append(FILE_TOO_MANY_ROWS.at(limit=f"{settings.UPLOAD_MAX_ROWS:,}"))
        return None
    return layout


def data_rows(sheet: Sheet, layout: Layout, fields: list[str]):
    """Yield ``(Excel row number, [stripped cell text per field])`` for every non-empty row.

    A field whose column is absent reads as empty. Rows with nothing in the template's
    columns are skipped: blank separator rows are normal in hand-made sheets.
    """
    positions = [layout.index.get(f, -1) for f in fields]
    first = layout.header_row  # the index of the first row below the header
    # The common case, every column present in a full-width row, takes the cells with one
    # C-level itemgetter call instead of a bounds check per cell.
    getter = itemgetter(*positions) if len(positions) > 1 and min(positions) >= 0 else None
    widest = max(positions, default=-1)
    for offset, row in enumerate(sheet.rows[first:]):
        if getter is not None and len(row) > widest:
            values = [cell.strip() for cell in getter(row)]
        else:
            width = len(row)
            values = [row[i].strip() if 0 <= i < width else "" for i in positions]
        if any(values):
            yield first + offset + 1, values


def over_row_limit(sheet: Sheet, layout: Layout) -> bool:
    """More non-empty data rows than settings.UPLOAD_MAX_ROWS? Counted only if it may be so."""
    limit = settings.UPLOAD_MAX_ROWS
    if len(sheet.rows) - layout.header_row <= limit:
        return False
    positions = list(layout.index.values())
    count = 0
    for row in sheet.rows[layout.header_row :]:
        width = len(row)
        if any(row[i].strip() for i in positions if i < width):
            count += 1
    return count > limit


# --- Cell parsers -----------------------------------------------------------------------------

_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
MAX_COUNT = 2_147_483_647  # PositiveIntegerField on every database Django supports


def _number(text: str, invalid: Check) -> Decimal:
    text = unicodedata.normalize("NFKC", text)
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    if "_" in text:  # Decimal() and int() would accept 1_000
        raise Invalid(invalid)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise Invalid(invalid) from None
    if not number.is_finite():
        raise Invalid(invalid)
    return number


@dataclass(frozen=True)
class NumberChecks:
    invalid: Check
    negative: Check
    fraction: Check
    too_large: Check


def parse_count(text: str, checks: NumberChecks) -> int:
    """A whole number ≥ 0. ``484.0`` (how calamine and some exports write it) is 484."""
    try:
        value = int(text)
    except ValueError:
        number = _number(text, checks.invalid)
        if number < 0:
            raise Invalid(checks.negative) from None
        if number != number.to_integral_value():
            raise Invalid(checks.fraction) from None
        value = int(number)
    else:
        if "_" in text:
            raise Invalid(checks.invalid)
    if value < 0:
        raise Invalid(checks.negative)
    if value > MAX_COUNT:
        raise Invalid(checks.too_large, limit=f"{MAX_COUNT:,}")
    return value


_CENT = Decimal("0.01")


def parse_decimal(text: str, checks: NumberChecks, max_digits: int) -> Decimal:
    """A decimal ≥ 0, rounded half-up to 2 places (the model's precision)."""
    number = _number(text, checks.invalid)
    if number < 0:
        raise Invalid(checks.negative)
    limit = Decimal(10) ** (max_digits - 2)
    if number < limit:
        number = number.quantize(_CENT, rounding=ROUND_HALF_UP)
    if number >= limit:  # also 99999999.995, which rounds up to the limit
        raise Invalid(checks.too_large, limit=str(limit - _CENT))
    return number


_DATE = re.compile(
    r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?"
    r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)


class DateParser:
    """Dates as operators write them; each distinct spelling is parsed once.

    Accepted: ``2026-10-03``, ``2026/10/3``, ``2026年10月3日``, ``2026.10.3``, with or without a
    time after it (what a date-and-time cell reads as), and full-width digits.
    """

    def __init__(self, invalid: Check, future: Check, today: dt.date):
        self.invalid = invalid
        self.future = future
        self.today = today
        self._cache: dict[str, dt.date | None] = {}

    def __call__(self, text: str) -> dt.date:
        try:
            value = self._cache[text]
        except KeyError:
            value = self._cache[text] = self._parse(text)
        if value is None:
            raise Invalid(self.invalid)
        if value > self.today:
            raise Invalid(self.future, today=self.today.isoformat())
        return value

    @staticmethod
    def _parse(text: str) -> dt.date | None:
        match = _DATE.fullmatch(unicodedata.normalize("NFKC", text))
        if match is None:
            return None
        try:
            value = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
        return value if value.year >= 1900 else None


def check_length(text: str, limit: int, checks: TemplateChecks) -> str:
    if len(text) > limit:
        raise Invalid(checks.too_long, length=len(text), limit=limit)
    return text
