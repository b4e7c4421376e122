"""The official documents (.docx) and their numbers."""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from supervision.casework import documents, interviews, orders
from supervision.casework.models import RectificationOrder, end_of_day
from supervision.casework.numbers import next_document_number

from .conftest import make_finding, make_interview, make_order

# Runs at each of make test-dates' instants: document numbers are by year.
pytestmark = pytest.mark.dates

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def docx_text(data: bytes) -> tuple[Document, str]:
    document = Document(io.BytesIO(data))
    return document, "\n".join(p.text for p in document.paragraphs)


@pytest.fixture
def issued_order(regulator):
    with time_machine.travel(dt.datetime(2026, 11, 28, 10, tzinfo=SHANGHAI), tick=False):
        finding = make_finding(regulator)
        order = orders.create_order(
            user=regulator,
            operator=finding.operator,
            title="关于中国移动潍坊违规限制携号转网问题的整改通知",
            requirements="一、立即停止违规行为；\n二、对相关责任人员严肃处理。",
            findings=[finding],
            deadline=end_of_day(dt.date(2026, 12, 5)),
        )
        return orders.issue_order(order, user=regulator)


def test_the_downloaded_order_carries_number_addressee_and_deadline(client, regulator, issued_order):
    client.force_login(regulator)
    response = client.get(reverse("control:order_document", args=[issued_order.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == documents.DOCX_TYPE
    assert "attachment" in response["Content-Disposition"]
    document, text = docx_text(response.content)
    lines = [p.text for p in document.paragraphs]
    assert lines[0] == "山东省通信管理局"
    assert "鲁通管〔2026〕1号" in lines
    assert "中国移动通信集团山东有限公司：" in lines  # the addressee: the operator's full name
    assert "请你公司于2026年12月5日前完成整改" in text
    assert "关于中国移动潍坊违规限制携号转网问题的整改通知" in lines
    assert "潍坊市新华路营业厅" in text and "BL2" in text  # the ground
    assert "一、立即停止违规行为；" in lines  # the requirements, line by line
    assert lines[-4:-2] == ["山东省通信管理局", "2026年11月28日"]  # signed, dated when issued


def test_the_document_is_laid_out_in_chinese_fonts_with_a_red_head(issued_order):
    document, _text = docx_text(documents.order_document(issued_order))
    head = document.paragraphs[0].runs[0]
    assert str(head.font.color.rgb) == "E60012"
    assert head._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    body = next(p for p in document.paragraphs if p.text.startswith("经查"))
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋"


def test_the_operator_downloads_its_order_and_no_other(client, operator_a, operator_b, issued_order):
    client.force_login(operator_a)
    response = client.get(reverse("portal:order_document", args=[issued_order.pk]))
    _document, text = docx_text(response.content)
    assert "鲁通管〔2026〕1号" in text
    client.force_login(operator_b)
    assert client.get(reverse("portal:order_document", args=[issued_order.pk])).status_code == 404


def test_a_draft_order_has_no_number_yet(regulator, operator_a):
    order = make_order(regulator, operator_a, "draft")
    assert order.document_no is None
    _document, text = docx_text(documents.order_document(order))
    assert "文号待定" in text


def pdf_lines(data: bytes) -> list[str]:
    """The PDF's text line by line, without the spaces pypdf puts between CJK glyphs."""
    reader = PdfReader(io.BytesIO(data))
    lines = (line for page in reader.pages for line in page.extract_text().splitlines())
    return ["".join(line.split()) for line in lines if line.strip()]


def assert_no_number_split(lines: list[str]) -> None:
    """No line ends inside a number that the next line goes on with (2026 | 年12月, 0531- | 860…)."""
    for before, after in zip(lines, lines[1:], strict=False):
        assert not (before[-1].isdigit() and (after[0].isdigit() or after[0] in "年月日时分号〕")), (
            before,
            after,
        )
        assert not (before[-1] in "-〔" and after[0].isdigit()), (before, after)


def test_the_order_is_a_pdf_too_made_without_libreoffice(client, regulator, issued_order, monkeypatch):
    monkeypatch.setenv("PATH", "")  # no soffice, nor any other program, to be found
    regulator.phone = "0531-86012345"
    regulator.save(update_fields=["phone"])
    client.force_login(regulator)
    page = client.get(reverse("control:order", args=[issued_order.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert f"{reverse('control:order_document', args=[issued_order.pk])}?format=pdf" in page.content.decode()
    response = client.get(reverse("control:order_document", args=[issued_order.pk]), {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert ".pdf" in response["Content-Disposition"]
    lines = pdf_lines(response.content)
    assert lines[0] == "山东省通信管理局"
    assert "鲁通管〔2026〕1号" in lines
    assert "中国移动通信集团山东有限公司：" in lines
    text = "".join(lines)
    assert "请你公司于2026年12月5日前完成整改" in text
    assert "一、立即停止违规行为；" in lines
    for number in ("2026年12月5日", "2026年11月28日", "0531-86012345"):
        assert any(number in line for line in lines), number  # whole on one line
    assert_no_number_split(lines)


def test_the_operator_downloads_its_order_as_pdf_and_no_other(client, operator_a, operator_b, issued_order):
    client.force_login(operator_a)
    page = client.get(reverse("portal:order", args=[issued_order.pk])).content.decode()
    assert f"{reverse('portal:order_document', args=[issued_order.pk])}?format=pdf" in page
    response = client.get(reverse("portal:order_document", args=[issued_order.pk]), {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert "鲁通管〔2026〕1号" in pdf_lines(response.content)
    client.force_login(operator_b)
    url = reverse("portal:order_document", args=[issued_order.pk])
    assert client.get(url, {"format": "pdf"}).status_code == 404


def test_numbers_stay_whole_in_an_order_with_many_grounds(regulator, operator_a):
    order = make_order(regulator, operator_a, "draft")
    order.requirements = "\n".join(
        f"{n}、于2026年12月{n}日前向我局报送第{n}批整改材料，涉及金额{n * 1234:,}.50元，联系电话0531-8601234{n}。"
        for n in range(1, 10)
    )
    lines = pdf_lines(documents.order_pdf(order))
    for n in range(1, 10):
        for number in (f"2026年12月{n}日", f"{n * 1234:,}.50元", f"0531-8601234{n}"):
            assert any(number in line for line in lines), number
    assert "（草稿，文号待定）" in lines
    assert_no_number_split(lines)


def test_the_interview_notice_names_time_place_and_persons(client, regulator, manager_a):
    with time_machine.travel(dt.datetime(2026, 11, 28, 10, tzinfo=SHANGHAI), tick=False):
        notice = interviews.create_interview(
            user=regulator,
            operator=manager_a.operator,
            scheduled_at=dt.datetime(2026, 12, 3, 9, 30, tzinfo=SHANGHAI),
            place="省通信管理局五楼约谈室",
            reason="你公司潍坊分公司设限阻挠携号转网",
            persons_required="公司分管副总经理",
            administration_attendees="李局长；王科长",
        )
        interviews.issue_interview(notice, user=regulator)
    client.force_login(manager_a)
    _document, text = docx_text(client.get(reverse("portal:interview_document", args=[notice.pk])).content)
    assert "鲁通管〔2026〕1号" in text
    assert "中国移动通信集团山东有限公司：" in text
    assert "约谈时间：2026年12月3日9时30分。" in text
    assert "约谈地点：省通信管理局五楼约谈室。" in text
    assert "你公司参加人员：公司分管副总经理。" in text
    response = client.get(reverse("portal:interview_document", args=[notice.pk]), {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    lines = pdf_lines(response.content)
    assert "鲁通管〔2026〕1号" in lines
    assert any("2026年12月3日9时30分" in line for line in lines)
    assert "".join(lines).count("约谈地点：省通信管理局五楼约谈室。") == 1
    assert_no_number_split(lines)


# --- Document numbers -----------------------------------------------------------------------


def test_numbers_are_sequential_per_year_across_orders_and_interviews(regulator, operator_a, manager_a):
    with time_machine.travel(dt.datetime(2026, 12, 30, 10, tzinfo=SHANGHAI), tick=False):
        first = make_order(regulator, operator_a)
        second = make_order(regulator, operator_a)
        notice = make_interview(regulator, manager=manager_a)
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 5, tzinfo=SHANGHAI), tick=False):
        next_year = make_order(regulator, operator_a)
    assert [first.document_no, second.document_no, notice.document_no, next_year.document_no] == [
        "鲁通管〔2026〕1号",
        "鲁通管〔2026〕2号",
        "鲁通管〔2026〕3号",
        "鲁通管〔2027〕1号",
    ]


def test_a_number_already_used_is_skipped(regulator, operator_a):
    make_order(regulator, operator_a, "draft")
    RectificationOrder.objects.filter(state="draft").update(document_no="鲁通管〔2026〕1号")
    with time_machine.travel(dt.datetime(2026, 12, 1, 10, tzinfo=SHANGHAI), tick=False):
        assert next_document_number() == "鲁通管〔2026〕2号"


def test_the_pattern_is_a_setting(settings, regulator, operator_a):
    settings.DOCUMENT_NUMBER_PATTERN = "鲁通管整〔{year}〕{seq:03d}号"
    with time_machine.travel(dt.datetime(2026, 12, 1, 10, tzinfo=SHANGHAI), tick=False):
        assert make_order(regulator, operator_a).document_no == "鲁通管整〔2026〕001号"


def test_a_number_cannot_be_given_twice(regulator, operator_a):
    order = make_order(regulator, operator_a)
    draft = make_order(regulator, operator_a, "draft")
    with pytest.raises(IntegrityError):
        RectificationOrder.objects.filter(pk=draft.pk).update(document_no=order.document_no)
