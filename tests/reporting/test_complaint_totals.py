"""The monthly totals (operator × category × month) the database keeps from the monthly counts.

Whoever writes ``ComplaintMonthly`` (an upload's recount, an upload's added counts, a test's
``bulk_create``, an update, a delete), ``ComplaintMonthlyTotal`` is the same counts summed over
cities and channels, a total existing exactly where monthly counts do; and the figures read from
the totals are those read from the monthly counts.
"""

import datetime as dt
import random

import pytest
from django.db import connection
from django.db.models import Count, Sum

from supervision.analytics import indicators
from supervision.core.models import City, Operator, ViolationCategory
from supervision.reporting.models import ComplaintMonthly, ComplaintMonthlyTotal
from supervision.reporting.summaries import add_complaint_counts, refresh_complaint_counts
from tests.control.test_lists import make_complaints

pytestmark = pytest.mark.django_db

SEP, OCT, NOV = dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)


def summed() -> dict:
    """The monthly counts summed by operator, category and month, as the totals should be."""
    rows = (
        ComplaintMonthly.objects.values("operator_id", "category_id", "month")
        .annotate(cells=Count("pk"), r=Sum("received"), d=Sum("resolved"), t=Sum("resolved_timely"))
        .order_by()
    )
    return {
        (x["operator_id"], x["category_id"], x["month"]): (x["cells"], x["r"], x["d"], x["t"]) for x in rows
    }


def totals() -> dict:
    return {
        (x.operator_id, x.category_id, x.month): (x.cells, x.received, x.resolved, x.resolved_timely)
        for x in ComplaintMonthlyTotal.objects.all()
    }


def cell(operator, city, category, channel, month, received, resolved=0, timely=0):
    return ComplaintMonthly(
        operator=Operator.objects.get(code=operator),
        city=City.objects.get(code=city),
        category=ViolationCategory.objects.get(code=category),
        channel=channel,
        month=month,
        received=received,
        resolved=resolved,
        resolved_timely=timely,
    )


def test_inserted_cells_are_added_to_their_totals():
    ComplaintMonthly.objects.bulk_create([
        cell("CMCC", "370100", "BL1", "HOTLINE", OCT, 4, 3, 2),
        cell("CMCC", "370200", "BL1", "MIIT", OCT, 5, 5, 4),  # another city and channel: same total
        cell("CMCC", "370100", "SVC", "HOTLINE", OCT, 1),
        cell("CUCC", "370100", "BL1", "HOTLINE", OCT, 2),
    ])  # fmt: skip
    cell("CMCC", "370700", "BL1", "STORE", OCT, 1, 1, 1).save()
    cmcc = Operator.objects.get(code="CMCC")
    bl1 = ViolationCategory.objects.get(code="BL1")
    assert totals()[(cmcc.pk, bl1.pk, OCT)] == (3, 10, 9, 7)
    assert totals() == summed()
    assert ComplaintMonthlyTotal.objects.count() == 3


def test_changed_cells_move_their_counts_and_a_total_goes_with_its_last_cell():
    a = cell("CMCC", "370100", "BL1", "HOTLINE", OCT, 4, 3, 2)
    b = cell("CMCC", "370200", "BL1", "MIIT", OCT, 5, 5, 4)
    ComplaintMonthly.objects.bulk_create([a, b])
    a = ComplaintMonthly.objects.get(city__code="370100")
    a.received, a.resolved = 7, 6
    a.save()
    assert totals() == summed()
    # A cell moved to another month and category (an update of its key): both totals follow.
    ComplaintMonthly.objects.filter(pk=a.pk).update(
        month=SEP, category=ViolationCategory.objects.get(code="BL2")
    )
    assert totals() == summed()
    assert len(totals()) == 2
    ComplaintMonthly.objects.filter(pk=a.pk).delete()
    assert totals() == summed()
    assert len(totals()) == 1  # no total of zero cells: a month without counts has no total
    ComplaintMonthly.objects.all().delete()
    assert totals() == {}


def test_an_uploads_recount_and_its_added_counts_keep_the_totals():
    make_complaints(
        [{"operator": "CUCC", "received_on": dt.date(2026, 10, d), "category": c, "channel": ch}
         for d in (1, 2, 30) for c in ("BL1", "BL2", "SVC") for ch in ("MIIT", "HOTLINE")]
        + [{"operator": "CMCC", "received_on": dt.date(2026, 11, 3), "status": "RESOLVED",
            "resolved_on": dt.date(2026, 11, 10)}]
    )  # fmt: skip
    refresh_complaint_counts()
    assert totals() == summed() and len(totals()) == 4
    cucc = Operator.objects.get(code="CUCC")
    refresh_complaint_counts(cucc.pk, [OCT])  # recount one operator's month: delete and insert
    assert totals() == summed()
    city = City.objects.get(code="370200").pk
    bl1 = ViolationCategory.objects.get(code="BL1").pk
    add_complaint_counts(cucc.pk, [
        (dt.date(2026, 10, 5), city, bl1, "MIIT", "RESOLVED", dt.date(2026, 10, 9)),
        (dt.date(2026, 11, 5), city, bl1, "STORE", "OPEN", None),
    ])  # fmt: skip
    assert totals() == summed() and len(totals()) == 5


def test_the_totals_follow_any_sequence_of_writes():
    rng = random.Random(7)
    operators = list(Operator.objects.values_list("code", flat=True))
    cities = list(City.objects.values_list("code", flat=True))[:4]
    categories = list(ViolationCategory.objects.values_list("code", flat=True))[:3]
    for step in range(120):
        kind = rng.random()
        existing = list(ComplaintMonthly.objects.values_list("pk", flat=True))
        if kind < 0.5 or not existing:
            key = (
                rng.choice(operators),
                rng.choice(cities),
                rng.choice(categories),
                rng.choice(["MIIT", "STORE"]),
            )
            month = rng.choice([SEP, OCT, NOV])
            if not ComplaintMonthly.objects.filter(
                operator__code=key[0], city__code=key[1], category__code=key[2], channel=key[3], month=month
            ).exists():
                received = rng.randint(1, 50)
                cell(*key, month, received, rng.randint(0, received), 0).save()
        elif kind < 0.8:
            ComplaintMonthly.objects.filter(pk=rng.choice(existing)).update(received=rng.randint(1, 99))
        else:
            ComplaintMonthly.objects.filter(pk=rng.choice(existing)).delete()
        if step % 20 == 0:
            assert totals() == summed(), step
    assert totals() == summed()


def test_figures_by_operator_or_category_read_the_totals_and_equal_the_monthly_counts(monkeypatch):
    ComplaintMonthly.objects.bulk_create([
        cell(op, city, cat, ch, month, n)
        for n, (op, city, cat, ch, month) in enumerate(
            [(op, city, cat, ch, month) for op in ("CMCC", "CUCC") for city in ("370100", "370700")
             for cat in ("BL1", "SVC") for ch in ("MIIT", "STORE") for month in (SEP, OCT)], start=1)
    ])  # fmt: skip
    months = [SEP, OCT, NOV]
    asked = [((), {}), (("operator",), {}), (("category",), {}), (("operator", "category"), {}),
             (("operator",), {"category": "BL1"}), (("category",), {"operator": "CUCC"})]  # fmt: skip
    from_totals = [indicators.complaint_sums(months, by, False, **f) for by, f in asked]
    monkeypatch.setattr(indicators, "_TOTALS_DIMENSIONS", set())  # the monthly counts, as before
    from_cells = [indicators.complaint_sums(months, by, False, **f) for by, f in asked]
    assert from_totals == from_cells
    assert from_totals[1][("CUCC", OCT)]["received"] == sum(range(18, 33, 2))  # its October cells


def test_the_triggers_are_there():
    """A migration that rebuilds ComplaintMonthly (SQLite rebuilds a table to alter it, dropping its
    triggers) must create them again: this fails until it does."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'reporting_complaintmonthly'"
            )
            assert {r[0] for r in cursor.fetchall()} == {
                "complaint_total_insert",
                "complaint_total_delete",
                "complaint_total_update",
            }
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'reporting_complaintmonthly'::regclass AND NOT tgisinternal"
            )
            assert {r[0] for r in cursor.fetchall()} == {"complaint_total"}
