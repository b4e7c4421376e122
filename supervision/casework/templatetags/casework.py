"""Template filters for cases: days left on an order, a commitment's due state, file sizes."""

from django import template

from supervision.casework.orders import days_left_text
from supervision.core.files import KIND_LABELS

register = template.Library()


@register.filter
def days_left(order) -> str:
    """How an open order stands against its deadline (Asia/Shanghai days); empty when closed."""
    value = getattr(order, "days_left", None)
    days = value.days if value is not None else order.days_left_now()
    if days is None:
        return ""
    return days_left_text(days, order.is_overdue)


@register.filter
def file_kind(case_file) -> str:
    return str(KIND_LABELS.get(case_file.kind, case_file.kind))
