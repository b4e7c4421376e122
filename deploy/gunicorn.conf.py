"""gunicorn's settings for the supervision desk: ``gunicorn -c deploy/gunicorn.conf.py supervision.wsgi``.

Every value can be changed by an environment variable (the systemd units and deploy/serve.sh read
them from the same environment file as the application): ``WEB_BIND``, ``WEB_WORKERS``,
``WEB_THREADS``, ``WEB_TIMEOUT``, ``WEB_ACCESS_LOG``.
"""

import json
import multiprocessing
import os

# Loopback by default: the reverse proxy (deploy/nginx/supervision.conf) is the only client.
bind = os.environ.get("WEB_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")

# Processes: two per core plus one (the pages wait on the database about half their time), at
# most 8; each with a few threads, so that a slow export or upload does not hold a whole process.
workers = int(os.environ.get("WEB_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8)))
threads = int(os.environ.get("WEB_THREADS", 4))
worker_class = "gthread"

# A request still running after this long is cut off (the worker is restarted): a 20 MB ledger's
# upload and check in the page stay well under it; bigger ones are checked by the Celery worker.
timeout = int(os.environ.get("WEB_TIMEOUT", 120))
graceful_timeout = 30
keepalive = 5
# A process serves this many requests (give or take) and is replaced: no slow leak lives long.
max_requests = 2000
max_requests_jitter = 200
# Each process loads the application itself, so that a reload (SIGHUP: `systemctl reload
# supervision-web`) starts processes on the new code without dropping a request.
preload_app = False
# The request body is spooled by the proxy; a header block larger than this is refused.
limit_request_line = 8190

# X-Forwarded-* are trusted only from the proxy on this machine; the application itself reads
# the scheme and the client's address only when BEHIND_TLS_PROXY is on (supervision/settings.py).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips

# Logs on standard error, collected by journald. The application writes one JSON line per
# request itself (with the request id and the user: supervision/core/logs.py), so gunicorn's own
# access log is off unless WEB_ACCESS_LOG=1, and then JSON too.
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
_access = os.environ.get("WEB_ACCESS_LOG", "").lower() in {"1", "true", "yes", "on"}
accesslog = "-" if _access else None
access_log_format = json.dumps(
    {
        "time": "%(t)s",
        "level": "INFO",
        "logger": "gunicorn.access",
        "request_id": "%({x-request-id}o)s",
        "method": "%(m)s",
        "path": "%(U)s",
        "status": "%(s)s",
        "bytes": "%(B)s",
        "duration_ms": "%(M)s",
    }
)
# Gunicorn's own lines as JSON too (the same fields as the application's).
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "supervision.core.logs.JsonFormatter"}},
    "handlers": {
        "error": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
        "access": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"},
    },
    "root": {"handlers": ["error"], "level": "WARNING"},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {
            "handlers": ["access"] if _access else [],
            "level": "INFO" if _access else "CRITICAL",
            "propagate": False,
        },
    },
}

proc_name = "supervision-web"
