"""The dashboard's major problems (重大问题): the list, open ones first with the time since each was
reported, filtered by operator and state; the page of one, with its timeline and the staff's
review (ask for more, close) as the table allows; leadership reads."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision.core.models import Operator
from supervision.reporting import incidents
from supervision.reporting.models import Incident, IncidentState

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def local(year, month, day, hour=9, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


NOW = local(2026, 11, 23, 14, 45)


def report(operator_code, title, at, user):
    operator = Operator.objects.get(code=operator_code)
    with time_machine.travel(at, tick=False):
        return incidents.report(
            Incident(title=title, description="-", since=at - dt.timedelta(hours=1), measures="-"),
            operator=operator,
            user=user,
        )


@pytest.fixture
def world(operator_a, operator_b, regulator):
    """CMCC's open problem (reported 3 days 5 hours before NOW), CMCC's recovered one, CUCC's
    closed one."""
    open_one = report("CMCC", "潍坊授权码短信下发异常", local(2026, 11, 20, 9, 45), operator_a)
    recovered = report("CMCC", "济南携入用户无法主叫", local(2026, 11, 21, 8, 0), operator_a)
    with time_machine.travel(local(2026, 11, 22, 8, 0), tick=False):
        incidents.recover(
            recovered,
            user=operator_a,
            recovered_at=local(2026, 11, 22, 6, 0),
            cause="路由数据同步中断。",
            measures="增加告警。",
        )
    closed = report("CUCC", "青岛割接导致短信延迟", local(2026, 11, 1, 22, 0), operator_b)
    with time_machine.travel(local(2026, 11, 2, 8, 0), tick=False):
        incidents.recover(
            closed,
            user=operator_b,
            recovered_at=local(2026, 11, 2, 5, 0),
            cause="队列配置错误。",
            measures="回退版本。",
        )
    with time_machine.travel(local(2026, 11, 3, 4, 0), tick=False):
        incidents.close(closed, user=regulator, text="同意结案。")
    return {"open": open_one, "recovered": recovered, "closed": closed}


@pytest.fixture
def at_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def _titles(response):
    return [row.record.title for row in response.context["table"].page.object_list]


def test_the_list_shows_open_ones_first_with_the_time_since_reported(client, regulator, world, at_now):
    client.force_login(regulator)
    response = client.get(reverse("control:incidents"))
    assert response.status_code == 200
    # Open first, the longest open at the top; the closed after them.
    assert _titles(response) == ["潍坊授权码短信下发异常", "济南携入用户无法主叫", "青岛割接导致短信延迟"]
    page = response.content.decode()
    assert "已报告 3 天 5 小时" in page
    assert "历时 1 天 6 小时 结案" in page
    assert reverse("control:incident", args=[world["open"].pk]) in page
    assert "3 个重大问题符合筛选条件" in page.replace("共 ", "")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"operator": "CUCC"}, ["青岛割接导致短信延迟"]),
        ({"state": "open"}, ["潍坊授权码短信下发异常", "济南携入用户无法主叫"]),
        ({"state": "recovered"}, ["济南携入用户无法主叫"]),
        ({"state": "closed", "operator": "CMCC"}, []),
        ({"month": "2026-11", "q": "潍坊"}, ["潍坊授权码短信下发异常"]),
    ],
)
def test_the_list_filters_by_operator_and_state(client, regulator, world, at_now, query, expected):
    client.force_login(regulator)
    assert _titles(client.get(reverse("control:incidents"), query)) == expected


def test_the_list_downloads_every_row(client, regulator, world, at_now):
    client.force_login(regulator)
    response = client.get(reverse("control:incidents"), {"export": "csv", "state": "closed"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode(
        "utf-8-sig"
    )
    assert "青岛割接导致短信延迟" in text and "潍坊" not in text


def test_the_list_takes_the_same_queries_however_many_rows(
    client, regulator, operator_a, at_now, django_assert_max_num_queries
):
    client.force_login(regulator)
    for n in range(3):
        report("CMCC", f"问题 {n}", local(2026, 11, 10 + n, 9, 0), operator_a)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("control:incidents"))
    for n in range(30):
        report("CMCC", f"更多问题 {n}", local(2026, 10, 1, 9, n), operator_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("control:incidents"))
    assert len(response.context["table"].page.object_list) == 33


def test_the_menu_leads_to_the_list(client, regulator, at_now):
    client.force_login(regulator)
    assert reverse("control:incidents") in client.get(reverse("control:home")).content.decode()


def test_the_page_shows_the_timeline_and_the_review_the_table_allows(client, regulator, world, at_now):
    client.force_login(regulator)
    response = client.get(reverse("control:incident", args=[world["recovered"].pk]))
    page = response.content.decode()
    assert response.context["allowed"] == {"ask_more", "close"}
    assert 'data-testid="close-form"' in page and 'data-testid="ask-more-form"' in page
    assert 'data-kind="recovery"' in page and "路由数据同步中断。" in page
    # Not recovered yet: the staff may ask for more, not close.
    response = client.get(reverse("control:incident", args=[world["open"].pk]))
    assert response.context["allowed"] == {"ask_more"}
    assert 'data-testid="close-form"' not in response.content.decode()
    assert "已报告 3 天 5 小时" in response.content.decode()


def test_leadership_reads_without_buttons_and_cannot_post(client, leader, world, at_now):
    client.force_login(leader)
    response = client.get(reverse("control:incident", args=[world["recovered"].pk]))
    assert response.status_code == 200
    assert response.context["allowed"] == set()
    assert "<form" not in response.content.decode().split('data-testid="actions"')[1].split("</div>")[0]
    assert client.post(reverse("control:incident_close", args=[world["recovered"].pk])).status_code == 403


def test_staff_close_a_recovered_major_problem(client, regulator, world, at_now):
    client.force_login(regulator)
    url = reverse("control:incident_close", args=[world["recovered"].pk])
    response = client.post(url, {"close-text": "核查属实，同意结案。"})
    assert response.status_code == 302
    world["recovered"].refresh_from_db()
    assert (world["recovered"].state, world["recovered"].closed_by) == (IncidentState.CLOSED, regulator)
    page = client.get(reverse("control:incident", args=[world["recovered"].pk])).content.decode()
    assert "该重大问题已结案。" in page and "核查属实，同意结案。" in page


def test_a_refused_review_says_why_and_changes_nothing(client, regulator, world, at_now):
    client.force_login(regulator)
    response = client.post(reverse("control:incident_close", args=[world["open"].pk]), {"close-text": ""})
    assert response.status_code == 400
    assert response.context["refusal"] == "当前无法对此重大问题结案：状态为“已报告”。"
    response = client.post(
        reverse("control:incident_ask_more", args=[world["open"].pk]), {"ask_more-text": ""}
    )
    assert response.status_code == 400
    assert response.context["ask_more_form"].errors
    world["open"].refresh_from_db()
    assert world["open"].state == IncidentState.REPORTED


def test_staff_ask_for_more(client, regulator, world, at_now):
    client.force_login(regulator)
    response = client.post(
        reverse("control:incident_ask_more", args=[world["open"].pk]),
        {"ask_more-text": "请补充受影响用户数。"},
    )
    assert response.status_code == 302
    page = client.get(reverse("control:incident", args=[world["open"].pk])).content.decode()
    assert 'data-testid="more-info"' in page and "请补充受影响用户数。" in page
