"""``manage.py create_api_token USERNAME --name NAME [--read-only] [--days N]``: make an API token.

The token acts as the user on ``/api/v1/`` (docs/api.md). It is printed alone on the last line
of the output, so that a script can take it with ``tail -n 1``; it is never shown again.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from supervision.core import dates, tokens


class Command(BaseCommand):
    help = "Make an API token for USERNAME; the token is printed alone on the last line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="what the token is for (which program uses it)")
        parser.add_argument("--read-only", action="store_true", help="the token may only read")
        parser.add_argument(
            "--days",
            type=int,
            default=tokens.DEFAULT_DAYS,
            help=f"days until it expires ({tokens.DEFAULT_DAYS})",
        )

    def handle(self, *args, username, name, read_only, days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user is called %(name)s.") % {"name": username})
        try:
            token, secret = tokens.create(user, name=name, read_only=read_only, days=days)
        except tokens.TokenRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(
            _("API token “%(name)s” for %(user)s, %(access)s, expires %(expires)s. It is shown only now:")
            % {
                "name": token.name,
                "user": user.username,
                "access": _("read only") if token.read_only else _("read and write"),
                "expires": dates.moment_label(token.expires_at) if token.expires_at else _("never"),
            }
        )
        self.stdout.write(secret)
