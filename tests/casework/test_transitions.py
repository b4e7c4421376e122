"""Every transition of every case, for every role and state: allowed, or refused with a message
and nothing changed.

The expected tables below are written out by hand from the issue (not read from the code's
``ACTIONS``), so that a change of a rule shows up here as a failing line.
"""

import datetime as dt

import pytest
from django.utils import timezone, translation

from supervision.casework import findings, interviews, orders
from supervision.casework.models import (
    CaseEvent,
    Commitment,
    ExtensionRequest,
    InterviewNotice,
    RectificationOrder,
    local_date,
)
from supervision.casework.rules import TransitionRefused
from tests.builders import fresh, make_role_users

from .conftest import make_finding, make_interview, make_order, pending_extension, upload

ROLES = ["staff", "leader", "operator_a", "manager_a", "operator_b"]
# Who a role of the table stands for: the administration's staff, or CMCC's users (the cases
# are CMCC's); leadership and another operator (CUCC) are refused everything.
ALLOWED_USERS = {"staff": {"staff"}, "operator": {"operator_a", "manager_a"}, "manager": {"manager_a"}}


@pytest.fixture(scope="class")
def made_once(class_db, request):
    """A table's users and a case in each of its states (the class's ``make(users)``), made once."""

    def build():
        users = make_role_users()
        return users, request.cls.make(users)

    return class_db(build)


class OnCasesMadeOnce:
    """A table's rows all start from the same cases, made once per table (``made_once``): each
    test's changes are rolled back at its end, and it reads its case and users afresh."""

    @pytest.fixture
    def role_users(self, made_once, db):
        return fresh(made_once[0])

    @pytest.fixture
    def made(self, made_once, db):
        """The case in each state, read again from the database."""
        return {state: type(case).objects.get(pk=case.pk) for state, case in made_once[1].items()}


def _expect_refusal(call, snapshot, *, role_refused: bool):
    before = snapshot()
    events = CaseEvent.objects.count()
    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        call()
    message = str(refused.value)
    if role_refused:
        assert message.startswith("Only "), message
    else:
        assert message.startswith("You cannot "), message
        assert "now: it is “" in message
    assert snapshot() == before  # nothing changed
    assert CaseEvent.objects.count() == events  # and nothing was recorded


# --- Rectification orders -------------------------------------------------------------------

ORDER_STATES = [
    "draft",
    "issued",
    "issued_overdue",
    "acknowledged",
    "report_submitted",
    "report_submitted_overdue",
    "returned",
    "verified",
    "escalated",
    "withdrawn",
]
_DECIDABLE = {
    "issued",
    "issued_overdue",
    "acknowledged",
    "report_submitted",
    "report_submitted_overdue",
    "returned",
}
# action: (role, states it is allowed from, state it leads to or None)
ORDER_TABLE = {
    "issue": ("staff", {"draft"}, "issued"),
    "acknowledge": ("operator", {"issued", "issued_overdue"}, "acknowledged"),
    "ask_extension": ("operator", {"issued", "issued_overdue", "acknowledged", "returned"}, None),
    "grant_extension": ("staff", _DECIDABLE, None),
    "refuse_extension": ("staff", _DECIDABLE, None),
    "submit_report": ("operator", {"acknowledged", "returned"}, "report_submitted"),
    "return_report": ("staff", {"report_submitted", "report_submitted_overdue"}, "returned"),
    "verify": ("staff", {"report_submitted", "report_submitted_overdue"}, "verified"),
    # Escalated from issued, acknowledged or returned; a submitted report only once overdue.
    "escalate": (
        "staff",
        {"issued", "issued_overdue", "acknowledged", "returned", "report_submitted_overdue"},
        "escalated",
    ),
    # Only a draft made by mistake is withdrawn; an issued order never is.
    "withdraw": ("staff", {"draft"}, "withdrawn"),
}


def _order_call(action, order, user, extension):
    later = max(local_date(order.deadline), timezone.localdate()) + dt.timedelta(days=5)
    return {
        "issue": lambda: orders.issue_order(order, user=user),
        "acknowledge": lambda: orders.acknowledge_order(order, user=user),
        "ask_extension": lambda: orders.ask_extension(
            order, user=user, reason="系统改造", proposed_date=later
        ),
        "grant_extension": lambda: orders.grant_extension(extension, user=user, new_date=later),
        "refuse_extension": lambda: orders.refuse_extension(extension, user=user, note="理由不充分"),
        "submit_report": lambda: orders.submit_report(order, user=user, text="已整改", uploads=[upload()]),
        "return_report": lambda: orders.return_report(order, user=user, comment="请补充"),
        "verify": lambda: orders.verify_order(order, user=user),
        "escalate": lambda: orders.escalate_order(order, user=user, reason="逾期未整改"),
        "withdraw": lambda: orders.withdraw_order(order, user=user, reason="误建草稿"),
    }[action]


class TestOrderTable(OnCasesMadeOnce):
    @staticmethod
    def make(users):
        return {
            state: make_order(
                users["staff"],
                users["operator_a"],
                state.removesuffix("_overdue"),
                overdue=state.endswith("_overdue"),
            )
            for state in ORDER_STATES
        }

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("action", list(ORDER_TABLE))
    @pytest.mark.parametrize("state", ORDER_STATES)
    def test_order_transition(self, state, action, role, role_users, made):
        base_state = state.removesuffix("_overdue")
        order = made[state]
        extension = (
            pending_extension(order, role_users["operator_a"])
            if action.endswith("_extension") and action != "ask_extension"
            else None
        )
        allowed_role, allowed_states, target = ORDER_TABLE[action]
        user = role_users[role]
        role_ok = role in ALLOWED_USERS[allowed_role]
        call = _order_call(action, order, user, extension)

        def snapshot():
            row = RectificationOrder.objects.get(pk=order.pk)
            requests = list(ExtensionRequest.objects.filter(order=order).values_list("state", flat=True))
            return (
                row.state,
                row.deadline,
                row.document_no,
                row.withdrawn_at,
                row.withdrawal_reason,
                row.reports.count(),
                requests,
            )

        if role_ok and state in allowed_states:
            deadline = order.deadline
            call()
            order.refresh_from_db()
            assert order.state == (target or base_state)
            if action == "grant_extension":
                assert order.deadline > deadline
            if action == "ask_extension":
                assert order.extensions.get().state == "pending"
            if action == "withdraw":
                assert (order.withdrawn_by, order.withdrawal_reason) == (user, "误建草稿")
                assert order.withdrawn_at is not None
        else:
            _expect_refusal(call, snapshot, role_refused=not role_ok)


@pytest.mark.dates
def test_only_one_extension_request_awaits_a_decision(regulator, operator_a):
    order = make_order(regulator, operator_a, "acknowledged")
    later = local_date(order.deadline) + dt.timedelta(days=10)
    orders.ask_extension(order, user=operator_a, reason="系统改造", proposed_date=later)
    with translation.override("en"), pytest.raises(TransitionRefused, match="already awaiting"):
        orders.ask_extension(order, user=operator_a, reason="再次申请", proposed_date=later)


@pytest.mark.dates
def test_an_extension_must_move_the_deadline_later(regulator, operator_a):
    order = make_order(regulator, operator_a, "acknowledged")
    with translation.override("en"), pytest.raises(TransitionRefused, match="after the current deadline"):
        orders.ask_extension(order, user=operator_a, reason="x", proposed_date=local_date(order.deadline))


@pytest.mark.dates
def test_an_extension_decided_once_cannot_be_decided_again(regulator, operator_a):
    order = make_order(regulator, operator_a, "acknowledged")
    extension = pending_extension(order, operator_a)
    orders.refuse_extension(extension, user=regulator, note="理由不充分")
    with translation.override("en"), pytest.raises(TransitionRefused, match="already decided"):
        orders.grant_extension(extension, user=regulator)


def test_a_report_needs_an_attachment_and_a_return_needs_a_comment(regulator, operator_a):
    order = make_order(regulator, operator_a, "acknowledged")
    with (
        translation.override("en"),
        pytest.raises(TransitionRefused, match="Attach the rectification report"),
    ):
        orders.submit_report(order, user=operator_a, text="已整改", uploads=[])
    orders.submit_report(order, user=operator_a, text="已整改", uploads=[upload()])
    with translation.override("en"), pytest.raises(TransitionRefused, match="Say why the report is returned"):
        orders.return_report(order, user=regulator, comment=" ")


def test_an_order_is_grounded_on_its_own_operators_published_findings(regulator, operator_a):
    draft = make_finding(regulator, "draft")
    other = make_finding(regulator, operator="CUCC")
    for grounds, message in ((draft, "only a published finding"), (other, "another operator")):
        with translation.override("en"), pytest.raises(TransitionRefused, match=message):
            orders.create_order(
                user=regulator, operator=draft.operator, title="t", requirements="r", findings=[grounds]
            )


@pytest.mark.dates
def test_an_order_past_its_deadline_cannot_be_issued(regulator, operator_a):
    order = make_order(regulator, operator_a, "draft")
    RectificationOrder.objects.filter(pk=order.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    with translation.override("en"), pytest.raises(TransitionRefused, match="has passed"):
        orders.issue_order(order, user=regulator)


# --- Findings -------------------------------------------------------------------------------

FINDING_STATES = ["draft", "published", "responded", "contested", "upheld", "withdrawn"]
_ANSWERED = {"published", "responded", "contested"}
FINDING_TABLE = {
    "edit": ("staff", {"draft"}, "draft"),
    "publish": ("staff", {"draft"}, "published"),
    "add_evidence": ("staff", {"draft", "published", "responded", "contested", "upheld"}, None),
    "respond": ("operator", {"published"}, "responded"),
    "contest": ("operator", {"published"}, "contested"),
    "uphold": ("staff", _ANSWERED, "upheld"),
    "withdraw": ("staff", _ANSWERED, "withdrawn"),
}


def _finding_call(action, finding, user):
    return {
        "edit": lambda: findings.update_finding(finding, user=user, scenario="改过的场景"),
        "publish": lambda: findings.publish_finding(finding, user=user),
        "add_evidence": lambda: findings.add_evidence(finding, [upload("照片.pdf")], user=user),
        "respond": lambda: findings.respond_to_finding(finding, user=user, kind="response", text="已整改"),
        "contest": lambda: findings.respond_to_finding(finding, user=user, kind="contest", text="事实不符"),
        "uphold": lambda: findings.decide_finding(finding, user=user, uphold=True),
        "withdraw": lambda: findings.decide_finding(finding, user=user, uphold=False, note="证据不足"),
    }[action]


class TestFindingTable(OnCasesMadeOnce):
    @staticmethod
    def make(users):
        return {
            state: make_finding(users["staff"], state, operator_user=users["operator_a"], evidence=True)
            for state in FINDING_STATES
        }

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("action", list(FINDING_TABLE))
    @pytest.mark.parametrize("state", FINDING_STATES)
    def test_finding_transition(self, state, action, role, role_users, made):
        finding = made[state]
        allowed_role, allowed_states, target = FINDING_TABLE[action]
        role_ok = role in ALLOWED_USERS[allowed_role]
        call = _finding_call(action, finding, role_users[role])

        def snapshot():
            row = type(finding).objects.get(pk=finding.pk)
            return (row.state, row.scenario, row.files.count(), row.responses.count())

        if role_ok and state in allowed_states:
            call()
            finding.refresh_from_db()
            assert finding.state == (target or state)
        else:
            _expect_refusal(call, snapshot, role_refused=not role_ok)


# --- Interviews and commitments -------------------------------------------------------------

INTERVIEW_STATES = ["draft", "issued", "confirmed", "held", "withdrawn"]
INTERVIEW_TABLE = {
    "edit": ("staff", {"draft"}, "draft"),
    "issue": ("staff", {"draft"}, "issued"),
    # Only a draft made by mistake is withdrawn; an issued notice never is.
    "withdraw": ("staff", {"draft"}, "withdrawn"),
    "confirm": ("manager", {"issued", "confirmed"}, "confirmed"),
    "record_minutes": ("staff", {"issued", "confirmed", "held"}, "held"),
    "add_commitment": ("staff", {"held"}, "held"),
}


def _interview_call(action, notice, user):
    return {
        "edit": lambda: interviews.update_interview(notice, user=user, place="省通信管理局三楼会议室"),
        "issue": lambda: interviews.issue_interview(notice, user=user),
        "withdraw": lambda: interviews.withdraw_interview(notice, user=user, reason="误建草稿"),
        "confirm": lambda: interviews.confirm_attendance(notice, user=user, attendees="钱副总经理"),
        "record_minutes": lambda: interviews.record_minutes(notice, user=user, minutes="纪要"),
        "add_commitment": lambda: interviews.add_commitment(
            notice, user=user, text="十日内清理违约金", due_date=timezone.localdate() + dt.timedelta(days=10)
        ),
    }[action]


class TestInterviewTable(OnCasesMadeOnce):
    @staticmethod
    def make(users):
        return {
            state: make_interview(users["staff"], state, manager=users["manager_a"])
            for state in INTERVIEW_STATES
        }

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("action", list(INTERVIEW_TABLE))
    @pytest.mark.parametrize("state", INTERVIEW_STATES)
    def test_interview_transition(self, state, action, role, role_users, made):
        notice = made[state]
        if action == "record_minutes" and state != "held":
            # Minutes are written after the interview took place.
            InterviewNotice.objects.filter(pk=notice.pk).update(
                scheduled_at=timezone.now() - dt.timedelta(hours=1)
            )
            notice.refresh_from_db()
        allowed_role, allowed_states, target = INTERVIEW_TABLE[action]
        role_ok = role in ALLOWED_USERS[allowed_role]
        call = _interview_call(action, notice, role_users[role])

        def snapshot():
            row = InterviewNotice.objects.get(pk=notice.pk)
            return (
                row.state,
                row.place,
                row.document_no,
                row.minutes,
                row.confirmed_attendees,
                row.withdrawal_reason,
                row.commitments.count(),
            )

        if role_ok and state in allowed_states:
            call()
            notice.refresh_from_db()
            assert notice.state == target
        else:
            _expect_refusal(call, snapshot, role_refused=not role_ok)


COMMITMENT_STATES = ["open", "done", "verified"]
COMMITMENT_TABLE = {
    "done": ("operator", {"open"}, "done"),
    "verify": ("staff", {"done"}, "verified"),
    "return": ("staff", {"done"}, "open"),
}


def _commitment_in(state, role_users):
    notice = make_interview(role_users["staff"], "held", manager=role_users["manager_a"])
    commitment = interviews.add_commitment(
        notice,
        user=role_users["staff"],
        text="十日内清理违约金",
        due_date=timezone.localdate() + dt.timedelta(days=10),
    )
    if state in ("done", "verified"):
        interviews.commitment_done(commitment, user=role_users["operator_a"], note="已清理")
    if state == "verified":
        interviews.verify_commitment(commitment, user=role_users["staff"])
    commitment.refresh_from_db()
    return commitment


class TestCommitmentTable(OnCasesMadeOnce):
    @staticmethod
    def make(users):
        return {state: _commitment_in(state, users) for state in COMMITMENT_STATES}

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("action", list(COMMITMENT_TABLE))
    @pytest.mark.parametrize("state", COMMITMENT_STATES)
    def test_commitment_transition(self, state, action, role, role_users, made):
        commitment = made[state]
        allowed_role, allowed_states, target = COMMITMENT_TABLE[action]
        role_ok = role in ALLOWED_USERS[allowed_role]
        user = role_users[role]
        call = {
            "done": lambda: interviews.commitment_done(commitment, user=user, note="已清理"),
            "verify": lambda: interviews.verify_commitment(commitment, user=user),
            "return": lambda: interviews.return_commitment(commitment, user=user, comment="证明材料不全"),
        }[action]

        def snapshot():
            row = Commitment.objects.get(pk=commitment.pk)
            return (row.state, row.done_note, row.return_comment)

        if role_ok and state in allowed_states:
            call()
            commitment.refresh_from_db()
            assert commitment.state == target
        else:
            _expect_refusal(call, snapshot, role_refused=not role_ok)
