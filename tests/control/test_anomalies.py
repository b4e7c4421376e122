"""Complaint spikes: a count far above the median of its own previous six months."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision.analytics.anomalies import complaint_spikes, is_spike
from supervision.core.models import City, Operator, ViolationCategory
from supervision.reporting.models import ComplaintMonthly

# Runs at each of make test-dates' instants: the spikes are looked for in the last complete month.
pytestmark = pytest.mark.dates

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
OCTOBER = dt.date(2026, 10, 1)
PREVIOUS = [dt.date(2026, m, 1) for m in range(4, 10)]  # 2026-04 … 2026-09, oldest first


def counts(operator, city, category, series, *, months=None, channel="HOTLINE"):
    """Monthly ledger counts of one cell: ``series`` for ``months`` (2026-04 … 2026-10 by default)."""
    months = months or [*PREVIOUS, OCTOBER]
    op = Operator.objects.get(code=operator)
    place = City.objects.get(code=city)
    cat = ViolationCategory.objects.get(code=category)
    ComplaintMonthly.objects.bulk_create(
        ComplaintMonthly(
            operator=op, city=place, category=cat, channel=channel, month=month, received=n, resolved=n
        )
        for month, n in zip(months, series, strict=True)
        if n
    )


def background(operator="CUCC", months=None):
    """Steady complaints elsewhere, so that every month counts as filed for the operator."""
    counts(operator, "370100", "SVC", [30] * len(months or [*PREVIOUS, OCTOBER]), months=months)


def cells(spikes):
    return {(s.operator.code, s.city.code, s.category.code if s.category else None): s for s in spikes}


# --- The rule ------------------------------------------------------------------------------


def test_rule_on_plain_numbers():
    assert is_spike(20, 4)
    assert not is_spike(8, 4)  # twice the median: within the usual range
    assert not is_spike(12, 4.5)  # 12 ≥ 3 × 4.5 is false
    assert is_spike(5, 0)
    assert not is_spike(4, 0)  # too few to alarm
    assert not is_spike(6, 2)  # three times, but only 4 above the median


def test_a_count_five_times_its_median_is_a_spike(db):
    background()
    counts("CUCC", "370700", "BL1", [4, 5, 3, 4, 6, 4, 20])
    spike = cells(complaint_spikes(OCTOBER))[("CUCC", "370700", "BL1")]
    assert spike.count == 20
    assert spike.previous == tuple(zip(PREVIOUS, [4, 5, 3, 4, 6, 4], strict=True))
    assert spike.median == 4
    assert spike.ratio == 5
    assert spike.excess == 16
    assert spike.history_months == 6


def test_twice_the_median_is_not_a_spike(db):
    background()
    counts("CUCC", "370700", "BL1", [4, 5, 3, 4, 6, 4, 8])
    assert ("CUCC", "370700", "BL1") not in cells(complaint_spikes(OCTOBER))


def test_five_out_of_nowhere_is_a_spike_and_four_is_not(db):
    background()
    counts("CUCC", "370700", "BL5", [0, 0, 0, 0, 0, 0, 5])
    counts("CUCC", "370200", "BL5", [0, 0, 0, 0, 0, 0, 4])
    found = cells(complaint_spikes(OCTOBER))
    spike = found[("CUCC", "370700", "BL5")]
    assert (spike.median, spike.ratio, spike.excess) == (0, None, 5)
    assert spike.previous == tuple((m, 0) for m in PREVIOUS)  # filed months without a count are 0
    assert ("CUCC", "370200", "BL5") not in found


def test_channels_are_added_up(db):
    background()
    counts("CUCC", "370700", "BL1", [2, 2, 2, 2, 2, 2, 10], channel="MIIT")
    counts("CUCC", "370700", "BL1", [2, 2, 2, 2, 2, 2, 10], channel="STORE")
    spike = cells(complaint_spikes(OCTOBER))[("CUCC", "370700", "BL1")]
    assert (spike.count, spike.median) == (20, 4)


def test_months_before_the_ledger_begins_are_left_out(db):
    """Short history: the median of the months the operator has filed, not of zeros."""
    recent = [dt.date(2026, 8, 1), dt.date(2026, 9, 1), OCTOBER]
    background("CTCC", months=None)  # CTCC files every month; its cell is quiet before August
    counts("CTCC", "370700", "BL2", [0, 0, 0, 0, 2, 3, 10])
    background("CBN", months=recent)  # CBN's ledger begins in August
    counts("CBN", "370700", "BL2", [2, 3, 10], months=recent)
    found = cells(complaint_spikes(OCTOBER))
    cbn = found[("CBN", "370700", "BL2")]
    assert cbn.previous == tuple(zip(PREVIOUS, [None, None, None, None, 2, 3], strict=True))
    assert (cbn.median, cbn.history_months) == (2.5, 2)
    assert found[("CTCC", "370700", "BL2")].median == 0  # four filed zeros and 2, 3


def test_a_first_month_of_ledger_is_not_judged(db):
    counts("CBN", "370700", "BL1", [40], months=[OCTOBER])
    assert complaint_spikes(OCTOBER) == []


def test_city_level_adds_the_categories(db):
    background()
    for category in ("BL1", "BL2", "BL3", "BL4"):
        counts("CUCC", "371300", category, [1, 1, 1, 1, 1, 1, 4])  # each too small to alarm
    found = cells(complaint_spikes(OCTOBER))
    assert [key for key in found if key[1] == "371300"] == [("CUCC", "371300", None)]
    spike = found[("CUCC", "371300", None)]
    assert (spike.count, spike.median, spike.category) == (16, 4, None)


def test_spikes_come_most_abnormal_first_and_filter_by_city(db):
    background()
    counts("CUCC", "370700", "BL1", [4, 4, 4, 4, 4, 4, 40])  # ×10
    counts("CUCC", "370200", "BL2", [4, 4, 4, 4, 4, 4, 20])  # ×5
    counts("CUCC", "370300", "BL3", [0, 0, 0, 0, 0, 0, 6])  # 6 against nothing: ×6 against 1
    spikes = complaint_spikes(OCTOBER)
    assert [(s.city.code, s.category.code) for s in spikes if s.category] == [
        ("370700", "BL1"),
        ("370300", "BL3"),
        ("370200", "BL2"),
    ]
    in_weifang = complaint_spikes(OCTOBER, city="370700")
    assert {s.city.code for s in in_weifang} == {"370700"}
    assert complaint_spikes(OCTOBER, operator="CMCC") == []


def test_spike_links_to_its_complaints(db):
    background()
    counts("CUCC", "370700", "BL1", [4, 5, 3, 4, 6, 4, 20])
    spike = cells(complaint_spikes(OCTOBER))[("CUCC", "370700", "BL1")]
    assert (
        spike.url == f"{reverse('control:complaints')}?operator=CUCC&city=370700&category=BL1&month=2026-10"
    )


# --- The page ------------------------------------------------------------------------------


def test_page_lists_spikes_with_their_numbers_and_links(client, regulator):
    background()
    counts("CUCC", "370700", "BL1", [4, 5, 3, 4, 6, 4, 20])
    client.force_login(regulator)
    response = client.get(reverse("control:anomalies"), {"month": "2026-10"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    drilldown = (
        f"{reverse('control:complaints')}?operator=CUCC&amp;city=370700&amp;category=BL1&amp;month=2026-10"
    )
    assert f'href="{drilldown}" data-testid="drilldown">20</a>' in page
    assert f'href="{reverse("control:operator", args=["CUCC"])}"' in page
    assert f'href="{reverse("control:city", args=["370700"])}?month=2026-10"' in page
    assert "×5.0" in page
    assert "at least 3 × the median" in page
    # The cell, and its city as a whole (the only complaints of CUCC in Weifang).
    assert [s.count for _key, _caption, rows in response.context["sections"] for s in rows] == [20, 20]


def test_page_says_so_when_there_is_no_spike(client, leader):
    background()
    counts("CUCC", "370700", "BL1", [4, 5, 3, 4, 6, 4, 8])
    client.force_login(leader)
    page = client.get(reverse("control:anomalies"), {"month": "2026-10"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "No spike this month: every figure is within its usual range." in page.content.decode()


def test_page_defaults_to_the_last_complete_month(client, regulator):
    with time_machine.travel(dt.datetime(2026, 11, 1, 0, 30, tzinfo=SHANGHAI)):
        client.force_login(regulator)  # on the day the test is about: the session lasts from then
        response = client.get(reverse("control:anomalies"))
    assert response.context["month"] == OCTOBER


def test_a_month_that_is_not_one_shows_the_default_with_a_warning(client, regulator):
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, 0, tzinfo=SHANGHAI)):
        client.force_login(regulator)  # on the day the test is about: the session lasts from then
        response = client.get(reverse("control:anomalies"), {"month": "2026-13"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["month"] == OCTOBER
    assert "is not a period" in response.content.decode()


def much_data():
    """Every operator × 16 cities × 8 categories × 7 months, some of them spiking."""
    codes = list(City.objects.values_list("code", flat=True))
    categories = list(ViolationCategory.objects.values_list("code", flat=True))
    for operator in ("CMCC", "CUCC", "CTCC", "CBN"):
        for i, city in enumerate(codes):
            for j, category in enumerate(categories):
                last = 60 if (i + j) % 7 == 0 else 3 + (i + j) % 4
                counts(operator, city, category, [3, 4, 5, 3, 4, 5, last], channel="STORE")


def test_page_query_count_does_not_grow_with_the_data(client, regulator):
    client.force_login(regulator)
    url = reverse("control:anomalies")
    background()
    counts("CUCC", "370700", "BL1", [4, 5, 3, 4, 6, 4, 20])
    client.get(url, {"month": "2026-10"})  # warm up: session, reference rows
    with CaptureQueriesContext(connection) as little:
        assert len(client.get(url, {"month": "2026-10"}).context["spikes"]) == 2
    much_data()
    with CaptureQueriesContext(connection) as much:
        assert len(client.get(url, {"month": "2026-10"}).context["spikes"]) > 50
    assert len(much) == len(little)


@pytest.mark.parametrize(
    ("role", "status"), [("regulator", 200), ("leader", 200), ("operator_a", 403), ("manager_a", 403)]
)
def test_only_the_administration_sees_spikes(client, request, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("control:anomalies")).status_code == status


def test_anonymous_users_are_sent_to_log_in(client, db):
    response = client.get(reverse("control:anomalies"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
