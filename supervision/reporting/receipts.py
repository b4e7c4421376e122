"""The receipt an operator gets for a certified submission, to quote later: as text and as PDF.

Both say the same, Chinese then English: the confirmation number, the operator, the month, the
version, when it was submitted (Beijing time), who certified it and each file with its SHA-256
checksum. The PDF is laid out by the official documents' engine (``core.pdf``): the
administration's red head with the confirmation number under it, and no number (a checksum, a
time, the confirmation number) split across two lines.
"""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from supervision.core import pdf
from supervision.core.dates import local_time
from supervision.core.text import printable

AUTHORITY = "山东省通信管理局"
LANGUAGES = ("zh-hans", "en")
FIELD_PT = 12
FILE_PT = 9


def receipt_text(submission) -> str:
    """A plain-text receipt, Chinese then English, with a checksum for each file."""
    context = {"s": submission, "files": submission.files.all()}
    parts = []
    for language in LANGUAGES:
        with translation.override(language):
            parts.append(render_to_string("reporting/receipt.txt", context))
    return "\n".join(parts)


def _fields(submission) -> list[tuple[str, str]]:
    """The receipt's lines in the active language: (label, value)."""
    submitted = (
        local_time(submission.submitted_at).strftime("%Y-%m-%d %H:%M:%S") if submission.submitted_at else "—"
    )
    return [
        (_("Confirmation number"), submission.receipt_no or ""),
        (_("Operator"), submission.operator.name),
        (_("Period"), submission.period.label),
        (_("Version"), str(submission.version)),
        (_("Submitted at"), f"{submitted} ({_('Beijing time')})"),
        (_("Certified by"), str(submission.certified_by or "—")),
    ]


def _sections(submission, files) -> list[dict]:
    sections = []
    for language in LANGUAGES:
        with translation.override(language):
            sections.append(
                {
                    "title": _("Receipt for a monthly number portability report"),
                    "fields": _fields(submission),
                    "files_label": _("Files (SHA-256)"),
                    "files": [(f"{f.name} ({f.size} {_('bytes')})", f.sha256) for f in files],
                    "colon": "：" if language.startswith("zh") else ": ",
                }
            )
    return sections


def receipt_pdf(submission) -> bytes:
    """The receipt as a PDF: the administration's head, then the Chinese and the English text."""
    files = list(submission.files.all())
    sections = [
        {**section, "fields": [(label, printable(value)) for label, value in section["fields"]]}
        for section in _sections(submission, files)
    ]
    characters = "".join(
        [
            AUTHORITY,
            "· ",
            submission.receipt_no or "",
            *(
                part
                for section in sections
                for part in (
                    section["title"],
                    section["files_label"],
                    section["colon"],
                    *(text for pair in section["fields"] for text in pair),
                    *(text for pair in section["files"] for text in pair),
                )
            ),
        ]
    )

    def draw(writer: pdf.Writer) -> None:
        writer.head(AUTHORITY, submission.receipt_no or "")
        line = FIELD_PT * pdf.PT_MM * 1.8
        for index, section in enumerate(sections):
            if index:
                writer.pdf.ln(line)
                writer.rule()
                writer.pdf.ln(line / 2)
            writer.text(section["title"], family="sans", size=15, align="C", indent=False, height=line * 1.4)
            writer.pdf.ln(line / 2)
            for label, value in section["fields"]:
                writer.text(f"{label}{section['colon']}{value}", size=FIELD_PT, indent=False, height=line)
            writer.text(
                f"{section['files_label']}{section['colon']}", size=FIELD_PT, indent=False, height=line
            )
            for name, checksum in section["files"]:
                writer.text(f"· {name}", size=FIELD_PT, indent=False, height=line)
                writer.text(checksum, family="sans", size=FILE_PT, indent=True, height=line * 0.8)

    return pdf.render(
        characters,
        draw,
        title=f"{AUTHORITY} {sections[0]['title']} {submission.receipt_no or ''}",
        author=AUTHORITY,
        keep=[submission.receipt_no or ""],
    )
