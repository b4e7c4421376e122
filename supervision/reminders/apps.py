from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "supervision.reminders"
    label = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        # The Celery tasks, registered in every process: the outbox queues "reminders.send" by name.
        from . import tasks  # noqa: F401
        from .schedule import ensure_schedule

        post_migrate.connect(ensure_schedule, sender=self)
