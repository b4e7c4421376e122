"""Whose file, which month: the title rows above the header (FORMATS.md, "Rules for every upload")."""

import datetime as dt

import pytest

from supervision.reporting.ingest import read_sheet, validate_ledger, validate_monthly

from .builders import LEDGER_HEADERS, TODAY, ledger_row, xlsx_bytes

OCTOBER = dt.date(2026, 10, 1)
MONTHLY_HEADERS = ["地市", "授权码申请量", "携出申请量", "携出成功量", "携出失败量", "携入申请量", "携入成功量", "携转投诉量", "投诉办结量", "平均办结时长(小时)"]  # fmt: skip


def ledger_with_title(*title_rows, operator="CMCC", period=OCTOBER, reference=None):
    data = xlsx_bytes([*title_rows, LEDGER_HEADERS, ledger_row(1)])
    return validate_ledger(
        read_sheet(data, "台账.xlsx"),
        today=TODAY,
        reference=reference,
        operator=operator,
        period=period,
        filed_by=dt.date(2026, 10, 31),
    )


def codes(result):
    return [p.check_code for p in result.problems]


@pytest.fixture
def ledger(reference):
    return lambda *rows, **kw: ledger_with_title(*rows, reference=reference, **kw)


def test_a_title_naming_another_operator_is_an_error(ledger):
    result = ledger(["中国联通山东省分公司携号转网投诉台账(2026年10月)"])
    [error] = result.errors
    assert str(error) == (
        "row 1: The title names 中国联通, but this file is uploaded for 中国移动: it looks like another "
        "operator's file. Upload your own file."
    )


@pytest.mark.parametrize("title", ["山东联通 投诉台账", "China Unicom Shandong ledger", "CUCC 2026-10"])
def test_other_operators_are_recognised_by_short_name_english_name_and_code(ledger, title):
    assert "ledger.title.other_operator" in codes(ledger([title]))


def test_the_uploaders_own_name_in_the_title_is_fine(ledger):
    result = ledger(
        [
            "中国移动通信集团山东有限公司 携号转网投诉台账 (2026-10)",
            "填报单位:中国移动",
            "填报日期:",
            "2026-10-28",
        ]
    )
    assert result.problems == []


def test_a_title_naming_another_month_is_a_warning(ledger):
    result = ledger(["中国移动携号转网投诉台账(2026年9月)"])
    assert result.ok
    [warning] = result.warnings
    assert str(warning) == (
        "row 1: The title names the month 2026-09, but the chosen period is 2026-10; please check and explain."
    )


@pytest.mark.parametrize(
    ("cells", "warned"),
    [
        (["填报日期:", "2026-09-28"], True),
        (["填报日期：2026年11月3日"], True),
        (["填报日期:", dt.date(2026, 10, 29)], False),
        (["填报日期:2026-10-31"], False),
    ],
)
def test_a_filing_date_outside_the_period_is_a_warning(ledger, cells, warned):
    result = ledger(["填报单位:中国移动", *cells])
    assert ("ledger.filing_date.other_month" in codes(result)) is warned
    assert result.ok


def test_without_a_chosen_period_the_month_is_not_checked(ledger):
    assert ledger(["中国移动携号转网投诉台账(2026年9月)"], period=None).problems == []


def test_a_monthly_report_of_another_operator_is_refused(reference, sample):
    data, name = sample("monthly_report_CMCC_2026-10.xlsx")
    result = validate_monthly(read_sheet(data, name), reference=reference, operator="CUCC", period=OCTOBER)
    assert [p.check_code for p in result.errors] == [
        "monthly.title.other_operator",
        "monthly.title.other_operator",
    ]
    assert result.errors[0].row == 1 and "中国移动" in str(result.errors[0])


def test_a_monthly_report_filed_for_another_month_is_a_warning(reference, sample):
    data, name = sample("monthly_report_CMCC_2026-10.xlsx")
    september = dt.date(2026, 9, 1)
    result = validate_monthly(
        read_sheet(data, name),
        reference=reference,
        operator="CMCC",
        period=september,
        filed_by=dt.date(2026, 9, 30),
    )
    assert result.ok
    assert sorted(p.check_code for p in result.warnings) == [
        "monthly.filing_date.other_month",
        "monthly.title.other_month",
    ]


@pytest.mark.parametrize(
    ("file", "operator"),
    [
        ("monthly_report_CMCC_2026-10.xlsx", "CMCC"),
        ("monthly_report_CUCC_2026-10_gbk.csv", "CUCC"),
    ],
)
def test_the_monthly_samples_pass_the_whose_file_and_which_month_checks(reference, sample, file, operator):
    data, name = sample(file)
    result = validate_monthly(read_sheet(data, name), reference=reference, operator=operator, period=OCTOBER)
    assert [
        p.check_code for p in result.problems if ".title." in p.check_code or "filing_date" in p.check_code
    ] == []


@pytest.mark.parametrize(
    ("file", "operator"),
    [("complaints_CMCC_2026-10_utf8bom.csv", "CMCC"), ("complaints_CTCC_2026-10.xlsx", "CTCC")],
)
def test_the_ledger_samples_pass_the_whose_file_and_which_month_checks(reference, sample, file, operator):
    data, name = sample(file)
    result = validate_ledger(
        read_sheet(data, name), today=TODAY, reference=reference, operator=operator, period=OCTOBER
    )
    assert result.problems == []


def test_whose_file_messages_speak_chinese(ledger, chinese):
    [error] = ledger(["中国联通携号转网投诉台账"]).errors
    assert (
        error.message
        == "标题中写的是中国联通，但本文件以中国移动的名义上传，疑似其他运营商的文件。请上传本单位的文件。"
    )
