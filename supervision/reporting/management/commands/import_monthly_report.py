"""``manage.py import_monthly_report FILE --operator CMCC --period 2026-10``: back-fill a month.

Creates the next version of the operator's report for the period, stores its figures and
submits it, all in one transaction; refused when the period is locked or already accepted.
"""

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from supervision.core.models import Period
from supervision.ingest.commandline import ImportCommand
from supervision.reporting import submissions
from supervision.reporting.ingest.store import check_monthly_file, store_monthly


class Command(ImportCommand):
    help = "Import an operator's monthly report figures (.xlsx or .csv) as a new, submitted version."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--operator", required=True, help="the operator's code, e.g. CMCC")
        parser.add_argument("--period", required=True, help="the month, YYYY-MM, e.g. 2026-10")

    def run(self, data, file_name, options):
        operator = self.operator(options["operator"])
        try:
            year, month = Period.parse_label(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        period = Period.objects.for_month(year, month)
        try:
            # Refuse before reading the file: no point in checking figures that cannot be stored.
            submissions.ensure_period_open(operator, period)
        except submissions.SubmissionRefused as exc:
            raise CommandError(str(exc)) from None

        result = check_monthly_file(data, file_name, operator=operator, period=period)
        self.stop_on_errors(result)
        try:
            with transaction.atomic():
                submission = submissions.create_version(operator, period)
                store_monthly(result, submission)
                # On the command line nobody is asked to explain the warnings; they are kept
                # with the version, unexplained, like the portal keeps the explained ones.
                submission.warnings = [
                    {**problem.to_dict(), "explanation": ""} for problem in result.warnings
                ]
                submission.save(update_fields=["warnings"])
                submission = submissions.submit(submission)
        except submissions.SubmissionRefused as exc:
            raise CommandError(str(exc)) from None
        self.report(
            _("Stored %(operator)s %(period)s, version %(version)s: %(cities)s cities; receipt %(receipt)s.")
            % {
                "operator": operator.code,
                "period": period.label,
                "version": submission.version,
                "cities": len(result.rows),
                "receipt": submission.receipt_no,
            },
            result,
        )
