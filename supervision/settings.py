"""The one settings module.

Every value that differs between a laptop and production comes from an environment variable
(each is documented in README.md). With no variable set, the site runs self-contained: an
SQLite file, Celery on an embedded filesystem broker, e-mail written to files under ``var/mail``.
"""

import importlib.util
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from supervision.core.logs import logging_config
from supervision.env import (
    DEVELOPMENT_SECRET_KEY,
    env_bool,
    env_int,
    env_list,
    env_str,
    require_strong_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only for a developer's machine: DEBUG is on and nothing secret is at stake.
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
if not DEBUG:
    # Sessions, password-reset links and the calendar tokens all hang on this key.
    require_strong_secret_key(SECRET_KEY)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A form refused for its token shows the site's page, not Django's bare one.
CSRF_FAILURE_VIEW = "supervision.core.errors.csrf_failure"
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # The admin site that lets user administrators in (supervision/core/adminsite.py).
    "supervision.core.apps.SupervisionAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "supervision.core",
    "supervision.reporting",
    "supervision.casework",
    "supervision.meetings",
    # After the domain apps it reads, so that the digest is the last reminder rule listed.
    "supervision.analytics",
    "supervision.reminders",
    "supervision.control",
    "supervision.portal",
    # The machine API (/api/v1/, django-ninja): a face beside the dashboard and the portal.
    "ninja",
    "supervision.api",
    "supervision.briefings",
    # The demo data (seed_demo): the top of the stack, it imports every app above and none imports it.
    "supervision.demo",
]

MIDDLEWARE = [
    # First: names the request (X-Request-ID), logs one line for it when it is done (core.logs).
    "supervision.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "supervision.core.middleware.TwoStepLoginMiddleware",
    "supervision.core.middleware.NoStoreMiddleware",
    "supervision.core.middleware.TenancyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An empty 405 (require_POST) becomes the site's 405 page.
    "supervision.core.errors.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # The API's request size limit and idempotency keys (/api/ only).
    "supervision.api.middleware.ApiRequestMiddleware",
    # django-axes must come last so it sees the outcome of every log-in attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "supervision.urls"
WSGI_APPLICATION = "supervision.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "supervision.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "db.sqlite3")),
            # Web, worker and scheduler write at once: WAL, a busy timeout and IMMEDIATE
            # transactions keep SQLite from answering "database is locked".
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background work --------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Tolerant of Redis going away (core.cache): a miss, not an error; a second at most to find out.
    CACHES = {
        "default": {
            "BACKEND": "supervision.core.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The embedded broker: messages are files, so a fresh machine needs no server.
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = VAR_DIR / "celery"
    for _sub in ("out", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "data_folder_processed": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task cut off by a lost broker connection is cancelled and redelivered; the reminders'
# claim in the database keeps a redelivered send from mailing twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# django-celery-beat's DatabaseScheduler, noting each tick for /healthz (core.beat).
CELERY_BEAT_SCHEDULER = "supervision.core.beat:HeartbeatDatabaseScheduler"
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out user before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "supervision.core.passwords.CharacterClassValidator"},
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
# Two separate counters: one address trying many user names is locked, and one user name tried
# from many addresses is locked. The address is the real client's (``core.accounts.client_ip``).
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "supervision.core.accounts.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Two-step log-in (TOTP) for administration staff and leadership; the demo (DEBUG on) keeps one step.
REQUIRE_2FA_FOR_ADMINISTRATION = env_bool("REQUIRE_2FA_FOR_ADMINISTRATION", not DEBUG)
OTP_TOTP_ISSUER = "山东省通信管理局 携号转网监管"
# Each wrong code doubles the wait before the next try (1 s, 2 s, 4 s, ...).
OTP_TOTP_THROTTLE_FACTOR = 1

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# While developing, serve straight from static/ so that a changed file needs no collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files on this machine's disk (MEDIA_ROOT, a shared volume when several machines serve
# the site), or in S3-compatible object storage (django-storages) when MEDIA_STORAGE=s3.
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "filesystem").strip().lower()
if MEDIA_STORAGE == "filesystem":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs django-storages and boto3: pip install '.[production]'."
        )
    if not env_str("S3_BUCKET"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET, the bucket holding the uploaded files.")
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("S3_PREFIX", "media").strip("/"),
            # MinIO and most private object stores want path-style addresses.
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            # Private objects; never a public URL: views stream the files to those allowed.
            "default_acl": None,
            "querystring_auth": True,
            # Never overwrite: a second file of the same name gets a new name, as on disk.
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE={MEDIA_STORAGE!r}: use 'filesystem' or 's3'.")
STORAGES = {
    # Uploaded files live outside the public static area and are served only through views
    # that check who may see them.
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded files are never served at this URL: views stream them to users allowed to see them.
MEDIA_URL = "/media/"

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
else:
    # A readable local sink: one .log file per process under var/mail.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "山东省通信管理局 携号转网监管 <noreply@sdca.example.cn>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
REPLY_TO_EMAIL = env_str("REPLY_TO_EMAIL", "xhzw@sdca.example.cn")

# --- Security -------------------------------------------------------------------------------
# Behind our TLS proxy, the proxy's headers say the scheme and the real client address (the
# rightmost X-Forwarded-For hop, the one the proxy added); without it, nobody's headers are trusted.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The monitors ask the application server itself, over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
X_FRAME_OPTIONS = "DENY"
FILE_UPLOAD_PERMISSIONS = 0o640

# A strict Content-Security-Policy: every script and style is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Logs, health, errors and metrics ---------------------------------------------------------
# One JSON object a line (time, level, logger, message, request id, user id; the request's path,
# status and duration on its line) in production; readable text on a developer's machine.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use 'json' or 'text'.")
LOGGING = logging_config(fmt=LOG_FORMAT, level=env_str("LOG_LEVEL", "INFO"))
# /healthz reports the scheduler or the workers unhealthy when silent for this many seconds.
HEALTH_SCHEDULER_MAX_AGE = env_int("HEALTH_SCHEDULER_MAX_AGE", 120, minimum=31)
HEALTH_WORKER_MAX_AGE = env_int("HEALTH_WORKER_MAX_AGE", 120, minimum=31)

# Error reporting (sentry-sdk, the "production" extra), on when SENTRY_DSN is set. No personal
# data leaves: no user's address or cookies, no request body, no query string, no local variables.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    if importlib.util.find_spec("sentry_sdk") is None:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed: pip install '.[production]'."
        )
    from supervision.core.logs import sentry_init

    sentry_init(SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", "production"))

# Metrics for Prometheus (django-prometheus, the "production" extra) at /metrics, on when
# METRICS_ENABLED is on; answered only to METRICS_ALLOWED_IPS or with "Authorization: Bearer
# METRICS_TOKEN", anybody else gets a 404.
METRICS_ENABLED = env_bool("METRICS_ENABLED", False)
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
METRICS_TOKEN = env_str("METRICS_TOKEN")
if METRICS_ENABLED:
    if importlib.util.find_spec("django_prometheus") is None:
        raise ImproperlyConfigured(
            "METRICS_ENABLED is on but django-prometheus is not installed: pip install '.[production]'."
        )
    if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
        raise ImproperlyConfigured("METRICS_TOKEN must be at least 32 random characters.")
    INSTALLED_APPS.append("django_prometheus")
    # Around everything, except that django-axes stays last.
    MIDDLEWARE.insert(0, "django_prometheus.middleware.PrometheusBeforeMiddleware")
    MIDDLEWARE.insert(len(MIDDLEWARE) - 1, "django_prometheus.middleware.PrometheusAfterMiddleware")

# --- The product's own settings -------------------------------------------------------------
# Monthly reports are due this many days after the period's last day (0: on the month end),
# at 23:59:59 Asia/Shanghai; a report received within the grace days still counts as on time.
REPORT_DUE_DAYS_AFTER_MONTH_END = env_int("REPORT_DUE_DAYS_AFTER_MONTH_END", 0, minimum=0)
REPORT_GRACE_DAYS = env_int("REPORT_GRACE_DAYS", 0, minimum=0)
# A month's filing window opens on this day of the month (the last day in a shorter month);
# a monthly report for a period whose window has not opened yet is refused.
REPORT_WINDOW_OPENS_DAY = env_int("REPORT_WINDOW_OPENS_DAY", 25, minimum=1)
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
EVIDENCE_MAX_BYTES = env_int(
    "EVIDENCE_MAX_BYTES", 100 * 1024 * 1024, minimum=1024
)  # case files: supervision/core/files.py
UPLOAD_MAX_ROWS = env_int("UPLOAD_MAX_ROWS", 200_000, minimum=1)
# Personal data (number, complaint text, resolution) of complaints resolved more than this many
# days ago is purged by ``manage.py purge_personal_data`` (run daily by the scheduler or cron).
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 730, minimum=1)
# Files of uploads and inspection batches not confirmed this many hours after they were uploaded
# (held for a refused form, checked but never confirmed) are deleted, the upload discarded: by the
# hourly task ``reporting.discard_stale_uploads`` and by ``manage.py mask_kept_uploads``.
UPLOAD_FILES_KEPT_HOURS = env_int("UPLOAD_FILES_KEPT_HOURS", 24, minimum=1)
# Uploads larger than this are checked in the background worker while the page shows progress.
UPLOAD_BACKGROUND_BYTES = env_int("UPLOAD_BACKGROUND_BYTES", 512 * 1024, minimum=0)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Requests a minute each API token may send (429 with Retry-After beyond).
API_RATE_PER_MINUTE = env_int("API_RATE_PER_MINUTE", 120, minimum=1)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Proposed rectification deadline, in days, by the severity of the grounds.
RECTIFICATION_DAYS = {
    "SEVERE": env_int("RECTIFICATION_DAYS_SEVERE", 7, minimum=1),
    "MAJOR": env_int("RECTIFICATION_DAYS_MAJOR", 15, minimum=1),
    "MINOR": env_int("RECTIFICATION_DAYS_MINOR", 30, minimum=1),
}
DOCUMENT_NUMBER_PATTERN = env_str("DOCUMENT_NUMBER_PATTERN", "鲁通管〔{year}〕{seq}号")
ADMINISTRATION_NAME = _("Shandong Communications Administration")
# Tests and drills only: a file holding the time the reminders go by (see reminders/clock.py).
REMINDERS_CLOCK_FILE = env_str("REMINDERS_CLOCK_FILE")
# How often the scheduler wakes the reminder scan.
REMINDERS_SCAN_SECONDS = env_int("REMINDERS_SCAN_SECONDS", 300, minimum=1)
