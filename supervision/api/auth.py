"""Who calls: ``Authorization: Bearer <token>`` and nothing else (no session, no cookie, so no
CSRF surface). The token acts as its user; a read-only token may not change anything; each
token may send ``settings.API_RATE_PER_MINUTE`` requests a minute (429 with ``Retry-After``)."""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from supervision.core import tokens
from supervision.core.accounts import client_ip

from .problems import Problem

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
WINDOW_SECONDS = 60


def _rate_limit(token) -> None:
    """At most ``API_RATE_PER_MINUTE`` requests per token in each minute (a fixed window)."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"api-rate:{token.pk}:{window}"
    if cache.add(key, 1, WINDOW_SECONDS + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, WINDOW_SECONDS + 5)
            count = 1
    if count > settings.API_RATE_PER_MINUTE:
        retry_after = max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
        raise Problem(
            429,
            _("Too many requests from this token: at most %(n)d a minute. Try again in %(s)d seconds.")
            % {"n": settings.API_RATE_PER_MINUTE, "s": retry_after},
            headers={"Retry-After": str(retry_after)},
        )


class TokenAuth(HttpBearer):
    """A usable token's user, with the token on ``request.api_token``; else 401."""

    def authenticate(self, request, token):
        found = tokens.authenticate(token, address=client_ip(request))
        if found is None:
            return None
        request.api_token = found
        _rate_limit(found)
        if found.read_only and request.method not in SAFE_METHODS:
            raise Problem(403, _("This token is read-only: it may not change anything."))
        return found.user
