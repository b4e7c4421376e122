"""The API's tests: a client sending a bearer token, and tokens for the test users. The clock is
pinned (20 November 2026, 10:00 Beijing time: October's reports are being filed)."""

import datetime as dt
import uuid

import pytest
import time_machine

from supervision.core import tokens
from supervision.core.models import SHANGHAI

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def fresh_rate_limit(settings):
    """Each test counts its requests from nought: the cache under a key prefix of its own.

    Not ``cache.clear()``: on the PostgreSQL + Redis run the cache is Redis, shared by the xdist
    workers, and clearing it (FLUSHDB) in one worker reset the counts of a rate-limit test running
    in the other, which then saw a fourth request allowed. A new prefix is a new cache (Django
    makes the cache again when CACHES changes).
    """
    default = settings.CACHES["default"]
    settings.CACHES = {
        **settings.CACHES,
        "default": {**default, "KEY_PREFIX": f"{default.get('KEY_PREFIX', '')}:{uuid.uuid4().hex}"},
    }


class ApiClient:
    """Django's test client, speaking to /api/v1/ with one token and no session."""

    def __init__(self, client, secret, language="en"):
        self.client, self.secret, self.language = client, secret, language

    def _headers(self, headers):
        return {"Authorization": f"Bearer {self.secret}", "Accept-Language": self.language, **(headers or {})}

    def get(self, path, headers=None, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self._headers(headers))

    def post(self, path, data=None, headers=None):
        return self.client.post(
            f"/api/v1{path}", data or {}, content_type="application/json", headers=self._headers(headers)
        )

    def post_files(self, path, data, headers=None):
        return self.client.post(f"/api/v1{path}", data, headers=self._headers(headers))


@pytest.fixture
def api_for(client):
    """``api_for(user, read_only=False)``: an API client holding a new token of that user."""

    def make(user, read_only=False, days=90, language="en"):
        _token, secret = tokens.create(user, name=f"{user.username}'s system", read_only=read_only, days=days)
        return ApiClient(client.__class__(), secret, language)

    return make
