"""``manage.py import_inspections FILE``: an inspection or mystery-shopper batch, as drafts."""

from django.utils.translation import gettext as _

from supervision.reporting.ingest.commandline import ImportCommand
from supervision.reporting.ingest.store import check_inspections_file, store_inspections


class Command(ImportCommand):
    help = "Import an inspection / mystery-shopper batch (.xlsx or .csv) as draft findings."

    def run(self, data, file_name, options):
        result = check_inspections_file(data, file_name)
        self.stop_on_errors(result)
        findings = store_inspections(result, user=None)
        self.report(
            _("Stored %(visits)s inspection visits (%(found)s with a problem found) as drafts.")
            % {"visits": len(findings), "found": sum(1 for f in findings if f.violation)},
            result,
        )
