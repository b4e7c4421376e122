"""The API object, its error handlers and what every endpoint shares: who may call, tenancy,
cursor pagination."""

from __future__ import annotations

import base64
import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from supervision.core.actions import Refused

from . import problems
from .auth import TokenAuth
from .problems import Problem

logger = logging.getLogger(__name__)

DESCRIPTION = """
The machine API of the Shandong Communications Administration's number portability supervision
desk (山东省通信管理局 携号转网监管工作台).

Send `Authorization: Bearer <token>` with every request: a user makes its tokens on its profile
page (`/accounts/profile/`), or an administrator runs `manage.py create_api_token`. A token acts
as its user: an operator's token sees that operator's rows only. Errors are RFC 9457 problem
details (`application/problem+json`). Every POST accepts an `Idempotency-Key` header. See
docs/api.md for the rules, the rate limit, pagination, the changelog and the deprecation policy.
"""

api = NinjaAPI(
    title="Number portability supervision desk API · 携号转网监管工作台接口",
    version="1.0.0",
    description=DESCRIPTION.strip(),
    urls_namespace="api-v1",
    auth=TokenAuth(),
    openapi_extra={"info": {"license": {"name": "Proprietary"}}},
)


# --- Errors --------------------------------------------------------------------------------------


@api.exception_handler(Problem)
def _problem(request, exc: Problem):
    return problems.of(exc)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problems.response(
        401,
        _("Send a valid API token: Authorization: Bearer <token>. It may be unknown, revoked or expired."),
        headers={"WWW-Authenticate": 'Bearer realm="api"'},
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return problems.response(exc.status_code, str(exc))


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc: NinjaValidationError):
    return problems.response(
        422, _("The request does not match the schema."), errors=problems.validation_errors(exc.errors)
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problems.of(problems.not_found())


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return problems.response(403, str(exc) or _("You may not do this."))


@api.exception_handler(Refused)
def _refused(request, exc: Refused):
    return problems.response(409, str(exc), kind="refused")


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    return problems.response(413, _("The request is too large."))


@api.exception_handler(RawPostDataException)
def _raw(request, exc):
    return problems.response(400, _("The request body could not be read."))


@api.exception_handler(MultiPartParserError)
def _bad_multipart(request, exc):
    # e.g. ``Content-Type: multipart/form-data`` without its boundary.
    return problems.response(400, _("The request body could not be read."))


@api.exception_handler(Exception)
def _server_error(request, exc):
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return problems.response(
        500, _("Something went wrong on our side; nothing was changed. Try again later.")
    )


# --- Who may call --------------------------------------------------------------------------------


def operator_user(request):
    """The caller, who must be an operator's user (the portal's rule)."""
    user = request.auth
    if not user.is_operator_user:
        raise Problem(403, _("Only an operator's users may do this."))
    return user


def manager_user(request):
    user = operator_user(request)
    if not user.is_operator_manager:
        raise Problem(403, _("Only a manager of the operator may do this."))
    return user


def administration_user(request):
    """The caller, who must be the administration's staff or leadership (the dashboard's rule)."""
    user = request.auth
    if not user.is_regulator:
        raise Problem(403, _("Only the administration's staff and leadership may read this."))
    return user


def get_visible(queryset, pk):
    """One row the caller may see, else 404 (another operator's object is a 404, as on the web)."""
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise problems.not_found()
    return row


# --- Cursor pagination -----------------------------------------------------------------------------

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class Page(Schema):
    next_cursor: str | None = None


def _decode(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        return int(base64.urlsafe_b64decode(cursor.encode() + b"==").decode())
    except (ValueError, UnicodeDecodeError) as error:
        raise Problem(400, _("This cursor is not one the API gave.")) from error


def _encode(pk: int) -> str:
    return base64.urlsafe_b64encode(str(pk).encode()).decode().rstrip("=")


def paginate(queryset, cursor: str | None, limit: int | None):
    """Newest first by primary key: ``(rows, next_cursor)``; the next page starts after the last
    row of this one, so rows added meanwhile never shift a page."""
    limit = max(1, min(limit or DEFAULT_LIMIT, MAX_LIMIT))
    after = _decode(cursor)
    rows = queryset.order_by("-pk")
    if after is not None:
        rows = rows.filter(pk__lt=after)
    rows = list(rows[: limit + 1])
    following = _encode(rows[limit - 1].pk) if len(rows) > limit else None
    return rows[:limit], following
