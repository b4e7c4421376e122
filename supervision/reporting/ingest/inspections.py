"""Validate an inspection / mystery-shopper batch (FORMATS.md §3): one row per visit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from supervision.core import privacy
from supervision.ingest.columns import (
    Column,
    DateParser,
    Invalid,
    ValidationResult,
    data_rows,
    start,
)
from supervision.ingest.reading import Sheet
from supervision.ingest.reference import Reference, choices

from . import checks as C

CHANNELS = choices(
    [
        ("STORE", ["营业厅"]),
        ("HOTLINE", ["客服热线"]),
        ("ONLINE", ["网上营业厅"]),
        ("APP", []),
        ("SMS", ["短信"]),
    ]
)
METHODS = choices([("OPEN", ["明察"]), ("COVERT", ["暗访"]), ("MYSTERY_SHOPPER", ["第三方体验"])])
SEVERITIES = choices([("MINOR", ["一般"]), ("MAJOR", ["较重"]), ("SEVERE", ["严重"])])
# 是/否 as the template says; the usual spellings of yes and no, and what a TRUE/FALSE cell reads as.
VIOLATION = choices([("是", ["Y", "yes", "true", "1"]), ("否", ["N", "no", "false", "0"])])
VIOLATION.allowed = "是, 否"
VIOLATION.offered = ["是", "否"]

SITE_MAX = 200
SCENARIO_MAX = 500
DESCRIPTION_MAX = 4000
AGENCY_MAX = 200

COLUMNS = [
    Column(
        "visit_date",
        "检查日期",
        "visit_date",
        required=True,
        note=_(
            "Required. A date, not in the future: 2026-10-03, 2026/10/3, 2026年10月3日, or an Excel date cell."
        ),
    ),
    Column("operator", "运营商", "operator", required=True, note=_("Required.")),
    Column(
        "city",
        "地市",
        "city",
        required=True,
        width=10,
        note=_("Required. The city: its name (济南市 or 济南) or its division code (370100)."),
    ),
    Column("channel", "渠道", "channel", required=True, note=_("Required.")),
    Column(
        "site",
        "网点名称",
        "site",
        width=24,
        note=_("Required when 渠道 is 营业厅: the store visited. Text, at most 200 characters."),
    ),
    Column("method", "检查方式", "method", required=True, note=_("Required.")),
    Column(
        "scenario",
        "检查场景",
        "scenario",
        required=True,
        width=30,
        note=_(
            "Required. What was tried, e.g. asking for the authorisation code. Text, at most 500 characters."
        ),
    ),
    Column("violation", "是否发现问题", "violation", required=True, note=_("Required. 是 or 否.")),
    Column(
        "description",
        "问题描述",
        "description",
        width=40,
        note=_("Required when 是否发现问题 is 是: what was found. Text, at most 4,000 characters."),
    ),
    Column(
        "clause",
        "违反条款",
        "clause",
        note=_("Required when 是否发现问题 is 是; empty otherwise. The bottom line breached."),
    ),
    Column(
        "severity",
        "严重程度",
        "severity",
        note=_("Required when 是否发现问题 is 是; empty otherwise."),
    ),
    Column(
        "agency",
        "检查机构",
        "agency",
        required=True,
        width=24,
        note=_(
            "Required. Who inspected: the administration or the agency's name. Text, at most 200 characters."
        ),
    ),
]
FIELDS = [c.field for c in COLUMNS]


def lookups(reference: Reference) -> dict:
    """The coded columns' vocabularies, for the validator and the template's drop-down lists."""
    return {
        "operator": reference.operator_lookup,
        "city": reference.city_lookup,
        "channel": CHANNELS,
        "method": METHODS,
        "violation": VIOLATION,
        "clause": reference.clause_lookup,
        "severity": SEVERITIES,
    }


@dataclass
class InspectionResult(ValidationResult):
    # One dict per visit: InspectionFinding's field names, with operator_code, city_code, clause_code.
    records: list[dict] = field(default_factory=list)


def validate_inspections(
    sheet: Sheet, *, today: dt.date, reference: Reference | None = None
) -> InspectionResult:
    """Check an inspection batch; no database access when ``reference`` is given."""
    reference = reference or Reference.load()
    result = InspectionResult()
    problems = result.problems
    checks = C.INSPECTIONS
    layout = start(sheet, COLUMNS, checks, result)
    if layout is None:
        return result

    vocabularies = lookups(reference)
    parse_date = DateParser(C.INSPECTIONS_DATE_INVALID, C.INSPECTIONS_DATE_FUTURE, today)
    header = {f: layout.header(f) for f in FIELDS}
    add = problems.append

    for row_number, values in data_rows(sheet, layout, FIELDS):
        cells = dict(zip(FIELDS, values, strict=True))

        def required(name, cells=cells, row_number=row_number):
            text = cells[name]
            if not text and layout.has(name):  # a missing column is reported once, at the header
                add(checks.required.at(row=row_number, column=header[name]))
            return text

        def coded(name, cells=cells, row_number=row_number):
            text = cells[name]
            if not text:
                return None
            lookup = vocabularies[name]
            code = lookup.get(text)
            if code is None:
                check = C.INSPECTIONS_OPERATOR_UNKNOWN if name == "operator" else checks.unknown_choice
                if name == "city":
                    add(checks.city_unknown.at(row=row_number, column=header[name], value=text))
                else:
                    add(check.at(row=row_number, column=header[name], value=text, allowed=lookup.allowed))
            return code

        def text_of(name, limit, cells=cells, row_number=row_number):
            text = cells[name]
            if len(text) > limit:
                add(
                    checks.too_long.at(
                        row=row_number, column=header[name], value=text, length=len(text), limit=limit
                    )
                )
            masked = privacy.mask(text)
            if masked.changed:
                add(C.INSPECTIONS_TEXT_NUMBER_MASKED.at(row=row_number, column=header[name],
                                                        masked=masked.numbers[0]))  # fmt: skip
            return masked.text

        visit_date = None
        if required("visit_date"):
            try:
                visit_date = parse_date(cells["visit_date"])
            except Invalid as invalid:
                add(
                    invalid.check.at(
                        row=row_number,
                        column=header["visit_date"],
                        value=cells["visit_date"],
                        **invalid.params,
                    )
                )
        for name in ("operator", "city", "channel", "method", "violation"):
            required(name)
        required("scenario")
        required("agency")
        operator_code = coded("operator")
        city_code = coded("city")
        channel = coded("channel")
        method = coded("method")
        violation_code = coded("violation")
        violation = None if violation_code is None else violation_code == "是"

        site = text_of("site", SITE_MAX)
        if channel == "STORE" and not site:
            add(C.INSPECTIONS_SITE_REQUIRED.at(row=row_number, column=header["site"]))
        scenario = text_of("scenario", SCENARIO_MAX)
        description = text_of("description", DESCRIPTION_MAX)
        agency = text_of("agency", AGENCY_MAX)
        clause_code = coded("clause")
        severity = coded("severity")

        if violation:
            for name in ("description", "clause", "severity"):
                if not cells[name]:
                    add(C.INSPECTIONS_FINDING_REQUIRED.at(row=row_number, column=header[name]))
        elif violation is False:
            for name in ("clause", "severity"):
                if cells[name]:
                    add(
                        C.INSPECTIONS_FINDING_UNEXPECTED.at(
                            row=row_number, column=header[name], value=cells[name]
                        )
                    )

        result.records.append(
            {
                "visit_date": visit_date,
                "operator_code": operator_code,
                "city_code": city_code,
                "channel": channel,
                "site": site,
                "method": method,
                "scenario": scenario,
                "violation": violation,
                "description": description,
                "clause_code": clause_code,
                "severity": severity or "",
                "agency": agency,
            }
        )

    if not result.records:
        problems.append(checks.no_rows.at())
    return result
