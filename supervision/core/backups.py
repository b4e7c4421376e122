"""Backups that restore: the database and the uploaded files, with a manifest of checksums.

``python manage.py backup DIR`` and ``python manage.py restore DIR`` (docs/backups.md). A backup
directory holds:

- ``database.dump`` (PostgreSQL: ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite: a
  copy made with SQLite's backup API), one consistent snapshot of the whole database;
- ``media/``: a copy of every uploaded file (the default storage: ``MEDIA_ROOT``, or the S3 bucket
  when ``MEDIA_STORAGE=s3``), at the same relative paths;
- ``manifest.json``, written last (to a temporary name, then renamed): the SHA-256 and size of
  every file above, the number of rows of every table and the applied migrations, both read in the
  dump's own snapshot, the moment (Asia/Shanghai), the database vendor and server version, and a
  SHA-256 of the manifest itself. A directory without it is an interrupted backup.

A restore reads the manifest, checks its own checksum, every file's size and checksum, that the
vendor matches, that the database has no table and that the storage of uploaded files holds none — all
before it touches anything — then loads the dump (``pg_restore`` in one transaction; SQLite's
backup API), compares every table's row count and the migrations with the manifest, and stores the
files, checking each stored file's checksum as read back from the storage.

The database is reached through its own connection (a new one, not the Django connection the
caller may hold in a transaction): on PostgreSQL a ``REPEATABLE READ`` transaction exports its
snapshot to ``pg_dump --snapshot``, so the row counts and the dump see the same data; on SQLite
the backup API copies the committed database in one step and the counts are read from the copy.
The uploaded files are copied after the database: a file uploaded meanwhile is in the copy with
no row pointing at it (harmless), and one deleted meanwhile (a discarded upload) is missing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.core import dates

FORMAT = "supervision-backup/1"
MANIFEST = "manifest.json"
MEDIA = "media"
DUMP = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupRefused(Exception):
    """A backup or restore that cannot be made, with the reason for the person running it."""


@dataclass
class Restored:
    manifest: dict
    tables: int
    rows: int
    files: int
    # migrations this code has that the backup's database had not applied: run ``migrate``
    unapplied: list[str]


# --- Checksums and files --------------------------------------------------------------------------


def sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _storage(storage=None):
    from django.core.files.storage import default_storage

    return storage if storage is not None else default_storage


def _where(storage) -> str:
    """Where the uploaded files are, for the messages: the folder, or the bucket and prefix."""
    bucket = getattr(storage, "bucket_name", None)
    location = getattr(storage, "location", "")
    if bucket:
        return f"s3://{bucket}/{location}".rstrip("/")
    return str(location) if location else type(storage).__name__


def _stored_files(storage, folder: str = "") -> list[str]:
    """Every file's name in the storage (relative, ``/``-separated), sorted; none if it is missing."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        names += _stored_files(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(names)


def _copy_out(storage, name: str, target: Path) -> tuple[str, int]:
    """Copy the stored file ``name`` to ``target`` (made anew, flushed to disk); its SHA-256 and size."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as reader, open(target, "xb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    return digest.hexdigest(), size


def _copy_in(source: Path, storage, name: str) -> str:
    """Store ``source`` as ``name``; the SHA-256 of what the storage then holds (read back)."""
    with open(source, "rb") as file:
        saved = storage.save(name, File(file, name=name))
    if saved != name:
        raise BackupRefused(
            _("%(name)s was stored as %(saved)s: the storage was not empty.") % {"name": name, "saved": saved}
        )
    digest = hashlib.sha256()
    with storage.open(name, "rb") as stored:
        while chunk := stored.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest_digest(manifest: dict) -> str:
    body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# --- The database ---------------------------------------------------------------------------------


def _libpq_env(alias: str) -> dict:
    """The environment that points pg_dump, pg_restore and psql at the database ``alias``."""
    params = connections[alias].get_connection_params()
    env = dict(os.environ)
    names = {
        "host": "PGHOST",
        "port": "PGPORT",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "dbname": "PGDATABASE",
        "sslmode": "PGSSLMODE",
        "sslrootcert": "PGSSLROOTCERT",
        "sslcert": "PGSSLCERT",
        "sslkey": "PGSSLKEY",
    }
    for key, variable in names.items():
        if params.get(key) not in (None, ""):
            env[variable] = str(params[key])
    return env


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupRefused(
            _(
                "%(program)s was not found on PATH: install the PostgreSQL client programs of the server's version."
            )
            % {"program": name}
        )
    return path


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupRefused(
            _("%(program)s failed (exit status %(status)s): %(error)s")
            % {"program": Path(command[0]).name, "status": done.returncode, "error": done.stderr.strip()}
        )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(cursor, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (current_schemas(false)) ORDER BY 1"
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        )
    return [row[0] for row in cursor.fetchall()]


def _counts(cursor, vendor: str) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 (names from the catalogue)
        counts[table] = cursor.fetchone()[0]
    return counts


def _migrations(cursor, tables) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    if "django_migrations" not in tables:
        return applied
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _dump_postgresql(alias: str, target: Path) -> dict:
    """pg_dump in the snapshot of a REPEATABLE READ transaction that counts the rows meanwhile."""
    connection = connections[alias]
    pg_dump = _program("pg_dump")
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, version = cursor.fetchone()
            _run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                _libpq_env(alias),
            )
            counts = _counts(cursor, "postgresql")
            migrations = _migrations(cursor, counts)
        raw.rollback()
    finally:
        raw.close()
    _fsync(target)
    return {"server_version": version, "tables": counts, "migrations": migrations}


def _sqlite_path(alias: str) -> str:
    name = str(connections[alias].settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupRefused(_("An in-memory SQLite database cannot be backed up."))
    return name


def _dump_sqlite(alias: str, target: Path) -> dict:
    """SQLite's backup API, from a connection of its own: the committed database in one step."""
    with (
        contextlib.closing(sqlite3.connect(_sqlite_path(alias), timeout=60)) as source,
        contextlib.closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        cursor = copy.cursor()
        counts = _counts(cursor, "sqlite")
        migrations = _migrations(cursor, counts)
    _fsync(target)
    return {"server_version": sqlite3.sqlite_version, "tables": counts, "migrations": migrations}


# --- Backup ---------------------------------------------------------------------------------------


def backup(directory: Path, *, alias: str = "default", storage=None, progress: Callable = print) -> dict:
    """Write a backup into ``directory`` (new or empty); its manifest. ``storage``: where the
    uploaded files are (Django's default storage unless given)."""
    directory = Path(directory)
    storage = _storage(storage)
    vendor = connections[alias].vendor
    if vendor not in DUMP:
        raise BackupRefused(_("Backups support PostgreSQL and SQLite, not %(vendor)s.") % {"vendor": vendor})
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupRefused(
            _("%(directory)s is not empty: write each backup into a new or empty directory.")
            % {"directory": directory}
        )
    directory.mkdir(parents=True, exist_ok=True)
    started = timezone.now()

    dump = directory / DUMP[vendor]
    progress(_("Database (%(vendor)s) → %(file)s …") % {"vendor": vendor, "file": dump.name})
    database = (_dump_postgresql if vendor == "postgresql" else _dump_sqlite)(alias, dump)
    files = {}
    digest, size = sha256_file(dump)
    files[dump.name] = {"sha256": digest, "bytes": size}

    progress(_("Uploaded files from %(root)s …") % {"root": _where(storage)})
    media_bytes = 0
    for relative in _stored_files(storage):
        try:
            digest, size = _copy_out(storage, relative, _member(directory / MEDIA, relative))
        except FileNotFoundError:  # deleted since the listing (a discarded upload): not in the backup
            continue
        files[f"{MEDIA}/{relative}"] = {"sha256": digest, "bytes": size}
        media_bytes += size

    manifest = {
        "format": FORMAT,
        "created": dates.local_time(started).isoformat(),
        "finished": dates.local_time(timezone.now()).isoformat(),
        "database": {
            "vendor": vendor,
            "server_version": database["server_version"],
            "dump": dump.name,
            "dump_format": "pg_dump custom" if vendor == "postgresql" else "sqlite3 backup",
        },
        "tables": database["tables"],
        "migrations": database["migrations"],
        "media": {"files": sum(1 for name in files if name.startswith(MEDIA + "/")), "bytes": media_bytes},
        "files": files,
    }
    manifest["manifest_sha256"] = _manifest_digest(manifest)
    # Last, and whole or not at all: a directory without the manifest is an interrupted backup.
    partial = directory / (MANIFEST + ".partial")
    with open(partial, "w", encoding="utf-8") as file:
        json.dump(manifest, file, ensure_ascii=False, indent=2, sort_keys=True)
        file.write("\n")
        file.flush()
        os.fsync(file.fileno())
    os.replace(partial, directory / MANIFEST)
    _fsync(directory)
    return manifest


# --- Verification ---------------------------------------------------------------------------------


def read_manifest(directory: Path) -> dict:
    """The manifest of the backup in ``directory``, its own checksum checked; refused if missing or damaged."""
    directory = Path(directory)
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupRefused(
            _(
                "%(directory)s has no manifest.json: it is not a backup, or the backup was interrupted "
                "before it finished. Nothing was restored."
            )
            % {"directory": directory}
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupRefused(
            _("The manifest is damaged (%(reason)s). Nothing was restored.") % {"reason": exc}
        ) from None
    required = {"format", "created", "database", "tables", "migrations", "files", "manifest_sha256"}
    if not isinstance(manifest, dict) or not required <= set(manifest):
        raise BackupRefused(_("The manifest is damaged (fields are missing). Nothing was restored."))
    if manifest["format"] != FORMAT:
        raise BackupRefused(
            _("The manifest's format %(format)s is not one this version reads (%(expected)s).")
            % {"format": manifest["format"], "expected": FORMAT}
        )
    if _manifest_digest(manifest) != manifest["manifest_sha256"]:
        raise BackupRefused(
            _("The manifest is damaged: its checksum does not match its content. Nothing was restored.")
        )
    return manifest


def _member(directory: Path, name: str) -> Path:
    """The file ``name`` of the manifest inside ``directory``; a name leading outside it is refused."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise BackupRefused(_("The manifest names a file outside the backup: %(name)s.") % {"name": name})
    return directory.joinpath(*pure.parts)


def verify(directory: Path) -> dict:
    """Check the manifest and every file it lists (size, SHA-256); the manifest, or refused."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    dump = manifest["database"].get("dump")
    if dump not in manifest["files"]:
        raise BackupRefused(
            _("The manifest is damaged (the database dump is not listed). Nothing was restored.")
        )
    problems = []
    for name, expected in sorted(manifest["files"].items()):
        path = _member(directory, name)
        if not path.is_file():
            problems.append(_("%(name)s is missing") % {"name": name})
            continue
        digest, size = sha256_file(path)
        if size != expected.get("bytes") or digest != expected.get("sha256"):
            problems.append(_("%(name)s does not match its checksum") % {"name": name})
    if problems:
        shown = "; ".join(problems[:10]) + ("; …" if len(problems) > 10 else "")
        raise BackupRefused(
            _("The backup is damaged (%(count)s of %(total)s files): %(problems)s. Nothing was restored.")
            % {"count": len(problems), "total": len(manifest["files"]), "problems": shown}
        )
    return manifest


# --- Restore --------------------------------------------------------------------------------------


def _existing_tables(alias: str) -> list[str]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return _tables(cursor, connection.vendor)


def _restore_postgresql(alias: str, dump: Path) -> None:
    pg_restore = _program("pg_restore")
    env = _libpq_env(alias)
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={env.get('PGDATABASE', '')}",
            str(dump),
        ],
        env,
    )


def _restore_sqlite(alias: str, dump: Path) -> None:
    connections[alias].close()
    with (
        contextlib.closing(sqlite3.connect(f"file:{dump}?mode=ro", uri=True)) as source,
        contextlib.closing(sqlite3.connect(_sqlite_path(alias), timeout=60)) as target,
    ):
        source.backup(target)


def restore(directory: Path, *, alias: str = "default", storage=None, progress: Callable = print) -> Restored:
    """Restore the backup in ``directory`` into an empty database and an empty storage of
    uploaded files (Django's default storage unless given)."""
    directory = Path(directory)
    storage = _storage(storage)
    progress(_("Checking the manifest and every file's checksum …"))
    manifest = verify(directory)
    connection = connections[alias]
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupRefused(
            _(
                "This backup is of a %(backup)s database; the database configured is %(target)s. Nothing was restored."
            )
            % {"backup": vendor, "target": connection.vendor}
        )
    if vendor == "sqlite":
        _sqlite_path(alias)
    refusals = []
    tables = _existing_tables(alias)
    if tables:
        refusals.append(
            _(
                "the database %(name)s is not empty (%(count)s tables): restore only into a new, empty "
                "database, created without running migrate"
            )
            % {"name": connection.settings_dict["NAME"], "count": len(tables)}
        )
    if _stored_files(storage):
        refusals.append(
            _("the folder of uploaded files %(root)s is not empty: restore into a new or empty folder")
            % {"root": _where(storage)}
        )
    if refusals:
        raise BackupRefused(
            _("Refused: %(reasons)s. Nothing was restored.") % {"reasons": "; ".join(refusals)}
        )

    dump = _member(directory, manifest["database"]["dump"])
    progress(_("Database (%(vendor)s) ← %(file)s …") % {"vendor": vendor, "file": dump.name})
    (_restore_postgresql if vendor == "postgresql" else _restore_sqlite)(alias, dump)
    connection.close()
    with connection.cursor() as cursor:
        counts = _counts(cursor, vendor)
        migrations = _migrations(cursor, counts)
    differences = [
        f"{table}: {manifest['tables'].get(table)} → {counts.get(table)}"
        for table in sorted(set(counts) | set(manifest["tables"]))
        if counts.get(table) != manifest["tables"].get(table)
    ]
    if differences or migrations != manifest["migrations"]:
        raise BackupRefused(
            _("The restored database differs from the manifest: %(differences)s.")
            % {"differences": "; ".join(differences[:10]) or _("the applied migrations")}
        )

    progress(_("Uploaded files → %(root)s …") % {"root": _where(storage)})
    copied = 0
    for name, expected in sorted(manifest["files"].items()):
        if not name.startswith(MEDIA + "/"):
            continue
        digest = _copy_in(_member(directory, name), storage, name[len(MEDIA) + 1 :])
        if digest != expected["sha256"]:
            raise BackupRefused(
                _("%(name)s changed while it was copied: its checksum does not match.") % {"name": name}
            )
        copied += 1

    unapplied = _unapplied(alias)
    return Restored(
        manifest=manifest,
        tables=len(counts),
        rows=sum(counts.values()),
        files=copied,
        unapplied=unapplied,
    )


def _unapplied(alias: str) -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, backwards in plan if not backwards]


def describe(manifest: dict) -> dict:
    """What a manifest holds, in figures for a summary line."""
    return {
        "created": manifest["created"],
        "vendor": manifest["database"]["vendor"],
        "tables": len(manifest["tables"]),
        "rows": sum(manifest["tables"].values()),
        "files": manifest.get("media", {}).get("files", 0),
        "bytes": manifest.get("media", {}).get("bytes", 0),
        "migrations": sum(len(names) for names in manifest["migrations"].values()),
    }
