"""The production switches read from the environment: the log format, uploaded files in object
storage, metrics that are not public, error reports that carry nothing personal. Each is tried in
a fresh process, as a server would start."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from supervision.core import logs

ROOT = Path(__file__).resolve().parents[2]

SHOW = """
import json
from django.conf import settings
print(json.dumps({
    "log_format": settings.LOG_FORMAT,
    "formatter": settings.LOGGING["formatters"]["default"]["()"],
    "storage": settings.STORAGES["default"],
    "apps": [a for a in settings.INSTALLED_APPS if a == "django_prometheus"],
    "middleware": settings.MIDDLEWARE,
}))
"""


def _env(tmp_path, **extra):
    unset = {"DATABASE_URL", "REDIS_URL", "EMAIL_HOST", "DJANGO_ALLOW_ASYNC_UNSAFE", "SENTRY_DSN"}
    env = {k: v for k, v in os.environ.items() if k not in unset and not k.startswith(("S3_", "METRICS_"))}
    env.update(VAR_DIR=str(tmp_path), **extra)
    return env


def _production(tmp_path, **extra):
    return _env(
        tmp_path,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="xhzw.sdca.example.cn,testserver",
        **extra,
    )


def _shell(code, env):
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _settings(env):
    result = _shell(SHOW, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_logs_are_json_in_production_and_text_on_a_developers_machine(tmp_path):
    production = _settings(_production(tmp_path))
    assert production["log_format"] == "json"
    assert production["formatter"] == "supervision.core.logs.JsonFormatter"
    assert _settings(_env(tmp_path, DEBUG="true"))["log_format"] == "text"
    assert _settings(_production(tmp_path, LOG_FORMAT="text"))["log_format"] == "text"


def test_a_log_format_that_cannot_be_right_stops_the_start(tmp_path):
    result = _check(_production(tmp_path, LOG_FORMAT="xml"))
    assert result.returncode != 0
    assert "LOG_FORMAT='xml'" in result.stderr


def test_uploaded_files_on_disk_unless_object_storage_is_asked_for(tmp_path):
    assert _settings(_env(tmp_path))["storage"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    storage = _settings(
        _env(
            tmp_path,
            MEDIA_STORAGE="s3",
            S3_BUCKET="supervision-media",
            S3_ENDPOINT_URL="http://127.0.0.1:9000",
            S3_ACCESS_KEY_ID="minio",
            S3_SECRET_ACCESS_KEY="minio-secret",
        )
    )["storage"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "supervision-media"
    assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["location"] == "media"
    # Private, signed, never overwritten: as on disk, a second file of one name gets another name.
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False


def test_object_storage_without_a_bucket_or_an_unknown_storage_stops_the_start(tmp_path):
    result = _check(_env(tmp_path, MEDIA_STORAGE="s3"))
    assert result.returncode != 0 and "S3_BUCKET" in result.stderr
    result = _check(_env(tmp_path, MEDIA_STORAGE="ftp"))
    assert result.returncode != 0 and "MEDIA_STORAGE='ftp'" in result.stderr


def test_the_s3_storage_saves_through_boto3_with_the_settings(tmp_path):
    """The storage really is built from the settings (building it asks no object store)."""
    code = """
from django.core.files.storage import storages
storage = storages["default"]
print(type(storage).__name__, storage.bucket_name, storage.location)
"""
    result = _shell(code, _env(tmp_path, MEDIA_STORAGE="s3", S3_BUCKET="b1", S3_PREFIX="/uploads/"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "b1", "uploads"]


METRICS = """
from django.test import Client
for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer wrong"}, {"HTTP_AUTHORIZATION": "Bearer %s"}):
    response = Client(REMOTE_ADDR="10.9.9.9").get("/metrics", **headers)
    print(response.status_code, b"django_http_requests" in response.content)
response = Client(REMOTE_ADDR="127.0.0.1").get("/metrics")
print(response.status_code, b"django_http_requests" in response.content)
"""


def test_metrics_are_off_by_default_and_never_public_when_on(tmp_path):
    token = secrets.token_urlsafe(32)
    off = _shell(METRICS % token, _env(tmp_path))
    assert off.returncode == 0, off.stderr
    assert [line.split()[0] for line in off.stdout.splitlines()] == ["404"] * 4

    env = _env(tmp_path, METRICS_ENABLED="true", METRICS_TOKEN=token, METRICS_ALLOWED_IPS="127.0.0.1")
    on = _shell(METRICS % token, env)
    assert on.returncode == 0, on.stderr
    # Another address: a 404 as if there were no such page; with the token, or from an allowed
    # address, the figures.
    assert on.stdout.splitlines() == ["404 False", "404 False", "200 True", "200 True"]
    middleware = _settings(env)["middleware"]
    assert middleware[0] == "django_prometheus.middleware.PrometheusBeforeMiddleware"
    assert middleware[-2:] == [
        "django_prometheus.middleware.PrometheusAfterMiddleware",
        "axes.middleware.AxesMiddleware",
    ]


def test_a_short_metrics_token_stops_the_start(tmp_path):
    result = _check(_env(tmp_path, METRICS_ENABLED="true", METRICS_TOKEN="short"))
    assert result.returncode != 0 and "METRICS_TOKEN" in result.stderr


def test_error_reports_switched_on_by_sentry_dsn_send_nothing_personal(tmp_path):
    code = """
import sentry_sdk
client = sentry_sdk.get_client()
print(client.is_active(), client.options["send_default_pii"], client.options["max_request_body_size"],
      client.options["include_local_variables"])
"""
    assert _shell(code, _env(tmp_path)).stdout.split()[0] == "False"
    on = _shell(code, _env(tmp_path, SENTRY_DSN="https://public@sentry.invalid/1"))
    assert on.returncode == 0, on.stderr
    assert on.stdout.split() == ["True", "False", "never", "False"]


def test_an_error_report_loses_the_query_cookies_and_address_and_gains_the_request_id():
    event = {
        "request": {
            "url": "https://xhzw.sdca.example.cn/dashboard/complaints/",
            "query_string": "q=13800138000",
            "cookies": {"sessionid": "abc"},
            "data": {"number": "13800138000"},
            "headers": {"Cookie": "sessionid=abc", "X-Forwarded-For": "1.2.3.4", "Accept": "text/html"},
        },
        "user": {"ip_address": "1.2.3.4"},
    }
    token = logs.request_id.set("req-5e5e5e5e5e")
    try:
        scrubbed = logs.scrub_event(event, {})
    finally:
        logs.request_id.reset(token)
    assert "13800138000" not in json.dumps(scrubbed)
    assert "1.2.3.4" not in json.dumps(scrubbed)
    assert "sessionid" not in json.dumps(scrubbed)
    assert scrubbed["request"]["headers"] == {"Accept": "text/html"}
    assert scrubbed["tags"]["request_id"] == "req-5e5e5e5e5e"


@pytest.mark.parametrize("variable", ["HEALTH_SCHEDULER_MAX_AGE", "HEALTH_WORKER_MAX_AGE"])
def test_a_heartbeat_threshold_shorter_than_the_heartbeat_stops_the_start(tmp_path, variable):
    result = _check(_env(tmp_path, **{variable: "20"}))
    assert result.returncode != 0 and f"{variable}=20 must be at least 31" in result.stderr
