"""The life of a major problem (重大问题): follow-up reports (续报), the operator's recovery, the
administration's request for more (需补充) and its closing, for every role and state; the
timeline and audit entries they leave; the reminders while it is open, once each, none after it
is closed.

The expected table below is written out by hand from the rules (the operator concerned follows
up and recovers; the administration's staff ask for more and close; leadership only reads), not
read from the code's ``ACTIONS``, so that a change of a rule shows up here as a failing line.
"""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from supervision.core import audit
from supervision.core.models import AuditEntry
from supervision.reminders import services as reminder_services
from supervision.reminders.models import Occasion, OccasionState
from supervision.reporting import incidents
from supervision.reporting import reminders as reporting_reminders
from supervision.reporting.models import Incident, IncidentState, IncidentUpdate

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def local(year, month, day, hour=9, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


REPORTED_AT = local(2026, 11, 20, 9, 30)
SINCE = local(2026, 11, 20, 7, 40)
ROLES = ["staff", "leader", "operator_a", "manager_a", "operator_b"]
ALLOWED_USERS = {"staff": {"staff"}, "operator": {"operator_a", "manager_a"}}
STATES = ["reported", "more_info", "recovered", "closed"]
# action: (role, states it is allowed from, state it leads to from each of them)
TABLE = {
    "follow_up": (
        "operator",
        {"reported", "more_info", "recovered"},
        # A follow-up answers a request for more: back to where it was (here: not recovered yet).
        {"reported": "reported", "more_info": "reported", "recovered": "recovered"},
    ),
    "recover": ("operator", {"reported", "more_info"}, {"reported": "recovered", "more_info": "recovered"}),
    "ask_more": ("staff", {"reported", "recovered"}, {"reported": "more_info", "recovered": "more_info"}),
    "close": ("staff", {"recovered"}, {"recovered": "closed"}),
}


def new_incident() -> Incident:
    return Incident(
        title="潍坊授权码短信下发异常", description="SQXZ 短信无回复。", location="潍坊市",
        since=SINCE, subscribers_affected=1200, measures="已开通人工受理通道。",
    )  # fmt: skip


@pytest.fixture
def incident(operator_a, regulator):
    with time_machine.travel(REPORTED_AT, tick=False):
        return incidents.report(new_incident(), operator=operator_a.operator, user=operator_a)


def _call(action, incident, user):
    return {
        "follow_up": lambda: incidents.follow_up(incident, user=user, text="接口已定位，正在修复。"),
        "recover": lambda: incidents.recover(
            incident,
            user=user,
            recovered_at=local(2026, 11, 21, 6, 0),
            cause="短信网关接口证书过期。",
            measures="更换证书并增加到期监控。",
        ),
        "ask_more": lambda: incidents.ask_more(incident, user=user, text="请补充受影响用户的处理情况。"),
        "close": lambda: incidents.close(incident, user=user, text="处置到位，同意结案。"),
    }[action]


def _snapshot(incident):
    incident.refresh_from_db()
    return (incident.state, incident.updated_at, incident.closed_at, IncidentUpdate.objects.count())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(TABLE))
@pytest.mark.parametrize("state", STATES)
def test_incident_transition(state, action, role, role_users, incident):
    Incident.objects.filter(pk=incident.pk).update(state=state)
    incident.refresh_from_db()
    allowed_role, allowed_states, targets = TABLE[action]
    user = role_users[role]
    role_ok = role in ALLOWED_USERS[allowed_role]
    assert (action in incidents.allowed(incident, user)) == (role_ok and state in allowed_states)
    with time_machine.travel(local(2026, 11, 22, 10, 0), tick=False):
        if role_ok and state in allowed_states:
            _call(action, incident, user)()
            incident.refresh_from_db()
            assert incident.state == targets[state]
            entry = AuditEntry.objects.order_by("-pk").first()
            assert (entry.content_type.model, entry.object_id, entry.action, entry.user) == (
                "incident",
                incident.pk,
                action,
                user,
            )
            assert incident.updated_at == local(2026, 11, 22, 10, 0)
        else:
            before, entries = _snapshot(incident), AuditEntry.objects.count()
            with translation.override("en"), pytest.raises(incidents.IncidentRefused) as refused:
                _call(action, incident, user)()
            if not role_ok:
                assert str(refused.value).startswith("Only "), str(refused.value)
            else:
                assert "now: it is" in str(refused.value)
            assert _snapshot(incident) == before  # nothing changed
            assert AuditEntry.objects.count() == entries  # and nothing was recorded


def test_only_the_operator_concerned_reports_its_major_problem(operator_a, operator_b, regulator, leader):
    for user in (operator_b, regulator, leader):
        with pytest.raises(incidents.IncidentRefused):
            incidents.report(new_incident(), operator=operator_a.operator, user=user)
    assert not Incident.objects.exists()


def test_a_major_problem_from_report_to_closing(incident, operator_a, manager_a, regulator):
    """The report, a follow-up, the recovery, a request for more, the answer, the closing: each
    a step of the timeline, by its author at its time, and an entry of the audit trail."""
    steps = [
        (
            local(2026, 11, 20, 15, 0),
            lambda: incidents.follow_up(incident, user=operator_a, text="已定位故障点。"),
        ),
        (
            local(2026, 11, 21, 8, 0),
            lambda: incidents.recover(
                incident,
                user=manager_a,
                recovered_at=local(2026, 11, 21, 6, 0),
                cause="短信网关接口证书过期。",
                measures="更换证书，增加证书到期监控。",
            ),  # fmt: skip
        ),
        (
            local(2026, 11, 22, 9, 0),
            lambda: incidents.ask_more(incident, user=regulator, text="请补充用户回访情况。"),
        ),
        (
            local(2026, 11, 22, 16, 0),
            lambda: incidents.follow_up(incident, user=operator_a, text="已回访 1200 户。"),
        ),
        (local(2026, 11, 23, 10, 0), lambda: incidents.close(incident, user=regulator, text="同意结案。")),
    ]
    states = []
    for moment, step in steps:
        with time_machine.travel(moment, tick=False):
            step()
        incident.refresh_from_db()
        states.append(incident.state)
    # The answer to the request for more puts it back as recovered: it was recovered before.
    assert states == ["reported", "recovered", "more_info", "recovered", "closed"]
    timeline = incidents.timeline(incident)
    assert [(u.kind, u.author, u.at) for u in timeline] == [
        ("follow_up", operator_a, local(2026, 11, 20, 15, 0)),
        ("recovery", manager_a, local(2026, 11, 21, 8, 0)),
        ("more_info", regulator, local(2026, 11, 22, 9, 0)),
        ("follow_up", operator_a, local(2026, 11, 22, 16, 0)),
        ("close", regulator, local(2026, 11, 23, 10, 0)),
    ]
    assert timeline[1].recovered_at == local(2026, 11, 21, 6, 0)
    assert (incident.recovered_at, incident.cause) == (local(2026, 11, 21, 6, 0), "短信网关接口证书过期。")
    assert (incident.closed_at, incident.closed_by) == (local(2026, 11, 23, 10, 0), regulator)
    entries = AuditEntry.objects.filter(object_id=incident.pk, content_type__model="incident").order_by("pk")
    assert [(e.action, e.user) for e in entries] == [
        ("report", operator_a),
        ("follow_up", operator_a),
        ("recover", manager_a),
        ("ask_more", regulator),
        ("follow_up", operator_a),
        ("close", regulator),
    ]
    # The audit trail says what each entry was, in the reader's language, and links to the page.
    with translation.override("en"):
        assert audit.action_label(entries[3]) == "Ask for more information on this major problem"
        assert ("Recovered at", "2026-11-21 06:00") in audit.details(entries[2])
    assert audit.url(entries[0]) == f"/dashboard/incidents/{incident.pk}/"
    with translation.override("en"):
        assert incidents.age_text(incident) == "Closed after 3 days"


@pytest.mark.parametrize(
    ("recovered_at", "cause", "measures", "message"),
    [
        (local(2026, 11, 23, 9, 0), "原因", "措施", "The recovery time cannot be in the future."),
        (local(2026, 11, 20, 7, 0), "原因", "措施", "The recovery time cannot be before the problem began (2026-11-20 07:40)."),
        (local(2026, 11, 21, 6, 0), " ", "措施", "State the cause of the problem."),
        (local(2026, 11, 21, 6, 0), "原因", "", "State the measures taken so that it does not happen again."),
    ],
)  # fmt: skip
def test_a_recovery_says_when_and_why(incident, operator_a, recovered_at, cause, measures, message):
    with (
        time_machine.travel(local(2026, 11, 22, 9, 0), tick=False),
        translation.override("en"),
        pytest.raises(incidents.IncidentRefused) as refused,
    ):
        incidents.recover(
            incident, user=operator_a, recovered_at=recovered_at, cause=cause, measures=measures
        )
    assert str(refused.value) == message
    incident.refresh_from_db()
    assert incident.state == IncidentState.REPORTED


def test_a_follow_up_and_a_request_for_more_need_their_words(incident, operator_a, regulator):
    with pytest.raises(incidents.IncidentRefused):
        incidents.follow_up(incident, user=operator_a, text="  ")
    with pytest.raises(incidents.IncidentRefused):
        incidents.ask_more(incident, user=regulator, text="")
    assert not IncidentUpdate.objects.exists()


@pytest.mark.parametrize(
    ("now", "english", "chinese"),
    [
        (local(2026, 11, 20, 10, 10), "Reported 40 minutes ago", "已报告 40 分钟"),
        (local(2026, 11, 20, 10, 30), "Reported 1 hour ago", "已报告 1 小时"),
        (local(2026, 11, 23, 14, 45), "Reported 3 days 5 hours ago", "已报告 3 天 5 小时"),
        (local(2026, 11, 21, 9, 31), "Reported 1 day ago", "已报告 1 天"),
    ],
)
def test_the_time_since_it_was_reported_in_words(incident, now, english, chinese):
    with translation.override("en"):
        assert incidents.age_text(incident, now) == english
    with translation.override("zh-hans"):
        assert incidents.age_text(incident, now) == chinese


# --- Reminders while it is open ----------------------------------------------------------------


def _scan_and_send():
    for occasion_id in reminder_services.scan():
        reminder_services.send(occasion_id)
    return sorted(
        (m.extra_headers["X-Supervision-Reminder"], tuple(m.to))
        for m in mail.outbox
        if m.extra_headers["X-Supervision-Reminder"].startswith("incident_")  # this file's rules only
    )


def test_the_operator_is_asked_for_a_follow_up_once_a_day_until_it_is_recovered(
    incident, operator_a, manager_a, regulator
):
    follow = f"incident_follow_up/incident:{incident.pk}"
    # Not on the day it was reported: a day after its last step, to the operator's people.
    with time_machine.travel(local(2026, 11, 20, 18, 0), tick=False):
        assert _scan_and_send() == []
    with time_machine.travel(local(2026, 11, 21, 9, 0), tick=False):
        sent = _scan_and_send()
        assert sent == [
            (f"{follow}:2026-11-20/2026-11-21", (manager_a.email,)),
            (f"{follow}:2026-11-20/2026-11-21", (operator_a.email,)),
        ]
        # Once: the scan again the same day sends nothing more.
        mail.outbox.clear()
        assert _scan_and_send() == []
    # A follow-up on the 21st moves the next reminder to the 22nd after it, not before.
    with time_machine.travel(local(2026, 11, 21, 11, 0), tick=False):
        incidents.follow_up(incident, user=operator_a, text="修复中。")
    with time_machine.travel(local(2026, 11, 22, 9, 0), tick=False):
        mail.outbox.clear()
        sent = _scan_and_send()
        assert [key for key, _to in sent] == [f"{follow}:2026-11-21/2026-11-22"] * 2
    # Recovered: the operator hears no more; the staff are asked to review three days later.
    with time_machine.travel(local(2026, 11, 22, 10, 0), tick=False):
        incidents.recover(
            incident,
            user=operator_a,
            recovered_at=local(2026, 11, 22, 8, 0),
            cause="证书过期。",
            measures="监控。",
        )
    review = f"incident_review/incident:{incident.pk}"
    for day in (23, 24):
        with time_machine.travel(local(2026, 11, day, 9, 0), tick=False):
            mail.outbox.clear()
            assert _scan_and_send() == []
    with time_machine.travel(local(2026, 11, 25, 9, 0), tick=False):
        mail.outbox.clear()
        assert _scan_and_send() == [(f"{review}:2026-11-22/2026-11-25", (regulator.email,))]
        mail.outbox.clear()
        assert _scan_and_send() == []
    # Closed: nothing more, ever; a reminder recorded before the closing is dropped, not sent.
    with time_machine.travel(local(2026, 12, 2, 8, 0), tick=False):
        reminder_services.scan()  # records the weekly review reminder of 2 December, unsent
        pending = Occasion.objects.get(rule="incident_review", on_date=dt.date(2026, 12, 2))
        incidents.close(incident, user=regulator)
        mail.outbox.clear()
        assert _scan_and_send() == []
        pending.refresh_from_db()
        assert pending.state == OccasionState.DROPPED
    for day in (dt.date(2026, 12, 3), dt.date(2026, 12, 9), dt.date(2027, 1, 5)):
        with time_machine.travel(local(day.year, day.month, day.day, 9, 0), tick=False):
            assert _scan_and_send() == []


def test_a_request_for_more_reminds_the_operator_from_the_day_it_was_asked(incident, operator_a, regulator):
    with time_machine.travel(local(2026, 11, 21, 10, 0), tick=False):
        incidents.recover(
            incident,
            user=operator_a,
            recovered_at=local(2026, 11, 21, 6, 0),
            cause="证书过期。",
            measures="监控。",
        )
    with time_machine.travel(local(2026, 11, 23, 15, 0), tick=False):
        incidents.ask_more(incident, user=regulator, text="请补充回访情况。")
    with time_machine.travel(local(2026, 11, 24, 9, 0), tick=False):
        sent = _scan_and_send()
    assert [(key, to) for key, to in sent] == [
        (f"incident_follow_up/incident:{incident.pk}:2026-11-23/2026-11-24", (operator_a.email,))
    ]
    [message] = [m for m in mail.outbox if "incident_follow_up" in m.extra_headers["X-Supervision-Reminder"]]
    assert f"/portal/incidents/{incident.pk}/" in message.body
    assert "管局要求补充信息" in message.body


def test_the_page_lists_the_mail_and_the_next_reminders(incident, operator_a, regulator):
    with time_machine.travel(local(2026, 11, 21, 9, 0), tick=False):
        _scan_and_send()
        mails = reporting_reminders.for_incident(incident, user=operator_a)
        assert [o.rule for o in mails["recorded"]] == ["incident_follow_up"]  # not the staff's mail
        assert mails["upcoming"][:2] == [dt.date(2026, 11, 22), dt.date(2026, 11, 23)]
        staff_view = reporting_reminders.for_incident(incident, user=regulator)
        assert {o.rule for o in staff_view["recorded"]} == {
            "incident_follow_up",
            "reporting.incident_reported",
        }


def test_the_operator_is_told_at_once_when_more_is_asked_and_when_it_is_closed(
    incident, operator_a, manager_a, regulator, eager_tasks, django_capture_on_commit_callbacks
):
    manager_a.language = "en"
    manager_a.save()
    with time_machine.travel(local(2026, 11, 21, 10, 0), tick=False):
        incidents.recover(
            incident,
            user=operator_a,
            recovered_at=local(2026, 11, 21, 6, 0),
            cause="证书过期。",
            measures="监控。",
        )
    mail.outbox.clear()
    with time_machine.travel(local(2026, 11, 22, 10, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            asked = incidents.ask_more(incident, user=regulator, text="请补充回访情况。")
        incidents.follow_up(incident, user=operator_a, text="已回访。")
        with django_capture_on_commit_callbacks(execute=True):
            incidents.close(incident, user=regulator, text="同意结案。")
    headers = sorted((m.extra_headers["X-Supervision-Reminder"], tuple(m.to)) for m in mail.outbox)
    assert headers == [
        (f"reporting.incident_closed/incident:{incident.pk}:closed/2026-11-22", (manager_a.email,)),
        (f"reporting.incident_closed/incident:{incident.pk}:closed/2026-11-22", (operator_a.email,)),
        (
            f"reporting.incident_more_info/incident:{incident.pk}:more_info:{asked.pk}/2026-11-22",
            (manager_a.email,),
        ),
        (
            f"reporting.incident_more_info/incident:{incident.pk}:more_info:{asked.pk}/2026-11-22",
            (operator_a.email,),
        ),
    ]
    by_subject = {m.to[0]: [] for m in mail.outbox}
    for m in mail.outbox:
        by_subject[m.to[0]].append(m.subject)
    assert sorted(by_subject[manager_a.email]) == [
        "Major problem closed: 潍坊授权码短信下发异常",
        "More information asked on your major problem: 潍坊授权码短信下发异常",
    ]
    assert "请补充回访情况。" in next(
        m.body for m in mail.outbox if "more_info" in m.extra_headers["X-Supervision-Reminder"]
    )
    # Once: a scan has nothing of them to send again.
    with time_machine.travel(local(2026, 11, 22, 11, 0), tick=False):
        for occasion_id in reminder_services.scan():
            reminder_services.send(occasion_id)
    decisions = [m for m in mail.outbox if "incident_more_info" in m.extra_headers["X-Supervision-Reminder"]
                 or "incident_closed" in m.extra_headers["X-Supervision-Reminder"]]  # fmt: skip
    assert len(decisions) == 4
