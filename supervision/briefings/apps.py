from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingsConfig(AppConfig):
    name = "supervision.briefings"
    label = "briefings"
    verbose_name = _("Monthly briefings")

    def ready(self):
        from . import mail, services

        mail.register()  # the circulated briefing's e-mail goes through the reminders' outbox
        services.register_audit()  # its audit entries read as the ACTIONS table says
