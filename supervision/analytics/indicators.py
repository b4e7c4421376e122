"""The indicators of DOMAIN.md ("Indicators"), each defined once here and computed by the database.

Every function takes the months wanted and the dimensions to group by (``()`` for the
province, ``("operator",)``, ``("city",)``, ``("operator", "city")``, and for complaints also
``"category"``), and returns ``{key: Value}`` where ``key`` is the tuple of the dimension values
(operator code, city code, category code) followed by the month (a ``date``, first day).

The dashboard, the exports and the monthly briefing call these functions; none of them
computes an indicator itself, and each prints a figure through ``Indicator.text`` (one rounding,
``core.rounding``). The rules, as DOMAIN.md states them:

- Figures come from the *counted report* of each operator and month
  (``MonthlySubmission.objects.counted()``: the latest certified version not returned).
- *Like for like*: a figure over several operators (the province, a city's total) combines only
  the operators with a counted report that month, in numerator and denominator alike; the
  ledger's complaints of the others are left out, and ``left_out`` names them for the page.
- Complaint counts come from the ledger's monthly counts (``reporting.summaries``); the 15-day
  rate of a month whose windows are not all closed yet sums the ledger's daily counts of the
  days whose windows are (one aggregate query), the monthly counts for the other months. No
  indicator reads the ledger's rows.

A page that shows several indicators computes them inside ``shared_sums()``, so that each sum
they divide is queried once.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supervision.casework.models import (
    UNSEEN_ORDER_STATES,
    DeadlineOutcome,
    InspectionFinding,
    InspectionMethod,
    RectificationOrder,
)
from supervision.core import dates, rounding
from supervision.core.dates import SHANGHAI, month_end, next_month, start_of_day
from supervision.reporting.models import (
    COUNTED_STATES,
    CityFigures,
    ComplaintDaily,
    ComplaintMonthly,
    ComplaintMonthlyTotal,
    ComplaintStatus,
    MonthlySubmission,
    SubmissionState,
)

TIMELY_DAYS = 15


@dataclass(frozen=True)
class Value:
    """A figure with the numbers that make it, so a user can check it: ``numerator / denominator × scale``.

    ``value`` is the exact decimal (``rounding.exact``); print it with ``Indicator.text`` (or
    ``rounding.format_figure``), never by rounding it yourself. ``pending`` counts what is
    neither in the numerator nor late yet (orders awaiting verification), shown beside the rate.
    """

    numerator: int | Decimal | None
    denominator: int | Decimal | None = None
    scale: int = 1
    pending: int | None = None

    @property
    def value(self) -> Decimal | None:
        """The exact value; ``None`` when undefined (no applications, no visits: not zero)."""
        return rounding.exact(self.numerator, self.denominator, self.scale)

    exact = value


DIMENSIONS = {
    # dimension → (path on CityFigures, path on the ledger and its counts, path on findings/orders)
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
    return sorted({dates.month_of(m) for m in months})


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


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


# --- Which reports count ---------------------------------------------------------------------------

COUNTED = "counted"
RETURNED = "returned"
NOT_REPORTED = "not_reported"
LEFT_OUT_REASONS = {
    RETURNED: _("returned"),
    NOT_REPORTED: _("not reported"),
}


def _latest_reports(months) -> dict[tuple[str, dt.date], tuple[str, int, int]]:
    """``{(operator code, month): (COUNTED | RETURNED, operator id, version id)}`` from each
    latest certified version (one query, once per ``shared_sums``)."""

    def compute():
        rows = (
            MonthlySubmission.objects.latest_certified()
            .filter(period__month__in=_months(months))
            .values_list("operator__code", "operator_id", "period__month", "state", "pk")
            .order_by()
        )
        states = {}
        for code, operator_id, month, state, pk in rows:
            if state in COUNTED_STATES:
                states[(code, month)] = (COUNTED, operator_id, pk)
            elif state == SubmissionState.RETURNED:
                states[(code, month)] = (RETURNED, operator_id, pk)
        return states

    wanted = set(_months(months))
    for key, states in (_shared.get() or {}).items():
        # A page that read more months already holds these: the cards, then their links.
        if key[0] == "reports" and wanted <= set(key[1]):
            return {k: v for k, v in states.items() if k[1] in wanted}
    return _once("reports", months, (), {}, compute)


def report_states(months) -> dict[tuple[str, dt.date], str]:
    """``{(operator code, month): COUNTED | RETURNED}``; an operator and month absent from it has
    no certified report (``NOT_REPORTED``). Counted is ``MonthlySubmission.objects.counted()``."""
    return {k: row[0] for k, row in _latest_reports(months).items()}


def counted_reports(months) -> dict[tuple[str, dt.date], int]:
    """``{(operator code, month): id of the counted report}``: the rows behind an operator's figures."""
    return {k: row[2] for k, row in _latest_reports(months).items() if row[0] == COUNTED}


def _counted_operator_ids(months) -> dict[dt.date, set[int]]:
    counted = defaultdict(set)
    for (_code, month), (state, operator_id, _pk) in _latest_reports(months).items():
        if state == COUNTED:
            counted[month].add(operator_id)
    return counted


def left_out(month: dt.date, operators) -> list[tuple[object, str]]:
    """The operators a province figure of ``month`` leaves out, each with why (translated):
    ``[(operator, "returned" | "not reported")]``, in the operators' order."""
    states = report_states([month])
    result = []
    for operator in operators:
        state = states.get((operator.code, dates.month_of(month)), NOT_REPORTED)
        if state != COUNTED:
            result.append((operator, LEFT_OUT_REASONS[state]))
    return result


def left_out_text(month: dt.date, operators) -> str:
    """ "未计入：中国广电（未报送）" / "Not counted: CBN (not reported)"; "" when every operator counts."""
    names = [
        _("%(operator)s (%(reason)s)") % {"operator": op.short_name, "reason": reason}
        for op, reason in left_out(month, operators)
    ]
    if not names:
        return ""
    return _("Not counted: %(operators)s") % {"operators": _("; ").join(names)}


def _counted_ledger_q(months, field: str, monthly: bool) -> Q | None:
    """The ledger rows of operators with a counted report in the rows' month (like for like);
    ``None`` when no operator has one."""
    condition = Q()
    any_counted = False
    by_operator = defaultdict(list)
    for month, operator_ids in _counted_operator_ids(months).items():
        for operator_id in operator_ids:
            by_operator[operator_id].append(month)
    for operator_id, counted_months in by_operator.items():
        any_counted = True
        if monthly:
            condition |= Q(operator_id=operator_id, **{f"{field}__in": counted_months})
        else:
            ranges = Q()
            for m in counted_months:
                ranges |= Q(**{f"{field}__gte": m, f"{field}__lt": next_month(m)})
            condition |= Q(operator_id=operator_id) & ranges
    return condition if any_counted else None


def live_figures():
    """The city rows of the counted reports (``CityFigures.objects.counted()``)."""
    return CityFigures.objects.counted()


def figure_sums(months, by=("operator",), **filters) -> dict[tuple, dict]:
    """Sums of the counted reports' figures per group and month (one query, once per ``shared_sums``)."""
    paths = _paths(by, 0)

    def compute():
        rows = (
            live_figures()
            .filter(submission__period__month__in=_months(months), **_where(0, filters))
            .values(*paths, "submission__period__month")
            .annotate(**{f"sum_{f}": Sum(f) for f in CityFigures.SUMMED})
            .order_by()
        )
        return {
            (*(r[p] for p in paths), r["submission__period__month"]): {
                f: r[f"sum_{f}"] for f in CityFigures.SUMMED
            }
            for r in rows
        }

    return _once("figures", months, by, filters, compute)


# What the monthly totals (``ComplaintMonthlyTotal``: operator × category × month) can group and
# filter by; anything else (a city, a channel) reads the monthly counts themselves.
_TOTALS_DIMENSIONS = {"operator", "category"}


def complaint_sums(months, by=("operator",), counted_only=True, **filters) -> dict[tuple, dict]:
    """Ledger counts per group and month of receipt: received, resolved and resolved in time
    (one query on the monthly counts, once per ``shared_sums``).

    By operator or category (or neither), the query reads the monthly totals, the same counts
    summed over cities and channels by the database (at most 32 rows a month whatever the
    ledger's size, against up to 3,584); by city or channel, the monthly counts.

    ``counted_only`` (the indicators): only the operators with a counted report that month."""
    paths = _paths(by, 1)
    source = ComplaintMonthlyTotal if {*by, *filters} <= _TOTALS_DIMENSIONS else ComplaintMonthly

    def compute():
        rows = source.objects.filter(month__in=_months(months), **_where(1, filters))
        if counted_only:
            condition = _counted_ledger_q(months, "month", monthly=True)
            if condition is None:
                return {}
            rows = rows.filter(condition)
        rows = (
            rows.values(*paths, "month")
            .annotate(received=Sum("received"), resolved=Sum("resolved"), timely=Sum("resolved_timely"))
            .order_by()
        )
        return {(*(r[p] for p in paths), r["month"]): r for r in rows}

    return _once("complaints" if counted_only else "ledger", months, by, filters, compute)


# --- Indicators on the monthly report figures --------------------------------------------------


def port_out_success_rate(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """携出成功率: port-outs completed / port-out applications, in %."""
    sums = figure_sums(months, by, **filters)
    return {k: Value(s["port_out_completed"], s["port_out_applications"], 100) for k, s in sums.items()}


def auth_code_conversion(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """授权码转化率: port-out applications / authorisation codes issued, in %."""
    sums = figure_sums(months, by, **filters)
    return {k: Value(s["port_out_applications"], s["auth_code_requests"], 100) for k, s in sums.items()}


def net_porting(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """净携入量: port-ins completed − port-outs completed (sums to about zero across operators)."""
    sums = figure_sums(months, by, **filters)
    return {k: Value(s["port_in_completed"] - s["port_out_completed"]) for k, s in sums.items()}


# --- Indicators on the complaint ledger --------------------------------------------------------


def complaints(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """Porting complaints received in the month (ledger rows, every operator's: a count, not a rate)."""
    return {k: Value(s["received"]) for k, s in complaint_sums(months, by, False, **filters).items()}


def complaint_rate(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """每万件携出申请投诉量: ledger complaints received in the month × 10,000 / port-out
    applications, like for like (only operators with a counted report, both sides)."""
    counted = complaint_sums(months, by, **filters)
    applications = figure_sums(months, by, **filters)
    return {
        k: Value(counted.get(k, {}).get("received") or 0, s["port_out_applications"], 10_000)
        for k, s in applications.items()
    }


def complaints_per_million(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """每百万用户投诉量: ledger complaints × 1,000,000 / subscribers reported, like for like.

    Subscribers are reported in units of 10,000: complaints × 100 / subscribers (10,000)."""
    counted = complaint_sums(months, by, **filters)
    figures = figure_sums(months, by, **filters)
    return {
        k: Value(counted.get(k, {}).get("received") or 0, s["subscribers_10k"], 100)
        for k, s in figures.items()
        if s["subscribers_10k"]
    }


def timely_resolution_rate(months, by=("operator",), today: dt.date | None = None, **filters) -> dict:
    """15日办结率: of the complaints received in the month whose 15-day window has closed
    (received_on + 15 days < today, Asia/Shanghai), those resolved on or before received_on + 15
    days; a complaint still open after its window counts as late. Like for like.

    A month whose last complaint's window has closed reads the ledger's monthly counts (every
    complaint is due, ``resolved_timely`` are the timely ones); the recent months sum the
    ledger's daily counts of the days before ``today − 15 days`` with one aggregate query."""
    today = today or dates.today()
    closed_before = today - dt.timedelta(days=TIMELY_DAYS)  # received before: window closed
    months = _months(months)
    settled = [m for m in months if month_end(m) < closed_before]
    recent = [m for m in months if m not in settled and m < closed_before]
    result = {}
    if settled:
        # The sums of every month asked for, as the complaint rate reads them: one query for both
        # within ``shared_sums``.
        for k, s in complaint_sums(months, by, **filters).items():
            if k[-1] in settled:
                result[k] = Value(s["timely"], s["received"], 100)
    if recent:
        result.update(_timely_from_days(recent, by, closed_before, filters))
    return result


def _timely_from_days(months, by, closed_before: dt.date, filters) -> dict:
    """The 15-day counts of the recent ``months`` from the ledger's daily counts
    (``ComplaintDaily``) of the days received before ``closed_before``: a sum over at most a
    month of days, whatever the ledger's size; one aggregate query per page, grouped by operator
    (a total over operators adds theirs up), with one conditional sum per month."""
    if "operator" not in by:
        per_operator = _timely_from_days(months, ("operator", *by), closed_before, filters)
        totals = defaultdict(lambda: [0, 0])
        for (_operator, *rest), value in per_operator.items():
            totals[tuple(rest)][0] += value.numerator
            totals[tuple(rest)][1] += value.denominator
        return {k: Value(timely, due, 100) for k, (timely, due) in totals.items()}
    paths = _paths(by, 1)

    def compute():
        condition = _counted_ledger_q(months, "day", monthly=False)
        if condition is None:
            return {}
        sums = {}
        for i, month in enumerate(months):
            in_month = Q(day__gte=month, day__lt=next_month(month))
            sums[f"due_{i}"] = Sum("received", filter=in_month)
            sums[f"timely_{i}"] = Sum("resolved_timely", filter=in_month)
        rows = (
            ComplaintDaily.objects.filter(
                condition, day__gte=months[0], day__lt=closed_before, **_where(1, filters)
            )
            .values(*paths)
            .annotate(**sums)
            .order_by()
        )
        return {
            (*(r[p] for p in paths), month): Value(r[f"timely_{i}"] or 0, r[f"due_{i}"], 100)
            for r in rows
            for i, month in enumerate(months)
            if r[f"due_{i}"]
        }

    return _once(f"timely<{closed_before}", months, by, filters, compute)


def timely_q() -> Q:
    """A complaint resolved on or before received_on + 15 days (the ledger's ``resolved_timely``)."""
    return Q(
        status=ComplaintStatus.RESOLVED,
        resolved_on__lte=F("received_on") + dt.timedelta(days=TIMELY_DAYS),
    )


def late_q(today: dt.date | None = None) -> Q:
    """The complaints a 15日办结率 counts as late: window closed, not resolved within it."""
    today = today or dates.today()
    return Q(received_on__lt=today - dt.timedelta(days=TIMELY_DAYS)) & ~timely_q()


def due_q(today: dt.date | None = None) -> Q:
    """The complaints a 15日办结率 counts at all: those whose 15-day window has closed."""
    today = today or dates.today()
    return Q(received_on__lt=today - dt.timedelta(days=TIMELY_DAYS))


# --- Casework indicators -----------------------------------------------------------------------


def covert_violation_rate(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """暗访违规率: covert-inspection visits with a finding / covert-inspection visits, in %."""
    return _visit_rate(months, by, InspectionMethod.COVERT, filters)


def mystery_shopper_violation_rate(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """第三方体验违规率: third-party experience visits with a finding / such visits, in %."""
    return _visit_rate(months, by, InspectionMethod.MYSTERY_SHOPPER, filters)


def _visit_rate(months, by, method, filters) -> dict[tuple, Value]:
    return inspection_violation_rate(months, by, method=method, **filters)


def inspection_violation_rate(months, by=("operator",), **filters) -> dict[tuple, Value]:
    """Visits with a finding / visits (every method unless filtered), in %."""
    months = _months(months)
    paths = _paths(by, 2)
    rows = (
        InspectionFinding.objects.filter(
            visit_date__gte=months[0], visit_date__lt=next_month(months[-1]), **_where(2, filters)
        )
        .annotate(m=TruncMonth("visit_date"))
        .values(*paths, "m")
        .annotate(visits=Count("pk"), found=Count("pk", filter=Q(violation=True)))
        .order_by()
    )
    return {
        (*(r[p] for p in paths), _as_date(r["m"])): Value(r["found"], r["visits"], 100)
        for r in rows
        if _as_date(r["m"]) in months
    }


def orders_due_in(first: dt.date, last: dt.date | None = None):
    """Issued orders (no draft, no withdrawn draft) whose final deadline falls in the months
    ``first``…``last`` (Asia/Shanghai), with ``deadline_month``. The 整改按期完成率 and the list
    behind it read this."""
    start = start_of_day(first)
    end = start_of_day(next_month(last or first))
    return (
        RectificationOrder.objects.exclude(state__in=UNSEEN_ORDER_STATES)
        .filter(deadline__gte=start, deadline__lt=end)
        .annotate(deadline_month=TruncMonth("deadline", tzinfo=SHANGHAI))
    )


def rectification_on_time_rate(months, by=("operator",), now=None, **filters) -> dict[tuple, Value]:
    """整改按期完成率 by deadline month: of the orders whose final deadline (after granted
    extensions) fell in the month, those whose report was submitted by the deadline and later
    verified. No report by the deadline: late at once; a report in time still awaiting
    verification: ``pending`` (beside the rate, in neither the numerator nor on time).

    The outcome is ``RectificationOrder.objects.with_deadline_outcome`` (casework); orders whose
    deadline has not passed are not counted yet."""
    if "category" in by or "city" in by:
        raise ValueError("orders belong to an operator: they are not grouped by category or city")
    months = _months(months)
    paths = _paths(by, 2)
    now = now or timezone.now()
    rows = (
        orders_due_in(months[0], months[-1])
        .with_deadline_outcome(now)
        .filter(**_where(2, filters))
        .values(*paths, "deadline_month")
        .annotate(
            on_time=Count("pk", filter=Q(outcome=DeadlineOutcome.ON_TIME)),
            late=Count("pk", filter=Q(outcome=DeadlineOutcome.LATE)),
            pending=Count("pk", filter=Q(outcome=DeadlineOutcome.PENDING)),
        )
        .order_by()
    )
    result = {}
    for r in rows:
        month = _as_date(r["deadline_month"])
        due = r["on_time"] + r["late"] + r["pending"]
        if month in months and due:
            result[(*(r[p] for p in paths), month)] = Value(r["on_time"], due, 100, pending=r["pending"])
    return result


# --- Reporting ---------------------------------------------------------------------------------


def reporting_completeness(months, by=("operator",)) -> dict[tuple, Value]:
    """报送完整率: counted reports / operators expected, in % (one report expected per operator)."""
    return {
        k: Value(counted, expected, 100) for k, (counted, _timely, expected) in _reporting(months, by).items()
    }


def reporting_timeliness(months, by=("operator",)) -> dict[tuple, Value]:
    """按时报送率: counted reports whose first certified version was certified by the due time
    (the period's ``late_after``) / operators expected, in %."""
    return {
        k: Value(timely, expected, 100) for k, (_counted, timely, expected) in _reporting(months, by).items()
    }


def _reporting(months, by) -> dict[tuple, tuple[int, int, int]]:
    from supervision.core.models import Operator, Period

    def compute():
        periods = {p.month: p for p in Period.objects.filter(month__in=_months(months))}
        operators = list(Operator.objects.values_list("code", flat=True))
        states = report_states(months)
        first = {
            (code, month): at
            for code, month, at in MonthlySubmission.objects.filter(
                period__month__in=list(periods), submitted_at__isnull=False
            )
            .values_list("operator__code", "period__month")
            .annotate(first=Min("submitted_at"))
            .order_by()
        }
        cells = {}
        for month, period in periods.items():
            for code in operators:
                counted = states.get((code, month)) == COUNTED
                timely = counted and first[(code, month)] <= period.late_after
                cells[(code, month)] = (int(counted), int(timely))
        return cells

    if tuple(by) not in ((), ("operator",)):
        raise ValueError("reports are counted per operator or for the province")
    tally = defaultdict(lambda: [0, 0, 0])
    for (code, month), (counted, timely) in _once("reporting", months, (), {}, compute).items():
        key = ((code,) if by else ()) + (month,)
        tally[key][0] += counted
        tally[key][1] += timely
        tally[key][2] += 1
    return {k: tuple(v) for k, v in tally.items()}


# --- The table: one name, one unit, one rounding per indicator -----------------------------------


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str  # the one name (English msgid; Chinese in the catalogue: 携出成功率…)
    unit: str
    compute: object
    # Higher is better (success rates) or worse (complaint rates): colours the change.
    higher_is_better: bool
    decimals: int = 1
    # Read from the counted reports (and the ledger, like for like): province figures name the
    # operators left out.
    from_reports: bool = True
    # Has a figure per city (the city table, the city's page): the report figures, the ledger and
    # the visits are per city; rectification orders and the monthly reports themselves belong to
    # an operator, not to a city (DOMAIN.md, "Indicators").
    per_city: bool = True

    def text(self, value: "Value | None") -> str:
        """The figure as every surface prints it: 四舍五入 at this indicator's precision; "—"."""
        return rounding.format_figure(value.value if value is not None else None, self.decimals)

    def change(self, current: "Value | None", previous: "Value | None"):
        """The change (percentage points for rates) from the unrounded values, rounded."""
        if current is None or previous is None:
            return None
        return rounding.change(current.value, previous.value, self.decimals)

    def change_text(self, current, previous) -> str:
        """ "+0.4", "−1.2", "flat"/持平 when it rounds to zero, "—" when it cannot be computed."""
        return rounding.format_change(self.change(current, previous), self.decimals)


INDICATORS = [
    Indicator("port_out_success", _("Port-out success rate"), "%", port_out_success_rate, True),
    Indicator("auth_conversion", _("Authorisation-code conversion"), "%", auth_code_conversion, True),
    Indicator("complaint_rate", _("Complaint rate"), "", complaint_rate, False, 2),
    Indicator(
        "complaints_per_million",
        _("Complaints per million subscribers"),
        "",
        complaints_per_million,
        False,
        2,
    ),
    Indicator("timely_resolution", _("Timely resolution rate"), "%", timely_resolution_rate, True),
    Indicator("net_porting", _("Net porting"), "", net_porting, True, 0),
    Indicator(
        "covert_violation",
        _("Covert-inspection violation rate"),
        "%",
        covert_violation_rate,
        False,
        from_reports=False,
    ),
    Indicator(
        "mystery_violation",
        _("Mystery-shopper violation rate"),
        "%",
        mystery_shopper_violation_rate,
        False,
        from_reports=False,
    ),
    Indicator(
        "rectification_on_time",
        _("Rectification on-time rate"),
        "%",
        rectification_on_time_rate,
        True,
        from_reports=False,
        per_city=False,
    ),
    Indicator(
        "reporting_completeness",
        _("Reporting completeness"),
        "%",
        reporting_completeness,
        True,
        0,
        from_reports=False,
        per_city=False,
    ),
    Indicator(
        "reporting_timeliness",
        _("Reporting timeliness"),
        "%",
        reporting_timeliness,
        True,
        0,
        from_reports=False,
        per_city=False,
    ),
]
INDICATORS_BY_CODE = {i.code: i for i in INDICATORS}
PER_CITY = [i for i in INDICATORS if i.per_city]  # the city table's and the city page's, in order
