"""Reading: any accepted file → rows of strings; anything else refused with a clear message."""

import codecs
import datetime as dt
import io
import struct
import zipfile

import openpyxl
import pytest
import xlsxwriter
from django.test import override_settings

from supervision.ingest import FileRefused, read_sheet

from .builders import csv_bytes, xlsx_bytes

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200)
CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)  # the start of an .xls (or encrypted .xlsx)


def refusal(data, name):
    with pytest.raises(FileRefused) as refused:
        read_sheet(data, name)
    return refused.value


def test_read_sheet_refuses_an_empty_file():
    refused = refusal(b"", "月报.xlsx")
    assert refused.check.code == "file.empty"
    assert str(refused) == "The file “月报.xlsx” is empty."


def test_read_sheet_refuses_an_xls_file_by_its_name():
    refused = refusal(CFB, "月报.xls")
    assert refused.check.code == "file.xls"
    assert str(refused).startswith(
        "“月报.xls” is an Excel 97–2003 workbook (.xls) or a password-protected workbook"
    )


def test_read_sheet_refuses_an_xls_file_renamed_to_xlsx():
    assert refusal(CFB, "月报.xlsx").check.code == "file.xls"


def test_read_sheet_refuses_other_extensions():
    refused = refusal(b"a,b\n", "月报.txt")
    assert str(refused) == (
        "“月报.txt” is neither an Excel workbook (.xlsx) nor a CSV file (.csv); only these two are accepted."
    )


def test_read_sheet_refuses_an_image_renamed_to_xlsx():
    refused = refusal(PNG, "月报.xlsx")
    assert str(refused) == (
        "“月报.xlsx” is named .xlsx but is not an Excel workbook (its content is of type image/png). "
        "Save it from Excel as “Excel Workbook (*.xlsx)”, or as CSV and name it .csv."
    )


def test_read_sheet_refuses_a_csv_file_renamed_to_xlsx():
    refused = refusal(csv_bytes([["地市"], ["济南"]]), "月报.xlsx")
    assert refused.check.code == "file.not_xlsx"
    assert "text/plain" in str(refused)


def test_read_sheet_refuses_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert refusal(buffer.getvalue(), "月报.xlsx").check.code == "file.not_xlsx"


def test_read_sheet_refuses_a_binary_file_renamed_to_csv():
    refused = refusal(PNG, "台账.csv")
    assert str(refused) == (
        "“台账.csv” is named .csv but is not a text file (its content is of type image/png). "
        "Save it from Excel as “CSV UTF-8 (Comma delimited)”."
    )


def test_read_sheet_refuses_a_damaged_workbook():
    data = xlsx_bytes([["地市", "携出申请量"], ["济南", 1]])
    refused = refusal(data[: len(data) // 2], "月报.xlsx")
    assert str(refused) == (
        "“月报.xlsx” is damaged or incomplete and cannot be read. Save it again from Excel and upload the new file."
    )


def _workbook_with_member(name, content: bytes) -> bytes:
    """A real workbook with one more member added (e.g. a bomb)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["地市"], ["济南"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            archive.writestr(member, source.read(member))
        archive.writestr(name, content)
    return buffer.getvalue()


def test_read_sheet_refuses_a_decompression_bomb_by_its_ratio():
    data = _workbook_with_member("xl/media/bomb.bin", bytes(8 * 1024 * 1024))  # 8 MB of zeros → 8 KB
    refused = refusal(data, "月报.xlsx")
    assert refused.check.code == "file.compression_ratio"
    assert "was refused as a possible “zip bomb”" in str(refused)


@override_settings(UPLOAD_MAX_BYTES=100_000)
def test_read_sheet_refuses_a_workbook_that_unpacks_to_more_than_ten_times_the_size_limit():
    data = _workbook_with_member("xl/media/big.bin", bytes(1_500_000))
    assert len(data) < 100_000
    refused = refusal(data, "月报.xlsx")
    assert (
        str(refused)
        == "“月报.xlsx” unpacks to 1.4 MB, more than the 977 KB allowed. Split it into smaller files."
    )


def test_read_sheet_refuses_a_zip_whose_declared_sizes_lie():
    # The directory claims 1 KB for a member that unpacks to 8 MB: the CRC check catches it.
    data = bytearray(_workbook_with_member("xl/media/liar.bin", bytes(8 * 1024 * 1024)))
    local = data.rindex(b"PK\x03\x04")
    central = data.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 1024)
    struct.pack_into("<I", data, central + 24, 1024)
    assert refusal(bytes(data), "月报.xlsx").check.code == "file.damaged"


@override_settings(UPLOAD_MAX_BYTES=2048)
def test_read_sheet_refuses_a_file_over_the_size_limit():
    refused = refusal(b"x" * 3000, "台账.csv")
    assert str(refused) == "“台账.csv” is 3 KB; a file may be at most 2 KB. Split it into smaller files."


def test_read_sheet_refuses_a_csv_file_in_no_known_encoding():
    refused = refusal(bytes([0xFF, 0xFD, 0x80]) * 50, "台账.csv")
    assert str(refused) == (
        "“台账.csv” is not in a character encoding that can be read. Save it from Excel as "
        "“CSV UTF-8 (Comma delimited)” or as “CSV (Comma delimited)”."
    )


@override_settings(UPLOAD_MAX_ROWS=5)
def test_read_sheet_stops_a_file_far_over_the_row_limit():
    refused = refusal(csv_bytes([["投诉编号"]] + [[str(i)] for i in range(40)]), "台账.csv")
    assert str(refused) == (
        "The file has more than 5 data rows, the most accepted in one file. Split it into several files."
    )


def test_read_sheet_refuses_a_workbook_without_data():
    refused = refusal(xlsx_bytes([]), "月报.xlsx")
    assert str(refused) == "“月报.xlsx” contains no data."


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030", "gbk", "utf-16"])
def test_read_sheet_decodes_the_encodings_excel_writes(encoding):
    sheet = read_sheet(csv_bytes([["地市", "携出申请量"], ["济南", "1,234"]], encoding), "月报.csv")
    assert sheet.rows == [["地市", "携出申请量"], ["济南", "1,234"]]
    assert sheet.file_format == "csv"


def test_read_sheet_reads_tab_separated_text_named_csv():
    sheet = read_sheet("地市\t携出申请量\n济南\t12\n".encode(), "月报.csv")
    assert sheet.rows == [["地市", "携出申请量"], ["济南", "12"]]


def test_read_sheet_keeps_excel_row_numbers_when_rows_above_are_empty():
    sheet = read_sheet(xlsx_bytes([["地市", "携出申请量"], ["济南", 12]], first_row=4), "月报.xlsx")
    assert sheet.rows[4] == ["地市", "携出申请量"]  # Excel's row 5
    assert sheet.rows[0] == ["", ""]


def test_read_sheet_reads_cells_as_the_user_sees_them():
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_number(0, 0, 484)
    sheet.write_number(0, 1, 484.5)
    sheet.write_datetime(0, 2, dt.datetime(2026, 10, 3), date)
    sheet.write_datetime(0, 3, dt.datetime(2026, 10, 3, 14, 30), date)
    sheet.write_boolean(0, 4, True)
    sheet.write_number(0, 5, 13812345678)
    sheet.write_formula(0, 6, "=1+2", None, 3)  # what Excel displayed is what is read
    sheet.write_string(0, 7, '=HYPERLINK("http://x")')  # text that looks like a formula stays text
    sheet.write_string(0, 8, "@SUM(A1)")
    workbook.close()
    row = read_sheet(buffer.getvalue(), "x.xlsx").rows[0]
    assert row == ["484", "484.5", "2026-10-03", "2026-10-03 14:30:00", "TRUE", "13812345678", "3",
                   '=HYPERLINK("http://x")', "@SUM(A1)"]  # fmt: skip


def test_read_sheet_never_evaluates_a_formula_that_has_no_cached_value():
    # openpyxl writes formulas without their results: the cell reads as empty, not as the
    # formula and not as a value this code computed.
    workbook = openpyxl.Workbook()
    workbook.active.append([1, 2, "=A1+B1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_sheet(buffer.getvalue(), "x.xlsx").rows[0][2:] in ([], [""])


def test_read_sheet_keeps_formula_like_text_in_csv():
    sheet = read_sheet(csv_bytes([["=cmd|' /C calc'!A0", "+1", "-2", "@x"]]), "x.csv")
    assert sheet.rows == [["=cmd|' /C calc'!A0", "+1", "-2", "@x"]]


def test_read_sheet_reads_the_first_visible_sheet_with_data():
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.add_worksheet("空白")
    hidden = workbook.add_worksheet("隐藏")
    hidden.write_string(0, 0, "hidden")
    hidden.hide()
    workbook.add_worksheet("数据").write_string(0, 0, "地市")
    workbook.close()
    sheet = read_sheet(buffer.getvalue(), "x.xlsx")
    assert (sheet.sheet_name, sheet.rows) == ("数据", [["地市"]])


def test_read_sheet_takes_the_name_without_a_path():
    assert read_sheet(codecs.BOM_UTF8 + "地市\n".encode(), "C:\\Users\\张\\月报.CSV").file_name == "月报.CSV"


def test_read_sheet_never_expands_xml_entities():
    # A "billion laughs" sheet: calamine does not expand entity declarations, so the cell
    # never grows to gigabytes; the sheet reads as holding nothing and is refused.
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["地市", "济南"]])))
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                text = data.decode().replace("?>", f"?><!DOCTYPE lolz [{entities}]>", 1)
                data = text.replace(
                    '<c r="A1" t="s"><v>0</v></c>', '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>'
                ).encode()
            archive.writestr(member, data)
    with pytest.raises(FileRefused):
        read_sheet(buffer.getvalue(), "月报.xlsx")


@pytest.mark.parametrize("garbage", [b"<worksheet><sheetData><row><c r='A1'", b"\xff\xfe not xml", b""])
def test_read_sheet_refuses_a_workbook_whose_sheet_is_not_xml(garbage):
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["地市"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in source.infolist():
            archive.writestr(
                member, garbage if member.filename.endswith("sheet1.xml") else source.read(member)
            )
    assert refusal(buffer.getvalue(), "月报.xlsx").check.code in ("file.damaged", "file.no_data")
