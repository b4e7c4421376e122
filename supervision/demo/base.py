"""What every part of the demo shares: the seed, the present, the reference rows, the people, and
the clock each step of the story runs at.

The casework and the meetings are told through the apps' own services, each step at its moment
of the story (``Demo.step``): the clock stands still there (time-machine, not ticking), so every
row a service writes — the case, its history and timeline, an order's deadlines, a document
number, an audit entry, an e-mail recorded in the outbox — bears that moment, as in real use.
The mails a step recorded are then delivered at that moment by the outbox's own ``send``, to
Django's dummy mail backend: recorded as sent, with their subject and their line on the case's
timeline, and nothing leaves the machine (``offline``).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import time_machine
from django.test.utils import override_settings
from django.utils import timezone

from supervision.core import dates
from supervision.core.models import City, Operator, Period, User, ViolationCategory
from supervision.reminders import services as reminders
from supervision.reminders.models import Occasion, OccasionState

from .province import CATEGORY_WEIGHTS, CITY_CODES, MONTHS, OPERATOR_CODES, add_months

# The story's last step happens this long before the seeding, never later.
LEAD = dt.timedelta(minutes=5)


@dataclass
class SeedResult:
    accounts: list = field(default_factory=list)  # accounts.AccountResult, one per demo account
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@contextmanager
def offline() -> Iterator[None]:
    """Nothing leaves the machine while seeding: mails go to Django's dummy backend, and the send
    tasks the outbox queues when the data commit run in this process, where they find their mail
    delivered already (no broker is needed, none is asked)."""
    from supervision.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    # Those tasks have nothing left to do: a log line each ("succeeded: 'taken'") would be noise.
    trace = logging.getLogger("celery.app.trace")
    level = trace.level
    trace.setLevel(logging.WARNING)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            yield
    finally:
        app.conf.task_always_eager = eager
        trace.setLevel(level)


class Demo:
    """The seeding in progress: what the parts read (``plan``, ``users``…) and write (``result``)."""

    def __init__(self, *, seed: int, complaints: int, now: dt.datetime | None = None, progress=None):
        self.seed = seed
        self.target = complaints
        self.now = now or timezone.now()
        self.today = dates.local_date(self.now)
        self.latest = self.now - LEAD
        self.progress: Callable[[str], None] = progress or (lambda message: None)
        self.result = SeedResult()
        self.started = time.monotonic()
        self.plan = None  # province.Plan, once made
        self.users: dict[str, User] = {}
        self.steps = 0
        self.delivered = Occasion.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def rng(self, *label) -> random.Random:
        """An independent, reproducible stream per part, so parts do not disturb each other."""
        return random.Random(":".join(str(x) for x in (self.seed, *label)))

    def say(self, step: int, total: int, message: str) -> None:
        self.progress(f"[{step}/{total}] {message} ({time.monotonic() - self.started:.1f} s)")

    def load_reference(self) -> None:
        self.operators = {o.code: o for o in Operator.objects.all()}
        self.cities = {c.code: c for c in City.objects.all()}
        self.categories = {c.code: c for c in ViolationCategory.objects.all()}
        missing = [code for code in OPERATOR_CODES if code not in self.operators]
        missing += [code for code in CITY_CODES if code not in self.cities]
        missing += [code for code in CATEGORY_WEIGHTS if code not in self.categories]
        if missing:
            raise RuntimeError(f"Reference rows missing (run migrate first): {', '.join(missing)}")
        self.last_period = Period.last_complete(self.now)
        months = [add_months(self.last_period.month, -k) for k in range(MONTHS - 1, -1, -1)]
        existing = {p.month: p for p in Period.objects.filter(month__in=months)}
        Period.objects.bulk_create([Period(month=m) for m in months if m not in existing])
        existing = {p.month: p for p in Period.objects.filter(month__in=months)}
        self.periods = [existing[m] for m in months]

    # -- people --

    @property
    def staff(self) -> User:
        """The administration's case officer: every step the administration takes is theirs."""
        return self.users["staff"]

    def operator_user(self, op: str) -> User:
        """The operator's reporting staff: its answers, reports and acknowledgements."""
        return self.users[op.lower()]

    def manager(self, op: str) -> User:
        """The operator's manager: certifies its reports, confirms who comes to an interview."""
        return self.users.get(f"{op.lower()}_manager") or self.operator_user(op)

    # -- the clock --

    def when(self, moment: dt.datetime) -> dt.datetime:
        """``moment``, or the story's last moment if it is later: nothing happens in the future."""
        return min(moment, self.latest)

    @contextmanager
    def step(self, moment: dt.datetime) -> Iterator[dt.datetime]:
        """Run the block as at ``moment`` (``when``): the clock stands still there; the mails the
        block recorded are delivered at that moment (``reminders.services.send``, to no one)."""
        moment = self.when(moment)
        with time_machine.travel(moment, tick=False):
            yield moment
            self.deliver()
        self.steps += 1

    def deliver(self) -> None:
        """Send, as the worker would right after the commit, every occasion recorded since the last
        delivery: marked sent now, the case's timeline told whom it reached."""
        pending = list(
            Occasion.objects.filter(pk__gt=self.delivered, state=OccasionState.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for occasion_id in pending:
            reminders.send(occasion_id)
        if pending:
            self.delivered = pending[-1]


class Story:
    """Steps at their moments, run in the order of those moments (then in the order added).

    A step may use what an earlier one made (a finding published before the order it grounds);
    ``add`` takes the moment before it is capped (``Demo.when``), so two steps in the future
    both happen at the story's last moment, in the order they were added.
    """

    def __init__(self, demo: Demo):
        self.demo = demo
        self.steps: list[tuple[dt.datetime, int, Callable[[], object]]] = []

    def add(self, moment: dt.datetime, action: Callable[[], object]) -> None:
        self.steps.append((self.demo.when(moment), len(self.steps), action))

    def run(self) -> None:
        for moment, _order, action in sorted(self.steps, key=lambda step: step[:2]):
            with self.demo.step(moment):
                action()
        self.steps = []
