"""Every change of a meeting, for every role and state: allowed and written to the audit trail, or
refused with a message and nothing changed.

The expected tables below are written out by hand from the rules (the staff run the meetings; an
invited operator answers and proposes; leadership only reads; a closed or cancelled meeting takes
no more changes, but its action items are still followed up), not read from the code's
``ACTIONS``, so that a change of a rule shows up here as a failing line.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from supervision.core.models import AuditEntry, Operator
from supervision.meetings import services
from supervision.meetings.models import ActionItem, AgendaItem, Invitation, Meeting, MeetingSeries
from tests.builders import fresh, make_role_users

from .conftest import NOW, create_series, local

ROLES = ["staff", "leader", "operator_a", "manager_a", "operator_b"]
# Who a role of the table stands for: the administration's staff, or CMCC's users (CMCC alone is
# invited, and the proposal and action items are CMCC's); leadership is refused everything, and
# CUCC's user everything but what any operator's user may try (then it is told it is not invited).
ALLOWED_USERS = {
    "staff": {"staff"},
    "operator": {"operator_a", "manager_a"},
    "staff_or_operator": {"staff", "operator_a", "manager_a"},
}
# The changes are tried on 3 December at 17:00, after the meeting began (14:30), so that it may be closed.
AFTER_THE_MEETING = local(2026, 12, 3, 17, 0)


@pytest.fixture
def world(regulator, operator_a, cmcc):
    """The 3 December meeting (CMCC invited): two agenda items, CMCC's proposal, an action item,
    minutes written once it began; and an action item of the January meeting already past due on 3 December,
    which the December meeting is suggested to take into its agenda."""
    return make_world(regulator, operator_a, cmcc)


def make_world(regulator, operator_a, cmcc):
    """The rows of ``world``."""
    with time_machine.travel(NOW, tick=False):
        series = create_series(regulator, operators=[cmcc])
        meeting, january = series.meetings.order_by("starts_at")[:2]
        first = services.add_item(meeting, title="通报情况", user=regulator)
        second = services.add_item(meeting, title="各运营商汇报", user=regulator)
        proposal = services.propose_item(meeting, user=operator_a, title="统一客服口径")
        action = services.add_action_item(
            meeting, title="报送分析", operator=cmcc, due_on=dt.date(2026, 12, 20), user=regulator
        )
        carried = services.add_action_item(
            january, title="核查潍坊营业厅", operator=cmcc, due_on=dt.date(2026, 12, 1), user=regulator
        )
    with time_machine.travel(AFTER_THE_MEETING, tick=False):  # minutes are written once it has started
        services.save_minutes(meeting, text="会议纪要", user=regulator)
    return SimpleNamespace(
        series=series,
        meeting=meeting,
        first=first,
        second=second,
        proposal=proposal,
        action=action,
        carried=carried,
        cmcc=cmcc,
    )


@pytest.fixture(scope="class")
def made_once(class_db):
    """The users of a table and the rows of ``world``, made once for all the rows of the table."""

    def build():
        users = make_role_users()
        return users, make_world(users["staff"], users["operator_a"], Operator.objects.get(code="CMCC"))

    return class_db(build)


class OnRowsMadeOnce:
    """A table's tests all start from the same rows, made once (``made_once``): each test's changes
    are rolled back at its end, and it reads the rows afresh."""

    @pytest.fixture
    def role_users(self, made_once, db):
        return fresh(made_once[0])

    @pytest.fixture
    def world(self, made_once, db):
        return SimpleNamespace(
            **{name: type(row).objects.get(pk=row.pk) for name, row in vars(made_once[1]).items()}
        )


def _set_state(meeting: Meeting, state: str) -> None:
    fields = {"state": state}
    if state == "closed":
        fields["closed_at"] = NOW
    Meeting.objects.filter(pk=meeting.pk).update(**fields)
    meeting.refresh_from_db()


def _expect_refusal(call, snapshot, *, role_refused: bool):
    before = snapshot()
    entries = AuditEntry.objects.count()
    with translation.override("en"), pytest.raises(services.MeetingRefused) as refused:
        call()
    if role_refused:
        assert str(refused.value).startswith("Only "), str(refused.value)
    assert snapshot() == before  # nothing changed
    assert AuditEntry.objects.count() == entries  # and nothing was recorded


def _expect_entry(obj, action: str, user) -> None:
    entry = AuditEntry.objects.order_by("-pk").first()
    assert (entry.content_type.model, entry.object_id, entry.action, entry.user) == (
        obj._meta.model_name,
        obj.pk,
        action,
        user,
    )


# --- A meeting and its record -------------------------------------------------------------------

MEETING_STATES = ["scheduled", "closed", "cancelled"]
_OPEN = {"scheduled"}
# action: (role, states it is allowed from, state it leads to or None)
MEETING_TABLE = {
    "move": ("staff", _OPEN, None),
    "cancel": ("staff", _OPEN, "cancelled"),
    "add_item": ("staff", _OPEN, None),
    "update_item": ("staff", _OPEN, None),
    "delete_item": ("staff", _OPEN, None),
    "move_item": ("staff", _OPEN, None),
    "take_suggestion": ("staff", _OPEN, None),
    "accept_proposal": ("staff", _OPEN, None),
    "decline_proposal": ("staff", _OPEN, None),
    "publish_agenda": ("staff", _OPEN, None),
    "propose_item": ("operator", _OPEN, None),
    "withdraw_proposal": ("operator", _OPEN, None),
    "answer_attendance": ("operator", _OPEN, None),
    "record_attendance": ("staff", _OPEN, None),
    "save_minutes": ("staff", _OPEN, None),
    "publish_minutes": ("staff", _OPEN, None),
    "close": ("staff", _OPEN, "closed"),
    "add_action_item": ("staff", _OPEN, None),
    "delete_action_item": ("staff", _OPEN, None),
}


def _meeting_call(action, w, user):
    meeting = w.meeting
    return {
        "move": lambda: services.move(
            meeting,
            starts_at=local(2026, 12, 10, 9, 0),
            duration_minutes=60,
            place="视频会议",
            video_link="",
            user=user,
        ),
        "cancel": lambda: services.cancel(meeting, reason="改期", user=user),
        "add_item": lambda: services.add_item(meeting, title="新议题", user=user),
        "update_item": lambda: services.update_item(w.first, title="通报11月情况", user=user),
        "delete_item": lambda: services.delete_item(w.first, user=user),
        "move_item": lambda: services.move_item(w.second, up=True, user=user),
        "take_suggestion": lambda: services.take_suggestion(meeting, f"action:{w.carried.pk}", user=user),
        "accept_proposal": lambda: services.accept_proposal(w.proposal, user=user),
        "decline_proposal": lambda: services.decline_proposal(w.proposal, user=user, reason="时间不够"),
        "publish_agenda": lambda: services.publish_agenda(meeting, user=user),
        "propose_item": lambda: services.propose_item(meeting, user=user, title="新提议"),
        "withdraw_proposal": lambda: services.withdraw_proposal(w.proposal, user=user),
        "answer_attendance": lambda: services.answer_attendance(meeting, user=user, attendees=[user]),
        "record_attendance": lambda: services.record_attendance(
            meeting, attended_ids=[], administration_attendees="王科长", user=user
        ),
        "save_minutes": lambda: services.save_minutes(meeting, text="会议纪要（修改）", user=user),
        "publish_minutes": lambda: services.publish_minutes(meeting, user=user),
        "close": lambda: services.close(meeting, user=user),
        "add_action_item": lambda: services.add_action_item(
            meeting, title="新待办", operator=w.cmcc, due_on=dt.date(2026, 12, 31), user=user
        ),
        "delete_action_item": lambda: services.delete_action_item(w.action, user=user),
    }[action]


def _meeting_snapshot(meeting):
    def snapshot():
        row = Meeting.objects.get(pk=meeting.pk)
        return (
            row.state,
            row.starts_at,
            row.place,
            row.cancel_reason,
            row.agenda_published_at,
            row.minutes,
            row.minutes_published_at,
            row.administration_attendees,
            row.sequence,
            sorted(
                AgendaItem.objects.filter(meeting=meeting).values_list("pk", "title", "state", "position")
            ),
            sorted(ActionItem.objects.filter(meeting=meeting).values_list("pk", "title", "state")),
            sorted(Invitation.objects.filter(meeting=meeting).values_list("operator", "answered_at")),
        )

    return snapshot


class TestMeetingTable(OnRowsMadeOnce):
    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("action", list(MEETING_TABLE))
    @pytest.mark.parametrize("state", MEETING_STATES)
    def test_meeting_transition(self, state, action, role, role_users, world):
        _set_state(world.meeting, state)
        allowed_role, allowed_states, target = MEETING_TABLE[action]
        user = role_users[role]
        role_ok = role in ALLOWED_USERS[allowed_role]
        with time_machine.travel(AFTER_THE_MEETING, tick=False):
            call = _meeting_call(action, world, user)
            if role_ok and state in allowed_states:
                call()
                world.meeting.refresh_from_db()
                assert world.meeting.state == (target or state)
                _expect_entry(world.meeting, action, user)
            else:
                # CUCC's user holds the operator role of the table but is not invited: refused too.
                role_refused = not role_ok and not (allowed_role == "operator" and role == "operator_b")
                _expect_refusal(call, _meeting_snapshot(world.meeting), role_refused=role_refused)


# --- A series ----------------------------------------------------------------------------------

SERIES_TABLE = {"create_series": "staff", "update_series": "staff", "add_occurrence": "staff"}


def _series_call(action, w, user):
    new = MeetingSeries(
        title="专题会商会", rrule="FREQ=MONTHLY", first_start=local(2027, 1, 14), duration_minutes=60
    )
    return {
        "create_series": lambda: services.create_series(new, invited_operators=[w.cmcc], user=user),
        "update_series": lambda: services.update_series(w.series, invited_operators=[w.cmcc], user=user),
        "add_occurrence": lambda: services.add_occurrence(
            w.series, starts_at=local(2026, 12, 17, 9, 0), duration_minutes=60, user=user
        ),
    }[action]


class TestSeriesTable(OnRowsMadeOnce):
    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("action", list(SERIES_TABLE))
    def test_series_change(self, action, role, role_users, world):
        user = role_users[role]

        def snapshot():
            return (
                MeetingSeries.objects.count(),
                sorted(Meeting.objects.values_list("pk", "starts_at", "place")),
            )

        with time_machine.travel(NOW, tick=False):
            call = _series_call(action, world, user)
            if role in ALLOWED_USERS[SERIES_TABLE[action]]:
                call()
                series = (
                    MeetingSeries.objects.order_by("-pk").first()
                    if action == "create_series"
                    else world.series
                )
                _expect_entry(series, action, user)
            else:
                _expect_refusal(call, snapshot, role_refused=True)


# --- Action items: followed up after the meeting, too --------------------------------------------

ITEM_STATES = ["open", "done", "open_meeting_closed"]
ITEM_TABLE = {
    "complete_action_item": ("staff_or_operator", {"open", "open_meeting_closed"}, "done"),
    "reopen_action_item": ("staff", {"done"}, "open"),
}


class TestActionItemTable(OnRowsMadeOnce):
    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("action", list(ITEM_TABLE))
    @pytest.mark.parametrize("state", ITEM_STATES)
    def test_action_item_transition(self, state, action, role, role_users, world):
        item = world.action
        if state == "done":
            ActionItem.objects.filter(pk=item.pk).update(
                state="done", done_at=NOW, done_by=role_users["operator_a"]
            )
        if state == "open_meeting_closed":
            _set_state(world.meeting, "closed")
        item.refresh_from_db()
        allowed_role, allowed_states, target = ITEM_TABLE[action]
        user = role_users[role]
        role_ok = role in ALLOWED_USERS[allowed_role]
        call = {
            "complete_action_item": lambda: services.complete_action_item(item, user=user, note="已报送"),
            "reopen_action_item": lambda: services.reopen_action_item(item, user=user),
        }[action]

        def snapshot():
            row = ActionItem.objects.get(pk=item.pk)
            return (row.state, row.done_at, row.done_by_id, row.done_note)

        if role_ok and state in allowed_states:
            call()
            item.refresh_from_db()
            assert item.state == target
            _expect_entry(world.meeting, action, user)
        else:
            _expect_refusal(call, snapshot, role_refused=not role_ok)


def test_the_administrations_own_action_item_is_done_by_the_staff_only(world, regulator, operator_a):
    item = services.add_action_item(
        world.meeting, title="组织第三方测评", due_on=dt.date(2026, 12, 31), user=regulator
    )
    with translation.override("en"), pytest.raises(services.MeetingRefused, match="^Only the administration"):
        services.complete_action_item(item, user=operator_a)
    services.complete_action_item(item, user=regulator, note="已组织")
    item.refresh_from_db()
    assert (item.state, item.done_by) == ("done", regulator)


# --- What the audit trail and the pages show -----------------------------------------------------


def test_the_audit_trail_says_who_published_the_agenda_and_links_to_the_meeting(
    client, world, regulator, leader
):
    services.publish_agenda(world.meeting, user=regulator)
    client.force_login(leader)
    page = client.get(reverse("control:audit"), {"model": "meeting"}, HTTP_ACCEPT_LANGUAGE="en")
    rows = page.context["rows"]
    assert [(r.action, str(r.user), r.label) for r in rows[:3]] == [
        ("Publish the agenda", "王科长", str(world.meeting)),
        ("Write the minutes", "王科长", str(world.meeting)),
        ("Add an action item", "王科长", str(world.carried.meeting)),  # January's
    ]
    assert rows[0].url == reverse("control:meeting", args=[world.meeting.pk])
    assert [(c.field, c.new) for c in rows[2].changes] == [
        ("Item", "核查潍坊营业厅"),
        ("Operator", world.cmcc.name_zh),  # kept in Chinese, whoever reads
    ]
    assert "Publish the agenda" in page.content.decode()


def test_the_buttons_are_those_the_table_allows(client, world, regulator, leader, operator_a):
    control = reverse("control:meeting", args=[world.meeting.pk])
    client.force_login(regulator)
    assert client.get(control).context["allowed"] >= {"publish_agenda", "add_item", "cancel", "move"}
    client.force_login(leader)
    page = client.get(control)
    assert page.context["allowed"] == set()
    assert 'data-testid="publish-agenda"' not in page.content.decode()
    client.force_login(operator_a)
    portal = client.get(reverse("portal:meeting", args=[world.meeting.pk]))
    assert portal.context["allowed"] == {"propose_item", "withdraw_proposal", "answer_attendance"}
    _set_state(world.meeting, "closed")
    portal = client.get(reverse("portal:meeting", args=[world.meeting.pk]))
    assert portal.context["allowed"] == set()
    assert 'data-testid="propose-item"' not in portal.content.decode()
