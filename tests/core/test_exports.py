"""The exporter behind every download: columns, languages, formula neutralising, streaming."""

import csv
import datetime as dt
import io
import tracemalloc

import openpyxl
import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from supervision.core.exports import Column, Exporter, field_header, neutralise, yes_no
from supervision.core.models import Operator, Period, TaskForceMember
from supervision.reporting.models import Channel


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("1+1=2", "1+1=2"),
        ("中国移动", "中国移动"),
        ("", ""),
        (-1, -1),  # a number is a number, not a formula
        (None, None),
        (dt.date(2026, 10, 1), dt.date(2026, 10, 1)),
    ],
)
def test_neutralise_quotes_only_formula_like_text(value, expected):
    assert neutralise(value) == expected


def test_column_reads_labels_and_names_in_the_active_language():
    channel = Column(_("Channel"), "channel", choices=Channel)
    operator = Column(_("Operator"), "short_zh", path_en="short_en")
    with translation.override("en"):
        header, path, convert = channel.bind()
        assert (header, path, convert("MIIT"), convert("NEW")) == (
            "Channel",
            "channel",
            "MIIT appeal (12300)",
            "NEW",
        )
        assert operator.bind()[1] == "short_en"
    with translation.override("zh-hans"):
        assert operator.bind()[:2] == ("运营商", "short_zh")


def test_field_header_is_the_capitalised_verbose_name():
    with translation.override("en"):
        assert str(field_header(TaskForceMember, "duty")) == "Duty"


def test_boolean_column_reads_yes_and_no():
    column = Column("x", "flag", choices=yes_no(_("Yes"), _("No")))
    with translation.override("en"):
        convert = column.bind()[2]
        assert (convert(True), convert(False)) == ("Yes", "No")


OPERATORS = Exporter(
    "运营商",
    [
        Column(_("Code"), "code"),
        Column(_("Operator"), "short_zh", path_en="short_en"),
        Column("order", "sort_order", value=lambda n: n * 10),
    ],
)


def test_rows_are_the_header_then_the_queryset_in_its_order(db):
    with translation.override("en"):
        rows = list(OPERATORS.rows(Operator.objects.order_by("-code")))
    assert rows[0] == ["Code", "Operator", "order"]
    assert [row[0] for row in rows[1:]] == ["CUCC", "CTCC", "CMCC", "CBN"]
    assert rows[3][1] == "China Mobile"


def test_csv_download_starts_with_a_bom_and_names_the_file_in_chinese(db):
    with translation.override("zh-hans"):
        response = OPERATORS.response(Operator.objects.all(), "csv")
    assert response["Content-Disposition"].startswith(
        "attachment; filename*=utf-8''%E8%BF%90%E8%90%A5%E5%95%86-"
    )
    # The rows are read after the view has returned, in whatever language is then active:
    # the file keeps the language of the request.
    with translation.override("en"):
        text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert len(rows) == 5 and rows[1][:2] == ["CMCC", "中国移动"]


def test_xlsx_keeps_dates_and_numbers_and_quotes_formulas(db):
    cmcc = Operator.objects.get(code="CMCC")
    TaskForceMember.objects.create(
        operator=cmcc, name='=HYPERLINK("http://x")', duty="-组长", phone="+86 531", email="a@example.cn"
    )
    october = Period.objects.from_label("2026-10")
    october.locked_at = dt.datetime(2026, 11, 1, 0, 30, tzinfo=dt.UTC)
    october.save()
    exporter = Exporter(
        "task/force:[list]",
        [
            Column("name", "name"),
            Column("duty", "duty"),
            Column("phone", "phone"),
            Column("order", "sort_order"),
        ],
    )
    response = exporter.response(TaskForceMember.objects.all(), "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet.title == "task force  list "  # characters Excel refuses in a sheet name are replaced
    assert list(sheet.iter_rows(values_only=True)) == [
        ("name", "duty", "phone", "order"),
        ('\'=HYPERLINK("http://x")', "'-组长", "'+86 531", 0),
    ]
    assert sheet["A2"].data_type == "s"  # text, not a formula

    periods = Exporter("p", [Column("month", "month"), Column("locked", "locked_at")])
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(periods.response(Period.objects.filter(pk=october.pk), "xlsx").streaming_content))
    ).active
    # Spreadsheets know no time zones: a moment is written as the time in Jinan.
    assert list(sheet.iter_rows(values_only=True)) == [
        ("month", "locked"),
        (dt.datetime(2026, 10, 1), dt.datetime(2026, 11, 1, 8, 30)),
    ]
    assert (sheet["A2"].number_format, sheet["B2"].number_format) == ("yyyy-mm-dd", "yyyy-mm-dd hh:mm")


def test_an_unknown_format_is_refused(db):
    with pytest.raises(ValueError, match="unknown export format"):
        OPERATORS.response(Operator.objects.all(), "pdf")


def test_the_download_streams_rather_than_loading_every_row(db):
    """20,000 rows of 300 characters: read all at once they take tens of megabytes; streamed,
    a chunk at a time."""
    cmcc = Operator.objects.get(code="CMCC")
    TaskForceMember.objects.bulk_create(
        TaskForceMember(operator=cmcc, name=f"成员{n}", duty="负责" * 100, phone="0531", email="a@example.cn")
        for n in range(20_000)
    )
    exporter = Exporter("m", [Column("name", "name"), Column("duty", "duty")], chunk_size=500)
    queryset = TaskForceMember.objects.order_by("pk")

    tracemalloc.start()
    all_at_once = list(queryset.values_list("name", "duty"))
    _current, loaded_peak = tracemalloc.get_traced_memory()
    del all_at_once
    tracemalloc.reset_peak()
    base, _peak = tracemalloc.get_traced_memory()
    size = sum(len(chunk) for chunk in exporter.response(queryset, "csv").streaming_content)
    _current, streamed_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert size > 20_000 * 300
    assert streamed_peak - base < loaded_peak / 5
    assert queryset._result_cache is None
