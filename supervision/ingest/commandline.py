"""What the three ``import_*`` management commands share (FORMATS.md, "Command-line import").

Exit status 0 when stored, with a summary line on stdout and the warnings and notices listed
after it; non-zero when nothing was stored, with every error on stderr as
``row N, <column>: <message>`` (the frame is fixed so that scripts can parse it; the messages
are in the language chosen with ``--language``).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from supervision.core.commands import add_language_argument

from .checks import FileRefused


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx or .csv file to import")
        add_language_argument(parser)

    def handle(self, *args, **options):
        with translation.override(options["language"]):
            path = Path(options["file"])
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise CommandError(
                    _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}
                ) from None
            try:
                self.run(data, path.name, options)
            except FileRefused as refused:
                self.stderr.write(str(refused.problem))
                raise CommandError(_("Nothing was stored: the file was refused.")) from None

    def run(self, data: bytes, file_name: str, options: dict) -> None:
        raise NotImplementedError

    def stop_on_errors(self, result) -> None:
        """Write every error to stderr and stop, storing nothing, if there is any."""
        errors = result.errors
        if not errors:
            return
        for problem in errors:
            self.stderr.write(str(problem))
        raise CommandError(_("Nothing was stored. Errors in the file: %(count)s.") % {"count": len(errors)})

    def report(self, summary: str, result) -> None:
        self.stdout.write(summary)
        for problem in result.warnings:
            self.stdout.write(f"{_('warning')}: {problem}")
        for problem in result.notices:
            self.stdout.write(f"{_('notice')}: {problem}")

    def operator(self, value: str | None):
        from supervision.core.models import Operator

        codes = ", ".join(Operator.objects.values_list("code", flat=True))
        if not value:
            raise CommandError(_("Give the operator with --operator, one of %(codes)s.") % {"codes": codes})
        operator = (
            Operator.objects.filter(code__iexact=value.strip()).first()
            or Operator.objects.filter(short_zh=value.strip()).first()
        )
        if operator is None:
            raise CommandError(
                _("“%(value)s” is not an operator; use one of %(codes)s.") % {"value": value, "codes": codes}
            )
        return operator
