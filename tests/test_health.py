"""/healthz for the proxy and the monitors: 200 when the database, cache, broker, storage, the
scheduler and a worker are fine, 503 naming the check that is not, and nothing else told to anybody.
"""

import datetime as dt
import re
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError, connections
from django.utils import timezone

from supervision.celery import WorkerHeartbeat
from supervision.core import health
from supervision.core.models import Heartbeat
from tests.conftest import make_user

ALL_OK = "database: ok\ncache: ok\nbroker: ok\nstorage: ok\nscheduler: ok\nworker: ok\n"
# Everything the answer may say: a check's name and ok or fail, a line each.
MINIMAL = re.compile(r"\A(?:[a-z]+: (?:ok|fail)\n)+\Z")


@pytest.fixture
def alive(db, settings, tmp_path):
    """A scheduler and a worker that beat just now; uploaded files in a scratch folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    health.record_heartbeat(health.SCHEDULER)
    health.record_heartbeat(health.WORKER)


def lines(response) -> dict[str, str]:
    return dict(line.split(": ") for line in response.content.decode().splitlines())


def test_all_fine_is_200_with_one_line_per_check(client, alive):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.decode() == ALL_OK
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-store" in response["Cache-Control"]


def test_no_log_in_needed_and_a_signed_in_user_sees_the_same(client, alive):
    assert client.get("/healthz").status_code == 200
    client.force_login(make_user("staff16", "regulator_staff"))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.decode() == ALL_OK


def test_a_monitor_over_plain_http_is_not_redirected_to_https(client, alive, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


SECRET_ERROR = 'connection to server at "10.1.2.3", port 5432 failed: password authentication failed for user "supervision"'


def test_database_down_is_503_naming_the_database_and_nothing_of_the_error(client, alive):
    with mock.patch.object(
        type(connections["default"]), "temporary_connection", side_effect=OperationalError(SECRET_ERROR)
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert lines(response)["database"] == "fail"
    assert [name for name, state in lines(response).items() if state == "fail"] == ["database"]
    body = response.content.decode()
    assert MINIMAL.match(body)
    for secret in ("10.1.2.3", "5432", "password", "supervision", "Traceback", "OperationalError"):
        assert secret not in body


def test_cache_down_is_503_naming_the_cache(client, alive):
    # The cache of this run: local memory, or Redis when the suite runs with REDIS_URL.
    backend = type(caches["default"])
    with mock.patch.object(backend, "aget", side_effect=ConnectionError("redis at 10.1.2.3 refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert lines(response)["cache"] == "fail"
    assert "10.1.2.3" not in response.content.decode()


def test_production_cache_with_redis_gone_is_503_although_pages_go_on(client, alive, settings):
    # The production cache answers a miss when Redis is away (pages go on, core.cache); the
    # health check still sees that what it wrote is not there. Nothing listens on port 1.
    settings.CACHES = {
        "default": {
            "BACKEND": "supervision.core.cache.TolerantRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert [name for name, state in lines(response).items() if state == "fail"] == ["cache"]
    assert "127.0.0.1" not in response.content.decode()


def test_broker_down_is_503_naming_the_broker(client, alive, settings):
    # Nothing listens on port 1: the connection is refused at once.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert lines(response)["broker"] == "fail"
    assert [name for name, state in lines(response).items() if state == "fail"] == ["broker"]
    assert "127.0.0.1" not in response.content.decode()


def test_broker_answering_redis_is_fine(client, alive, settings):
    settings.CELERY_BROKER_URL = "redis://broker.invalid:6379/0"
    with mock.patch("redis.Redis.ping", return_value=True):
        response = client.get("/healthz")
    assert response.status_code == 200


def test_storage_that_cannot_write_is_503_naming_the_storage(client, alive):
    with mock.patch.object(FileSystemStorage, "save", side_effect=PermissionError("/srv/media: denied")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert lines(response)["storage"] == "fail"
    assert "/srv/media" not in response.content.decode()


def test_storage_check_leaves_no_file(client, alive, settings):
    client.get("/healthz")
    assert not [p for p in (settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.mark.parametrize("name", [health.SCHEDULER, health.WORKER])
def test_a_silent_scheduler_or_worker_is_503_after_the_threshold(client, alive, settings, name):
    settings.HEALTH_SCHEDULER_MAX_AGE = settings.HEALTH_WORKER_MAX_AGE = 120
    Heartbeat.objects.filter(name=name).update(at=timezone.now() - dt.timedelta(seconds=100))
    assert client.get("/healthz").status_code == 200
    Heartbeat.objects.filter(name=name).update(at=timezone.now() - dt.timedelta(seconds=125))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert [n for n, state in lines(response).items() if state == "fail"] == [name]


def test_a_scheduler_or_worker_that_never_beat_is_503(client, alive):
    Heartbeat.objects.all().delete()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert lines(response)["scheduler"] == lines(response)["worker"] == "fail"


def test_nothing_else_is_revealed(client, alive):
    response = client.get("/healthz")
    body = response.content.decode()
    assert MINIMAL.match(body)
    for word in ("django", "Django", "python", "celery", "redis", "sqlite", "version", "5.2", "host"):
        assert word not in body
    assert "Server" not in response.headers or "/" not in response["Server"]


def test_a_head_request_answers_too(client, alive):
    assert client.head("/healthz").status_code == 200


# --- The heartbeats ------------------------------------------------------------------------------


def test_the_scheduler_notes_its_tick_at_most_every_half_minute(db, monkeypatch):
    from supervision.core.beat import HeartbeatDatabaseScheduler

    health._last_written.pop(health.SCHEDULER, None)
    seconds = [1000.0]
    monkeypatch.setattr(health.time, "monotonic", lambda: seconds[0])
    scheduler = HeartbeatDatabaseScheduler.__new__(HeartbeatDatabaseScheduler)
    with (
        mock.patch("django_celery_beat.schedulers.DatabaseScheduler.tick", return_value=5.0),
        mock.patch.object(health, "record_heartbeat", wraps=health.record_heartbeat) as record,
    ):
        assert scheduler.tick() == 5.0  # first tick: written
        seconds[0] += 10
        scheduler.tick()  # 10 s later: not yet
        seconds[0] += 21
        scheduler.tick()  # 31 s after the first: written again
    assert record.call_count == 2
    assert Heartbeat.objects.get(name=health.SCHEDULER).at > timezone.now() - dt.timedelta(seconds=5)


def test_a_worker_beats_once_connected_and_then_every_half_minute(db):
    timer = mock.Mock()
    step = WorkerHeartbeat(SimpleNamespace())
    step.start(SimpleNamespace(timer=timer))
    assert Heartbeat.objects.filter(name=health.WORKER).exists()
    timer.call_repeatedly.assert_called_once_with(
        health.HEARTBEAT_SECONDS, health.record_heartbeat, (health.WORKER,)
    )
    step.stop(SimpleNamespace(timer=timer))
    timer.call_repeatedly.return_value.cancel.assert_called_once()


def test_a_heartbeat_with_the_database_down_is_logged_not_raised(db, caplog):
    with mock.patch.object(Heartbeat.objects, "update_or_create", side_effect=OperationalError("down")):
        health.record_heartbeat(health.WORKER)
    assert "heartbeat worker not recorded" in caplog.text
