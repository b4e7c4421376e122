"""Building upload files for the tests: CSV and .xlsx bytes, valid rows to spoil."""

import csv
import datetime as dt
import io

import xlsxwriter

TODAY = dt.date(2026, 11, 28)  # the sample files are of 2026-09 and 2026-10


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, *, first_row: int = 0) -> bytes:
    """An .xlsx whose cells are ``rows`` (dates as date cells), starting at row ``first_row``."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Sheet1")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows, start=first_row):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            elif isinstance(value, str):
                sheet.write_string(r, c, value)  # never turned into a formula or a number
            elif value is not None:
                sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


LEDGER_HEADERS = ["投诉编号", "受理日期", "地市", "投诉渠道", "投诉类别", "用户号码", "投诉内容", "处理状态", "办结日期", "处理结果", "用户满意度"]  # fmt: skip


def ledger_row(n: int, **changes) -> list[str]:
    """A valid ledger row; ``changes`` by header name."""
    row = {
        "投诉编号": f"CMCC-202610-{n:05d}",
        "受理日期": "2026-10-03",
        "地市": "济南市",
        "投诉渠道": "工信部申诉",
        "投诉类别": "BL1",
        "用户号码": "138****1234",
        "投诉内容": "营业员称需先取消融合套餐",
        "处理状态": "已办结",
        "办结日期": "2026-10-05",
        "处理结果": "已协助办理携出",
        "用户满意度": "满意",
    }
    row.update(changes)
    return [row[h] for h in LEDGER_HEADERS]


def ledger_csv(rows, headers=LEDGER_HEADERS) -> bytes:
    return csv_bytes([headers, *rows])


INSPECTION_HEADERS = ["检查日期", "运营商", "地市", "渠道", "网点名称", "检查方式", "检查场景", "是否发现问题", "问题描述", "违反条款", "严重程度", "检查机构"]  # fmt: skip


def inspection_row(**changes) -> list[str]:
    row = {
        "检查日期": "2026-09-12",
        "运营商": "中国联通",
        "地市": "日照市",
        "渠道": "营业厅",
        "网点名称": "日照东港营业厅",
        "检查方式": "暗访",
        "检查场景": "咨询携号转网条件并申请授权码",
        "是否发现问题": "是",
        "问题描述": "营业员称需先取消融合套餐",
        "违反条款": "BL1",
        "严重程度": "一般",
        "检查机构": "山东某第三方测评机构",
    }
    row.update(changes)
    return [row[h] for h in INSPECTION_HEADERS]
