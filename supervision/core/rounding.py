"""One rounding for every figure (DOMAIN.md "Rounding"): 四舍五入 on the exact decimal value.

A rate is computed as an exact ``Decimal`` from the integers (or decimals) that make it, then
rounded half up at the indicator's precision, here and nowhere else. Binary floats are never
rounded: ``round(93.25, 1)`` is 93.2 in Python (banker's rounding on an inexact binary value),
an official document says 93.3.

A change (环比, 同比) is computed from the unrounded values and then rounded; a change that rounds
to zero is "flat" (持平), never "下降 0.0". Cards, tables, charts (hover text and tables), exports,
the briefing's tables and sentences and the API all print through these functions.
"""

import functools
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Context, Decimal

from django.utils import translation
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _

# Enough digits that the quotient of any two counts this site stores is exact to far more
# places than any figure prints: rounding the quotient is rounding the true value.
_EXACT = Context(prec=40)


def exact(numerator, denominator=None, scale: int = 1) -> Decimal | None:
    """``numerator × scale / denominator`` as an exact decimal; ``None`` when undefined.

    No numerator, or a zero/missing denominator where one is needed (no applications, no
    visits): the rate is undefined, not zero.
    """
    if numerator is None:
        return None
    top = _EXACT.multiply(Decimal(numerator), Decimal(scale))
    if denominator is None:
        return top
    if not denominator:
        return None
    return _EXACT.divide(top, Decimal(denominator))


def round_half_up(value, decimals: int) -> Decimal | None:
    """``value`` rounded half up (四舍五入) to ``decimals`` places; ``None`` stays ``None``."""
    if value is None:
        return None
    if not isinstance(value, Decimal):
        # An int is exact; a float only comes from outside the indicators (e.g. a median):
        # its shortest repr is the decimal the user would read.
        value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def change(current, previous, decimals: int) -> Decimal | None:
    """The change from ``previous`` to ``current`` (exact values), rounded half up.

    For rates the change is in percentage points. ``None`` when either side is missing.
    A change that rounds to zero is ``Decimal("0.0")``: say it with ``is_flat``/``change_text``.
    """
    if current is None or previous is None:
        return None
    rounded = round_half_up(Decimal(current) - Decimal(previous), decimals)
    return abs(rounded) if rounded == 0 else rounded  # never "-0.0"


def is_flat(rounded_change) -> bool:
    return rounded_change is not None and rounded_change == 0


def format_figure(value, decimals: int) -> str:
    """A figure for the page: rounded half up, fixed decimals, thousands separators; "—" if none."""
    rounded = round_half_up(value, decimals)
    if rounded is None:
        return "—"
    return _grouped(rounded, decimals)


@functools.lru_cache(maxsize=16)
def _separators(language: str | None) -> tuple[str, str, int] | None:
    """The language's decimal separator, thousands separator and group size (Django's formats);
    ``None`` when its grouping is not one size (a sequence), which ``number_format`` handles."""
    with translation.override(language):
        grouping = get_format("NUMBER_GROUPING", use_l10n=True)
        if not isinstance(grouping, int):
            return None
        return (
            get_format("DECIMAL_SEPARATOR", use_l10n=True),
            get_format("THOUSAND_SEPARATOR", use_l10n=True),
            grouping,
        )


# The separators of the language a block prints in (``one_language``); _UNBOUND outside one.
_UNBOUND = object()
_bound: ContextVar[object] = ContextVar("figure_separators", default=_UNBOUND)


@contextmanager
def one_language():
    """Within the block (or the decorated view) the figures print in the language active when it
    began, its formats looked up once: for a page that prints thousands of figures, whose
    language does not change while it is drawn."""
    token = _bound.set(_separators(translation.get_language()))
    try:
        yield
    finally:
        _bound.reset(token)


def _grouped(rounded: Decimal, decimals: int) -> str:
    """``number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)``, the
    same text, without looking the language's formats up again for every figure (a chart page
    prints some 3,000): ``rounded`` already has ``decimals`` places."""
    separators = _bound.get()
    if separators is _UNBOUND:
        separators = _separators(translation.get_language())
    if separators is None:
        return number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    decimal_sep, thousand_sep, grouping = separators
    text = f"{abs(rounded) if rounded == 0 else rounded:f}"  # as number_format: no "-0.0"
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    int_part, _point, dec_part = text.partition(".")
    dec_part = dec_part[:decimals].ljust(decimals, "0") if decimals else ""
    if grouping > 0 and thousand_sep and len(int_part) > grouping:
        head = len(int_part) % grouping or grouping
        groups = [int_part[:head]] + [
            int_part[i : i + grouping] for i in range(head, len(int_part), grouping)
        ]
        int_part = thousand_sep.join(groups)
    return sign + int_part + (decimal_sep + dec_part if dec_part else "")


def format_change(value, decimals: int) -> str:
    """A rounded change with its sign (+0.4, −1.2), "flat"/持平 when it rounds to zero, "—" if none."""
    if value is None:
        return "—"
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        return _("flat")
    text = number_format(abs(rounded), decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return f"+{text}" if rounded > 0 else f"−{text}"


def change_words_zh(value, decimals: int, unit: str) -> str:
    """A change as an official document says it: 上升0.4个百分点, 下降3件, 持平; "" if none.

    ``unit`` "%" reads 个百分点 (rates change in percentage points); any other unit follows the
    amount as it is (件, 笔, or "" for a bare number).
    """
    if value is None:
        return ""
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        return "持平"
    amount = number_format(abs(rounded), decimal_pos=decimals, use_l10n=False, force_grouping=True)
    return f"{'上升' if rounded > 0 else '下降'}{amount}{'个百分点' if unit == '%' else unit}"
