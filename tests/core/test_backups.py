"""Backups that restore (``manage.py backup`` / ``restore``, supervision/core/backups.py).

The round trip runs the commands as an administrator would, each in its own process on the
database its environment names: the demo seeded into a scratch database, backed up, restored into
another, empty one (and an empty folder of uploads), then both read: every table's row count, the
manifest, the uploaded files and the dashboard's indicators must be the same. It runs on SQLite in
every suite, and on PostgreSQL when the suite runs on PostgreSQL (DATABASE_URL, as CI's second
``make test``): scratch databases ``restore_<random>`` beside the test database, dropped afterwards.

The refusals (a damaged file, a damaged or missing manifest, a database or folder that is not
empty) are checked in this process, against a small backup of the test database: they happen
before anything is touched.

Every test here is marked ``django_db``, so that the test database is set up whichever of them
run: the backups read the test database (committed rows only, from a connection of their own).
"""

import contextlib
import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from supervision.core import backups

ROOT = Path(__file__).resolve().parents[2]
CONFIGURED = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]  # "sqlite3" or "postgresql"
COMPLAINTS = "1500"

pytestmark = pytest.mark.django_db


# --- Scratch databases, and the commands run on them ----------------------------------------------


class Scratch:
    """A database (and a folder of uploads) of the vendor ``vendor`` that the commands run on."""

    def __init__(self, vendor: str, name: str, folder: Path):
        self.vendor, self.name, self.folder = vendor, name, folder
        self.media = folder / f"{name}-media"
        self.path = folder / f"{name}.sqlite3"

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
        env.update(VAR_DIR=str(self.folder / "var"), MEDIA_ROOT=str(self.media), LOG_LEVEL="WARNING")
        if self.vendor == "postgresql":
            env["DATABASE_URL"] = postgres_url(self.name)
        else:
            env["SQLITE_PATH"] = str(self.path)
        return env

    def run(self, *args, check=True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=self.env(), capture_output=True, text=True, timeout=900
        )  # fmt: skip
        if check:
            assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
        return done

    def manage(self, *args, check=True) -> subprocess.CompletedProcess:
        return self.run("manage.py", *args, check=check)

    def figures(self) -> dict:
        return json.loads(self.run("-m", "tests.core.backup_figures").stdout)


def postgres_url(name: str) -> str:
    database = settings.DATABASES["default"]
    user = database.get("USER") or "root"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host, port = database.get("HOST") or "127.0.0.1", database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def postgres(*statements: str) -> None:
    import psycopg

    with psycopg.connect(postgres_url("postgres"), autocommit=True) as admin:
        for statement in statements:
            admin.execute(statement)


@contextlib.contextmanager
def scratch_databases(vendor: str, folder: Path, *names: str):
    databases = [Scratch(vendor, name, folder) for name in names]
    if vendor == "postgresql":
        postgres(*(f'CREATE DATABASE "{d.name}"' for d in databases))
    try:
        yield databases
    finally:
        if vendor == "postgresql":
            postgres(*(f'DROP DATABASE IF EXISTS "{d.name}" WITH (FORCE)' for d in databases))


def migrated(source: Scratch) -> None:
    """The source migrated: a copy of the committed test database when it is of the same vendor
    (the migrations' own result, reference data included: saves half a minute or more; each test's
    rows are rolled back, never committed), else ``migrate`` on the empty database."""
    test_db = connection.settings_dict["NAME"]
    if source.vendor == "sqlite" and connection.vendor == "sqlite":
        with (
            contextlib.closing(sqlite3.connect(test_db)) as original,
            contextlib.closing(sqlite3.connect(source.path)) as copy,
        ):
            original.backup(copy)
    elif source.vendor == "postgresql":
        env = dict(os.environ, PGHOST=str(connection.settings_dict.get("HOST") or "127.0.0.1"))
        env.update(PGPORT=str(connection.settings_dict.get("PORT") or 5432))
        env.update(PGUSER=connection.settings_dict.get("USER") or "root")
        if connection.settings_dict.get("PASSWORD"):
            env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
        dump = source.folder / "test-db.dump"
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", test_db], env=env, check=True)
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={source.name}", str(dump)], env=env, check=True
        )  # fmt: skip
    source.manage("migrate", "--noinput", "-v0")


def files_under(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


VENDORS = [
    pytest.param(
        "sqlite",
        id="sqlite",
        marks=pytest.mark.skipif(
            CONFIGURED != "sqlite3", reason="runs when the suite runs on SQLite (make test's first run)"
        ),
    ),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=pytest.mark.skipif(
            CONFIGURED != "postgresql",
            reason="runs when the suite runs on PostgreSQL (DATABASE_URL=postgres://…, as CI's second make test)",
        ),
    ),
]


# --- The round trip -----------------------------------------------------------------------------------


# Seeds the demo in its own process (half a minute of CPU): make test-fast leaves it to make test.
@pytest.mark.integration
@pytest.mark.parametrize("vendor", VENDORS)
def test_the_demo_backed_up_and_restored_elsewhere_reads_the_same(vendor, tmp_path):
    key = secrets.token_hex(4)
    with scratch_databases(vendor, tmp_path, f"restore_{key}_source", f"restore_{key}") as (source, target):
        migrated(source)
        source.manage("seed_demo", "--complaints", COMPLAINTS, "-v0")
        # Beside the demo's case files: a nested folder, a Chinese name, bytes that are not text.
        (source.media / "reports" / "2026").mkdir(parents=True, exist_ok=True)
        (source.media / "reports" / "2026" / "月报-移动.xlsx").write_bytes(bytes(range(256)) * 40)
        (source.media / "empty.txt").write_bytes(b"")
        backup = tmp_path / "backup"
        done = source.manage("backup", str(backup), "--language", "en")
        assert "Backup written to" in done.stdout

        done = target.manage("restore", str(backup), "--language", "en")
        assert "Restored the backup of" in done.stdout, done.stdout

        manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
        before, after = source.figures(), target.figures()
        # Every table, every row count: the source's, the manifest's and the restored database's.
        assert before["tables"] == manifest["tables"] == after["tables"]
        assert before["tables"]["reporting_complaintrecord"] >= 1000
        assert before["tables"]["casework_rectificationorder"] > 0
        # The dashboard's figures, every indicator for every operator and month.
        assert before["indicators"]["complaint_rate"] and before["indicators"]["timely_resolution"]
        assert before["indicators"] == after["indicators"]
        # The manifest: what it says of the backup.
        assert manifest["database"]["vendor"] == vendor
        assert manifest["migrations"]["reporting"] and "0001_initial" in manifest["migrations"]["core"]
        assert manifest["created"].endswith("+08:00")  # Beijing time
        # The uploaded files, byte for byte, at the same paths.
        originals = files_under(source.media)
        assert "reports/2026/月报-移动.xlsx" in originals and len(originals) > 2
        assert files_under(target.media) == originals
        assert {n.removeprefix("media/"): f["sha256"] for n, f in manifest["files"].items() if n.startswith("media/")} == originals  # fmt: skip

        # The same backup again into the now restored database: refused, nothing changed.
        again = target.manage("restore", str(backup), "--language", "en", check=False)
        assert again.returncode != 0
        assert "is not empty" in again.stderr and "Nothing was restored" in again.stderr
        assert target.figures()["tables"] == manifest["tables"]


# --- Refusals, before anything is touched --------------------------------------------------------------


@pytest.fixture(scope="module")
def small_backup(django_db_setup, django_db_blocker, tmp_path_factory):
    """A backup of the (migrated, committed) test database and three uploaded files."""
    folder = tmp_path_factory.mktemp("small-backup")
    media = folder / "media"
    (media / "casework" / "2026").mkdir(parents=True)
    (media / "casework" / "2026" / "照片.jpg").write_bytes(b"\xff\xd8\xff" + bytes(1000))
    (media / "a.txt").write_text("one", encoding="utf-8")
    (media / "b.txt").write_text("two", encoding="utf-8")
    with django_db_blocker.unblock():
        backups.backup(folder / "backup", storage=FileSystemStorage(media), progress=lambda message: None)
    return folder / "backup"


@pytest.fixture
def damaged(small_backup, tmp_path):
    """A copy of the small backup, to damage."""
    copy = tmp_path / "backup"
    shutil.copytree(small_backup, copy)
    return copy


def restore(directory, **options) -> str:
    """``manage.py restore`` in English; its error message (the command must refuse)."""
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(directory), "--language", "en", stdout=io.StringIO(), **options)
    return str(refused.value)


def test_a_whole_backup_checks_out_without_being_restored(small_backup):
    out = io.StringIO()
    call_command("restore", str(small_backup), "--check-only", "--language", "en", stdout=out)
    assert "every checksum matches" in out.getvalue()
    assert "3 uploaded files" in out.getvalue()


def test_a_changed_byte_in_an_uploaded_file_refuses_the_restore(damaged, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "restored-media")
    photo = damaged / "media" / "casework" / "2026" / "照片.jpg"
    data = bytearray(photo.read_bytes())
    data[500] ^= 0x01
    photo.write_bytes(bytes(data))
    message = restore(damaged)
    assert "media/casework/2026/照片.jpg does not match its checksum" in message
    assert "Nothing was restored" in message
    assert not (tmp_path / "restored-media").exists()


def test_a_damaged_or_missing_database_dump_refuses_the_restore(damaged):
    dump = next(damaged.glob("database.*"))
    with open(dump, "r+b") as file:
        file.seek(100)
        file.write(b"\x00\x01\x02")
    assert f"{dump.name} does not match its checksum" in restore(damaged)
    dump.unlink()
    assert f"{dump.name} is missing" in restore(damaged)


def test_a_damaged_manifest_refuses_the_restore(damaged):
    manifest_path = damaged / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    # A row count changed by hand (its checksum no longer matches the manifest's content).
    table = next(iter(manifest["tables"]))
    manifest["tables"][table] += 1
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert "The manifest is damaged: its checksum does not match its content" in restore(damaged)
    # Cut short.
    manifest_path.write_text(json.dumps(manifest)[:200], encoding="utf-8")
    assert "The manifest is damaged" in restore(damaged)


def test_a_manifest_naming_files_outside_the_backup_is_refused(damaged):
    manifest_path = damaged / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"]["media/../../etc/passwd"] = {"sha256": "0" * 64, "bytes": 1}
    manifest["manifest_sha256"] = backups._manifest_digest(manifest)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert "outside the backup" in restore(damaged)


def test_an_interrupted_backup_has_no_manifest_and_is_refused(tmp_path, monkeypatch):
    media = tmp_path / "media"
    media.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (media / name).write_text(name, encoding="utf-8")
    copied = []
    copy = backups._copy_out

    def copy_then_fail(storage, name, target):
        if copied:
            raise OSError("disk full")
        copied.append(name)
        return copy(storage, name, target)

    monkeypatch.setattr(backups, "_copy_out", copy_then_fail)
    with pytest.raises(OSError, match="disk full"):
        backups.backup(tmp_path / "backup", storage=FileSystemStorage(media), progress=lambda message: None)
    assert (tmp_path / "backup" / "media" / "a.txt").exists()
    assert not (tmp_path / "backup" / "manifest.json").exists()
    assert "the backup was interrupted before it finished" in restore(tmp_path / "backup")


def test_a_backup_goes_into_a_new_or_empty_directory_only(small_backup):
    with pytest.raises(CommandError, match="is not empty: write each backup into a new or empty directory"):
        call_command("backup", str(small_backup), "--language", "en", stdout=io.StringIO())


def test_a_database_or_folder_that_is_not_empty_is_refused(small_backup, settings, tmp_path):
    # The test database has its tables; the folder of uploads holds a file.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "kept.txt").write_text("mine", encoding="utf-8")
    message = restore(small_backup)
    assert "is not empty" in message and "restore only into a new, empty database" in message
    assert f"the folder of uploaded files {tmp_path / 'media'} is not empty" in message
    assert (tmp_path / "media" / "kept.txt").read_text(encoding="utf-8") == "mine"


def test_the_commands_speak_chinese_by_default(damaged):
    (damaged / "manifest.json").unlink()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(damaged), stdout=io.StringIO())
    assert "manifest.json" in str(refused.value) and "未恢复任何内容" in str(refused.value)
