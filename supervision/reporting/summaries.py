"""The counts the dashboard reads, refreshed when data arrives.

A ledger upload touches one operator and a few months; refreshing recounts exactly those
(operator, month) cells with one GROUP BY, so the cost follows the upload, not the ledger's size.
The same GROUP BY fills both summaries: the monthly counts (``ComplaintMonthly``, per channel)
and the daily counts (``ComplaintDaily``) that the 15日办结率 of a month whose 15-day windows
are still closing sums.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, Q

from supervision.core.dates import month_of, next_month

from .models import ComplaintDaily, ComplaintMonthly, ComplaintRecord, ComplaintStatus

TIMELY_DAYS = 15


def _in_months(field: str, months: list[dt.date]) -> Q:
    """``field`` in one of ``months``: date ranges, which the indexes on ``field`` serve."""
    condition = Q()
    for month in months:
        condition |= Q(**{f"{field}__gte": month, f"{field}__lt": next_month(month)})
    return condition


# Inside an upload's transaction no savepoint of its own: a failure undoes the whole upload.
@transaction.atomic(savepoint=False)
def refresh_complaint_counts(operator_id: int | None = None, months: Iterable[dt.date] | None = None) -> int:
    """Recount the ledger for one operator's months (or everything when nothing is given).

    Returns the number of monthly count rows written.
    """
    records = ComplaintRecord.objects.all()
    counts = ComplaintMonthly.objects.all()
    daily = ComplaintDaily.objects.all()
    if operator_id is not None:
        records = records.filter(operator_id=operator_id)
        counts = counts.filter(operator_id=operator_id)
        daily = daily.filter(operator_id=operator_id)
    if months is not None:
        months = sorted({month_of(m) for m in months})
        if not months:
            return 0
        records = records.filter(_in_months("received_on", months))
        counts = counts.filter(month__in=months)
        daily = daily.filter(_in_months("day", months))
    counts.delete()
    daily.delete()
    rows = (
        records.values("operator_id", "city_id", "category_id", "channel", "received_on")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(status=ComplaintStatus.RESOLVED)),
            timely=Count(
                "pk",
                filter=Q(
                    status=ComplaintStatus.RESOLVED,
                    resolved_on__lte=F("received_on") + dt.timedelta(days=TIMELY_DAYS),
                ),
            ),
        )
        .order_by()
    )
    # Keyed in the order of each table's unique index, and inserted in that order: the indexes
    # are written from left to right, densely.
    per_month = defaultdict(lambda: [0, 0, 0])  # (cell, channel, month) → received, resolved, timely
    per_day = defaultdict(lambda: [0, 0])  # (operator, day, city, category) → received, timely
    for r in rows.iterator(chunk_size=5000):
        cell = (r["operator_id"], r["city_id"], r["category_id"])
        month = per_month[(*cell, r["channel"], month_of(r["received_on"]))]
        month[0] += r["n"]
        month[1] += r["done"]
        month[2] += r["timely"]
        day = per_day[(cell[0], r["received_on"], *cell[1:])]
        day[0] += r["n"]
        day[1] += r["timely"]
    ComplaintMonthly.objects.bulk_create(
        (
            ComplaintMonthly(
                operator_id=operator,
                city_id=city,
                category_id=category,
                channel=channel,
                month=month,
                received=received,
                resolved=resolved,
                resolved_timely=timely,
            )
            for (operator, city, category, channel, month), (received, resolved, timely) in sorted(
                per_month.items()
            )
        ),
        batch_size=5000,
    )
    ComplaintDaily.objects.bulk_create(
        (
            ComplaintDaily(
                operator_id=operator,
                city_id=city,
                category_id=category,
                day=day,
                received=received,
                resolved_timely=timely,
            )
            for (operator, day, city, category), (received, timely) in sorted(per_day.items())
        ),
        batch_size=5000,
    )
    return len(per_month)
