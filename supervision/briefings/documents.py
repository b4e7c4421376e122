"""The briefing as files: a .docx (python-docx) and a PDF (fpdf2), laid out from one composition.

The look of a Chinese official document (GB/T 9704 in spirit): A4 with the official margins,
the issuing authority's name in red at the head, the document number, a red rule, the title,
the addressees, the body with two-character first-line indents, headings 一、二、…, numbered
tables and figures, the authority and date at the end, the copy line, page numbers “— 1 —”.

Fonts. The .docx names Windows fonts (仿宋 for the body, 黑体 for headings, 楷体 for second-level
headings, 宋体 for the title and tables), each set as the East Asian font (``w:eastAsia``) that
Word uses for Chinese characters: Word draws with the reader's fonts. The PDF is made by the
official documents' engine (``core.pdf``): Noto Serif SC and Noto Sans SC from a Python package,
embedded as subsets, and no figure broken across two lines.
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from supervision.core import pdf
from supervision.core.text import printable_copy

from .content import Chart, Composition, Heading, Paragraph, Table, title

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = pdf.PDF_TYPE

RED = pdf.RED
DOCX_FONTS = {
    "body": "仿宋",  # 仿宋_GB2312 on older machines; 仿宋 is what Windows ships
    "heading": "黑体",
    "heading2": "楷体",
    "title": "宋体",  # 方正小标宋 where installed; 宋体 everywhere
    "table": "宋体",
}
BODY_PT = pdf.BODY_PT
TITLE_PT = pdf.TITLE_PT
AUTHORITY_PT = pdf.AUTHORITY_PT
TABLE_PT = pdf.TABLE_PT
LINE_PT = pdf.LINE_PT
MARGINS_MM = pdf.MARGINS_MM
CHART_WIDTH_MM = 150
TABLE_PADDING_MM = 1


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


def render_pdf(
    composition: Composition, charts: dict[str, bytes], *, created: dt.datetime | None = None
) -> bytes:
    """The briefing as a PDF with its fonts embedded (``core.pdf``); ``charts`` as for
    ``render_docx``."""
    composition = printable_copy(composition)
    head = composition.head
    return pdf.render(
        _characters(composition),
        lambda writer: _pdf_body(writer, composition, charts),
        title=head.title,
        author=head.authority,
        created=created,
        keep=[head.document_no],
    )


def _characters(composition: Composition) -> str:
    """Every character the PDF may print: the composition's texts and the copy line's words."""
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
    return "".join(parts)


def _pdf_table(writer: pdf.Writer, block: Table) -> None:
    """A numbered table whose cells break between characters but never inside a figure."""
    from fpdf.enums import WrapMode
    from fpdf.fonts import FontFace

    document = writer.pdf
    writer.room(40)
    document.ln(2)
    writer.text(block.caption, family="sans", size=12, align="C", indent=False, height=8)
    total = sum(block.widths)
    # The text width of each column: its share of the page less the padding on either side and
    # a hair, so that fpdf2 never breaks a line that ``wrap`` made to fit.
    inner = [document.epw * w / total - 2 * TABLE_PADDING_MM - 0.5 for w in block.widths]

    def cells(values, family):
        return [
            "\n".join(writer.lines(text, width, family=family, size=pdf.TABLE_PT))
            for text, width in zip(values, inner, strict=True)
        ]

    header = cells(block.header, "sans")
    rows = [cells(values, "serif") for values in block.rows]
    document.set_font("serif", size=pdf.TABLE_PT)
    document.set_draw_color(0)
    document.set_line_width(0.2)
    document.set_text_color(0)
    with document.table(
        col_widths=block.widths,
        width=document.epw,
        text_align=["LEFT", *(["CENTER"] * (len(block.header) - 1))],
        headings_style=FontFace(family="sans", emphasis="", size_pt=pdf.TABLE_PT),
        line_height=pdf.TABLE_PT * pdf.PT_MM * 1.5,
        wrapmode=WrapMode.CHAR,
        padding=TABLE_PADDING_MM,
        repeat_headings=1,
    ) as table:
        table.row(header)
        for values in rows:
            table.row(values)
    document.ln(4)


def _pdf_body(writer: pdf.Writer, composition: Composition, charts: dict[str, bytes]) -> None:
    head = composition.head
    line = writer.line
    writer.head(head.authority, head.document_no)
    writer.title(head.title_lines)
    writer.text("、".join(head.addressees) + "：", indent=False)

    for block in composition.blocks:
        if isinstance(block, Heading):
            writer.room(line * 3)
            writer.text(block.text, family="sans" if block.level == 1 else "serif")
        elif isinstance(block, Paragraph):
            writer.text(block.text)
        elif isinstance(block, Table):
            _pdf_table(writer, block)
        elif isinstance(block, Chart):
            png = charts[block.key]
            from PIL import Image

            with Image.open(io.BytesIO(png)) as image:
                height = CHART_WIDTH_MM * image.height / image.width
            writer.room(height + 10)
            document = writer.pdf
            document.image(
                io.BytesIO(png), x=document.l_margin + (document.epw - CHART_WIDTH_MM) / 2, w=CHART_WIDTH_MM
            )
            writer.text(block.caption, family="sans", size=12, align="C", indent=False, height=8)
            document.ln(3)

    writer.signature(head.authority, head.date)
    writer.copy_line(f"抄送：{head.copy_to}。")


def file_name(briefing, extension: str) -> str:
    """The briefing's file name, as downloaded and attached: its number (or draft label) and title."""
    prefix = briefing.document_no or f"草稿{briefing.period.label}-v{briefing.version}"
    return f"{prefix} {title(briefing.period.label)}.{extension}"
