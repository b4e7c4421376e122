from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "supervision.reporting"
    label = "reporting"
    verbose_name = _("Monthly reporting")

    def ready(self):
        from .schedule import ensure_schedule

        post_migrate.connect(ensure_schedule, sender=self)
