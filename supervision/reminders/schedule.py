"""The scheduler's timetable, kept in the database (django-celery-beat)."""

from django.conf import settings

SCAN_TASK_NAME = "提醒扫描 Reminder scan"


def ensure_schedule(**_kwargs) -> None:
    """Create or update the periodic scan; runs after every ``migrate``."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every, _created = IntervalSchedule.objects.get_or_create(
        every=settings.REMINDERS_SCAN_SECONDS, period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.update_or_create(
        name=SCAN_TASK_NAME, defaults={"task": "reminders.scan", "interval": every, "enabled": True}
    )
