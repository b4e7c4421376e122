"""The downloadable templates: filled in correctly, they pass validation."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from supervision.core.models import Operator, Period
from supervision.reporting.ingest import (
    build_template,
    read_sheet,
    validate_ledger,
    validate_monthly,
)
from supervision.reporting.ingest.workbook_templates import template_filename

from .builders import LEDGER_HEADERS, TODAY, ledger_row

pytestmark = pytest.mark.filterwarnings("ignore:Data Validation extension:UserWarning")


def open_template(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_the_monthly_template_has_a_title_headers_with_notes_and_the_sixteen_cities():
    data = build_template(
        "monthly", operator=Operator.objects.get(code="CMCC"), period=Period.objects.from_label("2026-10")
    )
    workbook = open_template(data)
    sheet = workbook.worksheets[0]
    assert sheet["A1"].value == "中国移动 2026-10 携号转网月报"
    assert [c.value for c in sheet[2]][:3] == ["地市", "授权码申请量", "携出申请量"]
    assert sheet["B2"].comment.text.startswith(
        "授权码申请量 (auth_code_requests)\nRequired. A whole number, 0 or more."
    )
    assert [sheet.cell(row, 1).value for row in (3, 18, 19)] == ["济南市", "菏泽市", "合计"]
    assert sheet["C19"].value == "=SUM(C3:C18)"
    assert workbook.sheetnames[1] == "Instructions"


def test_the_template_file_name_says_what_it_is():
    assert template_filename("ledger", period="2026-10") == "2026-10_携号转网投诉台账.xlsx"


def _fill_monthly(sheet):
    figures = [100, 80, 70, 5, 60, 50, 3, 2, 12.5, 100.25, 200, 1, 1, 1, 1, 1]
    for row in range(3, 19):
        for col, value in enumerate(figures, start=2):
            sheet.cell(row, col, value)


def test_the_monthly_template_filled_in_passes_validation(db, reference):
    workbook = open_template(build_template("monthly", reference=reference))
    _fill_monthly(workbook.worksheets[0])
    # openpyxl saves the 合计 formulas without results, as a program that never recalculates
    # would: an empty total claims nothing.
    result = validate_monthly(read_sheet(save(workbook), "月报.xlsx"), reference=reference)
    assert result.problems == []
    assert len(result.rows) == 16
    assert result.rows[15] == {
        "city_code": "371700",
        "auth_code_requests": 100,
        "port_out_applications": 80,
        "port_out_completed": 70,
        "port_out_failed": 5,
        "port_in_applications": 60,
        "port_in_completed": 50,
        "complaints_received": 3,
        "complaints_resolved": 2,
        "avg_resolution_hours": Decimal("12.50"),
        "subscribers_10k": Decimal("100.25"),
        "eligibility_queries": 200,
        "failed_not_real_name": 1,
        "failed_arrears": 1,
        "failed_contract": 1,
        "failed_120_days": 1,
        "failed_other": 1,
    }


def test_the_monthly_template_with_totals_typed_in_checks_them(reference):
    workbook = open_template(build_template("monthly", reference=reference))
    sheet = workbook.worksheets[0]
    _fill_monthly(sheet)
    for col in range(2, 18):
        sheet.cell(19, col, None)
    sheet.cell(19, 3, 16 * 80)
    sheet.cell(19, 4, 16 * 70 + 1)
    result = validate_monthly(read_sheet(save(workbook), "月报.xlsx"), reference=reference)
    assert [str(p) for p in result.problems] == [
        "row 19, 携出成功量: The total is 1121, but the city rows add up to 1120."
    ]


def test_the_ledger_template_filled_in_passes_validation(reference):
    workbook = open_template(build_template("ledger", reference=reference))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[2]] == LEDGER_HEADERS
    assert all(cell.comment is not None for cell in sheet[2])
    offered = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert offered["D3"] == '"工信部申诉,管局转办,客服热线,营业厅,网上营业厅,媒体舆情,其他"'
    assert offered["E3"].startswith('"BL1 设限阻挠,BL2 违规限制')
    for n in (1, 2):
        values = ledger_row(
            n, 受理日期=dt.datetime(2026, 10, n), 投诉类别="BL2 违规限制", 办结日期=dt.datetime(2026, 10, 9)
        )
        for col, value in enumerate(values, start=1):
            sheet.cell(2 + n, col, value)
    result = validate_ledger(read_sheet(save(workbook), "台账.xlsx"), today=TODAY, reference=reference)
    assert result.problems == []
    assert [(r["received_on"], r["category_code"]) for r in result.records] == [
        (dt.date(2026, 10, 1), "BL2"),
        (dt.date(2026, 10, 2), "BL2"),
    ]


def test_the_template_notes_speak_the_active_language(reference, chinese):
    sheet = open_template(build_template("ledger", reference=reference)).worksheets[0]
    assert sheet["D2"].comment.text == (
        "投诉渠道 (channel)\n必填。\n可填写：工信部申诉/12300 (MIIT), 管局转办 (CA), 客服热线 (HOTLINE), "
        "营业厅 (STORE), 网上营业厅/APP (ONLINE), 媒体舆情 (MEDIA), 其他 (OTHER)"
    )
