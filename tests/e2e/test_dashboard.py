"""The dashboard's drill-down in a real Chromium: from a figure to the rows behind it, and out as CSV.

The administration's staff opens the home page (the last complete month), clicks China Unicom's
complaint rate and lands on the ledger filtered to that operator and month; back on the home
page, it opens the charts, clicks China Mobile's point of the month before in the complaint-rate
chart (a real click on the plotly point, which charts.js turns into a visit of the URL the point
carries) and lands on that filtered ledger; there it downloads the CSV, whose rows are the rows
on the screen, in the same order.

Two months of data are made here: certified reports (city figures) of three operators, the
ledger rows, and the monthly counts the dashboard reads. The pages are driven in English (the
user's saved language, which the log-in applies) and elements are found by stable attributes.
"""

import csv
import datetime as dt
import io
import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from supervision.core.models import City, Operator, Period, ViolationCategory
from supervision.reporting import submissions
from supervision.reporting.models import CityFigures, ComplaintRecord
from supervision.reporting.summaries import refresh_complaint_counts

# Runs at each of make test-dates' instants: the dashboard opens on the last complete month.
pytestmark = pytest.mark.dates

HOME = "/dashboard/"
CHARTS = "/dashboard/charts/"
LEDGER = "/dashboard/complaints/"

CITIES = ["370100", "370700"]  # Jinan, Weifang
CATEGORIES = ["BL1", "BL2", "SVC"]
# Port-out applications per operator and month: the denominators of the complaint rate.
APPLICATIONS = {"CMCC": 10_000, "CUCC": 40_000, "CTCC": 30_000}
# Complaints per operator: (month before, last complete month). CMCC's rate stands far above the
# others (15 and 20 per 10,000 against 2 to 5), so its points are well apart from every other.
COMPLAINTS = {"CMCC": (15, 20), "CUCC": (10, 12), "CTCC": (8, 6)}


def certified_report(operator: Operator, period: Period, applications: int):
    """A submitted report of ``applications`` port-out applications, split over the cities."""
    submission = submissions.create_version(operator, period)
    share = applications // len(CITIES)
    CityFigures.objects.bulk_create(
        CityFigures(
            submission=submission,
            city=City.objects.get(code=code),
            auth_code_requests=2 * share,
            port_out_applications=share,
            port_out_completed=share * 9 // 10,
            port_out_failed=share // 10,
            port_in_applications=share,
            port_in_completed=share * 9 // 10,
            complaints_received=0,
            complaints_resolved=0,
        )
        for code in CITIES
    )
    submissions.submit(submission)


def ledger_rows(operator: Operator, month: dt.date, count: int) -> list[ComplaintRecord]:
    """``count`` complaints spread over the month, the cities and the categories."""
    cities = {c.code: c for c in City.objects.filter(code__in=CITIES)}
    categories = {c.code: c for c in ViolationCategory.objects.filter(code__in=CATEGORIES)}
    rows = []
    for i in range(count):
        received = month + dt.timedelta(days=(i * 11) % 28)  # several complaints share a day
        resolved = received + dt.timedelta(days=3) if i % 3 else None
        rows.append(
            ComplaintRecord(
                operator=operator,
                complaint_no=f"{operator.code}-{month:%Y%m}-{i + 1:04d}",
                received_on=received,
                city=cities[CITIES[i % len(CITIES)]],
                channel="HOTLINE",
                category=categories[CATEGORIES[i % len(CATEGORIES)]],
                msisdn_masked="138****0000",
                summary=f"用户申请携出受阻（第{i + 1}件）",
                status="RESOLVED" if resolved else "OPEN",
                resolved_on=resolved,
                resolution="已协助办理携出" if resolved else "",
            )
        )
    return rows


@pytest.fixture
def two_months(reference_data):
    """Reports and complaints of the last complete month and the month before it."""
    last = Period.last_complete()
    before = last.previous(1)
    records = []
    for code, applications in APPLICATIONS.items():
        operator = Operator.objects.get(code=code)
        for period, count in zip((before, last), COMPLAINTS[code], strict=True):
            certified_report(operator, period, applications)
            records += ledger_rows(operator, period.month, count)
    ComplaintRecord.objects.bulk_create(records)
    refresh_complaint_counts()
    return before, last


@pytest.fixture
def staff(live_regulator):
    live_regulator.language = "en"  # what the language switch remembers; the log-in applies it
    live_regulator.save(update_fields=["language"])
    return live_regulator


def ledger_url(live_url, **params) -> re.Pattern:
    """The filtered ledger, its parameters in the order the link gives them."""
    return re.compile("^" + re.escape(live_url(f"{LEDGER}?{urlencode(params)}")) + "$")


def expected_numbers(operator_code: str, period: Period) -> list[str]:
    """The complaint numbers of one operator and month, in the ledger's order."""
    next_month = (period.month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return list(
        ComplaintRecord.objects.filter(
            operator__code=operator_code, received_on__gte=period.month, received_on__lt=next_month
        )
        .order_by("-received_on", "complaint_no", "pk")
        .values_list("complaint_no", flat=True)
    )


def rows_on_screen(page) -> list[tuple[str, str]]:
    """(complaint number, date received) of every row of the ledger's table."""
    rows = page.locator("main table tbody tr")
    return [
        (row.locator("td").nth(0).inner_text().strip(), row.locator("td").nth(3).inner_text().strip())
        for row in rows.all()
    ]


def open_nav(page, live_url, path):
    """Follow the navigation's link to ``path``, opening the menu that holds it first, if any."""
    nav = page.get_by_test_id("nav")
    link = page.locator(f"a[href='{path}']")
    menu = nav.locator("li.dropdown").filter(has=link)
    if menu.count():
        menu.locator("[data-bs-toggle='dropdown']").click()
    nav.locator(f"a[href='{path}']").click()
    expect(page).to_have_url(live_url(path))


def test_from_a_card_and_a_chart_point_to_the_rows_and_their_csv(
    page, live_url, login, staff, two_months, tmp_path
):
    before, last = two_months
    login(page, staff.username)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # 1. Home, the last complete month by default: China Unicom's complaint rate, 12 / 40,000.
    page.goto(live_url(HOME))
    expect(page.locator("main h1")).to_contain_text(last.label)
    card = page.get_by_test_id("indicator-cards").locator(
        "tr[data-indicator='complaint_rate'] td[data-operator='CUCC'] a"
    )
    expect(card).to_have_text("3.00")
    card.click()
    expect(page).to_have_url(ledger_url(live_url, operator="CUCC", month=last.label))
    cucc = expected_numbers("CUCC", last)
    assert len(cucc) == COMPLAINTS["CUCC"][1]
    expect(page.get_by_test_id("count")).to_have_text(f"{len(cucc)} complaints match the filters.")
    expect(page.locator("main table tbody tr")).to_have_count(len(cucc))
    assert [number for number, _day in rows_on_screen(page)] == cucc

    # 2. Home → Charts: China Mobile's point of the month before in the complaint-rate chart.
    open_nav(page, live_url, HOME)
    open_nav(page, live_url, CHARTS)
    chart = page.get_by_test_id("chart-complaint_rate").locator("[data-chart]")
    # Drawn, and charts.js listens to its clicks (it does so once plotly has drawn it).
    page.wait_for_function(
        "el => el._ev !== undefined && el._ev.listeners('plotly_click').length > 0",
        arg=chart.element_handle(),
    )
    traces = chart.locator("g.scatterlayer g.trace")
    expect(traces).to_have_count(len(Operator.objects.all()) + 1)  # the operators, then the province
    cmcc_points = traces.nth(0).locator("path.point")  # CMCC comes first, as in every chart
    expect(cmcc_points).to_have_count(2)  # the two months with a rate; the others have none
    point = cmcc_points.nth(0)  # the month before
    point.scroll_into_view_if_needed()
    # plotly's drag layer lies over the points and takes the click (as for a person's mouse):
    # force skips the check that the point itself would receive it.
    point.click(force=True)
    expect(page).to_have_url(ledger_url(live_url, operator="CMCC", month=before.label))

    # 3. The filtered ledger, all on one page, and its CSV: the same rows in the same order.
    cmcc = expected_numbers("CMCC", before)
    assert len(cmcc) == COMPLAINTS["CMCC"][0] < 50
    expect(page.locator("main table tbody tr")).to_have_count(len(cmcc))
    on_screen = rows_on_screen(page)
    assert [number for number, _day in on_screen] == cmcc
    with page.expect_download() as info:
        page.get_by_test_id("export-1").click()  # CSV, the first of the downloads
    download = info.value
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    exported = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    header, rows = exported[0], exported[1:]
    number_col, received_col = header.index("Complaint number"), header.index("Received on")
    assert [(row[number_col], row[received_col]) for row in rows] == on_screen
