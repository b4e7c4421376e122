"""Which application server: gunicorn or granian, under the same small load (issue 16, 1).

Starts each server in turn on the demo data (``VAR_DIR`` with a seeded database: ``make serve``'s
or ``seed_demo``'s), with DEBUG off and the same number of processes and threads, signs a staff
user in, and sends ``--clients`` concurrent clients through the home page and the complaints list
(with a filter) for ``--seconds``, only to 127.0.0.1. Prints requests per second, p50, p95, p99
and errors for each; ``--write`` puts the table into docs/benchmarks.md under "Application server".

    VAR_DIR=/tmp/demo .venv/bin/python bench/appserver.py --seconds 30 --clients 8 --write
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))

from bench.markers import write_between  # noqa: E402

PAGES = ["/dashboard/", "/dashboard/complaints/?operator=CMCC&status=open", "/dashboard/complaints/"]
HOST, PORT = "127.0.0.1", 8799


def server_command(name: str, workers: int, threads: int) -> list[str]:
    if name == "gunicorn":
        return [
            str(VENV / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "supervision.wsgi",
            "--bind", f"{HOST}:{PORT}", "--workers", str(workers), "--threads", str(threads),
        ]  # fmt: skip
    if name == "granian":
        return [
            str(VENV / "granian"), "--interface", "wsgi", "--host", HOST, "--port", str(PORT),
            "--workers", str(workers), "--blocking-threads", str(threads), "--no-ws",
            "supervision.wsgi:application",
        ]  # fmt: skip
    raise ValueError(name)


def wait_for(path="/healthz", seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=5)
            conn.request("GET", path)
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer on {HOST}:{PORT}")


def log_in(username: str, password: str) -> str:
    """The session cookie of a signed-in user."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
    conn.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": f"http://{HOST}:{PORT}/accounts/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie", "") or "")
    if response.status != 302 or not session:
        raise SystemExit(f"log-in as {username} failed: {response.status}")
    return f"sessionid={session.group(1)}"


def load(cookie: str, clients: int, seconds: float) -> dict:
    timings, errors = [], []
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def client(n):
        conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        i = n
        while time.monotonic() < stop:
            path = PAGES[i % len(PAGES)]
            i += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException) as error:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
                response = error
            elapsed = time.perf_counter() - started
            with lock:
                (timings if ok else errors).append(elapsed if ok else repr(response))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timings.sort()
    q = statistics.quantiles(timings, n=100) if len(timings) > 1 else [0] * 99
    return {
        "requests": len(timings),
        "rps": len(timings) / seconds,
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "p99": q[98] * 1000,
        "errors": len(errors),
    }


def measure(name: str, args) -> dict:
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "REQUIRE_2FA_FOR_ADMINISTRATION": "false",
        "AXES_FAILURE_LIMIT": "1000",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        server_command(name, args.workers, args.threads),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for()
        cookie = log_in(args.user, args.password)
        load(cookie, args.clients, 5)  # warm-up: every process imports and fills its caches
        return load(cookie, args.clients, args.seconds)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", default="gunicorn,granian")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--user", default="staff")
    parser.add_argument("--password", default="Demo-2026-sd")
    parser.add_argument("--write", action="store_true", help="write the table into docs/benchmarks.md")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supervision.settings")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50)},
        check=True,
    )
    rows = []
    for name in args.servers.split(","):
        if name == "granian" and not shutil.which("granian", path=str(VENV)):
            print("granian is not installed in .venv: skipped")
            continue
        result = measure(name, args)
        rows.append((name, result))
        print(
            f"{name}: {result['rps']:.1f} req/s, p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, "
            f"p99 {result['p99']:.0f} ms, {result['errors']} errors ({result['requests']} requests)"
        )
    if args.write and rows:
        database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
        table = [
            f"Measured {time.strftime('%Y-%m-%d')} on this 2-core machine, {database}, demo data, DEBUG off: "
            f"{args.workers} processes × {args.threads} threads each, {args.clients} clients signed in as "
            f"`{args.user}` for {args.seconds:.0f} s after a 5 s warm-up, round-robin over "
            + ", ".join(f"`{p}`" for p in PAGES)
            + ":",
            "",
            "| server | requests/s | p50 ms | p95 ms | p99 ms | errors |",
            "|---|---|---|---|---|---|",
            *(
                f"| {name} | {r['rps']:.1f} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | {r['errors']} |"
                for name, r in rows
            ),
        ]
        write_between(
            "<!-- bench/appserver.py writes between these markers -->",
            "<!-- end of bench/appserver.py figures -->",
            table,
        )


if __name__ == "__main__":
    main()
