"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the API answers reads the same: ``type`` (a stable URI naming the kind of problem),
``title`` (its short name), ``status``, ``detail`` (what happened, in the requested language) and,
for a refused upload or request body, ``errors``: one entry per problem with its ``row``,
``column``, ``code`` (the upload check's code, as docs/checks list them) and ``message``.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.utils.translation import gettext as _

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://xhzw.sdca.example.cn/api/problems/"

# status → (type, title); the titles stay English: they name the kind, ``detail`` explains.
KINDS = {
    400: ("bad-request", "Bad request"),
    401: ("unauthenticated", "Unauthenticated"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("conflict", "Conflict"),
    413: ("too-large", "Request too large"),
    422: ("invalid", "Unprocessable content"),
    429: ("rate-limited", "Too many requests"),
    500: ("server-error", "Server error"),
}


class Problem(Exception):
    """Raise to answer with a problem; ``kind`` overrides the status's type (e.g. ``upload-refused``)."""

    def __init__(self, status: int, detail: str, *, kind: str | None = None, errors=None, headers=None):
        super().__init__(detail)
        self.status = status
        self.detail = str(detail)
        self.kind = kind
        self.errors = errors
        self.headers = headers or {}


def body(status: int, detail: str, *, kind: str | None = None, errors=None) -> dict:
    default_kind, title = KINDS.get(status, ("error", "Error"))
    data = {
        "type": TYPE_BASE + (kind or default_kind),
        "title": title,
        "status": status,
        "detail": str(detail),
    }
    if errors is not None:
        data["errors"] = errors
    return data


def response(status: int, detail: str, *, kind: str | None = None, errors=None, headers=None) -> HttpResponse:
    answer = HttpResponse(
        json.dumps(body(status, detail, kind=kind, errors=errors), ensure_ascii=False),
        status=status,
        content_type=CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        answer[name] = value
    answer["Cache-Control"] = "no-store"
    return answer


def of(problem: Problem) -> HttpResponse:
    return response(
        problem.status, problem.detail, kind=problem.kind, errors=problem.errors, headers=problem.headers
    )


def not_found() -> Problem:
    return Problem(404, _("Nothing is found at this address, or it is not yours to see."))


def validation_errors(errors: list[dict]) -> list[dict]:
    """Pydantic's errors (ninja's 422) as ours: where, which check, what it says."""
    return [
        {
            "location": ".".join(str(part) for part in error.get("loc", ())),
            "row": None,
            "column": None,
            "code": error.get("type", "invalid"),
            "message": error.get("msg", ""),
        }
        for error in errors
    ]
