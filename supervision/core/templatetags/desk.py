"""Template filters for figures: one way to print a number everywhere."""

from django import template

from supervision.core import rounding

register = template.Library()


@register.filter
def figure(value, decimals=1):
    """A number rounded half up (四舍五入, ``core.rounding``) with fixed decimals and
    thousands separators; “—” when there is no figure. An indicator ``Value`` prints its exact value."""
    if hasattr(value, "numerator") and hasattr(value, "scale"):  # an indicator Value
        value = value.value
    return rounding.format_figure(value, int(decimals))


@register.filter
def signed(value, decimals=1):
    """A change with its sign: +1.2, −0.4, “flat”/持平 when it rounds to zero; “—” if none."""
    return rounding.format_change(value, int(decimals))


@register.filter
def get_item(mapping, key):
    """``{{ labels|get_item:code }}``: a dictionary look-up in a template."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag(takes_context=True)
def query_without(context, name):
    """The current list's query without the parameter ``name`` (and the page): a "show all" switch."""
    params = context["request"].GET.copy()
    params.pop(name, None)
    params.pop("page", None)
    return "?" + params.urlencode()
