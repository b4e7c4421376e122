"""The charts page: the figures hold the indicators' values, in the operators' colours, in the
user's language, and each point leads to the rows behind it."""

import datetime as dt
import json
import re
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import polib
import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from supervision.analytics import charts
from supervision.analytics.indicators import Value
from supervision.casework.models import InspectionFinding
from supervision.control.charts import drilldown_links
from supervision.core import dates, rounding
from supervision.core.models import City, Operator, ViolationCategory
from supervision.reporting.models import ComplaintMonthly, MonthlySubmission
from tests.builders import reference_id, report

# Runs at each of make test-dates' instants: the last complete month and the last 12 months follow from the date.
pytestmark = pytest.mark.dates

OCT = dt.date(2026, 10, 1)
URL = "/dashboard/charts/?month=2026-10&months=3"

# The page's strings in Chinese, until they are merged into locale/zh_Hans/LC_MESSAGES/django.po
# (``make messages``); the ``chinese`` fixture layers them over the project's catalogue.
CHINESE = {
    "Porting complaints per operator": "各运营商携号转网投诉量",
    "Complaint rate per operator": "各运营商投诉率",
    "Complaints per 10,000 port-out applications": "投诉率（件/万件携出申请）",
    "Complaints received (cases)": "投诉量（件）",
    "Month": "月份",
    "Province": "全省",
    "%(name)s (no data)": "%(name)s（无数据）",
}


@pytest.fixture
def chinese(tmp_path):
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    for english, chinese in CHINESE.items():
        catalogue.append(polib.POEntry(msgid=english, msgstr=chinese))
    (tmp_path / "zh_Hans" / "LC_MESSAGES").mkdir(parents=True)
    catalogue.save_as_mofile(str(tmp_path / "zh_Hans" / "LC_MESSAGES" / "django.mo"))
    with override_settings(LOCALE_PATHS=[tmp_path, *settings.LOCALE_PATHS]):
        yield


def trace(figure, name):
    return next(t for t in figure["data"] if t["name"] == name)


def target(url):
    """A drill-down URL as (path, {param: value})."""
    parts = urlsplit(url)
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}


def monthly(code, city, category, month, received):
    return ComplaintMonthly(
        operator_id=reference_id(Operator, code),
        city_id=reference_id(City, city),
        category_id=reference_id(ViolationCategory, category),
        channel="HOTLINE",
        month=month,
        received=received,
    )


def visit(code, day, clause=None):
    return InspectionFinding(
        operator_id=reference_id(Operator, code),
        city_id=reference_id(City, "370100"),
        visit_date=day,
        channel="STORE",
        method="MYSTERY_SHOPPER",
        scenario="办理携出",
        violation=clause is not None,
        clause_id=reference_id(ViolationCategory, clause) if clause else None,
        agency="第三方",
    )


@pytest.fixture
def october(db):
    """CMCC reports September and October, CUCC October; complaints and visits of known numbers."""
    report("CMCC", "2026-09", {"370100": {"port_out_applications": 500, "port_out_completed": 450}})
    report("CMCC", "2026-10", {
        "370100": {"port_out_applications": 1000, "port_out_completed": 950},
        "370200": {"port_out_applications": 400, "port_out_completed": 350},
    })  # fmt: skip
    report("CUCC", "2026-10", {"370100": {"port_out_applications": 600, "port_out_completed": 540}})
    ComplaintMonthly.objects.bulk_create([
        monthly("CMCC", "370100", "BL1", OCT, 4),
        monthly("CMCC", "370200", "SVC", OCT, 3),
        monthly("CUCC", "370100", "BL1", OCT, 2),
    ])  # fmt: skip
    InspectionFinding.objects.bulk_create([
        visit("CMCC", dt.date(2026, 10, 5), "BL2"),
        visit("CMCC", dt.date(2026, 3, 9), "BL1"),
        visit("CMCC", dt.date(2026, 1, 20)),
        visit("CMCC", dt.date(2025, 11, 1)),
        visit("CMCC", dt.date(2025, 10, 31), "BL2"),  # before the 12 months shown
    ])  # fmt: skip


@pytest.fixture
def charts_page(client, regulator, october):
    client.force_login(regulator)

    def get(url=URL, **headers):
        response = client.get(url, **headers)
        assert response.status_code == 200
        return response

    return get


# --- Who may see it ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"), [("regulator", 200), ("leader", 200), ("operator_a", 403), ("manager_a", 403)]
)
def test_charts_page_is_for_the_administration_only(client, request, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("control:charts")).status_code == status


def test_charts_page_asks_an_anonymous_visitor_to_log_in(client, db):
    response = client.get(reverse("control:charts"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- What each figure holds --------------------------------------------------------------------


def test_complaints_trend_holds_the_counts_in_the_operators_colours(charts_page):
    figure = charts_page().context["charts"]["complaints"].figure
    cmcc, cucc = Operator.objects.get(code="CMCC"), Operator.objects.get(code="CUCC")
    line = trace(figure, cmcc.short_name)
    assert line["x"] == ["2026-08", "2026-09", "2026-10"]
    # August: not reported, no data; September: reported without complaints, zero.
    assert line["y"] == [None, 0, 7]
    assert line["line"]["color"] == cmcc.color
    assert trace(figure, cucc.short_name)["line"]["color"] == cucc.color
    assert target(line["customdata"][2]) == (
        reverse("control:complaints"),
        {"operator": "CMCC", "month": "2026-10"},
    )


def test_every_operator_trace_has_its_colour_in_every_chart(charts_page):
    operators = list(Operator.objects.all())
    checked = 0
    for chart in charts_page().context["charts"].values():
        for item in chart.figure["data"]:
            # An operator's trace is named after it ("中国广电", or with "no data" when empty).
            operator = next((op for op in operators if item["name"].startswith(op.short_name)), None)
            if operator:
                assert item["marker"]["color"] == operator.color, (chart.key, item["name"])
                checked += 1
    assert checked == 6 * 4  # every chart but the categories' and the cities' (all operators)


def test_complaint_rate_per_operator_and_province(charts_page):
    figure = charts_page().context["charts"]["complaint_rate"].figure
    assert trace(figure, "中国移动")["y"][2] == pytest.approx(7 / 1400 * 10_000)  # 50.0
    assert trace(figure, "中国联通")["y"] == [None, None, pytest.approx(2 / 600 * 10_000)]
    province = figure["data"][-1]
    assert province["line"]["dash"] == "dash"
    assert province["y"][2] == pytest.approx((7 + 2) / 2000 * 10_000)  # 45.0
    # Like for like: the province's point lists the complaints of the operators it counts.
    path, query = target(province["customdata"][2])
    assert path == reverse("control:complaints") and query["month"] == "2026-10"
    assert province["text"][2] == "45.00"  # pre-rounded: the hover reads this text


def test_categories_are_stacked_for_the_province_or_one_operator(charts_page):
    figure = charts_page().context["charts"]["categories"].figure
    assert figure["layout"]["barmode"] == "stack"
    bl1 = ViolationCategory.objects.get(code="BL1").label
    assert trace(figure, bl1)["y"][2] == 6
    assert trace(figure, ViolationCategory.objects.get(code="SVC").label)["y"][2] == 3
    assert trace(figure, ViolationCategory.objects.get(code="BL2").label)["y"][2] == 0
    assert target(trace(figure, bl1)["customdata"][2])[1] == {"month": "2026-10", "category": "BL1"}

    figure = charts_page(URL + "&operator=CUCC").context["charts"]["categories"].figure
    assert trace(figure, bl1)["y"] == [None, None, 2]
    assert target(trace(figure, bl1)["customdata"][2]) == (
        reverse("control:complaints"),
        {"operator": "CUCC", "month": "2026-10", "category": "BL1"},
    )


def test_port_out_success_rate_leads_to_the_operators_city_figures(charts_page):
    figure = charts_page().context["charts"]["port_out_success"].figure
    line = trace(figure, "中国移动")
    assert line["y"] == [None, pytest.approx(90.0), pytest.approx(1300 / 1400 * 100)]
    assert line["text"][1:] == ["90.0%", "92.9%"]
    report = MonthlySubmission.objects.counted().get(operator__code="CMCC", period__month=dt.date(2026, 9, 1))
    assert target(line["customdata"][1]) == (reverse("control:submission", args=[report.pk]), {})


def test_cities_are_sorted_by_complaint_rate(charts_page):
    chart = charts_page().context["charts"]["cities"]
    bars = chart.figure["data"][0]
    qingdao, jinan = City.objects.get(code="370200"), City.objects.get(code="370100")
    assert bars["orientation"] == "h"
    assert bars["y"][:2] == [qingdao.name, jinan.name]
    assert bars["x"][:3] == [pytest.approx(3 / 400 * 10_000), pytest.approx(6 / 1600 * 10_000), None]
    assert len(bars["y"]) == 16
    assert target(bars["customdata"][0]) == (
        reverse("control:complaints"),
        {"month": "2026-10", "city": "370200"},
    )
    # The province's rate is the dashed line, named in the legend.
    assert chart.figure["layout"]["shapes"][0]["x0"] == pytest.approx(45.0)


def test_cities_are_grouped_per_operator(charts_page):
    figure = charts_page().context["charts"]["cities_operators"].figure
    assert figure["layout"]["barmode"] == "group"
    cmcc = trace(figure, "中国移动")
    assert cmcc["y"][:2] == ["青岛市", "济南市"]
    assert cmcc["x"][:2] == [pytest.approx(75.0), pytest.approx(40.0)]
    assert target(cmcc["customdata"][1])[1] == {"operator": "CMCC", "month": "2026-10", "city": "370100"}
    # CBN did not report October: its trace is there, empty, and its legend says so.
    cbn = figure["data"][3]
    assert cbn["name"].startswith("中国广电") and cbn["name"] != "中国广电"
    assert cbn["x"] == [None] * 16


def test_inspection_rate_per_clause_counts_all_visits_of_the_last_12_months(charts_page):
    chart = charts_page().context["charts"]["inspections"]
    cmcc = trace(chart.figure, "中国移动")
    labels = [c.label for c in ViolationCategory.objects.filter(is_bottom_line=True)]
    assert cmcc["x"] == labels
    # Four visits from 2025-11 to 2026-10, one finding on BL1 and one on BL2; 2025-10 is outside.
    assert cmcc["y"][:3] == [pytest.approx(25.0), pytest.approx(25.0), 0]
    assert target(cmcc["customdata"][1]) == (
        reverse("control:findings"),
        {"operator": "CMCC", "clause": "BL2", "visit_from": "2025-11-01", "visit_to": "2026-10-31"},
    )
    assert "2025-11" in chart.title and "2026-10" in chart.title


def test_the_table_under_a_chart_holds_the_same_numbers_and_links(charts_page):
    chart = charts_page().context["charts"]["complaint_rate"]
    assert chart.table.columns == [
        "中国移动",
        "中国联通",
        "中国电信",
        "中国广电",
        chart.figure["data"][-1]["name"],
    ]
    month, cells = chart.table.rows[2]
    assert month == "2026-10"
    assert cells[0].text == "50.00"
    assert cells[0].detail.startswith("7 ") and rounding.format_figure(1400, 0) in cells[0].detail
    assert cells[0].url == chart.figure["data"][0]["customdata"][2]
    assert cells[2].text == "—"


# --- Language ----------------------------------------------------------------------------------


def test_titles_and_legends_are_chinese_by_default(charts_page, chinese):
    charts_ = charts_page().context["charts"]
    figure = charts_["complaints"].figure
    assert figure["layout"]["title"]["text"] == "各运营商携号转网投诉量"
    assert figure["layout"]["xaxis"]["title"]["text"] == "月份"
    assert figure["layout"]["yaxis"]["title"]["text"] == "投诉量（件）"
    # Operators by their short names; CTCC and CBN reported nothing in these months.
    assert [t["name"] for t in figure["data"]] == [
        "中国移动",
        "中国联通",
        "中国电信（无数据）",
        "中国广电（无数据）",
    ]
    assert charts_["complaint_rate"].figure["data"][-1]["name"] == "全省"
    assert trace(charts_["categories"].figure, "BL1 设限阻挠")


def test_titles_and_legends_are_english_when_the_user_reads_english(charts_page):
    figure = charts_page(HTTP_ACCEPT_LANGUAGE="en").context["charts"]["complaint_rate"].figure
    assert figure["layout"]["title"]["text"] == "Complaint rate per operator"
    assert figure["layout"]["yaxis"]["title"]["text"] == "Complaints per 10,000 port-out applications"
    assert [t["name"] for t in figure["data"]] == ["China Mobile", "China Unicom", "China Telecom (no data)", "China Broadnet (no data)", "Province"]  # fmt: skip


def test_figures_follow_the_active_language(db):
    operators = list(Operator.objects.all())
    with translation.override("en"):
        chart = charts.complaints_trend({}, [OCT], operators, drilldown_links())
    assert chart.title == "Porting complaints per operator"
    assert chart.figure["data"][0]["name"] == "China Mobile (no data)"


# --- The page ----------------------------------------------------------------------------------


def test_each_figure_is_in_the_page_as_json_and_no_script_is_inline(charts_page):
    response = charts_page()
    html = response.content.decode()
    for chart in response.context["charts"].values():
        block = re.search(
            rf'<script id="{chart.element_id}" type="application/json">(.*?)</script>', html, re.S
        )
        assert json.loads(block.group(1)) == chart.figure
        assert f'data-chart="{chart.element_id}"' in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    inline = [s for s in scripts if "src=" not in s and 'type="application/json"' not in s]
    assert inline == []
    assert not re.search(r"\sstyle=|<style\b|\son[a-z]+=", html)
    # Plotly, then its Chinese locale, then the page's script.
    order = [re.search(r'src="[^"]*/([^/"]+)"', s).group(1) for s in scripts if "src=" in s]
    assert order[-3:] == ["plotly-4.1.1.min.js", "plotly-locale-zh-cn-4.1.1.js", "charts.js"]


def test_each_chart_has_a_table_of_its_numbers(charts_page):
    html = charts_page().content.decode()
    assert html.count('<details class="chart-data">') == 8
    assert html.count('<table class="table table-sm table-striped w-auto chart-table">') == 8


def test_queries_do_not_grow_with_the_months_or_the_complaints(charts_page):
    url = "/dashboard/charts/?month=2026-10&months=36"
    charts_page(url)  # reference rows and sessions are warm
    with CaptureQueriesContext(connection) as one_month:
        charts_page(url)
    cities = list(City.objects.all())
    months = dates.month_range(dt.date(2026, 9, 1), 35)
    for month in months:
        report(
            "CUCC",
            dates.month_label(month),
            {"370100": {"port_out_applications": 100, "port_out_completed": 90}},
        )
    ComplaintMonthly.objects.bulk_create(
        monthly(code, city.code, category, month, 5)
        for code in ("CMCC", "CUCC", "CTCC")
        for city in cities
        for category in ("BL1", "BL2", "SVC")
        for month in months
    )
    InspectionFinding.objects.bulk_create(visit("CTCC", month.replace(day=10), "BL3") for month in months)
    with CaptureQueriesContext(connection) as three_years:
        response = charts_page(url)
    assert len(three_years) == len(one_month)
    assert len(one_month) <= 22
    assert trace(response.context["charts"]["complaints"].figure, "中国电信")["y"][0] == 16 * 3 * 5


def test_a_month_that_is_not_one_shows_the_last_complete_month(charts_page):
    response = charts_page("/dashboard/charts/?month=2026-13&months=abc")
    assert response.context["months"] == 36
    assert response.context["month"] != "2026-13"


# --- Pure parts --------------------------------------------------------------------------------


def test_a_missing_count_is_zero_only_for_a_reported_month():
    operator = SimpleNamespace(code="CMCC", short_name="CMCC", color="#1f77b4")
    months = [dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)]
    links = charts.Links("/c/", "/f/", "/m/")
    chart = charts.complaints_trend(
        {("CMCC", months[2]): Value(5)}, months, [operator], links, reported=[("CMCC", months[1])]
    )
    assert chart.figure["data"][0]["y"] == [None, 0, 5]
    assert [cell.text for _month, (cell,) in chart.table.rows] == ["—", "0", "5"]


def test_the_points_open_the_lists_by_their_url_names(db):
    links = drilldown_links()
    assert (links.complaints, links.findings, links.city_figures) == (
        reverse("control:complaints"),
        reverse("control:findings"),
        reverse("control:city_matrix"),
    )
