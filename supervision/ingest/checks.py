"""The one catalogue of the checks an upload goes through, so that a page can publish them.

Each template's checks are declared once, with ``error``/``warning``/``notice``, by the app that
owns the template: ``reporting.ingest.checks`` (the monthly figures and the complaint ledger),
``casework.ingest`` (the inspection batch); the checks every file goes through are below. The
apps import their declarations when they are ready, so ``CHECKS`` lists every template. The
validators raise problems only through the checks (``check.at(...)``), so the list a page
publishes (``CHECKS``) and the problems users see can never drift apart. A check's code never
changes: stored problems refer to it.

A check is of one of three kinds:

- ``error``: the file is refused, nothing is stored;
- ``warning``: the file may be stored, but the submitter must confirm each warning with an
  explanation (FORMATS.md: "Warnings do not block, but the submitter must confirm them");
- ``notice``: the file is stored and the submitter is told what the import changed (e.g. a full
  mobile number that was masked); no explanation is asked for.

A ``Problem`` keeps the check's code and the message parameters, never a rendered message, so a
problem stored as JSON renders later in whatever language is active then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from supervision.core import privacy

ERROR = "error"
WARNING = "warning"
NOTICE = "notice"
KINDS = (ERROR, WARNING, NOTICE)

# Template → its checks, in the order they were declared: "file" (the refusals common to every
# template) first, then each template as its app declares it (the first part of the code).
CHECKS: dict[str, list[Check]] = {"file": []}
_BY_CODE: dict[str, Check] = {}


@dataclass(frozen=True)
class Check:
    """One rule an upload must follow (or, for warnings and notices, is measured against)."""

    code: str
    kind: str
    description: Promise  # what the check demands, for the published list
    message: Promise  # the per-problem message, with %(name)s placeholders

    @property
    def blocking(self) -> bool:
        return self.kind == ERROR

    @property
    def needs_explanation(self) -> bool:
        return self.kind == WARNING

    @property
    def template(self) -> str:
        return self.code.split(".", 1)[0]

    def at(self, row: int | None = None, column: str | None = None, value: Any = None, **params) -> Problem:
        """The problem this check raises at one place of the file.

        A message that quotes a value quotes it with its mobile numbers masked: what a user
        wrote is repeated back, never a full subscriber number (FORMATS.md §2, "Privacy"). So
        is the column's header, which the user wrote too (an unknown column "联系电话139…").
        """
        if column is not None:
            column = privacy.mask_text(str(column))
        if value is not None:
            value = _shorten(privacy.mask_text(str(value)))
        params = {name: privacy.mask_for_message(v) for name, v in params.items()}
        return Problem(self.code, row=row, column=column, value=value, params=params)


def get_check(code: str) -> Check | None:
    return _BY_CODE.get(code)


def _shorten(text: str, limit: int = 200) -> str:
    # A problem repeats the cell's value so that the user can find it; a 4,000-character
    # description need not travel whole into every stored problem.
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Problem:
    """One thing wrong (or worth confirming) at one place of an uploaded file.

    ``row`` is the row number as Excel shows it; ``column`` the header as the user wrote it.
    """

    check_code: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def check(self) -> Check | None:
        return _BY_CODE.get(self.check_code)

    @property
    def kind(self) -> str:
        check = self.check
        # A stored problem whose check has since been removed is shown, never silently dropped.
        return check.kind if check else ERROR

    @property
    def blocking(self) -> bool:
        return self.kind == ERROR

    @property
    def needs_explanation(self) -> bool:
        return self.kind == WARNING

    @property
    def message(self) -> str:
        """The message in the active language, rendered now (not when the problem was found)."""
        check = self.check
        if check is None:
            return self.check_code
        values = {"value": self.value or "", "column": self.column or "", "row": self.row or ""}
        values.update(self.params)
        template = str(check.message)
        try:
            return template % values
        except (KeyError, TypeError, ValueError):
            # Parameters stored by an older version of a message: show it without them.
            return template

    def __str__(self) -> str:
        # The frame stays the same in every language so that scripts can parse the command's
        # stderr (FORMATS.md: "row N, <column>: <message>"); the message is translated.
        if self.row is not None and self.column:
            return f"row {self.row}, {self.column}: {self.message}"
        if self.row is not None:
            return f"row {self.row}: {self.message}"
        if self.column:
            return f"{self.column}: {self.message}"
        return self.message

    def to_dict(self) -> dict[str, Any]:
        """The problem as JSON; ``kind``, ``blocking`` and ``needs_explanation`` are for readers of
        the stored JSON (``from_dict`` derives them again from the check)."""
        return {
            "check_code": self.check_code,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "params": dict(self.params),
            "kind": self.kind,
            "blocking": self.blocking,
            "needs_explanation": self.needs_explanation,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        return cls(
            check_code=data["check_code"],
            row=data.get("row"),
            column=data.get("column"),
            value=data.get("value"),
            params=dict(data.get("params") or {}),
        )


class FileRefused(Exception):
    """The whole file is refused before any row is looked at; ``str()`` is the message."""

    def __init__(self, check: Check, **params):
        self.problem = check.at(**params)
        super().__init__(check.code)

    def __str__(self) -> str:
        return self.problem.message

    @property
    def check(self) -> Check:
        return self.problem.check


def _register(kind: str, code: str, description: Promise, message: Promise) -> Check:
    if kind not in KINDS:
        raise ValueError(kind)
    check = Check(code=code, kind=kind, description=description, message=message)
    if code in _BY_CODE:
        raise ValueError(f"check {code} registered twice")
    CHECKS.setdefault(check.template, []).append(check)
    _BY_CODE[code] = check
    return check


def error(code, description, message) -> Check:
    return _register(ERROR, code, description, message)


def warning(code, description, message) -> Check:
    return _register(WARNING, code, description, message)


def notice(code, description, message) -> Check:
    return _register(NOTICE, code, description, message)


def limits() -> dict[str, str]:
    """The upload limits from settings, as they appear in the published descriptions."""
    return {
        "max_size": format_size(settings.UPLOAD_MAX_BYTES),
        "max_rows": f"{settings.UPLOAD_MAX_ROWS:,}",
        "max_unpacked": format_size(max_unpacked_bytes()),
    }


def max_unpacked_bytes() -> int:
    # A real workbook unpacks to about ten times its size (measured: a 100,000-row ledger is
    # 4.8 MB packed, 51 MB unpacked); more than that is refused before the parser sees it.
    return 10 * settings.UPLOAD_MAX_BYTES


def format_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"


def _with_limits(msgid: str) -> Promise:
    # A description that names the limits configured now, in the language active when shown.
    return lazy(lambda: gettext(msgid) % limits(), str)()


# --- File level: the whole file is refused (FileRefused) ------------------------------------

FILE_EMPTY = error(
    "file.empty",
    _("The file is not empty."),
    _("The file “%(name)s” is empty."),
)
FILE_EXTENSION = error(
    "file.extension",
    _("Only Excel workbooks (.xlsx) and CSV files (.csv) are accepted."),
    _("“%(name)s” is neither an Excel workbook (.xlsx) nor a CSV file (.csv); only these two are accepted."),
)
FILE_XLS = error(
    "file.xls",
    _(
        "Old Excel 97–2003 workbooks (.xls) and password-protected workbooks cannot be read; "
        "save them as an Excel workbook (.xlsx) without a password."
    ),
    _(
        "“%(name)s” is an Excel 97–2003 workbook (.xls) or a password-protected workbook, which cannot "
        "be read. Open it in Excel, remove any password and save it as “Excel Workbook (*.xlsx)”."
    ),
)
FILE_TOO_LARGE = error(
    "file.too_large",
    _with_limits(gettext_noop("A file is at most %(max_size)s.")),
    _("“%(name)s” is %(size)s; a file may be at most %(limit)s. Split it into smaller files."),
)
FILE_NOT_XLSX = error(
    "file.not_xlsx",
    _("A file named .xlsx is an Excel workbook: the content is checked, not only the name."),
    _(
        "“%(name)s” is named .xlsx but is not an Excel workbook (its content is of type %(detected)s). "
        "Save it from Excel as “Excel Workbook (*.xlsx)”, or as CSV and name it .csv."
    ),
)
FILE_NOT_CSV = error(
    "file.not_csv",
    _("A file named .csv is text: the content is checked, not only the name."),
    _(
        "“%(name)s” is named .csv but is not a text file (its content is of type %(detected)s). "
        "Save it from Excel as “CSV UTF-8 (Comma delimited)”."
    ),
)
FILE_DAMAGED = error(
    "file.damaged",
    _("The file can be opened: it is not damaged or cut short."),
    _(
        "“%(name)s” is damaged or incomplete and cannot be read. Save it again from Excel and upload the new file."
    ),
)
FILE_UNPACKED_TOO_LARGE = error(
    "file.unpacked_too_large",
    _with_limits(gettext_noop("A workbook unpacks to at most %(max_unpacked)s.")),
    _("“%(name)s” unpacks to %(size)s, more than the %(limit)s allowed. Split it into smaller files."),
)
FILE_COMPRESSION_RATIO = error(
    "file.compression_ratio",
    _("A workbook is not compressed far more than real workbooks are (a possible “zip bomb”)."),
    _(
        "“%(name)s” is compressed %(ratio)s to 1, far more than any real workbook; it was refused as a "
        "possible “zip bomb”."
    ),
)
FILE_ENCODING = error(
    "file.encoding",
    _("A CSV file is in UTF-8 (with or without BOM) or GB18030/GBK, as Excel writes it."),
    _(
        "“%(name)s” is not in a character encoding that can be read. Save it from Excel as "
        "“CSV UTF-8 (Comma delimited)” or as “CSV (Comma delimited)”."
    ),
)
FILE_NO_DATA = error(
    "file.no_data",
    _("The file contains a sheet with data."),
    _("“%(name)s” contains no data."),
)
FILE_TOO_MANY_ROWS = error(
    "file.too_many_rows",
    _with_limits(gettext_noop("A file has at most %(max_rows)s data rows.")),
    _(
        "The file has more than %(limit)s data rows, the most accepted in one file. Split it into several files."
    ),
)
# Checked on the sheet's XML before the sheet is parsed (reading.py, "Hostile files").
FILE_SHEET_EXTENT = error(
    "file.sheet_extent",
    _("A sheet's cells, and the range it declares, lie within the row and column limits."),
    _(
        "Sheet “%(sheet)s” of “%(name)s” reaches %(range)s, beyond the %(rows)s rows and %(columns)s "
        "columns a sheet may use. Delete the rows and columns outside the table and save it again."
    ),
)
FILE_SHEET_CELLS = error(
    "file.sheet_cells",
    _("A sheet's used range holds no more cells than can be read safely."),
    _(
        "Sheet “%(sheet)s” of “%(name)s” spans %(range)s, %(cells)s cells; at most %(limit)s cells can "
        "be read. Delete the empty rows and columns around the table, or split the file."
    ),
)


# --- Checks every template has ---------------------------------------------------------------


@dataclass(frozen=True)
class TemplateChecks:
    """The checks of one template that every template has: header, required values, choices.

    ``template_checks("ledger")`` declares them with codes ``ledger.header.missing`` and so on.
    """

    header_not_found: Check
    header_missing: Check
    header_duplicate: Check
    header_unknown: Check
    no_rows: Check
    required: Check
    too_long: Check
    unknown_choice: Check
    city_unknown: Check


def template_checks(template: str) -> TemplateChecks:
    # The same English message for every template is one msgid: translated once.
    return TemplateChecks(
        header_not_found=error(
            f"{template}.header.not_found",
            _(
                "The header row is the first row, within the first 10, whose cells are the template's "
                "headers (in Chinese, or the English aliases); title rows above it are fine."
            ),
            _("No header row was found in the first 10 rows. The expected headers are: %(expected)s."),
        ),
        header_missing=error(
            f"{template}.header.missing",
            _("Every required column is present."),
            _("This required column is missing."),
        ),
        header_duplicate=error(
            f"{template}.header.duplicate",
            _("Each column appears only once."),
            _("This column appears more than once (columns %(first)s and %(second)s); keep only one."),
        ),
        header_unknown=warning(
            f"{template}.header.unknown",
            _("A column that is not part of the template is ignored; please confirm that nothing is lost."),
            _("This column is not part of the template; it is ignored."),
        ),
        no_rows=error(
            f"{template}.rows.none",
            _("The file has at least one data row below the header row."),
            _("The file has a header row but no data rows."),
        ),
        required=error(
            f"{template}.value.required",
            _("Every required cell is filled in."),
            _("This cell is empty, but a value is required."),
        ),
        too_long=error(
            f"{template}.value.too_long",
            _("Text fits its column's length limit."),
            _("The text is %(length)s characters long; at most %(limit)s are allowed."),
        ),
        unknown_choice=error(
            f"{template}.value.unknown_choice",
            _("Coded columns hold one of the accepted codes or Chinese labels."),
            _("“%(value)s” is not an accepted value; use one of: %(allowed)s."),
        ),
        city_unknown=error(
            f"{template}.city.unknown",
            _("The city is one of Shandong's 16 cities, by name (济南市 or 济南) or division code (370100)."),
            _(
                "“%(value)s” is not a city of Shandong; write its name (济南市 or 济南) or its division code (370100)."
            ),
        ),
    )
