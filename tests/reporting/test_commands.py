"""The import commands: stored with a summary, or nothing stored and every error on stderr."""

import io
import zipfile

import openpyxl
import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.db import connections
from django.test import override_settings
from django.utils import timezone

from supervision.casework.models import InspectionFinding
from supervision.core.models import Operator, Period
from supervision.reporting.models import (
    CityFigures,
    ComplaintRecord,
    LedgerUpload,
    MonthlySubmission,
    SubmissionState,
)

from .builders import (
    INSPECTION_HEADERS,
    LEDGER_HEADERS,
    csv_bytes,
    inspection_row,
    ledger_csv,
    ledger_row,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

CMCC_REPORT = "monthly_report_CMCC_2026-10.xlsx"
CUCC_REPORT = "monthly_report_CUCC_2026-10_gbk.csv"
CMCC_LEDGER = "complaints_CMCC_2026-10_utf8bom.csv"


def run(*args, language="en"):
    """(stdout, stderr, the CommandError or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, "--language", language, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


@pytest.fixture
def file_at(tmp_path):
    """``file_at(bytes, name)`` → the path of a file with that content."""

    def write(data, name):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return write


def nothing_stored():
    return not any(
        model.objects.exists()
        for model in (MonthlySubmission, CityFigures, ComplaintRecord, LedgerUpload, InspectionFinding)
    )


# --- Stored ----------------------------------------------------------------------------------


def test_import_complaints_stores_the_ledger(samples):
    out, err, error = run("import_complaints", str(samples / CMCC_LEDGER), "--operator", "CMCC")
    assert error is None and err == ""
    assert out == f"Stored CMCC ledger {CMCC_LEDGER}: 332 complaints added, 0 updated, 0 unchanged.\n"
    assert ComplaintRecord.objects.filter(operator__code="CMCC").count() == 332


def test_import_monthly_report_stores_a_submitted_version(samples):
    run("import_complaints", str(samples / CMCC_LEDGER), "--operator", "CMCC")
    out, err, error = run(
        "import_monthly_report", str(samples / CMCC_REPORT), "--operator", "CMCC", "--period", "2026-10"
    )
    assert error is None and err == ""
    submission = MonthlySubmission.objects.get()
    assert out == f"Stored CMCC 2026-10, version 1: 16 cities; receipt {submission.receipt_no}.\n"
    assert submission.state == SubmissionState.SUBMITTED and submission.submitted_at is not None
    assert submission.figures.count() == 16 and submission.warnings == []


def test_import_monthly_report_again_makes_a_new_version_and_lists_its_warnings(samples):
    path = str(samples / CUCC_REPORT)
    run("import_monthly_report", path, "--operator", "CUCC", "--period", "2026-10")
    out, _err, error = run("import_monthly_report", path, "--operator", "CUCC", "--period", "2026-10")
    assert error is None
    assert out.splitlines()[1:] == [
        "warning: The report counts 291 complaints, but the complaint ledger has none received this month. "
        "Upload the ledger first, or explain."
    ]
    first, second = MonthlySubmission.objects.order_by("version")
    assert (first.state, second.state, second.version) == (
        SubmissionState.SUPERSEDED,
        SubmissionState.SUBMITTED,
        2,
    )
    assert second.warnings == [
        {"check_code": "monthly.ledger.absent", "row": None, "column": None, "value": None,
         "params": {"total": 291}, "kind": "warning", "blocking": False, "needs_explanation": True,
         "explanation": ""}
    ]  # fmt: skip


def test_import_complaints_lists_the_notices(file_at):
    out, _err, error = run("import_complaints", file_at(ledger_csv([ledger_row(1, 用户号码="13812345678")]), "台账.csv"),
                           "--operator", "CMCC")  # fmt: skip
    assert error is None
    assert out.splitlines()[1] == (
        "notice: row 2, 用户号码: The full mobile number was masked to 138****5678; "
        "the site never stores a full subscriber number."
    )


# --- Refused ---------------------------------------------------------------------------------


def test_import_monthly_report_is_refused_for_a_locked_period(samples):
    Period.objects.filter(pk=Period.objects.from_label("2026-10").pk).update(locked_at=timezone.now())
    _out, _err, error = run(
        "import_monthly_report", str(samples / CMCC_REPORT), "--operator", "CMCC", "--period", "2026-10"
    )
    assert str(error) == "The period 2026-10 is locked; ask the administration to unlock it."
    assert nothing_stored()


def test_import_monthly_report_is_refused_once_the_report_was_accepted(samples):
    path = str(samples / CMCC_REPORT)
    run("import_monthly_report", path, "--operator", "CMCC", "--period", "2026-10")
    MonthlySubmission.objects.update(state=SubmissionState.ACCEPTED)
    _out, _err, error = run("import_monthly_report", path, "--operator", "CMCC", "--period", "2026-10")
    assert str(error) == (
        "The administration has already accepted the report for 2026-10; it can no longer be replaced."
    )
    assert MonthlySubmission.objects.count() == 1


def test_import_commands_refuse_an_unknown_operator_and_a_bad_period(samples):
    path = str(samples / CMCC_REPORT)
    _out, _err, error = run("import_complaints", path, "--operator", "CMCX")
    assert str(error) == "“CMCX” is not an operator; use one of CMCC, CUCC, CTCC, CBN."
    _out, _err, error = run("import_monthly_report", path, "--operator", "CMCC", "--period", "2026-13")
    assert str(error) == "“2026-13” is not a period; write it as YYYY-MM, e.g. 2026-10."


def test_import_commands_refuse_a_file_that_cannot_be_read(tmp_path):
    _out, _err, error = run("import_inspections", str(tmp_path / "nowhere.xlsx"))
    assert str(error).startswith("Cannot read ")


def _spoil(data, edits):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for cell, value in edits.items():
        workbook.active[cell] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bomb():
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["投诉编号"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            archive.writestr(member, source.read(member))
        archive.writestr("xl/media/bomb.bin", bytes(16 * 1024 * 1024))
    return buffer.getvalue()


def _cucc_csv(samples, edit):
    rows = [line.split(",") for line in (samples / CUCC_REPORT).read_bytes().decode("gb18030").splitlines()]
    edit(rows)
    return csv_bytes(rows, "gb18030")


def _ratio(data):
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        return None
    return sum(m.file_size for m in members) // sum(m.compress_size for m in members)


# (command, file name, content(samples) → bytes, the stderr lines expected)
BAD_FILES = {
    "ledger wrong columns": (
        "import_complaints", "台账.csv", lambda s: csv_bytes([["编号", "日期", "内容"], ["1", "2026-10-01", "x"]]),
        ["No header row was found in the first 10 rows. The expected headers are: 投诉编号, 受理日期, 地市, 投诉渠道, "
         "投诉类别, 用户号码, 投诉内容, 处理状态, 办结日期, 处理结果, 用户满意度."],
    ),
    "ledger missing column": (
        "import_complaints", "台账.csv",
        lambda s: ledger_csv([ledger_row(1)[:6] + ledger_row(1)[7:]], LEDGER_HEADERS[:6] + LEDGER_HEADERS[7:]),
        ["row 1, 投诉内容: This required column is missing."],
    ),
    "empty file": ("import_monthly_report", "月报.xlsx", lambda s: b"", ["The file “月报.xlsx” is empty."]),
    "renamed binary": (
        "import_complaints", "台账.xlsx", lambda s: b"%PDF-1.7\n" + bytes(300),
        ["“台账.xlsx” is named .xlsx but is not an Excel workbook (its content is of type application/pdf). "
         "Save it from Excel as “Excel Workbook (*.xlsx)”, or as CSV and name it .csv."],
    ),
    "xls": (
        "import_inspections", "检查.xls", lambda s: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        ["“检查.xls” is an Excel 97–2003 workbook (.xls) or a password-protected workbook, which cannot be read. "
         "Open it in Excel, remove any password and save it as “Excel Workbook (*.xlsx)”."],
    ),
    "damaged zip": (
        "import_monthly_report", "月报.xlsx", lambda s: (s / CMCC_REPORT).read_bytes()[:3000],
        ["“月报.xlsx” is damaged or incomplete and cannot be read. Save it again from Excel and upload the new file."],
    ),
    "decompression bomb": (
        "import_complaints", "台账.xlsx", lambda s: _bomb(),
        ["“台账.xlsx” is compressed %(ratio)s to 1, far more than any real workbook; it was refused as a possible "
         "“zip bomb”."],
    ),
    "wrong encoding": (
        "import_complaints", "台账.csv", lambda s: bytes([0xFF, 0xFD, 0x80]) * 50,
        ["“台账.csv” is not in a character encoding that can be read. Save it from Excel as "
         "“CSV UTF-8 (Comma delimited)” or as “CSV (Comma delimited)”."],
    ),
    "duplicate cities": (
        "import_monthly_report", "月报.csv", lambda s: _cucc_csv(s, lambda rows: rows[3].__setitem__(0, "青岛市")),
        ["row 4, 地市: 青岛市 has more than one row (the first is row 3).",
         "These cities have no row: 淄博市. Every one of the 16 cities needs exactly one row."],
    ),
    "negative and fractional counts": (
        "import_monthly_report", "月报.csv",
        lambda s: _cucc_csv(s, lambda rows: (rows[1].__setitem__(2, "-3"), rows[2].__setitem__(3, "12.5"))),
        ["row 2, 携出申请量: “-3” is negative; a figure cannot be below 0.",
         "row 3, 携出成功量: “12.5” is not a whole number; counts are whole numbers."],
    ),
    "total mismatch": (
        "import_monthly_report", "月报.xlsx", lambda s: _spoil((s / CMCC_REPORT).read_bytes(), {"H20": 333}),
        ["row 20, 携转投诉量: The total is 333, but the city rows add up to 332."],
    ),
    "failure reasons not summing": (
        "import_monthly_report", "月报.xlsx",
        lambda s: _spoil((s / CMCC_REPORT).read_bytes(), {"M4": 4, "M20": 328}),
        ["row 4, 携出失败量: The five failure reasons add up to 39, but 携出失败量 is 38."],
    ),
    "duplicate complaint numbers": (
        "import_complaints", "台账.csv", lambda s: ledger_csv([ledger_row(1), ledger_row(2), ledger_row(1)]),
        ["row 4, 投诉编号: The complaint number CMCC-202610-00001 appears more than once (the first is row 2)."],
    ),
    "future and unparseable dates": (
        "import_complaints", "台账.csv",
        lambda s: ledger_csv([ledger_row(1, 受理日期="2099-01-01", 办结日期="2099-01-02"), ledger_row(2, 办结日期="下周")]),
        ["row 2, 受理日期: 2099-01-01 is in the future (today is %(today)s).",
         "row 2, 办结日期: 2099-01-02 is in the future (today is %(today)s).",
         "row 3, 办结日期: “下周” is not a date; write it as 2026-10-03, 2026/10/3 or 2026年10月3日."],
    ),
    "inspection without its finding": (
        "import_inspections", "检查.csv", lambda s: csv_bytes([INSPECTION_HEADERS, inspection_row(违反条款="")]),
        ["row 2, 违反条款: This cell is empty, but 是否发现问题 is 是 (a problem was found): it is required."],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_import_commands_store_nothing_and_list_every_error(case, samples, file_at):
    command, name, content, expected = BAD_FILES[case]
    args = {"import_monthly_report": ["--operator", "CMCC", "--period", "2026-10"],
            "import_complaints": ["--operator", "CMCC"], "import_inspections": []}[command]  # fmt: skip
    data = content(samples)
    out, err, error = run(command, file_at(data, name), *args)
    values = {"today": timezone.localdate().isoformat(), "ratio": _ratio(data)}
    assert err.splitlines() == [line % values for line in expected]
    assert error is not None and error.returncode == 1
    assert str(error) in (
        "Nothing was stored: the file was refused.",
        f"Nothing was stored. Errors in the file: {len(expected)}.",
    )
    assert out == ""
    assert nothing_stored()


@override_settings(UPLOAD_MAX_ROWS=3)
def test_import_complaints_refuses_a_file_over_the_row_limit(file_at):
    _out, err, error = run("import_complaints", file_at(ledger_csv([ledger_row(n) for n in range(5)]), "台账.csv"),
                           "--operator", "CMCC")  # fmt: skip
    assert (
        err
        == "The file has more than 3 data rows, the most accepted in one file. Split it into several files.\n"
    )
    assert str(error) == "Nothing was stored. Errors in the file: 1."
    assert nothing_stored()


def test_import_commands_speak_chinese_by_default(file_at, chinese):
    path = file_at(ledger_csv([ledger_row(1), ledger_row(1)]), "台账.csv")
    _out, err, error = run("import_complaints", path, "--operator", "CMCC", language="zh-hans")
    assert err == "row 3, 投诉编号: 投诉编号 CMCC-202610-00001 出现了不止一次（首次出现在第 2 行）。\n"
    assert str(error) == "未保存任何数据。文件中的错误：1 处。"
    assert nothing_stored()


def test_import_commands_exit_with_status_one_when_nothing_is_stored(file_at, capsys, monkeypatch):
    # run_from_argv is what manage.py runs; it closes the connections at the end, which would
    # end this test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = file_at(ledger_csv([ledger_row(1), ledger_row(1)]), "台账.csv")
    command = load_command_class("supervision.reporting", "import_complaints")
    with pytest.raises(SystemExit) as exit_status:
        command.run_from_argv(
            ["manage.py", "import_complaints", path, "--operator", "CMCC", "--language", "en"]
        )
    assert exit_status.value.code == 1
    assert capsys.readouterr().err.splitlines() == [
        "row 3, 投诉编号: The complaint number CMCC-202610-00001 appears more than once (the first is row 2).",
        "CommandError: Nothing was stored. Errors in the file: 1.",
    ]
    assert nothing_stored()

    load_command_class("supervision.reporting", "import_complaints").run_from_argv(
        [
            "manage.py",
            "import_complaints",
            file_at(ledger_csv([ledger_row(1)]), "ok.csv"),
            "--operator",
            "CMCC",
        ]
    )
    assert ComplaintRecord.objects.count() == 1
    assert Operator.objects.get(code="CMCC").complaints.count() == 1


def test_import_monthly_report_is_refused_before_the_months_window_opens(samples):
    _out, _err, error = run(
        "import_monthly_report", str(samples / CMCC_REPORT), "--operator", "CMCC", "--period", "2026-11"
    )
    assert str(error) == (
        "The filing window for 2026-11 opens on 2026-11-25; a report for it cannot be submitted before then."
    )
    assert not MonthlySubmission.objects.exists()


def test_import_complaints_refuses_another_operators_file(samples):
    _out, err, error = run(
        "import_complaints", str(samples / "complaints_CTCC_2026-10.xlsx"), "--operator", "CMCC"
    )
    assert error is not None
    assert err.splitlines()[0] == (
        "row 1: The title names 中国电信, but this file is uploaded for 中国移动: it looks like another "
        "operator's file. Upload your own file."
    )
    assert not ComplaintRecord.objects.exists()
