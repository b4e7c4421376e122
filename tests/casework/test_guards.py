"""Pages that guard the user (issue 14, point 5), for casework: a problem found is published with
its evidence; an interview that clashes with another appointment (operator, room or time) is
listed before it is saved or issued; publishing and issuing, which cannot be undone, say their
consequence and ask for confirmation. The clock stands at 20 November 2026, 10:00 Beijing time.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from supervision.casework import findings, interviews
from supervision.casework.models import InterviewNotice
from supervision.casework.rules import TransitionRefused
from supervision.core.models import SHANGHAI, Operator
from supervision.meetings import clashes
from supervision.meetings import services as meetings
from supervision.meetings.models import MeetingSeries

from .conftest import make_finding, make_order, upload

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)
ROOM = "省通信管理局五楼约谈室"


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def at(day, hour, minute=0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


# --- Evidence to publish a finding ------------------------------------------------------------------


def test_a_problem_found_is_published_only_with_its_evidence(client, regulator, operator_a):
    finding = make_finding(regulator, "draft")
    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        findings.publish_finding(finding, user=regulator)
    assert str(refused.value) == (
        "Attach the evidence before publishing: the operator answers a problem found on its evidence."
    )
    finding.refresh_from_db()
    assert finding.state == "draft"

    client.force_login(regulator)
    page = client.get(reverse("control:finding", args=[finding.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-testid="needs-evidence"' in page.content.decode()
    response = client.post(
        reverse("control:finding_publish", args=[finding.pk]), HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert "Attach the evidence before publishing" in response.content.decode()
    finding.refresh_from_db()
    assert finding.state == "draft"

    findings.add_evidence(finding, [upload("现场照片.pdf")], user=regulator)
    page = client.get(reverse("control:finding", args=[finding.pk])).content.decode()
    assert 'data-testid="needs-evidence"' not in page
    client.post(reverse("control:finding_publish", args=[finding.pk]))
    finding.refresh_from_db()
    assert finding.state == "published"


def test_a_visit_without_a_problem_is_published_without_evidence(regulator):
    finding = make_finding(regulator, "draft", violation=False, description="", clause=None, severity="")
    findings.publish_finding(finding, user=regulator)
    finding.refresh_from_db()
    assert finding.state == "published"


def test_the_operators_own_files_are_no_evidence(regulator, operator_a):
    """Evidence is what the administration attached; files of an answer do not count."""
    finding = make_finding(regulator, "published", operator_user=operator_a)
    assert findings.has_evidence(finding)
    finding.files.filter(response=None).delete()
    assert not findings.has_evidence(finding)


# --- A clash of operator, room or time --------------------------------------------------------------


def new_interview(operator="CMCC", **changes):
    return {
        "operator": operator,
        "scheduled_at": "2026-12-03T09:30",
        "place": ROOM,
        "reason": "设限阻挠携号转网",
        "persons_required": "公司分管副总经理",
        "administration_attendees": "",
        **changes,
    }


@pytest.fixture
def cucc_interview(regulator):
    """China Unicom's interview on 3 December, 09:00–10:00, in the interview room."""
    return interviews.create_interview(
        user=regulator,
        operator=Operator.objects.get(code="CUCC"),
        scheduled_at=at(3, 9, 0),
        place=ROOM,
        reason="投诉处理超时",
        persons_required="分管副总经理",
    )


@pytest.fixture
def cmcc_meeting(regulator):
    """A one-off meeting on 3 December, 09:00–11:00, China Mobile invited, in another room."""
    return meetings.create_one_off(
        title="携号转网专题会",
        starts_at=at(3, 9, 0),
        duration_minutes=120,
        place="省通信管理局三楼会议室",
        invited_operators=[Operator.objects.get(code="CMCC")],
        user=regulator,
    )


def test_an_interview_that_clashes_is_saved_only_when_the_user_says_so(
    client, regulator, cucc_interview, cmcc_meeting
):
    client.force_login(regulator)
    url = reverse("control:interview_new") + "?operator=CMCC"
    response = client.post(url, new_interview(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    with translation.override("en"):
        assert [(c.kind, c.reasons) for c in response.context["clashes"]] == [
            ("interview", [f"the same room: {ROOM}"]),
            ("meeting", ["the same operator: China Mobile"]),
        ]
    body = response.content.decode()
    assert 'name="save_anyway"' in body
    assert reverse("control:interview", args=[cucc_interview.pk]) in body
    assert reverse("control:meeting", args=[cmcc_meeting.pk]) in body
    assert InterviewNotice.objects.count() == 1  # not saved

    response = client.post(url, new_interview(save_anyway="1"))
    notice = InterviewNotice.objects.get(operator__code="CMCC")
    assert response["Location"] == reverse("control:interview", args=[notice.pk])

    # Its page warns again before it is issued (a warning, the issue button stays).
    page = client.get(reverse("control:interview", args=[notice.pk]), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert 'data-testid="clashes"' in body and 'name="save_anyway"' not in body
    assert 'name="issue"' in body
    # Moved to the afternoon, the draft clashes with nothing.
    edit = reverse("control:interview_edit", args=[notice.pk])
    assert client.post(edit, new_interview(scheduled_at="2026-12-03T14:00")).status_code == 302
    assert client.get(reverse("control:interview", args=[notice.pk])).context["clashes"] == []


def test_a_withdrawn_draft_clashes_with_nothing(regulator, cucc_interview):
    interviews.withdraw_interview(cucc_interview, user=regulator, reason="误建草稿")
    assert (
        clashes.for_interview(at(3, 9, 30), place=ROOM, operator_id=Operator.objects.get(code="CMCC").pk)
        == []
    )


def test_a_meeting_series_sees_an_interview_of_an_invited_operator(regulator, cucc_interview):
    series = MeetingSeries(
        title="会商会",
        rrule="FREQ=MONTHLY;BYDAY=1TH",
        first_start=at(3, 9, 30),
        duration_minutes=60,
        place="",
    )
    found = clashes.for_series(
        series, operator_ids=[cucc_interview.operator_id], now=NOW, until=NOW + dt.timedelta(days=90)
    )
    with translation.override("en"):
        assert [(c.kind, c.pk, c.reasons) for c in found] == [
            ("interview", cucc_interview.pk, ["the same operator: China Unicom"])
        ]


# --- Irreversible actions say their consequence and ask for confirmation -----------------------------


def confirmed_form(body: str, action: str) -> tuple[str, str]:
    """The form posting to ``action``: its data-confirm message and the consequence shown under it."""
    form = re.search(
        rf'<form method="post" action="{re.escape(action)}" data-confirm="([^"]+)"[^>]*>(.*?)</form>',
        body,
        re.S,
    )
    assert form, f"no confirmed form posting to {action}"
    shown = re.search(r'data-testid="consequence">([^<]+)<', form.group(2)).group(1)
    return form.group(1), shown


def test_publishing_and_issuing_say_their_consequence_and_ask_first(client, regulator, operator_a):
    client.force_login(regulator)
    finding = make_finding(regulator, "draft", evidence=True)
    body = client.get(
        reverse("control:finding", args=[finding.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    message, shown = confirmed_form(body, reverse("control:finding_publish", args=[finding.pk]))
    assert (
        message
        == shown
        == (
            "Once published, the operator sees the finding and is told by e-mail; it can no longer be "
            "edited or unpublished."
        )
    )
    order = make_order(regulator, operator_a, "draft")
    body = client.get(reverse("control:order", args=[order.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    message, shown = confirmed_form(body, reverse("control:order_issue", args=[order.pk]))
    assert message == shown and message.startswith("Once issued, the order takes its document number")
    notice = interviews.create_interview(
        user=regulator,
        operator=Operator.objects.get(code="CMCC"),
        scheduled_at=at(10, 9),
        place=ROOM,
        reason="设限阻挠携号转网",
        persons_required="分管副总经理",
    )
    body = client.get(
        reverse("control:interview", args=[notice.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    message, shown = confirmed_form(body, reverse("control:interview_issue", args=[notice.pk]))
    assert message == shown and "文号" in message and "撤回" in message
    # The page loads the script that asks (a file of the site: no inline script).
    assert re.search(r'<script src="[^"]*/js/confirm[.\w]*\.js"></script>', body)
