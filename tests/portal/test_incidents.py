"""Major problems reported at any time; the administration is told at once."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from supervision.reminders import services
from supervision.reminders.models import Occasion, OccasionState
from supervision.reporting import incidents
from supervision.reporting.models import Incident, IncidentState


def test_operator_reports_a_major_problem_and_staff_get_mail(
    client, operator_a, regulator, leader, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(operator_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:incident_new"),
            {
                "title": "授权码短信下发失败",
                "description": "10086 下发授权码的短信通道故障。",
                "city": "",
                "location": "全省",
                "since": "2026-11-27T09:30",
                "subscribers_affected": "1200",
                "measures": "已切换备用通道。",
            },
        )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.operator.code == "CMCC"
    assert incident.since.isoformat() == "2026-11-27T01:30:00+00:00"  # entered in Beijing time
    # Every staff member (not leadership) is mailed once, at once, in their language.
    key = f"reporting.incident_reported/incident:{incident.pk}:reported/"
    notices = [m for m in mail.outbox if m.extra_headers["X-Supervision-Reminder"].startswith(key)]
    assert [m.to for m in notices] == [[regulator.email]]
    assert "授权码短信下发失败" in notices[0].subject
    # One occasion, sent: the scan has nothing of it to send again.
    [occasion] = Occasion.objects.filter(rule="reporting.incident_reported")
    assert (occasion.recipient, occasion.state) == (regulator, OccasionState.SENT)
    assert occasion.pk not in services.scan()
    client.force_login(regulator)
    assert "授权码短信下发失败" in client.get(reverse("control:home")).content.decode()


def test_incident_form_names_missing_fields(client, operator_a):
    client.force_login(operator_a)
    response = client.post(reverse("portal:incident_new"), {"title": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.content.decode().count("This field is required.") >= 3
    assert not Incident.objects.exists()


# --- The life of a major problem in the portal -------------------------------------------------

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
REPORTED = dt.datetime(2026, 11, 20, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture
def incident(operator_a):
    with time_machine.travel(REPORTED, tick=False):
        return incidents.report(
            Incident(
                title="授权码短信下发失败",
                description="-",
                since=REPORTED - dt.timedelta(hours=2),
                measures="-",
            ),
            operator=operator_a.operator,
            user=operator_a,
        )


@pytest.fixture
def later():
    with time_machine.travel(dt.datetime(2026, 11, 21, 11, 0, tzinfo=SHANGHAI), tick=False):
        yield


def test_the_report_leads_to_its_page_with_the_forms_the_table_allows(client, manager_a, incident, later):
    client.force_login(manager_a)
    listing = client.get(reverse("portal:incidents")).content.decode()
    assert reverse("portal:incident", args=[incident.pk]) in listing
    assert "已报告 1 天 1 小时" in listing
    response = client.get(reverse("portal:incident", args=[incident.pk]))
    assert response.status_code == 200
    assert response.context["allowed"] == {"follow_up", "recover"}
    page = response.content.decode()
    assert 'data-testid="follow-up-form"' in page and 'data-testid="recovery-form"' in page


def test_a_follow_up_and_the_recovery_from_the_portal(client, operator_a, incident, later):
    client.force_login(operator_a)
    response = client.post(
        reverse("portal:incident_follow_up", args=[incident.pk]),
        {"follow_up-text": "故障点已定位，正在修复。"},
    )
    assert response.status_code == 302
    assert response.url == reverse("portal:incident", args=[incident.pk])
    # A recovery in the future is refused with the reason, the form kept.
    response = client.post(
        reverse("portal:incident_recover", args=[incident.pk]),
        {
            "recovery-recovered_at": "2026-11-22T08:00",
            "recovery-cause": "证书过期。",
            "recovery-measures": "监控。",
        },
    )
    assert response.status_code == 400
    assert response.context["refusal"] == "恢复时间不能晚于当前时间。"
    response = client.post(
        reverse("portal:incident_recover", args=[incident.pk]),
        {
            "recovery-recovered_at": "2026-11-21T08:00",
            "recovery-cause": "证书过期。",
            "recovery-measures": "监控。",
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.state == IncidentState.RECOVERED
    assert incident.recovered_at.isoformat() == "2026-11-21T00:00:00+00:00"  # entered in Beijing time
    page = client.get(reverse("portal:incident", args=[incident.pk])).content.decode()
    assert [k for k in ("report", "follow_up", "recovery") if f'data-kind="{k}"' in page] == [
        "report",
        "follow_up",
        "recovery",
    ]
    assert 'data-testid="recovery-form"' not in page  # recovered: no second recovery
    assert 'data-testid="awaiting-review"' in page


def test_the_request_for_more_is_shown_and_a_closed_one_takes_nothing(
    client, operator_a, regulator, incident, later
):
    incidents.ask_more(incident, user=regulator, text="请补充受影响用户数。")
    client.force_login(operator_a)
    page = client.get(reverse("portal:incident", args=[incident.pk])).content.decode()
    assert 'data-testid="more-info"' in page and "请补充受影响用户数。" in page
    incidents.recover(incident, user=operator_a, recovered_at=REPORTED, cause="证书过期。", measures="监控。")
    incidents.close(incident, user=regulator)
    response = client.get(reverse("portal:incident", args=[incident.pk]))
    assert response.context["allowed"] == set()
    assert "<form" not in response.content.decode().split('class="col-lg-5"')[1]
    response = client.post(
        reverse("portal:incident_follow_up", args=[incident.pk]), {"follow_up-text": "补充。"}
    )
    assert response.status_code == 400
    assert response.context["refusal"] == "当前无法续报此重大问题：状态为“已结案”。"


def test_another_operators_major_problem_is_not_found(client, operator_b, incident, later):
    client.force_login(operator_b)
    assert client.get(reverse("portal:incident", args=[incident.pk])).status_code == 404
    response = client.post(reverse("portal:incident_follow_up", args=[incident.pk]), {"follow_up-text": "x"})
    assert response.status_code == 404
    response = client.post(
        reverse("portal:incident_recover", args=[incident.pk]),
        {"recovery-recovered_at": "2026-11-21T08:00", "recovery-cause": "x", "recovery-measures": "x"},
    )
    assert response.status_code == 404
    assert not incident.updates.exists()
    assert "授权码短信下发失败" not in client.get(reverse("portal:incidents")).content.decode()
