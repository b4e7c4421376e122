"""What a user sees of the reminders: those sent and pending for an object, and the mail log.

An object's occasions are those whose key starts with the object's prefix (``order:12:``,
``meeting:7:``): the dated reminders (``meeting:7:2026-12-03``) and any other mail recorded
about it (``meeting:7:invitation:2``). The upcoming dates are derived from the object's date and
the rule's timing while the object is open; nothing about the future is stored.

Each app's pages ask through its own helpers (``casework/reminders.py``: ``for_order``,
``for_interview``, ``for_commitments``; ``meetings/reminders.py``: ``for_meeting``,
``for_action_items``), which call ``for_object(s)`` and ``for_dated`` here.

Tenancy: the administration sees every recipient; an operator user only the occasions addressed
to people of its own operator (a meeting invites all four operators: the others' names and
addresses are not its business).
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from . import clock, outbox
from .models import Occasion, OccasionState
from .rules import RULES, timing

# The most occasions shown for one object, newest first.
RECORDED_LIMIT = 50


def visible_to(occasions: QuerySet, user) -> QuerySet:
    """The occasions ``user`` may see: all for the administration; for an operator user, those
    addressed to people of its own operator; nothing for anybody else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return occasions.none()
    if user.is_regulator:
        return occasions
    if user.is_operator_user:
        return occasions.filter(recipient__operator_id=user.operator_id)
    return occasions.none()


def _object_prefix(object_key: str) -> str:
    kind, _sep, rest = object_key.partition(":")
    return f"{kind}:{rest.partition(':')[0]}:"


def labels() -> dict:
    """How each reminder rule and each kind of event mail (``outbox``) is named, by its code."""
    return {**{code: rule.label for code, rule in RULES.items()}, **outbox.labels()}


def _recorded(prefixes: list[str], user) -> dict[str, list[Occasion]]:
    """The occasions of several objects, by prefix, in one query."""
    found: dict[str, list[Occasion]] = {prefix: [] for prefix in prefixes}
    if not prefixes:
        return found
    match = Q()
    for prefix in prefixes:
        match |= Q(object_key__startswith=prefix)
    rows = (
        visible_to(Occasion.objects.filter(match), user)
        .select_related("recipient")
        .order_by("-on_date", "-created_at", "-pk")[: RECORDED_LIMIT * len(prefixes)]
    )
    names = labels()
    for occasion in rows:
        bucket = found.get(_object_prefix(occasion.object_key))
        if bucket is None:  # a prefix that is not ``kind:pk:`` (a monthly report's key)
            bucket = next((found[p] for p in prefixes if occasion.object_key.startswith(p)), None)
        if bucket is not None and len(bucket) < RECORDED_LIMIT:
            occasion.rule_label = names.get(occasion.rule, occasion.subject or occasion.rule)
            bucket.append(occasion)
    return found


def _upcoming(due_dates: dict[str, dt.date | None], rule_code: str | None) -> dict[str, list[dt.date]]:
    """The next dates the rule reminds on, for each object still open; its timing is read once."""
    found: dict[str, list[dt.date]] = {prefix: [] for prefix in due_dates}
    if rule_code not in RULES or all(day is None for day in due_dates.values()):
        return found
    rule = RULES[rule_code]
    offsets, repeat, enabled = timing(rule)
    if not enabled:
        return found
    today = clock.today()
    for prefix, day in due_dates.items():
        if day is not None:
            found[prefix] = rule.upcoming(day, today, offsets, repeat)
    return found


def for_objects(due_dates: dict[str, dt.date | None], rule_code: str | None, *, user) -> dict[str, dict]:
    """Reminders of several objects of one rule, keyed by object prefix: one query for the
    occasions whatever their number. ``due_dates`` maps each prefix to the object's date, or
    None when the object is closed (then nothing is upcoming)."""
    prefixes = list(due_dates)
    recorded = _recorded(prefixes, user)
    upcoming = _upcoming(due_dates, rule_code)
    return {prefix: {"recorded": recorded[prefix], "upcoming": upcoming[prefix]} for prefix in prefixes}


def for_object(
    object_key_prefix: str, due_date=None, rule_code: str | None = None, *, user, also: Iterable[str] = ()
) -> dict:
    """Reminders and event mails recorded for the object that ``user`` may see, newest first, and
    the next dates its rule will remind on: the block ``reminders/for_object.html`` shows them.

    ``also``: the prefixes of further keys told about the same object, listed with it (a monthly
    report's page: the month's reminders, ``report:CMCC:2026-10``, and the version's own mails,
    ``submission:5:``); all in the one query.
    """
    also = [prefix for prefix in also if prefix != object_key_prefix]
    found = for_objects({object_key_prefix: due_date, **dict.fromkeys(also)}, rule_code, user=user)
    result = found[object_key_prefix]
    if also:
        recorded = [o for prefix in [object_key_prefix, *also] for o in found[prefix]["recorded"]]
        recorded.sort(key=lambda o: (o.on_date, o.created_at, o.pk), reverse=True)
        result = {**result, "recorded": recorded[:RECORDED_LIMIT]}
    return result


def mail_log():
    """Every mail, reminders and event mails, failures first, then the newest."""
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


def for_dated(rule_code: str, objects: Iterable, *, user) -> dict[int, dict]:
    """Reminders of objects of a dated rule (``rules.DatedRule``: an interview, a meeting, an action
    item, a commitment), by pk, in one query; upcoming dates only while the object ``is_open``."""
    rule = RULES[rule_code]
    objects = list(objects)
    due_dates = {f"{rule.kind}:{obj.pk}:": rule.date_of(obj) if obj.is_open else None for obj in objects}
    found = for_objects(due_dates, rule_code, user=user)
    return {obj.pk: found[f"{rule.kind}:{obj.pk}:"] for obj in objects}
