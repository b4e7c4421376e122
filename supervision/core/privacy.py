"""Subscriber numbers are never kept whole (FORMATS.md §2, "Privacy"): one masking rule for all.

Every importer, form, message and export that carries text people typed goes through
``mask_text``; the ledger's 用户号码 column through ``mask_msisdn``; a message that quotes a
wrong value through ``mask_for_message``. A mobile number is masked to ``139****5678`` however it
is written:

- digits are read after NFKC normalisation (full-width ``１３９``, circled or superscript digits)
  and any other Unicode decimal digit (Arabic-Indic and the like) counts as its digit;
- between digits may stand up to three separators: spaces of any kind, ``-`` and the dashes,
  ``.``, ``·``, ``_``, ``/`` and brackets (``139 1234 5678``, ``139-1234-5678``, ``139.1234.5678``,
  ``(+86) 139-1234 5678``);
- a country prefix ``+86``, ``86`` or ``0086`` before it is masked with it.

What is *not* a mobile number, so that complaint numbers and dates survive: the number must be
whole digit groups. A run of digits written without separators is read as one group, so a
complaint number of 12 or more digits (``370100202610030001``) is never masked, even when a
mobile number hides inside it; nor is ``13912345678`` inside ``8813912345678`` (a 13-digit number
that is not ``86`` + a mobile number). A mobile number set apart from other digits by a space, a
dash or any non-digit character is masked (``工单 2026 13912345678`` → ``工单 2026 139****5678``).

Masking keeps the text as it was written otherwise (full-width Chinese punctuation stays): only
the number's span is replaced.

``mask_instance`` masks the free-text fields listed in ``MASKED_TEXT_FIELDS`` before any model
instance is saved (connected in ``CoreConfig.ready``), so no form, service or admin page can store
a full number; code that writes in bulk (``bulk_create``, raw SQL) masks before it writes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A number already masked as the site stores it; kept as given.
MASKED_MSISDN = re.compile(r"1\d{2}\*{4}\d{4}")
# A mobile number's digits, with an optional country prefix (separators already removed).
_MOBILE = re.compile(r"(?:0086|86)?(1[3-9]\d{9})")
_SEPARATORS = " \t\n\r\f\v\u00a0\u3000-._/()·\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_SEP = "[" + re.escape(_SEPARATORS) + "]"
# After digits are mapped to ASCII: digit groups joined by at most three separators.
_RUN = re.compile(rf"\+?[0-9]+(?:{_SEP}{{1,3}}\+?[0-9]+)*")
_GROUP = re.compile(r"\+?([0-9]+)")
# A quick test, on the NFKC text, that a mobile number may be in it at all (any Unicode digit).
_MAYBE = re.compile(rf"\d(?:(?:{_SEP}|\s){{0,3}}\d){{10}}")
# The most digits a prefixed mobile number has (0086 + 11).
_LONGEST = 15


def _masked(digits: str) -> str:
    return f"{digits[:3]}****{digits[-4:]}"


def _normalised(text: str) -> tuple[str, list[int]]:
    """``text`` with every character NFKC-normalised and digits made ASCII, and for each
    character of the result the index of the character of ``text`` it comes from."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isascii():
            out.append(char)
            origin.append(index)
            continue
        digit = unicodedata.decimal(char, None)
        normal = str(digit) if digit is not None else unicodedata.normalize("NFKC", char)
        for piece in normal:
            value = unicodedata.decimal(piece, None)
            out.append(str(value) if value is not None else piece)
            origin.append(index)
    return "".join(out), origin


def _mobile_spans(normal: str) -> list[tuple[int, int, str]]:
    """``(start, end, masked)`` in ``normal`` for every mobile number written there."""
    spans = []
    for run in _RUN.finditer(normal):
        groups = [(m.start(), m.end(), m[1]) for m in _GROUP.finditer(run[0])]
        i = 0
        while i < len(groups):
            digits = ""
            for j in range(i, len(groups)):
                digits += groups[j][2]
                if len(digits) > _LONGEST:
                    break
                found = _MOBILE.fullmatch(digits)
                if found:
                    start = run.start() + groups[i][0]
                    # "(+86) 139…": the bracket opened before the country prefix goes with it.
                    if len(digits) > 11 and start and normal[start - 1] == "(":
                        start -= 1
                    spans.append((start, run.start() + groups[j][1], _masked(found[1])))
                    i = j
                    break
            i += 1
    return spans


@dataclass(frozen=True)
class Masked:
    """The text with every mobile number masked, and the masked numbers in order."""

    text: str
    numbers: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.numbers)


def mask(text: str) -> Masked:
    """``text`` with every mobile number in it masked to ``139****5678``.

    Masked again until nothing changes: the four digits a mask leaves can begin a number with
    the digits after them (``13000001300 0000000``), which must not survive either. Each pass
    stars four digits of every number it finds, so the passes end.
    """
    result = _mask_once(text)
    while result.numbers:
        again = _mask_once(result.text)
        if not again.numbers:
            break
        result = Masked(again.text, result.numbers + again.numbers)
    return result


def _mask_once(text: str) -> Masked:
    if not text or not _MAYBE.search(unicodedata.normalize("NFKC", text)):
        return Masked(text)
    normal, origin = _normalised(text)
    spans = _mobile_spans(normal)
    if not spans:
        return Masked(text)
    parts, last = [], 0
    for start, end, masked in spans:
        begin, stop = origin[start], origin[end - 1] + 1
        parts.append(text[last:begin])
        parts.append(masked)
        last = stop
    parts.append(text[last:])
    return Masked("".join(parts), tuple(masked for _s, _e, masked in spans))


def mask_text(text: str) -> str:
    """``text`` with every mobile number masked; anything else is left as written."""
    return mask(text).text


def is_masked(value: str) -> bool:
    """Whether a 用户号码 cell is already masked (``139****5678``, full-width or not)."""
    return bool(MASKED_MSISDN.fullmatch(unicodedata.normalize("NFKC", value or "").strip()))


def mask_msisdn(value: str) -> str | None:
    """A 用户号码 cell as it is stored: ``139****5678``, or None when it is no mobile number.

    Already masked numbers are kept; a full number in any spelling is masked; anything else
    (a landline, a number too short or too long, text) is None: the caller reports it.
    """
    normal = _normalised(unicodedata.normalize("NFKC", value or "").strip())[0]
    if MASKED_MSISDN.fullmatch(normal):
        return normal
    spans = _mobile_spans(normal)
    if len(spans) == 1 and spans[0][:2] == (0, len(normal)):
        return spans[0][2]
    return None


_DIGITS_SPREAD = re.compile(rf"[0-9](?:{_SEP}{{0,3}}[0-9]){{6,}}")


def obscure_digits(value: str) -> str:
    """A wrong 用户号码 as a message may repeat it: mobile numbers masked, and any other run of
    seven or more digits (separators allowed between them) with all but its first three and last
    four digits starred, so that no (nearly) full number is ever repeated to anyone."""
    normal = _normalised(mask_text(unicodedata.normalize("NFKC", value or "")))[0]

    def star(match):
        digits = re.sub(r"[^0-9]", "", match[0])
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]

    return _DIGITS_SPREAD.sub(star, normal)


def mask_data(value):
    """A JSON-like value (dicts, lists, text) with every text in it masked."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {key: mask_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_data(item) for item in value]
    return value


def mask_for_message(value):
    """A value a message quotes, with its mobile numbers masked; non-text values as they are."""
    return mask_text(value) if isinstance(value, str) else value


# --- Model fields that are masked before every save --------------------------------------------

# Free text that operators or staff type, by model label: masked by ``mask_instance``. Named as
# strings so that core, at the bottom of the layers, imports no domain model.
MASKED_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "reporting.monthlysubmission": ("narrative", "return_comment"),
    "reporting.typicalcase": ("title", "what_happened", "handling"),
    "reporting.complaintrecord": ("summary", "resolution"),
    "reporting.incident": ("title", "description", "location", "measures", "cause", "recovery_measures"),
    "reporting.incidentupdate": ("text", "cause"),
    "reporting.periodreopening": ("reason",),
    "reporting.reportingdecision": ("comment",),
    "reporting.ledgercorrection": ("explanation",),
    "casework.inspectionfinding": ("site", "scenario", "description", "decision_note"),
    "casework.findingresponse": ("text",),
    "casework.rectificationorder": ("title", "requirements", "withdrawal_reason"),
    "casework.extensionrequest": ("reason", "decision_note"),
    "casework.rectificationreport": ("text", "comment"),
    "casework.interviewnotice": ("reason", "minutes", "confirmed_attendees", "withdrawal_reason"),
    "casework.commitment": ("text", "done_note", "return_comment"),
    "casework.noticerecord": ("title", "summary"),
    "casework.caseevent": ("text",),
    "meetings.meeting": ("minutes",),
    "meetings.invitation": ("note",),
    "meetings.agendaitem": ("title", "details"),
    "meetings.actionitem": ("details", "done_note"),
    "briefings.briefing": ("opening", "commentary", "requirements"),
}


def mask_instance(sender, instance, **kwargs) -> None:
    """``pre_save``: mask the listed text fields of ``instance``; tell the user when one changed."""
    fields = MASKED_TEXT_FIELDS.get(sender._meta.label_lower)
    if not fields:
        return
    numbers = []
    for name in fields:
        value = getattr(instance, name, None)
        if isinstance(value, str) and value:
            result = mask(value)
            if result.changed:
                setattr(instance, name, result.text)
                numbers += result.numbers
    if numbers:
        _notify(numbers)


def _notify(numbers: list[str]) -> None:
    # The request of the page that saved, as django-simple-history's middleware keeps it for its
    # history rows; saves outside a request (imports, commands) have nobody to tell.
    from django.contrib import messages
    from django.utils.translation import gettext as _
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    if request is None or not hasattr(request, "_messages"):
        return
    messages.info(
        request,
        _("A full mobile number in your text was masked to %(masked)s: the site never stores a full number.")
        % {"masked": ", ".join(dict.fromkeys(numbers))},
    )
