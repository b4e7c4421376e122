"""The one allow-list for the files people attach to cases: evidence, responses, reports, records.

A file is accepted when three things agree: its content (sniffed with ``filetype``, never the
browser's Content-Type), its name's extension, and the allow-list below; and when it is no
larger than ``settings.EVIDENCE_MAX_BYTES``. Every form and service that takes such a file calls
``check_case_file``; the spreadsheet uploads have their own reader (``supervision.ingest.reading``).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import privacy


@dataclass(frozen=True)
class AllowedType:
    mime: str  # as ``filetype`` names the content
    extensions: tuple[str, ...]  # the names such a file may have, the first one preferred
    kind: str  # photo, audio, video or document: how a page shows it
    label: str


ALLOWED_TYPES = [
    AllowedType("image/jpeg", ("jpg", "jpeg"), "photo", "JPEG"),
    AllowedType("image/png", ("png",), "photo", "PNG"),
    AllowedType("audio/mpeg", ("mp3",), "audio", "MP3"),
    AllowedType("audio/m4a", ("m4a",), "audio", "M4A"),
    AllowedType("audio/x-wav", ("wav",), "audio", "WAV"),
    AllowedType("video/mp4", ("mp4",), "video", "MP4"),
    AllowedType("application/pdf", ("pdf",), "document", "PDF"),
]
_BY_MIME = {t.mime: t for t in ALLOWED_TYPES}
ALLOWED_EXTENSIONS = tuple(ext for t in ALLOWED_TYPES for ext in t.extensions)
# Enough for every signature filetype knows (it reads at most this many bytes).
SNIFF_BYTES = 8192

KIND_LABELS = {
    "photo": gettext_lazy("Photo"),
    "audio": gettext_lazy("Audio recording"),
    "video": gettext_lazy("Video"),
    "document": gettext_lazy("Document"),
}


class FileRefused(Exception):
    """The file is not accepted; the message says why, in the user's language."""


@dataclass(frozen=True)
class CheckedFile:
    name: str
    mime: str
    kind: str
    size: int
    sha256: str
    extension: str


def accepted_list() -> str:
    """``JPG, PNG, MP3, …``: what a form's help text promises."""
    return ", ".join(t.label for t in ALLOWED_TYPES)


def accept_attribute() -> str:
    """The ``accept`` attribute of the file inputs: a hint for the browser's picker only."""
    return ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)


def _base_name(name: str) -> str:
    # A file named after a subscriber ("13912345678投诉.xlsx") is shown, stored and quoted with
    # the number masked (FORMATS.md §2, "Privacy"): the name is text the user wrote.
    return privacy.mask_text((name or "").replace("\\", "/").rsplit("/", 1)[-1].strip())


# --- Where uploaded files are kept, and under which name they are shown ---------------------

_SAFE_EXTENSION = re.compile(r"[a-z0-9]{1,10}")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_-]{1,40}\.[A-Za-z0-9]{1,10}")
DISPLAY_NAME_LENGTH = 255  # the ``name`` fields beside every file field


def stored_name(folder: str, filename: str) -> str:
    """``folder/2026/11/<random>.xlsx``: where an uploaded file is kept (every ``upload_to``).

    Never the user's name as given: 84 Chinese characters are 252 bytes, over what a file system
    allows in one name, and a name can hold anything. The random name also keeps paths
    unguessable; the extension is kept when it is plain (letters and digits), so the files stay
    recognisable. A short plain ASCII name (``ledger-masked.xlsx``, as the site names the files it
    writes itself) follows the random part whole, so that what it says survives.
    """
    base = _base_name(filename)
    if _PLAIN_NAME.fullmatch(base):
        return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}-{base}"
    extension = base.rsplit(".", 1)[-1].lower() if "." in base else ""
    suffix = f".{extension}" if _SAFE_EXTENSION.fullmatch(extension) else ""
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def display_name(filename: str, limit: int = DISPLAY_NAME_LENGTH) -> str:
    """The user's file name as a page shows it: its base name, shortened to fit ``limit``
    characters with its extension kept."""
    base = _base_name(filename)
    if len(base) <= limit:
        return base
    stem, dot, extension = base.rpartition(".")
    if not dot or len(extension) >= limit // 2:
        return base[:limit]
    return f"{stem[: limit - len(extension) - 2]}….{extension}"


def check_case_file(uploaded) -> CheckedFile:
    """Check an uploaded file against the allow-list; raise ``FileRefused`` if it is refused.

    ``uploaded`` is a Django ``UploadedFile`` (or any object with ``name``, ``size`` and
    ``chunks()``). The file is read once, to sniff its first bytes and compute its SHA-256.
    """
    name = _base_name(uploaded.name)
    limit = settings.EVIDENCE_MAX_BYTES
    size = uploaded.size or 0
    if size == 0:
        raise FileRefused(_("The file “%(name)s” is empty.") % {"name": name})
    if size > limit:
        raise FileRefused(
            _("The file “%(name)s” is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise FileRefused(
            _("“%(name)s” is not an accepted kind of file. Accepted: %(accepted)s.")
            % {"name": name, "accepted": accepted_list()}
        )
    digest = hashlib.sha256()
    head = b""
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    for chunk in uploaded.chunks():
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        digest.update(chunk)
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    detected = filetype.guess(head)
    allowed = _BY_MIME.get(detected.mime) if detected else None
    if allowed is None:
        raise FileRefused(
            _(
                "The content of “%(name)s” is not of an accepted kind (it reads as %(detected)s). Accepted: %(accepted)s."
            )
            % {
                "name": name,
                "detected": detected.mime if detected else _("unknown content"),
                "accepted": accepted_list(),
            }
        )
    if extension not in allowed.extensions:
        raise FileRefused(
            _(
                "“%(name)s” holds %(kind)s content but its name ends in .%(extension)s; rename it .%(expected)s."
            )
            % {"name": name, "kind": allowed.label, "extension": extension, "expected": allowed.extensions[0]}
        )
    return CheckedFile(
        name=display_name(name),
        mime=allowed.mime,
        kind=allowed.kind,
        size=size,
        sha256=digest.hexdigest(),
        extension=allowed.extensions[0],
    )
