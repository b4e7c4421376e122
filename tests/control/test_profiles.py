"""The operator and city pages: everything the administration knows about one of them."""

import datetime as dt
import itertools
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision.casework.models import (
    InspectionFinding,
    InterviewNotice,
    InterviewState,
    OrderState,
    RectificationOrder,
)
from supervision.core.models import City, Operator, Period, TaskForceMember, ViolationCategory
from supervision.reporting import submissions
from supervision.reporting.models import CityFigures, Incident

from .test_anomalies import OCTOBER, PREVIOUS, background, counts

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 28, 15, 0, tzinfo=SHANGHAI)
_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def fixed_now():
    with time_machine.travel(NOW, tick=False):
        yield


def report(operator, month, rows):
    """A certified monthly report: ``rows`` of (city, applications, completed)."""
    period = Period.objects.for_month(month.year, month.month)
    submission = submissions.create_version(Operator.objects.get(code=operator), period)
    CityFigures.objects.bulk_create(
        CityFigures(
            submission=submission,
            city=City.objects.get(code=city),
            auth_code_requests=applications * 2,
            port_out_applications=applications,
            port_out_completed=completed,
            port_out_failed=applications - completed,
            port_in_applications=completed,
            port_in_completed=completed,
            complaints_received=0,
            complaints_resolved=0,
        )
        for city, applications, completed in rows
    )
    due = dt.datetime.combine(period.last_day, dt.time(12), tzinfo=SHANGHAI)
    return submissions.submit(submission, at=due)


def casework(operator, city, n):
    """``n`` findings, orders, interviews, incidents and task-force members of one operator."""
    op = Operator.objects.get(code=operator)
    place = City.objects.get(code=city)
    clause = ViolationCategory.objects.get(code="BL1")
    for k in range(n):
        serial = next(_serial)
        InspectionFinding.objects.create(
            operator=op,
            city=place,
            visit_date=dt.date(2026, 10, 1) + dt.timedelta(days=k % 28),
            channel="STORE",
            method="COVERT",
            scenario=f"暗访场景 {serial}",
            violation=True,
            description=f"营业员称需先取消融合套餐 {serial}",
            clause=clause,
            severity="MAJOR",
            agency="山东某第三方测评机构",
            state="published",
            published_at=NOW - dt.timedelta(days=k + 1),
        )
        RectificationOrder.objects.create(
            operator=op,
            document_no=f"鲁通管〔2026〕{serial}号",
            title=f"整改通知 {serial}",
            requirements="限期整改",
            severity="MAJOR",
            deadline=NOW + dt.timedelta(days=3 - 5 * (k % 2)),  # 3 days left, or 2 days overdue
            state=OrderState.ISSUED,
            issued_at=NOW - dt.timedelta(days=10 + k),
        )
        InterviewNotice.objects.create(
            operator=op,
            document_no=None if k % 2 else f"鲁通约〔2026〕{serial}号",  # numbered once issued
            reason="潍坊市投诉激增",
            scheduled_at=NOW + dt.timedelta(days=5 + k),
            place="省通信管理局五楼约谈室",
            persons_required="分管副总经理",
            state=InterviewState.CONFIRMED if k % 2 else InterviewState.ISSUED,
        )
        Incident.objects.create(
            operator=op,
            title=f"授权码下发异常 {serial}",
            description="短信网关故障",
            city=place,
            since=NOW - dt.timedelta(days=3),
            measures="已切换备用网关",
            subscribers_affected=100 + k,
        )
        TaskForceMember.objects.create(
            operator=op,
            name=f"专员{serial}",
            duty="数据报送",
            phone="0531-1234567",
            email=f"m{serial}@example.cn",
        )


@pytest.fixture
def cmcc(db):
    """CMCC in October 2026: a report, a ledger, and one of each kind of casework."""
    submission = report("CMCC", OCTOBER, [("370100", 1000, 950), ("370700", 1000, 900)])
    counts("CMCC", "370100", "BL1", [5, 5, 5, 5, 5, 5, 12])
    counts("CMCC", "370700", "BL2", [3, 3, 3, 3, 3, 3, 4])
    casework("CMCC", "370700", 2)
    return submission


# --- The operator's page -------------------------------------------------------------------


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")


def test_operator_page_shows_its_indicators_per_month(client, regulator, cmcc):
    response = get(client, regulator, reverse("control:operator", args=["CMCC"]), month="2026-10")
    assert response.status_code == 200
    month, figures, note = response.context["indicator_rows"][0]
    assert note == ""  # CMCC's report counts
    assert month == OCTOBER
    by_code = {f.indicator.code: f for f in figures}
    assert by_code["port_out_success"].number == 92.5  # 1,850 of 2,000
    assert by_code["complaint_rate"].number == 80.0  # 16 complaints per 2,000 applications × 10,000
    assert by_code["reporting_completeness"].number == 100.0
    assert [m for m, _figures, _note in response.context["indicator_rows"]] == [
        dt.date(2026, 10, 1),
        *[dt.date(2026, m, 1) for m in range(9, 0, -1)],
        dt.date(2025, 12, 1),
        dt.date(2025, 11, 1),
    ]
    page = response.content.decode()
    assert '<span class="figure">92.5</span>%' in page
    assert "1850 / 2000" in page or "1,850 / 2,000" in page


def test_operator_page_counts_complaints_by_category_with_links(client, regulator, cmcc):
    response = get(client, regulator, reverse("control:operator", args=["CMCC"]), month="2026-10")
    table = response.context["complaints"]
    codes = [c.code for c in table.categories]
    month, cells, total = table.rows[0]
    assert month == OCTOBER
    assert (cells[codes.index("BL1")].number, cells[codes.index("BL2")].number, total.number) == (12, 4, 16)
    link = f"{reverse('control:complaints')}?operator=CMCC&amp;category=BL1&amp;month=2026-10"
    assert f'<a href="{link}">12</a>' in response.content.decode()
    assert [m for m, _cells, _total in table.rows][1:7] == PREVIOUS[::-1]


def test_operator_page_lists_casework_and_the_reporting_record(client, regulator, cmcc):
    response = get(client, regulator, reverse("control:operator", args=["CMCC"]), month="2026-10")
    page = response.content.decode()
    assert [o.days_left for o in response.context["open_orders"]] == [-2, 3]
    assert "overdue by 2 days" in page
    assert "3 days left" in page
    assert len(response.context["findings"]) == 2
    assert f"{reverse('control:findings')}?operator=CMCC" in page
    assert f"{reverse('control:orders')}?operator=CMCC" in page
    assert "授权码下发异常" in page
    assert "专员" in page
    month, cell = response.context["reporting"][-1]
    assert (month, cell.status, cell.submission_id) == (OCTOBER, "on_time", cmcc.pk)
    assert f'href="{reverse("control:submission", args=[cmcc.pk])}"' in page


def test_operator_timeline_merges_the_latest_events_newest_first(client, regulator, cmcc):
    response = get(client, regulator, reverse("control:operator", args=["CMCC"]), month="2026-10")
    events = response.context["timeline"]
    assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)
    assert {e.kind for e in events} == {"submission", "finding", "order", "interview", "incident"}
    submitted = next(e for e in events if e.kind == "submission")
    assert submitted.url == reverse("control:submission", args=[cmcc.pk])
    assert submitted.what == "Report 2026-10 submitted (version 1)"
    assert events[0].upcoming  # the interviews ahead come first


def test_operator_timeline_is_limited_to_30_events(client, regulator, db):
    casework("CUCC", "370700", 12)  # 12 × 5 events
    response = get(client, regulator, reverse("control:operator", args=["CUCC"]), month="2026-10")
    assert len(response.context["timeline"]) == 30


def test_unknown_operator_is_a_404(client, regulator, db):
    assert get(client, regulator, reverse("control:operator", args=["CXXX"])).status_code == 404


# --- The city's page -----------------------------------------------------------------------


def test_city_page_shows_each_operators_figures_in_the_city(client, regulator, cmcc):
    report("CUCC", OCTOBER, [("370700", 500, 400)])
    response = get(client, regulator, reverse("control:city", args=["370700"]), month="2026-10")
    assert response.status_code == 200
    codes = ["complaints", *(i.code for i in response.context["indicators"])]
    rows = {
        op.code: dict(zip(codes, figures, strict=True))
        for op, figures, _note in response.context["operator_rows"]
    }
    assert rows["CMCC"]["port_out_success"].number == 90.0  # Weifang only: 900 of 1,000
    assert rows["CMCC"]["complaints"].number == 4
    assert rows["CUCC"]["port_out_success"].number == 80.0
    assert rows["CTCC"]["port_out_success"].number is None
    assert "rectification_on_time" not in codes  # orders are not per city
    page = response.content.decode()
    assert '<span class="figure">90.0</span>%' in page
    assert f"{reverse('control:complaints')}?operator=CMCC&amp;city=370700&amp;month=2026-10" in page
    assert f"{reverse('control:complaints')}?city=370700" in page
    assert f'href="{reverse("control:operator", args=["CMCC"])}?month=2026-10"' in page


def test_city_page_lists_complaints_findings_and_spikes_of_the_city(client, regulator, cmcc):
    background("CUCC")
    counts("CUCC", "370700", "BL1", [4, 5, 3, 4, 6, 4, 20])
    counts("CUCC", "370200", "BL1", [4, 5, 3, 4, 6, 4, 20])  # another city's spike
    casework("CTCC", "370200", 1)  # another city's finding
    response = get(client, regulator, reverse("control:city", args=["370700"]), month="2026-10")
    spikes = response.context["spikes"]
    assert {(s.operator.code, s.city.code) for s in spikes} == {("CUCC", "370700")}
    assert {f.operator.code for f in response.context["findings"]} == {"CMCC"}
    table = response.context["complaints"]
    month, cells, total = table.rows[0]
    assert (month, total.number) == (OCTOBER, 24)  # CMCC's 4 and CUCC's 20
    page = response.content.decode()
    drilldown = (
        f"{reverse('control:complaints')}?operator=CUCC&amp;city=370700&amp;category=BL1&amp;month=2026-10"
    )
    assert drilldown in page


@pytest.mark.parametrize("code", ["371200", "abc", "37070", "3707000"])
def test_unknown_city_is_a_404(client, regulator, db, code):
    assert get(client, regulator, reverse("control:city", args=[code])).status_code == 404


# --- Bounded queries and permissions -------------------------------------------------------


def much_data():
    """Every operator reports every city for 12 months; a full ledger; plenty of casework."""
    cities = list(City.objects.values_list("code", flat=True))
    months = [dt.date(2025, 11, 1), dt.date(2025, 12, 1), *[dt.date(2026, m, 1) for m in range(1, 10)]]
    for operator in ("CMCC", "CUCC", "CTCC", "CBN"):
        for month in months:
            report(operator, month, [(city, 800, 760) for city in cities])
        for city in cities:
            counts(operator, city, "BL3", [2, 3, 4, 3, 2, 30, 40], channel="STORE")
        casework(operator, "370700" if operator != "CMCC" else "370100", 15)


@pytest.mark.parametrize(
    ("name", "code"), [("control:operator", "CMCC"), ("control:city", "370700"), ("control:anomalies", None)]
)
def test_page_query_count_does_not_grow_with_the_data(client, regulator, cmcc, name, code):
    client.force_login(regulator)
    url = reverse(name, args=[code] if code else [])
    client.get(url, {"month": "2026-10"})  # warm up: session
    with CaptureQueriesContext(connection) as little:
        assert client.get(url, {"month": "2026-10"}).status_code == 200
    much_data()
    with CaptureQueriesContext(connection) as much:
        response = client.get(url, {"month": "2026-10"})
    assert response.status_code == 200
    if name == "control:operator":
        assert len(response.context["timeline"]) == 30
        assert len(response.context["findings"]) == 17
    assert len(much) == len(little)


@pytest.mark.parametrize(("name", "code"), [("control:operator", "CUCC"), ("control:city", "370700")])
@pytest.mark.parametrize(
    ("role", "status"), [("regulator", 200), ("leader", 200), ("operator_a", 403), ("manager_a", 403)]
)
def test_only_the_administration_sees_the_pages(client, request, name, code, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(name, args=[code])).status_code == status


@pytest.mark.parametrize(("name", "code"), [("control:operator", "CMCC"), ("control:city", "370100")])
def test_anonymous_users_are_sent_to_log_in(client, db, name, code):
    response = client.get(reverse(name, args=[code]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_order_due_earlier_today_is_overdue_without_a_day_count(client, regulator, db):
    RectificationOrder.objects.create(
        operator=Operator.objects.get(code="CTCC"),
        title="整改通知",
        requirements="限期整改",
        severity="MINOR",
        deadline=NOW - dt.timedelta(hours=2),
        state=OrderState.ACKNOWLEDGED,
        issued_at=NOW - dt.timedelta(days=14),
    )
    response = get(client, regulator, reverse("control:operator", args=["CTCC"]), month="2026-10")
    assert [(o.overdue, o.days_left) for o in response.context["open_orders"]] == [(True, 0)]
    assert "Overdue since today" in response.content.decode()


def test_an_order_awaiting_verification_shows_its_state_not_negative_days(client, regulator, operator_a):
    """Its report came in by the deadline (3 days ago) and awaits verification: not overdue, and
    the page says so instead of "-3 days left"."""
    from supervision.casework.models import RectificationReport

    order = RectificationOrder.objects.create(
        operator=Operator.objects.get(code="CMCC"),
        title="整改通知",
        requirements="限期整改",
        severity="MAJOR",
        deadline=NOW - dt.timedelta(days=3),
        state=OrderState.REPORT_SUBMITTED,
        issued_at=NOW - dt.timedelta(days=20),
    )
    RectificationReport.objects.create(
        order=order, number=1, text="已整改", submitted_by=operator_a, submitted_at=NOW - dt.timedelta(days=4)
    )
    response = get(client, regulator, reverse("control:operator", args=["CMCC"]), month="2026-10")
    [item] = response.context["open_orders"]
    assert (item.overdue, item.awaiting_verification) == (False, True)
    assert response.context["overdue_count"] == 0
    page = response.content.decode()
    assert 'data-testid="awaiting-verification">Awaiting verification<' in page
    assert "-3 day" not in page and "table-danger" not in page
    client.force_login(operator_a)
    portal = client.get(reverse("portal:order", args=[order.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    days = portal.content.decode().split('data-testid="days-left">')[1].split("<")[0]
    assert days == "待验收"
