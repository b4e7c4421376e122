"""Every step of a monthly report told once, to whoever acts next (``reporting/mail.py``).

Stored → the operator's managers (to certify it); certified → the administration's staff (to
decide); returned, with the reason, and accepted → the operator's people. Each is recorded in
the transaction of the change and sent after the commit through the reminders' outbox, once:
dispatching again, or scanning, sends nothing more. Each links to the version's page in its
recipient's face, and the version's page lists them.

The clock is the reporting tests' (``conftest.pinned_clock``: 2026-11-20 10:00 in Jinan).
"""

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from supervision.core.models import Period
from supervision.reminders import services
from supervision.reminders.models import Occasion
from supervision.reporting import submissions, uploads
from supervision.reporting.models import MonthlySubmission, SubmissionState, UploadKind
from tests.conftest import make_user

OCTOBER = "2026-10"


@pytest.fixture
def people(regulator, leader, operator_a, manager_a, operator_b):
    """Everyone reads English, but for the Chinese test; leadership and CUCC are never told."""
    for user in (regulator, leader, operator_a, manager_a, operator_b):
        user.language = "en"
        user.save(update_fields=["language"])
    return {
        "staff": regulator,
        "leader": leader,
        "clerk": operator_a,
        "manager": manager_a,
        "other": operator_b,
    }


@pytest.fixture
def dispatch(eager_tasks, django_capture_on_commit_callbacks):
    """``with dispatch():`` a change whose mails are sent at its commit, as the worker would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


CODES = [
    "reporting.version_stored",
    "reporting.version_certified",
    "reporting.report_returned",
    "reporting.report_accepted",
]


def told():
    return Occasion.objects.filter(rule__in=CODES)


def sent_again():
    """What another scan and a second delivery of every send task would send of these mails:
    nothing (the scan also finds the month's reminders of the other operators: not these)."""
    before = len(mail.outbox)
    for occasion_id in told().filter(pk__in=services.scan()).values_list("pk", flat=True):
        services.send(occasion_id)
    for occasion in told():
        assert services.send(occasion.pk) == "taken"
    return mail.outbox[before:]


def stored_version(user, samples) -> MonthlySubmission:
    """October's figures and ledger of CMCC uploaded, checked and confirmed by ``user``."""
    upload = uploads.start_upload(
        kind=UploadKind.MONTHLY,
        operator=user.operator,
        user=user,
        period=Period.objects.from_label(OCTOBER),
        figures=SimpleUploadedFile("月报.xlsx", (samples / "monthly_report_CMCC_2026-10.xlsx").read_bytes()),
        ledger=SimpleUploadedFile("台账.csv", (samples / "complaints_CMCC_2026-10_utf8bom.csv").read_bytes()),
        form_data={"narrative": "本月携转平稳", "major_problem": False, "typical_cases": []},
    )
    upload = uploads.run_checks(upload.pk)
    assert not uploads.has_errors(upload), upload.problems
    explained = {i: "已核实" for i, _p in uploads.warnings_of(upload)}
    return uploads.confirm(upload, user=user, explanations=explained)


def awaiting(people) -> MonthlySubmission:
    """A version of CMCC's October report stored by its clerk, without the mail of its storing."""
    version = submissions.create_version(
        people["clerk"].operator, Period.objects.from_label(OCTOBER), user=people["clerk"]
    )
    version.state = SubmissionState.AWAITING_CERTIFICATION
    version.save(update_fields=["state"])
    return version


def certified(people) -> MonthlySubmission:
    return submissions.certify(awaiting(people), manager=people["manager"], attested=True)


def link(face, version) -> str:
    return settings.SITE_URL + reverse(f"{face}:submission", args=[version.pk])


def test_a_stored_version_asks_the_managers_once_to_certify_it(people, media_root, samples, dispatch):
    second = make_user("manager_a2", "operator_manager", "CMCC", language="en")
    with dispatch():
        version = stored_version(people["clerk"], samples)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people["manager"].email, second.email])
    message = mail.outbox[0]
    assert message.subject == "To certify: the monthly report of China Mobile for 2026-10 (version 1)"
    assert "stored your company's monthly porting report for 2026-10 on 2026-11-20 10:00" in message.body
    assert "It awaits your certification" in message.body
    assert link("portal", version) in message.body
    assert link("portal", version) in message.alternatives[0][0]
    assert message.extra_headers["X-Supervision-Reminder"].startswith(
        f"reporting.version_stored/submission:{version.pk}:stored/"
    )
    assert sent_again() == []


def test_a_manager_who_stored_the_version_is_not_asked_by_mail(people, media_root, samples, dispatch):
    second = make_user("manager_a2", "operator_manager", "CMCC", language="en")
    with dispatch():
        stored_version(people["manager"], samples)
    assert [m.to for m in mail.outbox] == [[second.email]]


def test_a_certified_version_is_told_once_to_the_staff(people, dispatch):
    with dispatch():
        version = certified(people)
    [message] = mail.outbox
    assert message.to == [people["staff"].email]  # not leadership, not the operator
    assert message.subject == "Monthly report certified by China Mobile for 2026-10 (version 1)"
    assert (
        "赵经理 of China Mobile Shandong certified the monthly porting report for 2026-10 on 2026-11-20 10:00"
        in message.body
    )
    assert "accept it, or return it with the reason" in message.body
    assert version.receipt_no in message.body
    assert link("control", version) in message.body
    assert sent_again() == []


def test_a_returned_report_tells_the_operator_why_once(people, dispatch):
    with dispatch():
        version = certified(people)
    mail.outbox.clear()
    with dispatch():
        submissions.return_to_operator(
            version, user=people["staff"], comment="潍坊市携出数与台账不符，请核对"
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people["clerk"].email, people["manager"].email])
    message = mail.outbox[0]
    assert message.subject == "Your monthly report for 2026-10 was returned (version 1)"
    assert (
        "The administration returned your monthly porting report for 2026-10 on 2026-11-20 10:00"
        in message.body
    )
    assert "The reason: 潍坊市携出数与台账不符，请核对" in message.body
    assert "潍坊市携出数与台账不符，请核对" in message.alternatives[0][0]
    assert link("portal", version) in message.body
    assert sent_again() == []


def test_an_accepted_report_is_told_once_to_the_operator(people, dispatch):
    with dispatch():
        version = certified(people)
    mail.outbox.clear()
    with dispatch():
        submissions.accept(version, user=people["staff"])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people["clerk"].email, people["manager"].email])
    message = mail.outbox[0]
    assert message.subject == "Your monthly report for 2026-10 is accepted (version 1)"
    assert "nothing more is needed" in message.body
    assert link("portal", version) in message.body
    assert sent_again() == []


def test_a_refused_change_records_no_mail(people, dispatch):
    version = certified(people)
    mail.outbox.clear()
    with dispatch(), pytest.raises(submissions.SubmissionRefused):
        submissions.return_to_operator(version, user=people["staff"], comment="  ")
    with dispatch(), pytest.raises(submissions.SubmissionRefused):
        submissions.accept(version, user=people["clerk"])
    assert mail.outbox == []
    assert [o.rule for o in told()] == ["reporting.version_certified"]


def test_a_version_certified_before_its_mail_went_is_not_to_certify_any_more(people, media_root, samples):
    """Recorded, but the worker was slow: the manager certified it meanwhile; the request to
    certify is dropped, the staff's mail goes."""
    version = stored_version(people["clerk"], samples)
    submissions.certify(version, manager=people["manager"], attested=True)
    scanned = told().filter(pk__in=services.scan())
    results = {occasion.rule: services.send(occasion.pk) for occasion in scanned}
    assert results == {"reporting.version_stored": "dropped", "reporting.version_certified": "sent"}


def test_the_mails_are_in_the_recipients_language(people, dispatch):
    people["staff"].language = "zh-hans"
    people["staff"].save(update_fields=["language"])
    with dispatch():
        certified(people)
    [message] = mail.outbox
    assert message.subject == "中国移动 2026-10 月报已确认提交（第 1 版）"
    assert "等待您处理：接收，或注明原因退回" in message.body
    assert "逾期报送" in message.body  # due on 31 October, certified on 20 November


def test_each_face_lists_the_mails_about_the_version(people, client_for, dispatch):
    with dispatch():
        version = certified(people)
        submissions.return_to_operator(version, user=people["staff"], comment="请核对")
    page = client_for(people["staff"]).get(
        reverse("control:submission", args=[version.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    block = page.content.decode().split('data-testid="reminders"')[1]
    assert "Reminders and mails about this report" in block
    assert "Monthly report certified" in block and "Monthly report returned" in block
    assert str(people["staff"]) in block and str(people["clerk"]) in block
    assert block.count(">Sent<") == 3
    page = client_for(people["clerk"]).get(
        reverse("portal:submission", args=[version.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    block = page.content.decode().split('data-testid="reminders"')[1]
    assert "Monthly report returned" in block
    assert "Monthly report certified" not in block  # the staff's mail is not the operator's business
    assert str(people["staff"]) not in block
