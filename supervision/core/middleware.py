"""Middleware resolving, once per request, which operator the user acts for."""


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
