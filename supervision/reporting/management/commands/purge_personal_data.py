"""``manage.py purge_personal_data``: empty the personal data of complaints past retention.

The scheduler runs it nightly (``reporting.purge_personal_data``, ``schedule.py``); run it by
hand to purge at once. See ``supervision.reporting.retention``; the retention
period is ``PERSONAL_DATA_RETENTION_DAYS`` (README, configuration).
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from supervision.core import dates
from supervision.reporting.retention import purge_personal_data


class Command(BaseCommand):
    help = (
        "Purge the subscriber number, complaint text and resolution of complaints resolved more than "
        "PERSONAL_DATA_RETENTION_DAYS days ago; logs counts per operator, never the data."
    )

    def handle(self, *args, **options):
        counts = purge_personal_data(dates.today())
        days = settings.PERSONAL_DATA_RETENTION_DAYS
        for code, count in sorted(counts.items()):
            self.stdout.write(
                _(
                    "%(operator)s: personal data purged from %(count)d complaints resolved more than %(days)d days ago."
                )
                % {"operator": code, "count": count, "days": days}
            )
        if not counts:
            self.stdout.write(
                _("No complaint past the retention period of %(days)d days holds personal data.")
                % {"days": days}
            )
