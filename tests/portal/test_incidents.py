"""Major problems reported at any time; the administration is told at once."""

from django.core import mail
from django.urls import reverse

from supervision.reminders import services
from supervision.reminders.models import Occasion, OccasionState
from supervision.reporting.models import Incident


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
