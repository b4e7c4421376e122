"""The 15日办结率 from the ledger's counts equals its definition on the ledger's rows.

The indicator never reads the complaints themselves: a month whose 15-day windows have all
closed reads the monthly counts, a month whose windows are still closing sums the daily counts
(``ComplaintDaily``) of the days whose windows have. Here both are checked, at pinned dates on
either side of the windows, against the definition in DOMAIN.md computed straight from the rows
(the rows the figure's drill-down lists: ``due_q`` and ``late_q``).
"""

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supervision.analytics import indicators as ind
from supervision.core.models import Operator
from supervision.reporting.models import ComplaintDaily, ComplaintMonthly, ComplaintRecord, SubmissionState
from supervision.reporting.summaries import refresh_complaint_counts
from tests.builders import complaint, report

OCT = dt.date(2026, 10, 1)
NOV = dt.date(2026, 11, 1)
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
GROUPINGS = [(), ("operator",), ("city",), ("operator", "city"), ("category",), ("operator", "category")]
# The windows of the complaints received before ``today − 15 days`` have closed. 1 November: those
# of 1–16 October; 10 November: 1–25 October; 15 November: all but 31 October's; 16 November:
# every one of October (settled: the monthly counts); 20 November and 1 December: November's
# first days too.
INSTANTS = [dt.date(2026, 11, 1), dt.date(2026, 11, 10), dt.date(2026, 11, 15), dt.date(2026, 11, 16),
            dt.date(2026, 11, 20), dt.date(2026, 12, 1)]  # fmt: skip


@pytest.fixture
def ledger(db):
    """October and November: CMCC and CUCC counted, CTCC's report returned (left out), CBN none."""
    for code in ("CMCC", "CUCC", "CTCC"):
        for label in ("2026-10", "2026-11"):
            state = SubmissionState.RETURNED if code == "CTCC" else None
            report(code, label, {"370100": {"port_out_applications": 100}}, state=state)
    day = dt.timedelta(days=1)
    rows = []
    for code in ("CMCC", "CUCC", "CTCC", "CBN"):
        for n, received in enumerate(
            [OCT, OCT + 4 * day, OCT + 9 * day, OCT + 24 * day, OCT + 30 * day, NOV, NOV + 2 * day]
        ):
            city, category = ("370100", "BL1") if n % 2 else ("370700", "SVC")
            rows += [
                complaint(code, f"{code}-{n}-open", received, city, category),  # late once its window closes
                complaint(code, f"{code}-{n}-day15", received, city, category, resolved=received + 15 * day),
                complaint(
                    code, f"{code}-{n}-day16", received, "370200", category, resolved=received + 16 * day
                ),
                complaint(code, f"{code}-{n}-same", received, city, "BL2", resolved=received),
            ]
        # One more, timely, on 25 October: the rates are not all one half.
        rows.append(
            complaint(code, f"{code}-extra", OCT + 24 * day, "370700", "BL3", resolved=OCT + 30 * day)
        )
    ComplaintRecord.objects.bulk_create(rows)  # fmt: skip
    refresh_complaint_counts()


def from_rows(months, by, today):
    """The definition on the ledger's rows: of the counted operators' complaints received in the
    month whose window has closed, those resolved within it; the others (open ones too) are late."""
    counted = ind.counted_reports(months)
    paths = [ind.DIMENSIONS[d][1] for d in by]
    tally = {}
    due = ComplaintRecord.objects.filter(ind.due_q(today)).select_related("operator", "city", "category")
    late = set(ComplaintRecord.objects.filter(ind.late_q(today)).values_list("pk", flat=True))
    for row in due:
        month = row.received_on.replace(day=1)
        if month not in months or (row.operator.code, month) not in counted:
            continue
        key = (*(_path(row, p) for p in paths), month)
        timely, total = tally.get(key, (0, 0))
        tally[key] = (timely + (row.pk not in late), total + 1)
    return {k: (timely, total) for k, (timely, total) in tally.items()}


def _path(row, path):
    relation, field = path.split("__")
    return getattr(getattr(row, relation), field)


def as_pairs(values):
    return {k: (v.numerator, v.denominator) for k, v in values.items()}


@pytest.mark.parametrize("today", INSTANTS, ids=str)
def test_the_counts_give_the_rows_definition(ledger, today):
    instant = dt.datetime.combine(today, dt.time(10), SHANGHAI)
    with time_machine.travel(instant, tick=False):
        for by in GROUPINGS:
            with CaptureQueriesContext(connection) as queries:
                figures = ind.timely_resolution_rate([OCT, NOV], by)
            assert as_pairs(figures) == from_rows([OCT, NOV], by, today), by
            assert not [q for q in queries if 'FROM "reporting_complaintrecord"' in q["sql"]], by
        # A filter (an operator's or a city's page) gives the same as the grouping's cell.
        cmcc = ind.timely_resolution_rate([OCT, NOV], ("operator",), operator="CMCC")
        assert as_pairs(cmcc) == {
            k: v for k, v in from_rows([OCT, NOV], ("operator",), today).items() if k[0] == "CMCC"
        }


def test_an_open_complaint_past_its_window_is_late_and_counted_once_resolved(ledger):
    """10 November: October's complaints of 1–25 October are due. CMCC's: 4 days × 4 complaints
    and one more on the 25th, of which the one resolved the same day, the one on day 15 and the
    extra one are timely, the open one and the one resolved on day 16 late."""
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, tzinfo=SHANGHAI), tick=False):
        value = ind.timely_resolution_rate([OCT])[("CMCC", OCT)]
        assert (value.numerator, value.denominator) == (9, 17)
        # The open complaints are resolved on time after all and re-uploaded: the upload's
        # refresh recounts CMCC's October (its daily counts too), and the figure follows.
        ComplaintRecord.objects.filter(operator__code="CMCC", complaint_no__endswith="-open", received_on__lt=NOV).update(
            status="RESOLVED", resolved_on=dt.date(2026, 11, 5)
        )  # fmt: skip
        refresh_complaint_counts(Operator.objects.get(code="CMCC").pk, [OCT])
        value = ind.timely_resolution_rate([OCT])[("CMCC", OCT)]
        # Received 1, 5 and 10 October: resolved on 5 November, more than 15 days later (late);
        # 25 October: 11 days (timely).
        assert (value.numerator, value.denominator) == (10, 17)
        assert as_pairs(ind.timely_resolution_rate([OCT], ())) == from_rows([OCT], (), dt.date(2026, 11, 10))


def test_the_migration_counts_the_stored_ledger_as_the_refresh_does(ledger):
    refreshed = set(
        ComplaintDaily.objects.values_list(
            "operator", "city", "category", "day", "received", "resolved_timely"
        )
    )
    assert sum(row[4] for row in refreshed) == ComplaintRecord.objects.count()
    ComplaintDaily.objects.all().delete()
    migration = importlib.import_module("supervision.reporting.migrations.0007_complaint_daily_counts")
    from django.apps import apps

    migration.count_days(apps, SimpleNamespace(connection=connection))
    migrated = set(
        ComplaintDaily.objects.values_list(
            "operator", "city", "category", "day", "received", "resolved_timely"
        )
    )
    assert migrated == refreshed
    # The daily counts add up to the monthly ones.
    monthly = sum(ComplaintMonthly.objects.values_list("resolved_timely", flat=True))
    assert sum(row[5] for row in migrated) == monthly


def ledger_days(operator):
    """``{day: (received, resolved within 15 days)}`` of ``operator``'s complaints, from the rows."""
    days = {}
    for row in ComplaintRecord.objects.filter(operator=operator):
        timely = row.status == "RESOLVED" and row.resolved_on <= row.received_on + dt.timedelta(days=15)
        received, resolved = days.get(row.received_on, (0, 0))
        days[row.received_on] = (received + 1, resolved + timely)
    return days


def summed_days(operator):
    days = {}
    for row in ComplaintDaily.objects.filter(operator=operator):
        received, resolved = days.get(row.day, (0, 0))
        days[row.day] = (received + row.received, resolved + row.resolved_timely)
    return days


def test_an_upload_recounts_the_days_it_touches(db):
    from supervision.reporting.ingest.store import check_ledger_file, store_ledger
    from tests.reporting.builders import TODAY, ledger_csv, ledger_row

    cmcc = Operator.objects.get(code="CMCC")

    def upload(rows, sha):
        result = check_ledger_file(ledger_csv(rows), "台账.csv", operator=cmcc, today=TODAY)
        assert result.ok, [str(p) for p in result.errors]
        store_ledger(result, operator=cmcc, user=None, file_name="台账.csv", sha256=sha)

    still_open = {"处理状态": "处理中", "办结日期": "", "处理结果": ""}
    upload([ledger_row(n, 受理日期=f"2026-10-{n:02d}", **still_open) for n in range(1, 6)], "0" * 64)
    assert summed_days(cmcc) == ledger_days(cmcc) == {dt.date(2026, 10, n): (1, 0) for n in range(1, 6)}
    # Resolved (two in time, one late), one received date moved back into September.
    upload(
        [
            ledger_row(1, 受理日期="2026-10-01", 办结日期="2026-10-16"),
            ledger_row(2, 受理日期="2026-10-02", 办结日期="2026-10-18"),
            ledger_row(3, 受理日期="2026-10-03", 办结日期="2026-10-03"),
            ledger_row(4, 受理日期="2026-09-30", **still_open),
        ],
        "1" * 64,
    )
    assert summed_days(cmcc) == ledger_days(cmcc)
    assert summed_days(cmcc)[dt.date(2026, 9, 30)] == (1, 0)
    assert dt.date(2026, 10, 4) not in summed_days(cmcc)
    assert sum(timely for _received, timely in summed_days(cmcc).values()) == 2
