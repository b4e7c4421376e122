"""Two rules of every request to ``/api/``, before the endpoint reads it: the request size limit
(413) and idempotency keys on POST (docs/api.md)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import problems
from .models import IdempotentRequest

API_PREFIX = "/api/"
KEY_HEADER = "Idempotency-Key"
# A key is remembered this long; a retry after that is a new request.
KEPT_FOR = dt.timedelta(hours=24)
# Responses that are not the outcome of the work, so that a retry must do it: no token, too many
# requests, a server error.
NOT_KEPT = {401, 429}


def max_request_bytes() -> int:
    return settings.UPLOAD_MAX_BYTES + 1024 * 1024  # the largest file, and the form around it


def _request_hash(request) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/"):
        # Files may be larger than what Django reads into memory: hash the parsed parts.
        for name, values in sorted(request.POST.lists()):
            digest.update(f"{name}={values!r}\n".encode())
        for name, files in sorted(request.FILES.lists()):
            for uploaded in files:
                digest.update(f"{name}:{uploaded.name}\n".encode())
                for chunk in uploaded.chunks():
                    digest.update(chunk)
                uploaded.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _scope(request) -> str | None:
    """The SHA-256 of the bearer token: each token has its own keys."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return hashlib.sha256(secret.strip().encode()).hexdigest()


def _replay(record: IdempotentRequest) -> HttpResponse:
    answer = HttpResponse(bytes(record.body), status=record.status, content_type=record.content_type)
    answer["Idempotent-Replayed"] = "true"
    answer["Cache-Control"] = "no-store"
    return answer


class ApiRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_request_bytes():
            return problems.response(
                413,
                _("The request is too large: at most %(mb)d MB.")
                % {"mb": max_request_bytes() // (1024 * 1024)},
            )
        key = request.headers.get(KEY_HEADER, "").strip()
        scope = _scope(request)
        if request.method != "POST" or not key or scope is None:
            return self.get_response(request)
        if len(key) > 200:
            return problems.response(400, _("An Idempotency-Key has at most 200 characters."))
        return self._idempotent(request, scope, key)

    def _idempotent(self, request, scope: str, key: str):
        request_hash = _request_hash(request)
        IdempotentRequest.objects.filter(scope=scope, key=key, created__lt=timezone.now() - KEPT_FOR).delete()
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    scope=scope,
                    key=key,
                    request_hash=request_hash,
                    method=request.method,
                    path=request.path[:500],
                )
        except IntegrityError:
            earlier = IdempotentRequest.objects.get(scope=scope, key=key)
            if earlier.request_hash != request_hash:
                return problems.response(
                    422,
                    _("This Idempotency-Key was already used for another request; use a new key."),
                    kind="idempotency-key-reused",
                )
            if earlier.status is None:
                return problems.response(
                    409,
                    _("A request with this Idempotency-Key is still being answered; retry in a moment."),
                    kind="idempotency-in-progress",
                )
            return _replay(earlier)
        try:
            answer = self.get_response(request)
        except Exception:
            record.delete()
            raise
        if answer.status_code >= 500 or answer.status_code in NOT_KEPT or getattr(answer, "streaming", False):
            record.delete()
            return answer
        record.status = answer.status_code
        record.content_type = answer.get("Content-Type", "")
        record.body = answer.content
        record.save(update_fields=["status", "content_type", "body"])
        return answer
