"""The portal's home page leads each operator user to their work: the manager to the versions to
certify (on the page with the button), the reporting staff to a returned report with its reason,
today's meeting, the action items; never another operator's; a friendly line when nothing waits;
every section a link; the same number of queries however much waits."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision.core.dates import SHANGHAI
from supervision.core.models import Operator, Period
from supervision.meetings import services as meetings
from supervision.meetings.models import MeetingSeries
from supervision.reporting import submissions
from supervision.reporting.models import SubmissionState

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)
# The home page's queries for the reporting staff: session and user (2), the operator (1); the work
# queue (8: returned reports, the months to file (2), major problems, orders, commitments, action
# items, meetings to answer); the reports, open orders, overdue count, interviews, major problems,
# meetings and the last complete month (7). No query per row.
PORTAL_HOME_QUERIES = 18


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def certify(version, *, manager):
    """The manager's certification as it is recorded (``submissions.certify`` without its mail
    and its attestation form)."""
    return submissions.submit(version, certified_by=manager)


def stored(code="CMCC", label="2026-10"):
    version = submissions.create_version(Operator.objects.get(code=code), Period.objects.from_label(label))
    version.state = SubmissionState.AWAITING_CERTIFICATION
    version.save(update_fields=["state"])
    return version


def work(html: str) -> str:
    return re.search(r'<section[^>]*data-testid="work-queue".*?</section>', html, re.S).group(0)


@pytest.fixture
def series(regulator):
    """A monthly meeting series with CMCC invited, its first meeting today at 14:30."""
    series = MeetingSeries(
        title="携号转网工作会商会",
        rrule="FREQ=MONTHLY",
        first_start=dt.datetime(2026, 11, 20, 14, 30, tzinfo=SHANGHAI),
        duration_minutes=120,
        place="省通信管理局三楼会议室",
    )
    return meetings.create_series(
        series, invited_operators=[Operator.objects.get(code="CMCC")], user=regulator
    )


def test_the_manager_is_led_to_the_page_where_the_certify_button_is(client, manager_a, operator_b):
    version = stored()
    client.force_login(manager_a)
    queue = work(client.get(reverse("portal:home")).content.decode())
    link = reverse("portal:submission", args=[version.pk])
    assert "待确认报送的月报" in queue and f'href="{link}"' in queue
    page = client.get(link).content.decode()
    assert reverse("portal:submission_certify", args=[version.pk]) in page

    client.force_login(operator_b)  # another operator's staff: nothing of CMCC's
    assert link not in client.get(reverse("portal:home")).content.decode()


def test_the_manager_with_nothing_to_do_reads_a_friendly_line(client, manager_a):
    client.force_login(manager_a)
    queue = work(client.get(reverse("portal:home")).content.decode())
    assert 'data-testid="queue-empty"' in queue and "目前没有待办事项" in queue


def test_a_returned_report_reads_with_its_reason(client, operator_a, manager_a, regulator):
    version = certify(stored(), manager=manager_a)
    submissions.return_to_operator(version, user=regulator, comment="潍坊市携出申请数与台账不符")
    client.force_login(operator_a)
    html = client.get(reverse("portal:home")).content.decode()
    assert "已退回：潍坊市携出申请数与台账不符" in work(html)
    assert 'data-testid="return-reason"' in html  # in the list of reports too
    assert f'href="{reverse("portal:submission", args=[version.pk])}"' in html


def test_todays_meeting_is_on_the_home_page_and_the_invitation_to_answer(
    client, operator_a, regulator, series
):
    meeting = series.meetings.order_by("starts_at").first()
    meetings.add_item(meeting, title="十一月携转情况通报", user=regulator)
    meetings.publish_agenda(meeting, user=regulator)
    client.force_login(operator_a)
    html = client.get(reverse("portal:home")).content.decode()
    link = f'href="{reverse("portal:meeting", args=[meeting.pk])}"'
    assert "待回复的会议" in work(html) and link in work(html)
    cards = html[html.index('id="meet-heading"') :]
    assert link in cards and "今天" in cards


def test_every_section_is_a_link(client, operator_a):
    client.force_login(operator_a)
    html = client.get(reverse("portal:home")).content.decode()
    for name in (
        "portal:submissions",
        "portal:orders",
        "portal:meetings",
        "portal:interviews",
        "portal:incidents",
    ):
        assert f'href="{reverse(name)}"' in html


def test_the_home_page_takes_the_same_queries_however_much_waits(
    client, operator_a, regulator, series, django_assert_max_num_queries
):
    client.force_login(operator_a)
    url = reverse("portal:home")
    client.get(url)  # warm up: the session
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    cmcc = Operator.objects.get(code="CMCC")
    for meeting in series.meetings.order_by("starts_at")[:4]:
        meetings.add_item(meeting, title="携转情况通报", user=regulator)
        meetings.publish_agenda(meeting, user=regulator)
        for n in range(4):
            meetings.add_action_item(
                meeting, title=f"事项 {n}", due_on=dt.date(2026, 12, 1 + n), operator=cmcc, user=regulator
            )
    with django_assert_max_num_queries(PORTAL_HOME_QUERIES) as many:
        page = client.get(url)
    counts = {q.key: q.count for q in page.context["queues"]}
    assert counts["meetings.action_items"] == 16 and counts["meetings.to_answer"] == 4
    assert len(many) == len(few)
