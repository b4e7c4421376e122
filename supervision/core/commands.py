"""What the site's management commands share."""

from django.conf import settings


def add_language_argument(parser) -> None:
    """``--language``: the language of the command's messages, one of the site's (settings.LANGUAGES)."""
    parser.add_argument(
        "--language",
        choices=[code for code, _name in settings.LANGUAGES],
        default=settings.LANGUAGE_CODE,
        help=f"the language of the messages (default: {settings.LANGUAGE_CODE})",
    )
