"""Read settings from the environment, failing loudly on a value that cannot be right.

A mistyped production variable must stop the process at start-up, not surface as odd
behaviour weeks later (healthchecks ``hc/settings.py`` does the same).
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


# The key a developer's machine uses while DEBUG is on; production must never run with it.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105
SECRET_KEY_MIN_LENGTH = 50
# Keys copied from a template, a tutorial or this repository are known to everybody.
_WELL_KNOWN_KEY_PARTS = ("django-insecure", "changeme", "change-me", "change_me", "secret-key", "secretkey")


def require_strong_secret_key(key: str) -> None:
    """Refuse a short or well-known ``SECRET_KEY``: it signs sessions and password-reset links."""
    lowered = key.lower()
    if key == DEVELOPMENT_SECRET_KEY or any(part in lowered for part in _WELL_KNOWN_KEY_PARTS):
        raise ImproperlyConfigured(
            "SECRET_KEY is a well-known value (a development key, Django's 'django-insecure' key or a "
            "placeholder such as 'changeme'); set a random key of at least "
            f'{SECRET_KEY_MIN_LENGTH} characters, e.g. python -c "import secrets; print(secrets.token_urlsafe(50))".'
        )
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < 5:
        raise ImproperlyConfigured(
            f"SECRET_KEY is too short or too simple: {len(key)} characters; set a random key of at least "
            f'{SECRET_KEY_MIN_LENGTH} characters, e.g. python -c "import secrets; print(secrets.token_urlsafe(50))".'
        )
