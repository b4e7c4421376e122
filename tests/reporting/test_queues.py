"""What monthly reporting leaves waiting for whom (reporting.queues): each item for the role that
acts on it, in its own face, for its own operator only, gone once the step is taken. (In English:
tests/reporting/conftest.py.)"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from supervision.core import queues
from supervision.core.dates import SHANGHAI
from supervision.core.models import Operator, Period
from supervision.reporting import incidents, submissions
from supervision.reporting.models import Incident, MonthlySubmission, SubmissionState
from tests.conftest import make_user

from .conftest import NOW  # the clock of these tests: 2026-11-20 10:00 in Shandong


@pytest.fixture
def manager_b(db):
    return make_user("manager_b", "operator_manager", "CUCC")


def queue(user, key):
    """The queue ``key`` on ``user``'s home page, or None."""
    return next((q for q in queues.for_user(user, NOW) if q.key == key), None)


def items(user, key):
    found = queue(user, key)
    return [(i.title, i.url) for i in found.items] if found else []


def certify(version, *, manager):
    """The manager's certification as it is recorded (``submissions.certify`` without its mail
    and its attestation form)."""
    return submissions.submit(version, certified_by=manager)


def stored(code="CMCC", label="2026-10", user=None) -> MonthlySubmission:
    """A version stored in the portal, awaiting its manager's certification."""
    version = submissions.create_version(
        Operator.objects.get(code=code), Period.objects.from_label(label), user=user
    )
    version.state = SubmissionState.AWAITING_CERTIFICATION
    version.confirmed_at = NOW
    version.save(update_fields=["state", "confirmed_at"])
    return version


def test_a_stored_version_waits_for_its_own_managers_to_certify_it(
    manager_a, manager_b, operator_a, regulator
):
    version = stored(user=operator_a)
    assert items(manager_a, "reporting.to_certify") == [
        ("Monthly report 2026-10, version 1", reverse("portal:submission", args=[version.pk]))
    ]
    found = queue(manager_a, "reporting.to_certify").items[0]
    assert (found.due_label, found.overdue) == ("2026-10-31 23:59", True)
    # Not the reporting staff's, not another operator's manager's, not the administration's yet.
    assert queue(operator_a, "reporting.to_certify") is None
    assert queue(manager_b, "reporting.to_certify") is None
    assert queue(regulator, "reporting.to_accept") is None

    certify(version, manager=manager_a)
    assert queue(manager_a, "reporting.to_certify") is None
    assert items(regulator, "reporting.to_accept") == [
        ("China Mobile · Monthly report 2026-10, version 1", reverse("control:submission", args=[version.pk]))
    ]


def test_a_certified_report_waits_for_the_staff_only_until_decided(manager_a, regulator, leader, operator_a):
    version = certify(stored(), manager=manager_a)
    assert queue(leader, "reporting.to_accept") is None
    assert queue(operator_a, "reporting.to_accept") is None
    assert queue(regulator, "reporting.to_accept").count == 1
    submissions.accept(version, user=regulator)
    assert queue(regulator, "reporting.to_accept") is None


def test_a_returned_report_comes_back_with_the_reason_until_corrected(
    manager_a, regulator, operator_a, operator_b
):
    version = certify(stored(), manager=manager_a)
    submissions.return_to_operator(version, user=regulator, comment="潍坊市携出申请数与台账不符")
    (item,) = queue(operator_a, "reporting.returned").items
    assert item.url == reverse("portal:submission", args=[version.pk])
    assert item.extra == "Returned: 潍坊市携出申请数与台账不符"
    assert queue(operator_b, "reporting.returned") is None
    assert queue(manager_a, "reporting.returned") is None

    corrected = stored(user=operator_a)  # the corrected version, now with the manager
    assert queue(operator_a, "reporting.returned") is None
    assert [i.url for i in queue(manager_a, "reporting.to_certify").items] == [
        reverse("portal:submission", args=[corrected.pk])
    ]


def test_the_month_to_file_waits_until_a_version_is_stored(operator_a, operator_b, manager_a):
    (owed,) = queue(operator_a, "reporting.to_file").items
    assert (owed.title, owed.due_label, owed.overdue) == ("Monthly report 2026-10", "2026-10-31 23:59", True)
    assert owed.url == reverse("portal:submission_new")
    stored("CMCC")
    assert queue(operator_a, "reporting.to_file") is None
    assert queue(operator_b, "reporting.to_file").count == 1  # CUCC's is still owed


def test_the_current_month_joins_once_its_window_opens(operator_a):
    with time_machine.travel(dt.datetime(2026, 11, 26, 9, 0, tzinfo=SHANGHAI), tick=False):
        found = queues.for_user(operator_a)
    (to_file,) = [q for q in found if q.key == "reporting.to_file"]
    assert [(i.title, i.overdue) for i in to_file.items] == [
        ("Monthly report 2026-10", True),
        ("Monthly report 2026-11", False),
    ]


def test_major_problems_wait_for_whoever_acts_next(regulator, operator_a, operator_b):
    incident = incidents.report(
        Incident(
            title="潍坊授权码短信下发异常", description="-", since=NOW - dt.timedelta(hours=2), measures="-"
        ),
        operator=Operator.objects.get(code="CMCC"),
        user=operator_a,
    )
    staff_url = reverse("control:incident", args=[incident.pk])
    portal_url = reverse("portal:incident", args=[incident.pk])
    assert items(regulator, "reporting.incidents_to_follow") == [
        ("China Mobile · 潍坊授权码短信下发异常", staff_url)
    ]
    assert items(operator_a, "reporting.incidents_to_update") == [("潍坊授权码短信下发异常", portal_url)]
    assert queue(operator_b, "reporting.incidents_to_update") is None

    incidents.ask_more(incident, user=regulator, text="请说明受影响用户数")
    assert queue(regulator, "reporting.incidents_to_follow") is None
    assert (
        queue(operator_a, "reporting.incidents_to_update").items[0].extra
        == "The administration asks: 请说明受影响用户数"
    )

    incidents.recover(
        incident,
        user=operator_a,
        recovered_at=NOW - dt.timedelta(minutes=30),
        cause="网关故障",
        measures="扩容",
    )
    assert queue(operator_a, "reporting.incidents_to_update") is None
    assert "Recovered" in queue(regulator, "reporting.incidents_to_follow").items[0].extra

    incidents.close(incident, user=regulator)
    assert queue(regulator, "reporting.incidents_to_follow") is None
