"""Work queues: what waits for a user, on the home page of the user's face.

The queues belong to the domains, not to the faces: each data app says what waits for whom in
its own ``queues.py`` (a monthly report to accept, an order due, a meeting to answer…) and
registers its providers here from its ``AppConfig.ready``, for the roles they serve, as the faces
register their menus (``navigation``). A face asks ``for_user`` and shows what comes back, so a
later domain (discrepancies, referrals) slots in without touching the faces.

A provider is ``provider(user, now) -> Queue | None``: one kind of work for ``user`` (tenancy
applied: an operator's user only ever gets its own operator's rows), with its items already
linked to their pages in the user's face. ``take`` reads the first rows and the total in one
query, whatever the number of rows waiting; the home page shows ``LIMIT`` of each kind and says
how many there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Window
from django.utils import timezone
from django.utils.functional import Promise

from .dates import end_of_day, local_date, moment_label

# Items of one kind shown on the home page; the queue's link leads to all of them.
LIMIT = 10

_FAR = dt.datetime.max.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Item:
    """One thing to do: a link to the object's page in the user's face, with its due date."""

    title: str
    url: str
    # When it is due (a moment, or a day that ends at 23:59:59 Asia/Shanghai); None: no deadline.
    due: dt.datetime | dt.date | None = None
    overdue: bool = False
    # A line under the title: the reason it came back, who asked, what was proposed.
    extra: str = ""
    # Since when it has waited: orders the items without a due date, oldest first.
    since: dt.datetime | None = None

    @property
    def due_at(self) -> dt.datetime | None:
        if isinstance(self.due, dt.datetime):
            return self.due
        return end_of_day(self.due) if self.due is not None else None

    @property
    def due_label(self) -> str:
        """The due date as the pages write it, in Asia/Shanghai: a day, or a moment to the minute."""
        if self.due is None:
            return ""
        if isinstance(self.due, dt.datetime):
            return moment_label(self.due)
        return f"{self.due:%Y-%m-%d}"

    @property
    def since_label(self) -> str:
        return f"{local_date(self.since):%Y-%m-%d}" if self.since else ""

    def sort_key(self) -> tuple:
        # Overdue first, then the most due, then the oldest.
        return (not self.overdue, self.due_at or _FAR, self.since or _FAR)


@dataclass(frozen=True)
class Queue:
    """One kind of work waiting for a user: its first items, oldest or most due first, and how
    many there are in all (counted by the database)."""

    key: str  # "<app>.<kind>", for tests and the page's anchors
    label: str | Promise  # what is to be done, e.g. "Reports to accept"
    items: list[Item]
    count: int
    url: str | None = None  # the page that lists all of them

    @property
    def more(self) -> int:
        return self.count - len(self.items)

    @property
    def overdue(self) -> bool:
        return any(item.overdue for item in self.items)

    def sort_key(self) -> tuple:
        return self.items[0].sort_key() if self.items else (True, _FAR, _FAR)


Provider = Callable[[object, dt.datetime], "Queue | None"]
_PROVIDERS: dict[str, list[Provider]] = {}


def register(role: str, *providers: Provider) -> None:
    """Add ``providers`` for the users of ``role`` (a ``core.models.Role``); once each."""
    registered = _PROVIDERS.setdefault(str(role), [])
    for provider in providers:
        if provider not in registered:
            registered.append(provider)


def providers_for(role: str) -> list[Provider]:
    return list(_PROVIDERS.get(str(role), []))


def gather(providers, user, now: dt.datetime | None = None) -> list[Queue]:
    """The non-empty queues of ``providers`` for ``user``, the most urgent first."""
    now = now or timezone.now()
    queues = [queue for provider in providers if (queue := provider(user, now)) is not None and queue.count]
    return sorted(queues, key=Queue.sort_key)


def for_user(user, now: dt.datetime | None = None) -> list[Queue]:
    """Everything waiting for ``user``, by kind, the most urgent kind first; [] for nobody's."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return gather(providers_for(user.role), user, now)


def take(queryset, limit: int = LIMIT) -> tuple[list, int]:
    """The first ``limit`` rows of ``queryset`` and how many rows it has, in one query."""
    rows = list(queryset.annotate(queue_total=Window(Count("pk")))[:limit])
    return rows, (rows[0].queue_total if rows else 0)


def queue(key: str, label, rows, count: int, item: Callable[[object], Item], url: str | None = None):
    """A ``Queue`` of ``rows`` (from ``take``), each made an ``Item`` by ``item``; None when empty."""
    if not count:
        return None
    items = sorted((item(row) for row in rows), key=Item.sort_key)
    return Queue(key=key, label=label, items=items, count=count, url=url)
