"""End to end, no full mobile number survives an upload (FORMATS.md §2, "Privacy"; "Files kept").

Hypothesis writes mobile numbers (1[3-9] and nine digits) in random spellings (``+86``, ``86``,
``0086``, full-width digits, dots, spaces, dashes, mixed) into the CMCC sample ledger: bare in
用户号码, inside random Chinese and ASCII text in 投诉内容 and 处理结果. The ledger goes through the
operators' portal as a user sends it: uploaded, checked, previewed, confirmed; a second ledger
changes the same complaints (their history), and a third one is refused for errors that quote
the numbers. Then the test looks everywhere a number could have stayed: every text column of the
reporting tables (complaints, their revisions, pending uploads' problems and preview, ...), every
file under MEDIA_ROOT (workbooks opened), the problem messages in both languages, the portal's
pages, and the control face's ledger list, its CSV and XLSX downloads and complaint pages.

The oracle (``leaks``) does not trust the masking code: it normalises the text itself (NFKC,
every Unicode digit as its ASCII digit, separators dropped) and looks for any 11-digit mobile
number, with or without a country prefix, and for each generated number's own digits with up to
three other characters between them.
"""

import csv
import html
import io
import itertools
import re
import string
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from supervision.reporting import uploads
from supervision.reporting.models import ComplaintRecord, PendingUpload, UploadState
from tests.core.test_privacy import mobile_numbers, spellings

# --- The oracle --------------------------------------------------------------------------------

# Characters a person may put between the digits of a number; dropped before looking for one.
_DROPPED = re.compile(r"[\s\-._/()·+\u2010-\u2015\u2212\u00a0\u3000\ufeff]")
_ANY_MOBILE = re.compile(r"(?<![0-9])(?:0086|86)?1[3-9][0-9]{9}(?![0-9])")


# A number masked as the site writes it: one opaque piece, so that its last four digits and the
# digits after it are never read as the start of another number.
_MASKED = re.compile(r"[0-9]{3}\*{4}[0-9]{4}")


def ascii_digits(text: str) -> str:
    """NFKC, every Unicode digit as its ASCII digit."""
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.decimal(c)) if unicodedata.decimal(c, None) is not None else c for c in text
    )


def normalised(text: str) -> str:
    """NFKC, every Unicode digit as its ASCII digit, masked numbers set apart, separators dropped."""
    return _DROPPED.sub("", _MASKED.sub("※", ascii_digits(text)))


def leaks(pieces, numbers=(), *, any_number: bool = True) -> list[str]:
    """The pieces of text (cells, fields, messages) that still hold a mobile number: any at all,
    or one of ``numbers`` with up to three other characters (not the mask's stars) between its
    digits (as ``tests.core.test_privacy.assert_no_number`` looks for it). ``any_number=False``
    for random text (digests, generated file names), where any 11 digits may stand by chance."""
    spread = re.compile("|".join("[^0-9*]{0,3}".join(n) for n in sorted(set(numbers)))) if numbers else None
    found = []
    for piece in pieces:
        if piece is None:
            continue
        text = str(piece)
        digits = ascii_digits(text)
        if sum(c in "0123456789" for c in digits) < 11:
            continue
        if (any_number and _ANY_MOBILE.search(normalised(text))) or (spread and spread.search(digits)):
            found.append(text)
    return found


def assert_clean(where: str, pieces, numbers) -> None:
    found = leaks(pieces, numbers)
    assert not found, f"full mobile number left in {where}: {found[:3]!r}"


def html_texts(content: bytes) -> tuple[list[str], list[str]]:
    """A page's text nodes (a tag separates two numbers), and its attribute values (links with
    random ids in them: looked at for the generated numbers only)."""
    page = content.decode("utf-8")
    texts = [html.unescape(t) for t in re.split(r"<[^>]*>", page)]
    attributes = [html.unescape(v) for v in re.findall(r'=\s*"([^"]*)"', page)]
    return texts, attributes


def assert_clean_page(where: str, response, numbers) -> None:
    assert response.status_code == 200, where
    texts, attributes = html_texts(response.content)
    assert_clean(where, texts, numbers)
    found = leaks(attributes, numbers, any_number=False)
    assert not found, f"full mobile number left in {where}: {found[:3]!r}"


def workbook_cells(data: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    ]


def file_texts(path: Path) -> list[str]:
    data = path.read_bytes()
    if zipfile.is_zipfile(io.BytesIO(data)):
        texts = workbook_cells(data) if path.suffix == ".xlsx" else []
        # And every part of the archive as it is stored (shared strings, comments, ...).
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            texts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
        return texts
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return [data.decode(encoding)]
        except UnicodeDecodeError:
            continue
    return [data.decode("latin-1")]


# Fields whose value is a digest or a secret made of random characters: the generic look-up
# would find numbers there by chance (one SHA-256 in about 320, written in hex, holds 11 digits that
# read as a mobile number); the generated numbers' own digits are still looked for.
_RANDOM_FIELDS = {"password", "session_key", "session_data", "key", "secret", "token"}
_RANDOM_SUFFIXES = ("sha256", "digest")


def is_random_field(field) -> bool:
    return (
        field.name in _RANDOM_FIELDS
        or field.name.endswith(_RANDOM_SUFFIXES)
        or isinstance(field, models.FileField)
    )


def database_texts() -> tuple[list[str], list[str]]:
    """(text written by people, random text) of every project table."""
    written, random = [], []
    for model in apps.get_models():
        if not model.__module__.startswith("supervision."):
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField | models.FileField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*(f.attname for f in fields)):
            for field, value in zip(fields, row, strict=True):
                if value in (None, ""):
                    continue
                text = value if isinstance(value, str) else repr(value)
                if is_random_field(field):
                    random.append(text)
                else:
                    written.append(text)
    return written, random


# --- What hypothesis writes ----------------------------------------------------------------------

CHINESE = "用户来电反映营业员称需先取消融合套餐携号转网投诉处理结果已回访满意号码电话联系本人机主"
# Digits beside a number never include a 1: no digit around can spell a mobile number with it.
OTHER_DIGITS = st.text(alphabet="023456789", min_size=1, max_size=8)
WORDS = st.text(alphabet=CHINESE + string.ascii_letters + "，。：；！？、【】ＡＢＣ", min_size=1, max_size=10)
# What stands between a number and the text around it: never a digit (a 12-digit run is a
# reference, not a mobile number, by design).
GLUE = st.sampled_from([" ", "，", "：", "号", "\n", "-", "（", "、", "/", "为", "是"])


@st.composite
def spelled(draw) -> tuple[str, str]:
    number = draw(mobile_numbers())
    return number, draw(spellings(number))


@st.composite
def in_text(draw, spelling: str) -> str:
    before = draw(st.lists(st.one_of(WORDS, OTHER_DIGITS), max_size=3))
    after = draw(st.lists(st.one_of(WORDS, OTHER_DIGITS), max_size=3))
    head = draw(GLUE).join(before)
    tail = draw(GLUE).join(after)
    return f"{head}{draw(GLUE) if head else ''}{spelling}{draw(GLUE) if tail else ''}{tail}"


@st.composite
def ledger_cases(draw) -> dict:
    """Numbers for the first ledger, the second (the same complaints changed) and a refused one."""
    rows = 6
    case = {"first": [], "second": [], "refused": []}
    for key in ("first", "second"):
        for _row in range(rows):
            (n1, msisdn), (n2, s2), (n3, s3) = draw(st.tuples(spelled(), spelled(), spelled()))
            case[key].append(
                {
                    "numbers": [n1, n2, n3],
                    "msisdn": msisdn,
                    "summary": draw(in_text(s2)),
                    "resolution": draw(in_text(s3)),
                }
            )
    for _row in range(3):
        numbers, texts = [], []
        for _cell in range(3):
            number, spelling = draw(spelled())
            numbers.append(number)
            texts.append(draw(in_text(spelling)))
        case["refused"].append({"numbers": numbers, "texts": texts})
    header_number, header_spelling = draw(spelled())
    case["header"] = {"number": header_number, "text": f"联系电话{header_spelling}"}
    return case


def all_numbers(case: dict) -> list[str]:
    return [n for key in ("first", "second", "refused") for row in case[key] for n in row["numbers"]] + [
        case["header"]["number"]
    ]


# --- Building the ledgers --------------------------------------------------------------------------

_examples = itertools.count(1)


def sample_rows(samples, count: int) -> tuple[list[str], list[list[str]]]:
    text = (samples / "complaints_CMCC_2026-10_utf8bom.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    resolved = [r for r in rows[1:] if r[7] == "已办结"][:count]
    return rows[0], resolved


def ledger_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    return out.getvalue().encode("utf-8-sig")


def ledgers(samples, case: dict) -> tuple[bytes, bytes, bytes]:
    """The first ledger, the second (same complaints, new texts), and a refused one."""
    example = next(_examples)
    header, base = sample_rows(samples, len(case["first"]))
    made = []
    for key in ("first", "second"):
        rows = []
        for i, (row, numbers) in enumerate(zip(base, case[key], strict=True), start=1):
            row = list(row)
            row[0] = f"CMCC-202610-E{example:03d}X{i:02d}"
            row[5], row[6], row[9] = numbers["msisdn"], numbers["summary"], numbers["resolution"]
            if key == "second":  # always a change, so that every complaint has a revision
                row[6] = f"（更新）{row[6]}"
            rows.append(row)
        made.append(ledger_bytes(header, rows))
    refused = []
    for i, (row, numbers) in enumerate(zip(base, case["refused"], strict=False), start=1):
        row = list(row) + ["备注"]
        row[0] = f"CMCC-202610-R{example:03d}X{i:02d}"
        # A number with words around it is no 用户号码; nor is one a city or a status.
        row[5], row[2], row[7] = numbers["texts"]
        refused.append(row)
    made.append(ledger_bytes([*header, case["header"]["text"]], refused))
    return tuple(made)


# --- The test ----------------------------------------------------------------------------------------


def upload_through_portal(client, data: bytes, name: str, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:ledger_upload"), {"ledger": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content[:2000]
    return PendingUpload.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


def check_upload_everywhere(client, upload, numbers, media_root: Path) -> None:
    """The checked upload: its row, its problems in both languages, its page, the files kept."""
    upload.refresh_from_db()
    assert_clean("the pending upload's problems", [repr(upload.problems)], numbers)
    assert_clean("the pending upload's preview", [repr(upload.preview)], numbers)
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for row in uploads.problem_rows(upload):
                assert_clean(
                    f"a problem message ({language})", [row["message"], row["value"], row["column"]], numbers
                )
    assert_clean_page("the upload's page", client.get(reverse("portal:upload", args=[upload.pk])), numbers)
    for path in (p for p in media_root.rglob("*") if p.is_file()):
        assert_clean(f"the kept file {path.name}", file_texts(path), numbers)


def confirm_through_portal(client, upload, django_capture_on_commit_callbacks):
    explanations = {f"explain-{i}": "已核实" for i, _p in uploads.warnings_of(upload)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:upload", args=[upload.pk]), explanations)
    assert response.status_code == 302, response.content[:3000]
    upload.refresh_from_db()
    assert upload.state == UploadState.CONFIRMED


@settings(
    max_examples=15,
    deadline=None,
    # Each example uploads three ledgers (a few seconds): shrinking would take minutes; the
    # failure message quotes the text that kept a number, which is what one needs to see.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=ledger_cases())
def test_no_full_mobile_number_survives_an_upload_anywhere(
    case, clock, media_root, samples, operator_a, regulator, django_capture_on_commit_callbacks
):
    numbers = all_numbers(case)
    first, second, refused = ledgers(samples, case)
    portal, control = Client(), Client()
    portal.force_login(operator_a)
    control.force_login(regulator)

    # The first ledger adds the complaints, the second changes them: both checked and confirmed.
    for data, name in ((first, "台账.csv"), (second, f"台账{case['second'][0]['numbers'][0]}.csv")):
        upload = upload_through_portal(portal, data, name, django_capture_on_commit_callbacks)
        assert not uploads.has_errors(upload), upload.problems
        check_upload_everywhere(portal, upload, numbers, media_root)
        confirm_through_portal(portal, upload, django_capture_on_commit_callbacks)

    # What was stored is there, masked: the test did not pass because nothing was stored.
    stored = ComplaintRecord.objects.filter(complaint_no__contains="-E").order_by("-pk")[
        : len(case["second"])
    ]
    expected = {f"{r['numbers'][0][:3]}****{r['numbers'][0][-4:]}" for r in case["second"]}
    assert {c.msisdn_masked for c in stored} == expected
    assert all(c.revisions.exists() for c in stored)

    # The refused ledger: every error quotes what the user wrote, masked; nothing of it is kept.
    upload = upload_through_portal(portal, refused, "13912345678.csv", django_capture_on_commit_callbacks)
    assert uploads.has_errors(upload)
    assert not upload.ledger_file
    check_upload_everywhere(portal, upload, numbers, media_root)

    # Every table, every file left on disk.
    written, random = database_texts()
    assert_clean("the database", written, numbers)
    assert not leaks(random, numbers, any_number=False)
    for path in (p for p in media_root.rglob("*") if p.is_file()):
        assert_clean(f"the file {path.name}", file_texts(path), numbers)

    # The control face: the ledger list, its downloads, and each complaint's page.
    url = reverse("control:complaints")
    assert_clean_page("the ledger list", control.get(url), numbers)
    for export in ("csv", "xlsx"):
        response = control.get(url, {"export": export})
        assert response.status_code == 200
        data = b"".join(response.streaming_content)
        if export == "csv":
            cells = [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]
        else:
            cells = workbook_cells(data)
        assert_clean(f"the ledger's {export} download", cells, numbers)
    for complaint in stored:
        assert_clean_page(
            "a complaint's page", control.get(reverse("control:complaint", args=[complaint.pk])), numbers
        )


def test_the_oracle_finds_numbers_in_any_spelling():
    # The oracle is what the test trusts: it must see a number however it is written.
    for text in [
        "+86 139-1234-5678",
        "用户１３９．１２３４．５６７８来电",
        "0086 139 1234 5678",
        "(+86) 13912345678",
    ]:
        assert leaks([text]), text
    assert not leaks(["139****5678", "2026-10-17 办结", "CMCC-202610-00001", "170****1536\n74/63478"])


# --- The leaks this test found, pinned ---------------------------------------------------------


def test_a_file_name_is_shown_and_stored_with_its_number_masked():
    from supervision.core.files import display_name, stored_name

    assert display_name("C:\\报送\\用户13912345678投诉.xlsx") == "用户139****5678投诉.xlsx"
    assert display_name("+86 139-1234-5678.csv") == "139****5678.csv"
    # A short plain name is kept on disk after the random part: never with the number.
    assert "13912345678" not in stored_name("casework", "13912345678.pdf")


def test_a_problem_quotes_the_column_header_masked():
    from supervision.reporting.ingest import checks

    problem = checks.LEDGER.header_unknown.at(row=1, column="联系电话１３９ １２３４ ５６７８")
    assert problem.column == "联系电话139****5678"
    assert not leaks([problem.column, repr(problem.to_dict())])
