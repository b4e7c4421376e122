"""Major problems (重大问题随时上报): reported at any time, the administration told at once."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from supervision.core.models import Role, User

from .models import Incident


@transaction.atomic
def report(incident: Incident, *, operator, user) -> Incident:
    incident.operator = operator
    incident.reported_by = user
    incident.save()
    from .tasks import notify_incident  # the task module imports this one

    transaction.on_commit(lambda: notify_incident.delay(incident.pk))
    return incident


def send_notification(incident_id: int) -> int:
    """One e-mail per administration staff member, each in their own language."""
    incident = Incident.objects.select_related("operator", "city", "reported_by").get(pk=incident_id)
    recipients = User.objects.filter(role=Role.REGULATOR_STAFF, is_active=True).exclude(email="")
    sent = 0
    for recipient in recipients:
        with translation.override(recipient.language):
            context = {
                "incident": incident,
                "recipient": recipient,
                "url": settings.SITE_URL + reverse("control:home"),
            }
            subject = render_to_string("emails/incident_subject.txt", context).strip()
            message = EmailMultiAlternatives(
                subject,
                render_to_string("emails/incident.txt", context),
                to=[recipient.email],
                reply_to=[settings.REPLY_TO_EMAIL],
            )
            message.attach_alternative(render_to_string("emails/incident.html", context), "text/html")
            sent += message.send()
    return sent
