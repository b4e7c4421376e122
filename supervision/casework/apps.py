from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "supervision.casework"
    label = "casework"
    verbose_name = _("Casework")

    def ready(self):
        from . import mail

        mail.register()  # the casework e-mails go through the reminders' outbox
