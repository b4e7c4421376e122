"""Log-in defences: the client's real address, and two-step log-in (TOTP plus recovery codes).

The rules live here once; the views (``core.views``), the middleware and the admin only call them.
"""

import secrets
from binascii import unhexlify

from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .models import RecoveryCode, RecoveryCodes

RECOVERY_CODE_COUNT = 10
# 16 characters of Crockford-like base32: 80 bits, so the stored digests cannot be guessed back.
_RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def client_ip(request) -> str | None:
    """The address log-in throttling counts by.

    Behind our TLS proxy every request comes from the proxy, so the real client is the rightmost
    X-Forwarded-For hop (the one our proxy appended; hops to its left are whatever the client sent).
    Without the proxy, headers are the client's own words and only the socket address counts.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")


def has_two_step_login(user) -> bool:
    return user_has_device(user, confirmed=True)


# Whether the signed-in user had an authenticator when this session began (set at log-in), so
# that the pages need not look the devices up on every request; the two-step pages check again.
TWO_STEP_SESSION_KEY = "two_step_login_on"


def remember_two_step_login(sender, request, user, **kwargs) -> None:
    """On log-in (``user_logged_in``): note in the session whether a second step is owed."""
    if request is not None and hasattr(request, "session"):
        request.session[TWO_STEP_SESSION_KEY] = has_two_step_login(user)


def second_step_page(request) -> str | None:
    """Where a signed-in user who has not yet given a code must go, or None: the code page for
    anybody who has turned two-step log-in on, the enrolment page for administration users who
    must use it (by the setting) and have no authenticator yet."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    on = request.session.get(TWO_STEP_SESSION_KEY)
    if on is None:  # a session from before the note was kept
        on = request.session[TWO_STEP_SESSION_KEY] = has_two_step_login(user)
    if on:
        return "two_step_verify"
    return "two_step_setup" if user.must_use_two_step_login else None


def new_totp_key() -> str:
    return random_hex(20)


def totp_device_preview(user, key: str) -> TOTPDevice:
    """An unsaved device for the enrolment page (its otpauth:// address); nothing is written."""
    return TOTPDevice(user=user, key=key, name="authenticator", confirmed=False)


def enrol_totp(user, key: str, token: str) -> TOTPDevice | None:
    """Save the authenticator once the user proves it works with a code from it; else None."""
    totp = TOTP(unhexlify(key.encode()))
    try:
        token_number = int(token)
    except (TypeError, ValueError):
        return None
    if not totp.verify(token_number, tolerance=1):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        return TOTPDevice.objects.create(
            user=user, key=key, name="authenticator", confirmed=True, last_t=totp.t()
        )


def new_recovery_codes(user) -> tuple[RecoveryCodes, list[str]]:
    """A fresh set of recovery codes, replacing any earlier set; the codes are returned once."""
    codes = [
        "-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(4)) for _group in range(4))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    with transaction.atomic():
        RecoveryCodes.objects.filter(user=user).delete()
        device = RecoveryCodes.objects.create(user=user, name="recovery codes", confirmed=True)
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=device, digest=RecoveryCodes.digest(code)) for code in codes
        )
    return device, codes


def unused_recovery_codes(user) -> int:
    return RecoveryCode.objects.filter(device__user=user, used_at__isnull=True).count()


def verify_second_step(user, token: str):
    """The device that accepts ``token`` (authenticator first, then a recovery code), or None.

    Each device throttles its own failures, so guessing codes gets slower at every miss.
    """
    token = "".join((token or "").split())
    if not token:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            looks_like_totp = token.isdigit() and len(token) <= 8
            if isinstance(device, TOTPDevice) != looks_like_totp:
                continue
            if device.verify_token(token):
                return device
    return None


def reset_two_step_login(user) -> int:
    """Forget every device and recovery code of ``user`` (a lost phone); returns how many went."""
    removed = 0
    with transaction.atomic():
        for device in list(devices_for_user(user, confirmed=None)):
            device.delete()
            removed += 1
    return removed
