"""``manage.py import_inspections FILE [--user NAME]``: an inspection or mystery-shopper batch, as drafts.

The file is recorded as an inspection batch, as an upload on the site would be, so that every
finding it stored points back to it and the batch page shows the file's name, its checksum and
who imported it. The file itself is not kept (FORMATS.md, "Files kept"): its findings are.
"""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from supervision.casework.batches import import_file
from supervision.casework.ingest import check_inspections_file
from supervision.ingest.commandline import ImportCommand


class Command(ImportCommand):
    help = "Import an inspection / mystery-shopper batch (.xlsx or .csv) as draft findings."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--user", help="the user name of the administration's staff member who imports it (recorded)"
        )

    def run(self, data, file_name, options):
        user = self.staff_user(options.get("user"))
        result = check_inspections_file(data, file_name)
        self.stop_on_errors(result)
        _batch, findings = import_file(data, file_name, result, user=user)
        self.report(
            _("Stored %(visits)s inspection visits (%(found)s with a problem found) as drafts.")
            % {"visits": len(findings), "found": sum(1 for f in findings if f.violation)},
            result,
        )

    def staff_user(self, name: str | None):
        if not name:
            return None
        from supervision.core.models import User

        user = User.objects.filter(username=name, is_active=True).first()
        if user is None or not user.is_regulator_staff:
            raise CommandError(
                _("“%(name)s” is not an active user of the administration's staff.") % {"name": name}
            )
        return user
