"""Query values (``?month=…&page=…&user=…``) read one way everywhere.

A value that cannot be right is the client's mistake: a 400 (``BadRequest``), never a 500 and
never a row written. An absent value gives the view's default. Views read their query values
only through these functions.
"""

import datetime as dt

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

from .models import Period

# The largest id a database key can hold (PostgreSQL bigint, SQLite INTEGER).
MAX_ID = 2**63 - 1


def month(request, name: str = "month") -> dt.date | None:
    """``?month=YYYY-MM`` as the month's first day; None when absent; 400 when not a month
    between ``Period.FIRST_YEAR`` and ``Period.LAST_YEAR``."""
    label = request.GET.get(name, "").strip()
    if not label:
        return None
    try:
        year, number = Period.parse_label(label)
    except ValueError as error:
        raise BadRequest(str(error)) from None
    return dt.date(year, number, 1)


def period(request, name: str = "month") -> Period:
    """The period a page shows: ``?month=YYYY-MM``, by default the last complete month.

    Read-only: a month nobody has reported for is an unsaved ``Period`` (the page shows it
    empty); looking at a month never creates it.
    """
    first = month(request, name)
    if first is None:
        return Period.last_complete()
    return Period.objects.lookup(first.year, first.month)


def integer(request, name: str, default: int | None = None, *, minimum: int = 0, maximum: int = MAX_ID):
    """A whole number between ``minimum`` and ``maximum``; ``default`` when absent; else 400."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(_("“%(value)s” is not a number.") % {"value": raw[:40]}) from None
    if not minimum <= value <= maximum:
        raise BadRequest(_("%(name)s is out of range.") % {"name": name})
    return value


def object_id(request, name: str) -> int | None:
    """An id in the query (``?user=12``): None when absent, 400 when it cannot be an id."""
    return integer(request, name, None, minimum=1)


def clamped(request, name: str, default: int, *, minimum: int, maximum: int) -> int:
    """A count the page bounds anyway (``?months=``): out of range or not a number → nearest sense."""
    raw = request.GET.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        return default
    return min(max(value, minimum), maximum)


def page_number(request, name: str = "page") -> int:
    """A page number for ``Paginator.get_page``: anything odd is page 1; past the end is the last."""
    raw = request.GET.get(name, "").strip()
    try:
        value = int(raw)
    except ValueError:
        return 1
    return max(1, min(value, MAX_ID))
