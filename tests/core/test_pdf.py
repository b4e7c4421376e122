"""The official documents' PDF engine (core.pdf): a number never breaks across two lines."""

import io

import pytest
from pypdf import PdfReader

from supervision.core import pdf


def one_per_character(text: str) -> float:
    """A measure where every character is one unit wide: lines of ``width`` characters."""
    return float(len(text))


def pdf_lines(data: bytes) -> list[str]:
    """The PDF's text, line by line, without the spaces pypdf puts between CJK glyphs."""
    reader = PdfReader(io.BytesIO(data))
    return [
        "".join(line.split())
        for page in reader.pages
        for line in page.extract_text().splitlines()
        if line.strip()
    ]


@pytest.mark.parametrize(
    "number",
    [
        "2026年12月5日",
        "2026年12月3日9时30分",
        "鲁通管〔2026〕15号",
        "0531-86012345",
        "1,234.56元",
        "12.5%",
        "138****0000",
    ],
)
@pytest.mark.parametrize("spare", range(1, 12))
def test_a_number_is_never_split_whatever_the_width(number, spare):
    width = len(number) + spare  # a line that can hold the number and the comma after it
    text = f"请你公司于今日前完成整改并回复我局，{number}，逾期将依法处理。"
    lines = pdf.wrap(text, width, one_per_character)
    assert "".join(lines) == text  # nothing lost, nothing added
    assert all(len(line) <= width for line in lines)
    assert any(number in line for line in lines)


def test_punctuation_that_closes_never_starts_a_line():
    lines = pdf.wrap("一二三四五六七八九，十。", 9, one_per_character)
    assert lines == ["一二三四五六七八", "九，十。"]
    assert not any(line[0] in pdf.CLOSING for line in lines)


def test_english_breaks_between_words_and_drops_the_space_at_the_break():
    assert pdf.wrap("Confirmation number: SD-202610-CMCC-V1-0001", 24, one_per_character) == [
        "Confirmation number:",
        "SD-202610-CMCC-V1-0001",
    ]


def test_a_run_wider_than_the_line_is_cut_where_it_must():
    checksum = "ab" * 20
    lines = pdf.wrap(checksum, 16, one_per_character)
    assert "".join(lines) == checksum and [len(line) for line in lines] == [16, 16, 8]


def test_a_line_feed_always_starts_a_new_line():
    assert pdf.wrap("第一行\n第二行", 20, one_per_character) == ["第一行", "第二行"]


def test_a_document_number_given_to_keep_stays_whole_in_any_pattern():
    number = "鲁通管整字第2026-15号"
    lines = pdf.wrap(f"根据{number}文件", 15, one_per_character, keep=[number])
    assert any(number in line for line in lines)


def test_the_pdf_prints_long_paragraphs_with_every_number_whole():
    numbers = ["2026年12月5日", "鲁通管〔2026〕128号", "0531-86012345", "12,345,678.90元"]
    body = "".join(f"经查，你公司于{n}前后存在违规行为，" for n in numbers) * 6

    def draw(writer):
        writer.head("山东省通信管理局", "鲁通管〔2026〕128号")
        writer.title(["关于测试的通知"])
        writer.text(body)
        writer.signature("山东省通信管理局", "2026年12月5日")

    data = pdf.render(body + "山东省通信管理局关于测试的通知", draw, title="测试", author="山东省通信管理局")
    lines = pdf_lines(data)
    assert len(lines) > 10
    for number in numbers:
        # Each number shows whole on some line each time it is said, never cut in two.
        said = body.count(number)
        assert sum(line.count(number) for line in lines) >= said
    assert lines[0] == "山东省通信管理局"
    assert "—1—" in lines
