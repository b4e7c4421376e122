"""API tokens: a user makes, names, lists and revokes its own; a program sends one as
``Authorization: Bearer <token>`` and acts as that user on ``/api/v1/`` (supervision/api).

Only the SHA-256 of the secret is stored, so the secret is shown once, when it is made. A token
has its user's role and operator (the same ``visible_to`` tenancy), may be read-only, and expires.
Every change is an audit entry; each use is recorded (when, from which address), written at most
once a minute so that a busy client does not write on every request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit
from .actions import OPERATOR, Action, Refused
from .models import ApiToken

# What a token looks like: a fixed marker (so that a leaked one is recognisable in a log or a
# repository), then 43 random URL-safe characters (256 bits).
TOKEN_MARKER = "sdxh_"  # noqa: S105  (a marker, not a secret)
PREFIX_LENGTH = len(TOKEN_MARKER) + 6
DEFAULT_DAYS = 90
MAX_DAYS = 366
# A use is written to the token's row at most this often.
LAST_USE_EVERY = dt.timedelta(minutes=1)

# The audit trail's words for the token's changes (core.audit). Each user acts on its own tokens
# only (``_check_owner``): the role column is not what decides here.
ACTIONS = {
    "create": Action("create", _("create an API token"), OPERATOR, None),
    "revoke": Action("revoke", _("revoke an API token"), OPERATOR, None),
}


class TokenRefused(Refused):
    """A token change that is not allowed; the message says why, in the user's language."""


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(user):
    """The user's own tokens, newest first, revoked ones included (they say so)."""
    return ApiToken.objects.filter(user=user)


@transaction.atomic
def create(
    user, *, name: str, read_only: bool = False, days: int | None = DEFAULT_DAYS
) -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns it and its secret, which is never shown again."""
    name = (name or "").strip()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise TokenRefused(_("Only an active user may have API tokens."))
    if not name:
        raise TokenRefused(_("Name the token: say which program uses it."))
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise TokenRefused(_("A token lasts from 1 to %(max)d days.") % {"max": MAX_DAYS})
    secret = TOKEN_MARKER + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=secret[:PREFIX_LENGTH],
        secret_hash=hash_secret(secret),
        read_only=read_only,
        created=now,
        expires_at=now + dt.timedelta(days=days) if days else None,
    )
    audit.log(token, ACTIONS["create"], user, {"title": token.name, "note": "read-only" if read_only else ""})
    return token, secret


@transaction.atomic
def revoke(token: ApiToken, *, user) -> ApiToken:
    """The token's owner revokes it: from now on it authenticates nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != getattr(user, "pk", None):
        raise TokenRefused(_("Only the token's owner may revoke it."))
    if token.revoked_at is not None:
        raise TokenRefused(_("This token is already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.log(token, ACTIONS["revoke"], user, {"title": token.name})
    return token


def authenticate(
    secret: str, *, address: str | None = None, now: dt.datetime | None = None
) -> ApiToken | None:
    """The usable token whose secret this is (its user active), with its use recorded; else None."""
    if not secret or not secret.startswith(TOKEN_MARKER) or len(secret) > 200:
        return None
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__operator")
        .filter(secret_hash=hash_secret(secret))
        .first()
    )
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    address = (address or "")[:45]
    if (
        token.last_used_at is None
        or now - token.last_used_at >= LAST_USE_EVERY
        or token.last_used_from != address
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_from=address)
        token.last_used_at, token.last_used_from = now, address
    return token


def register_audit() -> None:
    audit.register(ApiToken, ACTIONS)
