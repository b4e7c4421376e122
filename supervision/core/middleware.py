"""Middleware resolving, once per request, which operator the user acts for; two-step log-in;
no caching of personal data."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers


class TenancyMiddleware:
    """Put the operator the user acts for on ``request.operator`` (None for the administration).

    Operator-owned querysets are still filtered through ``visible_to(request.user)``; this only
    saves views from working it out again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.operator = user.operator if getattr(user, "is_operator_user", False) else None
        return self.get_response(request)


class TwoStepLoginMiddleware:
    """Hold a signed-in user who still owes the second step on the two-step pages.

    Every other page, the Django admin included, answers with a redirect until a code from the
    authenticator (or a recovery code) is given; a user who must use two-step log-in and has no
    authenticator yet is sent to enrol one.
    """

    # Pages a user between the two steps may still open.
    EXEMPT_URL_NAMES = {"two_step_verify", "two_step_setup", "logout", "set_language", "login"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .accounts import second_step_page

        target = second_step_page(request)
        if target is not None and not self._exempt(request):
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _exempt(self, request) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name in self.EXEMPT_URL_NAMES


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in user, unless the view chose.

    Nearly every page and export carries personal data (names, complaint texts, phone numbers), so
    no browser or proxy cache may keep any of them. Static files are served before this runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
