"""Hostile workbooks (FORMATS.md, "Hostile files"): refused before they are parsed, the process
alive and answering after them, on the web and on the command line."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from supervision.casework.models import InspectionBatch, InspectionFinding
from supervision.ingest import FileRefused, read_sheet, reading
from supervision.reporting.models import ComplaintRecord, MonthlySubmission, PendingUpload

from .builders import csv_bytes
from .hostile import dimension_bomb, text_cell, workbook


def refusal(data, name="台账.xlsx"):
    with pytest.raises(FileRefused) as refused:
        read_sheet(data, name)
    return refused.value


# --- The reader -------------------------------------------------------------------------------


def test_read_sheet_refuses_cells_at_a1_and_xfd1048576_before_parsing():
    data = dimension_bomb()
    assert len(data) < 2048
    refused = refusal(data)
    assert refused.check.code == "file.sheet_extent"
    assert str(refused) == (
        "Sheet “Sheet1” of “台账.xlsx” reaches XFD1048576, beyond the 200,011 rows and 64 columns a sheet "
        "may use. Delete the rows and columns outside the table and save it again."
    )


def test_read_sheet_refuses_a_box_of_a1_to_cv200000():
    refused = refusal(dimension_bomb("CV200000", 200000))
    assert refused.check.code == "file.sheet_extent"
    assert "reaches CV200000" in str(refused)


def test_read_sheet_refuses_a_declared_dimension_beyond_the_limits():
    data = workbook(f'<row r="1">{text_cell("A1", "地市")}</row>', dimension="A1:XFD1048576")
    refused = refusal(data)
    assert refused.check.code == "file.sheet_extent"
    assert "reaches A1:XFD1048576" in str(refused)


def test_read_sheet_refuses_a_row_element_beyond_the_row_limit_even_without_cells():
    data = workbook(f'<row r="1">{text_cell("A1", "地市")}</row><row r="900000"/>')
    assert "reaches A900000" in str(refusal(data))


@override_settings(UPLOAD_MAX_ROWS=200_000)
def test_read_sheet_refuses_a_box_within_the_limits_but_over_the_cell_budget():
    # 64 columns × 100,000 rows: each limit kept, 6.4 million cells together.
    refused = refusal(dimension_bomb("BL100000", 100000))
    assert refused.check.code == "file.sheet_cells"
    assert str(refused) == (
        "Sheet “Sheet1” of “台账.xlsx” spans A1:BL100000, 6,400,000 cells; at most 6,000,000 cells can be "
        "read. Delete the empty rows and columns around the table, or split the file."
    )


def test_the_refusal_is_in_chinese_for_a_chinese_user(chinese):
    assert str(refusal(dimension_bomb())) == (
        "“台账.xlsx”的工作表“Sheet1”延伸至 XFD1048576，超出工作表允许使用的 200,011 行、64 列。"
        "请删除表格以外的行和列后重新保存。"
    )


@pytest.mark.parametrize(
    "sheet_xml",
    [
        # A namespace prefix on every element: read by the XML parser, not the plain scan.
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
        '<x:row r="2"><x:c r="XFD2"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>',
        # Cells without r: placed one after the other, as the format says.
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        "<row>" + "<c><v>1</v></c>" * 70 + "</row></sheetData></worksheet>",
        # Single quotes, and a cell whose row is not its row element's.
        "<worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><sheetData>"
        "<row r='1'><c r='A1'><v>1</v></c><c r='B1048576'><v>1</v></c></row></sheetData></worksheet>",
        # The plain form, but a cell far down in a row of its own.
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1"><v>1</v></c><c r="A1048576"><v>1</v></c></row></sheetData></worksheet>',
        # A comment before the far cell.
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><!-- x -->'
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="ZZ2"><v>1</v></c></row>'
        "</sheetData></worksheet>",
    ],
)
def test_read_sheet_refuses_far_cells_however_the_xml_is_written(sheet_xml):
    assert refusal(workbook("", sheet_xml=sheet_xml)).check.code == "file.sheet_extent"


def test_read_sheet_refuses_a_sheet_with_a_document_type_declaration():
    sheet_xml = (
        '<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row></sheetData></worksheet>'
    )
    assert refusal(workbook("", sheet_xml=sheet_xml)).check.code == "file.damaged"


def test_read_sheet_accepts_a_sheet_as_wide_and_long_as_the_limits_allow():
    rows = f'<row r="1">{text_cell("A1", "地市")}{text_cell("BL1", "备注")}</row>'
    rows += '<row r="5000"><c r="BL5000"><v>7</v></c></row>'
    sheet = read_sheet(workbook(rows, dimension="A1:BL5000"), "台账.xlsx")
    assert sheet.rows[0][0] == "地市" and sheet.rows[0][63] == "备注"
    assert sheet.rows[4999][63] == "7"


def test_a_hidden_sheet_beyond_the_limits_is_not_read_and_does_not_refuse_the_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(dimension_bomb())) as bomb, zipfile.ZipFile(buffer, "w") as out:
        for member in bomb.infolist():
            data = bomb.read(member)
            if member.filename == "xl/workbook.xml":
                data = data.replace(
                    b'<sheet name="Sheet1" sheetId="1" r:id="rId1"/>',
                    b'<sheet name="Data" sheetId="2" r:id="rId2"/>'
                    b'<sheet name="Sheet1" sheetId="1" state="hidden" r:id="rId1"/>',
                )
            if member.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/worksheet" Target="/xl/worksheets/data.xml"/></Relationships>',
                )
            out.writestr(member, data)
        out.writestr(
            "xl/worksheets/data.xml",
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            f'<row r="1">{text_cell("A1", "地市")}</row></sheetData></worksheet>',
        )
    sheet = read_sheet(buffer.getvalue(), "台账.xlsx")
    assert (sheet.sheet_name, sheet.rows) == ("Data", [["地市"]])


@pytest.mark.parametrize(
    "name", ["complaints_CTCC_2026-10.xlsx", "monthly_report_CMCC_2026-10.xlsx", "inspections_2026-09.xlsx"]
)
def test_the_plain_scan_reads_the_sample_workbooks_without_the_parser(monkeypatch, sample, name):
    def no_parser(*args, **kwargs):
        raise AssertionError("the XML parser was used")

    data, name = sample(name)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [m for m in archive.namelist() if m.startswith("xl/worksheets/sheet")]
        monkeypatch.setattr(reading, "_stream_xml", no_parser)
        for member in members:
            assert reading._Extent("Sheet1", name).scan_plain(archive, member), member


def test_a_csv_row_with_a_value_beyond_the_column_limit_is_refused():
    refused = refusal(csv_bytes([["地市", *[""] * 70, "x"]]), "台账.csv")
    assert refused.check.code == "file.sheet_extent"
    assert "reaches BT1" in str(refused)


def test_empty_csv_cells_beyond_the_column_limit_are_dropped():
    sheet = read_sheet(csv_bytes([["地市", *[""] * 99], ["济南", *[""] * 99]]), "台账.csv")
    assert [len(row) for row in sheet.rows] == [64, 64]


# --- Control characters are removed on import ------------------------------------------------


def test_control_characters_are_removed_from_every_cell_of_a_workbook():
    rows = '<row r="1">' + text_cell("A1", "投诉_x000B_内容_x0001_") + text_cell("B1", "制表\t符") + "</row>"
    assert read_sheet(workbook(rows), "台账.xlsx").rows == [["投诉内容", "制表\t符"]]


def test_control_characters_are_removed_from_every_cell_of_a_csv_file():
    data = "地市,投诉内容\n济南,用户\x0b投诉\x1f未\x7f处理\n".encode()
    assert read_sheet(data, "台账.csv").rows[1] == ["济南", "用户投诉未处理"]


# --- On the web: the upload is refused, the worker answers the next request -------------------


def bomb_upload(name="台账.xlsx"):
    return SimpleUploadedFile(name, dimension_bomb())


def test_a_dimension_bomb_uploaded_as_a_ledger_is_refused_and_the_site_answers(client, operator_a):
    client.force_login(operator_a)
    response = client.post(
        reverse("portal:ledger_upload"), {"ledger": bomb_upload()}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert response.status_code == 200
    assert "reaches XFD1048576" in response.content.decode()
    assert PendingUpload.objects.get().problems[0]["refused"].startswith("Sheet “Sheet1” of “台账.xlsx”")
    assert not ComplaintRecord.objects.exists()
    assert client.get(reverse("portal:ledger_upload")).status_code == 200


def test_a_dimension_bomb_uploaded_as_monthly_figures_is_refused_and_the_site_answers(client, operator_a):
    client.force_login(operator_a)
    response = client.post(
        reverse("portal:submission_new"),
        {
            "period": "2026-10",
            "figures": bomb_upload("月报.xlsx"),
            "narrative": "本月按要求开展携号转网服务工作。",
            "cases-TOTAL_FORMS": "0",
            "cases-INITIAL_FORMS": "0",
            "cases-MIN_NUM_FORMS": "0",
            "cases-MAX_NUM_FORMS": "10",
        },
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert response.status_code == 200
    assert "Sheet “Sheet1” of “月报.xlsx” reaches XFD1048576" in response.content.decode()
    assert not MonthlySubmission.objects.exists()
    assert client.get(reverse("portal:submissions")).status_code == 200


def test_a_dimension_bomb_uploaded_as_an_inspection_batch_is_refused_and_the_site_answers(client, regulator):
    client.force_login(regulator)
    response = client.post(
        reverse("control:inspection_upload"),
        {"file": bomb_upload("暗访.xlsx")},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert response.status_code == 200
    assert "reaches XFD1048576" in response.content.decode()
    assert not InspectionFinding.objects.exists()
    assert client.get(reverse("control:inspection_upload")).status_code == 200


# --- On the command line: a clear error, not an abort -----------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["import_complaints", "--operator", "CMCC"],
        ["import_monthly_report", "--operator", "CMCC", "--period", "2026-10"],
        ["import_inspections"],
    ],
)
def test_the_import_commands_refuse_a_dimension_bomb_with_a_message(command, tmp_path, regulator):
    path = tmp_path / "炸弹.xlsx"
    path.write_bytes(dimension_bomb())
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was stored: the file was refused."):
        call_command(
            command[0], str(path), *command[1:], "--language", "en", stdout=io.StringIO(), stderr=err
        )
    assert err.getvalue() == (
        "Sheet “Sheet1” of “炸弹.xlsx” reaches XFD1048576, beyond the 200,011 rows and 64 columns a sheet may "
        "use. Delete the rows and columns outside the table and save it again.\n"
    )
    assert not ComplaintRecord.objects.exists() and not InspectionBatch.objects.exists()
    # The same process imports the next file.
    call_command(command[0], str(_good_file(tmp_path, command[0])), *command[1:], stdout=io.StringIO())


def _good_file(tmp_path, command):
    from .conftest import SAMPLES

    name = {
        "import_complaints": "complaints_CMCC_2026-10_utf8bom.csv",
        "import_monthly_report": "monthly_report_CMCC_2026-10.xlsx",
        "import_inspections": "inspections_2026-09.xlsx",
    }[command]
    return SAMPLES / name


def test_an_imported_ledger_stores_its_texts_without_control_characters(db, samples, tmp_path):
    text = (samples / "complaints_CMCC_2026-10_utf8bom.csv").read_text(encoding="utf-8-sig")
    header, first, *rest = csv.reader(io.StringIO(text))
    first[header.index("投诉内容")] = "用户\x0b反映\x01携转\x1f受阻"
    path = tmp_path / "台账.csv"
    path.write_bytes(csv_bytes([header, first, *rest]))
    call_command("import_complaints", str(path), "--operator", "CMCC", stdout=io.StringIO())
    complaint = ComplaintRecord.objects.get(complaint_no=first[header.index("投诉编号")])
    assert complaint.summary == "用户反映携转受阻"
