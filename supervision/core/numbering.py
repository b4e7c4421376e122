"""Sequence numbers of official documents: one counter per series and year, in ``DocumentSequence``.

Each series (``DocumentSeries``: the casework's orders and interview notices share one, the
briefings have their own) starts again at 1 every year. Numbers only go up: a new document takes
the number after the highest of its series and year, whether that one was taken from the counter
or already stands on a document that never went through it (the demo data's, an import, one
typed in by hand), so there is never a gap after the highest nor a number given twice. A number
is taken inside the transaction that gives it to a document: the year's row is locked
(``select_for_update``) until that transaction ends, so two documents issued at once cannot get
the same number, and a number is never used up by a transaction that rolls back. The callers
(``casework.numbers``, ``briefings.services``) turn the number into the document number they
show.
"""

import re
from collections.abc import Callable, Iterable

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from .models import DocumentSequence


def _row(series: str, year: int) -> DocumentSequence:
    """The locked row of ``series`` in ``year``, created at 0 if this is the year's first number."""
    try:
        with transaction.atomic():
            return DocumentSequence.objects.select_for_update().get_or_create(series=series, year=year)[0]
    except IntegrityError:  # created at the same moment by another transaction
        return DocumentSequence.objects.select_for_update().get(series=series, year=year)


def _none() -> int:
    return 0


@transaction.atomic
def next_number(series: str, year: int, *, highest: Callable[[], int] = _none) -> int:
    """Take the next sequence number of ``series`` in ``year``; the first of a year is 1.

    ``highest()`` is the highest number of the series and year already on a document (0 when
    none); it is asked once the year's row is locked, and the number taken is after it and
    after the counter's. Call inside the transaction that gives the number.
    """
    row = _row(series, year)
    seq = max(row.last, highest()) + 1
    row.last = seq
    row.save(update_fields=["last"])
    return seq


def highest_on(documents: Iterable[QuerySet], field: str, pattern: str, year: int) -> int:
    """The highest sequence number of ``year`` that a document bears in ``field``, written as
    ``pattern`` (``"鲁通管〔{year}〕{seq}号"``); 0 when none does.

    The database narrows the rows to the pattern's fixed parts; the sequence between them is
    read here, as a number (``10`` is after ``9``).
    """
    # The sequence's field may carry a format ("{seq:03d}"): it is cut out before formatting.
    prefix, _sep, suffix = re.sub(r"\{seq(?::[^}]*)?\}", "\0", pattern).format(year=year).partition("\0")
    found = 0
    for rows in documents:
        candidates = rows.filter(**{f"{field}__startswith": prefix, f"{field}__endswith": suffix})
        for value in candidates.values_list(field, flat=True):
            middle = value[len(prefix) : len(value) - len(suffix)]
            if middle.isascii() and middle.isdigit():
                found = max(found, int(middle))
    return found


# --- Moving the apps' former sequence tables here (their migrations) ------------------------------
# Both take the historical models of a migration (``apps``), never the current ones.


def copy_into_core(apps, db: str, old_model: str, series: str) -> None:
    """Copy the rows of ``old_model`` (``"app_label.Model"``, fields ``year`` and ``last``) to ``series``."""
    old = apps.get_model(old_model)
    new = apps.get_model("core", "DocumentSequence")
    for year, last in old.objects.using(db).values_list("year", "last"):
        row, created = new.objects.using(db).get_or_create(series=series, year=year, defaults={"last": last})
        if not created and row.last < last:  # never go back to a number already given
            row.last = last
            row.save(update_fields=["last"])


def copy_out_of_core(apps, db: str, old_model: str, series: str) -> None:
    """The reverse: give ``old_model`` the rows of ``series`` back and remove them from core."""
    old = apps.get_model(old_model)
    new = apps.get_model("core", "DocumentSequence")
    rows = new.objects.using(db).filter(series=series)
    for year, last in rows.values_list("year", "last"):
        old.objects.using(db).update_or_create(year=year, defaults={"last": last})
    rows.delete()
