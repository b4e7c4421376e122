"""The reporting app's place in the scheduler's timetable, kept in the database (django-celery-beat)."""

STALE_UPLOADS_TASK_NAME = "待确认上传文件清理 Stale upload files"


def ensure_schedule(**_kwargs) -> None:
    """Create or update the hourly clean-up of unconfirmed uploads' files; runs after ``migrate``."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    hourly, _created = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.HOURS)
    PeriodicTask.objects.update_or_create(
        name=STALE_UPLOADS_TASK_NAME,
        defaults={
            "task": "reporting.discard_stale_uploads",
            "interval": hourly,
            "crontab": None,
            "enabled": True,
        },
    )
