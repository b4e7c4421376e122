"""Each indicator against figures computed by hand on small known data, edge cases included."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from supervision.analytics import indicators as ind
from supervision.casework.models import InspectionFinding, OrderState, RectificationOrder
from supervision.core.models import City, Operator, Period
from supervision.reporting import submissions
from supervision.reporting.models import CityFigures, ComplaintRecord, SubmissionState
from supervision.reporting.summaries import refresh_complaint_counts
from tests.builders import complaint, report

OCT = dt.date(2026, 10, 1)
SEP = dt.date(2026, 9, 1)
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def pinned_clock():
    """Every 15-day window of October has closed by 2 December."""
    with time_machine.travel(dt.datetime(2026, 12, 2, 10, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def october(db):
    report("CMCC", "2026-10", {
        "370100": {"auth_code_requests": 1000, "port_out_applications": 800, "port_out_completed": 760, "port_in_completed": 500, "subscribers_10k": 300},
        "370200": {"auth_code_requests": 500, "port_out_applications": 200, "port_out_completed": 140, "port_in_completed": 600, "subscribers_10k": 200},
    })  # fmt: skip
    report(
        "CUCC",
        "2026-10",
        {"370100": {"auth_code_requests": 0, "port_out_applications": 0, "port_out_completed": 0}},
    )
    ComplaintRecord.objects.bulk_create([
        complaint("CMCC", "A1", dt.date(2026, 10, 1), resolved=dt.date(2026, 10, 16)),  # 15 days: timely
        complaint("CMCC", "A2", dt.date(2026, 10, 2), resolved=dt.date(2026, 10, 18)),  # 16 days: late
        complaint("CMCC", "A3", dt.date(2026, 10, 31), city="370200", category="SVC"),  # open
        complaint("CMCC", "A4", dt.date(2026, 9, 30)),  # September
        complaint("CUCC", "B1", dt.date(2026, 10, 5)),
    ])  # fmt: skip
    refresh_complaint_counts()


def test_port_out_success_rate(october):
    values = ind.port_out_success_rate([OCT])
    assert values[("CMCC", OCT)].value == Decimal(760 + 140) / (800 + 200) * 100  # 90.0
    assert ind.port_out_success_rate([OCT], ("operator", "city"))[("CMCC", "370200", OCT)].value == 70


def test_no_applications_gives_no_rate_rather_than_zero(october):
    assert ind.port_out_success_rate([OCT])[("CUCC", OCT)].value is None
    # CUCC has a counted report with no applications: its complaint rate is undefined, not 0.
    assert ind.complaint_rate([OCT])[("CUCC", OCT)].value is None


def test_no_report_for_the_month_gives_no_figure(october):
    assert ("CTCC", OCT) not in ind.port_out_success_rate([OCT])
    assert ("CMCC", SEP) not in ind.port_out_success_rate([OCT, SEP])


def test_auth_code_conversion(october):
    assert float(ind.auth_code_conversion([OCT])[("CMCC", OCT)].value) == pytest.approx(1000 / 1500 * 100)


def test_complaint_rate_per_ten_thousand_applications(october):
    # Three CMCC complaints received in October over 1,000 port-out applications.
    assert ind.complaint_rate([OCT])[("CMCC", OCT)].value == 30
    assert ind.complaints([OCT])[("CMCC", OCT)].value == 3
    assert ind.complaints([SEP])[("CMCC", SEP)].value == 1


def test_timely_resolution_counts_fifteen_days_inclusive_and_open_ones_as_late(october):
    # A1 resolved on day 15 (timely), A2 on day 16 (late), A3 still open after its window (late).
    value = ind.timely_resolution_rate([OCT])[("CMCC", OCT)]
    assert (value.numerator, value.denominator) == (1, 3)


def test_timely_resolution_leaves_out_complaints_whose_window_is_open(october):
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, tzinfo=SHANGHAI), tick=False):
        # On 10 November only the complaints received before 26 October are due: A1 and A2.
        value = ind.timely_resolution_rate([OCT])[("CMCC", OCT)]
    assert (value.numerator, value.denominator) == (1, 2)


def test_complaints_per_million_subscribers(october):
    # 3 complaints, 500 × 10,000 subscribers = 5 million.
    assert ind.complaints_per_million([OCT])[("CMCC", OCT)].value == Decimal("0.6")


def test_net_porting(october):
    assert ind.net_porting([OCT])[("CMCC", OCT)].value == (500 + 600) - (760 + 140)


def test_province_sums_every_operator(october):
    assert ind.complaints([OCT], ())[(OCT,)].value == 4
    assert ind.port_out_success_rate([OCT], ())[(OCT,)].value == 90


def test_superseded_and_uncertified_versions_do_not_count(october):
    cmcc = Operator.objects.get(code="CMCC")
    period = Period.objects.from_label("2026-10")
    draft = submissions.create_version(cmcc, period)
    CityFigures.objects.create(
        submission=draft, city=City.objects.get(code="370300"), auth_code_requests=1, port_out_applications=999_999,
        port_out_completed=0, port_out_failed=0, port_in_applications=0, port_in_completed=0, complaints_received=0,
        complaints_resolved=0,
    )  # fmt: skip
    assert ind.port_out_success_rate([OCT])[("CMCC", OCT)].value == 90


def test_mystery_shopper_violation_rate(db):
    cmcc = Operator.objects.get(code="CMCC")
    jinan = City.objects.get(code="370100")
    common = {
        "operator": cmcc,
        "city": jinan,
        "channel": "STORE",
        "scenario": "咨询携转",
        "agency": "测评中心",
    }
    InspectionFinding.objects.bulk_create([
        InspectionFinding(visit_date=dt.date(2026, 10, 3), method="MYSTERY_SHOPPER", violation=True, **common),
        InspectionFinding(visit_date=dt.date(2026, 10, 9), method="MYSTERY_SHOPPER", violation=False, **common),
        InspectionFinding(visit_date=dt.date(2026, 10, 9), method="MYSTERY_SHOPPER", violation=False, **common),
        InspectionFinding(visit_date=dt.date(2026, 10, 9), method="OPEN", violation=True, **common),
    ])  # fmt: skip
    assert float(ind.mystery_shopper_violation_rate([OCT])[("CMCC", OCT)].value) == pytest.approx(100 / 3)
    assert ind.covert_violation_rate([OCT]) == {}  # a separate indicator: no covert visit
    assert ind.inspection_violation_rate([OCT])[("CMCC", OCT)].value == 50


def test_rectification_on_time_rate(db):
    cmcc = Operator.objects.get(code="CMCC")
    deadline = dt.datetime(2026, 10, 15, 23, 59, tzinfo=SHANGHAI)
    common = {
        "operator": cmcc,
        "title": "整改",
        "requirements": "…",
        "severity": "MAJOR",
        "deadline": deadline,
    }
    RectificationOrder.objects.bulk_create([
        RectificationOrder(state=OrderState.VERIFIED, closed_at=deadline - dt.timedelta(days=1), **common),
        RectificationOrder(state=OrderState.ISSUED, **common),  # no report by the deadline: late
        RectificationOrder(state=OrderState.DRAFT, **common),  # never issued: not counted
    ])  # fmt: skip
    value = ind.rectification_on_time_rate([OCT])[("CMCC", OCT)]
    # The verified order has no report in time recorded (bulk data): late too.
    assert (value.numerator, value.denominator, value.pending) == (0, 2, 0)


def test_reporting_completeness_and_a_late_report(db):
    report("CMCC", "2026-10", {"370100": {}})
    report("CUCC", "2026-10", {"370100": {}}, at=dt.datetime(2026, 11, 2, 9, tzinfo=SHANGHAI))
    report("CTCC", "2026-10", {"370100": {}}, state=SubmissionState.RETURNED)
    completeness = ind.reporting_completeness([OCT])
    timeliness = ind.reporting_timeliness([OCT])
    # CTCC's report was returned: it counts nowhere, not as received, not as on time.
    assert [completeness[(code, OCT)].value for code in ("CMCC", "CUCC", "CTCC", "CBN")] == [100, 100, 0, 0]
    assert [timeliness[(code, OCT)].value for code in ("CMCC", "CUCC", "CTCC", "CBN")] == [100, 0, 0, 0]
    assert ind.reporting_completeness([OCT], ())[(OCT,)].value == 50


def test_indicator_queries_do_not_grow_with_the_ledger(october, django_assert_max_num_queries):
    ComplaintRecord.objects.bulk_create(
        complaint("CMCC", f"X{n}", dt.date(2026, 10, 1 + n % 28), resolved=dt.date(2026, 10, 28))
        for n in range(2000)
    )
    refresh_complaint_counts()
    # Three queries (the counted reports, the ledger's monthly counts and the report figures),
    # whatever the ledger holds.
    with django_assert_max_num_queries(3):
        assert ind.complaint_rate([OCT])[("CMCC", OCT)].numerator == 2003


def test_shared_sums_query_each_sum_once_and_change_no_figure(october, django_assert_num_queries):
    apart = {
        i.code: (i.compute([OCT, SEP], ("operator",)), i.compute([OCT, SEP], ())) for i in ind.INDICATORS
    }
    # The counted reports, the ledger's counts, the report sums.
    with ind.shared_sums(), django_assert_num_queries(3):
        rates = ind.complaint_rate([OCT, SEP])
        timely = ind.timely_resolution_rate([SEP, OCT])  # the same months, in another order
        success = ind.port_out_success_rate([OCT, SEP])
        conversion = ind.auth_code_conversion([OCT, SEP])
    assert (rates, timely) == (apart["complaint_rate"][0], apart["timely_resolution"][0])
    assert (success, conversion) == (apart["port_out_success"][0], apart["auth_conversion"][0])
    with ind.shared_sums():
        together = {
            i.code: (i.compute([OCT, SEP], ("operator",)), i.compute([OCT, SEP], ())) for i in ind.INDICATORS
        }
        assert ind.complaints([OCT], ("operator",), operator="CUCC") != ind.complaints([OCT], ("operator",))
    assert together == apart
    with django_assert_num_queries(3):  # outside the block nothing is kept
        ind.complaint_rate([OCT, SEP])


def test_complaints_without_a_report_give_no_rate(db):
    ComplaintRecord.objects.bulk_create([complaint("CTCC", "C1", dt.date(2026, 10, 4))])
    refresh_complaint_counts()
    assert ind.complaints([OCT])[("CTCC", OCT)].value == 1
    assert ("CTCC", OCT) not in ind.complaint_rate([OCT])
    assert ("CTCC", OCT) not in ind.complaints_per_million([OCT])
    assert ("CTCC", OCT) not in ind.timely_resolution_rate([OCT])
