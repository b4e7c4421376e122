"""Benchmark: a 100,000-row complaint ledger sent through the API as JSON batches, against the
same rows uploaded as one CSV file through the portal's upload service.

    .venv/bin/python bench/api_ledger.py [--rows 100000] [--batch 5000] [--repeat 3]

The rows are bench/ingest.py's (the same generator, the same seed). Each measurement runs in
its own child process on a freshly migrated database (bench/ingest.py's ``Scratch``: an SQLite
file; with DATABASE_URL, PostgreSQL too), as an operator's reporting staff user of CMCC:

- ``web``: the services the portal calls for a ledger upload, on the CSV file's bytes:
  ``uploads.start_upload`` (the file kept aside) → ``uploads.run_checks`` (read, every check,
  the preview, the masked re-export kept) → ``uploads.confirm`` (checked again, stored);
- ``api``: ``POST /api/v1/ledgers`` with ``{"rows": [...]}`` for each batch, then
  ``POST /api/v1/uploads/{id}/confirm``, through Django's test ``Client`` with the bearer token
  (no network; the middleware, authentication, pydantic and the response all count). The
  request bodies are encoded before the clock starts: that is the client's work.

Both check in the request (``UPLOAD_BACKGROUND_BYTES`` raised): in production a large file or
batch is checked by the worker, the same work in another process. Every warning is explained
(the same sentence for each). The clock stands at 2026-11-28 10:00 Beijing time, so the rows'
dates (October 2026) check the same whatever the day.

The target (issue 15): the API path takes at most 1.5 times the web path. Run by ``make bench``,
never by the tests.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.ingest import HEADERS, OPERATOR, Scratch, ledger_rows, write_csv  # noqa: E402
from bench.markers import write_between  # noqa: E402

NOW = "2026-11-28T10:00:00+08:00"
TARGET = 1.5
# The API's names of the template's columns, in the CSV's order (FORMATS.md §2).
API_FIELDS = [
    "complaint_no",
    "received_on",
    "city",
    "channel",
    "category",
    "msisdn",
    "summary",
    "status",
    "resolved_on",
    "resolution",
    "satisfaction",
]
assert len(API_FIELDS) == len(HEADERS)


def api_batches(count: int, size: int) -> list[bytes]:
    """The rows as the JSON bodies an operator's system would send, ``size`` rows each."""
    bodies, rows = [], []
    for row in ledger_rows(count):
        rows.append(
            {
                name: value.isoformat() if isinstance(value, dt.date) else value
                for name, value in zip(API_FIELDS, row, strict=True)
                if value not in (None, "")
            }
        )
        if len(rows) == size:
            bodies.append(json.dumps({"rows": rows}, ensure_ascii=False).encode())
            rows = []
    if rows:
        bodies.append(json.dumps({"rows": rows}, ensure_ascii=False).encode())
    return bodies


# --- Child: one measurement on a fresh database -------------------------------------------------


def child(mode: str, path: str, batch: int, profile: str | None) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supervision.settings")
    import django

    django.setup()
    import time_machine
    from django.conf import settings

    settings.UPLOAD_BACKGROUND_BYTES = 1 << 40  # checked in the request, as the worker would
    settings.API_RATE_PER_MINUTE = 1_000_000
    settings.ALLOWED_HOSTS = ["*"]

    phases = _time_phases() if os.environ.get("BENCH_PHASES") else None
    with time_machine.travel(dt.datetime.fromisoformat(NOW), tick=True):
        user = _user()
        data = Path(path).read_bytes()
        bodies = api_batches(int(os.environ["BENCH_ROWS"]), batch) if mode == "api" else None
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        cpu = time.process_time()
        figures = web(user, data, Path(path).name) if mode == "web" else api(user, bodies)
        figures["cpu"] = time.process_time() - cpu
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
    from supervision.reporting.models import ComplaintRecord

    figures["stored"] = ComplaintRecord.objects.count()
    if phases is not None:
        figures["phases"] = {name: [n, round(s, 3)] for name, (n, s) in sorted(phases.items())}
    return figures


def _time_phases() -> dict:
    """``BENCH_PHASES=1``: the seconds spent in the steps both paths share, and in the API's own
    (for finding where the API path spends its time; the figures are not written)."""
    import functools

    from django.db.backends.base.base import BaseDatabaseWrapper
    from ninja.operation import Operation

    from supervision.api import reporting as api_reporting
    from supervision.reporting import kept, uploads
    from supervision.reporting.ingest import store

    spent: dict[str, list] = {}

    def timed(owner, name, label=None):
        original = getattr(owner, name)

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                entry = spent.setdefault(label or name, [0, 0.0])
                entry[0] += 1
                entry[1] += time.perf_counter() - t0

        setattr(owner, name, wrapper)

    for owner, name in [
        (store, "read_sheet"),
        (store, "validate_ledger"),
        (store, "check_ledger_periods"),
        (store, "_existing_complaints"),
        (store, "store_ledger"),
        (store, "_insert"),
        (store, "refresh_complaint_counts"),
        (kept, "ledger_workbook"),
        (uploads, "run_checks"),
        (uploads, "confirm"),
        (uploads, "start_upload"),
        (api_reporting, "_csv"),
        (api_reporting, "_upload_out"),
        (BaseDatabaseWrapper, "commit"),
        (Operation, "run"),
        (Operation, "_get_values"),
        (Operation, "_result_to_response"),
    ]:
        timed(owner, name)
    return spent


def _user():
    from supervision.core.models import Operator, Role, User

    return User.objects.create_user(
        username="bench",
        password=None,
        role=Role.OPERATOR_STAFF,
        operator=Operator.objects.get(code=OPERATOR),
    )


def web(user, data: bytes, name: str) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from supervision.reporting import uploads
    from supervision.reporting.models import UploadKind

    t0 = time.perf_counter()
    upload = uploads.start_upload(
        kind=UploadKind.LEDGER,
        operator=user.operator,
        user=user,
        ledger=SimpleUploadedFile(name, data, content_type="text/csv"),
    )
    t1 = time.perf_counter()
    upload = uploads.run_checks(upload.pk)
    t2 = time.perf_counter()
    if uploads.has_errors(upload):
        raise SystemExit(json.dumps(upload.problems[:10], ensure_ascii=False))
    explanations = {i: "已核实,属实。" for i, _p in uploads.warnings_of(upload)}
    stored = uploads.confirm(upload, user=user, explanations=explanations)
    t3 = time.perf_counter()
    return {
        "rows": stored.rows_added,
        "upload": t1 - t0,
        "check": t2 - t1,
        "confirm": t3 - t2,
        "total": t3 - t0,
        "warnings": len(explanations),
        "requests": 0,
    }


def api(user, bodies: list[bytes]) -> dict:
    from django.test import Client

    from supervision.core import tokens

    _token, secret = tokens.create(user, name="bench", days=1)
    client = Client(headers={"Authorization": f"Bearer {secret}", "Accept-Language": "zh-hans"})
    check = confirm = 0.0
    added = warnings = 0
    t0 = time.perf_counter()
    for body in bodies:
        s0 = time.perf_counter()
        answer = client.post("/api/v1/ledgers", body, content_type="application/json")
        s1 = time.perf_counter()
        if answer.status_code != 201:
            raise SystemExit(f"POST /ledgers: {answer.status_code} {answer.content[:2000]!r}")
        preview = answer.json()
        if preview["has_errors"]:
            raise SystemExit(json.dumps(preview["problems"][:10], ensure_ascii=False))
        explanations = {p["index"]: "已核实,属实。" for p in preview["problems"] if p["kind"] == "warning"}
        stored = client.post(
            f"/api/v1/uploads/{preview['id']}/confirm",
            {"explanations": explanations},
            content_type="application/json",
        )
        s2 = time.perf_counter()
        if stored.status_code != 200:
            raise SystemExit(f"confirm: {stored.status_code} {stored.content[:2000]!r}")
        added += stored.json()["rows_added"]
        warnings += len(explanations)
        check += s1 - s0
        confirm += s2 - s1
    total = time.perf_counter() - t0
    return {
        "rows": added,
        "upload": None,
        "check": check,
        "confirm": confirm,
        "total": total,
        "warnings": warnings,
        "requests": 2 * len(bodies),
    }


# --- Parent -------------------------------------------------------------------------------------


def run_child(mode: str, path: Path, env: dict, batch: int, profile: str | None = None) -> dict:
    command = [sys.executable, __file__, "--child", mode, "--path", str(path), "--batch", str(batch)]
    if profile:
        command += ["--profile", profile]
    out = subprocess.run(command, env=env, cwd=BASE_DIR, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{out.stdout[-5000:]}\n{out.stderr[-5000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5_000, help="rows per API request (at most 5,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per path; the median is reported")
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="profile one run of each path (cProfile) into DIR and print the top of each",
    )
    parser.add_argument(
        "--no-write",
        dest="write",
        action="store_false",
        help="do not write the figures into docs/benchmarks.md",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.path, args.batch, args.profile)))
        return

    data_dir = BASE_DIR / "var" / "bench"
    data_dir.mkdir(parents=True, exist_ok=True)
    csv_path = data_dir / f"ledger_{args.rows}.csv"
    if not csv_path.exists():
        write_csv(csv_path, args.rows)
    env = dict(os.environ, BENCH_ROWS=str(args.rows), DJANGO_SETTINGS_MODULE="supervision.settings")
    databases = [("SQLite", None)]
    if os.environ.get("DATABASE_URL"):
        databases.append(("PostgreSQL", os.environ["DATABASE_URL"]))
    load_before = os.getloadavg()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-api-") as directory:
        for label, url in databases:
            scratch = Scratch(Path(directory), url, env)
            try:
                if args.profile:
                    Path(args.profile).mkdir(parents=True, exist_ok=True)
                    for mode in ("web", "api"):
                        out = str(Path(args.profile).resolve() / f"{label.lower()}-{mode}.prof")
                        figures = run_child(mode, csv_path, scratch.fresh(), args.batch, out)
                        print(label, mode, json.dumps(figures))
                        pstats.Stats(out).sort_stats("cumulative").print_stats(40)
                    continue
                runs = {"web": [], "api": []}
                # Alternating, so that both paths see the same load on this shared machine.
                for _ in range(args.repeat):
                    for mode in ("web", "api"):
                        figures = run_child(mode, csv_path, scratch.fresh(), args.batch)
                        print(label, mode, json.dumps(figures))
                        runs[mode].append(figures)
                for mode, found in runs.items():
                    figures = sorted(found, key=lambda f: f["total"])[len(found) // 2]
                    figures["all_totals"] = [round(f["total"], 2) for f in found]
                    results.append((label, mode, figures))
            finally:
                scratch.close()
    if args.profile:
        return
    load_after = os.getloadavg()
    report(results, args, load_before, load_after)


START, END = (
    "<!-- bench/api_ledger.py writes between these markers -->",
    "<!-- end of bench/api_ledger.py figures -->",
)


def environment(results, load_before, load_after) -> str:
    import sqlite3
    from importlib.metadata import version

    versions = [f"Python {sys.version.split()[0]}", f"SQLite {sqlite3.sqlite_version}"]
    if any(label == "PostgreSQL" for label, _mode, _f in results):
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
            server = conn.info.server_version
        versions.append(f"PostgreSQL {server // 10000}.{server % 10000}")
    versions += [f"Django {version('django')}", f"django-ninja {version('django-ninja')}"]
    return (
        f"Measured {dt.date.today().isoformat()} ({os.cpu_count()} cores, {', '.join(versions)}); "
        f"load average {load_before[0]:.1f} before and {load_after[0]:.1f} after (the machine is shared):"
    )


def table(results, batch: int) -> list[str]:
    lines = [
        "| database | path | rows stored | requests | upload s | check s | confirm s | total s | CPU s | rows/s "
        "| ÷ web | runs (total s) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    webs = {label: f["total"] for label, mode, f in results if mode == "web"}
    web_cpu = {label: f["cpu"] for label, mode, f in results if mode == "web"}
    for label, mode, f in results:
        name = (
            "web: one CSV file (portal's services)" if mode == "web" else f"API: JSON, {batch:,} rows a batch"
        )
        upload = "–" if f["upload"] is None else f"{f['upload']:.2f}"
        lines.append(
            f"| {label} | {name} | {f['stored']:,} | {f['requests'] or '–'} | {upload} | {f['check']:.2f} "
            f"| {f['confirm']:.2f} | {f['total']:.2f} | {f['cpu']:.2f} | {f['stored'] / f['total']:,.0f} "
            f"| {f['total'] / webs[label]:.2f} (CPU {f['cpu'] / web_cpu[label]:.2f}) "
            f"| {', '.join(str(t) for t in f['all_totals'])} |"
        )
    return lines


def verdicts(results) -> list[str]:
    lines = []
    totals = {(label, mode): f["total"] for label, mode, f in results}
    cpu = {(label, mode): f["cpu"] for label, mode, f in results}
    for label in dict.fromkeys(label for label, _m, _f in results):
        ratio = totals[(label, "api")] / totals[(label, "web")]
        met = "met" if ratio <= TARGET else "NOT met"
        lines.append(
            f"- {label}: API ÷ web = **{ratio:.2f}** (target ≤ {TARGET}: {met}); "
            f"CPU time {cpu[(label, 'api')] / cpu[(label, 'web')]:.2f}."
        )
    return lines


def report(results, args, load_before, load_after) -> None:
    lines = [
        environment(results, load_before, load_after),
        "",
        *table(results, args.batch),
        "",
        *verdicts(results),
    ]
    print()
    print("\n".join(lines))
    if args.write and args.rows == 100_000 and args.batch == 5_000:
        write_doc(lines)


def write_doc(lines: list[str]) -> None:
    """Replace the figures in docs/benchmarks.md (between the markers) with this run's."""
    write_between(START, END, lines)


if __name__ == "__main__":
    main()
