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
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from functools import cache
from xml.parsers import expat

import charset_normalizer
import filetype
from django.conf import settings
from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from supervision.core.text import has_unprintable, printable

from .checks import (
    FILE_COMPRESSION_RATIO,
    FILE_DAMAGED,
    FILE_EMPTY,
    FILE_ENCODING,
    FILE_EXTENSION,
    FILE_NO_DATA,
    FILE_NOT_CSV,
    FILE_NOT_XLSX,
    FILE_SHEET_CELLS,
    FILE_SHEET_EXTENT,
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

# A sheet is refused before calamine parses it when its declared range or any cell lies beyond
# the row limit (plus the rows above the header) or this many columns: the widest template has
# 17 columns, so 64 leaves room for notes columns. calamine allocates the whole box from A1 to
# the farthest cell (a 1.6 KB file with cells at A1 and XFD1048576 asks for 512 GiB and the
# process aborts: Rust does not raise MemoryError, so no address-space limit could turn it into
# an error), so the box is also held to a fixed budget of cells: about 40 bytes each while read
# (A1:CV200000 took 0.8 GB), some 240 MB; a full 200,000-row sheet of columns A to Z fits.
MAX_COLUMNS = 64
MAX_CELLS = 6_000_000

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


def check_size(name: str, size: int) -> None:
    """Refuse (``FileRefused``) a spreadsheet larger than ``settings.UPLOAD_MAX_BYTES``: the one size
    check of every spreadsheet upload, made by the forms before the file is kept
    (``ingest.forms.SheetFileField``) and again here by the reader."""
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise FileRefused(FILE_TOO_LARGE, name=name, size=format_size(size), limit=format_size(limit))


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
    check_size(name, len(data))
    if lower.endswith(".xlsx"):
        rows, sheet_name = _read_xlsx(data, name)
        sheet = Sheet(rows=rows, file_name=name, file_format="xlsx", sheet_name=sheet_name)
    else:
        rows, encoding = _read_csv(data, name)
        sheet = Sheet(rows=rows, file_name=name, file_format="csv", encoding=encoding)
    if not sheet.rows:
        raise FileRefused(FILE_NO_DATA, name=name)
    _remove_unprintable(sheet.rows)
    return sheet


def _remove_unprintable(rows: list[list[str]]) -> None:
    """Remove control characters from every cell (FORMATS.md, "Hostile files").

    They are never meant (Excel writes ``_x000B_`` for some line breaks) and no document can
    carry them. One test per row, on the row's joined text, keeps the common case cheap.
    """
    for row in rows:
        if has_unprintable("".join(row)):
            row[:] = [printable(cell) for cell in row]


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
    archive = _check_zip(data, name)
    members = _worksheet_members(archive, name)

    def check_extent(sheet_name: str) -> None:
        _check_sheet_extent(archive, members.get(sheet_name), sheet_name, name)

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = _first_sheet_with_data(workbook, check_extent)
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


def _check_zip(data: bytes, name: str) -> zipfile.ZipFile:
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
    return archive


# --- The extent of a sheet, before it is parsed -----------------------------------------------

_RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DIGITS = "0123456789"
_XML_CHUNK = 1024 * 1024


class _Damaged(Exception):
    """The XML cannot be read as a workbook's part."""


class _TooLarge(Exception):
    def __init__(self, check, **params):
        super().__init__(check.code)
        self.check = check
        self.params = params


def _stream_xml(archive: zipfile.ZipFile, member: str, start, *, namespaces: bool = False) -> None:
    """Feed one member of the archive through expat in chunks, calling ``start`` per element.

    Never more than a chunk of the XML is in memory, and no element is kept. A document type
    declaration (the way to entity bombs) is refused: no part of a workbook has one.
    """
    parser = expat.ParserCreate(namespace_separator="}" if namespaces else None)
    parser.ordered_attributes = True
    parser.StartElementHandler = start

    def refuse(*args):
        raise _Damaged

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_XML_CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except (expat.ExpatError, KeyError, ValueError, OSError, zipfile.BadZipFile, zlib.error):
        raise _Damaged from None


def _attribute(attributes: list, key: str) -> str | None:
    # ordered_attributes: [name, value, name, value, ...]; Excel writes ``r`` first.
    for index in range(0, len(attributes), 2):
        if attributes[index] == key:
            return attributes[index + 1]
    return None


def _worksheet_members(archive: zipfile.ZipFile, name: str) -> dict[str, str]:
    """``{sheet name: its part's path in the archive}``, from the workbook and its relationships."""
    sheets: list[tuple[str, str]] = []
    targets: dict[str, str] = {}

    def sheet(element, attributes):
        if element.rpartition("}")[2] == "sheet":
            found = dict(zip(attributes[::2], attributes[1::2], strict=True))
            rid = found.get(f"{_RELATIONSHIPS_NS}}}id")
            if "name" in found and rid:
                sheets.append((found["name"], rid))

    def relationship(element, attributes):
        if element.rpartition("}")[2] == "Relationship":
            found = dict(zip(attributes[::2], attributes[1::2], strict=True))
            if "Id" in found and "Target" in found:
                targets[found["Id"]] = found["Target"]

    try:
        _stream_xml(archive, "xl/workbook.xml", sheet, namespaces=True)
        _stream_xml(archive, "xl/_rels/workbook.xml.rels", relationship, namespaces=True)
    except _Damaged:
        raise FileRefused(FILE_DAMAGED, name=name) from None
    members = {}
    for sheet_name, rid in sheets:
        target = targets.get(rid)
        if target:
            # Targets are relative to xl/, or absolute within the package.
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            members[sheet_name] = posixpath.normpath(path)
    return members


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


class _Extent:
    """The farthest row and column a sheet's XML reaches, as calamine would place its cells.

    Every ``<row r>`` and ``<c r>`` counts, and so do rows and cells without ``r`` (placed after
    the previous one, as the format says). The declared ``<dimension ref>`` is checked too. The
    scan stops at the first cell beyond the limits, or once the box from A1 to the farthest
    cell holds more than ``MAX_CELLS``.
    """

    __slots__ = (
        "row",
        "column",
        "max_row",
        "max_column",
        "row_bound",
        "column_bound",
        "row_limit",
        "columns",
        "sheet",
        "name",
    )

    def __init__(self, sheet: str, name: str):
        self.row = self.column = self.max_row = self.max_column = 0
        # In the plain scan, what is known only as a bound (``scan_plain``).
        self.row_bound = self.column_bound = 0
        self.row_limit = settings.UPLOAD_MAX_ROWS + _LAYOUT_ROWS
        self.columns: dict[str, int] = {}
        self.sheet, self.name = sheet, name

    def start(self, element: str, attributes: list) -> None:
        if element == "c" or element[-2:] == ":c":
            ref = attributes[1] if attributes and attributes[0] == "r" else _attribute(attributes, "r")
            if ref is None:
                column = self.column + 1
                row = self.row
            else:
                letters = ref.rstrip(_DIGITS)
                column = self.columns.get(letters) or self._letters(letters)
                row = self._number(ref[len(letters) :])
            self.column = column
            if column > self.max_column or row > self.max_row:
                self._reach(max(row, 1), column, ref)
        elif element == "row" or element[-4:] == ":row":
            ref = attributes[1] if attributes and attributes[0] == "r" else _attribute(attributes, "r")
            self.row = self.row + 1 if ref is None else self._number(ref)
            self.column = 0
            if self.row > self.max_row:
                self._reach(self.row, self.max_column or 1, None)
        elif element == "dimension" or element[-10:] == ":dimension":
            self._declared(_attribute(attributes, "ref") or "")

    def _letters(self, letters: str) -> int:
        if not (0 < len(letters) <= 3 and letters.isascii() and letters.isalpha()):
            raise _Damaged
        number = self.columns[letters] = _column_number(letters.upper())
        return number

    @staticmethod
    def _number(digits: str) -> int:
        if not (0 < len(digits) <= 7 and digits.isascii() and digits.isdigit()) or digits == "0" * len(
            digits
        ):
            raise _Damaged
        return int(digits)

    def _reach(self, row: int, column: int, ref: str | None) -> None:
        if row > self.row_limit or column > MAX_COLUMNS:
            raise self._over(ref or f"{column_letter(column)}{row}")
        self.max_row = max(self.max_row, row)
        self.max_column = max(self.max_column, column)
        cells = self.max_row * self.max_column
        if cells > MAX_CELLS:
            raise _TooLarge(
                FILE_SHEET_CELLS,
                name=self.name,
                sheet=self.sheet,
                range=f"A1:{column_letter(self.max_column)}{self.max_row}",
                cells=f"{cells:,}",
                limit=f"{MAX_CELLS:,}",
            )

    def _declared(self, ref: str) -> None:
        end = ref.rpartition(":")[2].replace("$", "")
        letters = end.rstrip(_DIGITS)
        digits = end[len(letters) :]
        if not (letters.isascii() and letters.isalpha() and digits.isdigit() and len(letters) <= 3):
            return  # not a range calamine would size anything by
        if int(digits) > self.row_limit or _column_number(letters.upper()) > MAX_COLUMNS:
            raise self._over(ref)

    # --- The common case, read at the speed of bytes.find ---

    def scan_plain(self, archive: zipfile.ZipFile, member: str) -> bool:
        """Scan XML as Excel, WPS and the usual libraries write it, without a parser.

        Plain means: UTF-8; every ``<row`` and ``<c`` without prefix and with ``r="…"`` as its
        first attribute; no comment, CDATA section, processing instruction or declaration (so
        every ``<`` opens a tag and no ``<c r="`` hides in text). Then the references are found
        by counting and by regular expressions, a row number only when it may be too large.
        Returns False, having refused nothing, as soon as the XML is not plain: the parser
        (``start``) then reads it from the beginning.
        """
        carry, first = b"", True
        with archive.open(member) as stream:
            while True:
                chunk = stream.read(_XML_CHUNK)
                data = carry + chunk
                cut = data.rfind(b">") + 1 if chunk else len(data)
                region, carry = data[:cut], data[cut:]
                if len(carry) > _XML_CHUNK:
                    return False
                if first:
                    region, first = _after_declaration(region), False
                    if region is None:
                        return False
                if not self._plain_region(region):
                    return False
                if not chunk:
                    return True

    def _plain_region(self, region: bytes) -> bool:
        if b"<!" in region or b"<?" in region or b"\x00" in region or _PREFIXED.search(region):
            return False
        if b"<dimension" in region:
            declared = _DIMENSION.search(region)
            if declared is None:
                return False
            self._declared(declared[1].decode("ascii"))
        # Row numbers with fewer digits than the largest row the limits allow (with the columns
        # seen so far) are surely within them: in a real sheet, all but the last rows.
        width = max(self.max_column, self.column_bound, 1)
        digits = len(str(min(self.row_limit, MAX_CELLS // width))) - 1
        cells, rows = _unusual_references(digits)
        if digits and cells.search(region) is None and rows.search(region) is None:
            # Every <row r="…"> and <c r="…"> plain, in columns A to Z, on rows of few digits.
            if b"<c " in region:
                self.column_bound = 26
            self.row_bound = max(self.row_bound, 10**digits - 1)
        elif not self._read_references(region, digits):
            return False
        # What is known only as a bound (the columns A to Z, the rows not read) may make a box
        # over the budget where the sheet is not: only the parser can tell then.
        return max(self.row_bound, self.max_row) * max(self.max_column, self.column_bound) <= MAX_CELLS

    def _read_references(self, region: bytes, digits: int) -> bool:
        """The references of a region that has some beyond column Z or on rows of many digits."""
        if _ODD_CELL.search(region) or _ODD_ROW.search(region):
            return False
        cells = region.count(b"<c ")
        if cells and _WIDE_CELL.search(region):
            for found in set(_CELL_COLUMNS.findall(region)):
                key = found.decode("ascii")
                column = self.columns.get(key) or self._letters(key)
                if column > self.max_column:
                    ref = re.search(rb'<c r="(' + found + rb'[0-9]{1,7})"', region)[1].decode("ascii")
                    self._reach(self.max_row or 1, column, ref)
        elif cells:
            self.column_bound = 26
        rows = _ROW_NUMBERS.findall(region)
        if rows:
            self._reach(max(self._number(r.decode("ascii")) for r in set(rows)), self.max_column or 1, None)
        large = _large_cell_rows(digits + 1).findall(region)
        for ref, number in large:
            if int(number) > self.max_row:
                letters = ref[: len(ref) - len(number)].decode("ascii")
                self._reach(
                    int(number), self.columns.get(letters) or self._letters(letters), ref.decode("ascii")
                )
        if len(large) < cells:
            self.row_bound = max(self.row_bound, 10**digits - 1)
        return True

    def _over(self, where: str) -> _TooLarge:
        return _TooLarge(
            FILE_SHEET_EXTENT,
            name=self.name,
            sheet=self.sheet,
            range=where,
            rows=f"{self.row_limit:,}",
            columns=MAX_COLUMNS,
        )


_ODD_CELL = re.compile(rb'<c(?:[\t\n\r/>]| (?!r="[A-Z]{1,3}[0-9]{1,7}"))')
_ODD_ROW = re.compile(rb'<row(?:[\t\n\r/>]| (?!r="[0-9]{1,7}"))')
_WIDE_CELL = re.compile(rb'<c r="[A-Z]{2}')
_PREFIXED = re.compile(rb":(?:c|row|dimension)[\s/>]")  # <x:c …>: a name with a prefix
_CELL_COLUMNS = re.compile(rb'<c r="([A-Z]{1,3})[0-9]{1,7}"')
_ROW_NUMBERS = re.compile(rb'<row r="([0-9]{1,7})"')
_DIMENSION = re.compile(rb'<dimension ref="([A-Z0-9:$]*)"')
_DECLARATION = re.compile(rb"<\?xml[^>]*?\?>")
_ENCODING = re.compile(rb'encoding\s*=\s*["\']([A-Za-z0-9._-]+)["\']')


@cache
def _unusual_references(digits: int) -> tuple[re.Pattern, re.Pattern]:
    """Cells and rows not in the plain form, or beyond column Z, or on rows of more digits."""
    return (
        re.compile(rb'<c(?:[\t\n\r/>]| (?!r="[A-Z][0-9]{1,%d}"))' % max(digits, 1)),
        re.compile(rb'<row(?:[\t\n\r/>]| (?!r="[0-9]{1,%d}"))' % max(digits, 1)),
    )


@cache
def _large_cell_rows(digits: int) -> re.Pattern:
    return re.compile(rb'<c r="([A-Z]{1,3}([0-9]{%d,7}))"' % digits)


def _after_declaration(region: bytes) -> bytes | None:
    """The first chunk after its XML declaration, or None if it is not in UTF-8."""
    region = region.removeprefix(codecs.BOM_UTF8).lstrip()
    declaration = _DECLARATION.match(region)
    if declaration is not None:
        encoding = _ENCODING.search(declaration[0])
        if encoding is not None and encoding[1].lower() not in (b"utf-8", b"utf8"):
            return None
        region = region[declaration.end() :]
    return region if not region.strip() or region.lstrip().startswith(b"<") else None


def column_letter(number: int) -> str:
    """1 → A, 64 → BL, 16384 → XFD."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _check_sheet_extent(archive: zipfile.ZipFile, member: str | None, sheet: str, name: str) -> None:
    """Refuse the sheet before it is parsed if it reaches beyond the limits (``_Extent``)."""
    if member is None:
        raise FileRefused(FILE_DAMAGED, name=name)
    extent = _Extent(sheet, name)
    try:
        if not extent.scan_plain(archive, member):
            extent = _Extent(sheet, name)
            _stream_xml(archive, member, extent.start)
    except _TooLarge as too_large:
        raise FileRefused(too_large.check, **too_large.params) from None
    except _Damaged:
        raise FileRefused(FILE_DAMAGED, name=name) from None


def _first_sheet_with_data(workbook: CalamineWorkbook, check_extent):
    for meta in workbook.sheets_metadata:
        if meta.visible != SheetVisibleEnum.Visible:
            continue
        # Before calamine parses the sheet (and allocates its whole range), not after.
        check_extent(meta.name)
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
            if len(row) > MAX_COLUMNS:
                _check_csv_width(row, len(rows) + 1, name)
            rows.append(row)
            if any(row):
                filled += 1
                # Stop reading as soon as the file is over the limit, whatever follows.
                _check_row_count(filled)
    except csv.Error:
        raise FileRefused(FILE_DAMAGED, name=name) from None
    _drop_trailing_empty_rows(rows)
    return rows, encoding


def _check_csv_width(row: list[str], number: int, name: str) -> None:
    """Empty cells beyond the column limit are dropped (Excel pads rows to its used range);
    a value there refuses the file, as in a workbook."""
    beyond = next((i for i in range(len(row) - 1, MAX_COLUMNS - 1, -1) if row[i].strip()), None)
    if beyond is not None:
        raise FileRefused(
            FILE_SHEET_EXTENT,
            name=name,
            sheet=name.rsplit(".", 1)[0],
            range=f"{column_letter(beyond + 1)}{number}",
            rows=f"{settings.UPLOAD_MAX_ROWS + _LAYOUT_ROWS:,}",
            columns=MAX_COLUMNS,
        )
    del row[MAX_COLUMNS:]


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
