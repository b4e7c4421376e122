"""``/healthz`` for the reverse proxy and the monitors, and the heartbeats it reads.

Six checks (django-health-check): the database, the cache, the broker, the storage of uploaded
files, the scheduler's last tick and a worker's last heartbeat. The answer is 200 when all pass and
503 when any fails, with a plain-text body of one line per check, ``name: ok`` or ``name: fail``,
and nothing else: no version, host, address or error text (the reason is in the server's log, from
the ``health_check`` logger). Anybody may ask; nothing in the answer helps an attacker.

The scheduler and a worker each write a heartbeat row (``core.Heartbeat``) every
``HEARTBEAT_SECONDS``: the scheduler on its tick (``core.beat``), a worker from a timer of its
consumer, started once it is connected to the broker (``supervision/celery.py``). Either is
unhealthy when its row is older than ``HEALTH_SCHEDULER_MAX_AGE`` / ``HEALTH_WORKER_MAX_AGE``
seconds (120 each by default) or missing.
"""

import asyncio
import dataclasses
import datetime as dt
import hmac
import logging
import socket
import time

from asgiref.sync import sync_to_async
from django import db
from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30
SCHEDULER, WORKER = "scheduler", "worker"


# --- Heartbeats -------------------------------------------------------------------------------

_last_written: dict[str, float] = {}


def record_heartbeat(name: str) -> None:
    """Write that ``name`` is alive now; a failure (database down) is logged, never raised."""
    from .models import Heartbeat

    try:
        # A long-lived process: a connection the database dropped (restart) is replaced first.
        if not db.connection.in_atomic_block:
            db.close_old_connections()
        Heartbeat.objects.update_or_create(
            name=name, defaults={"at": timezone.now(), "host": socket.gethostname()[:200]}
        )
    except Exception:  # noqa: BLE001 — a heartbeat must never stop the process that beats
        log.warning("heartbeat %s not recorded", name, exc_info=True)
    else:
        _last_written[name] = time.monotonic()


def record_heartbeat_every(name: str, seconds: int = HEARTBEAT_SECONDS) -> None:
    """For a loop that runs often (the scheduler's tick, every few seconds): write at most every
    ``seconds``."""
    last = _last_written.get(name)
    if last is None or time.monotonic() - last >= seconds:
        record_heartbeat(name)


# --- Checks -----------------------------------------------------------------------------------


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker answers: Redis answers a PING; the embedded broker's folders exist."""

    timeout = dt.timedelta(seconds=3)

    def run(self):
        url = settings.CELERY_BROKER_URL
        if url.startswith(("redis://", "rediss://", "unix://")):
            import redis

            client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
            try:
                client.ping()
            except (redis.RedisError, OSError) as error:
                raise ServiceUnavailable("broker") from error
            finally:
                client.close()
            return
        from celery import current_app

        try:
            with current_app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1)
        except Exception as error:
            raise ServiceUnavailable("broker") from error


@dataclasses.dataclass
class Heartbeat(HealthCheck):
    """The process called ``name`` wrote its heartbeat less than ``max_age`` seconds ago."""

    name: str = SCHEDULER
    max_age: int = 120

    async def run(self):
        seen = await sync_to_async(_last_seen, thread_sensitive=True)(self.name)
        if seen is None or timezone.now() - seen > dt.timedelta(seconds=self.max_age):
            raise ServiceUnavailable(f"no heartbeat from the {self.name} for {self.max_age} s")


def _last_seen(name: str):
    from .models import Heartbeat as Row

    return Row.objects.filter(name=name).values_list("at", flat=True).first()


def checks() -> list[tuple[str, HealthCheck]]:
    """The checks in the order of the answer, each with the name it is reported under."""
    return [
        ("database", Database()),
        ("cache", Cache()),
        ("broker", Broker()),
        ("storage", Storage()),
        (SCHEDULER, Heartbeat(name=SCHEDULER, max_age=settings.HEALTH_SCHEDULER_MAX_AGE)),
        (WORKER, Heartbeat(name=WORKER, max_age=settings.HEALTH_WORKER_MAX_AGE)),
    ]


class HealthView(HealthCheckView):
    """``GET /healthz``: 200 or 503, ``name: ok|fail`` a line, never cached, no log-in."""

    async def get(self, request, *args, **kwargs):
        named = checks()
        results = await asyncio.gather(*(check.get_result() for _name, check in named))
        lines = [
            f"{name}: {'fail' if result.error else 'ok'}"
            for (name, _), result in zip(named, results, strict=True)
        ]
        failed = any(result.error for result in results)
        return HttpResponse(
            "\n".join(lines) + "\n", status=503 if failed else 200, content_type="text/plain; charset=utf-8"
        )


healthz = HealthView.as_view()


# --- Metrics ------------------------------------------------------------------------------------


def may_read_metrics(request) -> bool:
    """From an address of ``METRICS_ALLOWED_IPS``, or with ``Authorization: Bearer METRICS_TOKEN``."""
    from .accounts import client_ip

    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    return client_ip(request) in settings.METRICS_ALLOWED_IPS


def metrics(request):
    """``/metrics`` (django-prometheus) when ``METRICS_ENABLED``; a 404 to anybody not allowed, as
    if there were no such page. With several application server processes, set
    ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder so that the figures are summed over them."""
    if not may_read_metrics(request):
        raise Http404
    from django_prometheus.exports import ExportToDjangoView

    return ExportToDjangoView(request)
