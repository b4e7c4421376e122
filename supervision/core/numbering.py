"""Sequence numbers of official documents: one counter per series and year, in ``DocumentSequence``.

Each series (``DocumentSeries``: the casework's orders and interview notices share one, the
briefings have their own) starts again at 1 every year. A number is taken inside the transaction
that gives it to a document: the year's row is locked (``select_for_update``) until that
transaction ends, so two documents issued at once cannot get the same number, and a number is
never used up by a transaction that rolls back. The callers (``casework.numbers``,
``briefings.services``) turn the number into the document number they show.
"""

from collections.abc import Callable

from django.db import IntegrityError, transaction

from .models import DocumentSequence


def _row(series: str, year: int) -> DocumentSequence:
    """The locked row of ``series`` in ``year``, created at 0 if this is the year's first number."""
    try:
        with transaction.atomic():
            return DocumentSequence.objects.select_for_update().get_or_create(series=series, year=year)[0]
    except IntegrityError:  # created at the same moment by another transaction
        return DocumentSequence.objects.select_for_update().get(series=series, year=year)


def _never(seq: int) -> bool:
    return False


@transaction.atomic
def next_number(series: str, year: int, *, taken: Callable[[int], bool] = _never) -> int:
    """Take the next sequence number of ``series`` in ``year``; the first of a year is 1.

    ``taken(seq)`` says whether a document already bears that number (imported, typed in by
    hand); such numbers are skipped. Call inside the transaction that gives the number.
    """
    row = _row(series, year)
    seq = row.last + 1
    while taken(seq):
        seq += 1
    row.last = seq
    row.save(update_fields=["last"])
    return seq


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
