"""The dashboard's home page leads each user to their work: what waits for them first (core.queues),
each item a link to its page; a friendly line when nothing does; every figure and card below a
link to its rows; the same number of queries however much waits."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision.briefings import services as briefings
from supervision.core import instructions
from supervision.core.dates import SHANGHAI
from supervision.core.models import Operator, Period
from supervision.reporting import submissions

from .test_home import HOME_QUERIES

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)
LABELS = ["2026-07", "2026-08", "2026-09", "2026-10"]


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def certified(code="CMCC", label="2026-10"):
    version = submissions.create_version(Operator.objects.get(code=code), Period.objects.from_label(label))
    return submissions.submit(version)


def work(html: str) -> str:
    """The page's work-queue section."""
    return re.search(r'<section[^>]*data-testid="work-queue".*?</section>', html, re.S).group(0)


def test_the_staff_see_what_waits_for_them_first_each_a_link(client, regulator, leader):
    report = certified()
    instruction = instructions.give(report, user=leader, text="请核实潍坊市数据")
    client.force_login(regulator)
    html = client.get(reverse("control:home")).content.decode()
    queue = work(html)
    assert html.index('data-testid="work-queue"') < html.index('data-testid="indicator-cards"')
    assert "待审核的月报" in queue and "待签收的领导批示" in queue
    assert f'href="{reverse("control:submission", args=[report.pk])}"' in queue
    assert "李局长：请核实潍坊市数据" in queue
    assert f'href="{reverse("control:reporting")}"' in queue  # the kind's heading: all of them

    instructions.acknowledge(instruction, user=regulator)
    submissions.accept(report, user=regulator)
    queue = work(client.get(reverse("control:home")).content.decode())
    assert 'data-testid="queue-empty"' in queue
    assert "目前没有待办事项" in queue


def test_leadership_sees_briefings_to_approve_and_its_instructions(client, leader, regulator):
    client.force_login(leader)
    queue = work(client.get(reverse("control:home")).content.decode())
    assert "目前没有待您签发或批示的事项" in queue

    draft = briefings.start(Period.objects.from_label("2026-10"), user=regulator)
    instructions.give(draft, user=leader, text="第三部分请补充典型案例")
    queue = work(client.get(reverse("control:home")).content.decode())
    assert "待签发的通报" in queue and "您的批示（尚未签收）" in queue
    assert queue.count(f'href="{reverse("control:briefing", args=[draft.pk])}"') == 2
    assert "待审核的月报" not in queue  # the staff's work, not leadership's


def test_every_figure_and_card_is_a_link(client, regulator):
    client.force_login(regulator)
    html = client.get(reverse("control:home") + "?month=2026-10").content.decode()
    orders, incidents = reverse("control:orders"), reverse("control:incidents")
    assert f'href="{orders}?operator=CMCC&amp;state=open"' in html
    assert f'href="{orders}?operator=CMCC&amp;overdue=yes"' in html
    assert f'href="{incidents}?operator=CMCC&amp;state=open"' in html
    assert f'href="{orders}?overdue=yes"' in html  # the red card's heading
    assert f'href="{reverse("control:operator", args=["CMCC"])}"' in html
    for name in ("control:interviews", "control:meetings"):
        assert f'href="{reverse(name)}"' in html


def test_the_open_orders_figure_lists_exactly_the_open_orders(client, regulator):
    client.force_login(regulator)
    response = client.get(reverse("control:orders") + "?operator=CMCC&state=open")
    assert response.status_code == 200


def test_the_home_page_takes_the_same_queries_however_much_waits(
    client, regulator, leader, django_assert_max_num_queries
):
    client.force_login(regulator)
    url = reverse("control:home") + "?month=2026-10"
    report = certified()
    instructions.give(report, user=leader, text="请核实")
    client.get(url)  # warm up: the session, the content types
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for code in ("CUCC", "CTCC", "CBN"):
        for label in LABELS:
            instructions.give(certified(code, label), user=leader, text=f"{code} {label} 请核实")
    for label in LABELS[:3]:
        certified("CMCC", label)
    with django_assert_max_num_queries(HOME_QUERIES) as many:
        page = client.get(url)
    queue = next(q for q in page.context["queues"] if q.key == "reporting.to_accept")
    assert (queue.count, len(queue.items)) == (16, 10)
    assert "另有 6 项" in work(page.content.decode())
    assert len(many) == len(few)
