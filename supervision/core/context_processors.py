from . import navigation as menus


def navigation(request):
    """The navigation for the user's role, as the user's face builds it (``core.navigation``):
    each role sees only what it may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": menus.items_for(user, request.path)}
