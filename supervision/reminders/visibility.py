"""What a user sees of the reminders: those sent and pending for an object, and the mail log."""

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from supervision.core.models import SHANGHAI

from . import clock
from .models import Occasion, OccasionState
from .rules import RULES, timing


def for_object(object_key_prefix: str, due_date=None, rule_code: str | None = None) -> dict:
    """Reminders recorded for the object, and the next dates its rule will remind on."""
    recorded = list(
        Occasion.objects.filter(object_key__startswith=object_key_prefix)
        .select_related("recipient")
        .order_by("-on_date")[:50]
    )
    upcoming = []
    if due_date is not None and rule_code in RULES:
        rule = RULES[rule_code]
        offsets, repeat, enabled = timing(rule)
        if enabled:
            upcoming = rule.upcoming(due_date, clock.today(), offsets, repeat)
    return {"recorded": recorded, "upcoming": upcoming}


def mail_log():
    """Every reminder mail, failures first, then the newest."""
    order = Case(
        When(state=OccasionState.FAILED, then=Value(0)),
        When(state=OccasionState.PENDING, then=Value(1)),
        When(state=OccasionState.SENDING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        Occasion.objects.select_related("recipient").annotate(rank=order).order_by("rank", "-on_date", "-pk")
    )


def local_date(moment):
    return timezone.localtime(moment, SHANGHAI).date()


def for_order(order) -> dict:
    """The deadline reminders of an order: sent, and the next ones while it stays open."""
    from supervision.casework.models import OPEN_ORDER_STATES

    due_date = local_date(order.deadline) if order.state in OPEN_ORDER_STATES else None
    return for_object(f"order:{order.pk}:", due_date, "order_deadline")
