"""Who saw personal data: every look at complaints' personal data is recorded here.

A complaint's page, a download of the complaint ledger, a report's ledger file and a
rectification order citing complaints all show masked subscriber numbers, complaint texts or
resolutions. The view that serves one calls ``record`` once, before answering: who, when, what,
the query values that chose the rows, how many complaints, and the object for a single one.

The log never holds the personal data itself: filters are codes, dates, states and ids; a free
text search (which may hold a number or words of a complaint) is kept only as ``true``, never
its words. User administrators read the log on the dashboard (``control:access_log``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .models import PersonalDataAccess, PersonalDataUse

__all__ = ["PersonalDataUse", "query_filters", "record"]

# Longest value of a filter kept in the log: codes, dates and ids are far shorter.
VALUE_LENGTH = 40


def record(
    user, what: PersonalDataUse | str, *, filters: Mapping[str, Any], rows: int, object_id: int | None = None
) -> PersonalDataAccess:
    """Record that ``user`` saw ``rows`` complaints' personal data by ``what`` (a
    ``PersonalDataUse``), chosen by ``filters`` (JSON values: codes, dates, ids, never a
    complaint's number or text), or the one object ``object_id``. The time is now."""
    if what not in PersonalDataUse.values:
        raise ValueError(f"unknown use of personal data {what!r}")
    return PersonalDataAccess.objects.create(
        user=user, what=what, filters=dict(filters), rows=max(int(rows), 0), object_id=object_id
    )


def query_filters(query, names: Iterable[str], *, texts: Iterable[str] = ()) -> dict[str, Any]:
    """The query values among ``names`` that are set, as the log keeps them.

    ``query`` is a ``QueryDict`` (``request.GET``): a value given once is kept as a string,
    several as a list. A free-text field named in ``texts`` is kept as ``True`` (a search was
    made), never its words.
    """
    texts = set(texts)
    kept: dict[str, Any] = {}
    for name in names:
        values = [value.strip() for value in query.getlist(name) if value.strip()]
        if not values:
            continue
        if name in texts:
            kept[name] = True
        elif len(values) == 1:
            kept[name] = values[0][:VALUE_LENGTH]
        else:
            kept[name] = [value[:VALUE_LENGTH] for value in values]
    return kept
