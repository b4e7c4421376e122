"""``python manage.py restore DIR``: a backup into an empty database and folder of uploads (docs/backups.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from supervision.core import backups
from supervision.core.commands import add_language_argument


class Command(BaseCommand):
    help = (
        "Restore the backup in DIR into an empty database (no tables: do not run migrate first) and an "
        "empty MEDIA_ROOT, after checking the manifest and every file's checksum."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a directory written by manage.py backup")
        parser.add_argument("--database", default="default", help="the database alias (default: default)")
        parser.add_argument(
            "--check-only",
            action="store_true",
            help="only check the manifest and the files' checksums; restore nothing",
        )
        add_language_argument(parser)

    def handle(self, *args, directory, database, check_only, language, **options):
        with translation.override(language):
            try:
                if check_only:
                    manifest = backups.verify(Path(directory))
                    self.stdout.write(
                        self.style.SUCCESS(
                            _(
                                "The backup of %(created)s is whole: %(tables)s tables, %(rows)s rows, "
                                "%(files)s uploaded files; every checksum matches."
                            )
                            % backups.describe(manifest)
                        )
                    )
                    return
                restored = backups.restore(Path(directory), alias=database, progress=self.stdout.write)
            except backups.BackupRefused as refused:
                raise CommandError(str(refused)) from None
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Restored the backup of %(created)s: %(tables)s tables, %(rows)s rows (each table's "
                        "count as in the manifest), %(files)s uploaded files (each checksum as in the manifest)."
                    )
                    % {
                        "created": restored.manifest["created"],
                        "tables": restored.tables,
                        "rows": restored.rows,
                        "files": restored.files,
                    }
                )
            )
            if restored.unapplied:
                self.stdout.write(
                    self.style.WARNING(
                        _(
                            "The restored database lacks %(count)s of this version's migrations: "
                            "run python manage.py migrate."
                        )
                        % {"count": len(restored.unapplied)}
                    )
                )
