from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "supervision.reporting"
    label = "reporting"
    verbose_name = _("Monthly reporting")

    def ready(self):
        from . import incidents, reminders

        # The monthly figures' and the complaint ledger's checks join the one catalogue of checks
        # (supervision.ingest.checks) that the portal publishes.
        from .ingest import checks  # noqa: F401
        from .schedule import ensure_schedule

        post_migrate.connect(ensure_schedule, sender=self)
        reminders.register()  # the monthly report's reminders and the incident mail
        from . import mail

        mail.register()  # a monthly report stored, certified, returned, accepted: told once each
        from supervision.core import instructions

        from . import queues
        from .models import Incident, MonthlySubmission

        queues.register()  # what waits for whom on the home pages
        # Leadership may write an instruction (批示) on a monthly report or a major problem.
        instructions.register("report", MonthlySubmission, "control:submission")
        instructions.register("incident", Incident, "control:incident")
        incidents.register_audit()  # a major problem's steps read as its ACTIONS table says
