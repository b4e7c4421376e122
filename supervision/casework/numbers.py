"""Official document numbers: ``settings.DOCUMENT_NUMBER_PATTERN`` with the year and a sequence.

Rectification orders and interview notices share one sequence per year (as the administration's
outgoing documents do), the series ``casework`` of ``core.numbering``, given when a document is
issued, never for a draft. The year's row is locked while a number is taken, so two documents
issued at once cannot get the same one; a new number comes after the highest already on an
order or a notice of the year (the demo data's, imported, typed in by hand), never in a gap below it.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from supervision.core.dates import local_date
from supervision.core.models import DocumentSeries
from supervision.core.numbering import highest_on, next_number

from .models import InterviewNotice, RectificationOrder


def format_number(year: int, seq: int) -> str:
    return settings.DOCUMENT_NUMBER_PATTERN.format(year=year, seq=seq)


def _highest(year: int) -> int:
    """The highest number of ``year`` on an order or an interview notice (the shared series)."""
    documents = [RectificationOrder.objects.all(), InterviewNotice.objects.all()]
    return highest_on(documents, "document_no", settings.DOCUMENT_NUMBER_PATTERN, year)


@transaction.atomic
def next_document_number(at: dt.datetime | None = None) -> str:
    """Take the next number of the year of ``at`` (Asia/Shanghai); call inside the issuing transaction."""
    year = local_date(at or timezone.now()).year
    seq = next_number(DocumentSeries.CASEWORK, year, highest=lambda: _highest(year))
    return format_number(year, seq)
