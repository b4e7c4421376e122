from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingsConfig(AppConfig):
    name = "supervision.briefings"
    label = "briefings"
    verbose_name = _("Monthly briefings")

    def ready(self):
        from supervision.core import instructions

        from . import mail, queues, services
        from .models import Briefing

        mail.register()  # the circulated briefing's e-mail goes through the reminders' outbox
        services.register_audit()  # its audit entries read as the ACTIONS table says
        queues.register()  # what waits for whom on the home pages
        instructions.register("briefing", Briefing, "control:briefing")  # leadership's 批示 on it
