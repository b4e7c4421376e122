"""Complaint spikes: a monthly complaint count far above its own recent history.

The rule, shown as is on the anomalies page:

    A count is a spike when it is at least 3 × the median of the same cell's previous 6 months
    AND exceeds that median by at least 5 complaints.

A cell is one operator × city × category (and, a level up, one operator × city over all
categories). The median rather than the mean, so that one earlier bad month does not hide the
next one; the minimum excess of 5, so that 1 → 3 complaints does not alarm anybody. When the
median is 0 the rule reads "at least 5 complaints".

History: a previous month counts only if the operator's ledger has any complaint that month
(anywhere in the province). A month before an operator started filing its ledger, or one it has
not filed, is left out rather than counted as 0, which would make every later month look high.
In such a month a cell without a count does count as 0: the operator filed and had no complaint
there. A cell with fewer than 6 such months is judged on the months it has; with none, it is not
judged at all (there is nothing to compare with).

Counts come from the ledger's monthly counts (``ComplaintMonthly``), aggregated by the database
in one query for the month and the window before it; the comparison loops over those few
thousand aggregated counts in Python, never over complaints.
"""

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse

from supervision.core.dates import add_months, month_of
from supervision.core.models import City, Operator, ViolationCategory
from supervision.reporting.models import ComplaintMonthly

WINDOW = 6  # previous months compared with
FACTOR = 3  # a spike is at least this many times the median…
MIN_EXCESS = 5  # …and at least this many complaints above it


def ledger_url(**query) -> str:
    """The complaint ledger browser filtered by ``query`` (codes, ``month`` as YYYY-MM)."""
    path = reverse("control:complaints")
    query = {k: v for k, v in query.items() if v}
    return f"{path}?{urlencode(query)}" if query else path


def is_spike(count: int, median: float) -> bool:
    """The rule of this module, on one count and the median of its history."""
    return count >= FACTOR * median and count - median >= MIN_EXCESS


@dataclass(frozen=True)
class Spike:
    """A count well above its history, with the numbers that make it."""

    operator: Operator
    city: City
    category: ViolationCategory | None  # None: all categories together
    month: dt.date
    count: int
    # The previous months, oldest first: (month, count), count None when the operator's ledger
    # has nothing that month (left out of the median).
    previous: tuple[tuple[dt.date, int | None], ...]
    median: float

    @property
    def excess(self) -> float:
        return self.count - self.median

    @property
    def ratio(self) -> float | None:
        """count / median; None when the median is 0 (any count is infinitely many times 0)."""
        return self.count / self.median if self.median else None

    @property
    def history_months(self) -> int:
        return sum(1 for _month, count in self.previous if count is not None)

    @property
    def sort_key(self):
        # Against a median of 0 the ratio is measured against 1, so that 6 complaints out of
        # nowhere do not outrank 40 against a usual 4.
        return (
            -(self.count / max(self.median, 1)),
            -self.excess,
            self.operator.sort_order,
            self.city.sort_order,
        )

    @property
    def url(self) -> str:
        """The complaints behind the count, in the ledger browser."""
        return ledger_url(
            operator=self.operator.code,
            city=self.city.code,
            category=self.category.code if self.category else None,
            month=f"{self.month:%Y-%m}",
        )


def complaint_spikes(
    month: dt.date, *, window: int = WINDOW, operator: str | None = None, city: str | None = None
) -> list[Spike]:
    """The spikes of ``month``, most abnormal first: per operator × city × category, then per
    operator × city over all categories (those have ``category=None``).

    ``operator`` and ``city`` (codes) restrict the cells looked at. Four queries whatever the
    size of the ledger: the counts, and the three reference tables.
    """
    month = month_of(month)
    months = [add_months(month, -k) for k in range(window, 0, -1)]  # oldest first
    counts = ComplaintMonthly.objects.filter(month__gte=months[0], month__lte=month)
    if operator:
        counts = counts.filter(operator__code=operator)
    rows = (
        counts.values("operator_id", "city_id", "category_id", "month").annotate(n=Sum("received")).order_by()
    )
    cells: dict[tuple[int, int, int], dict[dt.date, int]] = defaultdict(dict)
    filed: dict[int, set[dt.date]] = defaultdict(set)  # operator → months its ledger has counts for
    for r in rows:
        filed[r["operator_id"]].add(r["month"])
        cells[(r["operator_id"], r["city_id"], r["category_id"])][r["month"]] = r["n"]

    operators = {o.pk: o for o in Operator.objects.all()}
    cities = {c.pk: c for c in City.objects.all()}
    categories = {c.pk: c for c in ViolationCategory.objects.all()}
    wanted_city = next((c.pk for c in cities.values() if c.code == city), -1) if city else None

    totals: dict[tuple[int, int], dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for (op_id, city_id, _cat), by_month in cells.items():
        for m, n in by_month.items():
            totals[(op_id, city_id)][m] += n

    spikes = []
    for key, by_month in [*cells.items(), *((k + (None,), v) for k, v in totals.items())]:
        op_id, city_id, cat_id = key
        if wanted_city is not None and city_id != wanted_city:
            continue
        count = by_month.get(month, 0)
        if count < MIN_EXCESS:  # cannot be a spike whatever the history: skip the median
            continue
        previous = tuple((m, by_month.get(m, 0) if m in filed[op_id] else None) for m in months)
        history = [n for _m, n in previous if n is not None]
        if not history:
            continue
        median = statistics.median(history)
        if is_spike(count, median):
            spikes.append(
                Spike(
                    operator=operators[op_id],
                    city=cities[city_id],
                    category=categories[cat_id] if cat_id is not None else None,
                    month=month,
                    count=count,
                    previous=previous,
                    median=median,
                )
            )
    spikes.sort(key=lambda s: s.sort_key)
    return spikes
