"""The administration's home page: indicator cards with their changes, each linking to its rows."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from supervision.analytics.cards import drilldown_url, indicator_cards
from supervision.core.dates import add_months
from supervision.core.models import City, Operator, ViolationCategory
from supervision.reporting.models import ComplaintRecord, MonthlySubmission
from supervision.reporting.summaries import refresh_complaint_counts
from tests.builders import reference_id, report

from .test_anomalies import counts
from .test_profiles import NOW as PROFILE_NOW
from .test_profiles import casework

# Runs at each of make test-dates' instants: the month shown and its changes follow from the date.
pytestmark = pytest.mark.dates

OCT = dt.date(2026, 10, 1)


def complaints(code, month, n, start=0):
    ComplaintRecord.objects.bulk_create(
        ComplaintRecord(
            operator_id=reference_id(Operator, code),
            complaint_no=f"{code}-{month:%Y%m}-{start + i}",
            received_on=month,
            city_id=reference_id(City, "370700"),
            channel="MIIT",
            category_id=reference_id(ViolationCategory, "BL1"),
            summary="…",
            status="OPEN",
        )  # fmt: skip
        for i in range(n)
    )
    refresh_complaint_counts()


@pytest.fixture
def three_months(db):
    for label, applications in (("2025-10", 1000), ("2026-09", 1000), ("2026-10", 2000)):
        report("CUCC", label, {"370700": {"auth_code_requests": 2 * applications, "port_out_applications": applications, "port_out_completed": applications // 2}})  # fmt: skip
    complaints("CUCC", dt.date(2025, 10, 1), 5)
    complaints("CUCC", dt.date(2026, 9, 1), 10)
    complaints("CUCC", dt.date(2026, 10, 1), 40)


def test_cards_show_the_month_and_its_changes(three_months):
    _operators, rows = indicator_cards(OCT)
    rate = dict(rows)[next(i for i, _ in rows if i.code == "complaint_rate")]
    cucc = next(card for card in rate if card.operator and card.operator.code == "CUCC")
    assert cucc.value == 200  # 40 per 2,000 applications × 10,000, exact
    assert (cucc.text, cucc.change_month_text, cucc.change_year_text) == ("200.00", "+100.00", "+150.00")
    assert cucc.tone_month == "bad"  # more complaints is worse
    assert cucc.url == reverse("control:complaints") + "?operator=CUCC&month=2026-10"


def test_success_rate_card_links_to_the_operators_report_and_the_province_to_the_city_table(three_months):
    report = MonthlySubmission.objects.counted().get(operator__code="CUCC", period__month=OCT)
    assert drilldown_url("port_out_success", "CUCC", OCT) == reverse("control:submission", args=[report.pk])
    assert (
        drilldown_url("port_out_success", None, OCT)
        == reverse("control:city_matrix") + "?indicator=port_out_success&month=2026-10"
    )


def test_home_page_shows_cards_and_links(client, regulator, three_months):
    client.force_login(regulator)
    page = client.get(reverse("control:home") + "?month=2026-10", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Complaint rate" in page
    assert "200.00" in page
    assert "?operator=CUCC&amp;month=2026-10" in page


def test_home_page_defaults_to_the_last_complete_month(client, regulator, db):
    client.force_login(regulator)
    response = client.get(reverse("control:home"))
    last_month = add_months(timezone.localdate().replace(day=1), -1)
    assert response.context["period"].label == f"{last_month:%Y-%m}"


def test_an_impossible_month_is_a_400(client, regulator, db):
    client.force_login(regulator)
    assert client.get(reverse("control:home") + "?month=2026-13").status_code == 400


def test_home_query_count_does_not_grow_with_the_ledger(client, regulator, three_months):
    client.force_login(regulator)
    url = reverse("control:home") + "?month=2026-10"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    complaints("CUCC", dt.date(2026, 10, 1), 3000, start=1000)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


# The home page's queries: session and user (2: whether a two-step code is owed is noted in the
# session); the month and the month picker (3); operators (1); the counted reports of the three
# months (1); per indicator, one query per grouping (operators, province) of the sums it divides, each sum
# queried once for every indicator that reads it: report figures (2), ledger counts (2), covert
# and mystery-shopper visits (2 + 2), orders due (2), and the reporting figures (periods,
# operators, first certifications: 3) shared by the operators and the province; the case summary,
# incidents, interviews, meetings and overdue orders (5); the staff's work queue, one query per
# kind of work whatever the number waiting (11: reports to accept, major problems, answers,
# extensions, rectification reports, commitments, meetings without an agenda, proposals, the
# administration's action items, briefings to circulate, leadership's instructions: core.queues).
# No query per row, no sum twice.
HOME_QUERIES = 36


def seed_home(operators, cities, casework_rows):
    """Reports, ledger counts and casework of ``operators`` in ``cities``, October 2026 and the
    months the cards compare it with."""
    for code in operators:
        for label in ("2025-10", "2026-09", "2026-10"):
            rows = {city: {"auth_code_requests": 200, "port_out_applications": 100, "port_out_completed": 90} for city in cities}  # fmt: skip
            report(code, label, rows)
        for city in cities:
            for category in ("BL1", "BL2"):
                counts(
                    code, city, category, [3, 4, 5], months=[dt.date(2025, 10, 1), dt.date(2026, 9, 1), OCT]
                )
        casework(code, cities[0], casework_rows)


def test_home_takes_a_fixed_number_of_queries_whatever_the_data(
    client, regulator, django_assert_max_num_queries
):
    url = reverse("control:home") + "?month=2026-10"
    with time_machine.travel(PROFILE_NOW, tick=False):
        client.force_login(regulator)
        seed_home(["CUCC"], ["370700"], 2)  # an order overdue, one not
        client.get(url)  # warm up: the session
        with django_assert_max_num_queries(HOME_QUERIES) as few:
            page = client.get(url)
        assert page.context["overdue_orders"] and page.context["incidents"] and page.context["interviews"]
        seed_home(["CMCC", "CTCC", "CBN"], ["370100", "370200", "370700", "371000"], 6)
        with django_assert_max_num_queries(HOME_QUERIES) as many:
            page = client.get(url)
        assert len(page.context["overdue_orders"]) == 10
    assert len(many) == len(few) == HOME_QUERIES
    # Each sum once per grouping: the complaint rate and the timely resolution rate share the
    # ledger's counts (their monthly totals by operator); the success rate, the conversion and the
    # complaint rate the report sums.
    for table in ("reporting_complaintmonthlytotal", "reporting_cityfigures"):
        sums = [q["sql"] for q in many.captured_queries if f'FROM "{table}"' in q["sql"]]
        assert len(sums) == len(set(sums)) == 2, sums


def test_city_matrix_links_cells_to_the_ledger_or_the_report(client, regulator, three_months):
    client.force_login(regulator)
    page = client.get(
        reverse("control:city_matrix") + "?indicator=complaint_rate&month=2026-10"
    ).content.decode()
    assert "?operator=CUCC&amp;city=370700&amp;month=2026-10" in page
    page = client.get(
        reverse("control:city_matrix") + "?indicator=port_out_success&month=2026-10"
    ).content.decode()
    assert "/dashboard/reporting/" in page
