"""Every check an upload goes through, registered once so that a page can publish them.

The validators raise problems only through the checks below (``check.at(...)``), so the list a
page publishes (``CHECKS``) and the problems users see can never drift apart.

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

# The template kinds, plus "file" for the refusals common to all of them.
TEMPLATES = ("file", "monthly", "ledger", "inspections")

CHECKS: dict[str, list[Check]] = {template: [] for template in TEMPLATES}
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
    CHECKS[check.template].append(check)
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
    """The checks of one template that every template has: header, required values, choices."""

    header_not_found: Check
    header_missing: Check
    header_duplicate: Check
    header_unknown: Check
    no_rows: Check
    required: Check
    too_long: Check
    unknown_choice: Check
    city_unknown: Check


def _template_checks(template: str) -> TemplateChecks:
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


# --- 1. Monthly report figures ---------------------------------------------------------------

MONTHLY = _template_checks("monthly")

MONTHLY_NUMBER_INVALID = error(
    "monthly.number.invalid",
    _("Figures are numbers."),
    _("“%(value)s” is not a number."),
)
MONTHLY_NUMBER_NEGATIVE = error(
    "monthly.number.negative",
    _("Figures are 0 or more."),
    _("“%(value)s” is negative; a figure cannot be below 0."),
)
MONTHLY_NUMBER_FRACTION = error(
    "monthly.number.fraction",
    _("Counts are whole numbers (484 or 484.0, not 484.5)."),
    _("“%(value)s” is not a whole number; counts are whole numbers."),
)
MONTHLY_NUMBER_TOO_LARGE = error(
    "monthly.number.too_large",
    _("Figures fit their column (counts below 2,147,483,648)."),
    _("“%(value)s” is too large; at most %(limit)s fits here."),
)
MONTHLY_AVG_HOURS_REQUIRED = error(
    "monthly.avg_resolution_hours.required",
    _("平均办结时长(小时) is filled in for every city whose 投诉办结量 is more than 0."),
    _("This cell is empty, but it is required because 投诉办结量 is %(resolved)s."),
)
MONTHLY_CITY_DUPLICATE = error(
    "monthly.city.duplicate",
    _("Each city has exactly one row."),
    _("%(city)s has more than one row (the first is row %(first_row)s)."),
)
MONTHLY_CITY_MISSING = error(
    "monthly.city.missing",
    _("All 16 cities have a row."),
    _("These cities have no row: %(cities)s. Every one of the 16 cities needs exactly one row."),
)
MONTHLY_TOTAL_NOT_LAST = error(
    "monthly.total.not_last",
    _("A 合计 (total) row, if present, is the last row."),
    _("This row comes after the 合计 (total) row in row %(total_row)s; the total must be the last row."),
)
MONTHLY_TOTAL_MISMATCH = error(
    "monthly.total.mismatch",
    _("In the 合计 (total) row, every whole-number figure equals the sum of its column."),
    _("The total is %(value)s, but the city rows add up to %(expected)s."),
)
MONTHLY_FAILURE_COLUMNS = error(
    "monthly.failure_reasons.columns",
    _("The five failure-reason columns (失败-…) are all present or all absent."),
    _("Some failure-reason columns are present but these are missing: %(headers)s. Give all five or none."),
)
MONTHLY_FAILURE_INCOMPLETE = error(
    "monthly.failure_reasons.incomplete",
    _("In each row, the five failure reasons are all filled in or all empty."),
    _(
        "Some failure reasons are filled in for this city but these are empty: %(headers)s. Fill in all five or none."
    ),
)
MONTHLY_FAILURE_SUM = error(
    "monthly.failure_reasons.sum",
    _("The five failure reasons add up to 携出失败量."),
    _("The five failure reasons add up to %(total)s, but 携出失败量 is %(failed)s."),
)
MONTHLY_PORT_OUT_EXCEEDS = warning(
    "monthly.port_out.exceeds_applications",
    _("携出成功量 + 携出失败量 is not more than 携出申请量 (it can be, with last month's backlog)."),
    _(
        "携出成功量 + 携出失败量 = %(done)s is more than 携出申请量 = %(applications)s. This can happen with "
        "last month's backlog; please explain."
    ),
)
MONTHLY_RESOLVED_EXCEEDS = warning(
    "monthly.complaints.resolved_exceeds_received",
    _("投诉办结量 is not more than 携转投诉量 (it can be, with last month's backlog)."),
    _(
        "投诉办结量 = %(resolved)s is more than 携转投诉量 = %(received)s. This can happen with last month's "
        "backlog; please explain."
    ),
)
MONTHLY_OUTLIER_HIGH = warning(
    "monthly.outlier.high",
    _(
        "授权码申请量, 携出申请量, 携入申请量 and 携转投诉量 are at most 3 times the median of the same city's "
        "previous 6 months (checked when at least 3 earlier months were reported and the median is not 0)."
    ),
    _(
        "%(value)s is more than 3 times the median (%(median)s) of this city's previous %(months)s months; "
        "please explain."
    ),
)
MONTHLY_OUTLIER_LOW = warning(
    "monthly.outlier.low",
    _(
        "授权码申请量, 携出申请量, 携入申请量 and 携转投诉量 are at least a third of the median of the same "
        "city's previous 6 months (checked when at least 3 earlier months were reported and the median is not 0)."
    ),
    _(
        "%(value)s is less than a third of the median (%(median)s) of this city's previous %(months)s months; "
        "please explain."
    ),
)
MONTHLY_LEDGER_MISMATCH = warning(
    "monthly.ledger.mismatch",
    _("携转投诉量 equals the number of complaints in the ledger received that month in that city."),
    _(
        "%(value)s complaints are reported, but the complaint ledger has %(ledger)s received this month in this city."
    ),
)
MONTHLY_LEDGER_ABSENT = warning(
    "monthly.ledger.absent",
    _("The complaint ledger for the month is uploaded before the figures, so that the two can be compared."),
    _(
        "The report counts %(total)s complaints, but the complaint ledger has none received this month. "
        "Upload the ledger first, or explain."
    ),
)


# --- 2. Complaint ledger ---------------------------------------------------------------------

LEDGER = _template_checks("ledger")

LEDGER_DATE_INVALID = error(
    "ledger.date.invalid",
    _("Dates are written 2026-10-03, 2026/10/3 or 2026年10月3日, or are Excel date cells."),
    _("“%(value)s” is not a date; write it as 2026-10-03, 2026/10/3 or 2026年10月3日."),
)
LEDGER_DATE_FUTURE = error(
    "ledger.date.future",
    _("Dates are not in the future (Asia/Shanghai)."),
    _("%(value)s is in the future (today is %(today)s)."),
)
LEDGER_COMPLAINT_NO_DUPLICATE = error(
    "ledger.complaint_no.duplicate",
    _("Each complaint number appears once in the file."),
    _("The complaint number %(value)s appears more than once (the first is row %(first_row)s)."),
)
LEDGER_RESOLVED_ON_REQUIRED = error(
    "ledger.resolved_on.required",
    _("A resolved complaint (已办结) has its 办结日期."),
    _("This cell is empty, but 处理状态 is 已办结 (resolved): give the date it was resolved."),
)
LEDGER_RESOLUTION_REQUIRED = error(
    "ledger.resolution.required",
    _("A resolved complaint (已办结) has its 处理结果."),
    _("This cell is empty, but 处理状态 is 已办结 (resolved): say how the complaint was resolved."),
)
LEDGER_RESOLVED_BEFORE_RECEIVED = error(
    "ledger.resolved_on.before_received",
    _("办结日期 is on or after 受理日期."),
    _("The complaint is resolved on %(value)s, before it was received (%(received_on)s)."),
)
LEDGER_RESOLVED_ON_UNEXPECTED = error(
    "ledger.resolved_on.unexpected",
    _("A complaint still being handled (处理中) has no 办结日期."),
    _(
        "处理状态 is 处理中 (being handled), so there is no resolution date yet: clear 办结日期 or set 处理状态 to 已办结."
    ),
)
LEDGER_MSISDN_INVALID = error(
    "ledger.msisdn.invalid",
    _("用户号码 is a masked mobile number such as 138****1234 (a full 11-digit number is masked on import)."),
    _("“%(value)s” is not a mobile number; write it masked, as 138****1234."),
)
LEDGER_MSISDN_MASKED = notice(
    "ledger.msisdn.masked",
    _(
        "A full 11-digit mobile number is masked on import (138****1234): the site never stores a full number."
    ),
    _("The full mobile number was masked to %(value)s; the site never stores a full subscriber number."),
)
LEDGER_TEXT_NUMBER_MASKED = notice(
    "ledger.text.number_masked",
    _("Full mobile numbers in 投诉内容 and 处理结果 are masked on import."),
    _("The text contained a full mobile number; it was masked to %(masked)s."),
)
INSPECTIONS_TEXT_NUMBER_MASKED = notice(
    "inspections.text.number_masked",
    _("Full mobile numbers in the text columns are masked on import."),
    _("The text contained a full mobile number; it was masked to %(masked)s."),
)


# --- 3. Inspection batch ---------------------------------------------------------------------

INSPECTIONS = _template_checks("inspections")

INSPECTIONS_DATE_INVALID = error(
    "inspections.date.invalid",
    _("Dates are written 2026-10-03, 2026/10/3 or 2026年10月3日, or are Excel date cells."),
    _("“%(value)s” is not a date; write it as 2026-10-03, 2026/10/3 or 2026年10月3日."),
)
INSPECTIONS_DATE_FUTURE = error(
    "inspections.date.future",
    _("Dates are not in the future (Asia/Shanghai)."),
    _("%(value)s is in the future (today is %(today)s)."),
)
INSPECTIONS_OPERATOR_UNKNOWN = error(
    "inspections.operator.unknown",
    _(
        "The operator is given by code (CMCC, CUCC, CTCC, CBN) or short name (中国移动, 中国联通, 中国电信, 中国广电)."
    ),
    _("“%(value)s” is not an operator; use one of: %(allowed)s."),
)
INSPECTIONS_SITE_REQUIRED = error(
    "inspections.site.required",
    _("A store visit (营业厅) names its site (网点名称)."),
    _("This cell is empty, but 渠道 is 营业厅 (store): name the store visited."),
)
INSPECTIONS_FINDING_REQUIRED = error(
    "inspections.finding.required",
    _("When a problem was found (是否发现问题 = 是), 问题描述, 违反条款 and 严重程度 are filled in."),
    _("This cell is empty, but 是否发现问题 is 是 (a problem was found): it is required."),
)
INSPECTIONS_FINDING_UNEXPECTED = error(
    "inspections.finding.unexpected",
    _("When no problem was found (是否发现问题 = 否), 违反条款 and 严重程度 are empty."),
    _(
        "是否发现问题 is 否 (no problem found), so this cell must be empty; clear it or set 是否发现问题 to 是."
    ),
)


# --- Whose file, which month (FORMATS.md, "Rules for every upload") ----------------------------


@dataclass(frozen=True)
class ProvenanceChecks:
    """The checks of the title rows above the header: the operator and the month they name."""

    other_operator: Check
    other_month: Check
    filing_date: Check


def _provenance_checks(template: str) -> ProvenanceChecks:
    return ProvenanceChecks(
        other_operator=error(
            f"{template}.title.other_operator",
            _("The title rows above the header name no operator other than the uploader's."),
            _(
                "The title names %(named)s, but this file is uploaded for %(operator)s: it looks like "
                "another operator's file. Upload your own file."
            ),
        ),
        other_month=warning(
            f"{template}.title.other_month",
            _("The title rows above the header name no month other than the chosen period."),
            _(
                "The title names the month %(month)s, but the chosen period is %(period)s; please check and explain."
            ),
        ),
        filing_date=warning(
            f"{template}.filing_date.other_month",
            _("填报日期, if given above the header, falls in the chosen period (or before its due date)."),
            _(
                "填报日期 is %(value)s, which is not in the chosen period %(period)s; please check and explain."
            ),
        ),
    )


MONTHLY_PROVENANCE = _provenance_checks("monthly")
LEDGER_PROVENANCE = _provenance_checks("ledger")

LEDGER_COMPLAINT_NO_OTHER_OPERATOR = error(
    "ledger.complaint_no.other_operator",
    _("Complaint numbers do not carry another operator's prefix (CTCC-… in a CMCC ledger)."),
    _(
        "The complaint number %(value)s carries the prefix of %(named)s, but this ledger is uploaded for "
        "%(operator)s: it looks like another operator's complaint."
    ),
)
LEDGER_PERIOD_LOCKED = error(
    "ledger.period.locked",
    _("Complaints of a locked period are not added or changed."),
    _(
        "Complaint %(value)s belongs to %(period)s, which is locked: it cannot be added or changed. "
        "Ask the administration to reopen the month for your company."
    ),
)
LEDGER_PERIOD_ACCEPTED = warning(
    "ledger.period.accepted",
    _(
        "A change to the complaints of a month whose report was accepted is explained; the administration "
        "sees it on that report."
    ),
    _(
        "The report for %(period)s was already accepted: this file adds %(added)s and changes %(edited)s of "
        "its complaints (rows %(rows)s). Explain why; the administration sees the change on that report."
    ),
)
