"""The site's menu: each face builds its own (``control.navigation``, ``portal.navigation``) and
registers it from its ``AppConfig.ready``; the context processor (``context_processors``) asks
them, so that this, the lowest app, names no page of the faces.

A menu is ``menu(user, path) -> list | None``: the entries for ``user`` on the page at ``path``,
or ``None`` when the face is not the user's. The faces serve different roles, so at most one
answers for any user.
"""

from collections.abc import Callable

from django.urls import reverse

Menu = Callable[[object, str], list | None]
_MENUS: list[Menu] = []


def register(menu: Menu) -> None:
    """Add a face's menu (once: registering it again does nothing)."""
    if menu not in _MENUS:
        _MENUS.append(menu)


def items_for(user, path: str) -> list:
    """The menu of the face that is ``user``'s, on the page at ``path``; [] when none is."""
    for menu in _MENUS:
        items = menu(user, path)
        if items is not None:
            return items
    return []


def entry(label, url_name: str, current: str) -> dict:
    """A link to the page named ``url_name``, active on it (and on its sub-pages)."""
    url = reverse(url_name)
    # A face's home is active on itself only; other entries on their sub-pages too.
    active = current == url or (current.startswith(url) and url.count("/") > 2)
    return {"label": label, "url": url, "active": active}


def group(label, entries: list[dict]) -> dict:
    """A drop-down of ``entries``, active when one of them is."""
    return {"label": label, "children": entries, "active": any(e["active"] for e in entries)}
