"""The reminders of consultation meetings (``supervision/meetings/reminders.py``): a meeting (a
week and a day before, to the invited operators) and an action item (before and after its due
day), at their boundaries in Asia/Shanghai time. The meeting pages of both faces show the
reminders sent and pending for the meeting and for each action item; an operator sees only those
addressed to its own people; the query count does not grow with the number of action items."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision.core.models import SHANGHAI
from supervision.meetings import services
from supervision.meetings.models import ActionItem, ActionState, Invitation, Meeting, MeetingSeries
from supervision.reminders.models import Occasion, OccasionState
from tests.reminders.helpers import dated_mails, make_cbn_staff

# The clock stands at 28 November 2026, 10:00 (``frozen``); the meeting is on 3 December 14:30.
MEETING_DAY = "2026-12-03"


def section(page: str, testid: str = "reminders") -> str:
    """The part of the page from ``data-testid=<testid>`` to the end of its section."""
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("</section>", start)]


def sent(object_key, recipient, day, rule, **extra):
    return Occasion.objects.create(
        rule=rule, object_key=object_key, recipient=recipient, on_date=day, state=OccasionState.SENT,
        sent_at=dt.datetime.combine(day, dt.time(8, 3), tzinfo=SHANGHAI), **extra,
    )  # fmt: skip


def get(client, user, name, pk=None):
    client.force_login(user)
    response = client.get(reverse(name, args=[pk] if pk else []), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(("face", "name"), [("control", "control:meeting"), ("portal", "portal:meeting")])
def test_the_meeting_page_shows_its_sent_and_next_reminders(
    client, regulator, operator_a, meeting, face, name
):
    sent(f"meeting:{meeting.pk}:{MEETING_DAY}", operator_a, dt.date(2026, 11, 26), "meeting")
    # A mail about the meeting that is not a dated reminder (the event-mail outbox): shown too.
    sent(f"meeting:{meeting.pk}:invitation:1", operator_a, dt.date(2026, 11, 20), "meetings.invitation",
         subject="会商会邀请")  # fmt: skip
    # Another object whose key merely begins alike: not shown.
    sent(f"meeting:{meeting.pk}0:{MEETING_DAY}", operator_a, dt.date(2026, 11, 19), "meeting")
    response = get(client, regulator if face == "control" else operator_a, name, meeting.pk)
    assert response.context["reminders"]["upcoming"] == [dt.date(2026, 12, 2)]  # the day before
    reminders = section(response.content.decode())
    assert "2026-11-26 08:03" in reminders and "张专员" in reminders
    assert "2026-11-20" in reminders
    assert "2026-11-19" not in reminders
    assert "2026-12-02" in reminders


@pytest.mark.parametrize(("face", "name"), [("control", "control:meeting"), ("portal", "portal:meeting")])
def test_a_cancelled_meeting_and_a_done_action_item_show_no_upcoming_reminders(
    client, regulator, operator_a, meeting, cmcc, face, name
):
    open_item = services.add_action_item(
        meeting, title="核查潍坊营业厅", operator=cmcc, due_on=dt.date(2026, 12, 20), user=regulator
    )
    done_item = services.add_action_item(
        meeting, title="报送自查报告", operator=cmcc, due_on=dt.date(2026, 12, 5), user=regulator
    )
    services.complete_action_item(done_item, user=operator_a, note="已报送")
    sent(f"action:{done_item.pk}:2026-12-05", operator_a, dt.date(2026, 12, 2), "action_item")
    sent(f"meeting:{meeting.pk}:{MEETING_DAY}", operator_a, dt.date(2026, 11, 26), "meeting")
    services.cancel(meeting, reason="改期", user=regulator)

    response = get(client, regulator if face == "control" else operator_a, name, meeting.pk)
    assert response.context["reminders"]["upcoming"] == []
    assert "2026-11-26" in section(response.content.decode())
    items = {item.pk: item.reminders for item in response.context["action_items"]}
    # Open: 3 days before, the day after, then weekly; done: what was sent, nothing upcoming.
    assert items[open_item.pk]["upcoming"] == [
        dt.date(2026, 12, 17),
        dt.date(2026, 12, 21),
        dt.date(2026, 12, 28),
    ]
    assert items[done_item.pk]["upcoming"] == []
    # Beside the mail that told the operator of the item (``meetings.action_item_assigned``).
    assert [o.on_date for o in items[done_item.pk]["recorded"] if o.rule == "action_item"] == [
        dt.date(2026, 12, 2)
    ]
    page = response.content.decode()
    assert "2026-12-17, 2026-12-21, 2026-12-28" in page
    assert "2026-12-02 08:03" in page


def test_the_portal_action_item_list_and_page_show_their_reminders(
    client, operator_a, meeting, cmcc, regulator
):
    item = services.add_action_item(
        meeting, title="核查潍坊营业厅", operator=cmcc, due_on=dt.date(2026, 12, 20), user=regulator
    )
    sent(f"action:{item.pk}:2026-12-20", operator_a, dt.date(2026, 11, 27), "action_item")
    listing = get(client, operator_a, "portal:action_items").content.decode()
    open_items = listing[listing.index('data-testid="open-items"') : listing.index("</table>")]
    assert "2026-12-17, 2026-12-21, 2026-12-28" in open_items
    assert "2026-11-27" in open_items and "张专员" in open_items
    detail = section(get(client, operator_a, "portal:action_item", item.pk).content.decode())
    assert "2026-12-17, 2026-12-21, 2026-12-28" in detail
    assert "2026-11-27 08:03" in detail


def test_an_operator_does_not_see_another_operators_recipients(
    client, regulator, operator_a, operator_b, meeting, cmcc, cucc
):
    """CMCC and CUCC are both invited: each sees the reminders to its own people only."""
    item = services.add_action_item(
        meeting, title="核查潍坊营业厅", operator=cmcc, due_on=dt.date(2026, 12, 20), user=regulator
    )
    for user in (operator_a, operator_b):
        sent(f"meeting:{meeting.pk}:{MEETING_DAY}", user, dt.date(2026, 11, 26), "meeting")
        # Even a mistaken occasion of B on A's action item does not show B's name to A.
        sent(f"action:{item.pk}:2026-12-20", user, dt.date(2026, 11, 27), "action_item")
    response = get(client, operator_a, "portal:meeting", meeting.pk)
    page = response.content.decode()
    assert "张专员" in section(page)
    assert "刘专员" not in page and operator_b.email not in page
    [own_item] = response.context["action_items"]
    assert [o.recipient for o in own_item.reminders["recorded"] if o.rule == "action_item"] == [operator_a]
    page_b = get(client, operator_b, "portal:meeting", meeting.pk).content.decode()
    assert "刘专员" in section(page_b) and "张专员" not in page_b
    control = section(get(client, regulator, "control:meeting", meeting.pk).content.decode())
    assert "张专员" in control and "刘专员" in control


@pytest.mark.parametrize(
    ("face", "name", "with_pk"),
    [
        ("control", "control:meeting", True),
        ("portal", "portal:meeting", True),
        ("portal", "portal:action_items", False),
    ],
)
def test_the_query_count_does_not_grow_with_the_action_items_and_their_reminders(
    client, regulator, operator_a, meeting, cmcc, face, name, with_pk
):
    def add(n):
        for i in range(n):
            item = services.add_action_item(
                meeting, title=f"待办{i}", operator=cmcc, due_on=dt.date(2026, 12, 20), user=regulator
            )
            sent(f"action:{item.pk}:2026-12-20", operator_a, dt.date(2026, 11, 27), "action_item")

    def count() -> int:
        client.get(url)  # warm up: sessions, the periods the pages create on first use
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.force_login(regulator if face == "control" else operator_a)
    url = reverse(name, args=[meeting.pk] if with_pk else [])
    add(1)
    one = count()
    add(6)
    assert count() == one


# The reminder rules, at their boundaries.


@pytest.fixture
def cbn_staff(db):
    """A user of China Broadnet, whose reports up to September are in."""
    return make_cbn_staff()


def test_meeting_reminders_a_week_and_a_day_before_to_invited_operators(cbn_staff, operator_a):
    series = MeetingSeries.objects.create(
        title="携号转网工作会商会",
        rrule="FREQ=MONTHLY;BYDAY=1TH",
        first_start=dt.datetime(2026, 12, 3, 14, 30, tzinfo=SHANGHAI),
    )
    start = dt.datetime(2026, 12, 3, 14, 30, tzinfo=SHANGHAI)
    meeting = Meeting.objects.create(
        series=series, recurrence_start=start, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    Invitation.objects.create(meeting=meeting, operator=cbn_staff.operator)
    assert len(dated_mails((2026, 11, 26), "meeting/")) == 1  # CBN only: CMCC is not invited
    assert dated_mails((2026, 11, 27), "meeting/") == []
    assert len(dated_mails((2026, 12, 2), "meeting/")) == 1


def test_action_item_reminders_before_and_after_its_due_day(cbn_staff):
    start = dt.datetime(2026, 11, 5, 14, 30, tzinfo=SHANGHAI)
    series = MeetingSeries.objects.create(title="会商会", rrule="FREQ=MONTHLY;BYDAY=1TH", first_start=start)
    meeting = Meeting.objects.create(series=series, recurrence_start=start, starts_at=start, ends_at=start)
    item = ActionItem.objects.create(
        meeting=meeting, title="核查潍坊营业厅", operator=cbn_staff.operator, due_on=dt.date(2026, 12, 10)
    )
    assert len(dated_mails((2026, 12, 7), "action_item/")) == 1
    assert len(dated_mails((2026, 12, 11), "action_item/")) == 1
    item.state = ActionState.DONE
    item.save()
    assert dated_mails((2026, 12, 18), "action_item/") == []
