"""Benchmark: the dashboard's pages on a large ledger and on a tenth of it, against a BI ``GROUP BY``.

    .venv/bin/python bench/dashboard.py [--runs 7] [--rounds 3] [--reseed] [--no-write] [--pages home,…]

For each database (a scratch SQLite file; and PostgreSQL too when DATABASE_URL is set, in
databases created beside the one it names) two demo data sets are seeded with the project's own
command: ``seed_demo --size large`` (about 1,000,000 complaint rows) and ``seed_demo --complaints
100000`` (a tenth). Each is measured in child processes, on a copy of the seeded database, with
Django's test ``Client`` logged in as the demo ``staff`` user (administration staff) and ``DEBUG``
off: ``--rounds`` rounds of ``--runs`` requests per page, each round after two warm-up requests,
the rounds alternating the two sizes so that a busy spell of this shared machine falls on both;
the median of all is reported, and the fastest beside it. The children run at nice -5 (and so
does their PostgreSQL backend) where that is allowed:

- ``home``: /dashboard/, the indicator cards of the last complete month;
- ``charts``: /dashboard/charts/, 36 months of trends (targets: under 150 ms on the large set,
  and at most 1.3× its time on the tenth);
- ``ledger``: the complaint ledger filtered by operator, city and category, first page (target:
  under 100 ms on the large set);
- ``ledger + q``: the same with a text search;
- ``export``: the same filter as CSV, the whole streamed response read;
- ``month export``: every complaint of one complete month as CSV.

In the same child, one raw SQL ``GROUP BY`` over the whole ledger by operator, month and
category (what a generic BI tool would run) is timed the same way. The figures: each page
large ÷ tenth (target for home: at most 1.3) and home ÷ that query (target: below 1). One more
request per page runs inside ``CaptureQueriesContext`` to count the queries and their time, and
name the slowest (printed; the table keeps the count and the SQL share). ``--pages home`` (keys
separated by commas) times only those pages, prints their figures and writes nothing.

Seeding takes minutes (2 to 3 for the large set), so seeded databases are kept and
reused while the code that shapes them is unchanged: SQLite files under ``var/bench/`` and, on
PostgreSQL, template databases ``<name>_dash_<size>_<month>_<version>`` beside the one named.
The version is a hash of the ``demo`` app (the demo data and the ``seed_demo`` command) and
``reporting/summaries.py``; the month is the last complete month (Asia/Shanghai), because the
demo data are laid out relative to it. Migrations added since are applied to a cached database
before it is used, as they would be to a production one. A stale copy is deleted when its
replacement is made; ``--reseed`` forces new ones. Measurements never touch the cached copies
(each runs on a fresh copy of them) nor the developer's ``var/db.sqlite3``.

After seeding, PostgreSQL gets ``VACUUM ANALYZE`` (what autovacuum does by itself shortly after
a bulk load, so the planner has statistics); SQLite gets nothing, as Django never runs
``ANALYZE`` there either.

Run by ``make bench``, never by the tests.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.markers import write_between  # noqa: E402

CACHE_DIR = BASE_DIR / "var" / "bench"
LARGE, SMALL = "large", "tenth"
SEED_ARGS = {LARGE: ["--size", "large"], SMALL: ["--complaints", "100000"]}
# What shapes the seeded data: a change to any of these makes the cached databases stale.
# (Migrations are not among them: they are applied to the cached databases instead.)
VERSION_FILES = [
    "supervision/demo/**/*.py",  # the demo data and the seed_demo command
    "supervision/reporting/summaries.py",
]
# The filter of the ledger pages: the demo's story (CUCC's spike of BL1 complaints in Weifang).
LEDGER_FILTER = {"operator": "CUCC", "city": "370700", "category": "BL1"}
SEARCH = "授权码"  # "authorisation code": in several BL1 complaint texts
HOME_TARGET = 1.3  # home, large ÷ tenth, at most
CHARTS_TARGET = (0.150, 1.3)  # charts: seconds on the large set, below; large ÷ tenth, at most
LEDGER_TARGET = 0.100  # the filtered ledger: seconds on the large set, below
# The production settings, less what needs a proxy (TLS) or collectstatic (see child_measure).
CHILD_ENV = {
    "DJANGO_SETTINGS_MODULE": "supervision.settings",
    "DEBUG": "0",
    # settings refuse a short or well-known key; a random one per run (nothing signed outlives it)
    "SECRET_KEY": secrets.token_urlsafe(50),
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "LOG_LEVEL": "WARNING",
}


def pages(month: str, full_month: str) -> list[tuple[str, str, str]]:
    """(key, label, URL) of every page timed; ``month`` is the last complete month."""
    ledger = "/dashboard/complaints/?" + urlencode(LEDGER_FILTER)
    return [
        ("home", f"home (/dashboard/, {month})", "/dashboard/"),
        ("charts", "charts (/dashboard/charts/, 36 months)", "/dashboard/charts/"),
        ("ledger", "ledger, filtered (operator, city, category)", ledger),
        ("ledger_q", f"ledger, filtered + text search (q={SEARCH})", f"{ledger}&{urlencode({'q': SEARCH})}"),
        ("export", "export of the filtered ledger (CSV)", f"{ledger}&export=csv"),
        ("export_month", f"export of one month, unfiltered (CSV, {full_month})", f"/dashboard/complaints/?month={full_month}&export=csv"),
    ]  # fmt: skip


GROUP_BY = {
    "sqlite": "SELECT operator_id, strftime('%Y-%m', received_on) AS month, category_id, COUNT(*) "
    "FROM reporting_complaintrecord GROUP BY 1, 2, 3",
    "postgresql": "SELECT operator_id, date_trunc('month', received_on) AS month, category_id, COUNT(*) "
    "FROM reporting_complaintrecord GROUP BY 1, 2, 3",
}


# --- Versions and months --------------------------------------------------------------------------


def code_version() -> str:
    digest = hashlib.sha256()
    paths = sorted({p for pattern in VERSION_FILES for p in BASE_DIR.glob(pattern)})
    for path in paths:
        digest.update(str(path.relative_to(BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def last_complete_month(today: dt.date | None = None) -> dt.date:
    """As ``Period.last_complete``: the month before today's, in Asia/Shanghai."""
    today = today or dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


# --- Databases ----------------------------------------------------------------------------------


def postgres_url(url: str, name: str) -> str:
    """The URL of database ``name`` on the server of ``url``."""
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def postgres_base(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path.lstrip("/") or "postgres"


def postgres(admin_url: str, *statements: str) -> list:
    import psycopg

    rows = []
    with psycopg.connect(admin_url, autocommit=True) as conn:
        for statement in statements:
            cursor = conn.execute(statement)
            if cursor.description:
                rows.extend(cursor.fetchall())
    return rows


class Store:
    """Seeded databases of one vendor, cached between runs; fresh copies of them to measure on."""

    def __init__(self, label: str, url: str | None, env: dict, scratch: Path, reseed: bool):
        self.label, self.url, self.env, self.scratch, self.reseed = label, url, env, scratch, reseed
        self.key = f"{last_complete_month():%Y%m}_{code_version()}"
        self.facts: dict[str, dict] = {}

    # SQLite: files under var/bench/

    def sqlite_env(self, path: Path) -> dict:
        env = dict(self.env, SQLITE_PATH=str(path))
        env.pop("DATABASE_URL", None)
        return env

    def sqlite_seeded(self, size: str) -> tuple[Path, float | None]:
        path = CACHE_DIR / f"dashboard_{size}_{self.key}.sqlite3"
        if path.exists() and not self.reseed:
            run_child("migrate", self.sqlite_env(path))
            return path, None
        for stale in CACHE_DIR.glob(f"dashboard_{size}_*.sqlite3*"):
            stale.unlink()
        partial = path.with_suffix(".seeding")
        for leftover in CACHE_DIR.glob(partial.name + "*"):
            leftover.unlink()
        t0 = time.perf_counter()
        run_child("seed", self.sqlite_env(partial), size=size, echo=True)
        for suffix in ("-wal", "-shm"):  # checkpointed by the child; nothing left to keep
            Path(str(partial) + suffix).unlink(missing_ok=True)
        partial.replace(path)
        return path, time.perf_counter() - t0

    # PostgreSQL: template databases beside the one DATABASE_URL names

    def pg_seeded(self, size: str) -> tuple[str, float | None]:
        base = postgres_base(self.url)
        name = f"{base}_dash_{size}_{self.key}"
        existing = {row[0] for row in postgres(self.url, "SELECT datname FROM pg_database")}
        if name in existing and not self.reseed:
            run_child("migrate", dict(self.env, DATABASE_URL=postgres_url(self.url, name)))
            return name, None
        stale = [n for n in existing if n.startswith(f"{base}_dash_{size}_")]
        postgres(self.url, *(f'DROP DATABASE IF EXISTS "{n}"' for n in stale))
        partial = f"{base}_dash_{size}_seeding"
        postgres(self.url, f'DROP DATABASE IF EXISTS "{partial}"', f'CREATE DATABASE "{partial}"')
        t0 = time.perf_counter()
        run_child("seed", dict(self.env, DATABASE_URL=postgres_url(self.url, partial)), size=size, echo=True)
        postgres(self.url, f'ALTER DATABASE "{partial}" RENAME TO "{name}"')
        return name, time.perf_counter() - t0

    def copy(self, size: str) -> dict:
        """Seed (or reuse) the data set and copy it; the environment of a child that uses the copy."""
        if self.url is None:
            source, seeded = self.sqlite_seeded(size)
            copy = self.scratch / f"{size}.sqlite3"
            shutil.copyfile(source, copy)
            env, self.facts[size] = self.sqlite_env(copy), {"db_mb": source.stat().st_size / 1e6}
        else:
            source, seeded = self.pg_seeded(size)
            copy = f"{postgres_base(self.url)}_dash_run_{size}"
            postgres(
                self.url,
                f'DROP DATABASE IF EXISTS "{copy}"',
                f'CREATE DATABASE "{copy}" TEMPLATE "{source}" STRATEGY FILE_COPY',
            )
            with contextlib.suppress(Exception):  # needs a superuser (or pg_checkpoint): best effort
                postgres(self.url, "CHECKPOINT")
            size_mb = postgres(self.url, f"SELECT pg_database_size('{copy}')")[0][0] / 1e6
            env, self.facts[size] = (
                dict(self.env, DATABASE_URL=postgres_url(self.url, copy)),
                {"db_mb": size_mb},
            )
        os.sync()  # the copy on disk now, not written back while the pages are timed
        self.facts[size].update(seeded_s=seeded, source=str(source))
        return env

    def drop(self, size: str) -> None:
        if self.url is None:
            for path in self.scratch.glob(f"{size}.sqlite3*"):
                path.unlink()
        else:
            postgres(self.url, f'DROP DATABASE IF EXISTS "{postgres_base(self.url)}_dash_run_{size}"')


# --- Children -----------------------------------------------------------------------------------


def run_child(
    mode: str, env: dict, *, size: str = "", runs: int = 0, echo: bool = False, only: str = ""
) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--size", size or LARGE, "--runs", str(runs)]
        + (["--pages", only] if only else []),
        env=env,
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=None if echo else subprocess.PIPE,  # seeding reports its progress as it goes
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{out.stdout}\n{out.stderr or ''}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def child_seed(size: str) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from supervision.reporting.models import ComplaintMonthly, ComplaintRecord

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    call_command("seed_demo", *SEED_ARGS[size], stdout=sys.stderr, verbosity=1)
    seconds = time.perf_counter() - t0
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            cursor.execute("VACUUM ANALYZE")
    return {
        "seed_s": seconds,
        "complaints": ComplaintRecord.objects.count(),
        "monthly": ComplaintMonthly.objects.count(),
    }


def _read(response) -> int:
    """The whole body (a streamed download included), as a browser would receive it; its size."""
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    response.close()
    return size


def _prioritise(connection) -> None:
    """Run this child (and its PostgreSQL backend) ahead of other work on a shared machine.

    Best effort: raising a priority needs root, which CI and these machines have; elsewhere the
    figures are simply taken at normal priority.
    """
    pids = [os.getpid()]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pids.append(cursor.fetchone()[0])
    for pid in pids:
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, pid, -5)


def child_measure(runs: int, only: str = "") -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    # The site loaded as the application server loads it (supervision/wsgi.py: Django set up,
    # every view imported, the long-lived objects frozen out of the garbage collector's walks).
    import supervision.wsgi  # noqa: F401
    from supervision.core.models import Period, User
    from supervision.reporting.models import ComplaintMonthly, ComplaintRecord

    # DEBUG off, as in production; the static files are served unhashed because the manifest
    # that CompressedManifestStaticFilesStorage reads needs a collectstatic run.
    storages = dict(settings.STORAGES)
    storages["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override = override_settings(STORAGES=storages)
    override.enable()

    _prioritise(connection)
    last = Period.last_complete()
    full = last.previous(1)  # the month before: every operator has reported it
    client = Client()
    staff = User.objects.get(username="staff")
    client.force_login(staff)
    if staff.must_use_two_step_login:  # as in production: signed in with the second step given
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _created = TOTPDevice.objects.get_or_create(user=staff, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    results = {}
    for key, label, url in pages(last.label, full.label):
        if only and key not in only.split(","):
            continue
        first = client.get(url)  # warm-up: caches, the database's pages, Python's imports
        assert first.status_code == 200, (url, first.status_code)
        size = _read(first)
        _read(client.get(url))
        times, cpu = [], []
        for _ in range(runs):
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.get(url)
            _read(response)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            body = client.get(url)
            text = b"".join(body.streaming_content) if body.streaming else body.content
            body.close()
            profiled = time.perf_counter() - t0
        slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
        results[key] = {
            "label": label,
            "url": url,
            "median": statistics.median(times),
            "all": times,
            # This process's CPU time (Python, and SQLite's work, which runs in it; not PostgreSQL's):
            # what the page costs whatever else the machine runs.
            "cpu": cpu,
            "bytes": size,
            # Data rows of a download (the header row aside; no complaint text holds a newline).
            "rows": text.count(b"\n") - 1 if body.streaming else None,
            "queries": len(queries.captured_queries),
            "sql_s": sum(float(q["time"]) for q in queries.captured_queries),
            "profiled_s": profiled,
            "slowest": [(float(q["time"]), q["sql"][:400]) for q in slowest],
        }

    sql = GROUP_BY[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(sql)
        groups = len(cursor.fetchall())
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            times.append(time.perf_counter() - t0)
    results["group_by"] = {
        "sql": sql,
        "median": statistics.median(times),
        "best": min(times),
        "all": times,
        "groups": groups,
    }
    override.disable()
    return {
        "vendor": connection.vendor,
        "month": last.label,
        "full_month": full.label,
        "complaints": ComplaintRecord.objects.count(),
        "monthly": ComplaintMonthly.objects.count(),
        "pages": results,
    }


# --- Parent -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page and round")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds per size, alternating the sizes; the median of all is reported",
    )
    parser.add_argument("--reseed", action="store_true", help="seed new databases even if cached ones fit")
    parser.add_argument(
        "--no-write",
        dest="write",
        action="store_false",
        help="do not write the figures into docs/benchmarks.md",
    )
    parser.add_argument(
        "--pages",
        default="",
        help="time only these pages (keys separated by commas: home, charts, ledger, ledger_q, export, "
        "export_month); implies --no-write",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--size", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "seed":
        print(json.dumps(child_seed(args.size)))
        return
    if args.child == "migrate":
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print("{}")
        return
    if args.child == "measure":
        print(json.dumps(child_measure(args.runs, args.pages)))
        return

    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **CHILD_ENV}
    databases = [("SQLite", None)]
    if os.environ.get("DATABASE_URL"):
        databases.append(("PostgreSQL", os.environ["DATABASE_URL"]))
    results = []
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-", dir=CACHE_DIR) as directory:
        for label, url in databases:
            store = Store(label, url, env, Path(directory), args.reseed)
            try:
                envs = {}
                for size in (LARGE, SMALL):
                    print(f"{label}, {size}: seeding, or reusing the cached copy…", flush=True)
                    envs[size] = store.copy(size)
                # Rounds alternate the sizes, so that a busy spell of a shared machine falls on both.
                rounds = {size: [] for size in envs}
                for r in range(args.rounds):
                    for size, child_env in envs.items():
                        print(f"{label}, {size}: round {r + 1} of {args.rounds}…", flush=True)
                        rounds[size].append(run_child("measure", child_env, runs=args.runs, only=args.pages))
                figures = {size: merge(runs, store.facts[size]) for size, runs in rounds.items()}
            finally:
                for size in (LARGE, SMALL):
                    store.drop(size)
            for size in (LARGE, SMALL):
                print_profile(label, size, figures[size])
            results.append((label, figures))
    report(results, args, load=(load, os.getloadavg()), write=args.write and not args.pages)


def merge(runs: list[dict], facts: dict) -> dict:
    """One size's rounds as one: every timed request together; the last round's profile."""
    merged = dict(runs[-1], **facts)
    merged["pages"] = {}
    for key, last in runs[-1]["pages"].items():
        times = [t for run in runs for t in run["pages"][key]["all"]]
        cpu = [t for run in runs for t in run["pages"][key].get("cpu", [])]
        merged["pages"][key] = dict(
            last,
            all=times,
            median=statistics.median(times),
            best=min(times),
            cpu_median=statistics.median(cpu) if cpu else None,
        )
    return merged


def print_profile(label: str, size: str, f: dict) -> None:
    """What each page cost and which of its queries took longest (the last round's extra request)."""
    seeded = f"seeded in {f['seeded_s']:.0f} s" if f["seeded_s"] else "cached"
    print(
        f"\n{label}, {size}: {f['complaints']:,} complaints, {f['monthly']:,} monthly counts, {f['db_mb']:,.0f} MB"
    )
    print(f"  ({seeded}: {f['source']})")
    for key, p in f["pages"].items():
        if key == "group_by":
            print(f"  raw GROUP BY: {p['median']:.3f} s, best {p['best']:.3f} s ({p['groups']:,} groups)")
            continue
        print(
            f"  {p['label']}: {p['median']:.3f} s, best {p['best']:.3f} s; profiled: {p['queries']} queries, "
            f"SQL {p['sql_s']:.3f} s of {p['profiled_s']:.3f} s"
        )
        for took, sql in p["slowest"]:
            print(f"      {took:.3f} s  {sql[:200]}")
    sys.stdout.flush()


START, END = (
    "<!-- bench/dashboard.py writes between these markers -->",
    "<!-- end of bench/dashboard.py figures -->",
)


def environment(results) -> str:
    import sqlite3
    from importlib.metadata import version

    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
        platform.processor() or "unknown CPU",
    )  # fmt: skip
    memory = next(
        (int(line.split()[1]) / 1024**2 for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")),
        0,
    )  # fmt: skip
    versions = [f"Python {sys.version.split()[0]}", f"SQLite {sqlite3.sqlite_version}"]
    if any(label == "PostgreSQL" for label, _f in results):
        rows = postgres(
            os.environ["DATABASE_URL"], "SHOW server_version", "SHOW shared_buffers", "SHOW work_mem"
        )
        versions.append(
            f"PostgreSQL {rows[0][0].split()[0]} (shared_buffers {rows[1][0]}, work_mem {rows[2][0]})"
        )
    versions.append(f"Django {version('django')}")
    return (
        f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, "
        f"{', '.join(versions)}:"
    )


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "–"


def seconds(p: dict) -> str:
    return f"{p['median']:.3f} ({p['best']:.3f})"


def ratios(p: dict, q: dict) -> str:
    return f"{ratio(p['median'], q['median'])} ({ratio(p['best'], q['best'])})"


def table(results) -> list[str]:
    lines = [
        "| database | measured | large: s | tenth: s | large ÷ tenth | queries | SQL share | CPU: large, tenth |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, figures in results:
        large, small = figures[LARGE], figures[SMALL]
        lines.append(
            f"| {label} | *data: complaint rows; monthly counts; database size* | {large['complaints']:,}; "
            f"{large['monthly']:,}; {large['db_mb']:,.0f} MB | {small['complaints']:,}; {small['monthly']:,}; "
            f"{small['db_mb']:,.0f} MB | {ratio(large['complaints'], small['complaints'])} | | | |"
        )
        for key, p in large["pages"].items():
            q = small["pages"][key]
            if key == "group_by":
                lines.append(
                    f"| {label} | raw SQL `GROUP BY` operator, month, category over the whole ledger "
                    f"({p['groups']:,} / {q['groups']:,} groups) | {seconds(p)} | {seconds(q)} "
                    f"| {ratios(p, q)} | 1 | 100 % | |"
                )
                continue
            rows = f" ({p['rows']:,} / {q['rows']:,} rows)" if p["rows"] is not None else ""
            share = f"{100 * p['sql_s'] / p['profiled_s']:.0f} %" if p["profiled_s"] else "–"
            cpu = (
                f"{p['cpu_median'] * 1000:.0f} ms, {q['cpu_median'] * 1000:.0f} ms"
                if p.get("cpu_median") is not None and q.get("cpu_median") is not None
                else "–"
            )
            lines.append(
                f"| {label} | {p['label']}{rows} | {seconds(p)} | {seconds(q)} | {ratios(p, q)} "
                f"| {p['queries']} | {share} | {cpu} |"
            )
    return lines


def verdicts(results) -> list[str]:
    lines = []
    for label, figures in results:
        large, small = figures[LARGE]["pages"], figures[SMALL]["pages"]
        if "home" not in large:  # --pages without home
            continue
        scale = large["home"]["median"] / small["home"]["median"]
        scale_best = large["home"]["best"] / small["home"]["best"]
        vs_bi = large["home"]["median"] / large["group_by"]["median"]
        vs_bi_small = small["home"]["median"] / small["group_by"]["median"]
        lines.append(
            f"- {label}: home large ÷ tenth = **{scale:.2f}** ({scale_best:.2f} best to best; target ≤ "
            f"{HOME_TARGET}: {'met' if scale <= HOME_TARGET else 'missed'}); home ÷ raw `GROUP BY` = "
            f"**{vs_bi:.2f}** on the large set (target < 1: {'met' if vs_bi < 1 else 'missed'}), "
            f"{vs_bi_small:.2f} on the tenth."
        )
    for label, figures in results:
        large, small = figures[LARGE]["pages"], figures[SMALL]["pages"]
        parts = []
        if "charts" in large:
            seconds, scale = large["charts"]["median"], large["charts"]["median"] / small["charts"]["median"]
            limit, most = CHARTS_TARGET
            parts.append(
                f"charts **{seconds * 1000:.0f} ms** on the large set (target < {limit * 1000:.0f} ms: "
                f"{'met' if seconds < limit else 'missed'}; fastest {large['charts']['best'] * 1000:.0f} ms), "
                f"large ÷ tenth = **{scale:.2f}** (target ≤ {most}: {'met' if scale <= most else 'missed'})"
            )
        if "ledger" in large:
            seconds = large["ledger"]["median"]
            parts.append(
                f"filtered ledger **{seconds * 1000:.0f} ms** on the large set (target < "
                f"{LEDGER_TARGET * 1000:.0f} ms: {'met' if seconds < LEDGER_TARGET else 'missed'}; fastest "
                f"{large['ledger']['best'] * 1000:.0f} ms)"
            )
        if parts:
            lines.append(f"- {label}: " + "; ".join(parts) + ".")
    return lines


def write_doc(lines: list[str]) -> None:
    """Replace the figures in docs/benchmarks.md (between the markers) with this run's."""
    write_between(START, END, lines)


def report(results, args, load, write: bool) -> None:
    lines = [
        environment(results),
        "",
        f"Seconds: the median of {args.rounds * args.runs} requests ({args.rounds} rounds of {args.runs}, "
        "each after two warm-up requests, the rounds alternating the two sizes), and in brackets the "
        "fastest of them. Queries and SQL share: one more request of the large set under "
        "`CaptureQueriesContext` (SQL share = time in `execute` ÷ the request's; a download fetches its rows "
        "outside `execute`, from a server-side cursor on PostgreSQL and step by step on SQLite, so its share "
        "is understated). CPU: the median CPU time of the measuring process per request (Python and, on "
        "SQLite, the database's work; PostgreSQL's runs in its own process), what a page costs whatever "
        f"else runs. Load average before and after: {load[0][0]:.1f} and {load[1][0]:.1f} "
        f"(the machine has {os.cpu_count()} cores and is shared).",
        "",
        *table(results),
        "",
        *verdicts(results),
    ]
    print()
    print("\n".join(lines))
    if write:
        write_doc(lines)


if __name__ == "__main__":
    main()
