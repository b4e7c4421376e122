"""The indicators of DOMAIN.md, each defined once and computed by the database.

Every function takes the months wanted and the dimensions to group by (``()`` for the
province, ``("operator",)``, ``("city",)``, ``("operator", "city")``, and for complaints also
``"category"``), and returns ``{key: Value}`` where ``key`` is the tuple of the dimension values
(operator code, city code, category code) followed by the month (a ``date``, first day).

The dashboard, the exports and the monthly briefing call these functions; none of them
computes an indicator itself. Figures come from the live version of each monthly report
(certified, not superseded); complaint counts from the ledger's monthly counts, kept up to date
when a ledger arrives (``reporting.summaries``). A page that shows several indicators computes
them inside ``shared_sums()``, so that each sum they divide is queried once.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from supervision.casework.models import InspectionFinding, InspectionMethod, OrderState, RectificationOrder
from supervision.reporting import completeness
from supervision.reporting.models import CityFigures, ComplaintMonthly, SubmissionState

TIMELY_DAYS = 15


@dataclass(frozen=True)
class Value:
    """A figure with the numbers that make it, so a user can check it: ``numerator / denominator × scale``."""

    numerator: int | Decimal | None
    denominator: int | Decimal | None = None
    scale: int = 1

    @property
    def value(self) -> float | None:
        if self.numerator is None:
            return None
        if self.denominator is None:
            return float(self.numerator) * self.scale
        if not self.denominator:
            return None  # no applications, no visits…: the rate is undefined, not zero
        return float(self.numerator) * self.scale / float(self.denominator)


DIMENSIONS = {
    # dimension → (path on CityFigures, path on ComplaintMonthly, path on findings/orders)
    "operator": ("submission__operator__code", "operator__code", "operator__code"),
    "city": ("city__code", "city__code", "city__code"),
    "category": (None, "category__code", "clause__code"),
}


def _where(index, filters) -> dict:
    """Filters named by dimension (``operator="CUCC"``, ``city="370700"``) → this source's lookups."""
    where = {}
    for name, value in filters.items():
        if name in DIMENSIONS:
            path = DIMENSIONS[name][index]
            if path is None:
                raise ValueError(f"this indicator cannot be filtered by {name}")
            where[path] = value
        else:
            where[name] = value
    return where


def _paths(by, index):
    paths = [DIMENSIONS[d][index] for d in by]
    if None in paths:
        raise ValueError(f"cannot group this indicator by {by}")
    return paths


def _months(months: Iterable[dt.date]) -> list[dt.date]:
    return sorted({m.replace(day=1) for m in months})


# --- Sums shared by the indicators of one page ----------------------------------------------------

# Several indicators divide the same sums: the port-out success rate, the authorisation-code
# conversion and the complaint rate read the report figures' sums; the complaint rate and the
# timely resolution rate read the ledger's monthly counts. Within ``shared_sums()`` each sum is
# queried once per (months, grouping, filters) and the result reused: same query, same figures.
_shared: ContextVar[dict | None] = ContextVar("indicator_sums", default=None)


@contextmanager
def shared_sums():
    """Within the block (or the decorated function), each sum is computed once and reused.

    For one page or one document, whose data do not change while it is built; a block inside
    another reuses the outer one's sums. The results are shared: read them, never change them.
    """
    if _shared.get() is not None:
        yield
        return
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def _once(kind: str, months, by, filters: dict, compute: Callable[[], object]):
    """``compute()``, or its result from earlier in the same ``shared_sums()`` block."""
    shared = _shared.get()
    if shared is None:
        return compute()
    key = (kind, tuple(_months(months)), tuple(by), tuple(sorted(filters.items())))
    try:
        hash(key)
    except TypeError:  # a filter on a list of values: not worth sharing
        return compute()
    if key not in shared:
        shared[key] = compute()
    return shared[key]


FIGURE_FIELDS = [
    "auth_code_requests",
    "port_out_applications",
    "port_out_completed",
    "port_out_failed",
    "port_in_applications",
    "port_in_completed",
    "complaints_received",
    "complaints_resolved",
    "subscribers_10k",
]


def live_figures():
    """The city rows of the version of each report that counts: certified and not superseded."""
    return CityFigures.objects.filter(submission__submitted_at__isnull=False).exclude(
        submission__state=SubmissionState.SUPERSEDED
    )


def figure_sums(months, by=("operator",), **filters) -> dict[tuple, dict]:
    """Sums of the monthly report figures per group and month (one query, once per ``shared_sums``)."""
    paths = _paths(by, 0)

    def compute():
        rows = (
            live_figures()
            .filter(submission__period__month__in=_months(months), **_where(0, filters))
            .values(*paths, "submission__period__month")
            .annotate(**{f"sum_{f}": Sum(f) for f in FIGURE_FIELDS})
            .order_by()
        )
        return {
            (*(r[p] for p in paths), r["submission__period__month"]): {
                f: r[f"sum_{f}"] for f in FIGURE_FIELDS
            }
            for r in rows
        }

    return _once("figures", months, by, filters, compute)


def complaint_sums(months, by=("operator",), **filters) -> dict[tuple, dict]:
    """Ledger counts per group and month of receipt: received, resolved and resolved in time
    (one query on the monthly counts, once per ``shared_sums``)."""
    paths = _paths(by, 1)

    def compute():
        rows = (
            ComplaintMonthly.objects.filter(month__in=_months(months), **_where(1, filters))
            .values(*paths, "month")
            .annotate(received=Sum("received"), resolved=Sum("resolved"), timely=Sum("resolved_timely"))
            .order_by()
        )
        return {(*(r[p] for p in paths), r["month"]): r for r in rows}

    return _once("complaints", months, by, filters, compute)


# --- Indicators on the monthly report figures --------------------------------------------------


def port_out_success_rate(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """Port-outs completed / port-out applications, in %."""
    sums = figure_sums(months, by, **filters)
    return {k: Value(s["port_out_completed"], s["port_out_applications"], 100) for k, s in sums.items()}


def auth_code_conversion(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """Port-out applications / authorisation codes issued, in %."""
    sums = figure_sums(months, by, **filters)
    return {k: Value(s["port_out_applications"], s["auth_code_requests"], 100) for k, s in sums.items()}


def net_porting(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """Port-ins completed − port-outs completed (sums to about zero across operators)."""
    sums = figure_sums(months, by, **filters)
    return {k: Value(s["port_in_completed"] - s["port_out_completed"]) for k, s in sums.items()}


# --- Indicators on the complaint ledger --------------------------------------------------------


def complaints(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """Porting complaints received in the month (ledger rows)."""
    return {k: Value(s["received"]) for k, s in complaint_sums(months, by, **filters).items()}


def complaint_rate(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """Porting complaints (ledger) per 10,000 port-out applications (report figures)."""
    counted = complaint_sums(months, by, **filters)
    applications = figure_sums(months, by, **filters)
    keys = set(counted) | set(applications)
    return {
        k: Value(
            counted.get(k, {}).get("received", 0),
            # No report for the month: no denominator, so no rate (0 makes the Value undefined).
            applications.get(k, {}).get("port_out_applications") or 0,
            10_000,
        )
        for k in keys
    }


def timely_resolution_rate(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """Complaints resolved within 15 days of receipt / complaints resolved, in %."""
    return {
        k: Value(s["timely"], s["resolved"], 100) for k, s in complaint_sums(months, by, **filters).items()
    }


def complaints_per_million(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """Complaints / (subscribers / 1,000,000); subscribers are reported in units of 10,000."""
    counted = complaint_sums(months, by, **filters)
    figures = figure_sums(months, by, **filters)
    result = {}
    for k, s in counted.items():
        subscribers_10k = figures.get(k, {}).get("subscribers_10k")
        # 10,000 subscribers are 0.01 million: divide by subscribers_10k / 100.
        result[k] = Value(s["received"], (subscribers_10k / 100) if subscribers_10k else 0)
    return result


# --- Casework indicators -----------------------------------------------------------------------


def mystery_shopper_violation_rate(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """Mystery-shopper visits with a finding / mystery-shopper visits, in %."""
    return inspection_violation_rate(months, by, method=InspectionMethod.MYSTERY_SHOPPER, **filters)


def inspection_violation_rate(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """Visits with a finding / visits (every method unless filtered), in %."""
    months = _months(months)
    paths = _paths(by, 2)
    rows = (
        InspectionFinding.objects.filter(
            visit_date__gte=months[0], visit_date__lt=_next_month(months[-1]), **_where(2, filters)
        )
        .annotate(m=TruncMonth("visit_date"))
        .values(*paths, "m")
        .annotate(visits=Count("pk"), found=Count("pk", filter=Q(violation=True)))
        .order_by()
    )
    return {
        (*(r[p] for p in paths), r["m"]): Value(r["found"], r["visits"], 100)
        for r in rows
        if r["m"] in months
    }


def rectification_on_time_rate(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """Orders verified by their deadline / orders closed (verified) in the month, in %."""
    months = _months(months)
    paths = _paths(by, 2) if by != ("category",) else []
    rows = (
        RectificationOrder.objects.filter(
            state=OrderState.VERIFIED,
            closed_at__date__gte=months[0],
            closed_at__date__lt=_next_month(months[-1]),
            **_where(2, filters),
        )
        .annotate(m=TruncMonth("closed_at"))
        .values(*paths, "m")
        .annotate(closed=Count("pk"), on_time=Count("pk", filter=Q(closed_at__lte=F("deadline"))))
        .order_by()
    )
    result = {}
    for r in rows:
        month = r["m"].date() if isinstance(r["m"], dt.datetime) else r["m"]
        result[(*(r[p] for p in paths), month)] = Value(r["on_time"], r["closed"], 100)
    return result


def reporting_completeness(months, by=("operator",)) -> dict[tuple, Value]:
    """Reports received / reports expected, in % (1 expected per operator and month)."""
    return _reporting(months, by, lambda cell: cell.submission_id is not None)


def reporting_timeliness(months, by=("operator",)) -> dict[tuple, Value]:
    """Reports received by the due time / reports expected, in %."""
    return _reporting(months, by, lambda cell: bool(cell.on_time))


def _reporting(months, by, counts) -> dict[tuple, Value]:
    from supervision.core.models import Operator, Period

    def matrix():
        periods = list(Period.objects.filter(month__in=_months(months)))
        return completeness.matrix(periods, list(Operator.objects.all()))

    # The same cells for the operators and the province, for completeness and timeliness.
    cells = _once("reporting", months, (), {}, matrix)
    tally = defaultdict(lambda: [0, 0])
    for cell in cells.values():
        key = ((cell.operator.code,) if by == ("operator",) else ()) + (cell.period.month,)
        tally[key][1] += 1
        tally[key][0] += counts(cell)
    return {k: Value(n, expected, 100) for k, (n, expected) in tally.items()}


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    unit: str
    compute: object
    # Higher is better (success rates) or worse (complaint rates): colours the change.
    higher_is_better: bool
    decimals: int = 1


INDICATORS = [
    Indicator("port_out_success", _("Port-out success rate"), "%", port_out_success_rate, True),
    Indicator("auth_conversion", _("Authorisation-code conversion"), "%", auth_code_conversion, True),
    Indicator("complaint_rate", _("Complaints per 10,000 applications"), "", complaint_rate, False, 2),
    Indicator("timely_resolution", _("Resolved within 15 days"), "%", timely_resolution_rate, True),
    Indicator(
        "mystery_violation", _("Mystery-shopper violation rate"), "%", mystery_shopper_violation_rate, False
    ),
    Indicator("rectification_on_time", _("Rectification on time"), "%", rectification_on_time_rate, True),
    Indicator("reporting_completeness", _("Reporting completeness"), "%", reporting_completeness, True, 0),
]
INDICATORS_BY_CODE = {i.code: i for i in INDICATORS}
