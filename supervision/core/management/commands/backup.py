"""``python manage.py backup DIR``: the database and the uploaded files, with a manifest (docs/backups.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from supervision.core import backups
from supervision.core.commands import add_language_argument


class Command(BaseCommand):
    help = (
        "Back up the database (one consistent snapshot) and the uploaded files into DIR, a new or empty "
        "directory, with manifest.json (checksums, row counts, migrations) written last."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a new or empty directory")
        parser.add_argument("--database", default="default", help="the database alias (default: default)")
        add_language_argument(parser)

    def handle(self, *args, directory, database, language, **options):
        with translation.override(language):
            try:
                manifest = backups.backup(Path(directory), alias=database, progress=self.stdout.write)
            except backups.BackupRefused as refused:
                raise CommandError(str(refused)) from None
            figures = backups.describe(manifest)
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Backup written to %(directory)s at %(created)s: %(tables)s tables, %(rows)s rows, "
                        "%(migrations)s migrations applied, %(files)s uploaded files (%(bytes)s bytes)."
                    )
                    % {"directory": directory, **figures}
                )
            )
