"""The reporting app's place in the scheduler's timetable, kept in the database (django-celery-beat)."""

STALE_UPLOADS_TASK_NAME = "待确认上传文件清理 Stale upload files"
PURGE_TASK_NAME = "个人信息到期清除 Personal data past retention"
STALLED_CHECKS_TASK_NAME = "中断的上传检查 Interrupted upload checks"


def ensure_schedule(**_kwargs) -> None:
    """Create or update the hourly clean-up of unconfirmed uploads' files, the five-minutely
    failing of interrupted checks and the nightly purge of personal data past retention (03:15
    Beijing time); runs after ``migrate``."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

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
    every_five, _created = IntervalSchedule.objects.get_or_create(every=5, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.update_or_create(
        name=STALLED_CHECKS_TASK_NAME,
        defaults={
            "task": "reporting.fail_stalled_checks",
            "interval": every_five,
            "crontab": None,
            "enabled": True,
        },
    )
    nightly, _created = CrontabSchedule.objects.get_or_create(
        minute="15", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.update_or_create(
        name=PURGE_TASK_NAME,
        defaults={
            "task": "reporting.purge_personal_data",
            "crontab": nightly,
            "interval": None,
            "enabled": True,
        },
    )
