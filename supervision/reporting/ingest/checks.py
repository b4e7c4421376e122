"""The checks of the monthly figures and the complaint ledger, in the one catalogue of checks.

The catalogue, the ``Check`` and ``Problem`` classes and the checks every file goes through are
in ``supervision.ingest.checks``; what each kind of check means (error, warning, notice) is
explained there. A check's code never changes: stored problems refer to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from supervision.ingest.checks import Check, error, notice, template_checks, warning

# --- 1. Monthly report figures ---------------------------------------------------------------

MONTHLY = template_checks("monthly")

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

LEDGER = template_checks("ledger")

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
