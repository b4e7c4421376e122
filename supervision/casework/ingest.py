"""Inspection and mystery-shopper batches through the upload pipeline (FORMATS.md §3).

One row per visit. The batch's checks (in the one catalogue of checks, ``supervision.ingest``),
its validator (pure: no database when given the reference data), its downloadable template, and
the two database services: ``check_inspections_file`` reads and validates a file,
``store_inspections`` stores a valid batch as draft findings. ``batches`` keeps the batch an
upload or ``manage.py import_inspections`` records around them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from supervision.core import dates, privacy
from supervision.core.models import City, Operator, ViolationCategory
from supervision.ingest import read_sheet
from supervision.ingest.checks import error, notice, template_checks
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
from supervision.ingest.templates import Template

from .models import (
    METHOD_WORDS,
    SEVERITY_WORDS,
    FindingState,
    InspectionChannel,
    InspectionFinding,
    InspectionMethod,
    Severity,
)

# --- The checks (codes unchanged: stored problems refer to them) ------------------------------

INSPECTIONS = template_checks("inspections")

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
INSPECTIONS_TEXT_NUMBER_MASKED = notice(
    "inspections.text.number_masked",
    _("Full mobile numbers in the text columns are masked on import."),
    _("The text contained a full mobile number; it was masked to %(masked)s."),
)


# --- The columns -------------------------------------------------------------------------------

# The Chinese labels the template accepts for each of casework's choices, besides the code.
CHANNEL_LABELS = {
    InspectionChannel.STORE: ["营业厅"],
    InspectionChannel.HOTLINE: ["客服热线"],
    InspectionChannel.ONLINE: ["网上营业厅"],
    InspectionChannel.APP: [],
    InspectionChannel.SMS: ["短信"],
}
# The methods and severities: their official words (``models.METHOD_WORDS``, ``SEVERITY_WORDS``).
METHOD_LABELS = {method: [word] for method, word in METHOD_WORDS.items()}
SEVERITY_LABELS = {severity: [word] for severity, word in SEVERITY_WORDS.items()}
# Every choice of the enum, in its order (a choice added without its labels fails here, loudly).
CHANNELS = choices([(channel.value, CHANNEL_LABELS[channel]) for channel in InspectionChannel])
METHODS = choices([(method.value, METHOD_LABELS[method]) for method in InspectionMethod])
SEVERITIES = choices([(severity.value, SEVERITY_LABELS[severity]) for severity in Severity])
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
    checks = INSPECTIONS
    layout = start(sheet, COLUMNS, checks, result)
    if layout is None:
        return result

    vocabularies = lookups(reference)
    parse_date = DateParser(INSPECTIONS_DATE_INVALID, INSPECTIONS_DATE_FUTURE, today)
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
                check = INSPECTIONS_OPERATOR_UNKNOWN if name == "operator" else checks.unknown_choice
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
                add(INSPECTIONS_TEXT_NUMBER_MASKED.at(row=row_number, column=header[name],
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
        if channel == InspectionChannel.STORE and not site:
            add(INSPECTIONS_SITE_REQUIRED.at(row=row_number, column=header["site"]))
        scenario = text_of("scenario", SCENARIO_MAX)
        description = text_of("description", DESCRIPTION_MAX)
        agency = text_of("agency", AGENCY_MAX)
        clause_code = coded("clause")
        severity = coded("severity")

        if violation:
            for name in ("description", "clause", "severity"):
                if not cells[name]:
                    add(INSPECTIONS_FINDING_REQUIRED.at(row=row_number, column=header[name]))
        elif violation is False:
            for name in ("clause", "severity"):
                if cells[name]:
                    add(
                        INSPECTIONS_FINDING_UNEXPECTED.at(
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


# --- The template --------------------------------------------------------------------------------

TEMPLATE = Template(
    kind="inspections",
    title="明察暗访/第三方体验结果",
    sheet_name="检查结果",  # a sheet's name cannot hold "/"
    columns=COLUMNS,
    vocabularies=lookups,
    cell_formats={"visit_date": "date"},
)


# --- The database: check a file, store a batch ---------------------------------------------------


class NotValid(Exception):
    """A result with errors was given to ``store_inspections``: nothing was stored."""


def check_inspections_file(data: bytes, filename: str, *, today: dt.date | None = None) -> InspectionResult:
    """Read and validate an inspection batch. Raises ``FileRefused``."""
    sheet = read_sheet(data, filename)
    return validate_inspections(sheet, today=today or dates.today(), reference=Reference.load())


@transaction.atomic
def store_inspections(result: InspectionResult, *, user) -> list[InspectionFinding]:
    """Store a valid inspection batch as draft findings, with their history rows (``user``)."""
    if not result.ok:
        raise NotValid(f"{len(result.errors)} errors: nothing was stored")
    operators = dict(Operator.objects.values_list("code", "id"))
    cities = dict(City.objects.values_list("code", "id"))
    categories = dict(ViolationCategory.objects.values_list("code", "id"))
    findings = [
        InspectionFinding(
            operator_id=operators[r["operator_code"]],
            city_id=cities[r["city_code"]],
            visit_date=r["visit_date"],
            channel=r["channel"],
            site=r["site"],
            method=r["method"],
            scenario=r["scenario"],
            violation=r["violation"],
            description=r["description"],
            clause_id=categories[r["clause_code"]] if r["clause_code"] else None,
            severity=r["severity"],
            agency=r["agency"],
            state=FindingState.DRAFT,
        )
        for r in result.records
    ]
    return bulk_create_with_history(findings, InspectionFinding, batch_size=500, default_user=user)
