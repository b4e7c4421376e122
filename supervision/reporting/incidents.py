"""Major problems (重大问题随时上报): reported at any time, the administration told at once."""

from django.db import transaction

from . import reminders
from .models import Incident


@transaction.atomic
def report(incident: Incident, *, operator, user) -> Incident:
    """Record the report and, in the same transaction, its mail to every staff member (the event
    mail ``reporting.incident_reported``, sent once the report has committed)."""
    incident.operator = operator
    incident.reported_by = user
    incident.save()
    reminders.incident_reported(incident)
    return incident
