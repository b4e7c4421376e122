"""``seed_demo``: what a person trying the site with the demo data would notice."""

import datetime as dt
import io
import os
import re
import statistics
from dataclasses import dataclass

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from supervision.casework import findings as finding_service
from supervision.casework import orders as order_service
from supervision.casework.models import (
    CaseEvent,
    DeadlineKind,
    DeadlineOutcome,
    EventKind,
    InspectionFinding,
    InterviewNotice,
    OrderState,
    RectificationOrder,
    RectificationReport,
    Severity,
)
from supervision.core import distribution
from supervision.core.models import (
    SHANGHAI,
    AuditEntry,
    City,
    DocumentSequence,
    Operator,
    Period,
    Role,
    TaskForceMember,
    User,
)
from supervision.demo import accounts, province
from supervision.meetings import services as meeting_services
from supervision.meetings.models import MeetingSeries, MeetingState
from supervision.reminders.models import Occasion, OccasionState
from supervision.reporting.models import (
    CityFigures,
    ComplaintRecord,
    Incident,
    IncidentState,
    MonthlySubmission,
    SubmissionState,
)
from tests.conftest import session_instant

# Runs at each of make test-dates' instants: the demo data end with the last complete month.
pytestmark = pytest.mark.dates

COMPLAINTS = 3000
DEMO_USERNAMES = [
    "staff",
    "leader",
    "cmcc",
    "cmcc_manager",
    "cucc",
    "cucc_manager",
    "ctcc",
    "ctcc_manager",
    "cbn",
    "cbn_manager",
]
# The order's states in the order a case goes through them, and the timeline event of each.
STATE_EVENTS = {
    OrderState.ISSUED: EventKind.ISSUED,
    OrderState.ACKNOWLEDGED: EventKind.ACKNOWLEDGED,
    OrderState.REPORT_SUBMITTED: EventKind.REPORT_SUBMITTED,
    OrderState.RETURNED: EventKind.REPORT_RETURNED,
    OrderState.VERIFIED: EventKind.VERIFIED,
    OrderState.ESCALATED: EventKind.ESCALATED,
}


def model_counts():
    models = [User, MonthlySubmission, CityFigures, ComplaintRecord, InspectionFinding, RectificationOrder]
    return {model.__name__: model.objects.count() for model in models}


# --- Without a database: the plan -------------------------------------------------------------


def test_the_plan_is_reproducible_from_its_seed():
    october = dt.date(2026, 10, 1)
    first = province.build_plan(seed=1, complaints=5000, last_month=october)
    again = province.build_plan(seed=1, complaints=5000, last_month=october)
    other = province.build_plan(seed=2, complaints=5000, last_month=october)
    assert first.cells == again.cells
    assert first.cells != other.cells


def test_the_plan_has_the_asked_number_of_complaints_plus_the_spike():
    plan = province.build_plan(seed=1, complaints=100_000, last_month=dt.date(2026, 10, 1))
    spike = sum(cell.spike for cell in plan.cells.values())
    assert 0 < spike < 2_000
    assert plan.total_complaints() == 100_000 + spike


def test_porting_peaks_at_the_spring_festival_and_in_september():
    plan = province.build_plan(seed=1, complaints=5000, last_month=dt.date(2026, 10, 1))
    applications = {month: plan.province_totals(t)["apps"] for t, month in enumerate(plan.months)}
    month = dt.date
    # The Spring Festival of 2026 fell on 17 February; school starts in September.
    assert applications[month(2026, 2, 1)] > 1.15 * applications[month(2026, 4, 1)]
    assert applications[month(2026, 9, 1)] > 1.15 * applications[month(2026, 8, 1)]
    assert applications[month(2026, 9, 1)] > 1.15 * applications[month(2026, 10, 1)]
    # Slow growth: a year on, the same month has more.
    assert applications[month(2026, 5, 1)] > applications[month(2025, 5, 1)] > applications[month(2024, 5, 1)]


# --- A seeded database (seeded once for the class, rolled back afterwards) ----------------------


@dataclass
class Seeded:
    output: str  # what the command printed
    at: dt.datetime  # when it finished


@pytest.fixture(scope="class")
def seeded(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The command run on an empty database; the data stay until the class is done.

    The data are seeded at the instant where each of the class's tests starts (``--at``'s, or
    else the default: the file is marked ``dates``): set up before them, the fixture would
    otherwise see the session's clock, which runs on (at 2027-12-31 23:59, minutes later, the data
    would be of another month and year) or is today's.
    """
    out = io.StringIO()
    with (
        time_machine.travel(session_instant(request.config), tick=True),
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
        ),
        transaction.atomic(),
    ):
        call_command("seed_demo", "--if-empty", "--complaints", str(COMPLAINTS), stdout=out)
        yield Seeded(out.getvalue(), timezone.now())
        transaction.set_rollback(True)


# One xdist worker takes the whole class (make test runs with --dist loadgroup): spread over two,
# each would seed the demo (15 s of CPU).
@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
@pytest.mark.xdist_group("seeded_demo")
class TestSeededDemo:
    def test_each_demo_account_logs_in_with_the_demo_password(self, client):
        homes = {
            "staff": "/dashboard/",
            "leader": "/dashboard/",
            "cmcc": "/portal/",
            "cmcc_manager": "/portal/",
        }
        for username in DEMO_USERNAMES:
            response = client.post(
                reverse("login"), {"username": username, "password": accounts.DEMO_PASSWORD}
            )
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
            "ctcc_manager": (Role.OPERATOR_MANAGER, "CTCC"),
            "cbn": (Role.OPERATOR_STAFF, "CBN"),
            "cbn_manager": (Role.OPERATOR_MANAGER, "CBN"),
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
        assert months[0] == province.add_months(last, -35)
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
        before = [bl1.get(province.add_months(last, -k), 0) for k in range(1, 7)]
        assert bl1[last] >= 3 * max(1, statistics.median(before))
        received = dict(
            CityFigures.objects.filter(submission__operator__code="CUCC", city__code="370700").values_list(
                "submission__period__month", "complaints_received"
            )
        )
        usual = statistics.median(received[province.add_months(last, -k)] for k in range(1, 7))
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
        assert meetings[0].recurrence_start.astimezone(SHANGHAI).date().replace(day=1) == province.add_months(
            this_month, -12
        )
        past = [m for m in meetings if m.ends_at < now]
        assert len(past) >= 12
        assert all(m.state == MeetingState.CLOSED and m.minutes for m in past)
        # The held ones went the way the pages lead: agenda and minutes published, then closed.
        assert all(m.agenda_published_at < m.starts_at < m.minutes_published_at <= m.closed_at for m in past)
        assert all(m.action_items.exists() for m in past)
        # The scheduler keeps the occurrences six months ahead, as it does every day in real use.
        coming = [m for m in meetings if m.starts_at > now]
        assert 5 <= len(coming) <= 6
        assert coming[-1].starts_at <= meeting_services.horizon_end(now)
        assert all(m.state == MeetingState.SCHEDULED for m in coming)
        # The next one: two operators have answered, China Telecom proposes an item.
        assert coming[0].invitations.filter(answered_at__isnull=False).count() == 2
        assert coming[0].agenda_items.filter(operator__code="CTCC", state="proposed").exists()

    def test_an_open_incident_in_weifang_and_task_forces(self):
        open_incident = Incident.objects.get(state=IncidentState.REPORTED)
        assert (open_incident.operator.code, open_incident.city.code) == ("CUCC", "370700")
        assert 1000 <= open_incident.subscribers_affected <= 1400
        assert [u.kind for u in open_incident.updates.all()] == ["follow_up", "follow_up"]
        # Told through the service: the staff were mailed at the report, the audit trail has each step.
        assert Occasion.objects.filter(
            object_key=f"incident:{open_incident.pk}:reported", state="sent"
        ).exists()
        awaiting = Incident.objects.get(state=IncidentState.RECOVERED)
        assert [u.kind for u in awaiting.updates.all()] == ["recovery", "more_info", "follow_up"]
        closed = Incident.objects.get(state=IncidentState.CLOSED)
        assert closed.closed_at is not None and closed.closed_by.username == "staff"
        assert [u.kind for u in closed.updates.all()] == ["follow_up", "recovery", "close"]
        assert AuditEntry.objects.filter(content_type__model="incident").count() == 3 + 4 + 4
        per_operator = dict(TaskForceMember.objects.values_list("operator__code").annotate(n=Count("id")))
        assert set(per_operator) == {"CMCC", "CUCC", "CTCC", "CBN"}
        assert all(3 <= n <= 5 for n in per_operator.values())

    def test_every_operator_has_a_manager_to_receive_official_documents(self):
        lists = {entry.operator.code: entry for entry in distribution.lists()}
        assert set(lists) == {"CMCC", "CUCC", "CTCC", "CBN"}
        for code, entry in lists.items():
            assert [r.user.username for r in entry.recipients] == [f"{code.lower()}_manager"], code
            assert entry.recipients[0].why == distribution.MANAGER and entry.recipients[0].user.email

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
        output = seeded.output
        for username in DEMO_USERNAMES:
            assert re.search(rf"^{username}\s+Demo-2026-sd\s+\S", output, re.MULTILINE), username
        port = os.environ.get("PORT") or "8000"
        assert f"http://127.0.0.1:{port}/accounts/login/" in output
        assert "管局工作人员" in output and "Administration staff" in output

    # -- the casework, as the services left it ----------------------------------------------------

    def test_every_issued_order_has_its_timeline_and_its_deadline_history(self):
        """Each step of an order is a line of its timeline, at the moment of the step, by the
        person who took it; each deadline it had is in its history, the first set at its issue."""
        orders = RectificationOrder.objects.exclude(state=OrderState.DRAFT).select_related("operator")
        assert orders.count() == 8
        for order in orders:
            events = list(order.events.order_by("at", "pk"))
            kinds = [e.kind for e in events if e.kind != EventKind.EMAIL]
            assert kinds[:2] == [EventKind.CREATED, EventKind.ISSUED], order.title
            state_events = [kind for kind in kinds if kind in STATE_EVENTS.values()]
            assert state_events[-1] == STATE_EVENTS[order.state], order.title
            issued = next(e for e in events if e.kind == EventKind.ISSUED)
            assert issued.at == order.issued_at
            assert issued.data["document_no"] == order.document_no
            assert all(e.at <= timezone.now() for e in events)
            # Who did what: the operator acknowledges and reports, the case officer does the rest.
            for event in events:
                if event.kind in (
                    EventKind.ACKNOWLEDGED,
                    EventKind.REPORT_SUBMITTED,
                    EventKind.EXTENSION_ASKED,
                ):
                    assert event.actor.operator_id == order.operator_id, (order.title, event.kind)
                elif event.kind != EventKind.EMAIL:
                    assert event.actor.username == "staff", (order.title, event.kind)
            # The mail of the issue reached the operator's people, and the timeline says so.
            mails = [e for e in events if e.kind == EventKind.EMAIL and e.data["mail"] == "order_issued"]
            assert len(mails) == 1 and len(mails[0].data["to"]) == 2, order.title

            deadlines = list(order.deadlines.all())
            assert deadlines[0].kind == DeadlineKind.INITIAL, order.title
            assert deadlines[0].set_at == order.issued_at
            assert deadlines[0].deadline.isoformat() == issued.data["deadline"]
            assert deadlines[-1].deadline == order.deadline
            assert [d.kind for d in deadlines[1:]] == [DeadlineKind.EXTENSION] * (len(deadlines) - 1)
        # One order had its deadline extended at its operator's request, another's request refused.
        extended = [o for o in orders if o.deadlines.count() == 2]
        assert [(o.operator.code, o.state) for o in extended] == [("CTCC", OrderState.ACKNOWLEDGED)]
        assert sorted(orders.values_list("extensions__state", flat=True).exclude(extensions=None)) == [
            "granted",
            "refused",
        ]

    def test_the_document_numbers_run_in_the_order_of_issue_and_the_next_order_takes_the_next(self):
        """Orders and interview notices share one sequence per year: the demo's take 1, 2, 3… in
        the order they were issued, and an order issued after the seeding the next one."""
        issued = sorted(
            [(o.issued_at, o.document_no) for o in RectificationOrder.objects.exclude(document_no=None)]
            + [(n.issued_at, n.document_no) for n in InterviewNotice.objects.exclude(document_no=None)]
        )
        assert len(issued) == 8 + 3
        by_year = {}
        for when, number in issued:
            year = when.astimezone(SHANGHAI).year
            by_year.setdefault(year, []).append(number)
        for year, numbers in by_year.items():
            assert numbers == [f"鲁通管〔{year}〕{seq}号" for seq in range(1, len(numbers) + 1)]
            assert DocumentSequence.objects.get(series="casework", year=year).last == len(numbers)

        staff = User.objects.get(username="staff")
        operator = Operator.objects.get(code="CMCC")
        finding = finding_service.create_finding(
            user=staff,
            operator=operator,
            city=City.objects.get(code="370100"),
            visit_date=timezone.localdate(timezone.now(), SHANGHAI),
            channel="store",
            method="covert",
            scenario="营业厅咨询携号转网条件",
            violation=True,
            description="营业员拒绝受理授权码申请",
            clause=InspectionFinding.objects.filter(violation=True).first().clause,
            severity=Severity.MINOR,
            agency="山东省通信管理局暗访组",
        )
        evidence = SimpleUploadedFile(
            "现场照片.pdf",
            b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            content_type="application/pdf",
        )
        finding_service.add_evidence(finding, [evidence], user=staff)
        finding = finding_service.publish_finding(finding, user=staff)
        order = order_service.create_order(
            user=staff, operator=operator, title="新的整改通知", requirements="立即整改。", findings=[finding]
        )
        order = order_service.issue_order(order, user=staff)
        year = order.issued_at.astimezone(SHANGHAI).year
        assert order.document_no == f"鲁通管〔{year}〕{len(by_year.get(year, [])) + 1}号"

    def test_orders_verified_or_awaiting_verification_are_not_overdue(self, seeded, client):
        """The reports behind the demo's orders are there, dated as the states: an order verified or
        awaiting verification is not overdue, nor late in the 整改按期完成率, at the seeding or
        days later; the home page lists the one order overdue without a report."""
        seeded_at = seeded.at
        reports = list(RectificationReport.objects.select_related("order"))
        assert {r.order.state for r in reports} == {
            OrderState.VERIFIED,
            OrderState.REPORT_SUBMITTED,
            OrderState.RETURNED,
        }
        for report in reports:
            assert report.order.issued_at < report.submitted_at <= seeded_at
            assert report.decided_at is None or report.submitted_at < report.decided_at <= seeded_at
            assert report.files.count() == 1  # the report's PDF, as the rules ask
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
            assert submitted.outcome == (
                DeadlineOutcome.NOT_DUE if now == seeded_at else DeadlineOutcome.PENDING
            )
        # One verified order was rectified on time, the other reported after its deadline.
        verified = sorted(o.outcome for o in orders if o.state == OrderState.VERIFIED)
        assert verified == [DeadlineOutcome.LATE, DeadlineOutcome.ON_TIME]

        client.force_login(User.objects.get(username="staff"))
        home = client.get(reverse("control:home")).context
        assert [o.pk for o in home["overdue_orders"]] == [overdue[0].pk]

    def test_interviews_in_every_state_and_the_held_ones_commitments_kept(self):
        notices = {
            n.operator.code: n for n in InterviewNotice.objects.select_related("operator", "confirmed_by")
        }
        assert {code: n.state for code, n in notices.items()} == {
            "CTCC": "held",
            "CUCC": "issued",
            "CBN": "confirmed",
            "CMCC": "draft",
        }
        for code in ("CTCC", "CBN"):  # confirmed by the operator's manager
            assert notices[code].confirmed_by.username == f"{code.lower()}_manager"
        held = notices["CTCC"]
        assert held.orders.get().state == OrderState.ESCALATED
        commitments = list(held.commitments.all())
        assert len(commitments) == 3 and {c.state for c in commitments} == {"verified"}
        kinds = list(held.events.order_by("at", "pk").values_list("kind", flat=True))
        assert kinds.count(EventKind.COMMITMENT_RETURNED) == 1

    def test_findings_have_their_timeline_and_every_mail_is_recorded_sent(self):
        published = InspectionFinding.objects.exclude(state="draft")
        assert (
            CaseEvent.objects.filter(finding__in=published, kind=EventKind.PUBLISHED).count()
            == published.count()
        )
        for finding in published.order_by("?")[:20]:
            *steps, publishing = finding.events.exclude(kind=EventKind.EMAIL).order_by("at", "pk")
            created = steps[0]
            # A problem found is published with its evidence (the inspection record) attached.
            evidence = [EventKind.FILE_ADDED] if finding.violation else []
            assert [e.kind for e in steps] + [publishing.kind] == [
                EventKind.CREATED,
                *evidence,
                EventKind.PUBLISHED,
            ]
            assert created.at == finding.created_at < publishing.at == finding.published_at
            assert finding.files.filter(response=None).count() == len(evidence)
        occasions = Occasion.objects.all()
        assert occasions.filter(rule="casework.finding_published").count() >= published.count()
        assert not occasions.exclude(state=OccasionState.SENT).exists()
        for occasion in occasions.order_by("?")[:50]:
            assert occasion.subject
            assert occasion.created_at == occasion.sent_at
            assert timezone.localtime(occasion.sent_at, SHANGHAI).date() == occasion.on_date
