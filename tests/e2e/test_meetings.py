"""A consultation meeting's whole life, across roles, in a real Chromium against the live server.

The administration's staff create a monthly series (first Thursday, 14:30); the next meeting
suggests an overdue rectification order and an open major problem from the data; staff take both
into the agenda and publish it (the invitees get an invitation with a calendar file). CMCC's staff
proposes an item and names who will attend; staff accept the proposal, write the minutes with an
action item for CMCC and publish them; CMCC's staff marks the action item done.

As in test_monthly_reporting.py, everybody reads English (their profile language) and elements are
found by stable attributes (data-testid, name, value), never by Chinese labels.
"""

import datetime as dt
import re

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from supervision.casework.models import OrderState, RectificationOrder
from supervision.core.models import SHANGHAI, Operator
from supervision.meetings.models import ActionItem, ActionState, AgendaState, Meeting
from supervision.meetings.services import HORIZON_MONTHS
from supervision.reporting.models import Incident, IncidentState

# Runs at each of make test-dates' instants: the series starts from today and action items fall due.
pytestmark = pytest.mark.dates

MEETINGS = "/dashboard/meetings/"
PORTAL_MEETINGS = "/portal/meetings/"
TITLE = "携号转网工作会商会"
PROPOSAL = "统一客服热线携转答复口径"
GUEST = "孙主任, 市场部副总经理"
MINUTES = "一、通报携号转网工作情况。\n二、议定事项：\n- 中国移动报送逾期整改的原因分析"
ACTION = "报送逾期整改的原因分析"
DONE_NOTE = "已书面报送原因分析及整改计划。"


def first_thursday_after(day: dt.date) -> dt.date:
    """The first Thursday of the month after ``day``'s."""
    first = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7)


def monthly_starts(first_day: dt.date, now: dt.datetime) -> list[dt.date]:
    """The first Thursdays from ``first_day`` whose 14:30 falls within the horizon: the series
    page lists the occurrences up to HORIZON_MONTHS (six) months from now (at the test's default
    instant, 20 November 2026 10:00, the six from 3 December 2026 to 6 May 2027)."""
    horizon = now + relativedelta(months=HORIZON_MONTHS)
    starts, day = [], first_day
    while dt.datetime.combine(day, dt.time(14, 30), tzinfo=SHANGHAI) <= horizon:
        starts.append(day)
        day = first_thursday_after(day)
    return starts


@pytest.fixture
def people(live_regulator, live_operator_staff, live_operator_manager):
    for user in (live_regulator, live_operator_staff, live_operator_manager):
        user.language = "en"
        user.save(update_fields=["language"])
    return live_regulator, live_operator_staff, live_operator_manager


@pytest.fixture
def data(people):
    """What the suggestions are made of: CMCC's overdue order and CUCC's open major problem."""
    now = timezone.now()
    order = RectificationOrder.objects.create(
        operator=Operator.objects.get(code="CMCC"),
        document_no="鲁通管〔2026〕31号",
        title="整改营业厅携出告知不全",
        requirements="补充告知受影响业务。",
        severity="MAJOR",
        deadline=now - dt.timedelta(days=3),
        state=OrderState.ACKNOWLEDGED,
    )
    incident = Incident.objects.create(
        operator=Operator.objects.get(code="CUCC"),
        title="潍坊地区授权码下发异常",
        description="授权码短信未下发。",
        since=now - dt.timedelta(days=1),
        subscribers_affected=1200,
        measures="已开通人工受理通道。",
        state=IncidentState.REPORTED,
    )
    return order, incident


def log_in(page, login, user):
    login(page, user.username)
    expect(page.locator("html")).to_have_attribute("lang", "en")


def log_out(page, live_url):
    page.locator("form[action='/accounts/logout/'] button[type=submit]").click()
    expect(page).to_have_url(live_url("/accounts/login/"))


def meeting_from_url(page) -> Meeting:
    match = re.search(r"/meetings/(\d+)/", page.url)
    assert match, page.url
    return Meeting.objects.get(pk=int(match.group(1)))


# --- Administration staff ----------------------------------------------------------------------


def create_monthly_series(page, live_url, first_day: dt.date):
    page.goto(live_url(MEETINGS))
    page.get_by_test_id("new-series").click()
    form = page.get_by_test_id("series-form")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("input[name=first_date]").fill(first_day.isoformat())
    form.locator("input[name=start_time]").fill("14:30")
    form.locator("select[name=pattern]").select_option("monthly_weekday")
    form.locator("input[name=place]").fill("省通信管理局三楼会议室")
    # Every operator is invited by default.
    expect(form.locator("input[name=invited_operators]:checked")).to_have_count(4)
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("rrule")).to_have_text("FREQ=MONTHLY;BYDAY=1TH")
    occurrences = page.get_by_test_id("occurrence")
    expect(occurrences).to_have_count(len(monthly_starts(first_day, timezone.now())))
    expect(occurrences.first).to_have_attribute("data-start", first_day.isoformat())


def take_suggestions(page, order, incident):
    suggestions = page.get_by_test_id("suggestions")
    expect(suggestions.locator(f"[data-key='order:{order.pk}']")).to_be_visible()
    expect(suggestions.locator(f"[data-key='incident:{incident.pk}']")).to_be_visible()
    for key in (f"order:{order.pk}", f"incident:{incident.pk}"):
        page.get_by_test_id("suggestions").locator(f"[data-key='{key}'] button[type=submit]").click()
        # Taken: it leaves the suggestions and joins the agenda.
        expect(page.get_by_test_id("suggestions").locator(f"[data-key='{key}']")).to_have_count(0)
    items = page.get_by_test_id("agenda").get_by_test_id("agenda-item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text(order.title)
    expect(items.nth(1)).to_contain_text(incident.title)


def publish_agenda(page):
    page.get_by_test_id("publish-agenda").click()
    expect(page.get_by_test_id("agenda-time")).to_contain_text("Published on")


def accept_proposal(page):
    proposal = page.get_by_test_id("proposals").get_by_test_id("proposal")
    expect(proposal).to_contain_text(PROPOSAL)
    proposal.get_by_test_id("accept-proposal").click()
    expect(page.get_by_test_id("agenda").get_by_test_id("agenda-item")).to_have_count(3)
    expect(page.get_by_test_id("attendance").locator("[data-operator='CMCC']")).to_contain_text("孙主任")


def write_minutes_with_an_action_item(page, due: dt.date):
    page.get_by_test_id("minutes-link").click()
    page.get_by_test_id("minutes-form").locator("textarea[name=minutes]").fill(MINUTES)
    page.get_by_test_id("minutes-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("minutes").locator("li")).to_have_text("中国移动报送逾期整改的原因分析")
    form = page.get_by_test_id("action-form")
    form.locator("input[name=title]").fill(ACTION)
    form.locator("select[name=operator]").select_option(str(Operator.objects.get(code="CMCC").pk))
    form.locator("input[name=due_on]").fill(due.isoformat())
    form.locator("button[type=submit]").click()
    item = page.get_by_test_id("action-items").get_by_test_id("action-item")
    expect(item).to_have_count(1)
    expect(item).to_have_attribute("data-state", ActionState.OPEN)
    page.get_by_test_id("publish-minutes").click()
    expect(page.locator("main .alert-success")).to_be_visible()


# --- Operator staff ------------------------------------------------------------------------------


def open_meeting_in_portal(page, live_url, meeting):
    page.goto(live_url(PORTAL_MEETINGS))
    page.get_by_test_id("upcoming").locator(f"a[href='{PORTAL_MEETINGS}{meeting.pk}/']").click()
    expect(page).to_have_url(live_url(f"{PORTAL_MEETINGS}{meeting.pk}/"))


def propose_item(page):
    page.get_by_test_id("propose-item").click()
    form = page.get_by_test_id("proposal-form")
    form.locator("input[name=title]").fill(PROPOSAL)
    form.locator("textarea[name=details]").fill("建议管局组织统一口径。")
    form.locator("input[name=presenter]").fill("张专员")
    form.locator("input[name=planned_minutes]").fill("15")
    form.locator("button[type=submit]").click()
    proposal = page.get_by_test_id("proposals").get_by_test_id("proposal")
    expect(proposal).to_have_attribute("data-state", AgendaState.PROPOSED)
    expect(proposal).to_contain_text(PROPOSAL)


def name_attendees(page, staff, manager):
    page.get_by_test_id("answer-attendance").click()
    form = page.get_by_test_id("attendance-form")
    form.locator(f"input[name=attendees][value='{staff.pk}']").check()
    form.locator(f"input[name=attendees][value='{manager.pk}']").check()
    form.locator("textarea[name=others]").fill(GUEST)
    form.locator("button[type=submit]").click()
    ours = page.get_by_test_id("our-attendance")
    for name in (staff.full_name, manager.full_name, "孙主任"):
        expect(ours).to_contain_text(name)


def mark_action_item_done(page, live_url):
    page.goto(live_url(f"{PORTAL_MEETINGS}action-items/"))
    page.get_by_test_id("open-items").get_by_test_id("action-item").locator("a").click()
    page.get_by_test_id("done-form").locator("textarea[name=note]").fill(DONE_NOTE)
    page.get_by_test_id("mark-done").click()
    with_state = page.get_by_test_id("action-state")
    expect(with_state).to_have_text("Done")
    expect(page.get_by_test_id("done-form")).to_have_count(0)


# --- The flow ----------------------------------------------------------------------------------


def test_a_consultation_meeting_from_series_to_done_action_item(
    page, live_url, login, people, data, eager_tasks, clock
):
    regulator, staff, manager = people
    order, incident = data
    # The clock is pinned (``clock``: 20 November 2026 10:00, or ``--at``): the series starts on
    # the first Thursday of the next month and the number of meetings follows from that date.
    first_day = first_thursday_after(timezone.localdate(clock, SHANGHAI))

    # 1. Staff create the series, open its next meeting, take two suggestions, publish the agenda.
    log_in(page, login, regulator)
    create_monthly_series(page, live_url, first_day)
    page.get_by_test_id("occurrence").first.locator("a").click()
    meeting = meeting_from_url(page)
    take_suggestions(page, order, incident)
    publish_agenda(page)
    log_out(page, live_url)

    invitation = next(m for m in mail.outbox if m.to == [staff.email])
    calendar = Calendar.from_ical(
        next(c for c, t in invitation.alternatives if t.startswith("text/calendar"))
    )
    assert str(calendar["METHOD"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]).startswith(f"meeting-{meeting.uid}@")
    assert event.decoded("DTSTART") == dt.datetime.combine(first_day, dt.time(14, 30), tzinfo=SHANGHAI)

    # 2. CMCC's staff reads the agenda, proposes an item and names who will attend.
    log_in(page, login, staff)
    open_meeting_in_portal(page, live_url, meeting)
    # Its own overdue order's item only: CUCC's major problem is for CUCC and the administration.
    expect(page.get_by_test_id("agenda").get_by_test_id("agenda-item")).to_have_count(1)
    propose_item(page)
    name_attendees(page, staff, manager)
    log_out(page, live_url)

    # 3. Once the meeting has begun (minutes and attendance are recorded only then), staff accept
    # the proposal, write the minutes with an action item for CMCC, publish them.
    held = dt.datetime.combine(first_day, dt.time(15, 0), tzinfo=SHANGHAI)
    with time_machine.travel(held, tick=True):
        log_in(page, login, regulator)
        page.goto(live_url(f"{MEETINGS}{meeting.pk}/"))
        expect(page.get_by_test_id("not-answered")).not_to_contain_text(
            Operator.objects.get(code="CMCC").short_en
        )
        accept_proposal(page)
        write_minutes_with_an_action_item(page, first_day + dt.timedelta(days=14))
        log_out(page, live_url)

        # 4. CMCC's staff reads the minutes and marks its action item done.
        log_in(page, login, staff)
        open_meeting_in_portal(page, live_url, meeting)
        expect(page.get_by_test_id("minutes")).to_contain_text("通报携号转网工作情况")
        mark_action_item_done(page, live_url)

    action = ActionItem.objects.get()
    assert (action.state, action.operator.code, action.done_by, action.done_note) == (
        ActionState.DONE,
        "CMCC",
        staff,
        DONE_NOTE,
    )
    minutes_mail = [m for m in mail.outbox if m.subject.startswith("Minutes:")]
    assert sorted(m.to[0] for m in minutes_mail) == sorted([regulator.email, staff.email, manager.email])
