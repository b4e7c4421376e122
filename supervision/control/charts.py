"""The charts page: the indicators over time, per operator, city and clause.

The indicators come from ``analytics.indicators`` (one or two grouped queries each, so the
page costs the same number of queries whatever the number of complaints); ``analytics.charts``
turns their results into figures. Each point links to the rows behind it.
"""

import datetime as dt

from django.shortcuts import render
from django.urls import reverse

from supervision.analytics import charts, indicators
from supervision.core import dates, rounding
from supervision.core.models import City, Operator, Period, ViolationCategory
from supervision.core.permissions import regulator_required

DEFAULT_MONTHS = 36
MAX_MONTHS = 60
MONTH_CHOICES = [12, 24, 36, 60]
INSPECTION_MONTHS = 12


def drilldown_links() -> charts.Links:
    """The lists the charts' points open, by their URL names (a renamed page fails loudly)."""
    return charts.Links(
        complaints=reverse("control:complaints"),
        findings=reverse("control:findings"),
        city_figures=reverse("control:city_matrix"),
    )


def _chosen_month(request):
    """``?month=YYYY-MM``, or the last complete month when absent or not a month."""
    try:
        year, month = Period.parse_label(request.GET.get("month", ""))
    except ValueError:
        return Period.last_complete().month
    return dt.date(year, month, 1)


def _month_count(request) -> int:
    try:
        return min(max(int(request.GET.get("months", DEFAULT_MONTHS)), 1), MAX_MONTHS)
    except ValueError:
        return DEFAULT_MONTHS


@regulator_required
@indicators.shared_sums()
@rounding.one_language()
def charts_page(request):
    last = _chosen_month(request)
    count = _month_count(request)
    months = dates.month_range(last, count)
    operators = list(Operator.objects.all())
    cities = list(City.objects.all())
    categories = list(ViolationCategory.objects.all())
    selected = next((op for op in operators if op.code == request.GET.get("operator")), None)
    links = drilldown_links()

    rate_by_operator = indicators.complaint_rate(months, by=("operator",))
    # The months each operator reported: a month without ledger counts is zero complaints then.
    reported = [key for key, value in rate_by_operator.items() if value.denominator is not None]
    province_rate = indicators.complaint_rate(months, by=())
    reports = indicators.counted_reports(months)
    counted = {}
    for code, month in sorted(reports):
        counted.setdefault(month, []).append(code)
    report_urls = {key: reverse("control:submission", args=[pk]) for key, pk in reports.items()}
    by_city = indicators.complaint_rate([last], by=("city",))
    inspection_months = dates.month_range(last, INSPECTION_MONTHS)
    category_filter = {"operator": selected.code} if selected else {}
    figures = [
        charts.complaints_trend(
            indicators.complaints(months, by=("operator",)), months, operators, links, reported=reported
        ),
        charts.complaint_rate_trend(rate_by_operator, province_rate, months, operators, links, counted),
        charts.complaint_rate_trend(
            indicators.complaints_per_million(months, by=("operator",)),
            indicators.complaints_per_million(months, by=()),
            months,
            operators,
            links,
            counted,
            per_million=True,
        ),
        charts.complaints_by_category(
            indicators.complaints(months, by=("category",), **category_filter),
            months,
            categories,
            links,
            operator=selected,
        ),
        charts.port_out_success_trend(
            indicators.port_out_success_rate(months, by=("operator",)), months, operators, links, report_urls
        ),
        charts.city_complaint_rate(by_city, province_rate, last, cities, links),
        charts.city_complaint_rate_by_operator(
            indicators.complaint_rate([last], by=("operator", "city")),
            by_city,
            last,
            cities,
            operators,
            links,
        ),
        charts.inspection_by_clause(
            indicators.inspection_violation_rate(inspection_months, by=("operator",)),
            indicators.inspection_violation_rate(inspection_months, by=("operator", "category")),
            inspection_months,
            operators,
            categories,
            links,
        ),
    ]
    # Like for like: the province's complaint rates leave out who has no counted report.
    left_out = indicators.left_out_text(last, operators)
    for chart in figures:
        if left_out and chart.key in ("complaint_rate", "complaints_per_million", "cities"):
            chart.notes.append(f"{dates.month_label(last)}: {left_out}")
    context = {
        "charts": {chart.key: chart for chart in figures},
        "month": dates.month_label(last),
        "months": count,
        "first_month": dates.month_label(months[0]),
        "month_choices": sorted({*MONTH_CHOICES, count}),
        "operators": operators,
        "selected": selected,
    }
    return render(request, "control/charts.html", context)
