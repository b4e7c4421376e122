"""Validating monthly report figures: pure functions, no database (reference data passed in)."""

from decimal import Decimal

import pytest
from django.test import override_settings

from supervision.reporting.ingest import Sheet, read_sheet, validate_monthly
from tests.builders import problem_messages as messages

CUCC = "monthly_report_CUCC_2026-10_gbk.csv"  # header in row 1, 济南 in row 2 … 菏泽 in row 17
CMCC = "monthly_report_CMCC_2026-10.xlsx"  # title rows, header in row 3, 济南 in row 4, 合计 in row 20


@pytest.fixture
def cucc(sample) -> Sheet:
    return read_sheet(*sample(CUCC))


@pytest.fixture
def cmcc(sample) -> Sheet:
    return read_sheet(*sample(CMCC))


@pytest.fixture
def check(reference):
    def validate(sheet, **kwargs):
        return validate_monthly(sheet, reference=reference, **kwargs)

    return validate


def set_cell(sheet, row, header, value):
    """Set the cell of Excel row ``row`` under ``header`` (the header row is found by name)."""
    header_index = next(i for i, r in enumerate(sheet.rows) if header in r)
    sheet.rows[row - 1][sheet.rows[header_index].index(header)] = value


def drop_column(sheet, header):
    header_index = next(i for i, r in enumerate(sheet.rows) if header in r)
    col = sheet.rows[header_index].index(header)
    for row in sheet.rows:
        if len(row) > col:
            del row[col]


def test_validate_monthly_accepts_the_cmcc_sample_with_title_rows_and_a_total(check, cmcc):
    result = check(cmcc)
    assert result.problems == []
    assert result.ok and result.header_row == 3
    assert len(result.rows) == 16
    assert result.rows[0] == {
        "city_code": "370100",
        "auth_code_requests": 1311,
        "port_out_applications": 972,
        "port_out_completed": 881,
        "port_out_failed": 38,
        "port_in_applications": 665,
        "port_in_completed": 587,
        "complaints_received": 29,
        "complaints_resolved": 28,
        "avg_resolution_hours": Decimal("39.00"),
        "subscribers_10k": Decimal("624.67"),
        "eligibility_queries": 1831,
        "failed_not_real_name": 3,
        "failed_arrears": 11,
        "failed_contract": 13,
        "failed_120_days": 1,
        "failed_other": 10,
    }
    assert result.total["port_out_applications"] == 46686


def test_validate_monthly_accepts_the_cucc_sample_with_short_city_names(check, cucc):
    result = check(cucc)
    assert result.problems == []
    assert [row["city_code"] for row in result.rows][:3] == ["370100", "370200", "370300"]
    assert result.rows[2]["avg_resolution_hours"] is None  # 淄博: nothing resolved, no average
    assert result.rows[0]["failed_other"] is None  # no failure-reason columns at all


def test_validate_monthly_matches_english_aliases_and_full_width_headers(check, cucc):
    cucc.rows[0] = ["ＣＩＴＹ", "Auth_Code_Requests", "port out applications", "PORT_OUT_COMPLETED", "port_out_failed",
                    "port_in_applications", "port_in_completed", "complaints_received", "complaints_resolved",
                    "平均办结时长（小时）", " 期末用户数(万户) "]  # fmt: skip
    result = check(cucc)
    assert result.problems == []
    assert result.headers["city"] == "ＣＩＴＹ"


def test_validate_monthly_reports_a_missing_required_column_once(check, cucc):
    drop_column(cucc, "携出申请量")
    assert messages(check(cucc)) == ["row 1, 携出申请量: This required column is missing."]


def test_validate_monthly_ignores_an_unknown_column_with_a_warning(check, cucc):
    for i, row in enumerate(cucc.rows):
        row.append("备注" if i == 0 else "无")
    result = check(cucc)
    assert result.ok
    assert [str(p) for p in result.warnings] == [
        "row 1, 备注: This column is not part of the template; it is ignored."
    ]


def test_validate_monthly_reports_a_column_given_twice(check, cucc):
    for i, row in enumerate(cucc.rows):
        row.append("携出申请量" if i == 0 else "1")
    assert messages(check(cucc)) == [
        "row 1, 携出申请量: This column appears more than once (columns C and L); keep only one."
    ]


def test_validate_monthly_without_a_header_row_says_what_it_expected(check):
    result = check(Sheet.from_rows([["中国联通 携号转网月报"], ["济南", "1", "2"]]))
    assert messages(result) == [
        "No header row was found in the first 10 rows. The expected headers are: 地市, 授权码申请量, 携出申请量, "
        "携出成功量, 携出失败量, 携入申请量, 携入成功量, 携转投诉量, 投诉办结量, 平均办结时长(小时), 期末用户数(万户), "
        "资格查询量, 失败-未实名, 失败-欠费, 失败-合约期, 失败-120天内, 失败-其他."
    ]


def test_validate_monthly_refuses_a_city_reported_twice(check, cucc):
    set_cell(cucc, 3, "地市", "370100")  # 青岛's row now says 济南
    assert messages(check(cucc)) == [
        "row 3, 地市: 济南市 has more than one row (the first is row 2).",
        "These cities have no row: 青岛市. Every one of the 16 cities needs exactly one row.",
    ]


def test_validate_monthly_refuses_an_unknown_city(check, cucc):
    set_cell(cucc, 2, "地市", "莱芜")
    assert messages(check(cucc))[0] == (
        "row 2, 地市: “莱芜” is not a city of Shandong; write its name (济南市 or 济南) or its division code (370100)."
    )


def test_validate_monthly_refuses_negative_fractional_and_non_numeric_counts(check, cucc):
    set_cell(cucc, 2, "携出申请量", "-3")
    set_cell(cucc, 3, "携出申请量", "484.5")
    set_cell(cucc, 4, "携出申请量", "很多")
    set_cell(cucc, 5, "携出申请量", "99999999999")
    set_cell(cucc, 6, "平均办结时长(小时)", "-1.5")
    assert messages(check(cucc)) == [
        "row 2, 携出申请量: “-3” is negative; a figure cannot be below 0.",
        "row 3, 携出申请量: “484.5” is not a whole number; counts are whole numbers.",
        "row 4, 携出申请量: “很多” is not a number.",
        "row 5, 携出申请量: “99999999999” is too large; at most 2,147,483,647 fits here.",
        "row 6, 平均办结时长(小时): “-1.5” is negative; a figure cannot be below 0.",
    ]


def test_validate_monthly_accepts_counts_as_calamine_and_excel_write_them(check, cucc):
    set_cell(cucc, 2, "携出申请量", "1764.0")
    set_cell(cucc, 3, "携出申请量", "1,308")
    set_cell(cucc, 4, "携出申请量", "１０８７")  # full-width digits
    set_cell(cucc, 5, "平均办结时长(小时)", "46.349")
    result = check(cucc)
    assert result.problems == []
    assert [r["port_out_applications"] for r in result.rows[:3]] == [1764, 1308, 1087]
    assert result.rows[3]["avg_resolution_hours"] == Decimal("46.35")


def test_validate_monthly_requires_the_average_time_when_complaints_were_resolved(check, cucc):
    set_cell(cucc, 2, "平均办结时长(小时)", "")
    assert messages(check(cucc)) == [
        "row 2, 平均办结时长(小时): This cell is empty, but it is required because 投诉办结量 is 40."
    ]


def test_validate_monthly_requires_every_required_figure(check, cucc):
    set_cell(cucc, 2, "携入成功量", "")
    assert messages(check(cucc)) == ["row 2, 携入成功量: This cell is empty, but a value is required."]


def test_validate_monthly_checks_the_total_row(check, cmcc):
    set_cell(cmcc, 4, "携出申请量", "973")
    set_cell(cmcc, 20, "携入申请量", "")  # an empty total (a formula never recalculated) claims nothing
    assert messages(check(cmcc)) == [
        "row 20, 携出申请量: The total is 46686, but the city rows add up to 46687."
    ]


def test_validate_monthly_wants_the_total_row_last(check, cmcc):
    cmcc.rows.append(["填报人：张三"] + [""] * 16)
    assert messages(check(cmcc)) == [
        "row 21: This row comes after the 合计 (total) row in row 20; the total must be the last row."
    ]


def test_validate_monthly_wants_failure_reasons_to_add_up(check, cmcc):
    set_cell(cmcc, 4, "失败-其他", "11")
    set_cell(cmcc, 20, "失败-其他", "703")
    assert messages(check(cmcc)) == [
        "row 4, 携出失败量: The five failure reasons add up to 39, but 携出失败量 is 38."
    ]


def test_validate_monthly_wants_all_five_failure_reason_columns_or_none(check, cmcc):
    drop_column(cmcc, "失败-其他")
    assert messages(check(cmcc)) == [
        "row 3: Some failure-reason columns are present but these are missing: 失败-其他. Give all five or none."
    ]


def test_validate_monthly_wants_all_five_failure_reasons_of_a_city_or_none(check, cmcc):
    set_cell(cmcc, 4, "失败-欠费", "")
    set_cell(cmcc, 20, "失败-欠费", "")
    assert messages(check(cmcc)) == [
        "row 4, 失败-欠费: Some failure reasons are filled in for this city but these are empty: 失败-欠费. "
        "Fill in all five or none."
    ]


def test_validate_monthly_reports_every_problem_at_once(check, cucc):
    set_cell(cucc, 2, "携出申请量", "-1")
    set_cell(cucc, 9, "携入申请量", "x")
    set_cell(cucc, 17, "地市", "济南")
    codes = [p.check_code for p in check(cucc).problems]
    assert codes == [
        "monthly.number.negative",
        "monthly.number.invalid",
        "monthly.city.duplicate",
        "monthly.city.missing",
    ]


def test_validate_monthly_warns_when_port_outs_exceed_applications(check, cucc):
    set_cell(cucc, 2, "携出成功量", "1750")
    result = check(cucc)
    assert result.ok
    assert [str(p) for p in result.warnings] == [
        "row 2, 携出申请量: 携出成功量 + 携出失败量 = 1814 is more than 携出申请量 = 1764. This can happen with "
        "last month's backlog; please explain."
    ]


def test_validate_monthly_warns_when_more_complaints_are_resolved_than_received(check, cucc):
    set_cell(cucc, 3, "投诉办结量", "9")
    assert [p.check_code for p in check(cucc).warnings] == ["monthly.complaints.resolved_exceeds_received"]


def test_validate_monthly_warns_about_outliers_against_the_previous_months(check, cucc):
    history = {
        "370100": {"port_out_applications": [500, 600, 550, None]},
        "370200": {"port_in_applications": [3000, 3000, 3000, 3000, 3000, 3000]},
        "370300": {"port_out_applications": [100, 100]},  # too few months: no comparison
        "370400": {"complaints_received": [0, 0, 0, 5]},  # median 0: no comparison
    }
    result = check(cucc, history=history)
    assert result.ok
    assert [str(p) for p in result.warnings] == [
        "row 2, 携出申请量: 1764 is more than 3 times the median (550) of this city's previous 3 months; please explain.",
        "row 3, 携入申请量: 932 is less than a third of the median (3000) of this city's previous 6 months; "
        "please explain.",
    ]


def test_validate_monthly_compares_complaints_with_the_ledger(check, cucc):
    counts = {row["city_code"]: row["complaints_received"] for row in check(cucc).rows}
    counts["370100"] = 39
    del counts["370300"]  # 淄博 reported 0 and has no ledger row: they agree
    result = check(cucc, ledger_counts=counts)
    assert [str(p) for p in result.warnings] == [
        "row 2, 携转投诉量: 40 complaints are reported, but the complaint ledger has 39 received this month in this city."
    ]


def test_validate_monthly_warns_once_when_there_is_no_ledger_at_all(check, cucc):
    assert [str(p) for p in check(cucc, ledger_counts={}).warnings] == [
        "The report counts 291 complaints, but the complaint ledger has none received this month. "
        "Upload the ledger first, or explain."
    ]


@override_settings(UPLOAD_MAX_ROWS=10)
def test_validate_monthly_refuses_more_rows_than_the_limit(check, cucc):
    assert messages(check(cucc)) == [
        "The file has more than 10 data rows, the most accepted in one file. Split it into several files."
    ]


def test_validate_monthly_speaks_chinese(check, cucc, chinese):
    set_cell(cucc, 3, "地市", "济南")
    set_cell(cucc, 4, "携出申请量", "-3")
    assert messages(check(cucc)) == [
        "row 3, 地市: 济南市出现了不止一行（首次出现在第 2 行）。",
        "row 4, 携出申请量: “-3”为负数；数据不能小于 0。",
        "以下地市缺少数据行：青岛市。16 个地市须各有一行。",
    ]
