"""The error pages: 400, 403 (and a refused form, CSRF), 404, 405 and 500, in the site's layout.

Each page says what happened and what to do, in Chinese and then in English whatever the
language in use (the reader may have landed there from a link in a mail), with a way home. The
texts are translatable (``gettext_lazy``), each shown once in each language (``{% language %}``).

The 500 page renders without the request: no context processor runs (no database, no session, no
menu), so it still shows when those are what failed. The others run inside the site's layout,
with its menu and language switch. Django answers a method a view does not take (``require_POST``)
with an empty 405: ``MethodNotAllowedPageMiddleware`` gives it the page, and keeps its ``Allow``.
"""

import logging

from django.http import HttpResponseNotAllowed, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

# status → (title, what happened and what to do)
ERRORS = {
    400: (
        _("The request could not be understood"),
        _("The page received something it cannot read. Go back, reload the page and try again."),
    ),
    403: (
        _("You may not open this page"),
        _(
            "Your role does not give access to this page or action. If you think it should, ask the "
            "administration's user administrator."
        ),
    ),
    "csrf": (
        _("The form could not be accepted"),
        _(
            "The form was open too long, or your session ended meanwhile. Go back, reload the page "
            "and send the form again."
        ),
    ),
    404: (
        _("Page not found"),
        _(
            "There is no such page, or it is not yours to see. Check the address, or start again from "
            "the home page."
        ),
    ),
    405: (
        _("This page cannot be used that way"),
        _(
            "The page only takes what its buttons and forms send (an action cannot be done by opening "
            "a link). Go back and use the page's buttons."
        ),
    ),
    500: (
        _("Something went wrong on our side"),
        _(
            "The site could not answer this request. The error is recorded and will be looked at; "
            "try again in a few minutes."
        ),
    ),
}
LANGUAGES = (("zh-hans", "zh-CN"), ("en", "en"))


def context(status, kind=None) -> dict:
    title, text = ERRORS[kind or status]
    return {"status": status, "error_title": title, "error_text": text, "error_languages": LANGUAGES}


def page(request, status: int, kind=None):
    """The error page of ``status`` in the site's layout (``kind`` for a variant: ``csrf``)."""
    return render(request, "errors/page.html", context(status, kind), status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return page(request, 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return page(request, 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return page(request, 404)


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a form refused for its missing or stale token."""
    logger.warning("Form refused (CSRF): %s %s: %s", request.method, request.path, reason)
    return page(request, 403, "csrf")


def server_error(request):
    """Rendered without the request: nothing that may have failed (database, session) is asked."""
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render(context(500)))


class MethodNotAllowedPageMiddleware:
    """An empty 405 (``require_POST`` and the like) becomes the 405 page, with its ``Allow``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            rendered = page(request, 405)
            rendered["Allow"] = response["Allow"]
            return rendered
        return response
