"""The home page's indicator cards: each indicator per operator and for the province, for one
month, with its change against the previous month and the same month a year before.

A fixed number of queries whatever the size of the ledger: each sum is queried once per
grouping (``indicators.shared_sums``) and serves every indicator divided from it. Every figure
and change prints through the indicator (``Indicator.text``/``change_text``: one rounding).
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from supervision.core import rounding
from supervision.core.dates import add_months
from supervision.core.models import Operator

from . import indicators
from .indicators import INDICATORS, Indicator, Value, shared_sums

PROVINCE = None  # the key of the province-wide column


def _query(path: str, params) -> str:
    """``path?…`` with the parameters in order, a list value repeated (``operator=A&operator=B``)."""
    query = urlencode([(k, v) for k, v in params if v not in (None, "")], doseq=True)
    return f"{path}?{query}" if query else path


LEDGER_INDICATORS = ("complaint_rate", "complaints_per_million", "timely_resolution", "complaints")
FIGURE_INDICATORS = ("port_out_success", "auth_conversion", "net_porting")
VISIT_METHODS = {"covert_violation": "COVERT", "mystery_violation": "MYSTERY_SHOPPER"}


def drilldown_url(
    indicator_code: str, operator_code: str | None, month: dt.date, city_code: str | None = None
) -> str | None:
    """The rows behind a figure: the filtered list a user reaches by clicking it.

    The list shows exactly the figure's numerator (complaints, late complaints, visits with a
    finding) or its denominator (the orders due in the month, the counted report's city rows).
    A province or city total over the operators with a counted report lists those operators'
    rows only (like for like).
    """
    label = f"{month:%Y-%m}"
    if operator_code:
        operators = [operator_code]
    elif indicator_code in LEDGER_INDICATORS and indicator_code != "complaints":
        operators = sorted(code for code, m in indicators.counted_reports([month]) if m == month)
    else:
        operators = []
    where = [("operator", operators), ("city", city_code), ("month", label)]
    if indicator_code in ("complaint_rate", "complaints_per_million", "complaints"):
        return _query(reverse("control:complaints"), where)
    if indicator_code == "timely_resolution":
        return _query(reverse("control:complaints"), [*where, ("timely", "late")])
    if indicator_code in VISIT_METHODS:
        return _query(
            reverse("control:findings"),
            [*where, ("method", VISIT_METHODS[indicator_code]), ("violation", "yes")],
        )
    if indicator_code == "rectification_on_time":
        return _query(reverse("control:orders"), [("operator", operators), ("deadline_month", label)])
    if indicator_code in ("reporting_completeness", "reporting_timeliness"):
        return reverse("control:reporting")
    # Figures of the monthly reports: an operator's counted report (its city rows), else the
    # city × operator table of the month.
    if operator_code:
        report = indicators.counted_reports([month]).get((operator_code, month))
        if report is not None:
            return reverse("control:submission", args=[report])
        return None
    return _query(reverse("control:city_matrix"), [("indicator", indicator_code), ("month", label)])


@dataclass(frozen=True)
class Card:
    indicator: Indicator
    operator: Operator | None
    current: Value | None
    previous: Value | None
    year_ago: Value | None
    url: str | None
    note: str = ""  # the province: the operators left out; an operator: why it has no figure

    @property
    def value(self):
        """The exact value (``Decimal``); print ``text``."""
        return self.current.value if self.current else None

    @property
    def text(self) -> str:
        return self.indicator.text(self.current)

    @property
    def change_month(self):
        return self.indicator.change(self.current, self.previous)

    @property
    def change_year(self):
        return self.indicator.change(self.current, self.year_ago)

    @property
    def change_month_text(self) -> str:
        return self.indicator.change_text(self.current, self.previous)

    @property
    def change_year_text(self) -> str:
        return self.indicator.change_text(self.current, self.year_ago)

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


def operator_note(indicator: Indicator, operator: Operator, month: dt.date) -> str:
    """Why an operator's figure from the reports is missing: its report was returned or is missing."""
    if not indicator.from_reports:
        return ""
    state = indicators.report_states([month]).get((operator.code, month), indicators.NOT_REPORTED)
    if state == indicators.COUNTED:
        return ""
    return str(indicators.LEFT_OUT_REASONS[state])


@shared_sums()
def indicator_cards(month: dt.date) -> tuple[list[Operator], list[tuple[Indicator, list[Card]]]]:
    """Rows of cards: one row per indicator, the province first, then each operator.

    The complaint rate and the timely resolution rate read one query of the ledger's counts per
    grouping, the rates on the report figures one query of their sums (``shared_sums``)."""
    operators = list(Operator.objects.all())
    months = [month, add_months(month, -1), add_months(month, -12)]
    indicators.report_states(months)  # one query for the three months, the notes and the links
    left_out = indicators.left_out_text(month, operators)
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
                left_out if indicator.from_reports else "",
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
                    operator_note(indicator, operator, month),
                )
            )
        rows.append((indicator, cards))
    return operators, rows


@shared_sums()
def city_matrix(indicator: Indicator, period) -> dict:
    """``{"operators", "rows": [(city, [cell per operator], province cell)], "totals": [...]}``.

    Each cell links to the rows behind it (``drilldown_url``): the filtered ledger or findings,
    the operator's counted report for the figures. Totals are like for like.
    """
    from supervision.core.models import City

    month = period.month
    operators = list(Operator.objects.all())
    per_cell = indicator.compute([month], ("operator", "city"))
    per_city = indicator.compute([month], ("city",))
    per_operator = indicator.compute([month], ("operator",))
    province = indicator.compute([month], ())

    def cell(value, operator_code=None, city_code=None):
        return {
            "value": value,
            "text": indicator.text(value),
            "url": drilldown_url(indicator.code, operator_code, month, city_code),
        }

    rows = []
    for city in City.objects.all():
        cells = [cell(per_cell.get((op.code, city.code, month)), op.code, city.code) for op in operators]
        rows.append((city, cells, cell(per_city.get((city.code, month)), None, city.code)))
    totals = [cell(per_operator.get((op.code, month)), op.code) for op in operators]
    return {
        "operators": operators,
        "rows": rows,
        "totals": totals,
        "province": cell(province.get((month,))),
        "left_out": indicators.left_out_text(month, operators) if indicator.from_reports else "",
    }


def export_rows(month: dt.date, card_rows) -> list[list]:
    """The cards as a table to download: one row per indicator and operator (the province
    first), the figure rounded as on the page (a number, at the indicator's precision), the
    numbers that make it, the orders awaiting verification and the operators left out."""
    from django.utils.translation import gettext as _

    header = [
        _("Indicator"),
        _("Unit"),
        _("Operator"),
        _("Month"),
        _("Figure"),
        _("Numerator"),
        _("Denominator"),
        _("Awaiting verification"),
        _("Note"),
    ]
    rows = [header]
    for indicator, cards in card_rows:
        for card in cards:
            value = card.current
            rows.append(
                [
                    str(indicator.label),
                    indicator.unit,
                    card.operator.short_name if card.operator else _("Province"),
                    f"{month:%Y-%m}",
                    rounding.round_half_up(card.value, indicator.decimals),
                    value.numerator if value else None,
                    value.denominator if value else None,
                    value.pending if value else None,
                    card.note,
                ]
            )
    return rows
