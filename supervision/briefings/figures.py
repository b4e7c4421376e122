"""The briefing's figures for one month, as plain JSON: what a draft shows and an approval freezes.

No indicator is computed here. The indicator table is the home page's cards
(``analytics.cards.indicator_cards``), the volumes and complaint counts come from the functions
of ``analytics.indicators``; this module only picks, ranks and names them, so the briefing's
numbers equal the dashboard's by construction. Figures are stored exact (decimal text), never
rounded here: ``content`` prints them and their changes through ``core.rounding``. Reports
count as the indicators count them (``MonthlySubmission.objects.counted()``,
``indicators.report_states``): a returned report gives no figure, no typical case and is not
"received". Names are the indicators' one name (``INDICATORS``, in Chinese: the briefing is a
Chinese official document), stored with the figures, so an approved briefing keeps the names
it was approved with.

A bounded number of queries whatever the size of the ledger: a few per indicator, one per list.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation

from supervision.analytics import indicators as ind
from supervision.analytics.cards import indicator_cards
from supervision.analytics.indicators import Value
from supervision.casework.models import (
    CIRCULATED_FINDING_STATES,
    UNSEEN_ORDER_STATES,
    InspectionFinding,
    RectificationOrder,
)
from supervision.core.dates import add_months, local_date, local_time, next_month, start_of_day
from supervision.core.models import Operator, Period, ViolationCategory
from supervision.reporting import completeness
from supervision.reporting.models import MonthlySubmission, TypicalCase

# How each operator's monthly report stands in the briefing (``_reporting``).
ON_TIME, LATE, RETURNED, MISSING, NOT_DUE = "on_time", "late", "returned", "missing", "not_due"

FINDINGS_LISTED = 50  # at most this many findings are listed; the count says how many there are
TREND_MONTHS = 12


def _exact(value: Value | None) -> str | None:
    """The exact decimal of a figure, as text (JSON keeps it exact; a float would not)."""
    exact = value.value if value is not None else None
    return None if exact is None else str(exact)


def _count(value) -> int | str | None:
    """A count or sum as JSON: an integer stays one, a decimal (subscribers) keeps its digits."""
    if value is None or isinstance(value, int):
        return value
    return int(value) if value == int(value) else str(value)


def _complaints(value: Value | None) -> int | None:
    """A complaint count (``indicators.complaints``): a whole number, or none."""
    return _count(value.numerator) if value is not None else None


def _card(card) -> dict:
    """One figure of the indicator table: exact values, printed and compared by ``content``
    (``core.rounding``: the change from the unrounded values, then rounded)."""
    current = card.current
    return {
        "value": _exact(current),
        "previous": _exact(card.previous),
        "year_ago": _exact(card.year_ago),
        "numerator": _count(current.numerator) if current else None,
        "denominator": _count(current.denominator) if current else None,
        "pending": getattr(current, "pending", None) if current else None,
    }


def ranks(values: list[float | None], higher_is_better: bool) -> list[int | None]:
    """Competition ranks (1, 1, 3), best first; no figure, no rank."""
    known = [v for v in values if v is not None]
    result = []
    for v in values:
        if v is None:
            result.append(None)
            continue
        better = sum(1 for other in known if (other > v if higher_is_better else other < v))
        result.append(better + 1)
    return result


@ind.shared_sums()
def build(period: Period, now: dt.datetime | None = None) -> dict:
    """Every figure and list of the briefing of ``period``, as of ``now``: one function per
    section. The volumes reuse the sums the indicator cards were divided from (``shared_sums``):
    queried once, equal by construction."""
    now = now or timezone.now()
    month = period.month
    operators, card_rows = indicator_cards(month)
    return {
        "month": period.label,
        "as_of": local_time(now).isoformat(timespec="minutes"),
        "operators": [
            {"code": op.code, "name": op.name_zh, "short": op.short_zh, "color": op.color} for op in operators
        ],
        "indicators": _indicator_table(card_rows),
        "volumes": _volumes(month, operators),
        "complaints": _complaints_by_category(month, operators),
        "trend": _trend(month, operators),
        "findings": _findings(month),
        "orders": _orders(month),
        "overdue_orders": _overdue_orders(now),
        "reporting": _reporting(period, operators, now),
        "typical_cases": _typical_cases(period),
    }


def _indicator_table(card_rows) -> list[dict]:
    """1. The indicator table: the dashboard's cards, ranked among the operators."""
    table = []
    for indicator, row in card_rows:
        province, *per_operator = row
        # Ranked on the exact values (``card.value``): two figures that print alike may differ.
        ranked = ranks([card.value for card in per_operator], indicator.higher_is_better)
        with translation.override("zh-hans"):
            name = str(indicator.label)  # the one name, Chinese from the catalogue
        table.append(
            {
                "code": indicator.code,
                "name": name,
                "unit": indicator.unit,
                "decimals": indicator.decimals,
                "from_reports": indicator.from_reports,
                "higher_is_better": indicator.higher_is_better,
                "province": _card(province),
                "operators": {
                    card.operator.code: {**_card(card), "rank": rank}
                    for card, rank in zip(per_operator, ranked, strict=True)
                },
            }
        )
    return table


def _compared_months(month: dt.date) -> list[dt.date]:
    """The month, the month before and the same month a year before (as the cards compare)."""
    return [month, add_months(month, -1), add_months(month, -12)]


def _volumes(month: dt.date, operators: list[Operator]) -> dict:
    """2. Volumes: the sums behind the rates, net porting and complaints, this month and before."""
    months = _compared_months(month)

    def volumes(by):
        sums = ind.figure_sums(months, by)
        net = ind.net_porting(months, by)
        counted = ind.complaints(months, by)
        result = {}
        for key in {*sums, *net, *counted}:
            figures = sums.get(key, {})
            result[key] = {
                "auth_code_requests": _count(figures.get("auth_code_requests")),
                "port_out_applications": _count(figures.get("port_out_applications")),
                "port_out_completed": _count(figures.get("port_out_completed")),
                "port_in_completed": _count(figures.get("port_in_completed")),
                "net_porting": _count(net[key].numerator) if key in net else None,
                "complaints": _count(counted[key].numerator) if key in counted else None,
            }
        return result

    by_operator, province = volumes(("operator",)), volumes(())
    return {
        "province": {label: province.get((m,)) for label, m in _labels(months).items()},
        "operators": {
            op.code: {label: by_operator.get((op.code, m)) for label, m in _labels(months).items()}
            for op in operators
        },
    }


def _complaints_by_category(month: dt.date, operators: list[Operator]) -> list[dict]:
    """3. Complaints by bottom line: the province and each operator."""
    previous = add_months(month, -1)
    per_category = ind.complaints([month, previous], ("category",))
    per_operator_category = ind.complaints([month], ("operator", "category"))
    return [
        {
            "code": c.code,
            "name": c.name_zh,
            "bottom_line": c.is_bottom_line,
            "current": _complaints(per_category.get((c.code, month))),
            "previous": _complaints(per_category.get((c.code, previous))),
            "operators": {
                op.code: _complaints(per_operator_category.get((op.code, c.code, month))) for op in operators
            },
        }
        for c in ViolationCategory.objects.all()
    ]


def _trend(month: dt.date, operators: list[Operator]) -> dict:
    """4. A year of complaints per operator, for the trend chart."""
    trend_months = [add_months(month, -k) for k in range(TREND_MONTHS - 1, -1, -1)]
    trend_counts = ind.complaints(trend_months, ("operator",))
    return {
        "months": [f"{m:%Y-%m}" for m in trend_months],
        "operators": {
            op.code: [_complaints(trend_counts.get((op.code, m))) for m in trend_months] for op in operators
        },
    }


def _labels(months):
    current, previous, year_ago = months
    return {"current": current, "previous": previous, "year_ago": year_ago}


def _month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = start_of_day(month)
    end = start_of_day(next_month(month))
    return start, end


def _findings(month: dt.date) -> dict:
    """Problems found by inspections and experience tests visited in the month."""
    rows = (
        InspectionFinding.objects.filter(
            visit_date__gte=month,
            visit_date__lt=next_month(month),
            violation=True,
            state__in=CIRCULATED_FINDING_STATES,
        )
        .select_related("operator", "city", "clause")
        .order_by("operator__sort_order", "visit_date", "pk")
    )
    listed = []
    count = 0
    for finding in rows:
        count += 1
        if count > FINDINGS_LISTED:
            continue
        listed.append(
            {
                "id": finding.pk,
                "operator": finding.operator.code,
                "visit_date": finding.visit_date.isoformat(),
                "city": finding.city.name_zh,
                "method": finding.method,
                "clause": finding.clause.code if finding.clause else "",
                "clause_name": finding.clause.name_zh if finding.clause else "",
                "severity": finding.severity,
                "state": finding.state,
            }
        )
    return {"count": count, "rows": listed}


def _order_row(order) -> dict:
    return {
        "id": order.pk,
        "document_no": order.document_no or "",
        "operator": order.operator.code,
        "title": order.title,
        "severity": order.severity,
        "deadline": local_date(order.deadline).isoformat(),
        "state": order.state,
    }


def _orders(month: dt.date) -> list[dict]:
    """Rectification orders issued in the month, with the state they are in now."""
    start, end = _month_bounds(month)
    rows = (
        RectificationOrder.objects.filter(issued_at__gte=start, issued_at__lt=end)
        .exclude(state__in=UNSEEN_ORDER_STATES)
        .select_related("operator")
        .order_by("operator__sort_order", "issued_at", "pk")
    )
    return [_order_row(order) for order in rows]


def _overdue_orders(now: dt.datetime) -> list[dict]:
    """Open orders past their deadline as of ``now``, with the days since their deadline's day:
    the orders' own definitions (``OrderQuerySet.overdue``, ``with_days_left``), as every page."""
    rows = (
        RectificationOrder.objects.overdue(now)
        .with_days_left(now)
        .select_related("operator")
        .order_by("deadline", "pk")
    )
    return [{**_order_row(order), "days_overdue": -order.days_left.days} for order in rows]


def _reporting(period: Period, operators: list[Operator], now: dt.datetime) -> list[dict]:
    """Each operator's monthly report for the month, as the indicators count it (DOMAIN.md,
    报送完整率/按时报送率): a counted report filed on time (its first certified version certified
    by the due time) or late; a returned one, which counts nowhere until corrected; none yet.

    Counted and on time are the indicators' (``indicators.report_states``,
    ``reporting_timeliness``); missing against not yet due is the reporting matrix's."""
    month = period.month
    states = ind.report_states([month])
    timely = ind.reporting_timeliness([month], ("operator",))
    cells = completeness.matrix([period], operators, now=now)
    rows = []
    for op in operators:
        cell = cells[(op.pk, period.pk)]
        state = states.get((op.code, month), ind.NOT_REPORTED)
        if state == ind.COUNTED:
            on_time = timely.get((op.code, month))
            status = ON_TIME if on_time is not None and on_time.numerator else LATE
        elif state == ind.RETURNED:
            status = RETURNED
        else:
            status = NOT_DUE if cell.status == completeness.Status.NOT_DUE else MISSING
        rows.append(
            {
                "operator": op.code,
                "status": status,
                "counted": state == ind.COUNTED,
                "submitted_at": local_date(cell.first_submitted_at).isoformat()
                if cell.first_submitted_at
                else None,
            }
        )
    return rows


def _typical_cases(period: Period) -> list[dict]:
    """The typical cases of the month's counted reports (``MonthlySubmission.objects.counted()``:
    the versions whose figures the indicators count); a returned report's cases are not quoted."""
    cases = (
        TypicalCase.objects.filter(
            submission__in=MonthlySubmission.objects.counted(), submission__period=period
        )
        .select_related("submission__operator", "city")
        .order_by("submission__operator__sort_order", "pk")
    )
    return [
        {
            "operator": case.submission.operator.code,
            "title": case.title,
            "city": case.city.name_zh,
            "what_happened": case.what_happened,
            "handling": case.handling,
        }
        for case in cases
    ]
