"""Validating complaint ledgers: pure functions, no database (reference data passed in)."""

import datetime as dt

import pytest

from supervision.reporting.ingest import read_sheet, validate_ledger
from tests.builders import problem_messages as messages

from .builders import LEDGER_HEADERS, TODAY, ledger_csv, ledger_row, xlsx_bytes


@pytest.fixture
def check(reference):
    def validate(rows, headers=LEDGER_HEADERS, today=TODAY):
        return validate_ledger(
            read_sheet(ledger_csv(rows, headers), "台账.csv"), today=today, reference=reference
        )

    return validate


def test_validate_ledger_accepts_the_cmcc_sample_in_utf8_with_bom(sample, reference):
    sheet = read_sheet(*sample("complaints_CMCC_2026-10_utf8bom.csv"))
    result = validate_ledger(sheet, today=TODAY, reference=reference)
    assert result.problems == []
    assert len(result.records) == 332
    first = result.records[0]
    assert first == {
        "row": 2,  # the row number as Excel shows it, for the messages of later checks
        "complaint_no": "CMCC-202610-00001",
        "received_on": dt.date(2026, 10, 17),  # written 2026/10/17
        "city_code": "370100",
        "channel": "MIIT",
        "category_code": "BL1",
        "msisdn_masked": "165****8310",
        "summary": '用户申请授权码时系统提示"业务受限",营业员称需先取消融合套餐',
        "status": "RESOLVED",
        "resolved_on": dt.date(2026, 10, 21),  # written 2026年10月21日
        "resolution": "已向用户解释并协助办理携出",
        "satisfaction": "SATISFIED",
    }


def test_validate_ledger_accepts_the_ctcc_sample_with_excel_date_cells(sample, reference):
    result = validate_ledger(
        read_sheet(*sample("complaints_CTCC_2026-10.xlsx")), today=TODAY, reference=reference
    )
    assert result.problems == []
    assert result.header_row == 2
    assert len(result.records) == 240
    assert result.records[0]["received_on"] == dt.date(2026, 10, 14)
    assert result.records[0]["status"] == "OPEN" and result.records[0]["resolved_on"] is None


def test_validate_ledger_accepts_codes_labels_and_both(check):
    result = check(
        [
            ledger_row(
                1, 投诉渠道="MIIT", 投诉类别="BL1 设限阻挠", 处理状态="RESOLVED", 用户满意度="基本满意"
            ),
            ledger_row(2, 投诉渠道="12300", 投诉类别="设限阻挠", 地市="370200"),
            ledger_row(3, 投诉渠道="app", 投诉类别="svc", 地市="青岛"),
        ]
    )
    assert result.problems == []
    assert [(r["channel"], r["category_code"], r["city_code"]) for r in result.records] == [
        ("MIIT", "BL1", "370100"),
        ("MIIT", "BL1", "370200"),
        ("ONLINE", "SVC", "370200"),
    ]


def test_validate_ledger_refuses_duplicate_complaint_numbers(check):
    assert messages(check([ledger_row(1), ledger_row(2), ledger_row(1)])) == [
        "row 4, 投诉编号: The complaint number CMCC-202610-00001 appears more than once (the first is row 2)."
    ]


def test_validate_ledger_refuses_future_and_unparseable_dates(check):
    result = check(
        [
            ledger_row(1, 受理日期="2026-11-29", 处理状态="处理中", 办结日期="", 处理结果=""),
            ledger_row(2, 受理日期="10/03/2026"),
            ledger_row(3, 受理日期="2026-02-30"),
            ledger_row(4, 受理日期="2026年10月3日", 办结日期="2026.10.2"),
        ]
    )
    assert messages(result) == [
        "row 2, 受理日期: 2026-11-29 is in the future (today is 2026-11-28).",
        "row 3, 受理日期: “10/03/2026” is not a date; write it as 2026-10-03, 2026/10/3 or 2026年10月3日.",
        "row 4, 受理日期: “2026-02-30” is not a date; write it as 2026-10-03, 2026/10/3 or 2026年10月3日.",
        "row 5, 办结日期: The complaint is resolved on 2026-10-02, before it was received (2026-10-03).",
    ]


def test_validate_ledger_wants_a_resolved_complaint_to_say_when_and_how(check):
    assert messages(check([ledger_row(1, 办结日期="", 处理结果="")])) == [
        "row 2, 办结日期: This cell is empty, but 处理状态 is 已办结 (resolved): give the date it was resolved.",
        "row 2, 处理结果: This cell is empty, but 处理状态 is 已办结 (resolved): say how the complaint was resolved.",
    ]


def test_validate_ledger_refuses_a_resolution_date_while_still_being_handled(check):
    assert [p.check_code for p in check([ledger_row(1, 处理状态="处理中")]).problems] == [
        "ledger.resolved_on.unexpected"
    ]


def test_validate_ledger_masks_a_full_mobile_number_with_a_notice(check):
    result = check(
        [
            ledger_row(1, 用户号码="13812345678"),
            ledger_row(2, 用户号码="+86 138-1234-5678"),
            ledger_row(3, 用户号码="１３８＊＊＊＊５６７８"),
        ]
    )
    assert result.ok
    assert [r["msisdn_masked"] for r in result.records] == ["138****5678"] * 3
    assert [str(p) for p in result.notices] == [
        "row 2, 用户号码: The full mobile number was masked to 138****5678; "
        "the site never stores a full subscriber number.",
        "row 3, 用户号码: The full mobile number was masked to 138****5678; "
        "the site never stores a full subscriber number.",
    ]
    assert result.warnings == []  # a notice asks for no explanation
    assert all("12345678" not in str(p.to_dict()) for p in result.problems)


def test_validate_ledger_refuses_anything_else_as_a_number_without_repeating_it(check):
    result = check([ledger_row(1, 用户号码="138123456789"), ledger_row(2, 用户号码="张三")])
    assert messages(result) == [
        "row 2, 用户号码: “138*****6789” is not a mobile number; write it masked, as 138****1234.",
        "row 3, 用户号码: “张三” is not a mobile number; write it masked, as 138****1234.",
    ]


def test_validate_ledger_masks_mobile_numbers_in_the_text(check):
    result = check([ledger_row(1, 投诉内容="用户13812345678反映无法携出", 处理结果="已回电 139 1234 5678")])
    assert result.ok
    assert result.records[0]["summary"] == "用户138****5678反映无法携出"
    assert result.records[0]["resolution"] == "已回电 139****5678"
    assert [p.check_code for p in result.notices] == ["ledger.text.number_masked"] * 2


def test_validate_ledger_keeps_formula_like_text_as_text(check):
    result = check(
        [ledger_row(1, 投诉内容='=HYPERLINK("http://x","点击")', 处理结果="+1 已处理", 投诉编号="@1")]
    )
    assert result.ok
    record = result.records[0]
    assert (record["summary"], record["resolution"], record["complaint_no"]) == (
        '=HYPERLINK("http://x","点击")',
        "+1 已处理",
        "@1",
    )


def test_validate_ledger_lists_the_accepted_values_of_a_coded_column(check):
    assert messages(check([ledger_row(1, 投诉渠道="微博")])) == [
        "row 2, 投诉渠道: “微博” is not an accepted value; use one of: 工信部申诉/12300 (MIIT), 管局转办 (CA), "
        "客服热线 (HOTLINE), 营业厅 (STORE), 网上营业厅/APP (ONLINE), 媒体舆情 (MEDIA), 其他 (OTHER)."
    ]


def test_validate_ledger_limits_text_length(check):
    assert messages(check([ledger_row(1, 投诉内容="长" * 2001)])) == [
        "row 2, 投诉内容: The text is 2001 characters long; at most 2000 are allowed."
    ]


def test_validate_ledger_reports_missing_columns_once_and_not_in_every_row(check):
    headers = [h for h in LEDGER_HEADERS if h != "投诉类别"]
    rows = [
        [v for h, v in zip(LEDGER_HEADERS, ledger_row(n), strict=True) if h != "投诉类别"] for n in (1, 2)
    ]
    assert messages(check(rows, headers)) == ["row 1, 投诉类别: This required column is missing."]


def test_validate_ledger_wants_data_rows(check):
    assert messages(check([])) == ["The file has a header row but no data rows."]


def test_validate_ledger_reads_an_xlsx_with_a_title_and_date_cells(reference):
    rows = [["中国移动 携号转网投诉台账"], LEDGER_HEADERS, ledger_row(1, 受理日期=dt.date(2026, 10, 3))]
    sheet = read_sheet(xlsx_bytes(rows), "台账.xlsx")
    result = validate_ledger(sheet, today=TODAY, reference=reference)
    assert result.problems == []
    assert result.records[0]["received_on"] == dt.date(2026, 10, 3)


def test_validate_ledger_speaks_chinese(check, chinese):
    assert messages(check([ledger_row(1), ledger_row(1, 受理日期="明天")])) == [
        "row 3, 投诉编号: 投诉编号 CMCC-202610-00001 出现了不止一次（首次出现在第 2 行）。",
        "row 3, 受理日期: “明天”不是日期；请写作 2026-10-03、2026/10/3 或 2026年10月3日。",
    ]
