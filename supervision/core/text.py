"""Text that an official document can carry (FORMATS.md, "Hostile files").

A .docx is XML, and XML 1.0 cannot hold most control characters at all: python-docx refuses a
run holding ``\\x0b`` (a vertical tab, which Excel writes for Alt+Enter in some versions) and the
whole document fails. Such characters are removed from text on import and where operators
type it, and every document writer passes what it writes through ``printable`` once more, so
that text stored before (or by any other path) can never break a document.

Tab, line feed and carriage return are kept: they are text, and the writers lay them out.
"""

from __future__ import annotations

import dataclasses
import re

# C0 controls but tab, LF and CR; DEL and the C1 controls (never meant in Chinese or English
# text); lone surrogates and U+FFFE/U+FFFF, which no XML can carry either.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def has_unprintable(text: str) -> bool:
    return _UNPRINTABLE.search(text) is not None


def printable(text):
    """``text`` without the characters a document cannot carry; ``None`` and ``""`` as they are."""
    if not text or not isinstance(text, str):
        return text
    return _UNPRINTABLE.sub("", text)


def printable_copy(value):
    """A copy of ``value`` with every string in it made ``printable``: strings, lists, tuples,
    dicts and dataclass instances (such as a briefing's composition), nested as they come."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [printable_copy(item) for item in value]
    if isinstance(value, tuple):
        return tuple(printable_copy(item) for item in value)
    if isinstance(value, dict):
        return {key: printable_copy(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: printable_copy(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init
        }
        return dataclasses.replace(value, **changes)
    return value


class PrintableForm:
    """A form mixin: its text values lose what a document cannot carry, before anyone uses them.

    For the forms whose text is kept outside a model save (the monthly upload keeps the
    narrative and typical cases in the pending upload's JSON, then bulk-creates them).
    """

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                cleaned[name] = printable(value)
        return cleaned


def printable_instance(sender, instance, **kwargs) -> None:
    """``pre_save``: remove what a document cannot carry from every text field of a model of the
    site, whoever saves it (a form, the admin, a service). Connected before the masking of
    mobile numbers, so that ``139\\x0b1234\\x0b5678`` is masked as the number it is."""
    if not sender.__module__.startswith("supervision."):
        return
    for field in sender._meta.concrete_fields:
        if field.get_internal_type() in ("CharField", "TextField"):
            value = getattr(instance, field.attname, None)
            if isinstance(value, str) and has_unprintable(value):
                setattr(instance, field.attname, printable(value))
