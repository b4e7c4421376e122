"""A ledger sent in batches: each batch of new complaints is added to the dashboard's counts
(``summaries.add_complaint_counts``) instead of recounting the month, and the counts are exactly
what a recount of the stored ledger finds."""

import random

import pytest

from supervision.core.models import Operator
from supervision.reporting.ingest.store import check_ledger_file, store_ledger
from supervision.reporting.models import ComplaintDaily, ComplaintMonthly
from supervision.reporting.summaries import refresh_complaint_counts

from .builders import TODAY, ledger_csv, ledger_row

pytestmark = pytest.mark.django_db

CITIES = ["济南市", "青岛市", "淄博市"]
CHANNELS = ["工信部申诉", "客服热线", "营业厅"]


def rows(start, count, seed):
    """Valid rows over September and October: resolved in time, late, or open."""
    rnd = random.Random(seed)
    out = []
    for n in range(start, start + count):
        month, day = rnd.choice([(9, rnd.randint(1, 30)), (10, rnd.randint(1, 31))])
        received = f"2026-{month:02d}-{day:02d}"
        state = rnd.choice(["timely", "late", "open"])
        resolved = {"timely": f"2026-{month:02d}-{day:02d}", "late": "2026-11-20", "open": ""}[state]
        out.append(
            ledger_row(
                n,
                **{
                    "投诉编号": f"CMCC-2026-{n:05d}",
                    "受理日期": received,
                    "地市": rnd.choice(CITIES),
                    "投诉渠道": rnd.choice(CHANNELS),
                    "投诉类别": rnd.choice(["BL1", "BL2"]),
                    "处理状态": "处理中" if state == "open" else "已办结",
                    "办结日期": resolved,
                    "处理结果": "" if state == "open" else "已协助办理携出",
                    "用户满意度": "" if state == "open" else "满意",
                },
            )
        )
    return out


def store(operator, batch):
    result = check_ledger_file(ledger_csv(batch), "台账.csv", operator=operator, today=TODAY)
    assert result.ok, [str(p) for p in result.errors]
    return store_ledger(result, operator=operator, user=None, file_name="台账.csv", sha256="0" * 64)


def counts():
    monthly = sorted(
        ComplaintMonthly.objects.values_list(
            "operator", "city", "category", "channel", "month", "received", "resolved", "resolved_timely"
        )
    )
    daily = sorted(
        ComplaintDaily.objects.values_list(
            "operator", "city", "category", "day", "received", "resolved_timely"
        )
    )
    return monthly, daily


def test_batches_of_new_complaints_add_up_to_the_recount(django_assert_max_num_queries):
    cmcc = Operator.objects.get(code="CMCC")
    store(cmcc, rows(1, 150, seed=1))
    first = counts()
    assert sum(row[5] for row in first[0]) == 150
    # A second batch: its complaints are added in two statements, whatever the month holds.
    result = check_ledger_file(ledger_csv(rows(151, 150, seed=2)), "台账.csv", operator=cmcc, today=TODAY)
    with django_assert_max_num_queries(12) as queries:
        store_ledger(result, operator=cmcc, user=None, file_name="台账.csv", sha256="0" * 64)
    recounts = [q["sql"] for q in queries if "complaintmonthly" in q["sql"].lower() and "DELETE" in q["sql"]]
    assert recounts == []  # no month recounted
    added = counts()
    assert sum(row[5] for row in added[0]) == sum(row[4] for row in added[1]) == 300
    assert any(row[6] > row[7] for row in added[0])  # some resolved late: timely counted apart

    refresh_complaint_counts()
    assert counts() == added


def test_a_batch_that_changes_known_complaints_recounts_its_months():
    cmcc = Operator.objects.get(code="CMCC")
    first = rows(1, 100, seed=3)
    store(cmcc, first)
    # Twenty complaints moved to another city and reopened, five sent again unchanged, ten new:
    # few numbers against many stored, so they are looked up by number.
    moved = [[*row[:2], "威海市", *row[3:7], "处理中", "", "", ""] for row in first[:20]]
    upload = store(cmcc, moved + first[20:25] + rows(101, 10, seed=4))
    assert (upload.rows_added, upload.rows_updated, upload.rows_unchanged) == (10, 20, 5)
    stored = counts()
    assert sum(row[5] for row in stored[0]) == 110

    refresh_complaint_counts()
    assert counts() == stored
