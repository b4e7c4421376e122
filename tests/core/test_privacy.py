"""No full mobile number survives masking, however it is written (FORMATS.md §2, "Privacy").

The property tests generate mobile numbers (1[3-9] and nine digits) in random spellings: split
into random groups joined by spaces, dashes, dots and their full-width and Unicode cousins, with
or without a country prefix (+86, 86, 0086), any digit full-width, inside Chinese text and next to
other numbers. Whatever comes out may not hold the number's eleven digits any more.
"""

import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from supervision.core.privacy import mask, mask_data, mask_msisdn, mask_text, obscure_digits

FULL_WIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}
SEPARATORS = [" ", "-", ".", "  ", " - ", "\u00a0", "\u3000", "－", "．", "—", "–", "\t", "/", "_", "·"]
PREFIXES = ["", "+86", "86", "0086", "+86 ", "+86-", "86 ", "0086 ", "(+86) ", "（+86）", "＋８６ "]
# Text around the number: Chinese prose, and other numbers without a "1" (so that the digits
# around can never spell the number themselves); always set apart from it by a non-digit.
CONTEXT_WORDS = [
    "用户",
    "来电反映",
    "号码",
    "投诉编号",
    "2026年10月3日",
    "第",
    "次",
    "，",
    "：",
    "。",
    "(",
    ")",
    "APP",
]
OTHER_NUMBERS = st.text(alphabet="023456789", min_size=1, max_size=18)


@st.composite
def mobile_numbers(draw) -> str:
    second = draw(st.sampled_from("3456789"))
    rest = draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
    return "1" + second + rest


@st.composite
def spellings(draw, number: str) -> str:
    cuts = sorted(draw(st.sets(st.integers(1, 10), max_size=5)))
    groups = [number[a:b] for a, b in zip([0, *cuts], [*cuts, 11], strict=True)]
    text = groups[0]
    for group in groups[1:]:
        text += draw(st.sampled_from(SEPARATORS)) + group
    text = "".join(FULL_WIDTH[c] if c.isdigit() and draw(st.booleans()) else c for c in text)
    return draw(st.sampled_from(PREFIXES)) + text


@st.composite
def texts_with_a_number(draw) -> tuple[str, str]:
    number = draw(mobile_numbers())
    spelled = draw(spellings(number))
    before = draw(st.lists(st.one_of(st.sampled_from(CONTEXT_WORDS), OTHER_NUMBERS), max_size=4))
    after = draw(st.lists(st.one_of(st.sampled_from(CONTEXT_WORDS), OTHER_NUMBERS), max_size=4))
    glue = st.sampled_from([" ", "，", "：", "号", "\n", "-"])
    head = draw(glue).join(before)
    tail = draw(glue).join(after)
    return number, f"{head}{draw(glue) if head else ''}{spelled}{draw(glue) if tail else ''}{tail}"


def normalised(text: str) -> str:
    """The text NFKC-normalised, every Unicode digit as its ASCII digit."""
    normal = unicodedata.normalize("NFKC", text)
    return "".join(
        str(unicodedata.decimal(c)) if unicodedata.decimal(c, None) is not None else c for c in normal
    )


def assert_no_number(number: str, text: str) -> None:
    """The number's 11 digits are nowhere in the text, even with up to three other characters
    (but not the mask's stars) between any two of them."""
    spread = "[^0-9*]{0,3}".join(number)
    assert not re.search(spread, normalised(text)), text


@settings(max_examples=300, deadline=None)
@given(texts_with_a_number())
@example(("13986528960", "+8613986528960"))
@example(("13986528960", "8613986528960"))
@example(("13986528960", "１３９８６５２８９６０"))
@example(("13986528960", "139.8652.8960"))
@example(("13912345678", "用户0086 139 1234-5678来电"))
@example(("13000001300", "13000001300 0000000"))
def test_mask_text_leaves_no_mobile_number_in_any_spelling(case):
    number, text = case
    result = mask(text)
    assert_no_number(number, result.text)
    assert result.numbers[0] == f"{number[:3]}****{number[-4:]}"
    # The mask is what the text shows; its last four digits too, unless they begin another
    # number with the digits after them, which is masked in turn (13000001300 0000000).
    shown = f"{number[:3]}****{number[-4:]}" in result.text
    assert shown or (f"{number[:3]}****" in result.text and len(result.numbers) > 1)


@settings(max_examples=200, deadline=None)
@given(mobile_numbers().flatmap(lambda n: st.tuples(st.just(n), spellings(n))))
def test_mask_msisdn_masks_a_number_in_any_spelling(case):
    number, spelled = case
    assert mask_msisdn(spelled) == f"{number[:3]}****{number[-4:]}"
    assert_no_number(number, obscure_digits(spelled))


def test_the_digits_a_mask_leaves_cannot_begin_a_number_that_survives():
    # Found by the property below: "1300" left by the first mask and the seven digits after it
    # spell another mobile number (1300 0000000).
    assert mask_text("13000001300 0000000") == "130****130****0000"


@settings(max_examples=200, deadline=None)
@given(texts_with_a_number())
def test_masking_twice_changes_nothing_more(case):
    _number, text = case
    once = mask_text(text)
    assert mask_text(once) == once


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="0123456789", min_size=12, max_size=30).filter(
        lambda d: not re.fullmatch(r"(0086|86)1[3-9]\d{9}", d)
    )
)
def test_a_run_of_twelve_or_more_digits_is_not_a_mobile_number(digits):
    # Complaint numbers and other long references are kept whole, even with a mobile number
    # inside them: only whole digit groups make a mobile number.
    assert mask_text(f"投诉编号{digits}已办结") == f"投诉编号{digits}已办结"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("投诉编号 370100202610030001 用户13912345678", "投诉编号 370100202610030001 用户139****5678"),
        ("工单 2026 13912345678", "工单 2026 139****5678"),
        ("2026-10-03 办结，退费 120.50 元", "2026-10-03 办结，退费 120.50 元"),
        ("（+86）139-1234 5678，请回电", "139****5678，请回电"),
        ("已按 139****5678 回访", "已按 139****5678 回访"),
        ("座机 0531-88888888", "座机 0531-88888888"),
    ],
)
def test_mask_text_masks_only_mobile_numbers(text, expected):
    assert mask_text(text) == expected


def test_mask_text_keeps_the_rest_of_the_text_as_written():
    # Full-width Chinese punctuation is not normalised away: only the number's span changes.
    assert mask_text("用户：１３９１２３４５６７８，已回访。") == "用户：139****5678，已回访。"


def test_mask_msisdn_refuses_what_is_not_a_mobile_number():
    assert mask_msisdn("0531-88888888") is None
    assert mask_msisdn("139 1234 56789") is None
    assert mask_msisdn("１３８＊＊＊＊５６７８") == "138****5678"


def test_an_invalid_number_is_repeated_with_its_digits_starred():
    assert obscure_digits("139 1234 56789") == "139*****6789"
    assert obscure_digits("0531 8888 8888") == "053*****8888"


def test_mask_data_masks_every_text_of_a_form():
    data = {
        "narrative": "回访13912345678",
        "typical_cases": [{"title": "用户 139 1234 5678", "city": "370100"}],
    }
    assert mask_data(data) == {
        "narrative": "回访139****5678",
        "typical_cases": [{"title": "用户 139****5678", "city": "370100"}],
    }
