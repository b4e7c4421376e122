"""Logs a machine can read: one JSON object a line, each carrying the request it belongs to.

Every request gets an id: the reverse proxy's ``X-Request-ID`` when the site runs behind it
(``BEHIND_TLS_PROXY``; the proxy's access log then names the same id), else a new one. The id is
returned in the response's ``X-Request-ID`` header, written on every line logged while the request
runs, and carried into every Celery task the request starts (a header of the task's message, set
on publish and read back in the worker before the task runs), so that the lines of a background
check name the upload's request.

``LOG_FORMAT=json`` (the default when ``DEBUG`` is off) writes lines such as::

    {"time": "2026-11-20T10:00:00.123+08:00", "level": "INFO", "logger": "supervision.request",
     "message": "GET /dashboard/ 200", "request_id": "9f1c…", "user_id": 17, "method": "GET",
     "path": "/dashboard/", "status": 200, "duration_ms": 41.2}

The query string is never logged (it may hold a search for a person's name or number).
"""

import contextlib
import contextvars
import datetime as dt
import json
import logging
import re
import time
import traceback
import uuid

from django.conf import settings

from .dates import SHANGHAI

log = logging.getLogger("supervision.request")

# The request a line belongs to, and the signed-in user's id once known; a task's name in a worker.
request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
user_id: contextvars.ContextVar[int | None] = contextvars.ContextVar("user_id", default=None)
task_name: contextvars.ContextVar[str | None] = contextvars.ContextVar("task_name", default=None)

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
# An id from the proxy is taken as it is only if it looks like one: no spaces, quotes or newlines.
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def new_id() -> str:
    return uuid.uuid4().hex


def incoming_id(request) -> str:
    """The proxy's id when we sit behind it (and it is well-formed), else a fresh one."""
    if settings.BEHIND_TLS_PROXY:
        given = request.headers.get(HEADER, "")
        if _VALID_ID.match(given):
            return given
    return new_id()


class RequestIdMiddleware:
    """First in the chain: names the request, answers with its id, logs one line when it is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = incoming_id(request)
        request.request_id = rid
        # Kept until the response is closed (``clear`` on ``request_finished``), so that Django's
        # own line about a 4xx or 5xx, written after the middleware, names the request too.
        request_id.set(rid)
        user_id.set(None)
        started = time.perf_counter()
        response = self.get_response(request)
        response[HEADER] = rid
        uid = _known_user_id(request)
        if uid is not None:
            user_id.set(uid)
        log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


def clear(**_kwargs) -> None:
    """``request_finished``: the lines logged after the request, by the same thread, name none."""
    request_id.set(None)
    user_id.set(None)


def _known_user_id(request) -> int | None:
    """The signed-in user's id if the request already looked the user up (no extra query)."""
    user = getattr(request, "_cached_user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return user.pk
    return None


# --- Celery: the request's id travels in the task's message ----------------------------------


def on_before_task_publish(headers=None, **_kwargs) -> None:
    """``before_task_publish``: the id of the request (or task) that queues this task."""
    rid = request_id.get()
    if rid and headers is not None and not headers.get(TASK_HEADER):
        headers[TASK_HEADER] = rid


def on_task_prerun(task=None, **_kwargs) -> None:
    """``task_prerun``: the worker's lines while the task runs carry the id it was queued with."""
    context = task.request
    rid = getattr(context, TASK_HEADER, None) or (getattr(context, "headers", None) or {}).get(TASK_HEADER)
    # An eagerly run task (tests, CELERY_TASK_ALWAYS_EAGER) runs inside the request that started it.
    context.log_tokens = (
        request_id.set(rid or request_id.get() or new_id()),
        task_name.set(task.name),
    )


def on_task_postrun(task=None, **_kwargs) -> None:
    tokens = getattr(task.request, "log_tokens", None)
    if tokens:
        task.request.log_tokens = None
        # A task whose prerun ran in another context (never in practice) keeps its id: harmless.
        with contextlib.suppress(ValueError):
            request_id.reset(tokens[0])
            task_name.reset(tokens[1])


def connect_signals() -> None:
    from celery import signals
    from django.core.signals import request_finished

    request_finished.connect(clear, dispatch_uid="core.logs.clear")

    signals.before_task_publish.connect(on_before_task_publish, dispatch_uid="core.logs.publish")
    signals.task_prerun.connect(on_task_prerun, dispatch_uid="core.logs.prerun")
    signals.task_postrun.connect(on_task_postrun, dispatch_uid="core.logs.postrun")


# --- Formatters ---------------------------------------------------------------------------------

# What a request line adds beside the message, in this order.
_EXTRA_FIELDS = ("method", "path", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, user id, and the request's
    method, path, status and duration on its access line; a traceback as one string."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            # Beijing time in every process, whatever the machine's zone (gunicorn's master too).
            "time": dt.datetime.fromtimestamp(record.created, tz=SHANGHAI).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
            "user_id": user_id.get(),
        }
        task = task_name.get()
        if task:
            entry["task"] = task
        for field in _EXTRA_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """For a developer's terminal: the same facts on one readable line."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        record.request_id = request_id.get() or "-"
        return super().format(record)


def logging_config(*, fmt: str, level: str) -> dict:
    """The ``LOGGING`` setting: everything to standard error, as JSON or as text."""
    formatter = (
        "supervision.core.logs.JsonFormatter" if fmt == "json" else "supervision.core.logs.TextFormatter"
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": {"()": formatter}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "default"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "axes": {"level": "WARNING"},
            # The request line above replaces the development server's own.
            "django.server": {"level": "WARNING"},
        },
    }


# --- Error reporting ----------------------------------------------------------------------------


def sentry_init(dsn: str, *, environment: str) -> None:
    """Report unhandled errors of the web processes and tasks to Sentry (``SENTRY_DSN``), each
    tagged with its request id, and nothing personal: no address, cookie, body or query string,
    no local variable of any frame."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=0,
        before_send=scrub_event,
    )


def scrub_event(event: dict, _hint: dict) -> dict:
    """Drop what may name a person (a search in the query string, cookies, the user's address);
    add the request id so that the report and the log lines meet."""
    request = event.get("request") or {}
    for key in ("query_string", "cookies", "data", "env"):
        request.pop(key, None)
    headers = request.get("headers") or {}
    for key in list(headers):
        if key.lower() in {"cookie", "authorization", "x-forwarded-for", "x-real-ip"}:
            headers.pop(key)
    event.pop("user", None)
    rid = request_id.get()
    if rid:
        event.setdefault("tags", {})["request_id"] = rid
    return event
