"""An action item given to an operator is told to that operator's people at once, once.

Recorded by ``services.add_action_item`` in its transaction (``meetings.action_item_assigned``,
key ``action:<pk>:assigned``), sent after the commit through the reminders' outbox: dispatching
again, or scanning, sends nothing more. The mail names the meeting, the item and its due day
and links to the item in the portal; the item's page lists it beside its reminders. The clock
stands at 28 November 2026, 10:00 in Jinan (``conftest.frozen``).
"""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from supervision.meetings import services
from supervision.reminders import services as reminder_services
from supervision.reminders.models import Occasion, OccasionState
from tests.conftest import make_user

CODE = "meetings.action_item_assigned"


@pytest.fixture
def people(regulator, operator_a, manager_a, operator_b):
    for user in (regulator, operator_a, manager_a, operator_b):
        user.language = "en"
        user.save(update_fields=["language"])
    return {"staff": regulator, "clerk": operator_a, "manager": manager_a, "other": operator_b}


@pytest.fixture
def dispatch(eager_tasks, django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def told():
    return Occasion.objects.filter(rule=CODE)


def sent_again():
    before = len(mail.outbox)
    for occasion_id in told().filter(pk__in=reminder_services.scan()).values_list("pk", flat=True):
        reminder_services.send(occasion_id)
    for occasion in told():
        assert reminder_services.send(occasion.pk) == "taken"
    return mail.outbox[before:]


def give(meeting, operator, user, **fields):
    return services.add_action_item(
        meeting,
        title=fields.get("title", "核查潍坊新华路营业厅违约金问题"),
        details=fields.get("details", "逐一回访 10 月以来的携出用户"),
        operator=operator,
        due_on=fields.get("due_on", dt.date(2026, 12, 20)),
        user=user,
    )


def test_an_action_item_is_told_at_once_to_its_operator_once(people, meeting, cmcc, dispatch):
    with dispatch():
        item = give(meeting, cmcc, people["staff"])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people["clerk"].email, people["manager"].email])
    message = mail.outbox[0]
    assert message.subject == "Action item for your company, due 2026-12-20: 核查潍坊新华路营业厅违约金问题"
    assert (
        "The consultation meeting “携号转网工作会商会” of 2026-12-03 14:30 gave your company an action item:"
        in (message.body)
    )
    assert "逐一回访 10 月以来的携出用户" in message.body
    url = settings.SITE_URL + reverse("portal:action_item", args=[item.pk])
    assert url in message.body and url in message.alternatives[0][0]
    assert message.extra_headers["X-Supervision-Reminder"] == f"{CODE}/action:{item.pk}:assigned/2026-11-28"
    assert sent_again() == []


def test_only_the_owner_is_told_and_the_administrations_own_item_tells_nobody(
    people, meeting, cmcc, cucc, dispatch
):
    with dispatch():
        give(meeting, cucc, people["staff"], title="联通自查")
        give(meeting, None, people["staff"], title="管局汇总")
    assert [m.to for m in mail.outbox] == [[people["other"].email]]
    assert told().count() == 1


def test_a_refused_action_item_tells_nobody(people, meeting, cmcc, dispatch):
    with dispatch(), pytest.raises(services.MeetingRefused):
        give(meeting, cmcc, people["clerk"])  # only the staff give action items
    assert mail.outbox == []
    assert not told().exists()


def test_an_item_removed_before_its_mail_went_is_not_told(people, meeting, cmcc):
    item = give(meeting, cmcc, people["staff"])
    services.delete_action_item(item, user=people["staff"])
    ids = list(told().values_list("pk", flat=True))
    assert [reminder_services.send(i) for i in ids] == ["dropped", "dropped"]
    assert mail.outbox == []


def test_the_mail_is_in_the_recipients_language(people, meeting, cmcc, dispatch):
    people["clerk"].language = "zh-hans"
    people["clerk"].save(update_fields=["language"])
    with dispatch():
        give(meeting, cmcc, people["staff"])
    message = next(m for m in mail.outbox if m.to == [people["clerk"].email])
    assert message.subject == "贵公司的会议待办事项（2026-12-20 前完成）：核查潍坊新华路营业厅违约金问题"


def test_the_items_page_lists_the_mail_beside_its_reminders(people, meeting, cmcc, dispatch, client_for):
    with dispatch():
        item = give(meeting, cmcc, people["staff"])
    page = client_for(people["clerk"]).get(
        reverse("portal:action_item", args=[item.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    block = page.content.decode().split('data-testid="reminders"')[1].split("</section>")[0]
    assert "Action item assigned" in block
    assert str(people["clerk"]) in block and str(people["manager"]) in block
    assert block.count(">Sent<") == 2
    assert "2026-12-17" in block  # the next reminder, three days before it is due
    assert {o.state for o in told()} == {OccasionState.SENT}


def test_the_meeting_page_lists_it_on_the_item_for_the_staff(people, meeting, cmcc, dispatch, client_for):
    make_user("cmcc_3", "operator_staff", "CMCC", full_name="钱专员")
    with dispatch():
        give(meeting, cmcc, people["staff"])
    page = client_for(people["staff"]).get(
        reverse("control:meeting", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    row = page.content.decode().split('data-testid="row-reminders"')[1].split("</details>")[0]
    assert "3 reminders recorded" in row and "Action item assigned" in row and "钱专员" in row
