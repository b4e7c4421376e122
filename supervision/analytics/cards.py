"""The home page's indicator cards: each indicator per operator and for the province, for one
month, with its change against the previous month and the same month a year before.

A fixed number of queries whatever the size of the ledger: each sum is queried once per
grouping (``indicators.shared_sums``) and serves every indicator divided from it.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from supervision.core.models import Operator

from .indicators import INDICATORS, Indicator, Value, shared_sums

PROVINCE = None  # the key of the province-wide column


def shift_month(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def drilldown_url(indicator_code: str, operator_code: str | None, month: dt.date) -> str:
    """The rows behind a figure: the filtered list a user reaches by clicking it."""
    label = f"{month:%Y-%m}"
    query = {"month": label}
    if operator_code:
        query["operator"] = operator_code
    if indicator_code in ("complaint_rate", "complaints"):
        return f"{reverse('control:complaints')}?{urlencode(query)}"
    if indicator_code == "timely_resolution":
        return f"{reverse('control:complaints')}?{urlencode({**query, 'status': 'RESOLVED'})}"
    if indicator_code == "mystery_violation":
        return f"{reverse('control:findings')}?{urlencode({**query, 'method': 'MYSTERY_SHOPPER'})}"
    if indicator_code == "rectification_on_time":
        query.pop("month")
        return f"{reverse('control:orders')}?{urlencode({**query, 'state': 'verified'})}"
    if indicator_code == "reporting_completeness":
        return reverse("control:reporting")
    # Rates on the monthly report figures: the city × operator table behind them.
    return f"{reverse('control:city_matrix')}?{urlencode({'indicator': indicator_code, 'month': label})}"


@dataclass(frozen=True)
class Card:
    indicator: Indicator
    operator: Operator | None
    current: Value | None
    previous: Value | None
    year_ago: Value | None
    url: str

    @property
    def value(self):
        return self.current.value if self.current else None

    def _change(self, other):
        if self.value is None or other is None or other.value is None:
            return None
        return self.value - other.value

    @property
    def change_month(self):
        return self._change(self.previous)

    @property
    def change_year(self):
        return self._change(self.year_ago)

    def _tone(self, change):
        if not change:
            return "flat"
        return "good" if (change > 0) == self.indicator.higher_is_better else "bad"

    @property
    def tone_month(self):
        return self._tone(self.change_month)

    @property
    def tone_year(self):
        return self._tone(self.change_year)


@shared_sums()
def indicator_cards(month: dt.date) -> tuple[list[Operator], list[tuple[Indicator, list[Card]]]]:
    """Rows of cards: one row per indicator, the province first, then each operator.

    The complaint rate and the timely resolution rate read one query of the ledger's counts per
    grouping, the rates on the report figures one query of their sums (``shared_sums``)."""
    operators = list(Operator.objects.all())
    months = [month, shift_month(month, -1), shift_month(month, -12)]
    rows = []
    for indicator in INDICATORS:
        per_operator = indicator.compute(months, ("operator",))
        province = indicator.compute(months, ())
        cards = [
            Card(
                indicator,
                None,
                province.get((month,)),
                province.get((months[1],)),
                province.get((months[2],)),
                drilldown_url(indicator.code, None, month),
            )
        ]
        for operator in operators:
            cards.append(
                Card(
                    indicator,
                    operator,
                    per_operator.get((operator.code, month)),
                    per_operator.get((operator.code, months[1])),
                    per_operator.get((operator.code, months[2])),
                    drilldown_url(indicator.code, operator.code, month),
                )
            )
        rows.append((indicator, cards))
    return operators, rows


# Indicators that make sense per city (the monthly figures and the ledger are per city).
CITY_INDICATORS = ["port_out_success", "auth_conversion", "complaint_rate", "timely_resolution"]


def city_matrix(indicator: Indicator, period) -> dict:
    """``{"operators", "rows": [(city, [cell per operator], province cell)], "totals": [...]}``.

    Each cell links to the rows behind it: the filtered ledger for complaint indicators, the
    operator's report for the figures.
    """
    from supervision.core.models import City
    from supervision.reporting.models import MonthlySubmission, SubmissionState

    month = period.month
    operators = list(Operator.objects.all())
    per_cell = indicator.compute([month], ("operator", "city"))
    per_city = indicator.compute([month], ("city",))
    per_operator = indicator.compute([month], ("operator",))
    province = indicator.compute([month], ())
    reports = dict(
        MonthlySubmission.objects.filter(period=period, submitted_at__isnull=False)
        .exclude(state=SubmissionState.SUPERSEDED)
        .values_list("operator__code", "pk")
    )
    ledger_based = indicator.code in ("complaint_rate", "timely_resolution")

    def link(operator_code=None, city_code=None):
        if ledger_based:
            query = {"month": f"{month:%Y-%m}"}
            if operator_code:
                query["operator"] = operator_code
            if city_code:
                query["city"] = city_code
            if indicator.code == "timely_resolution":
                query["status"] = "RESOLVED"
            return f"{reverse('control:complaints')}?{urlencode(query)}"
        if operator_code and operator_code in reports:
            return reverse("control:submission", args=[reports[operator_code]])
        return None

    rows = []
    for city in City.objects.all():
        cells = [
            {"value": per_cell.get((op.code, city.code, month)), "url": link(op.code, city.code)}
            for op in operators
        ]
        rows.append((city, cells, {"value": per_city.get((city.code, month)), "url": link(None, city.code)}))
    totals = [{"value": per_operator.get((op.code, month)), "url": link(op.code)} for op in operators]
    return {
        "operators": operators,
        "rows": rows,
        "totals": totals,
        "province": {"value": province.get((month,)), "url": link()},
    }
