"""``manage.py import_complaints FILE --operator CMCC``: add and update ledger complaints.

The operator is the one given here, never read from the file: a ledger holds only its own
operator's complaints.
"""

from django.utils.translation import gettext as _

from supervision.ingest.commandline import ImportCommand
from supervision.reporting.ingest.store import check_ledger_file, file_sha256, store_ledger


class Command(ImportCommand):
    help = (
        "Import an operator's complaint ledger (.xlsx or .csv): new complaints are added, known ones updated."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--operator", required=True, help="the operator's code, e.g. CMCC")

    def run(self, data, file_name, options):
        operator = self.operator(options["operator"])
        result = check_ledger_file(data, file_name, operator=operator)
        self.stop_on_errors(result)
        upload = store_ledger(
            result, operator=operator, user=None, file_name=file_name, sha256=file_sha256(data)
        )
        self.report(
            _(
                "Stored %(operator)s ledger %(file)s: %(added)s complaints added, %(updated)s updated, "
                "%(unchanged)s unchanged."
            )
            % {
                "operator": operator.code,
                "file": file_name,
                "added": upload.rows_added,
                "updated": upload.rows_updated,
                "unchanged": upload.rows_unchanged,
            },
            result,
        )
