from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

HORIZON_TASK_NAME = "会商会日程 Meeting occurrences ahead"


def ensure_schedule(**_kwargs) -> None:
    """Create or update the daily task that keeps occurrences materialised; runs after ``migrate``."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    nightly, _created = CrontabSchedule.objects.get_or_create(
        minute="20", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.update_or_create(
        name=HORIZON_TASK_NAME,
        defaults={"task": "meetings.extend_horizons", "crontab": nightly, "interval": None, "enabled": True},
    )


class MeetingsConfig(AppConfig):
    name = "supervision.meetings"
    label = "meetings"
    verbose_name = _("Consultation meetings")

    def ready(self):
        from . import mail, queues, reminders, services

        post_migrate.connect(ensure_schedule, sender=self)
        mail.register()  # the meetings' e-mails go through the reminders' outbox
        reminders.register()  # a meeting's and an action item's reminders
        services.register_audit()  # their audit entries read as the ACTIONS tables say
        queues.register()  # what waits for whom on the home pages
