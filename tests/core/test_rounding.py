"""One rounding (四舍五入 on the exact value), one way to say a change."""

from decimal import Decimal

from django.utils import translation

from supervision.core.rounding import (
    change,
    change_words_zh,
    exact,
    format_change,
    format_figure,
    round_half_up,
)


def test_rounding_is_half_up_on_the_exact_value():
    # 9325 / 10000 × 100 = 93.25 exactly: half up gives 93.3 (Python's round(93.25, 1) gives 93.2).
    assert round_half_up(exact(9325, 10000, 100), 1) == Decimal("93.3")
    assert round(93.25, 1) == 93.2  # what the old float rounding printed


def test_rounding_differs_from_truncating():
    # 93.962 % reads 94.0, never 93.9.
    assert format_figure(exact(93962, 100000, 100), 1) == "94.0"


def test_undefined_rates_are_none_not_zero():
    assert exact(5, 0, 100) is None
    assert exact(None, 10) is None
    assert format_figure(None, 1) == "—"


def test_change_is_rounded_from_unrounded_values():
    # 93.300 − 93.388 = −0.088 → −0.1 (rounded after subtracting, not 93.3 − 93.4).
    assert change(Decimal("93.300"), Decimal("93.388"), 1) == Decimal("-0.1")
    assert change_words_zh(change(Decimal("93.300"), Decimal("93.388"), 1), 1, "%") == "下降0.1个百分点"


def test_a_change_that_rounds_to_zero_reads_flat():
    rounded = change(Decimal("93.31"), Decimal("93.34"), 1)
    assert rounded == 0 and str(rounded) == "0.0"  # never "-0.0"
    assert change_words_zh(rounded, 1, "%") == "持平"
    with translation.override("zh-hans"):
        assert format_change(rounded, 1) == "持平"
    with translation.override("en"):
        assert format_change(rounded, 1) == "flat"
        assert format_change(Decimal("0.05"), 1) == "+0.1"
        assert format_change(Decimal("-1.25"), 1) == "−1.3"
