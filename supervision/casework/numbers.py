"""Official document numbers: ``settings.DOCUMENT_NUMBER_PATTERN`` with the year and a sequence.

Rectification orders and interview notices share one sequence per year (as the administration's
outgoing documents do), the series ``casework`` of ``core.numbering``, given when a document is
issued, never for a draft. The year's row is locked while a number is taken, so two documents
issued at once cannot get the same one; a number already on a document (imported, typed in by
hand) is skipped.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from supervision.core.models import SHANGHAI, DocumentSeries
from supervision.core.numbering import next_number

from .models import InterviewNotice, RectificationOrder


def format_number(year: int, seq: int) -> str:
    return settings.DOCUMENT_NUMBER_PATTERN.format(year=year, seq=seq)


def _taken(number: str) -> bool:
    return (
        RectificationOrder.objects.filter(document_no=number).exists()
        or InterviewNotice.objects.filter(document_no=number).exists()
    )


@transaction.atomic
def next_document_number(at: dt.datetime | None = None) -> str:
    """Take the next number of the year of ``at`` (Asia/Shanghai); call inside the issuing transaction."""
    year = timezone.localtime(at or timezone.now(), SHANGHAI).year
    seq = next_number(DocumentSeries.CASEWORK, year, taken=lambda seq: _taken(format_number(year, seq)))
    return format_number(year, seq)
