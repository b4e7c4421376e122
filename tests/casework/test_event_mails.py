"""A finding answered or contested by its operator is told once to the administration's staff.

Recorded by ``findings.respond_to_finding`` in its transaction (``casework.finding_responded`` or
``casework.finding_contested``, key ``finding:<pk>:responded`` / ``:contested``), sent after the
commit through the reminders' outbox: dispatching again, or scanning, sends nothing more. The
mail carries the answer and links to the finding on the dashboard; the finding's page lists the
mails told about it, each face what is its business.
"""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from supervision.casework import findings
from supervision.casework.models import CaseEvent
from supervision.core.models import Role
from supervision.reminders import services
from supervision.reminders.models import Occasion
from tests.conftest import make_user

from .conftest import make_finding, upload

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
CODES = ["casework.finding_responded", "casework.finding_contested"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def people(regulator, leader, operator_a, manager_a, operator_b):
    for user in (regulator, leader, operator_a, manager_a, operator_b):
        user.language = "en"
        user.save(update_fields=["language"])
    second = make_user("officer2", Role.REGULATOR_STAFF, full_name="孙科员", language="en")
    return {"staff": regulator, "staff2": second, "clerk": operator_a, "manager": manager_a}


@pytest.fixture
def dispatch(eager_tasks, django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def published(people, dispatch):
    """A finding published to CMCC; its mail to CMCC's people is out of the way."""
    with dispatch():
        finding = make_finding(people["staff"], "published")
    mail.outbox.clear()
    return finding


def told():
    return Occasion.objects.filter(rule__in=CODES)


def sent_again():
    before = len(mail.outbox)
    for occasion_id in told().filter(pk__in=services.scan()).values_list("pk", flat=True):
        services.send(occasion_id)
    for occasion in told():
        assert services.send(occasion.pk) == "taken"
    return mail.outbox[before:]


def answer(finding, user, kind, text):
    return findings.respond_to_finding(finding, user=user, kind=kind, text=text)


def test_an_answered_finding_is_told_once_to_every_staff_member(people, published, dispatch):
    with dispatch():
        answer(published, people["clerk"], "response", "已对该营业厅店员开展培训，并取消违约金要求")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people["staff"].email, people["staff2"].email])
    message = mail.outbox[0]
    assert message.subject.startswith("China Mobile answered the inspection finding of ")
    assert message.subject.endswith(", 2026-09-03")
    assert "has answered the inspection finding" in message.body
    assert "It awaits your decision: uphold it, or withdraw it." in message.body
    assert "The answer (张专员, 2026-11-20 10:00): 已对该营业厅店员开展培训，并取消违约金要求" in message.body
    url = settings.SITE_URL + reverse("control:finding", args=[published.pk])
    assert url in message.body and url in message.alternatives[0][0]
    assert [o.object_key for o in told()] == [f"finding:{published.pk}:responded"] * 2
    assert sent_again() == []


def test_a_contested_finding_is_told_once_to_the_staff(people, published, dispatch):
    with dispatch():
        findings.respond_to_finding(
            published,
            user=people["manager"],
            kind="contest",
            text="该店员已离职，用户有书面协议",
            uploads=[upload()],
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people["staff"].email, people["staff2"].email])
    message = mail.outbox[0]
    assert message.subject.startswith("China Mobile contests the inspection finding of ")
    assert "The contest (赵经理, 2026-11-20 10:00): 该店员已离职，用户有书面协议" in message.body
    assert [o.rule for o in told()] == ["casework.finding_contested"] * 2
    assert sent_again() == []


def test_the_mail_is_on_the_findings_timeline_once(people, published, dispatch):
    with dispatch():
        answer(published, people["clerk"], "response", "已整改")
    [event] = CaseEvent.objects.filter(finding=published, kind="email", data__mail="finding_responded")
    assert sorted(event.data["to"]) == sorted([people["staff"].email, people["staff2"].email])


def test_a_refused_answer_tells_nobody(people, published, dispatch):
    with dispatch(), pytest.raises(findings.TransitionRefused):
        answer(published, people["clerk"], "response", "   ")
    with dispatch(), pytest.raises(findings.TransitionRefused):
        answer(published, people["staff"], "response", "管局代答")  # not the operator's
    assert mail.outbox == []
    assert not told().exists()


def test_the_answer_in_chinese(people, published, dispatch):
    people["staff"].language = "zh-hans"
    people["staff"].save(update_fields=["language"])
    with dispatch():
        answer(published, people["clerk"], "response", "已整改")
    message = next(m for m in mail.outbox if m.to == [people["staff"].email])
    assert message.subject.startswith("中国移动已答复")
    assert "等待您处理：维持或撤回" in message.body


def test_each_face_lists_the_mails_about_the_finding(people, published, dispatch, client_for):
    with dispatch():
        answer(published, people["clerk"], "response", "已整改")
    page = client_for(people["staff"]).get(
        reverse("control:finding", args=[published.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    block = page.content.decode().split('data-testid="reminders"')[1].split("</section>")[0]
    assert "Mails about this finding" in block
    assert "Finding published" in block and "Finding answered" in block
    assert "孙科员" in block and "张专员" in block
    assert block.count(">Sent<") == 4  # published to CMCC's two people, answered to two staff
    page = client_for(people["clerk"]).get(
        reverse("portal:finding", args=[published.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    block = page.content.decode().split('data-testid="reminders"')[1].split("</section>")[0]
    assert "Finding published" in block
    assert "Finding answered" not in block and "孙科员" not in block  # the staff's mail is theirs
