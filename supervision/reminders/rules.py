"""Reminder rules: who is reminded of what, and when, derived from the data's current state.

Each rule yields the occasions due up to today; nothing is stored about the future, so a
change in the data (a deadline extended, an order closed, a report submitted) changes or drops
what is pending with nothing to clean up. At send time the rule is asked again whether the
occasion still holds (``still_due``): an occasion recorded before the report arrived is dropped.

This module is the mechanism only: ``Rule``, ``DatedRule``, the catch-up ``window``, the timing
staff set, and the registry ``RULES``. Each app registers its own rules from its
``AppConfig.ready`` (``register(...)``), as it registers its event mails with ``outbox.register``:
``reporting/reminders.py`` (the monthly report, the weekly list of late reports),
``casework/reminders.py`` (an order's deadline, an interview, a commitment),
``analytics/digest.py`` (the morning digest) and ``meetings/reminders.py`` (a meeting, an
action item). A rule's code is kept for ever: occasions and timings stored refer to it.
"""

import datetime as dt
from dataclasses import dataclass, field

from supervision.core.dates import local_date
from supervision.core.models import User

from . import registry
from .models import ReminderSetting

# How far back a scan looks for occasions it has not recorded yet (a scheduler that was down
# for a day still sends yesterday's reminder, late rather than never).
CATCH_UP_DAYS = 2


@dataclass(frozen=True)
class Due:
    object_key: str
    recipient: User
    on_date: dt.date


@dataclass
class Rule:
    """One kind of reminder. Subclasses define ``due(today, offsets, repeat)`` (the occasions due in
    the catch-up window), ``still_due(object_key, on_date)`` and ``context(object_key)`` (the
    mail's template context; the template is ``emails/reminders/<template or code>``)."""

    code: str
    label: str
    # Statutory notices cannot be turned off by the recipient.
    statutory: bool = True
    offsets: list[int] = field(default_factory=list)
    repeat_every_days: int | None = None
    description: str = ""

    def dates(self, due_date: dt.date, offsets, repeat) -> list[dt.date]:
        return [due_date + dt.timedelta(days=o) for o in offsets]

    def fires_on(self, day: dt.date, due_date: dt.date, offsets, repeat) -> bool:
        delta = (day - due_date).days
        if delta in offsets:
            return True
        last = max(offsets) if offsets else 0
        return bool(repeat) and delta > last and (delta - last) % repeat == 0

    def upcoming(self, due_date: dt.date, today: dt.date, offsets, repeat, limit: int = 3) -> list[dt.date]:
        """The next dates this rule will remind on (for the object's page)."""
        found, day = [], today + dt.timedelta(days=1)
        while len(found) < limit and (day - due_date).days <= max(offsets or [0]) + (repeat or 0) * limit:
            if self.fires_on(day, due_date, offsets, repeat):
                found.append(day)
            day += dt.timedelta(days=1)
        return found


def window(today: dt.date) -> list[dt.date]:
    """The days a scan records occasions for: the catch-up days, then today."""
    return [today - dt.timedelta(days=n) for n in range(CATCH_UP_DAYS, -1, -1)]


def operator_people(operator_ids) -> dict[int, list[User]]:
    """The people a mail reaches at each operator (``User.objects.reachable_at``), by operator."""
    result: dict[int, list[User]] = {}
    for user in User.objects.reachable_at(operator_ids):
        result.setdefault(user.operator_id, []).append(user)
    return result


class DatedRule(Rule):
    """Reminders before (and after) an object's date: an interview, a meeting, an action item, a
    commitment. Subclasses say which objects are open, their date, who is told, and the words."""

    template = "dated"
    kind = ""

    def objects(self):
        raise NotImplementedError

    def date_of(self, obj) -> dt.date:
        value = self.moment_of(obj)
        return local_date(value) if isinstance(value, dt.datetime) else value

    def moment_of(self, obj):
        raise NotImplementedError

    def operator_ids(self, obj) -> list[int]:
        return [obj.operator_id] if getattr(obj, "operator_id", None) else []

    def due(self, today, offsets, repeat):
        objects = list(self.objects())
        people = operator_people({pk for obj in objects for pk in self.operator_ids(obj)})
        regulator_staff = None
        for obj in objects:
            when = self.date_of(obj)
            for day in window(today):
                if not self.fires_on(day, when, offsets, repeat):
                    continue
                recipients = [u for pk in self.operator_ids(obj) for u in people.get(pk, [])]
                if not self.operator_ids(obj):
                    if regulator_staff is None:
                        regulator_staff = list(User.objects.reachable_staff())
                    recipients = regulator_staff
                for user in recipients:
                    yield Due(f"{self.kind}:{obj.pk}:{when.isoformat()}", user, day)

    def still_due(self, object_key, on_date) -> bool:
        _kind, pk, when = object_key.split(":")
        obj = self.objects().filter(pk=pk).first()
        return bool(obj) and self.date_of(obj).isoformat() == when

    def context(self, object_key):
        _kind, pk, when = object_key.split(":")
        obj = self.objects().get(pk=pk)
        return {
            "subject_text": self.subject_text(obj),
            "body_text": self.body_text(obj),
            "when": self.moment_of(obj),
        }


# The rules by code, in the order they were registered (the apps' order in INSTALLED_APPS, then
# each app's own order): the scan's order and the mail log page's.
RULES: dict[str, Rule] = {}


def register(*rules: Rule) -> None:
    """Register reminder rules (from an ``AppConfig.ready``); registering a code again replaces it.
    A code is a rule's or an event mail's (``outbox.register``), never both."""
    for rule in rules:
        registry.claim(rule.code, registry.RULE)
        RULES[rule.code] = rule


def timing(rule: Rule) -> tuple[list[int], int | None, bool]:
    """The rule's timing as staff set it (``ReminderSetting``), or its defaults."""
    setting = ReminderSetting.objects.filter(rule=rule.code).first()
    if setting is None:
        return rule.offsets, rule.repeat_every_days, True
    return list(setting.offsets or rule.offsets), setting.repeat_every_days, setting.enabled
