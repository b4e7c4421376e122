"""Validate a complaint ledger (FORMATS.md §2): one row per complaint.

This is the template that arrives with 100,000 rows, so the row loop is written for speed:
one list of stripped cells per row, dict look-ups for coded values, dates parsed once per
distinct spelling, and exceptions only for invalid cells.
"""

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
from . import provenance

CHANNELS = choices(
    [
        ("MIIT", ["工信部申诉", "12300"]),
        ("CA", ["管局转办"]),
        ("HOTLINE", ["客服热线"]),
        ("STORE", ["营业厅"]),
        ("ONLINE", ["网上营业厅", "APP"]),
        ("MEDIA", ["媒体舆情"]),
        ("OTHER", ["其他"]),
    ]
)
STATUSES = choices([("OPEN", ["处理中"]), ("RESOLVED", ["已办结"])])
SATISFACTION = choices(
    [
        ("SATISFIED", ["满意"]),
        ("PARTLY", ["基本满意"]),
        ("UNSATISFIED", ["不满意"]),
        ("UNKNOWN", ["未回访"]),
    ]
)

COMPLAINT_NO_MAX = 64
TEXT_MAX = 2000

COLUMNS = [
    Column(
        "complaint_no",
        "投诉编号",
        "complaint_no",
        required=True,
        width=20,
        note=_(
            "Required. Your complaint number, at most 64 characters, once per file. A complaint already "
            "uploaded is updated by the row with its number."
        ),
    ),
    Column(
        "received_on",
        "受理日期",
        "received_on",
        required=True,
        note=_(
            "Required. A date, not in the future: 2026-10-03, 2026/10/3, 2026年10月3日, or an Excel date cell."
        ),
    ),
    Column(
        "city",
        "地市",
        "city",
        required=True,
        width=10,
        note=_("Required. The city: its name (济南市 or 济南) or its division code (370100)."),
    ),
    Column("channel", "投诉渠道", "channel", required=True, note=_("Required.")),
    Column("category", "投诉类别", "category", required=True, width=16, note=_("Required.")),
    Column(
        "msisdn",
        "用户号码",
        "msisdn",
        width=14,
        note=_(
            "Optional. The subscriber's number, masked: 138****1234. A full 11-digit number is masked on "
            "import; the site never stores a full number."
        ),
    ),
    Column(
        "summary",
        "投诉内容",
        "summary",
        required=True,
        width=40,
        note=_("Required. Text, at most 2,000 characters."),
    ),
    Column("status", "处理状态", "status", required=True, note=_("Required.")),
    Column(
        "resolved_on",
        "办结日期",
        "resolved_on",
        note=_(
            "Required when 处理状态 is 已办结: the date it was resolved, on or after 受理日期 and not in the "
            "future. Empty while 处理中."
        ),
    ),
    Column(
        "resolution",
        "处理结果",
        "resolution",
        width=30,
        note=_("Required when 处理状态 is 已办结. Text, at most 2,000 characters."),
    ),
    Column("satisfaction", "用户满意度", "satisfaction", note=_("Optional.")),
]
FIELDS = [c.field for c in COLUMNS]
DATE_FIELDS = {"received_on", "resolved_on"}

# Already masked numbers are stored as given (the one rule: supervision.core.privacy).
_MASKED = privacy.MASKED_MSISDN


def lookups(reference: Reference) -> dict:
    """The coded columns' vocabularies, for the validator and the template's drop-down lists."""
    return {
        "city": reference.city_lookup,
        "channel": CHANNELS,
        "category": reference.category_lookup,
        "status": STATUSES,
        "satisfaction": SATISFACTION,
    }


@dataclass
class LedgerResult(ValidationResult):
    # One dict per complaint, with ComplaintRecord's field names (city_code, category_code).
    records: list[dict] = field(default_factory=list)
    # ``{"YYYY-MM": [{"complaint_no", "row", "change", "fields"}]}``: what the file adds to or
    # changes in months whose report was accepted (set by ``store.check_ledger_periods``).
    accepted_changes: dict[str, list[dict]] = field(default_factory=dict)


def validate_ledger(
    sheet: Sheet,
    *,
    today: dt.date,
    reference: Reference | None = None,
    operator: str | None = None,
    period: dt.date | None = None,
    filed_by: dt.date | None = None,
) -> LedgerResult:
    """Check a complaint ledger; no database access when ``reference`` is given.

    ``operator``: the uploader's operator code, for the whose-file checks (title rows and
    complaint-number prefixes). ``period``/``filed_by``: the chosen month when the ledger comes
    with a monthly report, for the which-month checks of the title rows.
    """
    reference = reference or Reference.load()
    result = LedgerResult()
    problems = result.problems
    checks = C.LEDGER
    layout = start(sheet, COLUMNS, checks, result)
    if layout is None:
        return result
    provenance.check_title_rows(sheet, layout.header_row, C.LEDGER_PROVENANCE, problems,
                                reference=reference, operator=operator, period=period,
                                filed_by=filed_by)  # fmt: skip
    other_prefix = provenance.complaint_prefix(reference, operator).match if operator else None
    short_names = provenance.operator_short(reference)

    header = {f: layout.header(f) for f in FIELDS}
    present = {f: layout.has(f) for f in FIELDS}
    required = checks.required
    unknown_choice = checks.unknown_choice
    parse_date = DateParser(C.LEDGER_DATE_INVALID, C.LEDGER_DATE_FUTURE, today)
    city_get = reference.city_lookup.get
    category_lookup = reference.category_lookup
    channel_get, category_get = CHANNELS.get, category_lookup.get
    status_get, satisfaction_get = STATUSES.get, SATISFACTION.get
    masked_match = _MASKED.fullmatch
    seen: dict[str, int] = {}
    records = result.records
    add = problems.append

    def date_at(row_number, name, text):
        try:
            return parse_date(text)
        except Invalid as invalid:
            add(invalid.check.at(row=row_number, column=header[name], value=text, **invalid.params))
            return None

    def missing(row_number, name):
        # A missing column is reported once, at the header; not again in every row.
        if present[name]:
            add(required.at(row=row_number, column=header[name]))

    for row_number, values in data_rows(sheet, layout, FIELDS):
        (no, received_text, city_text, channel_text, category_text, msisdn_text, summary, status_text,
         resolved_text, resolution, satisfaction_text) = values  # fmt: skip

        if not no:
            missing(row_number, "complaint_no")
        elif len(no) > COMPLAINT_NO_MAX:
            add(checks.too_long.at(row=row_number, column=header["complaint_no"], value=no,
                                   length=len(no), limit=COMPLAINT_NO_MAX))  # fmt: skip
        elif no in seen:
            add(C.LEDGER_COMPLAINT_NO_DUPLICATE.at(row=row_number, column=header["complaint_no"], value=no,
                                                   first_row=seen[no]))  # fmt: skip
        else:
            seen[no] = row_number
        if no and other_prefix is not None and (prefix := other_prefix(no)):
            add(C.LEDGER_COMPLAINT_NO_OTHER_OPERATOR.at(
                row=row_number, column=header["complaint_no"], value=no,
                named=short_names.get(prefix[1].upper(), prefix[1]), operator=short_names.get(operator, operator)))  # fmt: skip

        received_on = date_at(row_number, "received_on", received_text) if received_text else None
        if not received_text:
            missing(row_number, "received_on")

        city_code = None
        if not city_text:
            missing(row_number, "city")
        elif (city_code := city_get(city_text)) is None:
            add(checks.city_unknown.at(row=row_number, column=header["city"], value=city_text))

        channel = None
        if not channel_text:
            missing(row_number, "channel")
        elif (channel := channel_get(channel_text)) is None:
            add(
                unknown_choice.at(
                    row=row_number, column=header["channel"], value=channel_text, allowed=CHANNELS.allowed
                )
            )

        category_code = None
        if not category_text:
            missing(row_number, "category")
        elif (category_code := category_get(category_text)) is None:
            add(unknown_choice.at(row=row_number, column=header["category"], value=category_text,
                                  allowed=category_lookup.allowed))  # fmt: skip

        msisdn = ""
        if msisdn_text:
            if masked_match(msisdn_text):
                msisdn = msisdn_text
            else:
                msisdn = _mask_msisdn(row_number, header["msisdn"], msisdn_text, add)

        if not summary:
            missing(row_number, "summary")
        else:
            if len(summary) > TEXT_MAX:
                add(checks.too_long.at(row=row_number, column=header["summary"], value=summary,
                                       length=len(summary), limit=TEXT_MAX))  # fmt: skip
            summary = _mask_text(row_number, header["summary"], summary, add)

        status = None
        if not status_text:
            missing(row_number, "status")
        elif (status := status_get(status_text)) is None:
            add(
                unknown_choice.at(
                    row=row_number, column=header["status"], value=status_text, allowed=STATUSES.allowed
                )
            )

        resolved_on = date_at(row_number, "resolved_on", resolved_text) if resolved_text else None
        if resolution:
            if len(resolution) > TEXT_MAX:
                add(checks.too_long.at(row=row_number, column=header["resolution"], value=resolution,
                                       length=len(resolution), limit=TEXT_MAX))  # fmt: skip
            resolution = _mask_text(row_number, header["resolution"], resolution, add)
        if status == "RESOLVED":
            if not resolved_text:
                add(C.LEDGER_RESOLVED_ON_REQUIRED.at(row=row_number, column=header["resolved_on"]))
            elif resolved_on is not None and received_on is not None and resolved_on < received_on:
                add(C.LEDGER_RESOLVED_BEFORE_RECEIVED.at(row=row_number, column=header["resolved_on"],
                                                         value=resolved_on.isoformat(),
                                                         received_on=received_on.isoformat()))  # fmt: skip
            if not resolution:
                add(C.LEDGER_RESOLUTION_REQUIRED.at(row=row_number, column=header["resolution"]))
        elif status == "OPEN" and resolved_text:
            add(
                C.LEDGER_RESOLVED_ON_UNEXPECTED.at(
                    row=row_number, column=header["resolved_on"], value=resolved_text
                )
            )

        satisfaction = ""
        if satisfaction_text and (satisfaction := satisfaction_get(satisfaction_text)) is None:
            satisfaction = ""
            add(unknown_choice.at(row=row_number, column=header["satisfaction"], value=satisfaction_text,
                                  allowed=SATISFACTION.allowed))  # fmt: skip

        records.append(
            {
                "row": row_number,
                "complaint_no": no,
                "received_on": received_on,
                "city_code": city_code,
                "channel": channel,
                "category_code": category_code,
                "msisdn_masked": msisdn,
                "summary": summary,
                "status": status,
                "resolved_on": resolved_on,
                "resolution": resolution,
                "satisfaction": satisfaction,
            }
        )

    if not records:
        problems.append(checks.no_rows.at())
    return result


def _mask_msisdn(row_number: int, column: str, text: str, add) -> str:
    """A full mobile number, however written → 138****1234 with a notice; anything else is an
    error whose message repeats the value with its digits starred (privacy.obscure_digits)."""
    masked = privacy.mask_msisdn(text)
    if masked is not None:
        if not privacy.is_masked(text):
            add(C.LEDGER_MSISDN_MASKED.at(row=row_number, column=column, value=masked))
        return masked
    add(C.LEDGER_MSISDN_INVALID.at(row=row_number, column=column, value=privacy.obscure_digits(text)))
    return ""


def _mask_text(row_number: int, column: str, text: str, add) -> str:
    """The text with every mobile number masked, and a notice naming the first one."""
    result = privacy.mask(text)
    if result.changed:
        add(C.LEDGER_TEXT_NUMBER_MASKED.at(row=row_number, column=column, masked=result.numbers[0]))
    return result.text
