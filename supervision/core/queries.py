"""Small query building blocks shared by the apps."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_per_row(rows: QuerySet, link: str = "operator") -> Coalesce:
    """The number of ``rows`` that point at the outer row through ``link``, as an annotation.

    One correlated subquery per counted set, so counting several related sets of the same rows
    (an operator's open orders and its open incidents) never multiplies them together as joins
    would, and each set is filtered by its own queryset method (``RectificationOrder.objects.open()``).
    """
    counted = (
        rows.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
