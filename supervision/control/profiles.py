"""Where to look: complaint spikes, and one page per operator and per city."""

import datetime as dt

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from supervision.analytics import anomalies, profiles
from supervision.core.dates import add_months
from supervision.core.models import City, Operator, Period
from supervision.core.permissions import regulator_required


def _month(request) -> tuple[dt.date, str]:
    """The month asked for with ``?month=YYYY-MM``, else the last complete one; and a problem."""
    label = request.GET.get("month", "").strip()
    if label:
        try:
            year, month = Period.parse_label(label)
        except ValueError as error:
            return Period.last_complete().month, str(error)
        return dt.date(year, month, 1), ""
    return Period.last_complete().month, ""


def _month_nav(month: dt.date) -> dict:
    return {
        "month": month,
        "month_label": f"{month:%Y-%m}",
        "previous_month": f"{add_months(month, -1):%Y-%m}",
        "next_month": f"{add_months(month, 1):%Y-%m}",
    }


@regulator_required
def anomalies_list(request):
    month, problem = _month(request)
    spikes = anomalies.complaint_spikes(month)
    context = {
        **_month_nav(month),
        "month_problem": problem,
        "spikes": spikes,
        "sections": [
            ("category", _("By operator, city and category"), [s for s in spikes if s.category is not None]),
            ("city", _("By operator and city, all categories"), [s for s in spikes if s.category is None]),
        ],
        "window": anomalies.WINDOW,
        "factor": anomalies.FACTOR,
        "min_excess": anomalies.MIN_EXCESS,
        "history_months": [add_months(month, -k) for k in range(anomalies.WINDOW, 0, -1)],
    }
    return render(request, "control/anomalies.html", context)


@regulator_required
def operator_detail(request, code):
    operator = get_object_or_404(Operator, code=code)
    month, problem = _month(request)
    context = {
        "operator": operator,
        **_month_nav(month),
        "month_problem": problem,
        **profiles.operator_profile(operator, month),
    }
    return render(request, "control/operator.html", context)


@regulator_required
def city_detail(request, code):
    if not (len(code) == 6 and code.isdigit()):
        raise Http404(_("A city is named by its 6-digit division code."))
    city = get_object_or_404(City, code=code)
    month, problem = _month(request)
    context = {
        "city": city,
        **_month_nav(month),
        "month_problem": problem,
        **profiles.city_profile(city, month),
    }
    return render(request, "control/city.html", context)
