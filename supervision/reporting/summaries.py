"""The counts the dashboard reads, refreshed when data arrives.

A ledger upload touches one operator and a few months; refreshing recounts exactly those
(operator, month) cells with one GROUP BY, so the cost follows the upload, not the ledger's size.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from .models import ComplaintMonthly, ComplaintRecord, ComplaintStatus

TIMELY_DAYS = 15


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


@transaction.atomic
def refresh_complaint_counts(operator_id: int | None = None, months: Iterable[dt.date] | None = None) -> int:
    """Recount the ledger for one operator's months (or everything when nothing is given).

    Returns the number of count rows written.
    """
    records = ComplaintRecord.objects.all()
    counts = ComplaintMonthly.objects.all()
    if operator_id is not None:
        records = records.filter(operator_id=operator_id)
        counts = counts.filter(operator_id=operator_id)
    if months is not None:
        months = sorted({_month(m) for m in months})
        if not months:
            return 0
        month_filter = Q()
        for month in months:
            month_filter |= Q(received_on__year=month.year, received_on__month=month.month)
        records = records.filter(month_filter)
        counts = counts.filter(month__in=months)
    counts.delete()
    rows = (
        records.annotate(m=TruncMonth("received_on"))
        .values("operator_id", "city_id", "category_id", "channel", "m")
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
    objects = [
        ComplaintMonthly(
            operator_id=r["operator_id"],
            city_id=r["city_id"],
            category_id=r["category_id"],
            channel=r["channel"],
            month=r["m"],
            received=r["n"],
            resolved=r["done"],
            resolved_timely=r["timely"],
        )
        for r in rows.iterator(chunk_size=5000)
    ]
    ComplaintMonthly.objects.bulk_create(objects, batch_size=5000)
    return len(objects)
