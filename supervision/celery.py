"""The Celery application: configuration comes from Django settings (``CELERY_*``)."""

import os

from celery import Celery, bootsteps, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supervision.settings")

app = Celery("supervision")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Once the worker is connected to the broker, note every half minute that it is alive
    (``core.health``: ``/healthz`` reports the worker unhealthy when no worker has for long)."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def __init__(self, parent, **kwargs):
        super().__init__(parent, **kwargs)
        self.timer_ref = None

    def start(self, parent):
        from supervision.core.health import HEARTBEAT_SECONDS, WORKER, record_heartbeat

        record_heartbeat(WORKER)
        self.timer_ref = parent.timer.call_repeatedly(HEARTBEAT_SECONDS, record_heartbeat, (WORKER,))

    def stop(self, parent):
        if self.timer_ref is not None:
            self.timer_ref.cancel()
            self.timer_ref = None


app.steps["consumer"].add(WorkerHeartbeat)


@signals.setup_logging.connect
def use_django_logging(**_kwargs):
    """Workers and the scheduler log as the web processes do (``LOGGING``: JSON lines in production,
    with the id of the request that queued the task), not in Celery's own format."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
