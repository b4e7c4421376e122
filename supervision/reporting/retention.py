"""How long personal data is kept: the retention period for closed complaints.

A resolved complaint keeps its place in the ledger and in every count, but after
``settings.PERSONAL_DATA_RETENTION_DAYS`` days its personal data goes: the (masked) subscriber
number, the complaint text and the resolution text, in the complaint and in its change history.
What was purged is logged as counts per operator, never the data itself.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from .models import ComplaintRecord, ComplaintRevision, ComplaintStatus

logger = logging.getLogger("supervision.privacy")

# The fields that carry personal data, emptied when the retention period is over.
PERSONAL_FIELDS = ("msisdn_masked", "summary", "resolution")


def purgeable(today: dt.date) -> Q:
    """Resolved complaints past the retention period that still hold personal data."""
    cutoff = today - dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    holds_data = Q(msisdn_masked__gt="") | Q(summary__gt="") | Q(resolution__gt="")
    return Q(status=ComplaintStatus.RESOLVED, resolved_on__lt=cutoff) & holds_data


@transaction.atomic
def purge_personal_data(today: dt.date) -> dict[str, int]:
    """Empty the personal data of closed complaints past the retention period.

    Returns ``{operator code: complaints purged}``; running it again purges nothing more.
    """
    rows = list(ComplaintRecord.objects.filter(purgeable(today)).values_list("pk", "operator__code"))
    counts = Counter(code for _pk, code in rows)
    ids = [pk for pk, _code in rows]
    for start in range(0, len(ids), 10_000):
        batch = ids[start : start + 10_000]
        ComplaintRecord.objects.filter(pk__in=batch).update(**dict.fromkeys(PERSONAL_FIELDS, ""))
        revisions = []
        for revision in ComplaintRevision.objects.filter(complaint_id__in=batch):
            if any(name in revision.changes for name in PERSONAL_FIELDS):
                for name in PERSONAL_FIELDS:
                    if name in revision.changes:
                        revision.changes[name] = [None, None]
                revisions.append(revision)
        ComplaintRevision.objects.bulk_update(revisions, ["changes"], batch_size=1000)
    for code, count in sorted(counts.items()):
        logger.info("Personal data purged from %d resolved complaints of %s (retention %d days).",
                    count, code, settings.PERSONAL_DATA_RETENTION_DAYS)  # fmt: skip
    if not counts:
        logger.info("No personal data to purge (retention %d days).", settings.PERSONAL_DATA_RETENTION_DAYS)
    return dict(counts)
