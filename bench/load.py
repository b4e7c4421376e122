"""The deadline-day load (issue 16, 3): the production stack on PostgreSQL and Redis, held for a
while by the month's last day's users, with locust (headless).

- four operator clerks (CMCC, CUCC, CTCC, CBN), each uploading a ledger of ``--rows`` complaints
  (100,000) through the API, then the monthly report of the month being filed (the sample's 16
  cities as JSON rows), waiting for each check, confirming it (every warning explained), then
  reading its versions;
- thirty administration users (the demo's staff and leader accounts, logged in through the
  form) browsing the home page, the lists with filters, the charts and the exports;
- ten API clients reading the indicators (/api/v1/indicators).

``python bench/load.py`` (``make bench-load``, run by ``make bench``) makes a database of its own
(``--database-url``, seeded with the demo data), starts ``deploy/serve.sh`` on ``--port``, runs
locust for ``--duration`` seconds (``LOAD_DURATION``, 300 by default), checks every upload was
checked and stored, prints p50, p95 and p99 for the pages and the API, requests per second and
the uploads completed, and writes them to docs/benchmarks.md between the markers
(``--no-write`` not). Run by ``make bench``, never by the tests.

With ``--url`` (``LOAD_URL``) it runs against a stack already started on ``--database-url``
(``make ci-stack``: deploy/ci-stack.sh) instead of starting its own; with ``--fail-on-errors`` it
exits 1 if any request failed or a clerk's ledger or report was not stored (latencies never fail
it: their targets are in docs/benchmarks.md).

This file is also the locustfile: locust imports it (``locust -f bench/load.py``) and finds the
users below; their tokens and files come from the environment ``main`` sets.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
START, END = "<!-- load:start -->", "<!-- load:end -->"
OPERATORS = ["CMCC", "CUCC", "CTCC", "CBN"]
DEMO_PASSWORD = "Demo-2026-sd"  # noqa: S105 - the demo accounts' published password
# Fewer users for a short check (make ci-stack): LOAD_BROWSERS, LOAD_API_CLIENTS (the clerks are four).
CLERKS = 4
BROWSERS = int(os.environ.get("LOAD_BROWSERS", 30))
API_CLIENTS = int(os.environ.get("LOAD_API_CLIENTS", 10))

# --- The users (locust imports this part) -------------------------------------------------------

try:
    from locust import HttpUser, between, task
except ImportError:  # main() only needs it in the locust process
    HttpUser = object  # type: ignore[misc,assignment]

    def task(weight=1):
        return (lambda f: f) if not callable(weight) else weight

    def between(a, b):
        return None


def _setting(name: str) -> dict:
    return json.loads(os.environ.get(name, "{}"))


# The tests' tokens, printed as JSON: {"CMCC": secret, …, "readers": [secret, …]}. Each API client
# is a system of its own with a read-only token of the staff's (the rate limit is per token).
MAKE_TOKENS = """
import json
from supervision.core import tokens
from supervision.core.models import User

users = {u.username: u for u in User.objects.filter(username__in=["cmcc", "cucc", "ctcc", "cbn", "staff"])}
made = {
    code: tokens.create(users[code.lower()], name="load test clerk", days=1)[1]
    for code in ["CMCC", "CUCC", "CTCC", "CBN"]
}
made["readers"] = [
    tokens.create(users["staff"], name=f"load reader {i}", read_only=True, days=1)[1]
    for i in range(%(readers)d)
]
print(json.dumps(made))
"""


def reconnect_like_a_browser(session) -> None:
    """A GET sent on a kept-alive connection just as the server closed it is sent again once, on a
    new connection, as browsers do. gunicorn closes a connection idle for ``keepalive`` seconds
    (deploy/gunicorn.conf.py: 5); a client whose next request leaves at that very moment gets
    "Remote end closed connection without response" (seen once in a minute of CI's load, from a
    clerk waiting 5-10 s). Behind nginx, as in production, nginx makes the same retry. Only GET:
    an upload or a confirmation is never sent twice, and fails the run if it meets that moment."""
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    again = Retry(
        total=1, connect=1, read=1, status=0, other=0, allowed_methods={"GET"}, raise_on_status=False
    )
    session.mount("http://", HTTPAdapter(max_retries=again))


if HttpUser is not object:
    _CLERK_QUEUE = list(OPERATORS)
    _READER_QUEUE = list(_setting("LOAD_TOKENS").get("readers", []))

    class Clerk(HttpUser):
        """An operator's reporting clerk: its ledger and its monthly report uploaded, checked and
        confirmed (every warning explained), then reading its versions."""

        fixed_count = CLERKS
        wait_time = between(5, 10)

        def on_start(self):
            reconnect_like_a_browser(self.client)
            self.operator = _CLERK_QUEUE.pop(0) if _CLERK_QUEUE else random.choice(OPERATORS)
            self.headers = {"Authorization": f"Bearer {_setting('LOAD_TOKENS')[self.operator]}"}
            self.uploaded = False

        def confirm(self, answer, what: str) -> None:
            """Wait for the check of the upload ``answer`` started, then confirm it."""
            if answer.status_code not in (201, 202):
                return
            upload = answer.json()
            while upload["state"] == "checking":
                time.sleep(3)
                answer = self.client.get(
                    f"/api/v1/uploads/{upload['id']}", headers=self.headers, name="upload: progress"
                )
                if answer.status_code == 200:  # a failed poll is counted by locust; ask again
                    upload = answer.json()
            warnings = [p for p in upload.get("problems", []) if p.get("kind") == "warning"]  # each explained
            self.client.post(
                f"/api/v1/uploads/{upload['id']}/confirm",
                json={"explanations": {str(p["index"]): "月末集中补录" for p in warnings}},
                headers=self.headers,
                name=f"upload: confirm {what}",
            )

        @task
        def work(self):
            if self.uploaded:
                self.client.get("/api/v1/submissions", headers=self.headers, name="api: submissions")
                return
            self.uploaded = True
            path = _setting("LOAD_FILES")[self.operator]
            with open(path, "rb") as f:
                answer = self.client.post(
                    "/api/v1/ledgers/file",
                    files={"ledger": (os.path.basename(path), f, "text/csv")},
                    headers=self.headers,
                    name="upload: ledger file",
                )
            self.confirm(answer, "ledger")
            # The month being filed: its figures (the 16 cities), as the operator's system sends them.
            answer = self.client.post(
                "/api/v1/monthly-reports",
                json={
                    "period": _setting("LOAD_MONTH"),
                    "figures": _setting("LOAD_FIGURES"),
                    "narrative": "本月携号转网工作平稳有序。",
                },
                headers=self.headers,
                name="upload: monthly report",
            )
            self.confirm(answer, "monthly report")

    class Administration(HttpUser):
        """The administration's staff and leadership reading the dashboard."""

        fixed_count = BROWSERS
        wait_time = between(1, 3)

        def on_start(self):
            reconnect_like_a_browser(self.client)
            username = random.choice(["staff", "leader"])
            self.client.get("/accounts/login/", name="log-in")
            token = self.client.cookies.get("csrftoken", "")
            with self.client.post(
                "/accounts/login/",
                {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
                headers={"Referer": self.host + "/accounts/login/"},
                name="log-in",
                catch_response=True,
            ) as answer:
                # Signed in: redirected to the dashboard (not back to the form, nor to a second step).
                if not answer.url.rstrip("/").endswith("/dashboard"):
                    answer.failure(f"log-in of {username} ended on {answer.url}")

        @task(4)
        def home(self):
            self.client.get("/dashboard/", name="page: home")

        @task(3)
        def complaints(self):
            city = random.choice(["370100", "370200", "370700"])
            self.client.get(
                f"/dashboard/complaints/?operator={random.choice(OPERATORS)}&city={city}",
                name="page: complaints, filtered",
            )

        @task(2)
        def orders(self):
            self.client.get("/dashboard/orders/?state=open", name="page: orders, open")

        @task(2)
        def charts(self):
            self.client.get("/dashboard/charts/", name="page: charts")

        @task(1)
        def export(self):
            self.client.get("/dashboard/orders/?export=xlsx", name="export: orders .xlsx")

    class ApiReader(HttpUser):
        """A system of the administration reading the indicators."""

        fixed_count = API_CLIENTS
        wait_time = between(1, 2)

        def on_start(self):
            reconnect_like_a_browser(self.client)
            token = (
                _READER_QUEUE.pop(0) if _READER_QUEUE else random.choice(_setting("LOAD_TOKENS")["readers"])
            )
            self.headers = {"Authorization": f"Bearer {token}"}

        @task
        def indicators(self):
            month = _setting("LOAD_MONTH") or "2026-10"
            self.client.get(
                f"/api/v1/indicators?month={month}&by={random.choice(['operator', 'city'])}",
                headers=self.headers,
                name="api: indicators",
            )


# --- Running it ---------------------------------------------------------------------------------


def write_ledger(path: Path, operator: str, rows: int, today: dt.date) -> None:
    """``rows`` complaints of this month (up to yesterday), with numbers of this run's own."""
    from bench.ingest import CATEGORIES, CHANNELS, CITIES, HEADERS, SATISFACTION, SUMMARIES

    rnd = random.Random(operator)
    run = int(time.time()) % 100000
    first = today.replace(day=1)
    days = max(1, (today - first).days)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADERS)
        for i in range(1, rows + 1):
            received = first + dt.timedelta(days=rnd.randrange(days))
            resolved = rnd.random() < 0.7
            writer.writerow(
                [
                    f"{operator}-L{run:05d}-{i:06d}",
                    received.isoformat(),
                    rnd.choice(CITIES),
                    rnd.choice(CHANNELS),
                    rnd.choice(CATEGORIES),
                    f"1{rnd.randint(30, 99)}****{rnd.randint(0, 9999):04d}",
                    rnd.choice(SUMMARIES),
                    "已办结" if resolved else "处理中",
                    received.isoformat() if resolved else "",
                    "已向用户解释并协助办理携出" if resolved else "",
                    rnd.choice(SATISFACTION) if resolved else "",
                ]
            )


def manage(env, *args, capture=False) -> str:
    out = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, text=True,
        capture_output=capture, timeout=1800,
    )  # fmt: skip
    return out.stdout if capture else ""


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def count_stored(url: str, since: dt.datetime) -> tuple[int, int, int]:
    """(ledger uploads stored, monthly-report versions confirmed, uploads still being checked),
    all since ``since``."""
    import psycopg

    with psycopg.connect(url) as conn:
        ledgers = conn.execute("SELECT count(*) FROM reporting_ledgerupload WHERE uploaded_at >= %s", [since])
        reports = conn.execute(
            "SELECT count(*) FROM reporting_monthlysubmission WHERE confirmed_at >= %s", [since]
        )
        checking = conn.execute(
            "SELECT count(*) FROM reporting_pendingupload WHERE state = 'checking' AND created_at >= %s",
            [since],
        )
        return ledgers.fetchone()[0], reports.fetchone()[0], checking.fetchone()[0]


def wait_until_up(url: str, seconds: int = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/accounts/login/", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(2)
    raise SystemExit(f"the stack did not answer at {url} within {seconds} s")


def read_stats(prefix: Path) -> dict:
    rows = list(csv.DictReader((prefix.parent / f"{prefix.name}_stats.csv").open(encoding="utf-8")))
    return {row["Name"]: row for row in rows}


def figures(stats: dict, names: list[str]) -> dict:
    """Weighted over ``names``: requests, failures, p50/p95/p99 (the worst of the rows), rps."""
    rows = [stats[n] for n in names if n in stats]
    if not rows:
        return {}
    return {
        "requests": sum(int(r["Request Count"]) for r in rows),
        "failures": sum(int(r["Failure Count"]) for r in rows),
        "p50": max(float(r["50%"]) for r in rows),
        "p95": max(float(r["95%"]) for r in rows),
        "p99": max(float(r["99%"]) for r in rows),
        "rps": sum(float(r["Requests/s"]) for r in rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=int(os.environ.get("LOAD_DURATION", 300)))
    parser.add_argument("--rows", type=int, default=int(os.environ.get("LOAD_ROWS", 100_000)))
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", 8400)))
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL", "postgres://root@127.0.0.1:5432/supervision_load"),
    )
    parser.add_argument("--redis-url", default=os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/5"))
    parser.add_argument("--no-write", action="store_true", help="print the figures only")
    parser.add_argument("--url", default=os.environ.get("LOAD_URL", ""), help="a stack already running")
    parser.add_argument("--fail-on-errors", action="store_true", help="exit 1 on a failed request")
    parser.add_argument(
        "--store-wait", type=int, default=int(os.environ.get("LOAD_STORE_WAIT", 900)),
        help="seconds to wait after the run for the uploads to be stored",
    )  # fmt: skip
    args = parser.parse_args()

    sys.path.insert(0, str(BASE_DIR))
    var = BASE_DIR / "var" / "load"
    var.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DEBUG": "false",
        "PORT": str(args.port),
        "VAR_DIR": str(var),
        "SEED_DEMO": "true",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
    }
    # The demo's staff and leader have no authenticator app: one-step log-in for them in this run
    # (production asks the administration for two; the second step costs one page at log-in).
    env.setdefault("REQUIRE_2FA_FOR_ADMINISTRATION", "false")
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    if not args.url:  # a running stack (make ci-stack) has its database migrated and seeded
        ensure_database(args.database_url)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo", "--if-empty")
    # In one process: a token for each operator's reporting clerk, and one for each API client.
    made = manage(env, "shell", "--no-imports", "-c", MAKE_TOKENS % {"readers": API_CLIENTS}, capture=True)
    tokens = json.loads(made.strip().splitlines()[-1])
    today = dt.date.today()
    files = {}
    for operator in OPERATORS:
        path = var / f"ledger-{operator}.csv"
        write_ledger(path, operator, args.rows, today)
        files[operator] = str(path)
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    # The monthly report's figures: the sample report's 16 cities (../shared/samples), as JSON rows.
    sample_figures = manage(
        env, "shell", "--no-imports", "-c",
        "import json; from tests.api.helpers import figure_rows; from tests.conftest import SAMPLES; "
        "print(json.dumps(figure_rows(SAMPLES), default=str))",
        capture=True,
    )  # fmt: skip
    env.update(
        LOAD_TOKENS=json.dumps(tokens),
        LOAD_FILES=json.dumps(files),
        LOAD_MONTH=json.dumps(last_month),
        LOAD_FIGURES=sample_figures.strip().splitlines()[-1],
    )

    url = args.url.rstrip("/") or f"http://127.0.0.1:{args.port}"
    started = dt.datetime.now(dt.UTC)
    stack = None
    if not args.url:
        stack = subprocess.Popen(
            ["deploy/serve.sh"], cwd=BASE_DIR, env=env, start_new_session=True,
            stdout=(var / "serve.log").open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_until_up(url)
        prefix = var / "stats"
        subprocess.run(
            [str(Path(sys.executable).parent / "locust"), "-f", str(Path(__file__).resolve()), "--headless",
             "-u", str(CLERKS + BROWSERS + API_CLIENTS), "-r", "10", "-t", f"{args.duration}s",
             "--host", url, "--csv", str(prefix), "--only-summary", "--stop-timeout", "600"],
            cwd=BASE_DIR, env=env, timeout=args.duration + 1800,
        )  # fmt: skip
        # Every upload checked and stored: wait for the ones confirmed at the end.
        deadline = time.monotonic() + args.store_wait
        stored = count_stored(args.database_url, started)
        while (min(stored[:2]) < len(OPERATORS) or stored[2]) and time.monotonic() < deadline:
            time.sleep(5)
            stored = count_stored(args.database_url, started)
    finally:
        if stack is not None:
            # deploy/serve.sh stops what it started (TERM once each, KILL after a minute).
            stack.send_signal(signal.SIGTERM)
            try:
                stack.wait(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(stack.pid, signal.SIGKILL)
                stack.wait(timeout=30)
    stats = read_stats(prefix)
    pages = figures(stats, [n for n in stats if n.startswith(("page:", "export:"))])
    api = figures(stats, [n for n in stats if n.startswith("api:")])
    uploads = figures(stats, [n for n in stats if n.startswith("upload:")])
    logins = figures(stats, ["log-in"])
    total = stats.get("Aggregated", {})
    report(args, pages, api, uploads, logins, total, stored)
    if args.fail_on_errors:
        failed = int(total.get("Failure Count", 0)) if total else 0
        if not total or failed:
            raise SystemExit(
                f"load: {failed} failed requests" + ("" if total else "; locust wrote no figures")
            )
        if min(stored[:2]) < CLERKS:
            raise SystemExit(
                f"load: of {CLERKS} clerks' uploads, {stored[0]} ledgers and {stored[1]} reports stored"
            )


def report(args, pages, api, uploads, logins, total, stored) -> None:
    load = os.getloadavg()
    lines = [
        f"Run of {dt.date.today():%Y-%m-%d}: {args.duration} s, {CLERKS} clerks uploading a "
        f"{args.rows:,}-row ledger and a monthly report each, {BROWSERS} administration users, {API_CLIENTS} API clients; "
        f"load average at the end {load[0]:.1f} on {os.cpu_count()} cores.",
        "",
        "| requests | count | failed | p50 ms | p95 ms | p99 ms | req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, f in (
        ("pages and exports", pages),
        ("API reads", api),
        ("uploads (post, progress, confirm)", uploads),
        ("log-in (form and password check: slow by design, once a session)", logins),
    ):
        if f:
            lines.append(
                f"| {label} | {f['requests']} | {f['failures']} | {f['p50']:.0f} | {f['p95']:.0f} | "
                f"{f['p99']:.0f} | {f['rps']:.1f} |"
            )
    if total:
        lines.append(
            f"| all | {total['Request Count']} | {total['Failure Count']} | {float(total['50%']):.0f} | "
            f"{float(total['95%']):.0f} | {float(total['99%']):.0f} | {float(total['Requests/s']):.1f} |"
        )
    lines += [
        "",
        f"Ledgers checked and stored: {stored[0]} of {CLERKS}; monthly reports checked and confirmed: "
        f"{stored[1]} of {CLERKS}; uploads still being checked: {stored[2]}.",
    ]
    print("\n".join(lines))
    if args.no_write:
        return
    from bench.markers import write_between

    write_between(START, END, lines)


if __name__ == "__main__":
    main()
