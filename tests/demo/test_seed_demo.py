"""``seed_demo``: what a person trying the site with the demo data would notice."""

import contextlib
import datetime as dt
import io
import os
import re
import statistics

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from supervision.casework.models import InspectionFinding, OrderState, RectificationOrder
from supervision.core import demo
from supervision.core.models import SHANGHAI, Period, Role, TaskForceMember, User
from supervision.meetings.models import MeetingSeries, MeetingState
from supervision.reporting.models import (
    CityFigures,
    ComplaintRecord,
    Incident,
    IncidentStatus,
    MonthlySubmission,
    SubmissionState,
)
from tests.conftest import session_instant

COMPLAINTS = 3000
DEMO_USERNAMES = ["staff", "leader", "cmcc", "cmcc_manager", "cucc", "cucc_manager", "ctcc", "cbn"]


def model_counts():
    models = [User, MonthlySubmission, CityFigures, ComplaintRecord, InspectionFinding, RectificationOrder]
    return {model.__name__: model.objects.count() for model in models}


# --- Without a database: the plan -------------------------------------------------------------


def test_the_plan_is_reproducible_from_its_seed():
    october = dt.date(2026, 10, 1)
    first = demo.build_plan(seed=1, complaints=5000, last_month=october)
    again = demo.build_plan(seed=1, complaints=5000, last_month=october)
    other = demo.build_plan(seed=2, complaints=5000, last_month=october)
    assert first.cells == again.cells
    assert first.cells != other.cells


def test_the_plan_has_the_asked_number_of_complaints_plus_the_spike():
    plan = demo.build_plan(seed=1, complaints=100_000, last_month=dt.date(2026, 10, 1))
    spike = sum(cell.spike for cell in plan.cells.values())
    assert 0 < spike < 2_000
    assert plan.total_complaints() == 100_000 + spike


def test_porting_peaks_at_the_spring_festival_and_in_september():
    plan = demo.build_plan(seed=1, complaints=5000, last_month=dt.date(2026, 10, 1))
    applications = {month: plan.province_totals(t)["apps"] for t, month in enumerate(plan.months)}
    month = dt.date
    # The Spring Festival of 2026 fell on 17 February; school starts in September.
    assert applications[month(2026, 2, 1)] > 1.15 * applications[month(2026, 4, 1)]
    assert applications[month(2026, 9, 1)] > 1.15 * applications[month(2026, 8, 1)]
    assert applications[month(2026, 9, 1)] > 1.15 * applications[month(2026, 10, 1)]
    # Slow growth: a year on, the same month has more.
    assert applications[month(2026, 5, 1)] > applications[month(2025, 5, 1)] > applications[month(2024, 5, 1)]


# --- An empty database -------------------------------------------------------------------------


def test_if_empty_seeds_an_empty_database(db):
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", "--complaints", "0", stdout=out)
    assert MonthlySubmission.objects.count() == 36 * 4 - 1
    assert "Demo-2026-sd" in out.getvalue()


def test_existing_accounts_are_left_alone(db):
    User.objects.create_user(username="staff", password="Own-Password-1", role=Role.REGULATOR_STAFF)
    out = io.StringIO()
    call_command("seed_demo", "--complaints", "0", stdout=out)
    staff = User.objects.get(username="staff")
    assert staff.check_password("Own-Password-1")
    assert User.objects.filter(username="staff").count() == 1
    assert User.objects.get(username="leader").check_password(demo.DEMO_PASSWORD)


def test_demo_orders_with_a_report_in_time_are_never_overdue(db, clock, client):
    """The reports behind the demo's orders are there, dated as the states: an order verified or
    awaiting verification is not overdue, nor late in the 整改按期完成率, at the seeding or
    days later; the home page lists the one order overdue without a report."""
    from supervision.casework.models import DeadlineOutcome, RectificationReport

    call_command("seed_demo", "--complaints", "0", stdout=io.StringIO())
    seeded_at = timezone.now()
    reports = list(RectificationReport.objects.select_related("order"))
    assert {r.order.state for r in reports} == {
        OrderState.VERIFIED,
        OrderState.REPORT_SUBMITTED,
        OrderState.RETURNED,
    }
    for report in reports:
        assert report.order.issued_at < report.submitted_at <= seeded_at
        assert report.decided_at is None or report.submitted_at < report.decided_at <= seeded_at
    # The order's state is its last report's decision.
    decisions = {"verified": "verified", "report_submitted": "pending", "returned": "returned"}
    for order in RectificationOrder.objects.filter(state__in=decisions):
        assert order.reports.order_by("-number").first().decision == decisions[order.state], order.title

    # At the seeding, and four days on (the submitted report's deadline, 3 days away, has passed).
    for now in (seeded_at, seeded_at + dt.timedelta(days=4)):
        orders = list(RectificationOrder.objects.with_overdue(now).with_deadline_outcome(now))
        for order in orders:
            if order.state in (OrderState.VERIFIED, OrderState.REPORT_SUBMITTED):
                assert not order.overdue, (now, order.title)
            if order.state == OrderState.VERIFIED:  # on time exactly when its report was in time
                in_time = order.reports.get(decision="verified").submitted_at <= order.deadline
                assert (order.outcome == DeadlineOutcome.ON_TIME) is in_time, order.title
        overdue = [o for o in orders if o.overdue]
        assert [(o.operator.code, o.state) for o in overdue] == [("CUCC", OrderState.ACKNOWLEDGED)]
        submitted = next(o for o in orders if o.state == OrderState.REPORT_SUBMITTED)
        assert submitted.outcome == (DeadlineOutcome.NOT_DUE if now == seeded_at else DeadlineOutcome.PENDING)
    # One verified order was rectified on time, the other reported after its deadline.
    verified = sorted(o.outcome for o in orders if o.state == OrderState.VERIFIED)
    assert verified == [DeadlineOutcome.LATE, DeadlineOutcome.ON_TIME]

    client.force_login(User.objects.get(username="staff"))
    home = client.get(reverse("control:home")).context
    assert [o.pk for o in home["overdue_orders"]] == [overdue[0].pk]


# --- A seeded database (seeded once for the class, rolled back afterwards) ----------------------


@pytest.fixture(scope="class")
def seeded(request, django_db_setup, django_db_blocker):
    """The command's output; the data stay until the class is done.

    Under ``--at`` the data are seeded at that instant, where each of the class's tests starts:
    set up before them, the fixture would otherwise see the clock run on from the session's start
    (at 2027-12-31 23:59, minutes later, the data would be of another month and year).
    """
    instant = session_instant(request.config)
    out = io.StringIO()
    with (
        time_machine.travel(instant, tick=True) if instant else contextlib.nullcontext(),
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        call_command("seed_demo", "--complaints", str(COMPLAINTS), stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
class TestSeededDemo:
    def test_each_demo_account_logs_in_with_the_demo_password(self, client):
        homes = {
            "staff": "/dashboard/",
            "leader": "/dashboard/",
            "cmcc": "/portal/",
            "cmcc_manager": "/portal/",
        }
        for username in DEMO_USERNAMES:
            response = client.post(reverse("login"), {"username": username, "password": demo.DEMO_PASSWORD})
            assert response.status_code == 302, username
            assert client.get("/").url == homes.get(username, "/portal/")
            client.logout()

    def test_one_demo_account_per_role_and_operator(self, client):
        accounts = {
            u.username: (u.role, u.operator.code if u.operator else None)
            for u in User.objects.filter(username__in=DEMO_USERNAMES).select_related("operator")
        }
        assert accounts == {
            "staff": (Role.REGULATOR_STAFF, None),
            "leader": (Role.REGULATOR_LEADER, None),
            "cmcc": (Role.OPERATOR_STAFF, "CMCC"),
            "cmcc_manager": (Role.OPERATOR_MANAGER, "CMCC"),
            "cucc": (Role.OPERATOR_STAFF, "CUCC"),
            "cucc_manager": (Role.OPERATOR_MANAGER, "CUCC"),
            "ctcc": (Role.OPERATOR_STAFF, "CTCC"),
            "cbn": (Role.OPERATOR_STAFF, "CBN"),
        }
        staff = User.objects.get(username="staff")
        assert staff.full_name == "王科长"
        assert staff.email == "staff@sdca.example.cn"
        client.force_login(staff)
        assert client.get("/admin/core/user/").status_code == 200
        client.force_login(User.objects.get(username="leader"))
        assert client.get("/admin/core/user/").status_code == 302  # not an admin

    def test_three_years_of_reports_with_the_last_month_unfinished(self):
        last = Period.last_complete().month
        rows = list(
            MonthlySubmission.objects.values_list("operator__code", "period__month", "version", "state")
        )
        months = sorted({month for _, month, _, _ in rows})
        assert len(months) == 36
        assert months[-1] == last
        assert months[0] == demo.add_months(last, -35)
        assert len(rows) == 36 * 4 - 1
        assert {version for _, _, version, _ in rows} == {1}
        assert {op: state for op, month, _, state in rows if month == last} == {
            "CMCC": SubmissionState.SUBMITTED,
            "CUCC": SubmissionState.SUBMITTED,
            "CTCC": SubmissionState.RETURNED,
        }
        assert {state for _, month, _, state in rows if month != last} == {SubmissionState.ACCEPTED}

    def test_most_reports_arrive_on_time_a_few_late(self):
        submissions = list(MonthlySubmission.objects.select_related("operator", "period"))
        last = Period.last_complete().month
        latest = {s.operator.code: s for s in submissions if s.period.month == last}
        assert latest["CMCC"].submitted_at <= latest["CMCC"].period.due_at
        assert latest["CUCC"].submitted_at > latest["CUCC"].period.due_at
        assert latest["CTCC"].return_comment
        older = [s for s in submissions if s.period.month != last]
        late = [s for s in older if s.submitted_at > s.period.due_at]
        assert 1 <= len(late) <= len(older) // 5
        assert all(s.receipt_no and s.narrative and s.decided_at > s.submitted_at for s in older)
        assert all(s.submitted_at <= timezone.now() for s in submissions)

    def test_every_city_figure_agrees_with_the_ledger(self):
        figures = {
            (op, month, city): received
            for op, month, city, received in CityFigures.objects.values_list(
                "submission__operator__code", "submission__period__month", "city__code", "complaints_received"
            )
        }
        ledger = {
            (row["operator__code"], row["month"], row["city__code"]): row["n"]
            for row in ComplaintRecord.objects.annotate(month=TruncMonth("received_on"))
            .values("operator__code", "month", "city__code")
            .annotate(n=Count("id"))
        }
        assert len(figures) == (36 * 4 - 1) * 16
        assert ledger == {key: received for key, received in figures.items() if received}
        assert COMPLAINTS <= sum(ledger.values()) <= COMPLAINTS * 1.05

    def test_figures_are_internally_consistent(self):
        figures = list(CityFigures.objects.select_related("submission__operator", "city"))
        for f in figures:
            assert f.port_out_completed + f.port_out_failed <= f.port_out_applications <= f.auth_code_requests
            failed = [
                f.failed_not_real_name,
                f.failed_arrears,
                f.failed_contract,
                f.failed_120_days,
                f.failed_other,
            ]
            assert sum(failed) == f.port_out_failed
            assert f.complaints_resolved <= f.complaints_received
            assert (f.avg_resolution_hours is not None) == (f.complaints_resolved > 0)
        subscribers = {}
        for f in figures:
            key = f.submission.operator.code
            subscribers[key] = subscribers.get(key, 0) + f.subscribers_10k
        assert max(subscribers, key=subscribers.get) == "CMCC"
        assert min(subscribers, key=subscribers.get) == "CBN"
        cmcc = {f.city.code: f.subscribers_10k for f in figures if f.submission.operator.code == "CMCC"}
        typical = statistics.median(cmcc.values())
        for big_city in ["370100", "370200", "370700", "371300"]:  # Jinan, Qingdao, Weifang, Linyi
            assert cmcc[big_city] > typical

    def test_complaints_are_resolved_within_twenty_days_and_never_in_the_future(self):
        today = timezone.localdate(timezone.now(), SHANGHAI)
        rows = list(
            ComplaintRecord.objects.values_list("received_on", "status", "resolved_on", "msisdn_masked")
        )
        resolved = [(received, done) for received, status, done, _ in rows if status == "RESOLVED"]
        assert len(resolved) > 0.9 * len(rows)
        assert all(1 <= (done - received).days <= 20 and done <= today for received, done in resolved)
        assert any(status == "OPEN" for _, status, _, _ in rows)
        assert all(re.fullmatch(r"1\d\d\*\*\*\*\d{4}", msisdn) for *_, msisdn in rows)

    def test_unicom_weifang_obstruction_complaints_spike_in_the_last_month(self):
        last = Period.last_complete().month
        bl1 = dict(
            ComplaintRecord.objects.filter(operator__code="CUCC", city__code="370700", category__code="BL1")
            .annotate(month=TruncMonth("received_on"))
            .values_list("month")
            .annotate(n=Count("id"))
        )
        before = [bl1.get(demo.add_months(last, -k), 0) for k in range(1, 7)]
        assert bl1[last] >= 3 * max(1, statistics.median(before))
        received = dict(
            CityFigures.objects.filter(submission__operator__code="CUCC", city__code="370700").values_list(
                "submission__period__month", "complaints_received"
            )
        )
        usual = statistics.median(received[demo.add_months(last, -k)] for k in range(1, 7))
        assert received[last] >= 2 * usual

    def test_an_overdue_order_and_every_order_state(self):
        orders = list(RectificationOrder.objects.prefetch_related("findings"))
        assert any(order.is_overdue for order in orders)
        # Every state a page shows; a withdrawn draft is left out of every list, so the demo has none.
        assert {order.state for order in orders} == set(OrderState.values) - {OrderState.WITHDRAWN}
        for order in orders:
            assert order.case_officer.username == "staff"
            assert order.findings.all(), order.title
            assert all(f.violation and f.operator_id == order.operator_id for f in order.findings.all())
            if order.state == OrderState.DRAFT:
                assert order.document_no is None
            else:
                assert re.fullmatch(r"鲁通管〔20\d\d〕\d+号", order.document_no)
            assert (order.closed_at is not None) == (order.state == OrderState.VERIFIED)

    def test_findings_are_mostly_published_some_with_violations(self):
        findings = list(
            InspectionFinding.objects.values_list("violation", "state", "clause__code", "severity")
        )
        violations = [f for f in findings if f[0]]
        assert 0.15 < len(violations) / len(findings) < 0.4
        assert all(clause and severity for _, _, clause, severity in violations)
        assert 0 < sum(state == "draft" for _, state, _, _ in findings) < len(findings) / 10

    def test_meetings_on_the_first_thursday_at_half_past_two(self):
        series = MeetingSeries.objects.get()
        assert series.rrule == "FREQ=MONTHLY;BYDAY=1TH"
        assert series.invited_operators.count() == 4
        now = timezone.now()
        meetings = list(series.meetings.order_by("recurrence_start"))
        for meeting in meetings:
            planned = meeting.recurrence_start.astimezone(SHANGHAI)
            assert (planned.weekday(), planned.hour, planned.minute) == (3, 14, 30)
            assert planned.day <= 7
        this_month = timezone.localdate(now, SHANGHAI).replace(day=1)
        assert meetings[0].recurrence_start.astimezone(SHANGHAI).date().replace(day=1) == demo.add_months(
            this_month, -12
        )
        past = [m for m in meetings if m.ends_at < now]
        assert len(past) >= 12
        assert all(m.state == MeetingState.CLOSED and m.minutes for m in past)
        coming = [m for m in meetings if m.starts_at > now]
        assert len(coming) == 3
        assert all(m.state == MeetingState.SCHEDULED for m in coming)

    def test_an_open_incident_in_weifang_and_task_forces(self):
        open_incident = Incident.objects.get(status=IncidentStatus.OPEN)
        assert (open_incident.operator.code, open_incident.city.code) == ("CUCC", "370700")
        assert 1000 <= open_incident.subscribers_affected <= 1400
        assert Incident.objects.filter(status=IncidentStatus.CLOSED, closed_at__isnull=False).exists()
        per_operator = dict(TaskForceMember.objects.values_list("operator__code").annotate(n=Count("id")))
        assert set(per_operator) == {"CMCC", "CUCC", "CTCC", "CBN"}
        assert all(3 <= n <= 5 for n in per_operator.values())

    def test_if_empty_adds_nothing_to_a_seeded_database(self):
        before = model_counts()
        out = io.StringIO()
        call_command("seed_demo", "--if-empty", stdout=out)
        assert model_counts() == before
        assert len(out.getvalue().strip().splitlines()) == 1

    def test_seeding_a_seeded_database_without_if_empty_is_refused(self):
        before = model_counts()
        with pytest.raises(CommandError):
            call_command("seed_demo", "--complaints", "10", stdout=io.StringIO())
        assert model_counts() == before

    def test_the_output_lists_the_log_ins(self, seeded):
        for username in DEMO_USERNAMES:
            assert re.search(rf"^{username}\s+Demo-2026-sd\s+\S", seeded, re.MULTILINE), username
        port = os.environ.get("PORT") or "8000"
        assert f"http://127.0.0.1:{port}/accounts/login/" in seeded
        assert "管局工作人员" in seeded and "Administration staff" in seeded
