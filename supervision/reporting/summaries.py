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

from django.db import connection, transaction
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
def refresh_complaint_counts(
    operator_id: int | None = None,
    months: Iterable[dt.date] | None = None,
    *,
    added: Iterable[tuple] | None = None,
) -> int:
    """Recount the ledger for one operator's months (or everything when nothing is given).

    ``added``: instead of recounting, the complaints just inserted for ``operator_id`` (nothing
    else changed), each as ``(received_on, city_id, category_id, channel, status, resolved_on)``:
    they are added to their cells' counts (``add_complaint_counts``), so that a month sent in
    batches costs each batch its own rows, not the whole month's again.

    Returns the number of monthly count rows written.
    """
    if added is not None:
        return add_complaint_counts(operator_id, added)
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


def _counted(rows: Iterable[tuple]) -> tuple[dict, dict]:
    """New complaints counted per monthly cell and per daily cell, as the GROUP BY above does."""
    per_month = defaultdict(
        lambda: [0, 0, 0]
    )  # (city, category, channel, month) → received, resolved, timely
    per_day = defaultdict(lambda: [0, 0])  # (day, city, category) → received, timely
    window = dt.timedelta(days=TIMELY_DAYS)
    resolved_status = ComplaintStatus.RESOLVED.value
    for received_on, city, category, channel, status, resolved_on in rows:
        resolved = status == resolved_status
        timely = resolved and resolved_on is not None and resolved_on <= received_on + window
        month = per_month[(city, category, channel, month_of(received_on))]
        month[0] += 1
        month[1] += resolved
        month[2] += timely
        day = per_day[(received_on, city, category)]
        day[0] += 1
        day[1] += timely
    return per_month, per_day


def _add(model, keys: list[str], counts: list[str], rows: list[tuple]) -> None:
    """Add ``rows`` (keys then counts) to the table's counts: one upsert, run by ``executemany``.

    ``INSERT … ON CONFLICT (the unique cell) DO UPDATE SET n = n + excluded.n`` (SQLite and
    PostgreSQL): a cell another upload is adding to at the same moment is locked, not lost.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    meta = model._meta
    table = quote(meta.db_table)
    key_columns = [quote(meta.get_field(name).column) for name in keys]
    count_columns = [quote(meta.get_field(name).column) for name in counts]
    columns = [*key_columns, *count_columns]
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET "
        + ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in count_columns)
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@transaction.atomic(savepoint=False)
def add_complaint_counts(operator_id: int, rows: Iterable[tuple]) -> int:
    """Add newly inserted complaints of one operator to the monthly and daily counts.

    ``rows``: ``(received_on, city_id, category_id, channel, status, resolved_on)`` for each
    complaint inserted (none changed). The same counts as ``refresh_complaint_counts`` would
    find by recounting, at the cost of the rows given. Returns the number of monthly cells
    touched.
    """
    per_month, per_day = _counted(rows)
    as_date = connection.ops.adapt_datefield_value
    _add(
        ComplaintMonthly,
        ["operator", "city", "category", "channel", "month"],
        ["received", "resolved", "resolved_timely"],
        [
            (operator_id, city, category, channel, as_date(month), *numbers)
            for (city, category, channel, month), numbers in sorted(per_month.items())
        ],
    )
    _add(
        ComplaintDaily,
        ["operator", "day", "city", "category"],
        ["received", "resolved_timely"],
        [
            (operator_id, as_date(day), city, category, *numbers)
            for (day, city, category), numbers in sorted(per_day.items())
        ],
    )
    return len(per_month)
