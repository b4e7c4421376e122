"""The registry of checks, and problems that render in the language active when shown."""

import json
import re

from django.utils import translation

from supervision.ingest import CHECKS, FileRefused, Problem, get_check
from supervision.ingest.checks import FILE_EMPTY, FILE_TOO_LARGE, FILE_TOO_MANY_ROWS
from supervision.reporting.ingest import checks as C
from supervision.reporting.models import CityFigures

from .conftest import read_tsv

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
MARKERS = ("_", "gettext", "gettext_lazy", "gettext_noop")


def every_check():
    return [check for checks in CHECKS.values() for check in checks]


def test_checks_are_registered_per_template_with_unique_codes():
    assert set(CHECKS) == {"file", "monthly", "ledger", "inspections"}
    codes = [check.code for check in every_check()]
    assert len(codes) == len(set(codes))
    for template, checks in CHECKS.items():
        assert checks, template
        assert all(check.code.startswith(f"{template}.") for check in checks)
        assert all(check.kind in ("error", "warning", "notice") for check in checks)


def test_only_errors_block_and_only_warnings_need_an_explanation():
    assert C.MONTHLY_CITY_DUPLICATE.blocking and not C.MONTHLY_CITY_DUPLICATE.needs_explanation
    assert not C.MONTHLY_OUTLIER_HIGH.blocking and C.MONTHLY_OUTLIER_HIGH.needs_explanation
    assert not C.LEDGER_MSISDN_MASKED.blocking and not C.LEDGER_MSISDN_MASKED.needs_explanation
    assert {c.code for c in every_check() if c.kind == "notice"} == {
        "ledger.msisdn.masked",
        "ledger.text.number_masked",
        "inspections.text.number_masked",
    }


def test_every_check_describes_itself_and_its_message_renders():
    for check in every_check():
        assert str(check.description).strip(), check.code
        params = {
            name: "1"
            for name in PLACEHOLDER.findall(str(check.message))
            if name not in ("value", "row", "column")
        }
        message = check.at(row=2, column="地市", value="x", **params).message
        assert "%(" not in message, check.code


def test_the_description_of_a_limit_names_the_configured_limit(settings):
    settings.UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    assert str(FILE_TOO_LARGE.description) == "A file is at most 5 MB."
    assert str(FILE_TOO_MANY_ROWS.description) == "A file has at most 200,000 data rows."


def test_every_message_and_description_has_a_chinese_translation():
    translations = read_tsv()
    for check in every_check():
        for text in (str(check.message), str(check.description)):
            # The limit descriptions are formatted already; their msgid is the template.
            msgid = next((k for k in translations if k == text or _matches_template(k, text)), None)
            assert msgid is not None, f"{check.code}: no Chinese for {text!r}"
            assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(translations[msgid])), msgid


def _matches_template(msgid, text):
    if "%(" not in msgid:
        return False
    pattern = re.escape(msgid)
    pattern = re.sub(r"%\\\(\w+\\\)s", ".+", pattern)
    return re.fullmatch(pattern, text) is not None


def test_a_problem_prints_in_the_command_line_format():
    problem = C.MONTHLY_NUMBER_NEGATIVE.at(row=7, column="携出申请量", value="-3")
    assert str(problem) == "row 7, 携出申请量: “-3” is negative; a figure cannot be below 0."
    assert str(C.MONTHLY_CITY_MISSING.at(cities="菏泽市")) == (
        "These cities have no row: 菏泽市. Every one of the 16 cities needs exactly one row."
    )
    assert str(C.MONTHLY.header_missing.at(column="地市")) == "地市: This required column is missing."


def test_a_problem_survives_json_and_renders_in_the_language_active_later(chinese):
    problem = C.LEDGER_COMPLAINT_NO_DUPLICATE.at(row=9, column="投诉编号", value="CMCC-1", first_row=4)
    stored = json.loads(json.dumps(problem.to_dict()))
    assert stored == {
        "check_code": "ledger.complaint_no.duplicate",
        "row": 9,
        "column": "投诉编号",
        "value": "CMCC-1",
        "params": {"first_row": 4},
        "kind": "error",
        "blocking": True,
        "needs_explanation": False,
    }
    again = Problem.from_dict(stored)
    assert again == problem
    assert again.blocking
    assert again.message == "投诉编号 CMCC-1 出现了不止一次（首次出现在第 4 行）。"
    with translation.override("en"):
        assert again.message == "The complaint number CMCC-1 appears more than once (the first is row 4)."


def test_a_stored_problem_whose_check_was_removed_still_shows():
    problem = Problem.from_dict(
        {"check_code": "monthly.gone", "row": 3, "column": None, "value": None, "params": {}}
    )
    assert problem.blocking
    assert str(problem) == "row 3: monthly.gone"
    assert get_check("monthly.gone") is None


def test_a_file_refusal_is_its_message_in_the_active_language(chinese):
    refused = FileRefused(FILE_EMPTY, name="月报.xlsx")
    assert str(refused) == "文件“月报.xlsx”是空的。"
    with translation.override("en"):
        assert str(refused) == "The file “月报.xlsx” is empty."


def test_a_long_value_is_shortened_in_the_problem():
    problem = C.LEDGER.too_long.at(row=2, column="投诉内容", value="长" * 3000, length=3000, limit=2000)
    assert len(problem.value) == 200


def test_the_monthly_template_covers_every_city_figure():
    from supervision.reporting.ingest.monthly import DECIMAL_FIELDS, FIGURE_FIELDS

    model_fields = [
        f.name for f in CityFigures._meta.concrete_fields if f.name not in ("id", "submission", "city")
    ]
    assert model_fields == FIGURE_FIELDS
    for name, max_digits in DECIMAL_FIELDS.items():
        field = CityFigures._meta.get_field(name)
        assert (field.max_digits, field.decimal_places) == (max_digits, 2)


def test_every_translatable_string_of_the_ingest_code_is_in_the_chinese_list():
    import ast
    from pathlib import Path

    import supervision.casework.ingest as inspections
    import supervision.ingest as pipeline
    import supervision.reporting.ingest as package
    from supervision.casework.management import commands as casework_commands
    from supervision.reporting.management import commands

    files = [
        *Path(pipeline.__file__).parent.glob("*.py"),
        *Path(package.__file__).parent.glob("*.py"),
        Path(inspections.__file__),
        *Path(commands.__file__).parent.glob("import_*.py"),
        *Path(casework_commands.__file__).parent.glob("import_*.py"),
    ]
    translations = read_tsv()
    missing, found = [], 0
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            text = node.args[0].value
            if name in MARKERS and isinstance(text, str):
                found += 1
                if text not in translations:
                    missing.append((path.name, text))
    assert missing == []
    assert found > 100
    for english, chinese in translations.items():
        assert set(PLACEHOLDER.findall(english)) == set(PLACEHOLDER.findall(chinese)), english
