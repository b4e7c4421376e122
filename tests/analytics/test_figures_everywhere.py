"""Issue 11, "Done when": each DOMAIN.md indicator computed by hand (tests/analytics/world.py)
is the figure every surface prints — the indicator functions, the home page's cards, the
operator and city pages, the charts' JSON (hover text and table), the CSV and .xlsx download —
and the link behind a figure lists exactly the rows it counts."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from lxml import html

from supervision.analytics.indicators import INDICATORS, INDICATORS_BY_CODE

from .world import EXPECTED_CHANGES, NOV, OCT, PROVINCE, build_world, pinned

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    with pinned():
        yield build_world()


@pytest.fixture
def staff(world, client):
    with pinned():
        client.force_login(world.regulator)
        yield client


def _expected(world, month=NOV) -> dict:
    """``{(indicator code, operator code or PROVINCE): text}`` for one month."""
    return {(code, who): text for (code, who, m), text in world.expected.items() if m == month}


def _text(element) -> str:
    return " ".join(element.text_content().split())


def test_every_indicator_computes_the_hand_figure(world):
    with pinned():
        for (code, who, month), text in world.expected.items():
            indicator = INDICATORS_BY_CODE[code]
            by = () if who == PROVINCE else ("operator",)
            key = (month,) if who == PROVINCE else (who, month)
            value = indicator.compute([month], by).get(key)
            assert indicator.text(value) == text, (code, who, month)
            if (code, who, month) in world.parts:
                assert (value.numerator, value.denominator) == world.parts[(code, who, month)], (code, who)


def test_a_returned_report_and_a_missing_one_give_no_figure(world):
    with pinned():
        for indicator in INDICATORS:
            if indicator.code.startswith("reporting_"):
                continue
            values = indicator.compute([NOV], ("operator",))
            assert ("CTCC", NOV) not in values, indicator.code
            assert ("CBN", NOV) not in values, indicator.code


def test_home_page_cards_show_the_hand_figures_and_name_who_is_left_out(staff, world):
    with pinned():
        page = html.fromstring(staff.get("/dashboard/?month=2026-11").content.decode())
    for (code, who), text in _expected(world).items():
        cell = page.xpath(
            f'//tr[@data-indicator="{code}"]/td[@data-operator="{"ALL" if who == PROVINCE else who}"]'
        )
        assert cell, (code, who)
        figure = cell[0].xpath('.//*[contains(@class, "figure")]')
        assert figure and _text(figure[0]) == text, (code, who, _text(cell[0]))
    province = page.xpath('//tr[@data-indicator="port_out_success"]/td[@data-operator="ALL"]')[0]
    assert world.left_out_zh in _text(province)
    cuc = _text(page.xpath('//tr[@data-indicator="port_out_success"]/td[@data-operator="CUCC"]')[0])
    assert "持平" in cuc  # +0.04 points rounds to zero
    assert "−0.5" in _text(province)
    ctcc = _text(page.xpath('//tr[@data-indicator="port_out_success"]/td[@data-operator="CTCC"]')[0])
    assert "—" in ctcc and "已退回" in ctcc
    rect = _text(page.xpath('//tr[@data-indicator="rectification_on_time"]/td[@data-operator="CMCC"]')[0])
    assert "1 件待验收" in rect  # the on-time report past its deadline: pending, not on time


def test_operator_page_shows_the_hand_figures(staff, world):
    for who in ("CMCC", "CUCC"):
        with pinned():
            page = html.fromstring(staff.get(f"/dashboard/operators/{who}/?month=2026-11").content.decode())
        row = page.xpath('//table[@data-testid="indicators"]/tbody/tr[th[contains(., "2026-11")]]')[0]
        for (code, op), text in _expected(world).items():
            if op != who:
                continue
            cell = row.xpath(f'./td[@data-indicator="{code}"]//*[contains(@class, "figure")]')
            assert cell and _text(cell[0]) == text, (who, code)
        october = page.xpath('//table[@data-testid="indicators"]/tbody/tr[th[contains(., "2026-10")]]')[0]
        cell = october.xpath('./td[@data-indicator="port_out_success"]//*[contains(@class, "figure")]')
        assert _text(cell[0]) == world.expected[("port_out_success", who, OCT)]
    with pinned():
        ctcc = html.fromstring(staff.get("/dashboard/operators/CTCC/?month=2026-11").content.decode())
    row = ctcc.xpath('//table[@data-testid="indicators"]/tbody/tr[th[contains(., "2026-11")]]')[0]
    assert "已退回" in _text(row)


def test_city_page_shows_the_hand_figures(staff, world):
    with pinned():
        page = html.fromstring(staff.get("/dashboard/cities/370100/?month=2026-11").content.decode())
    cucc = page.xpath('//table[@data-testid="operators"]//tr[@data-operator="CUCC"]')[0]
    for code in ("port_out_success", "auth_conversion", "complaint_rate", "complaints_per_million"):
        cell = cucc.xpath(f'./td[@data-indicator="{code}"]//*[contains(@class, "figure")]')
        assert _text(cell[0]) == _expected(world)[(code, "CUCC")], code
    cmcc = page.xpath('//table[@data-testid="operators"]//tr[@data-operator="CMCC"]')[0]
    # CMCC in Jinan alone: 760 / 800.
    cell = cmcc.xpath('./td[@data-indicator="port_out_success"]//*[contains(@class, "figure")]')
    assert _text(cell[0]) == "95.0"


def test_charts_carry_the_hand_figures_as_text(staff, world):
    with pinned():
        response = staff.get("/dashboard/charts/?month=2026-11&months=12")
    charts = response.context["charts"]
    success = charts["port_out_success"]
    cucc = next(t for t in success.figure["data"] if "联通" in t["name"])
    assert cucc["text"][-1] == "94.0%"  # pre-rounded: plotly formats no float
    assert "%{text}" in cucc["hovertemplate"] and ":.1f" not in cucc["hovertemplate"]
    row = dict(success.table.rows)["2026-11"]
    assert [cell.text for cell in row][:2] == ["90.0", "94.0"]
    rate = charts["complaint_rate"]
    province = next(t for t in rate.figure["data"] if t["name"] == "全省")
    assert province["text"][-1] == _expected(world)[("complaint_rate", PROVINCE)]
    per_million = charts["complaints_per_million"]
    province = next(t for t in per_million.figure["data"] if t["name"] == "全省")
    assert province["text"][-1] == _expected(world)[("complaints_per_million", PROVINCE)]
    assert any(world.left_out_zh in note for note in rate.notes)
    # The JSON the page hands to the browser holds the same text.
    assert '"94.0%"' in response.content.decode()


def _export_rows(rows):
    header, *body = rows
    index = {name: i for i, name in enumerate(header)}
    return {(r[index["指标"]], r[index["运营商"]]): r[index["数值"]] for r in body}


def test_downloads_hold_the_hand_figures(staff, world):
    with pinned():
        response = staff.get("/dashboard/?month=2026-11&export=csv")
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        workbook_response = staff.get("/dashboard/?month=2026-11&export=xlsx")
        workbook = openpyxl.load_workbook(io.BytesIO(b"".join(workbook_response.streaming_content)))
    from_csv = _export_rows(list(csv.reader(io.StringIO(text))))
    sheet = workbook.active
    from_xlsx = _export_rows([[c.value for c in row] for row in sheet.iter_rows()])
    names = {"CMCC": "中国移动", "CUCC": "中国联通", PROVINCE: "全省"}
    with pinned():
        labels = {i.code: str(i.label) for i in INDICATORS}
    for (code, who), text in _expected(world).items():
        if who not in names:
            continue
        key = (labels[code], names[who])
        assert from_csv[key] == text, key
        decimals = INDICATORS_BY_CODE[code].decimals
        assert f"{from_xlsx[key]:.{decimals}f}" == text, key


def _count(client, url):
    with pinned():
        response = client.get(url)
    assert response.status_code == 200, url
    return response.context["count"]


def test_each_figure_opens_exactly_its_rows(staff, world):
    with pinned():
        page = html.fromstring(staff.get("/dashboard/?month=2026-11").content.decode())

    def link(code, who):
        cell = page.xpath(
            f'//tr[@data-indicator="{code}"]/td[@data-operator="{who}"]//a[contains(@class, "figure")]'
        )
        return cell[0].get("href")

    # Complaint rate: the complaints counted (the province: CMCC's and CUCC's only).
    assert _count(staff, link("complaint_rate", "CMCC")) == 5
    assert _count(staff, link("complaint_rate", "ALL")) == 7
    # 15日办结率: the late complaints (A2, A3), then all of the month with the switch.
    late = link("timely_resolution", "CMCC")
    assert "timely=late" in late
    assert _count(staff, late) == 2
    with pinned():
        switch = html.fromstring(staff.get(late).content.decode()).xpath(
            '//*[@data-testid="timely-switch"]//a'
        )
    assert _count(staff, late.split("?")[0] + switch[0].get("href")) == 5
    # Violation rates: the visits with a finding, per method.
    assert _count(staff, link("covert_violation", "CMCC")) == 1
    assert _count(staff, link("mystery_violation", "ALL")) == 3
    # 整改按期完成率: the orders due in November.
    assert _count(staff, link("rectification_on_time", "CMCC")) == 3
    assert _count(staff, link("rectification_on_time", "ALL")) == 4
    # Port-out figures of an operator: its counted report (the corrected CUCC version).
    assert link("port_out_success", "CUCC").endswith(f"/reporting/{world.reports['CUCC', '2026-11'].pk}/")


def test_changes_round_from_unrounded_values(world):
    with pinned():
        indicator = INDICATORS_BY_CODE["port_out_success"]
        for (_code, who), (english, chinese) in EXPECTED_CHANGES.items():
            by = () if who == PROVINCE else ("operator",)
            values = indicator.compute([NOV, OCT], by)
            now, before = (values[(m,) if who == PROVINCE else (who, m)] for m in (NOV, OCT))
            with translation.override("en"):
                assert indicator.change_text(now, before) == english, who
            assert indicator.change_text(now, before) == chinese, who


# DOMAIN.md, "Indicators": the monthly report's figures are per city (FORMATS.md §1), and so are
# the ledger's complaints and the inspection visits; rectification orders and the monthly reports
# themselves belong to an operator, not to a city.
PER_CITY = {
    "port_out_success",
    "auth_conversion",
    "complaint_rate",
    "complaints_per_million",
    "timely_resolution",
    "net_porting",
    "covert_violation",
    "mystery_violation",
}


def test_the_indicators_with_a_figure_per_city_are_the_same_everywhere(staff, world):
    assert {i.code for i in INDICATORS if i.per_city} == PER_CITY
    with pinned():
        for indicator in INDICATORS:
            if indicator.per_city:
                assert indicator.compute([NOV], ("operator", "city")), indicator.code
                assert indicator.compute([NOV], ("city",)), indicator.code
            else:
                with pytest.raises(ValueError):
                    indicator.compute([NOV], ("city",))
        matrix = staff.get(reverse("control:city_matrix") + "?month=2026-11")
        offered = {i.code for i in matrix.context["indicators"]}
        pages = {
            i.code: staff.get(reverse("control:city_matrix") + f"?month=2026-11&indicator={i.code}")
            for i in INDICATORS
        }
        city = html.fromstring(staff.get("/dashboard/cities/370100/?month=2026-11").content.decode())
    assert offered == PER_CITY
    assert {code for code, page in pages.items() if page.status_code == 200} == PER_CITY
    assert {code for code, page in pages.items() if page.status_code == 404} == set(
        INDICATORS_BY_CODE
    ) - PER_CITY
    shown = {
        td.get("data-indicator")
        for td in city.xpath('//table[@data-testid="operators"]//td[@data-indicator]')
    }
    assert shown == PER_CITY | {"complaints"}
