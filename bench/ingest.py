"""Benchmark: import a 100,000-row complaint ledger, as .xlsx and as .csv, against the floor.

    .venv/bin/python bench/ingest.py [--rows 100000]

For each database (a scratch SQLite file; and PostgreSQL too when DATABASE_URL is set, in a
scratch database created beside the one it names), each measurement runs in its own child
process on a freshly migrated database:

- ``floor``: the same rows, already in database form, inserted with the driver alone
  (sqlite3 ``executemany``; psycopg ``executemany`` and ``COPY``), in one transaction;
- ``csv`` and ``xlsx``: the file's bytes through the pipeline the portal and the commands use:
  ``read_sheet`` → ``validate_ledger`` → ``store_ledger``.

Memory is the child's peak resident set size (``resource.getrusage(RUSAGE_SELF).ru_maxrss``):
what the operating system had to give the process, interpreter, Django and all, measured at
full speed. ``tracemalloc`` is not used for the figures: it counts only Python allocations
(not calamine's Rust buffers) and slowed the xlsx read sevenfold here. The baseline (the
child's peak after Django's setup and the migrations, before the import) is printed too.

Run by ``make bench``, never by the tests.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.markers import write_between  # noqa: E402

HEADERS = [
    "投诉编号",
    "受理日期",
    "地市",
    "投诉渠道",
    "投诉类别",
    "用户号码",
    "投诉内容",
    "处理状态",
    "办结日期",
    "处理结果",
    "用户满意度",
]
CITIES = ["济南市", "青岛市", "淄博市", "枣庄市", "东营市", "烟台市", "潍坊市", "济宁市",
          "泰安市", "威海市", "日照市", "临沂市", "德州市", "聊城市", "滨州市", "菏泽市"]  # fmt: skip
CHANNELS = ["工信部申诉", "管局转办", "客服热线", "营业厅", "网上营业厅", "媒体舆情", "其他"]
CATEGORIES = ["BL1", "BL2", "BL3", "BL4", "BL5", "BL6", "SVC", "OTHER"]
SUMMARIES = [
    '用户申请授权码时系统提示"业务受限",营业员称需先取消融合套餐',
    "他网营业员承诺携入即送终身免费流量",
    "携出办理时长超过承诺时限",
    "客服称携号转网后原号码无法接收银行验证码",
    "用户反映营业员称携入用户计入个人业绩",
    "用户称有人以代办为由诱导其向管局申诉",
]
SATISFACTION = ["满意", "基本满意", "不满意", "未回访"]
OPERATOR = "CMCC"
TODAY = dt.date(2026, 11, 28)


# --- Data ---------------------------------------------------------------------------------------


def ledger_rows(count: int, seed: int = 2026):
    """The same rows every time: (complaint_no, received_on, city, channel, category, …)."""
    rnd = random.Random(seed)
    for i in range(1, count + 1):
        received = dt.date(2026, 10, rnd.randint(1, 31))
        resolved = rnd.random() < 0.7
        yield (
            f"CMCC-202610-{i:06d}",
            received,
            rnd.choice(CITIES),
            rnd.choice(CHANNELS),
            rnd.choice(CATEGORIES),
            f"1{rnd.randint(30, 99)}****{rnd.randint(0, 9999):04d}",
            f"{rnd.choice(SUMMARIES)}(工单{rnd.randint(100000, 999999)})",
            "已办结" if resolved else "处理中",
            received + dt.timedelta(days=rnd.randint(0, 20)) if resolved else None,
            "已向用户解释并协助办理携出" if resolved else "",
            rnd.choice(SATISFACTION) if resolved else "",
        )


def write_csv(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADERS)
        for row in ledger_rows(count):
            writer.writerow(
                [(v.isoformat() if isinstance(v, dt.date) else v) if v is not None else "" for v in row]
            )


def write_xlsx(path: Path, count: int) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("投诉台账")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_string(0, 0, "中国移动 携号转网投诉台账(基准测试)")
    sheet.write_row(1, 0, HEADERS)
    for r, row in enumerate(ledger_rows(count), start=2):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            elif value:
                sheet.write_string(r, c, value)
    workbook.close()


# --- Databases ----------------------------------------------------------------------------------


def postgres_urls(url: str, suffix: str) -> tuple[str, str]:
    """(the URL given, a URL for a scratch database beside the one it names)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    name = (parts.path.lstrip("/") or "postgres") + suffix
    return name, urlunsplit(parts._replace(path="/" + name))


def postgres(admin_url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


class Scratch:
    """Fresh, migrated databases: migrated once into a template, then copied for each run."""

    def __init__(self, directory: Path, url: str | None, env: dict):
        self.directory, self.url, self.env = directory, url, env
        self.count = 0
        if url is None:
            self.template = directory / "template.sqlite3"
            run_child("migrate", Path("-"), self.env_for_sqlite(self.template))
        else:
            self.template, template_url = postgres_urls(url, "_bench_ingest_template")
            postgres(url, f'DROP DATABASE IF EXISTS "{self.template}"', f'CREATE DATABASE "{self.template}"')
            run_child("migrate", Path("-"), dict(env, DATABASE_URL=template_url))

    def env_for_sqlite(self, path: Path) -> dict:
        env = dict(self.env, SQLITE_PATH=str(path))
        env.pop("DATABASE_URL", None)
        return env

    def fresh(self) -> dict:
        """The environment for a child that runs on a fresh copy of the template."""
        self.count += 1
        if self.url is None:
            path = self.directory / f"run{self.count}.sqlite3"
            shutil.copyfile(self.template, path)
            return self.env_for_sqlite(path)
        name, url = postgres_urls(self.url, "_bench_ingest")
        postgres(
            self.url,
            f'DROP DATABASE IF EXISTS "{name}"',
            f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"',
        )
        return dict(self.env, DATABASE_URL=url)

    def close(self) -> None:
        if self.url is not None:
            name, _url = postgres_urls(self.url, "_bench_ingest")
            postgres(
                self.url, f'DROP DATABASE IF EXISTS "{name}"', f'DROP DATABASE IF EXISTS "{self.template}"'
            )


# --- Child: one measurement on a fresh database -------------------------------------------------


def child(mode: str, path: str) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supervision.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if mode == "migrate":
        call_command("migrate", verbosity=0)
        return {}
    connection.ensure_connection()
    baseline = _maxrss_mb()
    data = Path(path).read_bytes() if mode != "floor" else b""
    figures = floor(connection) if mode == "floor" else pipeline(data, Path(path).name)
    figures["baseline_mb"] = baseline
    figures["peak_mb"] = _maxrss_mb()
    figures["vendor"] = connection.vendor
    return figures


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def pipeline(data: bytes, name: str) -> dict:
    from supervision.core.models import Operator
    from supervision.ingest import Reference, read_sheet
    from supervision.reporting.ingest import validate_ledger
    from supervision.reporting.ingest.store import file_sha256, store_ledger
    from supervision.reporting.models import ComplaintRecord

    operator = Operator.objects.get(code=OPERATOR)
    t0 = time.perf_counter()
    sheet = read_sheet(data, name)
    t1 = time.perf_counter()
    result = validate_ledger(sheet, today=TODAY, reference=Reference.load())
    t2 = time.perf_counter()
    if not result.ok:
        raise SystemExit("\n".join(str(p) for p in result.errors[:20]))
    upload = store_ledger(result, operator=operator, user=None, file_name=name, sha256=file_sha256(data))
    t3 = time.perf_counter()
    assert upload.rows_added == len(result.records) == ComplaintRecord.objects.count()
    return {
        "rows": len(result.records),
        "read": t1 - t0,
        "validate": t2 - t1,
        "store": t3 - t2,
        "total": t3 - t0,
    }


def floor(connection) -> dict:
    """The driver alone inserting the same rows, already in database form, in one transaction."""
    from supervision.core.models import City, Operator, ViolationCategory
    from supervision.reporting.ingest.ledger import CHANNELS, SATISFACTION, STATUSES
    from supervision.reporting.models import ComplaintRecord

    operator_id = Operator.objects.get(code=OPERATOR).pk
    cities = dict(City.objects.values_list("name_zh", "id"))
    categories = dict(ViolationCategory.objects.values_list("code", "id"))
    count = int(os.environ["BENCH_ROWS"])
    vendor = connection.vendor
    as_date = (lambda d: d.isoformat() if d else None) if vendor == "sqlite" else (lambda d: d)
    rows = [
        (operator_id, no, as_date(received), cities[city], CHANNELS.get(channel), categories[category], msisdn,
         summary, STATUSES.get(status), as_date(resolved), resolution, SATISFACTION.get(sat) or "")
        for no, received, city, channel, category, msisdn, summary, status, resolved, resolution, sat
        in ledger_rows(count)
    ]  # fmt: skip
    columns = ["operator_id", "complaint_no", "received_on", "city_id", "channel", "category_id", "msisdn_masked",
               "summary", "status", "resolved_on", "resolution", "satisfaction"]  # fmt: skip
    table = ComplaintRecord._meta.db_table
    settings = connection.settings_dict
    connection.close()  # the driver alone, on its own connection
    figures = {"rows": count}
    if vendor == "sqlite":
        import sqlite3

        db = sqlite3.connect(settings["NAME"], isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        t0 = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.executemany(sql, rows)
        db.execute("COMMIT")
        figures["executemany"] = time.perf_counter() - t0
        figures["floor"] = figures["executemany"]
        db.close()
    else:
        import psycopg

        dsn = os.environ["DATABASE_URL"]
        with psycopg.connect(dsn) as db:
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
            t0 = time.perf_counter()
            with db.cursor() as cursor:
                cursor.executemany(sql, rows)
            db.commit()
            figures["executemany"] = time.perf_counter() - t0
            db.execute(f"TRUNCATE {table} CASCADE")
            db.commit()
            t0 = time.perf_counter()
            with (
                db.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            db.commit()
            figures["copy"] = time.perf_counter() - t0
        figures["floor"] = min(figures["executemany"], figures["copy"])
    figures["total"] = figures["floor"]
    return figures


# --- Parent -------------------------------------------------------------------------------------


def run_child(mode: str, path: Path, env: dict) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--path", str(path)],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{out.stdout}\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is reported")
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
        print(json.dumps(child(args.child, args.path)))
        return

    data_dir = BASE_DIR / "var" / "bench"
    data_dir.mkdir(parents=True, exist_ok=True)
    files = {"csv": data_dir / f"ledger_{args.rows}.csv", "xlsx": data_dir / f"ledger_{args.rows}.xlsx"}
    for kind, path in files.items():
        if not path.exists():
            t0 = time.perf_counter()
            (write_csv if kind == "csv" else write_xlsx)(path, args.rows)
            print(
                f"generated {path.name} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s"
            )

    env = dict(os.environ, BENCH_ROWS=str(args.rows), DJANGO_SETTINGS_MODULE="supervision.settings")
    databases = [("SQLite", None)]
    if os.environ.get("DATABASE_URL"):
        databases.append(("PostgreSQL", os.environ["DATABASE_URL"]))
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as directory:
        for label, url in databases:
            scratch = Scratch(Path(directory), url, env)
            try:
                for mode in ("floor", "csv", "xlsx"):
                    runs = [
                        run_child(mode, files.get(mode, Path("-")), scratch.fresh())
                        for _ in range(args.repeat)
                    ]
                    # The run with the median total: this shared machine's disk is noisy.
                    figures = sorted(runs, key=lambda f: f["total"])[len(runs) // 2]
                    figures["all_totals"] = [round(f["total"], 2) for f in runs]
                    results.append((label, mode, figures))
                    print(label, mode, json.dumps(figures))
            finally:
                scratch.close()
    report(results, args.rows, files, args.repeat, write=args.write and args.rows == 100_000)


START, END = (
    "<!-- bench/ingest.py writes between these markers -->",
    "<!-- end of bench/ingest.py figures -->",
)


def environment(results) -> str:
    import sqlite3
    from importlib.metadata import version

    versions = [f"Python {sys.version.split()[0]}", f"SQLite {sqlite3.sqlite_version}"]
    if any(label == "PostgreSQL" for label, _mode, _f in results):
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
            server = conn.info.server_version
        versions.append(f"PostgreSQL {server // 10000}.{server % 10000}")
    versions += [f"Django {version('django')}", f"python-calamine {version('python-calamine')}"]
    return f"Measured {dt.date.today().isoformat()} ({os.cpu_count()} cores, {', '.join(versions)}):"


def write_doc(lines: list[str]) -> None:
    """Replace the figures in docs/benchmarks.md (between the markers) with this run's."""
    write_between(START, END, lines)


def report(results, rows: int, files: dict, repeat: int, write: bool) -> None:
    lines = [environment(results), "", *table(results)]
    print()
    print(f"{rows:,} complaint rows; csv {files['csv'].stat().st_size / 1e6:.1f} MB, "
          f"xlsx {files['xlsx'].stat().st_size / 1e6:.1f} MB; median of {repeat} runs, each on a fresh database")  # fmt: skip
    print()
    print("\n".join(lines))
    if write:
        write_doc(lines)


def table(results) -> list[str]:
    """The figures as a Markdown table, one line per measurement."""
    lines = [
        "| database | input | read s | validate s | store s | total s | rows/s | peak RSS MB (baseline) "
        "| store ÷ floor | total ÷ floor |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    floors = {label: figures["floor"] for label, mode, figures in results if mode == "floor"}
    for label, mode, f in results:
        memory = f"{f['peak_mb']:.0f} ({f['baseline_mb']:.0f})"
        if mode == "floor":
            detail = f"executemany {f['executemany']:.2f} s" + (
                f", COPY {f['copy']:.2f} s" if "copy" in f else ""
            )
            lines.append(
                f"| {label} | floor (driver alone: {detail}) | – | – | {f['floor']:.2f} | {f['floor']:.2f} "
                f"| {f['rows'] / f['floor']:,.0f} | {memory} | 1.0 | 1.0 |"
            )
            continue
        floor_s = floors[label]
        lines.append(
            f"| {label} | {mode} | {f['read']:.2f} | {f['validate']:.2f} | {f['store']:.2f} | {f['total']:.2f} "
            f"| {f['rows'] / f['total']:,.0f} | {memory} | {f['store'] / floor_s:.1f} | {f['total'] / floor_s:.1f} |"
        )
    return lines


if __name__ == "__main__":
    main()
