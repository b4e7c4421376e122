"""The scheduler (Celery beat) with its timetable in the database, writing its heartbeat.

``CELERY_BEAT_SCHEDULER`` names this class. django-celery-beat's scheduler ticks every few
seconds; each tick notes that the scheduler is alive (at most every ``HEARTBEAT_SECONDS``), which
``/healthz`` reads (``core.health``). Imported by the scheduler only, after Django is set up.
"""

from django_celery_beat.schedulers import DatabaseScheduler

from .health import SCHEDULER, record_heartbeat_every


class HeartbeatDatabaseScheduler(DatabaseScheduler):
    def tick(self, *args, **kwargs):
        record_heartbeat_every(SCHEDULER)
        return super().tick(*args, **kwargs)
