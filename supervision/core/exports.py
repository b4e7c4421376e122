"""Downloads of lists: one ``Exporter`` per download, as CSV or .xlsx, streamed from the database.

An exporter is a file name and a list of ``Column``s (a translated header and a ``values_list``
path); give it the queryset a list shows, ordered as on screen, and it answers with the file.
Rows are read with ``values_list(...).iterator(chunk_size=...)``, never as model instances nor
through a django-tables2 ``Table``: 100,000 rows render in about a second this way, against more
than a minute through a Table, and memory stays flat whatever the number of rows.

Every text cell that a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``, a tab or
a carriage return first) is prefixed with a single quote, in both formats, so that a complaint
summary typed by a subscriber can never run as a formula on a case officer's machine.
"""

import csv
import datetime as dt
import decimal
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import get_language

from supervision.core import dates

FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a spreadsheet reads as the start of a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Rows fetched from the database at a time: enough to keep the round trips few, small enough
# that a page of long complaint texts stays a few megabytes.
CHUNK_SIZE = 2000
# Rows written to the CSV stream per chunk: one yield per row costs more than the writing.
CSV_ROWS_PER_CHUNK = 500


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading quote, so that it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def field_header(model, field_name: str) -> Promise:
    """The model field's verbose name, capitalised: headers read as on the model's forms."""
    return capfirst(model._meta.get_field(field_name).verbose_name)


def _is_english() -> bool:
    return (get_language() or "").startswith("en")


@dataclass(frozen=True)
class Column:
    """One column of a download.

    ``path`` is a ``values_list`` path (``"operator__short_zh"``, an annotation's name);
    ``path_en`` replaces it when the user reads English (the bilingual reference names).
    ``choices`` (a ``TextChoices`` class, pairs or a mapping) turns stored values into their
    labels in the user's language; ``value`` turns the stored value into the cell otherwise.
    """

    header: str | Promise
    path: str
    path_en: str | None = None
    choices: Any = None
    value: Callable[[Any], Any] | None = None

    def bind(self) -> tuple[str, str, Callable[[Any], Any] | None]:
        """``(header, path, convert)`` in the active language, resolved once per download.

        Resolving labels before the first row means a streamed file keeps the language of the
        request even though its rows are written after the view has returned.
        """
        path = self.path_en if self.path_en and _is_english() else self.path
        convert = self.value
        if self.choices is not None:
            pairs = getattr(self.choices, "choices", self.choices)
            labels = {key: str(label) for key, label in dict(pairs).items()}
            if self.value is None:
                convert = lambda v: labels.get(v, v)  # noqa: E731 - a closure over this download's labels
            else:
                convert = lambda v, f=self.value: f(labels.get(v, v))  # noqa: E731
        return str(self.header), path, convert


class Exporter:
    """One download: its file name and its columns. ``response(queryset, "csv")`` serves it.

    ``name`` is the file name's stem in the user's language (``_("complaint-ledger")``); the
    date of the day (Asia/Shanghai) and the format's extension are added to it.
    """

    def __init__(self, name: str | Promise, columns: Iterable[Column], *, chunk_size: int = CHUNK_SIZE):
        self.name = name
        self.columns = tuple(columns)
        self.chunk_size = chunk_size

    def rows(self, queryset: QuerySet) -> Iterator[list]:
        """The header row, then one list of neutralised cell values per row of ``queryset``.

        Cells keep their types (dates, numbers) so each format writes them as it should; the
        queryset's ordering is kept, and rows are read a chunk at a time. Headers, labels and
        paths are resolved now, in the request's language, not when the stream is read.
        """
        bound = [column.bind() for column in self.columns]
        headers = [header for header, _path, _convert in bound]
        converters = [convert for _header, _path, convert in bound]
        values = queryset.values_list(*(path for _header, path, _convert in bound))
        return self._stream(headers, converters, values)

    def _stream(self, headers: list[str], converters: list, values: QuerySet) -> Iterator[list]:
        yield headers
        for row in values.iterator(chunk_size=self.chunk_size):
            yield [
                neutralise(_local(convert(value) if convert is not None else value))
                for convert, value in zip(converters, row, strict=True)
            ]

    def file_name(self, fmt: str, today: dt.date | None = None) -> str:
        today = today or dates.today()
        return f"{self.name}-{today:%Y-%m-%d}.{fmt}"

    def response(self, queryset: QuerySet, fmt: str) -> HttpResponse:
        """The download of ``queryset`` as ``fmt`` (one of ``FORMATS``)."""
        if fmt == "csv":
            return self.csv_response(queryset)
        if fmt == "xlsx":
            return self.xlsx_response(queryset)
        raise ValueError(f"unknown export format {fmt!r}; expected one of {FORMATS}")

    def csv_response(self, queryset: QuerySet) -> StreamingHttpResponse:
        """CSV with a UTF-8 byte-order mark, without which Chinese Excel shows mojibake."""
        response = StreamingHttpResponse(
            _csv_chunks(self.rows(queryset)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition_header(True, self.file_name("csv"))
        return response

    def xlsx_response(self, queryset: QuerySet) -> FileResponse:
        """.xlsx written row by row (``constant_memory``) to a temporary file, then streamed.

        The temporary file has no name on disk and disappears when the response closes it.
        """
        handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes it
        try:
            _write_xlsx(handle, self.rows(queryset), sheet_name=str(self.name))
        except BaseException:
            handle.close()
            raise
        handle.seek(0)
        return FileResponse(
            handle, as_attachment=True, filename=self.file_name("xlsx"), content_type=XLSX_CONTENT_TYPE
        )


def _local(value: Any) -> Any:
    # Spreadsheets know no time zones: deadlines are written as the local time in Shandong.
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return dates.wall_time(value)
    return value


def _csv_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class _Echo:
    """A file-like object whose ``write`` hands back the line, for ``csv.writer``."""

    def write(self, value: str) -> str:
        return value


def _csv_chunks(rows: Iterator[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"
    lines = []
    for row in rows:
        lines.append(writer.writerow([_csv_text(value) for value in row]))
        if len(lines) >= CSV_ROWS_PER_CHUNK:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


# Characters Excel refuses in a sheet name.
_SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _write_xlsx(handle, rows: Iterator[list], *, sheet_name: str) -> None:
    workbook = xlsxwriter.Workbook(
        handle,
        {
            # One row in memory at a time: 100,000 rows take ~165 MiB less than the default.
            "constant_memory": True,
            # Text stays text: no formula, URL or number is guessed from it.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet(sheet_name.translate(_SHEET_NAME_FORBIDDEN)[:31] or "Sheet1")
    header_format = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})

    headers = next(rows)
    # In constant_memory mode column widths must come before the first row is written.
    for c, header in enumerate(headers):
        sheet.set_column(c, c, max(10, 2 * len(header) + 2))
    for c, header in enumerate(headers):
        sheet.write_string(0, c, header, header_format)
    sheet.freeze_panes(1, 0)

    r = 0
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            elif isinstance(value, decimal.Decimal):
                sheet.write_number(r, c, float(value))
            elif isinstance(value, dt.datetime):
                sheet.write_datetime(r, c, value, datetime_format)
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            else:
                sheet.write_string(r, c, neutralise(str(value)))
    sheet.autofilter(0, 0, max(r, 1), max(len(headers) - 1, 0))
    workbook.close()


def yes_no(yes: str | Promise, no: str | Promise) -> Mapping[bool, str | Promise]:
    """Choices for a boolean column: ``Column(..., choices=yes_no(_("Yes"), _("No")))``."""
    return {True: yes, False: no}


class TableExporter(Exporter):
    """A download of a table already made, not of a queryset: ``response(rows, fmt)`` with the
    header row first. For figures: each cell is given as it must read (an indicator's figure
    already rounded by ``core.rounding``), so the file says what the page says."""

    def __init__(self, name: str | Promise):
        super().__init__(name, ())

    def rows(self, queryset) -> Iterator[list]:
        rows = iter(queryset)
        yield [str(header) for header in next(rows)]
        for row in rows:
            yield [neutralise(_local(str(v) if isinstance(v, Promise) else v)) for v in row]
