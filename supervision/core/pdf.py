"""Official documents as PDF: the one engine of the briefing, the rectification order, the
interview notice and the receipt of a monthly report (fpdf2, fonts from a Python package).

The look of a Chinese official document (GB/T 9704 in spirit): A4 with the official margins, the
issuing authority's name in red at the head, the document number, a red rule, the title, the
addressees, the body with two-character first-line indents, the authority and date at the end,
page numbers “— 1 —”. The callers lay out their own content with a ``Writer`` (``render``).

Fonts. ``pylopdf-fonts-zh-cn`` is a data-only wheel (two font files and a 20-line module) holding
Noto Serif SC and Noto Sans SC Regular from notofonts/noto-cjk, under the SIL Open Font License
1.1, hash-pinned in the lock file like every other dependency: ``make run`` on a fresh machine
renders Chinese without an apt step and without LibreOffice. Serif (宋体-like) for the title and
body, sans (黑体-like) for headings and tables, as GB/T 9704 pairs 宋/仿宋 with 黑体. The PDF
embeds, per document, only the glyphs it uses, with TrueType outlines (``truetype_subset``): fpdf2
would embed the CFF outlines of these fonts as they are, but through a custom encoding CMap that
pypdf and pdfminer cannot read, so the text would not extract; a TrueType subset is embedded as
Identity-H, which every reader and extractor handles.

Lines. Chinese breaks between any two characters, but a number never breaks: a date
(2026年12月5日9时30分), a document number (鲁通管〔2026〕1号), a telephone number, an amount, a
checksum or an English word stays whole on its line (``tokens``, ``wrap``), and punctuation that
closes (，。）) never starts a line nor one that opens (（《“) ends one. Only a run wider than the
whole line is cut, where it must.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pylopdf_fonts_zh_cn

# fontTools logs each step of subsetting a font at INFO, glyph lists included: pages per PDF.
logging.getLogger("fontTools").setLevel(logging.WARNING)

SERIF: Path = pylopdf_fonts_zh_cn.serif_path()
SANS: Path = pylopdf_fonts_zh_cn.sans_path()
FAMILIES = {"serif": SERIF, "sans": SANS}
PDF_TYPE = "application/pdf"

# Curves of the converted outlines stay within this many font units of the originals (of 1,000).
MAX_ERROR = 1.0

RED = (0xE6, 0x00, 0x12)
BLACK = (0, 0, 0)
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
AUTHORITY_PT = 30
TABLE_PT = 10.5  # 五号
LINE_PT = 28  # fixed line pitch of the body: 22 lines a page
PT_MM = 25.4 / 72
# GB/T 9704: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; the text is 156 mm wide.
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
INDENT = "\u3000\u3000"  # two ideographic spaces: the first-line indent of a paragraph
CREATOR = "山东省携号转网监管工作台"

# Always in the fonts, whatever the text: digits and Latin letters for the page numbers and for
# what a caller adds, the indent, the rules' dashes.
_ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "—\u3000：。、，（）"


# --- Fonts ---------------------------------------------------------------------------------------


def truetype_subset(path: Path, text: str) -> bytes:
    """The font at ``path`` cut down to the characters of ``text``, with TrueType outlines."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(path))
    options = subset.Options()
    options.layout_features = []  # no vertical forms or ligatures: horizontal Chinese text
    options.notdef_outline = True
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    if "CFF " not in font:  # already TrueType
        buffer = io.BytesIO()
        font.save(buffer)
        return buffer.getvalue()

    # CFF (cubic) → glyf (quadratic), as fontTools' otf2ttf recipe does.
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:  # vertical origins belong to CFF fonts only
        del font["VORG"]
    glyf.compile(font)
    metrics = font["hmtx"]
    for name, glyph in glyphs.items():
        metrics[name] = (metrics[name][0], getattr(glyph, "xMin", 0))
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    maxp.numGlyphs = len(order)
    font["maxp"] = maxp
    font["post"].formatType = 3.0  # no glyph names: a CID-keyed font has none worth keeping
    font.sfntVersion = "\x00\x01\x00\x00"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


# --- Line breaking -------------------------------------------------------------------------------

# What never breaks: dates and times written in Chinese or in figures, document numbers, and any
# run of figures and Latin letters with the signs that hold a number together (1,234.56 · 0531-
# 86012345 · 138****0000 · 12.5% · SHA-256 checksums · English words), with its unit when one
# follows at once (元, 万元, %, ‰).
NUMBER = re.compile(
    r"\d{4}年\d{1,2}月(?:\d{1,2}日(?:\d{1,2}时(?:\d{1,2}分)?)?)?"
    r"|\d{1,2}月\d{1,2}日(?:\d{1,2}时(?:\d{1,2}分)?)?"
    r"|\d{1,2}时\d{1,2}分"
    r"|[\u4e00-\u9fff]{0,6}〔\d{4}〕\d+号"
    r"|\d{4}-\d{2}-\d{2}(?: \d{1,2}:\d{2}(?::\d{2})?)?"
    r"|[+＋]?[0-9A-Za-z](?:[0-9A-Za-z_*#@'’]|[.,:/\-–](?=[0-9A-Za-z*]))*(?:%|‰|万元|亿元|元)?"
)
# Never at the start of a line / never at its end (the usual Chinese rules, 禁则).
CLOSING = set("，。、；：？！）》」』”’〕】］…—％%,.;:?!)]}")
OPENING = set("（《「『“‘〔【［([{")


def tokens(text: str, keep: Iterable[str] = ()) -> list[str]:
    """``text`` cut into the pieces a line may break between: one Chinese character, one space,
    or a run that stays whole (``keep``'s strings, then ``NUMBER``'s runs), with the closing
    punctuation after it and the opening punctuation before it held on."""
    pieces: list[str] = []
    kept = sorted((k for k in keep if k), key=len, reverse=True)
    pattern = NUMBER
    if kept:
        pattern = re.compile("|".join([*(re.escape(k) for k in kept), NUMBER.pattern]))
    position = 0
    for match in pattern.finditer(text):
        if match.start() == match.end():
            continue
        pieces.extend(text[position : match.start()])
        pieces.append(match.group())
        position = match.end()
    pieces.extend(text[position:])

    held: list[str] = []
    for piece in pieces:
        if held and piece != " " and (piece[0] in CLOSING or held[-1][-1] in OPENING) and held[-1] != " ":
            held[-1] += piece
        else:
            held.append(piece)
    return held


def wrap(text: str, width: float, measure: Callable[[str], float], keep: Iterable[str] = ()) -> list[str]:
    """The lines of ``text`` no wider than ``width`` as ``measure`` measures them; a line feed in
    ``text`` always begins a new line. A number or word is moved whole to the next line."""
    keep = list(keep)
    lines: list[str] = []
    for hard_line in text.split("\n"):
        current, used = "", 0.0
        for piece in tokens(hard_line, keep):
            size = measure(piece)
            if used + size <= width + 1e-6:
                current, used = current + piece, used + size
                continue
            if piece == " ":  # a space at the break is dropped
                lines.append(current.rstrip(" "))
                current, used = "", 0.0
                continue
            if current.strip(" "):
                lines.append(current.rstrip(" "))
                current, used = "", 0.0
            if size <= width + 1e-6:
                current, used = piece, size
                continue
            for character in piece:  # wider than a whole line: cut where it must
                step = measure(character)
                if current and used + step > width + 1e-6:
                    lines.append(current)
                    current, used = "", 0.0
                current, used = current + character, used + step
        lines.append(current.rstrip(" "))
    return lines


# --- The writer ----------------------------------------------------------------------------------


class Writer:
    """Lays out an official document on an fpdf2 page, line by line (``render`` makes one)."""

    def __init__(self, pdf, keep: Iterable[str] = ()):
        self.pdf = pdf
        self.keep = [k for k in keep if k]
        self.line = LINE_PT * PT_MM

    def measure(self, family: str, size: float) -> Callable[[str], float]:
        self.pdf.set_font(family, size=size)
        return self.pdf.get_string_width

    def lines(self, body: str, width: float, *, family: str = "serif", size: float = BODY_PT) -> list[str]:
        """``body`` broken into the lines that fit ``width`` mm in ``family`` at ``size`` pt."""
        return wrap(body, width, self.measure(family, size), self.keep)

    def text(
        self,
        body: str,
        *,
        family: str = "serif",
        size: float = BODY_PT,
        align: str = "L",
        indent: bool = True,
        color=BLACK,
        height: float | None = None,
        right: float = 0,
    ) -> None:
        """A paragraph: its first line indented two characters unless ``indent`` is off; ``right``
        mm kept free at the right (a signature's indent)."""
        pdf = self.pdf
        width = pdf.epw - right
        pdf.set_text_color(*color)
        prefix = INDENT if indent else ""
        for line in self.lines(prefix + body, width, family=family, size=size):
            pdf.set_x(pdf.l_margin)
            pdf.cell(width, height or self.line, line, align=align, new_x="LMARGIN", new_y="NEXT")

    def room(self, needed_mm: float) -> None:
        """A new page unless ``needed_mm`` is left on this one (keeps a heading with what follows)."""
        if self.pdf.get_y() + needed_mm > self.pdf.h - MARGINS_MM["bottom"]:
            self.pdf.add_page()

    def rule(self, color=BLACK, width: float = 0.3, offset: float = 0) -> None:
        pdf = self.pdf
        pdf.set_draw_color(*color)
        pdf.set_line_width(width)
        y = pdf.get_y() + offset
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)

    def head(self, authority: str, document_no: str, *, size: float = AUTHORITY_PT) -> None:
        """The red head: the authority's name, the document number, the red rule."""
        self.text(authority, size=size, align="C", indent=False, color=RED, height=size * PT_MM * 1.5)
        self.pdf.ln(3)
        self.text(document_no, align="C", indent=False)
        self.rule(RED, 0.6, offset=1)
        self.pdf.ln(self.line)

    def title(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.text(line, size=TITLE_PT, align="C", indent=False, height=TITLE_PT * PT_MM * 1.5)
        self.pdf.ln(self.line / 2)

    def signature(self, authority: str, date: str, *, indent_chars: int = 2) -> None:
        """The authority and the date at the right, ``indent_chars`` characters from the edge."""
        self.room(self.line * 4)
        self.pdf.ln(self.line)
        for value in (authority, date):
            self.text(value, align="R", indent=False, right=BODY_PT * PT_MM * indent_chars)

    def copy_line(self, text: str) -> None:
        """抄送：… between two thin rules."""
        self.pdf.ln(self.line)
        self.rule()
        self.text(text, size=14, indent=False, height=10)
        self.rule()


def _pdf_class():
    from fpdf import FPDF

    class OfficialPDF(FPDF):
        def footer(self):
            self.set_y(-25)
            self.set_font("serif", size=14)
            self.set_text_color(0)
            self.cell(0, 10, f"— {self.page_no()} —", align="C")

    return OfficialPDF


def render(
    characters: str,
    draw: Callable[[Writer], None],
    *,
    title: str,
    author: str,
    created: dt.datetime | None = None,
    keep: Iterable[str] = (),
) -> bytes:
    """A PDF with its fonts embedded, laid out by ``draw(writer)`` on A4 with the official
    margins; ``characters`` holds every character it may print (the fonts are cut to them),
    ``keep`` strings that must never break across lines (document numbers)."""
    pdf = _pdf_class()(format="A4", unit="mm")
    pdf.set_margins(MARGINS_MM["left"], MARGINS_MM["top"], MARGINS_MM["right"])
    pdf.set_auto_page_break(True, margin=MARGINS_MM["bottom"])
    used = characters + _ALWAYS
    with tempfile.TemporaryDirectory() as folder:
        for family, path in FAMILIES.items():
            subset = Path(folder) / f"{family}.ttf"
            subset.write_bytes(truetype_subset(path, used))
            pdf.add_font(family, "", str(subset))
        # Inside the folder's lifetime: fontTools may read the files lazily until the output.
        pdf.set_title(title)
        pdf.set_author(author)
        pdf.set_creator(CREATOR)
        pdf.set_lang("zh-CN")
        if created:
            pdf.set_creation_date(created)
        pdf.add_page()
        draw(Writer(pdf, keep))
        return bytes(pdf.output())
