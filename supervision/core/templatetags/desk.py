"""Template filters for figures: one way to print a number everywhere."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value, decimals=1):
    """A number with fixed decimals and thousands separators; “—” when there is no figure."""
    if value is None:
        return "—"
    if hasattr(value, "value"):  # an indicator Value
        value = value.value
        if value is None:
            return "—"
    return number_format(value, decimal_pos=int(decimals), use_l10n=True, force_grouping=True)


@register.filter
def signed(value, decimals=1):
    """A change with its sign: +1.2, −0.4, ±0.0; “—” when it cannot be computed."""
    if value is None:
        return "—"
    rounded = round(float(value), int(decimals))
    text = number_format(abs(rounded), decimal_pos=int(decimals), use_l10n=True, force_grouping=True)
    if rounded > 0:
        return f"+{text}"
    if rounded < 0:
        return f"−{text}"
    return f"±{text}"


@register.filter
def get_item(mapping, key):
    """``{{ labels|get_item:code }}``: a dictionary look-up in a template."""
    return mapping.get(key) if hasattr(mapping, "get") else None
