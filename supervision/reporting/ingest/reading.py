"""Read: an uploaded file (bytes) → a ``Sheet`` of rows of strings, or ``FileRefused``.

Only .xlsx and .csv are accepted, decided by name *and* content. Everything that can be checked
without understanding the template is checked here: size, type, damage, zip bombs, encoding.

Cells become strings exactly as a user would read them in Excel:

- calamine returns each formula cell's cached value, i.e. what Excel displayed; a formula is
  never evaluated here, and text that merely starts with ``=``, ``+``, ``-`` or ``@`` stays text;
- whole numbers stored as floats (``484.0``) become ``"484"``, others their shortest repr;
- date cells become ``2026-10-03`` (``2026-10-03 14:30:00`` when they carry a time).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
import zlib
from dataclasses import dataclass

import charset_normalizer
import filetype
from django.conf import settings
from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from .checks import (
    FILE_COMPRESSION_RATIO,
    FILE_DAMAGED,
    FILE_EMPTY,
    FILE_ENCODING,
    FILE_EXTENSION,
    FILE_NO_DATA,
    FILE_NOT_CSV,
    FILE_NOT_XLSX,
    FILE_TOO_LARGE,
    FILE_TOO_MANY_ROWS,
    FILE_UNPACKED_TOO_LARGE,
    FILE_XLS,
    FileRefused,
    format_size,
    max_unpacked_bytes,
)

# The header row is within the first 10 rows, and a 合计 row may follow the data: a file with
# more rows than this beyond the row limit is over it whatever its layout.
HEADER_SEARCH_ROWS = 10
_LAYOUT_ROWS = HEADER_SEARCH_ROWS + 1

# A real workbook compresses about 10:1 (a 100,000-row ledger: 51 MB → 4.8 MB); a zip bomb
# compresses thousands to one. Small workbooks are never refused for their ratio.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_ABOVE = 1024 * 1024
MAX_ZIP_MEMBERS = 1000

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: .xls, and encrypted .xlsx
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_CHARSET_SAMPLE = 64 * 1024


@dataclass
class Sheet:
    """The cells of one sheet as strings; ``rows[i]`` is Excel's row ``i + 1``."""

    rows: list[list[str]]
    file_name: str = ""
    file_format: str = ""  # "xlsx" or "csv"
    encoding: str | None = None  # how a CSV file was decoded
    sheet_name: str | None = None

    @classmethod
    def from_rows(cls, rows, file_name: str = "", file_format: str = "") -> Sheet:
        """A sheet from rows of any values (for tests and programmatic imports)."""
        return cls(
            rows=[[_cell_text(c) for c in row] for row in rows], file_name=file_name, file_format=file_format
        )


def read_sheet(data: bytes, filename: str) -> Sheet:
    """Read an uploaded .xlsx or .csv file; raise ``FileRefused`` if the whole file is refused."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    lower = name.lower()
    if not data:
        raise FileRefused(FILE_EMPTY, name=name)
    if lower.endswith(".xls"):
        raise FileRefused(FILE_XLS, name=name)
    if not (lower.endswith(".xlsx") or lower.endswith(".csv")):
        raise FileRefused(FILE_EXTENSION, name=name)
    limit = settings.UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise FileRefused(FILE_TOO_LARGE, name=name, size=format_size(len(data)), limit=format_size(limit))
    if lower.endswith(".xlsx"):
        rows, sheet_name = _read_xlsx(data, name)
        sheet = Sheet(rows=rows, file_name=name, file_format="xlsx", sheet_name=sheet_name)
    else:
        rows, encoding = _read_csv(data, name)
        sheet = Sheet(rows=rows, file_name=name, file_format="csv", encoding=encoding)
    if not sheet.rows:
        raise FileRefused(FILE_NO_DATA, name=name)
    return sheet


def _detected_type(data: bytes) -> str:
    kind = filetype.guess(data[:8192])
    if kind is not None:
        return kind.mime
    if data.startswith(_ZIP_MAGICS):
        return "application/zip"
    if b"\x00" in data[:8192]:
        return "application/octet-stream"
    return "text/plain"


# --- .xlsx ------------------------------------------------------------------------------------


def _read_xlsx(data: bytes, name: str) -> tuple[list[list[str]], str | None]:
    if data.startswith(_CFB_MAGIC):
        raise FileRefused(FILE_XLS, name=name)
    if not data.startswith(_ZIP_MAGICS):
        raise FileRefused(FILE_NOT_XLSX, name=name, detected=_detected_type(data))
    _check_zip(data, name)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = _first_sheet_with_data(workbook)
        if sheet is None:
            raise FileRefused(FILE_NO_DATA, name=name)
        # skip_empty_area=False keeps empty rows above the data, so that rows[i] is row i + 1.
        rows = sheet.to_python(skip_empty_area=False)
    except FileRefused:
        raise
    except (CalamineError, ValueError, OSError):
        raise FileRefused(FILE_DAMAGED, name=name) from None
    for row in rows:
        for i, cell in enumerate(row):
            if cell.__class__ is not str:
                row[i] = _cell_text(cell)
    _drop_trailing_empty_rows(rows)
    _check_row_count(sum(1 for row in rows if any(row)))
    return rows, sheet.name


def _check_zip(data: bytes, name: str) -> None:
    """Refuse damaged archives and zip bombs before the parser unpacks anything.

    The sizes in a zip's directory are only claims; unpacking each member once, in chunks,
    with its CRC checked, proves them (a member that unpacks to more than it claims fails its
    CRC), so the parser afterwards never unpacks more than was checked here.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise FileRefused(FILE_DAMAGED, name=name) from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        # Some other zip (a .docx, an .ods, an .xlsb, a folder of photos) renamed to .xlsx.
        raise FileRefused(FILE_NOT_XLSX, name=name, detected=_detected_type(data))
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    limit = max_unpacked_bytes()
    if unpacked > limit or len(members) > MAX_ZIP_MEMBERS:
        raise FileRefused(
            FILE_UNPACKED_TOO_LARGE, name=name, size=format_size(unpacked), limit=format_size(limit)
        )
    if unpacked > RATIO_CHECKED_ABOVE and unpacked > MAX_COMPRESSION_RATIO * max(packed, 1):
        raise FileRefused(FILE_COMPRESSION_RATIO, name=name, ratio=unpacked // max(packed, 1))
    try:
        for member in members:
            with archive.open(member) as stream:
                while stream.read(1024 * 1024):
                    pass
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError):
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression method.
        raise FileRefused(FILE_DAMAGED, name=name) from None


def _first_sheet_with_data(workbook: CalamineWorkbook):
    for meta in workbook.sheets_metadata:
        if meta.visible != SheetVisibleEnum.Visible:
            continue
        try:
            sheet = workbook.get_sheet_by_name(meta.name)
        except CalamineError:
            continue  # a chart sheet or dialog sheet has no cells
        if sheet.height:
            return sheet
    return None


def _cell_text(cell) -> str:
    cls = cell.__class__
    if cls is str:
        return cell
    if cls is float:
        if cell.is_integer():
            return str(int(cell))
        return repr(cell)
    if cls is bool:
        return "TRUE" if cell else "FALSE"
    if cls is int:
        return str(cell)
    if cls is dt.datetime:
        if cell.hour == cell.minute == cell.second == cell.microsecond == 0:
            return cell.date().isoformat()
        return cell.isoformat(sep=" ")
    if cls is dt.date:
        return cell.isoformat()
    if cell is None:
        return ""
    return str(cell)


# --- .csv -------------------------------------------------------------------------------------


def _read_csv(data: bytes, name: str) -> tuple[list[list[str]], str]:
    text, encoding = _decode(data, name)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    filled = 0
    try:
        for row in reader:
            rows.append(row)
            if any(row):
                filled += 1
                # Stop reading as soon as the file is over the limit, whatever follows.
                _check_row_count(filled)
    except csv.Error:
        raise FileRefused(FILE_DAMAGED, name=name) from None
    _drop_trailing_empty_rows(rows)
    return rows, encoding


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """UTF-8 with BOM → strict UTF-8 → GB18030 (a superset of GBK) → charset-normalizer."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # Excel's "Unicode Text" is UTF-16 with a BOM.
            return data.decode("utf-16"), "utf-16"
    except UnicodeDecodeError:
        raise FileRefused(FILE_ENCODING, name=name) from None
    detected = filetype.guess(data[:8192])
    if b"\x00" in data or detected is not None:
        raise FileRefused(
            FILE_NOT_CSV, name=name, detected=detected.mime if detected else "application/octet-stream"
        )
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(data[:_CHARSET_SAMPLE]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    raise FileRefused(FILE_ENCODING, name=name)


def _delimiter(text: str) -> str:
    # Excel on Chinese Windows writes commas; some systems export tab-separated text as .csv.
    head = text[:8192]
    if "," not in head and "\t" in head:
        return "\t"
    return ","


# --- limits -----------------------------------------------------------------------------------


def _drop_trailing_empty_rows(rows: list[list[str]]) -> None:
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()


def _check_row_count(count: int) -> None:
    """Refuse a file whose non-empty rows exceed the row limit whatever its layout.

    Exact counting needs the header row, which is the validators' business; this only stops
    a file that is surely over the limit before it is processed further.
    """
    limit = settings.UPLOAD_MAX_ROWS
    if count > limit + _LAYOUT_ROWS:
        raise FileRefused(FILE_TOO_MANY_ROWS, rows=count, limit=f"{limit:,}")
