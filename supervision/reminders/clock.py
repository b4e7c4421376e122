"""The time the reminders go by.

Normally the real time. For integration tests and drills, ``REMINDERS_CLOCK_FILE`` may name a
file holding an ISO date-time: scheduler and workers then read the time from it at each scan,
so a test can move the clock of processes it started without restarting them.
"""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from supervision.core import dates


def now() -> dt.datetime:
    path = getattr(settings, "REMINDERS_CLOCK_FILE", "")
    if path and Path(path).exists():
        text = Path(path).read_text(encoding="utf-8").strip()
        if text:
            moment = dt.datetime.fromisoformat(text)
            return moment if moment.tzinfo else dates.from_wall_time(moment)
    return timezone.now()


def today() -> dt.date:
    """Today in Asia/Shanghai: every reminder date is a local date there."""
    return dates.local_date(now())
