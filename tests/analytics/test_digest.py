"""The morning digest (``supervision/analytics/digest.py``): each weekday from 08:00 in Jinan, to
each case officer who wants it, what is due, overdue and new."""

import datetime as dt

import pytest
from django.core import mail

from supervision.casework.models import OrderState, RectificationOrder
from supervision.core.models import Operator
from supervision.reminders.rules import RULES
from tests.conftest import make_user
from tests.reminders.helpers import SHANGHAI, at, scan_and_send


def test_digest_goes_on_weekday_mornings_to_those_who_want_it(regulator, db):
    make_user("quiet", "regulator_staff").__class__.objects.filter(username="quiet").update(
        receives_digest=False
    )
    with at(2026, 11, 30, 7, 30):  # Monday before 08:00
        assert not [h for h in scan_and_send() if h.startswith("digest")]
    with at(2026, 11, 30, 8, 30):
        scan_and_send()
        digests = [m for m in mail.outbox if m.extra_headers["X-Supervision-Reminder"].startswith("digest")]
    assert [m.to for m in digests] == [[regulator.email]]
    with at(2026, 12, 5, 9, 0):  # Saturday
        assert not [h for h in scan_and_send() if h.startswith("digest") and h.endswith("2026-12-05")]


@pytest.fixture
def withdrawn_order(db, regulator):
    return RectificationOrder.objects.create(
        operator=Operator.objects.get(code="CBN"), document_no="鲁通管〔2026〕12号", title="整改营业厅告知不到位",
        requirements="…", severity="MAJOR", state=OrderState.WITHDRAWN, case_officer=regulator,
        deadline=dt.datetime(2026, 12, 10, 23, 59, tzinfo=SHANGHAI),
    )  # fmt: skip


def test_a_withdrawn_draft_is_neither_overdue_nor_due_soon_in_the_digest(withdrawn_order, regulator):
    # A draft withdrawn before it was issued is never open (``OrderQuerySet.open``).
    for day in (3, 11):
        with at(2026, 12, day):
            context = RULES["digest"].context(f"digest:{regulator.pk}")
            assert not context["overdue_orders"].exists()
            assert not context["due_soon_orders"].exists()
