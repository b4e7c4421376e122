"""Major problems (重大问题随时上报): reported at any time, the administration told at once."""

from django.db import transaction

from .models import Incident


@transaction.atomic
def report(incident: Incident, *, operator, user) -> Incident:
    """Record the report; the reminder scan mails every staff member once (rule "incident")."""
    incident.operator = operator
    incident.reported_by = user
    incident.save()
    from supervision.reminders.tasks import scan

    transaction.on_commit(scan.delay)
    return incident
