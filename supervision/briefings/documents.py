"""The briefing as files: a .docx (python-docx) and a PDF (fpdf2), laid out from one composition.

The look of a Chinese official document (GB/T 9704 in spirit): A4 with the official margins,
the issuing authority's name in red at the head, the document number, a red rule, the title,
the addressees, the body with two-character first-line indents, headings 一、二、…, numbered
tables and figures, the authority and date at the end, the copy line, page numbers “— 1 —”.

Fonts. The .docx names Windows fonts (仿宋 for the body, 黑体 for headings, 楷体 for second-level
headings, 宋体 for the title and tables), each set as the East Asian font (``w:eastAsia``) that
Word uses for Chinese characters: Word draws with the reader's fonts. The PDF carries its own:
Noto Serif SC and Noto Sans SC from a Python package (``fonts``), embedded as subsets.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from supervision.core.text import printable_copy

from . import fonts
from .content import Chart, Composition, Heading, Paragraph, Table, title

# fontTools logs each step of subsetting a font at INFO, glyph lists included: pages per PDF.
logging.getLogger("fontTools").setLevel(logging.WARNING)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"

RED = (0xE6, 0x00, 0x12)
DOCX_FONTS = {
    "body": "仿宋",  # 仿宋_GB2312 on older machines; 仿宋 is what Windows ships
    "heading": "黑体",
    "heading2": "楷体",
    "title": "宋体",  # 方正小标宋 where installed; 宋体 everywhere
    "table": "宋体",
}
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
AUTHORITY_PT = 30
TABLE_PT = 10.5  # 五号
LINE_PT = 28  # fixed line pitch of the body: 22 lines a page
# GB/T 9704: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; the text is 156 mm wide.
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
CHART_WIDTH_MM = 150


# --- .docx ---------------------------------------------------------------------------------------


def _font(run, name: str, size: float, *, color=None, bold=False):
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor(*color)
    # python-docx sets the Latin fonts only; Chinese characters take the East Asian one.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    return run


def _paragraph(doc_or_cell, text="", *, font="body", size=BODY_PT, align=None, indent=True, color=None):
    paragraph = doc_or_cell.add_paragraph()
    fmt = paragraph.paragraph_format
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        paragraph.alignment = align
    if text:
        _font(paragraph.add_run(text), DOCX_FONTS[font], size, color=color)
    return paragraph


def _rule(paragraph, edge="bottom", color="E60012", size=12):
    """A line under (or over) a paragraph: the red rule under the head, the copy line's rules."""
    borders = paragraph._p.get_or_add_pPr().find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        paragraph._p.get_or_add_pPr().append(borders)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), color)
    borders.append(line)


def _page_number_footer(section):
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), DOCX_FONTS["table"], 14)
    run = _font(paragraph.add_run(), DOCX_FONTS["table"], 14)
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    _font(paragraph.add_run(" —"), DOCX_FONTS["table"], 14)


def _repeat_header(row):
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _docx_table(doc, block: Table):
    caption = _paragraph(
        doc, block.caption, font="heading", size=12, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False
    )
    caption.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(block.widths)
    widths = [Cm(15.6 * w / total) for w in block.widths]
    for cell, text, width in zip(table.rows[0].cells, block.header, widths, strict=True):
        cell.width = width
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(text), DOCX_FONTS["heading"], TABLE_PT)
    _repeat_header(table.rows[0])
    for values in block.rows:
        cells = table.add_row().cells
        for column, (cell, text, width) in enumerate(zip(cells, values, widths, strict=True)):
            cell.width = width
            for index, line in enumerate(text.split("\n")):
                paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if column == 0 else WD_ALIGN_PARAGRAPH.CENTER
                _font(paragraph.add_run(line), DOCX_FONTS["table"], TABLE_PT if index == 0 else 9)
    _paragraph(doc, "", size=8, indent=False)


def _docx_setup(doc):
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = Cm(MARGINS_MM["top"] / 10)
    section.bottom_margin = Cm(MARGINS_MM["bottom"] / 10)
    section.left_margin = Cm(MARGINS_MM["left"] / 10)
    section.right_margin = Cm(MARGINS_MM["right"] / 10)
    normal = doc.styles["Normal"]
    normal.font.name = DOCX_FONTS["body"]
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_FONTS["body"])
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(LINE_PT)
    _page_number_footer(section)


def render_docx(
    composition: Composition, charts: dict[str, bytes], *, created: dt.datetime | None = None
) -> bytes:
    """The briefing as a .docx; ``charts`` holds the PNG of each chart block, by key."""
    composition = printable_copy(composition)  # stored text may hold what XML cannot carry
    head = composition.head
    doc = Document()
    _docx_setup(doc)
    doc.core_properties.title = head.title
    doc.core_properties.author = head.authority
    doc.core_properties.language = "zh-CN"
    if created:
        doc.core_properties.created = doc.core_properties.modified = created.replace(tzinfo=None)

    authority = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    authority.paragraph_format.line_spacing = Pt(AUTHORITY_PT * 1.6)
    _font(authority.add_run(head.authority), DOCX_FONTS["title"], AUTHORITY_PT, color=RED, bold=True)
    number = _paragraph(doc, head.document_no, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    number.paragraph_format.space_before = Pt(12)
    _rule(number, "bottom", size=18)
    _paragraph(doc, "", indent=False)
    title = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    title.paragraph_format.line_spacing = Pt(TITLE_PT * 1.5)
    for index, line in enumerate(head.title_lines):
        run = _font(title.add_run(line), DOCX_FONTS["title"], TITLE_PT, bold=True)
        if index < len(head.title_lines) - 1:
            run.add_break()
    _paragraph(doc, "", indent=False)
    _paragraph(doc, "、".join(head.addressees) + "：", indent=False, align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    for block in composition.blocks:
        if isinstance(block, Heading):
            font = "heading" if block.level == 1 else "heading2"
            _paragraph(doc, block.text, font=font).paragraph_format.keep_with_next = True
        elif isinstance(block, Paragraph):
            _paragraph(doc, block.text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        elif isinstance(block, Table):
            _docx_table(doc, block)
        elif isinstance(block, Chart):
            picture = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
            picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            picture.paragraph_format.keep_with_next = True
            picture.add_run().add_picture(io.BytesIO(charts[block.key]), width=Cm(CHART_WIDTH_MM / 10))
            _paragraph(
                doc, block.caption, font="heading", size=12, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False
            )

    _paragraph(doc, "", indent=False)
    _paragraph(doc, "", indent=False)
    for text in (head.authority, head.date):
        signature = _paragraph(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        signature.paragraph_format.right_indent = Pt(BODY_PT * 2)
    _paragraph(doc, "", indent=False)
    copy = _paragraph(doc, f"抄送：{head.copy_to}。", size=14, indent=False)
    _rule(copy, "top", color="000000", size=6)
    _rule(copy, "bottom", color="000000", size=6)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- PDF -----------------------------------------------------------------------------------------


def _pdf_class():
    from fpdf import FPDF

    class BriefingPDF(FPDF):
        def footer(self):
            self.set_y(-25)
            self.set_font("serif", size=14)
            self.set_text_color(0)
            self.cell(0, 10, f"— {self.page_no()} —", align="C")

    return BriefingPDF


PT_MM = 25.4 / 72


def render_pdf(
    composition: Composition, charts: dict[str, bytes], *, created: dt.datetime | None = None
) -> bytes:
    """The briefing as a PDF with its fonts embedded; ``charts`` as for ``render_docx``."""
    composition = printable_copy(composition)
    pdf = _pdf_class()(format="A4", unit="mm")
    pdf.set_margins(MARGINS_MM["left"], MARGINS_MM["top"], MARGINS_MM["right"])
    pdf.set_auto_page_break(True, margin=MARGINS_MM["bottom"])
    used = _characters(composition)
    with tempfile.TemporaryDirectory() as folder:
        for family, path in (("serif", fonts.SERIF), ("sans", fonts.SANS)):
            subset = Path(folder) / f"{family}.ttf"
            subset.write_bytes(fonts.truetype_subset(path, used))
            pdf.add_font(family, "", str(subset))
        # Inside the folder's lifetime: fontTools may read the files lazily until the output.
        return _pdf_body(pdf, composition, charts, created)


def _characters(composition: Composition) -> str:
    """Every character the PDF may print: the composition's texts, the page numbers, the indent."""
    head = composition.head
    parts = [
        head.authority,
        head.document_no,
        head.title,
        *head.addressees,
        head.date,
        head.copy_to,
        "抄送：。、",
    ]
    for block in composition.blocks:
        if isinstance(block, Table):
            parts += [block.caption, *block.header, *(cell for row in block.rows for cell in row)]
        else:
            parts.append(getattr(block, "text", "") or getattr(block, "caption", ""))
    return "".join(parts) + "— 0123456789\u3000"


def _pdf_body(pdf, composition: Composition, charts: dict[str, bytes], created) -> bytes:
    from fpdf.enums import WrapMode
    from fpdf.fonts import FontFace

    head = composition.head
    pdf.set_title(head.title)
    pdf.set_author(head.authority)
    pdf.set_creator("山东省携号转网监管工作台")
    pdf.set_lang("zh-CN")
    if created:
        pdf.set_creation_date(created)
    pdf.add_page()
    line = LINE_PT * PT_MM

    def text(body, *, family="serif", size=BODY_PT, align="L", indent=True, color=(0, 0, 0), height=None):
        pdf.set_font(family, size=size)
        pdf.set_text_color(*color)
        prefix = "\u3000\u3000" if indent else ""
        pdf.multi_cell(
            0,
            height or line,
            prefix + body,
            align=align,
            wrapmode=WrapMode.CHAR,
            new_x="LMARGIN",
            new_y="NEXT",
        )

    def room(needed_mm):
        if pdf.get_y() + needed_mm > pdf.h - MARGINS_MM["bottom"]:
            pdf.add_page()

    text(
        head.authority,
        size=AUTHORITY_PT,
        align="C",
        indent=False,
        color=RED,
        height=AUTHORITY_PT * PT_MM * 1.5,
    )
    pdf.ln(3)
    text(head.document_no, align="C", indent=False)
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    pdf.ln(line)
    for title_line in head.title_lines:
        text(title_line, size=TITLE_PT, align="C", indent=False, height=TITLE_PT * PT_MM * 1.5)
    pdf.ln(line / 2)
    text("、".join(head.addressees) + "：", indent=False)

    for block in composition.blocks:
        if isinstance(block, Heading):
            room(line * 3)
            text(block.text, family="sans" if block.level == 1 else "serif")
        elif isinstance(block, Paragraph):
            text(block.text)
        elif isinstance(block, Table):
            room(40)
            pdf.ln(2)
            text(block.caption, family="sans", size=12, align="C", indent=False, height=8)
            pdf.set_font("serif", size=TABLE_PT)
            pdf.set_draw_color(0)
            pdf.set_line_width(0.2)
            with pdf.table(
                col_widths=block.widths,
                width=pdf.epw,
                text_align=["LEFT", *(["CENTER"] * (len(block.header) - 1))],
                headings_style=FontFace(family="sans", emphasis="", size_pt=TABLE_PT),
                line_height=TABLE_PT * PT_MM * 1.5,
                wrapmode=WrapMode.CHAR,
                padding=1,
                repeat_headings=1,
            ) as table:
                table.row(block.header)
                for values in block.rows:
                    table.row(values)
            pdf.ln(4)
        elif isinstance(block, Chart):
            png = charts[block.key]
            from PIL import Image

            with Image.open(io.BytesIO(png)) as image:
                height = CHART_WIDTH_MM * image.height / image.width
            room(height + 10)
            pdf.image(io.BytesIO(png), x=pdf.l_margin + (pdf.epw - CHART_WIDTH_MM) / 2, w=CHART_WIDTH_MM)
            text(block.caption, family="sans", size=12, align="C", indent=False, height=8)
            pdf.ln(3)

    room(line * 5)
    pdf.ln(line)
    for value in (head.authority, head.date):
        pdf.set_x(pdf.l_margin)
        pdf.set_font("serif", size=BODY_PT)
        pdf.set_text_color(0)
        pdf.cell(pdf.epw - BODY_PT * PT_MM * 2, line, value, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(line)
    pdf.set_draw_color(0)
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    text(f"抄送：{head.copy_to}。", size=14, indent=False, height=10)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    return bytes(pdf.output())


def file_name(briefing, extension: str) -> str:
    """The briefing's file name, as downloaded and attached: its number (or draft label) and title."""
    prefix = briefing.document_no or f"草稿{briefing.period.label}-v{briefing.version}"
    return f"{prefix} {title(briefing.period.label)}.{extension}"
