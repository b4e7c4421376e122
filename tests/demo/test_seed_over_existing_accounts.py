"""``seed_demo`` on a database that already has accounts: they are left as they are.

Apart from tests/demo/test_seed_demo.py, whose tests run at each of make test-dates' instants:
what this one asserts does not follow from the date, so it seeds once, on a fixed day.
"""

import datetime as dt
import io

import time_machine
from django.core.management import call_command

from supervision.casework.models import RectificationOrder
from supervision.core.models import SHANGHAI, Role, User
from supervision.demo import accounts
from supervision.reminders.models import Occasion, OccasionState

A_DAY = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


def test_existing_accounts_are_left_alone_and_nothing_is_mailed(db, media_root, mailoutbox):
    User.objects.create_user(username="staff", password="Own-Password-1", role=Role.REGULATOR_STAFF)
    with time_machine.travel(A_DAY, tick=True):
        call_command("seed_demo", "--complaints", "0", stdout=io.StringIO())
    staff = User.objects.get(username="staff")
    assert staff.check_password("Own-Password-1")
    assert User.objects.filter(username="staff").count() == 1
    assert User.objects.get(username="leader").check_password(accounts.DEMO_PASSWORD)
    # The existing staff account is the demo's case officer: it took every step of the casework.
    assert set(RectificationOrder.objects.values_list("case_officer__username", flat=True)) == {"staff"}
    # The mails of the story are recorded as sent, at their moments; none went anywhere.
    assert Occasion.objects.exists()
    assert not Occasion.objects.exclude(state=OccasionState.SENT).exists()
    assert mailoutbox == []
