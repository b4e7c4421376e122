"""Every change of a briefing, for every role and state: allowed and written to the audit trail, or
refused with a message and nothing changed.

The expected table below is written out by hand from the rules (the administration's staff draft,
edit, circulate and correct; leadership approves, and only that; the operators never act; an
approved briefing never changes, a correction is a new version), not read from the code's
``ACTIONS``, so that a change of a rule shows up here as a failing line.
"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from supervision.briefings import services
from supervision.briefings.models import Briefing
from supervision.core.models import SHANGHAI, AuditEntry, Period

# Files of these tests go to a temporary folder, not the project's var/media.
pytestmark = pytest.mark.usefixtures("media_root")

NOW = dt.datetime(2026, 11, 5, 10, tzinfo=SHANGHAI)
ROLES = ["staff", "leader", "operator_a", "manager_a"]
ALLOWED_USERS = {"staff": {"staff"}, "leader": {"leader"}}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def people(regulator, leader, operator_a, manager_a):
    return {"staff": regulator, "leader": leader, "operator_a": operator_a, "manager_a": manager_a}


@pytest.fixture
def october(db):
    return Period.objects.from_label("2026-10")


def _expect_refusal(call, snapshot, *, role_refused: bool):
    before = snapshot()
    entries = AuditEntry.objects.count()
    with translation.override("en"), pytest.raises(services.BriefingRefused) as refused:
        call()
    message = str(refused.value)
    assert message.startswith("Only the administration's " if role_refused else "You cannot "), message
    assert snapshot() == before  # nothing changed
    assert AuditEntry.objects.count() == entries  # and nothing was recorded


def _snapshot():
    return sorted(
        Briefing.objects.values_list("pk", "version", "state", "opening", "document_no", "approved_by")
    )


STATES = ["draft", "approved", "circulated"]
# action: (role, states it is allowed from, state it leads to; None: a new draft version)
TABLE = {
    "edit": ("staff", {"draft"}, "draft"),
    "approve": ("leader", {"draft"}, "approved"),
    "circulate": ("staff", {"approved"}, "circulated"),
    "correct": ("staff", {"approved", "circulated"}, None),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(TABLE))
@pytest.mark.parametrize("state", STATES)
def test_briefing_transition(state, action, role, people, october, regulator):
    briefing = services.start(october, user=regulator)
    if state != "draft":
        # Approved (and circulated) as the services leave it, without rendering its documents.
        Briefing.objects.filter(pk=briefing.pk).update(
            state=state, document_no="鲁通管通〔2026〕1号", approved_by=people["leader"], approved_at=NOW
        )
        briefing.refresh_from_db()
    allowed_role, allowed_states, target = TABLE[action]
    user = people[role]
    role_ok = role in ALLOWED_USERS[allowed_role]
    call = {
        "edit": lambda: services.edit(briefing, user=user, opening="本月全省携号转网服务总体平稳。"),
        "approve": lambda: services.approve(briefing, user=user),
        # Circulated even where nobody receives documents (confirmed): the table is what is tested.
        "circulate": lambda: services.circulate(briefing, user=user, without=["CMCC", "CUCC", "CTCC", "CBN"]),
        "correct": lambda: services.correct(briefing, user=user),
    }[action]

    if role_ok and state in allowed_states:
        result = call()
        briefing.refresh_from_db()
        if target is None:
            assert (result.version, result.state, briefing.state) == (2, "draft", state)
        else:
            assert briefing.state == target
        entry = AuditEntry.objects.order_by("-pk").first()
        assert (entry.object_id, entry.action, entry.user) == (briefing.pk, action, user)
    else:
        _expect_refusal(call, _snapshot, role_refused=not role_ok)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_staff_draft_a_months_briefing(role, people, october):
    user = people[role]
    if role == "staff":
        briefing = services.start(october, user=user)
        assert AuditEntry.objects.get().action == "start" and briefing.created_by == user
    else:
        _expect_refusal(lambda: services.start(october, user=user), _snapshot, role_refused=True)


def test_the_audit_trail_says_who_approved_the_briefing(client, people, october):
    briefing = services.start(october, user=people["staff"])
    services.approve(briefing, user=people["leader"])
    briefing.refresh_from_db()
    client.force_login(people["staff"])
    page = client.get(reverse("control:audit"), {"model": "briefing"}, HTTP_ACCEPT_LANGUAGE="en")
    rows = [(r.action, str(r.user), r.label, r.url) for r in page.context["rows"]]
    url = reverse("control:briefing", args=[briefing.pk])
    assert rows == [
        ("Approve this briefing", "李局长", briefing.document_no, url),
        ("Draft a briefing", "王科长", "2026-10 v1", url),
    ]
    assert [(c.field, c.new) for c in page.context["rows"][0].changes] == [
        ("Document number", briefing.document_no)
    ]


def test_the_buttons_are_those_the_table_allows(client, people, october):
    briefing = services.start(october, user=people["staff"])
    url = reverse("control:briefing", args=[briefing.pk])
    client.force_login(people["staff"])
    page = client.get(url)
    assert page.context["allowed"] == {"edit"}
    assert 'data-testid="approve"' not in page.content.decode()
    client.force_login(people["leader"])
    page = client.get(url)
    assert page.context["allowed"] == {"approve"}
    assert 'data-testid="approve"' in page.content.decode()
    assert 'data-testid="texts-form"' not in page.content.decode()
