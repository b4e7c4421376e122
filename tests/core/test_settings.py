import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from supervision.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def test_env_helpers_fail_loudly_on_bad_values(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG='perhaps' is not a boolean"):
        env_bool("SOME_FLAG", False)
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("SOME_NUMBER", 1)
    monkeypatch.setenv("SOME_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("SOME_NUMBER", 5, minimum=1)
    monkeypatch.setenv("SOME_LIST", "a.example, b.example,")
    assert env_list("SOME_LIST") == ["a.example", "b.example"]


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _production_env(tmp_path):
    # Production has none of the test-only variables (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE).
    unset = {"DATABASE_URL", "REDIS_URL", "EMAIL_HOST", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="xhzw.sdca.example.cn",
        SITE_URL="https://xhzw.sdca.example.cn",
        VAR_DIR=str(tmp_path),
    )
    return env


def test_check_deploy_with_production_variables_reports_nothing(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_services_follow_the_environment(settings):
    """No variable: SQLite and the embedded broker; DATABASE_URL/REDIS_URL: PostgreSQL and Redis."""
    if os.environ.get("DATABASE_URL"):
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    else:
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
        assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    if os.environ.get("REDIS_URL"):
        assert settings.CELERY_BROKER_URL.startswith("redis://")
        assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    else:
        assert settings.CELERY_BROKER_URL == "filesystem://"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"
