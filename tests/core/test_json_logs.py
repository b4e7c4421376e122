"""Logs a machine can read: one JSON object a line, the request id on every line of the request,
in its response header, and in the lines of the tasks it starts (eagerly, or in a worker through
the task message's header)."""

import contextvars
import io
import json
import logging
from unittest import mock

import pytest
from celery import shared_task, signals
from django.http import HttpResponse
from django.test import RequestFactory

from supervision.core import logs
from tests.conftest import make_user


@pytest.fixture
def json_lines():
    """Every line logged during the test, through the production formatter, parsed back."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)

    def read():
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield read
    root.removeHandler(handler)
    root.setLevel(previous)


def request_lines(lines):
    return [line for line in lines if line["logger"] == "supervision.request"]


def test_a_request_logs_one_json_line_with_its_id(client, db, json_lines):
    response = client.get("/accounts/login/?next=/dashboard/")
    rid = response["X-Request-ID"]
    assert len(rid) == 32
    [line] = request_lines(json_lines())
    assert line["request_id"] == rid
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/accounts/login/"  # never the query string
    assert line["status"] == 200
    assert line["user_id"] is None
    assert isinstance(line["duration_ms"], float)
    assert line["time"].startswith("20") and line["time"].endswith("+08:00")  # Beijing time
    assert "next=" not in json.dumps(line)


def test_the_signed_in_user_is_on_the_line(client, db, json_lines):
    user = make_user("reader16", "regulator_leader")
    client.force_login(user)
    client.get("/dashboard/")
    [line] = request_lines(json_lines())
    assert line["user_id"] == user.pk


def test_every_request_has_its_own_id(client, db):
    first = client.get("/accounts/login/")["X-Request-ID"]
    second = client.get("/accounts/login/")["X-Request-ID"]
    assert first != second


def test_the_proxys_id_is_kept_only_behind_the_proxy(client, db, settings):
    given = "proxy-3f9a1c2e7b"
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID=given)["X-Request-ID"] != given
    settings.BEHIND_TLS_PROXY = True
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    # A header that is not an id (spaces, quotes, a new line) is replaced, never echoed.
    forged = 'x" injected\nline'
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID=forged)["X-Request-ID"] != forged


def test_djangos_line_about_an_error_names_the_request_too(client, db, json_lines):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    warning = [line for line in json_lines() if line["logger"] == "django.request"]
    assert warning and warning[0]["request_id"] == response["X-Request-ID"]


def test_an_error_is_one_line_with_its_traceback(json_lines):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("supervision.test").exception("it failed")
    [line] = [line for line in json_lines() if line["logger"] == "supervision.test"]
    assert line["level"] == "ERROR"
    assert "ValueError: boom" in line["exception"]


@shared_task(name="tests.log_a_line")
def log_a_line():
    logging.getLogger("supervision.tests.task").info("checked in the background")


def test_a_task_the_request_starts_logs_the_same_id(db, eager_tasks, json_lines):
    def view(request):
        log_a_line.delay()
        return HttpResponse("queued")

    response = logs.RequestIdMiddleware(view)(RequestFactory().get("/portal/uploads/"))
    rid = response["X-Request-ID"]
    task_line = next(line for line in json_lines() if line["logger"] == "supervision.tests.task")
    assert task_line["request_id"] == rid
    assert task_line["task"] == "tests.log_a_line"
    [request_line] = request_lines(json_lines())
    assert request_line["request_id"] == rid


def test_a_task_in_a_worker_logs_the_id_of_the_request_that_queued_it(json_lines):
    """The id travels in the message: a header set on publish, read back before the task runs."""
    published = {}

    def capture(*args, headers=None, **kwargs):
        published.update(headers)

    token = logs.request_id.set("req-7c1d9e0a55")
    try:
        with mock.patch("kombu.messaging.Producer.publish", side_effect=capture):
            log_a_line.apply_async()
    finally:
        logs.request_id.reset(token)
    assert published["request_id"] == "req-7c1d9e0a55"

    def in_the_worker():
        # A worker's own context: no request is running there.
        assert logs.request_id.get() is None
        log_a_line.push_request(id=published["id"], **{"request_id": published["request_id"]})
        try:
            signals.task_prerun.send(sender=log_a_line, task_id=published["id"], task=log_a_line)
            log_a_line.run()
            signals.task_postrun.send(sender=log_a_line, task_id=published["id"], task=log_a_line)
        finally:
            log_a_line.pop_request()
        assert logs.request_id.get() is None

    contextvars.Context().run(in_the_worker)
    [line] = [line for line in json_lines() if line["logger"] == "supervision.tests.task"]
    assert line["request_id"] == "req-7c1d9e0a55"
    assert line["task"] == "tests.log_a_line"


def test_a_task_queued_by_no_request_gets_an_id_of_its_own(json_lines):
    def in_the_worker():
        log_a_line.push_request(id="t-1")
        try:
            signals.task_prerun.send(sender=log_a_line, task_id="t-1", task=log_a_line)
            log_a_line.run()
            signals.task_postrun.send(sender=log_a_line, task_id="t-1", task=log_a_line)
        finally:
            log_a_line.pop_request()

    contextvars.Context().run(in_the_worker)
    [line] = [line for line in json_lines() if line["logger"] == "supervision.tests.task"]
    assert line["request_id"] and len(line["request_id"]) == 32


def test_the_text_format_for_a_developer_names_the_request(caplog):
    formatter = logs.TextFormatter()
    token = logs.request_id.set("req-0011223344")
    try:
        record = logging.LogRecord("supervision.x", logging.INFO, __file__, 1, "hello", (), None)
        assert "[req-0011223344] hello" in formatter.format(record)
    finally:
        logs.request_id.reset(token)
