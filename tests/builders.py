"""Builders the tests of several parts share: the fixed users, reports, complaints, document readers.

A builder here makes rows as a test speaks of them (``report("CMCC", "2026-10", {...})``) and is
imported where it is needed; the fixtures that use them are in tests/conftest.py.
"""

import datetime as dt
import functools
import hashlib
import io
import os
import shutil
from pathlib import Path

from supervision.core.models import SHANGHAI, City, Operator, Period, Role, User, ViolationCategory
from supervision.reporting import submissions
from supervision.reporting.ingest.monthly import DECIMAL_FIELDS
from supervision.reporting.models import CityFigures, ComplaintRecord

PASSWORD = "Correct-Horse-42"


# --- Users --------------------------------------------------------------------------------------


def make_user(username, role, operator_code=None, **extra):
    operator = Operator.objects.get(code=operator_code) if operator_code else None
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.cn",
        role=role,
        operator=operator,
        **extra,
    )


# The fixed users per role (the fixtures of tests/conftest.py by these names): username, role,
# operator, full name.
FIXED_USERS = {
    "regulator": (Role.REGULATOR_STAFF, None, "王科长"),
    "leader": (Role.REGULATOR_LEADER, None, "李局长"),
    "operator_a": (Role.OPERATOR_STAFF, "CMCC", "张专员"),  # reporting staff of China Mobile
    "manager_a": (Role.OPERATOR_MANAGER, "CMCC", "赵经理"),  # manager of China Mobile
    "operator_b": (Role.OPERATOR_STAFF, "CUCC", "刘专员"),  # reporting staff of China Unicom
}

# The roles of the transition tables, and the fixed user each stands for.
TABLE_ROLES = {
    "staff": "regulator",
    "leader": "leader",
    "operator_a": "operator_a",
    "manager_a": "manager_a",
    "operator_b": "operator_b",
}


def fixed_user(username):
    """One of FIXED_USERS, made."""
    role, operator_code, full_name = FIXED_USERS[username]
    return make_user(username, role, operator_code, full_name=full_name)


def make_role_users():
    """The users the transition tables are tried with, by the names the tests give the roles."""
    return {role: fixed_user(username) for role, username in TABLE_ROLES.items()}


def fresh(users):
    """The same users read again from the database (for tests sharing rows made once)."""
    by_pk = User.objects.in_bulk([user.pk for user in users.values()])
    return {role: by_pk[user.pk] for role, user in users.items()}


# --- Monthly reports and the complaint ledger ---------------------------------------------------

# The counted figures of a city's row in a monthly report: CityFigures' figures but the two
# decimals (average resolution hours, subscribers).
FIGURE_FIELDS = [f for f in CityFigures.FIGURES if f not in DECIMAL_FIELDS]


def report(code, label, rows, *, at=None, state=None):
    """A certified report of ``rows``: {city code: {field: value}}; other figures are 0.

    Certified ``at`` (by default 31 October 2026, 12:00 in Shandong); ``state`` sets the version's
    state afterwards (returned, superseded, ...) without going through the services.
    """
    operator = Operator.objects.get(code=code)
    submission = submissions.create_version(operator, Period.objects.from_label(label))
    cities = {c.code: c for c in City.objects.all()}
    CityFigures.objects.bulk_create(
        CityFigures(
            submission=submission,
            city=cities[city],
            subscribers_10k=values.get("subscribers_10k"),
            **{f: values.get(f, 0) for f in FIGURE_FIELDS},
        )
        for city, values in rows.items()
    )
    submitted = submissions.submit(submission, at=at or dt.datetime(2026, 10, 31, 12, tzinfo=SHANGHAI))
    if state:
        submitted.state = state
        submitted.save()
    return submitted


@functools.cache
def reference_id(model, code):
    """The primary key of a reference row (an operator, a city, a category) by its code.

    The reference rows are the data migration's and are never added to or removed by the tests, so
    a builder making thousands of rows looks each up once per process, not once per row. The one
    exception, the browser tests' flush, makes them again and empties this cache
    (tests/e2e/conftest.py, ``create_reference_data``).
    """
    return model.objects.values_list("pk", flat=True).get(code=code)


# --- The migrated test database, kept between runs ------------------------------------------------
#
# Migrating an empty database takes about 20 s of CPU, nearly all of it Django rendering the
# migration states. The migrated SQLite database is therefore kept in var/test-cache/db/, named
# by a digest of everything that decides its content: every installed app's migration files, the
# project apps' apps.py and schedule.py (the post_migrate handlers), Django's version. pytest's
# test database starts from it (tests/conftest.py), and so do the scratch databases of the tests
# that run the site's own processes (worker, scheduler, backup and restore).


def test_cache() -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "test-cache"


def migrated_template() -> Path:
    """Where the migrated database of this code's migrations is kept (it may not be there yet)."""
    import django
    from django.apps import apps

    digest = hashlib.sha256(django.get_version().encode())
    for app in sorted(apps.get_app_configs(), key=lambda a: a.label):
        root = Path(app.path)
        files = sorted((root / "migrations").glob("*.py"))
        if app.name.startswith("supervision."):
            files += [f for f in (root / "apps.py", root / "schedule.py") if f.exists()]
        for file in files:
            digest.update(f"{app.label}/{file.name}".encode())
            digest.update(file.read_bytes())
    return test_cache() / "db" / f"{digest.hexdigest()[:16]}.sqlite3"


def copy_migrated_database(target: Path) -> bool:
    """A scratch SQLite database at ``target`` from the kept migrated one, when there is one.

    False when there is none (not made yet in this run, or TEST_CACHE=0): migrate then. Either
    way the caller may run ``migrate`` (on a copy it finds nothing to do: 2–3 s, not 20–35).
    """
    template = migrated_template()
    if os.environ.get("TEST_CACHE", "1") == "0" or not template.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    return True


def complaint(code, no, received, city="370100", category="BL1", resolved=None, summary="…"):
    """A complaint of the ledger (not saved: for ``bulk_create``), resolved on ``resolved`` or open."""
    return ComplaintRecord(
        operator_id=reference_id(Operator, code),
        complaint_no=no,
        received_on=received,
        city_id=reference_id(City, city),
        channel="HOTLINE",
        category_id=reference_id(ViolationCategory, category),
        summary=summary,
        status="RESOLVED" if resolved else "OPEN",
        resolved_on=resolved,
    )


def indicator_label(code: str) -> str:
    """An indicator's one Chinese name (``indicators.INDICATORS``, the catalogue)."""
    from django.utils import translation

    from supervision.analytics import indicators

    with translation.override("zh-hans"):
        return str(indicators.INDICATORS_BY_CODE[code].label)


# --- Reading what the site writes ---------------------------------------------------------------


def problem_messages(result):
    """The problems of a file's check (reporting or casework ingest), as text."""
    return [str(p) for p in result.problems]


def docx_text(data: bytes, *, cells: bool = False) -> str:
    """A .docx's paragraphs, one a line; with ``cells``, its tables' cells after them."""
    from docx import Document

    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    if cells:
        lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def docx_tables(data: bytes) -> dict[str, list[list[str]]]:
    """The .docx's tables by their caption (the paragraph before each), as rows of cell texts."""
    from docx import Document

    document = Document(io.BytesIO(data))
    body = document.element.body
    tables, caption = {}, None
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            text = "".join(node.text or "" for node in child.iter() if node.tag.endswith("}t"))
            if text.strip():
                caption = text.strip()
        elif child.tag.endswith("}tbl"):
            table = next(t for t in document.tables if t._tbl is child)
            tables[caption] = [[cell.text for cell in row.cells] for row in table.rows]
    return tables


def pdf_text(data: bytes) -> tuple[int, str]:
    """A PDF's number of pages and its text without whitespace.

    pypdf puts spaces between CJK glyphs of embedded CID fonts: compare without whitespace.
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "".join("".join(page.extract_text().split()) for page in reader.pages)
