"""The official documents: the rectification order and the interview notice, as .docx and PDF.

Laid out as a Chinese official document (GB/T 9704 in spirit): the issuing authority's name in
red at the head, the document number, a red rule, the title, the addressee (the operator's full
name), the body in 仿宋 three-size (16 pt) with two-character first-line indents, and the
signature block with the administration's name and the date written 2026年12月5日. The text is
Chinese whatever the reader's language: it is the document the operator receives.

Each document is composed once (``Letter``) and laid out twice: as .docx (python-docx, the
reader's Windows fonts) and as PDF by the briefing's engine (``core.pdf``: fonts from a Python
package, no LibreOffice), where no number (the document number, a date, a telephone number, an
amount) is ever split across two lines.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from supervision.core import pdf
from supervision.core.dates import local_date, local_time
from supervision.core.text import printable, printable_copy

from .models import METHOD_WORDS, SEVERITY_WORDS, InterviewNotice, RectificationOrder

AUTHORITY = "山东省通信管理局"
RED = RGBColor(0xE6, 0x00, 0x12)
BODY_FONT = "仿宋"  # 仿宋_GB2312 on the administration's machines; 仿宋 is its common name
TITLE_FONT = "宋体"  # 方正小标宋 where installed; 宋体 everywhere
HEADING_FONT = "黑体"
BODY_SIZE = 16  # 三号
TITLE_SIZE = 22  # 二号
HEAD_SIZE = 36  # the red head
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = pdf.PDF_TYPE
DRAFT_NUMBER = "（草稿，文号待定）"
SIGNATURE_INDENT_CHARS = 4

_DIGITS = "零一二三四五六七八九"


def chinese_date(day: dt.date) -> str:
    """2026年12月5日"""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_datetime(moment: dt.datetime) -> str:
    local = local_time(moment)
    minutes = f"{local.minute}分" if local.minute else ""
    return f"{chinese_date(local.date())}{local.hour}时{minutes}"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (for 一、二、三 headings)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return f"{_DIGITS[tens] if tens > 1 else ''}十{_DIGITS[ones] if ones else ''}"


# --- What a document says -------------------------------------------------------------------


@dataclass
class Letter:
    """An official document as both files say it: head, title, addressee, body paragraphs (each
    with its two-character indent), the signature's date and the contact line."""

    document_no: str | None
    title: str
    addressee: str
    paragraphs: list[str] = field(default_factory=list)
    date: dt.date | None = None
    contact: str = ""

    @property
    def number(self) -> str:
        return self.document_no or DRAFT_NUMBER

    def characters(self) -> str:
        return (
            "".join(
                [
                    AUTHORITY,
                    self.number,
                    self.title,
                    self.addressee,
                    *self.paragraphs,
                    chinese_date(self.date),
                ]
            )
            + self.contact
        )


def _contact(officer) -> str:
    if officer is None:
        return ""
    phone = f"  联系电话：{officer.phone}" if officer.phone else ""
    return f"（联系人：{officer.full_name or officer.username}{phone}）"


def _lines(text: str) -> list[str]:
    # Cleaned before splitting: splitlines() would take a stray \x0b or \x1f for a line break.
    return [line.strip() for line in printable(text or "").splitlines() if line.strip()]


# --- .docx ----------------------------------------------------------------------------------


def _set_font(run, name: str, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    # Word picks the font for Chinese characters from w:eastAsia, not from w:ascii.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _new_document() -> Document:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_SIZE)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    return document


def _paragraph(
    document,
    text: str = "",
    *,
    font=BODY_FONT,
    size=BODY_SIZE,
    bold=False,
    color=None,
    align=None,
    indent=True,
):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    if text:
        _set_font(paragraph.add_run(text), font, size, bold=bold, color=color)
    return paragraph


def _red_rule(paragraph) -> None:
    """A red line under the paragraph (the rule under the document number)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", "E60012")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def render_docx(letter: Letter) -> bytes:
    """``letter`` as a .docx file."""
    letter = printable_copy(letter)  # every text of a document: what XML cannot carry (\x0b) goes
    document = _new_document()
    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(
        document, AUTHORITY, font=TITLE_FONT, size=HEAD_SIZE, bold=True, color=RED, align=center, indent=False
    )
    _paragraph(document, indent=False)
    _red_rule(_paragraph(document, letter.number, align=center, indent=False))
    _paragraph(document, indent=False)
    _paragraph(
        document, letter.title, font=TITLE_FONT, size=TITLE_SIZE, bold=True, align=center, indent=False
    )
    _paragraph(document, indent=False)
    _paragraph(document, letter.addressee, indent=False)
    for text in letter.paragraphs:
        _paragraph(document, text)
    _paragraph(document, indent=False)
    _paragraph(document, indent=False)
    for text in (AUTHORITY, chinese_date(letter.date)):
        paragraph = _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        paragraph.paragraph_format.right_indent = Pt(BODY_SIZE * SIGNATURE_INDENT_CHARS)
    if letter.contact:
        _paragraph(document, indent=False)
        _paragraph(document, letter.contact)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF ------------------------------------------------------------------------------------


def render_pdf(letter: Letter) -> bytes:
    """``letter`` as a PDF, by the briefing's engine: no number is split across two lines."""
    letter = printable_copy(letter)

    def draw(writer: pdf.Writer) -> None:
        writer.head(AUTHORITY, letter.number, size=HEAD_SIZE)
        writer.title([letter.title])
        writer.text(letter.addressee, indent=False)
        for text in letter.paragraphs:
            writer.text(text)
        writer.signature(AUTHORITY, chinese_date(letter.date), indent_chars=SIGNATURE_INDENT_CHARS)
        if letter.contact:
            writer.pdf.ln(writer.line)
            writer.text(letter.contact)

    return pdf.render(
        letter.characters(), draw, title=letter.title, author=AUTHORITY, keep=[letter.document_no or ""]
    )


# --- The rectification order ----------------------------------------------------------------


def _finding_sentence(finding) -> str:
    place = finding.site or finding.get_channel_display()
    # Store names usually begin with their city (潍坊市新华路营业厅): do not say the city twice.
    where = place if place.startswith(finding.city.short_zh) else finding.city.name_zh + place
    clause = f"违反{finding.clause.code}“{finding.clause.name_zh}”" if finding.clause_id else ""
    severity = SEVERITY_WORDS.get(finding.severity, "")
    note = "，".join(part for part in (clause, f"情节{severity}" if severity else "") if part)
    return (
        f"{chinese_date(finding.visit_date)}，{finding.agency}在{where}开展{METHOD_WORDS.get(finding.method, '')}检查"
        f"（{finding.scenario}），发现：{finding.description.rstrip('。')}"
        + (f"（{note}）" if note else "")
        + "。"
    )


def _complaint_sentence(complaint) -> str:
    return (
        f"{chinese_date(complaint.received_on)}受理的用户投诉（编号{complaint.complaint_no}，{complaint.city.name_zh}）："
        f"{complaint.summary.rstrip('。')}。"
    )


def order_letter(order: RectificationOrder) -> Letter:
    """What the rectification order (整改通知书) says."""
    findings = list(order.findings.select_related("city", "clause").order_by("visit_date", "pk"))
    complaints = list(order.complaints.select_related("city").order_by("received_on", "pk"))
    grounds = [_finding_sentence(f) for f in findings] + [_complaint_sentence(c) for c in complaints]
    deadline = local_date(order.deadline)
    return Letter(
        document_no=order.document_no,
        title=order.title,
        addressee=f"{order.operator.name_zh}：",
        paragraphs=[
            "经查，你公司存在以下问题：",
            *(f"（{chinese_number(n)}）{sentence}" for n, sentence in enumerate(grounds, start=1)),
            "上述行为违反了《携号转网服务管理规定》和《山东省携号转网服务管理细则》的有关规定。"
            "依据《中华人民共和国电信条例》，现责令你公司限期整改，具体要求如下：",
            *_lines(order.requirements),
            f"请你公司于{chinese_date(deadline)}前完成整改，并将整改情况书面报送我局。"
            "逾期未整改或整改不到位的，我局将依法依规作进一步处理。",
        ],
        date=local_date(order.issued_at or timezone.now()),
        contact=_contact(order.case_officer),
    )


def order_document(order: RectificationOrder) -> bytes:
    """The rectification order (整改通知书) as a .docx file."""
    return render_docx(order_letter(order))


def order_pdf(order: RectificationOrder) -> bytes:
    """The rectification order (整改通知书) as a PDF file."""
    return render_pdf(order_letter(order))


# --- The interview notice -------------------------------------------------------------------


def interview_letter(notice: InterviewNotice) -> Letter:
    """What the interview notice (约谈通知书) says."""
    orders = [o for o in notice.orders.all() if o.document_no]
    reason = notice.reason.rstrip("。")
    related = f"（相关整改通知：{'、'.join(o.document_no for o in orders)}）" if orders else ""
    items = [
        f"约谈时间：{chinese_datetime(notice.scheduled_at)}。",
        f"约谈地点：{notice.place}。",
        f"你公司参加人员：{notice.persons_required.rstrip('。')}。",
    ]
    if notice.administration_attendees:
        items.append(f"我局参加人员：{notice.administration_attendees.rstrip('。')}。")
    items.append("请你公司准备书面情况说明和整改措施，并于约谈前一个工作日将参加人员名单报送我局。")
    return Letter(
        document_no=notice.document_no,
        title=f"关于约谈{notice.operator.name_zh}有关负责人的通知",
        addressee=f"{notice.operator.name_zh}：",
        paragraphs=[
            f"{reason}{related}。根据《山东省携号转网服务管理细则》有关规定，我局决定约谈你公司有关负责人。"
            "现将有关事项通知如下：",
            *(f"{chinese_number(n)}、{item}" for n, item in enumerate(items, start=1)),
        ],
        date=local_date(notice.issued_at or timezone.now()),
        contact=_contact(notice.case_officer),
    )


def interview_document(notice: InterviewNotice) -> bytes:
    """The interview notice (约谈通知书) as a .docx file."""
    return render_docx(interview_letter(notice))


def interview_pdf(notice: InterviewNotice) -> bytes:
    """The interview notice (约谈通知书) as a PDF file."""
    return render_pdf(interview_letter(notice))
