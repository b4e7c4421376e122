"""The receipt an operator gets for a certified submission, to quote later."""

from django.template.loader import render_to_string
from django.utils import translation


def receipt_text(submission) -> str:
    """A plain-text receipt, Chinese then English, with a checksum for each file."""
    context = {"s": submission, "files": submission.files.all()}
    parts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            parts.append(render_to_string("reporting/receipt.txt", context))
    return "\n".join(parts)
