"""Every list page of both faces takes the same number of queries with few rows or many.

The walk goes over the URL patterns of the two faces (``control:`` and ``portal:``). Each
parameter-free page is either a list, in ``LISTS`` (who opens it, how its rows are made, the most
queries it may take), or in ``NOT_LISTS`` with the reason it shows no rows that grow with the
data. A new page in neither makes ``test_every_page_of_the_faces_is_classified`` fail: say which
it is. Each list is then opened with N rows and with 3N rows of what it lists: the count must
not change, and must stay at or under its pinned maximum (raise the pin only for a query that
does not depend on the rows, and say which in its comment).
"""

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse

from supervision.briefings.models import Briefing
from supervision.casework import findings, interviews, orders, records
from supervision.core import access
from supervision.core.dates import SHANGHAI
from supervision.core.models import (
    City,
    Operator,
    Period,
    PersonalDataUse,
    TaskForceMember,
    ViolationCategory,
)
from supervision.meetings import services as meeting_services
from supervision.meetings.models import MeetingSeries
from supervision.reminders.models import Occasion
from supervision.reporting import incidents
from supervision.reporting.models import ComplaintMonthly, ComplaintRecord, Incident, MonthlySubmission
from tests.conftest import make_user

# Saturday 28 November 2026, 10:00 in Jinan: October is the last complete month.
NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI)
N = 2  # rows in the small world; the large one has 3N
_serial = itertools.count(1)


# --- The rows of each list, added n at a time -----------------------------------------------


def _operator(code="CMCC") -> Operator:
    return Operator.objects.get(code=code)


def _cities() -> list[City]:
    return list(City.objects.order_by("code"))


def _finding(world, operator="CMCC"):
    cities = _cities()
    finding = findings.create_finding(
        user=world.regulator,
        operator=_operator(operator),
        city=cities[next(_serial) % len(cities)],
        visit_date=dt.date(2026, 9, 3),
        channel="STORE",
        site="潍坊市新华路营业厅",
        method="MYSTERY_SHOPPER",
        scenario="咨询携号转网条件并申请授权码",
        violation=True,
        description="营业厅要求缴纳协议违约金后才可办理携出",
        clause=ViolationCategory.objects.get(code="BL2"),
        severity="SEVERE",
        agency="山东某第三方测评机构",
    )
    evidence = SimpleUploadedFile(
        "现场照片.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )
    findings.add_evidence(finding, [evidence], user=world.regulator)  # a problem is published with it
    findings.publish_finding(finding, user=world.regulator)
    finding.refresh_from_db()
    return finding


def add_findings(world, n):
    for _ in range(n):
        _finding(world)


def add_orders(world, n):
    for _ in range(n):
        finding = _finding(world)
        order = orders.create_order(
            user=world.regulator,
            operator=finding.operator,
            title="关于违规限制携号转网问题的整改通知",
            requirements="一、立即停止违规行为；",
            findings=[finding],
        )
        orders.issue_order(order, user=world.regulator)


def add_interviews(world, n):
    for _ in range(n):
        notice = interviews.create_interview(
            user=world.regulator,
            operator=_operator(),
            scheduled_at=NOW + dt.timedelta(days=7),
            place="省通信管理局五楼约谈室",
            reason="设限阻挠携号转网，整改逾期未报。",
            persons_required="公司分管副总经理",
            administration_attendees="王科长",
        )
        interviews.issue_interview(notice, user=world.regulator)


def add_records(world, n):
    for _ in range(n):
        finding = _finding(world)
        records.create_record(
            user=world.regulator,
            operator=finding.operator,
            findings=[finding],
            kind="notice",
            date=dt.date(2026, 10, 9),
            title="关于携号转网违规问题的通报",
            summary="通报批评",
        )


def add_complaints(world, n):
    cities = _cities()
    ComplaintRecord.objects.bulk_create(
        ComplaintRecord(
            operator=_operator(("CMCC", "CUCC")[k % 2]),
            complaint_no=f"TS-{next(_serial):06d}",
            received_on=dt.date(2026, 10, 3),
            city=cities[k % len(cities)],
            channel="MIIT",
            category=ViolationCategory.objects.get(code="BL1"),
            summary="营业员称需先取消融合套餐",
            status="OPEN",
        )
        for k in range(n)
    )


def add_incidents(world, n):
    cities = _cities()
    for k in range(n):
        incident = Incident(
            title=f"核心网故障{next(_serial)}",
            description="授权码短信无法下发",
            city=cities[k % len(cities)],
            since=NOW - dt.timedelta(hours=3),
            measures="切换备用通道",
        )
        incidents.report(incident, operator=_operator(), user=world.operator_user)


def add_access_entries(world, n):
    for _ in range(n):
        user = make_user(f"reader{next(_serial)}", "regulator_staff")
        access.record(user, PersonalDataUse.COMPLAINT_EXPORT, filters={"operator": "CMCC"}, rows=3)


def add_mail(world, n):
    for _ in range(n):
        user = make_user(f"recipient{next(_serial)}", "regulator_staff")
        Occasion.objects.create(
            rule="order_deadline", object_key=f"order:{next(_serial)}:", recipient=user, on_date=NOW.date()
        )


def add_task_force_members(world, n):
    for k in range(n):
        for code in ("CMCC", "CUCC"):
            TaskForceMember.objects.create(
                operator=_operator(code),
                name=f"成员{k}",
                duty="联络员",
                phone="0531-88888888",
                email=f"m{next(_serial)}@example.cn",
            )


def add_document_recipients(world, n):
    """Per operator, a manager and a designated contact (through a reporting staff's account)."""
    for _ in range(n):
        for code in ("CMCC", "CUCC", "CTCC", "CBN"):
            k = next(_serial)
            make_user(f"manager{k}", "operator_manager", code)
            staff = make_user(f"contact{k}", "operator_staff", code)
            TaskForceMember.objects.create(
                operator=_operator(code), name=f"联络员{k}", duty="联络员", phone="0531-88888888",
                email=f"c{k}@example.cn", account=staff, receives_documents=True,
            )  # fmt: skip


def add_circulated_briefings(world, n):
    """Circulated briefings (listed in every portal) and orders issued to CMCC."""
    add_orders(world, n)
    done = Briefing.objects.count()
    for k, label in enumerate(_periods[done : done + n]):
        Briefing.objects.create(
            period=Period.objects.from_label(label),
            version=1,
            state="circulated",
            document_no=f"鲁通管通〔2026〕{done + k + 1}号",
            circulated_at=NOW,
        )


_periods = [f"2026-{m:02d}" for m in range(10, 0, -1)]


def add_submissions(world, n):
    """Certified reports of CMCC and CUCC, one period after another back from October."""
    done = MonthlySubmission.objects.count()
    for k in range(done, done + n):
        MonthlySubmission.objects.create(
            operator=_operator(("CMCC", "CUCC")[k % 2]),
            period=Period.objects.from_label(_periods[k // 2]),
            version=1,
            state="submitted",
            created_by=world.operator_user,
            certified_by=world.operator_user,
            submitted_at=NOW - dt.timedelta(days=k + 1),
            receipt_no=f"RC-{next(_serial)}",
        )


def add_spikes(world, n):
    """A jump in one city's complaints in October, after a quiet September: one spike per city
    (and its all-categories line)."""
    done = ComplaintMonthly.objects.filter(month=dt.date(2026, 10, 1)).count()
    category = ViolationCategory.objects.get(code="BL1")
    for city in _cities()[done : done + n]:
        for month, received in ((dt.date(2026, 9, 1), 1), (dt.date(2026, 10, 1), 20)):
            ComplaintMonthly.objects.create(
                operator=_operator(),
                city=city,
                category=category,
                channel="MIIT",
                month=month,
                received=received,
            )


def add_briefings(world, n):
    done = Briefing.objects.count()
    for label in _periods[done : done + n]:
        Briefing.objects.create(
            period=Period.objects.from_label(label), version=1, created_by=world.regulator
        )


def add_meetings(world, n):
    """A series inviting CMCC (its meetings materialised) and an open action item for CMCC."""
    for k in range(n):
        series = meeting_services.create_series(
            MeetingSeries(
                title=f"会商会{next(_serial)}",
                rrule="FREQ=MONTHLY;BYDAY=1TH",
                first_start=dt.datetime(2026, 12, 3, 14, 30, tzinfo=SHANGHAI) - dt.timedelta(days=28 * k),
                duration_minutes=120,
                place="省通信管理局三楼会议室",
            ),
            invited_operators=[_operator(), _operator("CUCC")],
            user=world.regulator,
        )
        meeting = series.meetings.order_by("starts_at").first()
        meeting_services.add_action_item(
            meeting,
            title="报送整改材料",
            operator=_operator(),
            due_on=dt.date(2026, 12, 20),
            user=world.regulator,
        )


def add_audited_changes(world, n):
    """Recorded changes: a finding made and published leaves its history and audit entries."""
    add_findings(world, n)


# --- The registry -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ListCase:
    who: str  # "regulator" or "operator": which face's user opens it
    add: Callable  # add(world, n): n more rows of what the page lists
    max_queries: int  # pinned: the most queries the page may take, whatever the rows


LISTS: dict[str, ListCase] = {
    # The administration's face
    "control:task_forces": ListCase("regulator", add_task_force_members, 4),
    "control:mail_log": ListCase("regulator", add_mail, 15),
    "control:reporting": ListCase("regulator", add_submissions, 20),
    "control:anomalies": ListCase("regulator", add_spikes, 7),
    "control:complaints": ListCase("regulator", add_complaints, 7),
    "control:findings": ListCase("regulator", add_findings, 7),
    "control:orders": ListCase("regulator", add_orders, 5),
    "control:incidents": ListCase("regulator", add_incidents, 6),
    "control:access_log": ListCase("regulator", add_access_entries, 5),
    "control:interviews": ListCase("regulator", add_interviews, 5),
    "control:records": ListCase("regulator", add_records, 4),
    # A published finding carries its evidence: its case file is one more kind of change audited.
    "control:audit": ListCase("regulator", add_audited_changes, 21),
    "control:meetings": ListCase("regulator", add_meetings, 6),
    "control:briefings": ListCase("regulator", add_briefings, 6),
    "control:distribution": ListCase("regulator", add_document_recipients, 6),
    # The operators' face (CMCC's staff)
    "portal:task_force": ListCase("operator", add_task_force_members, 7),
    "portal:submissions": ListCase("operator", add_submissions, 6),
    "portal:incidents": ListCase("operator", add_incidents, 4),
    "portal:findings": ListCase("operator", add_findings, 5),
    "portal:orders": ListCase("operator", add_orders, 5),
    "portal:interviews": ListCase("operator", add_interviews, 5),
    "portal:records": ListCase("operator", add_records, 8),
    "portal:meetings": ListCase("operator", add_meetings, 7),
    "portal:action_items": ListCase("operator", add_meetings, 6),
    "portal:documents": ListCase("operator", add_circulated_briefings, 6),
}

# Parameter-free pages that are not lists, and why.
NOT_LISTS: dict[str, str] = {
    "control:home": "the dashboard: indicator cards and short lists capped at 3 to 10 rows",
    "portal:home": "the operator's start page: its own short lists (tests/portal)",
    "control:charts": "charts of fixed series (months × operators), drawn from the monthly counts",
    "control:city_matrix": "a fixed grid: the 16 cities × the operators for one month",
    "portal:checks": "the published catalogue of upload checks, from the code, not the database",
    "control:calendar_address": "the user's own calendar address",
    "portal:calendar_address": "the user's own calendar address",
    "control:calendar_reset": "a button (POST)",
    "control:calendar_revoke": "a button (POST)",
    "portal:calendar_reset": "a button (POST)",
    "portal:calendar_revoke": "a button (POST)",
    "control:finding_new": "a form",
    "control:inspection_upload": "a form",
    "control:order_new": "a form",
    "control:interview_new": "a form",
    "control:record_new": "a form",
    "control:meeting_series_new": "a form",
    "control:meeting_new": "a form",
    "control:briefing_create": "a form (POST)",
    "portal:task_force_add": "a form",
    "portal:submission_new": "a form",
    "portal:ledger_upload": "a form",
    "portal:incident_new": "a form",
}


def face_pages() -> set[str]:
    """The names of the parameter-free pages of both faces, as the URLconf has them now."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif namespace in ("control", "portal") and pattern.name and not pattern.pattern.regex.groupindex:
                yield f"{namespace}:{pattern.name}"

    return set(walk(get_resolver().url_patterns, None))


def test_every_page_of_the_faces_is_classified():
    pages = face_pages()
    unclassified = sorted(pages - LISTS.keys() - NOT_LISTS.keys())
    assert not unclassified, (
        "New pages in the faces: add each to LISTS in tests/test_list_queries.py (with how to make "
        f"its rows) or to NOT_LISTS (with why it shows no rows): {unclassified}"
    )
    assert not (LISTS.keys() & NOT_LISTS.keys())
    assert not (LISTS.keys() | NOT_LISTS.keys()) - pages, "entries for pages that are gone"


# --- The walk -----------------------------------------------------------------------------------


@dataclass
class World:
    regulator: object
    operator_user: object


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with time_machine.travel(NOW, tick=False):
        regulator = make_user("list_regulator", "regulator_staff", can_administer_users=True)
        operator_user = make_user("list_operator", "operator_staff", "CMCC")
        Period.last_complete()
        yield World(regulator=regulator, operator_user=operator_user)


def opened(client, url) -> tuple[int, int]:
    """The queries the page takes, and the length of what it shows."""
    client.get(url)  # warm up: the session, the periods a page creates on first use
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), len(response.content)


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_list_takes_as_many_queries_with_many_rows_as_with_few(client, world, name):
    case = LISTS[name]
    client.force_login(world.regulator if case.who == "regulator" else world.operator_user)
    url = reverse(name)
    case.add(world, N)
    few, few_shown = opened(client, url)
    case.add(world, 2 * N)
    many, many_shown = opened(client, url)
    assert many_shown > few_shown, f"{name}: the rows added are not on the page; make ones it lists"
    assert many == few, f"{name}: {few} queries with {N} rows, {many} with {3 * N}: a query per row"
    assert many <= case.max_queries, f"{name}: {many} queries, pinned at {case.max_queries}"
