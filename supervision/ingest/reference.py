"""The reference data the validators look values up in: cities, operators, categories.

The validators are pure functions: they get a ``Reference`` as an argument. ``Reference.load()``
reads one from the database (one query per table); tests build one from plain tuples.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cached_property


def normalise(text: str) -> str:
    """The form in which headers and coded values are compared.

    NFKC turns full-width letters, digits and brackets into their ASCII forms; case folding
    makes English aliases and codes case-insensitive; spaces, underscores, hyphens and the
    asterisk that marks a required column are ignored.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if not (ch.isspace() or ch in "_-*"))


class Lookup:
    """Accepted spellings of a coded value → the code.

    The exact spelling is tried first (the common case, one dict look-up per cell), then the
    normalised one.
    """

    def __init__(self, spellings: dict[str, str], allowed: str, offered: list[str] | None = None):
        self.exact: dict[str, str] = {}
        self.normalised: dict[str, str] = {}
        for spelling, code in spellings.items():
            self.exact[spelling] = code
            self.normalised[normalise(spelling)] = code
        # How the accepted values are listed in a message, e.g. "营业厅 (STORE), 短信 (SMS)".
        self.allowed = allowed
        # What a template's drop-down list offers: one spelling per code.
        self.offered = list(offered or [])

    def get(self, raw: str) -> str | None:
        code = self.exact.get(raw)
        if code is None:
            code = self.normalised.get(normalise(raw))
        return code


def choices(pairs: list[tuple[str, list[str]]]) -> Lookup:
    """A lookup for a fixed vocabulary: ``[(code, [Chinese label, other labels…]), …]``.

    Each value may be written as its code, any of its labels, or "code label".
    """
    spellings: dict[str, str] = {}
    shown = []
    offered = []
    for code, labels in pairs:
        spellings[code] = code
        for label in labels:
            spellings[label] = code
            spellings[f"{code} {label}"] = code
        shown.append(f"{'/'.join(labels)} ({code})" if labels else code)
        offered.append(labels[0] if labels else code)
    return Lookup(spellings, ", ".join(shown), offered)


@dataclass(frozen=True)
class Reference:
    # (code, Chinese name, English name)
    cities: tuple[tuple[str, str, str], ...]
    # (code, Chinese short name, Chinese name, English short name, English name)
    operators: tuple[tuple[str, str, str, str, str], ...]
    # (code, Chinese name, English name, is a bottom line)
    categories: tuple[tuple[str, str, str, bool], ...]

    @classmethod
    def load(cls) -> Reference:
        """The reference rows as they are in the database now (three small queries)."""
        from supervision.core.models import City, Operator, ViolationCategory

        return cls(
            cities=tuple(City.objects.order_by("sort_order").values_list("code", "name_zh", "name_en")),
            operators=tuple(
                Operator.objects.order_by("sort_order").values_list(
                    "code", "short_zh", "name_zh", "short_en", "name_en"
                )
            ),
            categories=tuple(
                ViolationCategory.objects.order_by("sort_order").values_list(
                    "code", "name_zh", "name_en", "is_bottom_line"
                )
            ),
        )

    @cached_property
    def city_names(self) -> dict[str, str]:
        return {code: name_zh for code, name_zh, _en in self.cities}

    @cached_property
    def city_lookup(self) -> Lookup:
        spellings = {}
        for code, name_zh, name_en in self.cities:
            spellings[code] = code
            spellings[name_zh] = code
            spellings[name_zh.removesuffix("市")] = code
            spellings[name_en] = code
        return Lookup(spellings, "济南市, 济南, 370100", [name_zh for _code, name_zh, _en in self.cities])

    @cached_property
    def operator_lookup(self) -> Lookup:
        spellings = {}
        for code, short_zh, name_zh, short_en, name_en in self.operators:
            for spelling in (code, short_zh, name_zh, short_en, name_en):
                spellings[spelling] = code
        allowed = ", ".join(f"{short_zh} ({code})" for code, short_zh, *_rest in self.operators)
        return Lookup(spellings, allowed, [short_zh for _code, short_zh, *_rest in self.operators])

    @cached_property
    def category_lookup(self) -> Lookup:
        lookup = choices([(code, [name_zh]) for code, name_zh, _en, _bl in self.categories])
        lookup.offered = [f"{code} {name_zh}" for code, name_zh, _en, _bl in self.categories]
        return lookup

    @cached_property
    def clause_lookup(self) -> Lookup:
        """Only the six bottom lines: a finding is a breach of one of them."""
        bottom_lines = [(code, name_zh) for code, name_zh, _en, bottom_line in self.categories if bottom_line]
        lookup = choices([(code, [name_zh]) for code, name_zh in bottom_lines])
        lookup.offered = [f"{code} {name_zh}" for code, name_zh in bottom_lines]
        return lookup
