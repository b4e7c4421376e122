"""Validate a monthly report's figures (FORMATS.md §1): one row per city, all 16."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from supervision.ingest.columns import (
    Column,
    Invalid,
    NumberChecks,
    ValidationResult,
    data_rows,
    parse_count,
    parse_decimal,
    start,
)
from supervision.ingest.reading import Sheet
from supervision.ingest.reference import Reference, normalise

from . import checks as C
from . import provenance

_COUNT_NOTE = _("Required. A whole number, 0 or more.")
_FAILURE_NOTE = _(
    "Optional. A whole number, 0 or more. The five failure-reason columns come together, and in every row "
    "they add up to 携出失败量."
)

COLUMNS = [
    Column(
        "city",
        "地市",
        "city",
        required=True,
        width=10,
        note=_(
            "Required. The city: its name (济南市 or 济南) or its division code (370100). One row per city, "
            "all 16; a last row 合计 (total) may follow."
        ),
    ),
    Column("auth_code_requests", "授权码申请量", "auth_code_requests", required=True, note=_COUNT_NOTE),
    Column("port_out_applications", "携出申请量", "port_out_applications", required=True, note=_COUNT_NOTE),
    Column("port_out_completed", "携出成功量", "port_out_completed", required=True, note=_COUNT_NOTE),
    Column("port_out_failed", "携出失败量", "port_out_failed", required=True, note=_COUNT_NOTE),
    Column("port_in_applications", "携入申请量", "port_in_applications", required=True, note=_COUNT_NOTE),
    Column("port_in_completed", "携入成功量", "port_in_completed", required=True, note=_COUNT_NOTE),
    Column("complaints_received", "携转投诉量", "complaints_received", required=True, note=_COUNT_NOTE),
    Column("complaints_resolved", "投诉办结量", "complaints_resolved", required=True, note=_COUNT_NOTE),
    Column(
        "avg_resolution_hours",
        "平均办结时长(小时)",
        "avg_resolution_hours",
        required=True,
        width=14,
        note=_("Required when 投诉办结量 is more than 0. A number of hours, 0 or more, e.g. 36.5."),
    ),
    Column(
        "subscribers_10k",
        "期末用户数(万户)",
        "subscribers_10k",
        width=14,
        note=_("Optional. Subscribers at the end of the month, in units of 10,000, e.g. 512.27."),
    ),
    Column(
        "eligibility_queries",
        "资格查询量",
        "eligibility_queries",
        note=_("Optional. A whole number, 0 or more: eligibility queries (CXXZ text messages)."),
    ),
    Column("failed_not_real_name", "失败-未实名", "failed_not_real_name", note=_FAILURE_NOTE),
    Column("failed_arrears", "失败-欠费", "failed_arrears", note=_FAILURE_NOTE),
    Column("failed_contract", "失败-合约期", "failed_contract", note=_FAILURE_NOTE),
    Column("failed_120_days", "失败-120天内", "failed_120_days", note=_FAILURE_NOTE),
    Column("failed_other", "失败-其他", "failed_other", note=_FAILURE_NOTE),
]
FIELDS = [c.field for c in COLUMNS]
FIGURE_FIELDS = FIELDS[1:]  # the CityFigures fields, in template order
DECIMAL_FIELDS = {"avg_resolution_hours": 10, "subscribers_10k": 12}  # field → max_digits (2 places)
INTEGER_FIELDS = [f for f in FIGURE_FIELDS if f not in DECIMAL_FIELDS]
FAILURE_FIELDS = [
    "failed_not_real_name",
    "failed_arrears",
    "failed_contract",
    "failed_120_days",
    "failed_other",
]
REQUIRED_FIELDS = {c.field for c in COLUMNS if c.required and c.field != "avg_resolution_hours"}

# The figures compared with the same city's previous six months. The completed counts follow
# their applications, and the failure reasons are small numbers whose swings mean little.
OUTLIER_FIELDS = [
    "auth_code_requests",
    "port_out_applications",
    "port_in_applications",
    "complaints_received",
]
OUTLIER_MONTHS = 6
OUTLIER_MIN_MONTHS = 3
OUTLIER_FACTOR = 3

TOTAL_LABELS = {normalise(label) for label in ("合计", "总计", "全省", "全省合计", "total")}

NUMBER_CHECKS = NumberChecks(
    invalid=C.MONTHLY_NUMBER_INVALID,
    negative=C.MONTHLY_NUMBER_NEGATIVE,
    fraction=C.MONTHLY_NUMBER_FRACTION,
    too_large=C.MONTHLY_NUMBER_TOO_LARGE,
)


@dataclass
class MonthlyResult(ValidationResult):
    # One dict per city: city_code and every CityFigures figure field (int, Decimal or None).
    rows: list[dict] = field(default_factory=list)
    # The 合计 row's figures as given (None where empty), if there was one.
    total: dict | None = None


def validate_monthly(
    sheet: Sheet,
    *,
    history: dict[str, dict[str, list]] | None = None,
    ledger_counts: dict[str, int] | None = None,
    reference: Reference | None = None,
    operator: str | None = None,
    period=None,
    filed_by=None,
) -> MonthlyResult:
    """Check a monthly report's figures; no database access when ``reference`` is given.

    ``history``: ``{city_code: {field: [values of up to 6 previous months]}}`` for the outlier
    warning. ``ledger_counts``: ``{city_code: complaints in the ledger received that month}``
    for the cross-check warning; ``None`` skips it.
    """
    reference = reference or Reference.load()
    result = MonthlyResult()
    problems = result.problems
    layout = start(sheet, COLUMNS, C.MONTHLY, result)
    if layout is None:
        return result
    provenance.check_title_rows(
        sheet,
        layout.header_row,
        C.MONTHLY_PROVENANCE,
        problems,
        reference=reference,
        operator=operator,
        period=period,
        filed_by=filed_by,
    )

    failure_present = [f for f in FAILURE_FIELDS if layout.has(f)]
    failure_columns_ok = len(failure_present) in (0, len(FAILURE_FIELDS))
    if not failure_columns_ok:
        missing = [layout.columns[f].header for f in FAILURE_FIELDS if not layout.has(f)]
        problems.append(C.MONTHLY_FAILURE_COLUMNS.at(row=layout.header_row, headers="、".join(missing)))

    city_lookup = reference.city_lookup
    city_names = reference.city_names
    seen: dict[str, int] = {}  # city code → the row it was first in
    total_row: int | None = None
    total_values: list[str] | None = None
    # For the 合计 check: the column's sum, or None once a row's value in it was not valid.
    sums: dict[str, int | None] = {f: 0 for f in INTEGER_FIELDS if layout.has(f)}
    history = history or {}

    any_rows = False
    for row_number, values in data_rows(sheet, layout, FIELDS):
        any_rows = True
        city_text = values[0]
        if total_row is not None:
            problems.append(C.MONTHLY_TOTAL_NOT_LAST.at(row=row_number, total_row=total_row))
            continue
        if city_text and normalise(city_text) in TOTAL_LABELS:
            total_row, total_values = row_number, values
            continue

        figures = _parse_figures(row_number, values, layout, problems)
        city_code = None
        if not layout.has("city"):
            pass  # reported once, as a missing column
        elif not city_text:
            problems.append(C.MONTHLY.required.at(row=row_number, column=layout.header("city")))
        elif (city_code := city_lookup.get(city_text)) is None:
            problems.append(
                C.MONTHLY.city_unknown.at(row=row_number, column=layout.header("city"), value=city_text)
            )
        elif city_code in seen:
            problems.append(
                C.MONTHLY_CITY_DUPLICATE.at(
                    row=row_number,
                    column=layout.header("city"),
                    value=city_text,
                    city=city_names[city_code],
                    first_row=seen[city_code],
                )
            )
            city_code = None
        else:
            seen[city_code] = row_number

        for name in sums:
            if sums[name] is not None:
                sums[name] = None if figures[name] is None else sums[name] + figures[name]

        _check_row(row_number, figures, layout, failure_columns_ok, problems)
        if city_code is not None:
            _warn_row(row_number, city_code, figures, layout, history, ledger_counts, problems)
            result.rows.append({"city_code": city_code, **figures})

    if not any_rows:
        problems.append(C.MONTHLY.no_rows.at())
    elif layout.has("city"):
        missing_cities = [name for code, name in city_names.items() if code not in seen]
        if missing_cities:
            problems.append(C.MONTHLY_CITY_MISSING.at(cities="、".join(missing_cities)))

    if total_row is not None:
        result.total = _check_total(total_row, total_values, sums, layout, problems)

    if ledger_counts is not None and not ledger_counts:
        reported = sum(row["complaints_received"] or 0 for row in result.rows)
        if reported:
            problems.append(C.MONTHLY_LEDGER_ABSENT.at(total=reported))
    return result


def _parse_figures(row_number, values, layout, problems) -> dict:
    figures: dict = {}
    for name, text in zip(FIGURE_FIELDS, values[1:], strict=True):
        figures[name] = None
        if not layout.has(name):
            continue
        if not text:
            if name in REQUIRED_FIELDS:
                problems.append(C.MONTHLY.required.at(row=row_number, column=layout.header(name)))
            continue
        try:
            if name in DECIMAL_FIELDS:
                figures[name] = parse_decimal(text, NUMBER_CHECKS, DECIMAL_FIELDS[name])
            else:
                figures[name] = parse_count(text, NUMBER_CHECKS)
        except Invalid as invalid:
            problems.append(
                invalid.check.at(row=row_number, column=layout.header(name), value=text, **invalid.params)
            )
    return figures


def _check_row(row_number, figures, layout, failure_columns_ok, problems) -> None:
    resolved = figures["complaints_resolved"]
    if (
        layout.has("avg_resolution_hours")
        and resolved
        and figures["avg_resolution_hours"] is None
        and not _has_problem(problems, row_number, layout.header("avg_resolution_hours"))
    ):
        problems.append(
            C.MONTHLY_AVG_HOURS_REQUIRED.at(
                row=row_number, column=layout.header("avg_resolution_hours"), resolved=resolved
            )
        )

    if failure_columns_ok and layout.has(FAILURE_FIELDS[0]):
        reasons = [figures[f] for f in FAILURE_FIELDS]
        if any(_has_problem(problems, row_number, layout.header(f)) for f in FAILURE_FIELDS):
            return  # an invalid reason is reported already; its sum would mislead
        empty = [layout.header(f) for f, value in zip(FAILURE_FIELDS, reasons, strict=True) if value is None]
        if empty and len(empty) < len(FAILURE_FIELDS):
            problems.append(
                C.MONTHLY_FAILURE_INCOMPLETE.at(row=row_number, column=empty[0], headers="、".join(empty))
            )
        elif (
            not empty
            and figures["port_out_failed"] is not None
            and sum(reasons) != figures["port_out_failed"]
        ):
            problems.append(
                C.MONTHLY_FAILURE_SUM.at(
                    row=row_number,
                    column=layout.header("port_out_failed"),
                    value=str(figures["port_out_failed"]),
                    total=sum(reasons),
                    failed=figures["port_out_failed"],
                )
            )


def _has_problem(problems, row_number, column) -> bool:
    # Only this row's problems are looked at: they are at the end of the list.
    for problem in reversed(problems):
        if problem.row != row_number:
            return False
        if problem.column == column:
            return True
    return False


def _warn_row(row_number, city_code, figures, layout, history, ledger_counts, problems) -> None:
    # Each warning names its city (``city``): next month, the same check in the same city is
    # offered last month's explanation (``reporting.uploads.last_explanations``).
    applications = figures["port_out_applications"]
    completed, failed = figures["port_out_completed"], figures["port_out_failed"]
    if None not in (applications, completed, failed) and completed + failed > applications:
        problems.append(
            C.MONTHLY_PORT_OUT_EXCEEDS.at(
                row=row_number,
                column=layout.header("port_out_applications"),
                value=str(applications),
                done=completed + failed,
                applications=applications,
                city=city_code,
            )
        )
    received, resolved = figures["complaints_received"], figures["complaints_resolved"]
    if None not in (received, resolved) and resolved > received:
        problems.append(
            C.MONTHLY_RESOLVED_EXCEEDS.at(
                row=row_number,
                column=layout.header("complaints_resolved"),
                value=str(resolved),
                resolved=resolved,
                received=received,
                city=city_code,
            )
        )

    city_history = history.get(city_code) or {}
    for name in OUTLIER_FIELDS:
        value = figures[name]
        previous = [v for v in (city_history.get(name) or [])[-OUTLIER_MONTHS:] if v is not None]
        if value is None or len(previous) < OUTLIER_MIN_MONTHS:
            continue
        median = statistics.median(previous)
        if median == 0:
            continue
        check = None
        if value > OUTLIER_FACTOR * median:
            check = C.MONTHLY_OUTLIER_HIGH
        elif value * OUTLIER_FACTOR < median:
            check = C.MONTHLY_OUTLIER_LOW
        if check is not None:
            problems.append(
                check.at(
                    row=row_number,
                    column=layout.header(name),
                    value=str(value),
                    median=_plain(median),
                    months=len(previous),
                    city=city_code,
                )
            )

    if ledger_counts and received is not None:
        in_ledger = ledger_counts.get(city_code, 0)
        if in_ledger != received:
            problems.append(
                C.MONTHLY_LEDGER_MISMATCH.at(
                    row=row_number,
                    column=layout.header("complaints_received"),
                    value=str(received),
                    ledger=in_ledger,
                    city=city_code,
                )
            )


def _plain(number) -> str:
    # A median of whole numbers may be x.5; show 1234 rather than 1234.0.
    if isinstance(number, float | Decimal) and number == int(number):
        return str(int(number))
    return str(number)


def _check_total(total_row, values, sums, layout, problems) -> dict:
    """The 合计 row: every whole-number figure given must equal its column's sum.

    An empty cell claims nothing (a formula never recalculated reads as empty) and decimal
    columns are not checked (an average's total is not a sum).
    """
    total: dict = {}
    for name, text in zip(FIGURE_FIELDS, values[1:], strict=True):
        total[name] = None
        if not text or not layout.has(name):
            continue
        try:
            if name in DECIMAL_FIELDS:
                total[name] = parse_decimal(text, NUMBER_CHECKS, DECIMAL_FIELDS[name])
                continue
            total[name] = parse_count(text, NUMBER_CHECKS)
        except Invalid as invalid:
            problems.append(
                invalid.check.at(row=total_row, column=layout.header(name), value=text, **invalid.params)
            )
            continue
        expected = sums.get(name)
        if expected is not None and total[name] != expected:
            problems.append(
                C.MONTHLY_TOTAL_MISMATCH.at(
                    row=total_row, column=layout.header(name), value=str(total[name]), expected=expected
                )
            )
    return total
