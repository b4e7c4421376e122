"""Fixtures for the ingest tests: the sample files, reference data without a database, file
builders, and the Chinese catalogue compiled from locale/zh_Hans/LC_MESSAGES/ingest_strings.tsv."""

import datetime as dt
import importlib
import struct
from array import array
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from supervision.core.models import SHANGHAI
from supervision.ingest import Reference

SAMPLES = Path(__file__).parents[2].parent / "shared" / "samples"
TSV = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "ingest_strings.tsv"

_reference_data = importlib.import_module("supervision.core.migrations.0002_reference_data")


@pytest.fixture
def samples() -> Path:
    """The sample uploads in ../shared/samples, beside the repository."""
    assert SAMPLES.is_dir(), f"sample files not found in {SAMPLES}"
    return SAMPLES


@pytest.fixture
def sample(samples):
    """``sample(name)`` → (bytes, name)."""

    def read(name):
        return (samples / name).read_bytes(), name

    return read


@pytest.fixture
def reference() -> Reference:
    """The reference rows of the data migration, without a database."""
    return Reference(
        cities=tuple(_reference_data.CITIES),
        operators=tuple(
            (code, short_zh, name_zh, short_en, name_en)
            for code, name_zh, name_en, short_zh, short_en, _colour in _reference_data.OPERATORS
        ),
        categories=tuple(
            (code, name_zh, name_en, bottom_line)
            for code, name_zh, name_en, bottom_line, *_descriptions in _reference_data.CATEGORIES
        ),
    )


# The instant every test here runs at, whatever today's date: the samples' month (2026-10) is
# complete and its filing window open; November's window (from the 25th) is not open yet.
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture(autouse=True)
def english():
    """Messages in English unless a test asks for another language."""
    with translation.override("en"):
        yield


def read_tsv() -> dict[str, str]:
    pairs = {}
    for line in TSV.read_text(encoding="utf-8").splitlines():
        if line.strip():
            english, chinese = line.split("\t")
            pairs[english] = chinese
    return pairs


def write_mo(pairs: dict[str, str], path: Path) -> None:
    """A GNU .mo catalogue, as msgfmt writes it (the gettext tools need not be installed)."""
    pairs = {"": "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=1; plural=0;\n", **pairs}
    keys = sorted(pairs, key=lambda k: k.encode())
    ids = strs = b""
    offsets = []
    for key in keys:
        k, v = key.encode(), pairs[key].encode()
        offsets.append((len(ids), len(k), len(strs), len(v)))
        ids += k + b"\0"
        strs += v + b"\0"
    count = len(keys)
    key_start = 7 * 4 + 16 * count
    value_start = key_start + len(ids)
    key_offsets, value_offsets = [], []
    for o1, l1, o2, l2 in offsets:
        key_offsets += [l1, o1 + key_start]
        value_offsets += [l2, o2 + value_start]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, count, 7 * 4, 7 * 4 + count * 8, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        header + array("i", key_offsets).tobytes() + array("i", value_offsets).tobytes() + ids + strs
    )


@pytest.fixture
def chinese(tmp_path):
    """Activate zh-hans with the ingest strings' Chinese catalogue (until it is merged into django.po)."""
    write_mo(read_tsv(), tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo")
    with (
        override_settings(LOCALE_PATHS=[tmp_path / "locale", *settings.LOCALE_PATHS]),
        translation.override("zh-hans"),
    ):
        yield
