"""Validating inspection batches: pure functions, no database (reference data passed in); the
batch's checks in the one catalogue, and its template, which passes validation once filled in.
Storing and ``manage.py import_inspections``: test_import_inspections.py."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import translation

from supervision.casework.ingest import TEMPLATE, validate_inspections
from supervision.ingest import CHECKS, read_sheet
from supervision.ingest.templates import build_template
from tests.builders import problem_messages as messages
from tests.reporting.builders import INSPECTION_HEADERS, TODAY, csv_bytes, inspection_row
from tests.reporting.conftest import reference  # noqa: F401  (the reference rows, without a database)

SAMPLE = "inspections_2026-09.xlsx"


@pytest.fixture(autouse=True)
def english(clock):
    """Messages in English, at the tests' instant (the sample's visits are of 2026-09)."""
    with translation.override("en"):
        yield


@pytest.fixture
def sample(samples):
    return (samples / SAMPLE).read_bytes(), SAMPLE


@pytest.fixture
def check(reference):  # noqa: F811
    def validate(rows):
        sheet = read_sheet(csv_bytes([INSPECTION_HEADERS, *rows]), "检查.csv")
        return validate_inspections(sheet, today=TODAY, reference=reference)

    return validate


def test_validate_inspections_accepts_the_sample_of_mixed_operators(sample, reference):  # noqa: F811
    result = validate_inspections(read_sheet(*sample), today=TODAY, reference=reference)
    assert result.problems == []
    assert len(result.records) == 60
    assert {r["operator_code"] for r in result.records} == {"CMCC", "CUCC", "CTCC", "CBN"}
    assert result.records[0] == {
        "visit_date": dt.date(2026, 9, 12),
        "operator_code": "CUCC",
        "city_code": "371100",
        "channel": "HOTLINE",
        "site": "",
        "method": "OPEN",
        "scenario": "咨询携号转网条件并申请授权码",
        "violation": True,
        "description": '用户申请授权码时系统提示"业务受限",营业员称需先取消融合套餐',
        "clause_code": "BL1",
        "severity": "MINOR",
        "agency": "山东某第三方测评机构",
    }


def test_validate_inspections_accepts_operator_codes_and_names(check):
    result = check(
        [inspection_row(运营商="CMCC"), inspection_row(运营商="中国广电"), inspection_row(运营商="cucc")]
    )
    assert [r["operator_code"] for r in result.records] == ["CMCC", "CBN", "CUCC"]


def test_validate_inspections_refuses_an_unknown_operator(check):
    assert messages(check([inspection_row(运营商="中国铁通")])) == [
        "row 2, 运营商: “中国铁通” is not an operator; use one of: 中国移动 (CMCC), 中国联通 (CUCC), "
        "中国电信 (CTCC), 中国广电 (CBN)."
    ]


def test_validate_inspections_wants_the_site_of_a_store_visit(check):
    assert messages(check([inspection_row(网点名称=""), inspection_row(渠道="客服热线", 网点名称="")])) == [
        "row 2, 网点名称: This cell is empty, but 渠道 is 营业厅 (store): name the store visited."
    ]


def test_validate_inspections_wants_the_finding_when_a_problem_was_found(check):
    assert messages(check([inspection_row(问题描述="", 违反条款="", 严重程度="")])) == [
        "row 2, 问题描述: This cell is empty, but 是否发现问题 is 是 (a problem was found): it is required.",
        "row 2, 违反条款: This cell is empty, but 是否发现问题 is 是 (a problem was found): it is required.",
        "row 2, 严重程度: This cell is empty, but 是否发现问题 is 是 (a problem was found): it is required.",
    ]


def test_validate_inspections_refuses_a_clause_when_no_problem_was_found(check):
    result = check([inspection_row(是否发现问题="否", 问题描述="服务规范")])
    assert [(p.column, p.check_code) for p in result.problems] == [
        ("违反条款", "inspections.finding.unexpected"),
        ("严重程度", "inspections.finding.unexpected"),
    ]
    assert check([inspection_row(是否发现问题="否", 违反条款="", 严重程度="")]).problems == []


def test_validate_inspections_takes_only_bottom_lines_as_clauses(check):
    assert [p.check_code for p in check([inspection_row(违反条款="SVC")]).problems] == [
        "inspections.value.unknown_choice"
    ]
    assert check([inspection_row(违反条款="恶意诱导申诉")]).records[0]["clause_code"] == "BL6"


def test_validate_inspections_requires_every_required_cell(check):
    assert messages(check([inspection_row(检查机构="", 检查日期="")])) == [
        "row 2, 检查日期: This cell is empty, but a value is required.",
        "row 2, 检查机构: This cell is empty, but a value is required.",
    ]


def test_validate_inspections_refuses_a_visit_in_the_future(check):
    assert messages(check([inspection_row(检查日期="2026/12/1")])) == [
        "row 2, 检查日期: 2026/12/1 is in the future (today is 2026-11-28)."
    ]


def test_the_inspection_checks_are_in_the_one_catalogue_after_reporting_s():
    assert list(CHECKS) == ["file", "monthly", "ledger", "inspections"]
    assert {c.code for c in CHECKS["inspections"]} >= {
        "inspections.header.missing",
        "inspections.operator.unknown",
        "inspections.finding.unexpected",
        "inspections.text.number_masked",
    }


def test_the_vocabularies_offer_every_choice_of_casework_s_enums(check):
    from supervision.casework.ingest import CHANNELS, METHODS, SEVERITIES
    from supervision.casework.models import InspectionChannel, InspectionMethod, Severity

    assert CHANNELS.allowed == "营业厅 (STORE), 客服热线 (HOTLINE), 网上营业厅 (ONLINE), APP, 短信 (SMS)"
    for lookup, enum in ((CHANNELS, InspectionChannel), (METHODS, InspectionMethod), (SEVERITIES, Severity)):
        assert {lookup.get(choice.value) for choice in enum} == set(enum.values)
    result = check([inspection_row(渠道="SMS", 网点名称="", 检查方式="第三方体验", 严重程度="严重")])
    assert (result.records[0]["channel"], result.records[0]["method"], result.records[0]["severity"]) == (
        InspectionChannel.SMS,
        InspectionMethod.MYSTERY_SHOPPER,
        Severity.SEVERE,
    )


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.filterwarnings("ignore:Data Validation extension:UserWarning")
def test_the_inspection_template_filled_in_passes_validation(reference):  # noqa: F811
    workbook = openpyxl.load_workbook(io.BytesIO(build_template(TEMPLATE, reference=reference)))
    sheet = workbook.worksheets[0]
    assert sheet["A1"].value == "明察暗访/第三方体验结果"
    assert [c.value for c in sheet[2]] == INSPECTION_HEADERS
    for col, value in enumerate(inspection_row(违反条款="BL3 虚假宣传"), start=1):
        sheet.cell(3, col, value)
    for col, value in enumerate(
        inspection_row(渠道="短信", 网点名称="", 是否发现问题="否", 问题描述="", 违反条款="", 严重程度=""),
        start=1,
    ):
        sheet.cell(4, col, value)
    result = validate_inspections(read_sheet(_save(workbook), "检查.xlsx"), today=TODAY, reference=reference)
    assert result.problems == []
    assert [(r["channel"], r["violation"], r["clause_code"]) for r in result.records] == [
        ("STORE", True, "BL3"),
        ("SMS", False, None),
    ]
    instructions = [c.value for c in workbook.worksheets[1]["A"]]
    assert "inspections.finding.required" in instructions and "file.too_large" in instructions
