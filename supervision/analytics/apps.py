from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "supervision.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    def ready(self):
        from . import digest

        digest.register()  # the morning digest, the mail form of the control home page
