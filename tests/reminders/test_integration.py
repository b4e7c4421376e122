"""Reminders for real: a Celery worker and beat in subprocesses, Redis, an SMTP server on loopback.

Nothing here runs in eager mode and nothing is mocked. The processes share a scratch SQLite file
(not pytest-django's test database: this test uses no ``db`` fixture); data is set up through
``manage.py shell -c`` and the database is read through a plain sqlite3 connection. The
reminders' clock is the file named by ``REMINDERS_CLOCK_FILE``, which the test rewrites to move
the time of every process at once.

The story, for the China Broadnet (CBN) report of 2026-10, due 2026-10-31 23:59:59 Asia/Shanghai
(reminders 3 days before, on the day, then daily):

1. 2026-10-27: several scans, no mail.
2. 2026-10-28: exactly one mail, and still one after several more scans.
3. 2026-10-31, 31 recipients: the worker is killed mid-batch (SIGKILL) and a new one started;
   the claims of the dead worker are released once the clock passes ``STALE_CLAIM``; everyone
   gets exactly one mail (a mail the server had accepted just before the kill could come twice:
   at most as many as were in flight, and the test prints them).
4. 2026-11-01, on a Redis of its own: the Redis server is killed mid-batch (every queued task
   is lost) and restarted empty; everyone still gets exactly one "late" mail.

Phases 1–3 run against the machine's Redis on 127.0.0.1:6379 (a database number of its own,
emptied first); under CI an unreachable Redis fails the test, elsewhere it skips it.
"""

import contextlib
import datetime as dt
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from shutil import which

import pytest

from supervision.reminders.services import STALE_CLAIM
from tests.builders import copy_migrated_database

from .smtp import SmtpServer, free_port

# Real worker, beat, Redis and SMTP processes: `make test` runs it, `make test-fast` does not.
# Its processes share a SQLite file of their own whatever the suite's database: on the run with
# DATABASE_URL (CI's PostgreSQL + Redis run) it would tell the SQLite run's story again, the same
# Redis included, for 45 s.
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")),
        reason="runs once, on the run without DATABASE_URL: its processes use a SQLite file of their own",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# Databases of the machine's Redis this test may take, one per concurrent run (a lock key in it).
REDIS_DBS = range(7, 16)
LOCK_KEY = "supervision:reminders-integration-test"
SCAN_SECONDS = 1
CONCURRENCY = 2
SMTP_DELAY = 0.3  # seconds the server takes per mail, before accepting it
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
EXTRA_RECIPIENTS = 30
FIRST = "cbn_first@example.cn"
OTHERS = [f"cbn_{n:02d}@example.cn" for n in range(1, EXTRA_RECIPIENTS + 1)]
EVERYONE = [FIRST, *OTHERS]


def reminder(day: str) -> str:
    return f"report_due/report:CBN:2026-10/{day}"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str):
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the reminders' integration test must run)")
    pytest.skip(reason)


# --- Redis: the machine's server, and one of the test's own --------------------------------------


def claim_redis_db():
    """Take a free database number on the machine's Redis (locked for this run) and empty it."""
    import redis

    token = uuid.uuid4().hex
    try:
        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        unavailable(f"Redis is not reachable on {REDIS_HOST}:{REDIS_PORT}: {error}")
    for number in REDIS_DBS:
        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=number, socket_connect_timeout=2)
        if client.set(LOCK_KEY, token, nx=True, ex=900):
            for key in client.scan_iter(count=1000):
                if key != LOCK_KEY.encode():
                    client.delete(key)
            return number, client, token
    pytest.fail(f"every Redis database {REDIS_DBS.start}–{REDIS_DBS.stop - 1} is taken by another run")


def release_redis_db(client, token):
    for key in client.scan_iter(count=1000):
        if key != LOCK_KEY.encode():
            client.delete(key)
    if client.get(LOCK_KEY) == token.encode():
        client.delete(LOCK_KEY)


class OwnRedis:
    """A redis-server of the test's own, without persistence: killing it loses every message."""

    def __init__(self, processes, tmp: Path):
        self.processes, self.tmp, self.port = processes, tmp, free_port()
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        import redis

        self.process = self.processes.start(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ]
            + ["--daemonize", "no", "--dir", str(self.tmp)],
            env=os.environ.copy(),
        )
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1)

        def answers():
            try:
                return client.ping()
            except redis.RedisError:
                return False

        wait_for(answers, 20, f"the test's redis-server on port {self.port} to answer")

    def kill(self):
        self.processes.kill(self.process, signal.SIGKILL)


# --- Processes -----------------------------------------------------------------------------------


class Processes:
    """Every subprocess the test starts, each in its own process group, with its log in a file."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.started: list[tuple[str, subprocess.Popen, Path]] = []

    def start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        log = self.tmp / f"{len(self.started):02d}-{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.started.append((name, process, log))
        return process

    def log_of(self, process) -> Path:
        return next(log for _name, p, log in self.started if p is process)

    def kill(self, process, sig=signal.SIGKILL, timeout: float = 20):
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop(self, process):
        """A warm shutdown (SIGTERM), SIGKILL if it takes too long."""
        self.kill(process, signal.SIGTERM, timeout=20)

    def stop_all(self):
        # Worker and scheduler first, then the Redis server they talk to.
        for _name, process, _log in sorted(self.started, key=lambda entry: entry[0] == "redis"):
            try:
                self.kill(process, signal.SIGKILL, timeout=10)
            except Exception as error:  # noqa: BLE001 — cleaning up must go on
                print(f"could not stop pid {process.pid}: {error}")

    def print_logs(self, lines: int = 120):
        for name, process, log in self.started:
            text = log.read_text(encoding="utf-8", errors="replace").splitlines()
            print(
                f"\n===== {log.name} ({name}, pid {process.pid}, exit {process.returncode}) — last {lines} lines"
            )
            print("\n".join(text[-lines:]))


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class Site:
    """The scratch installation: its environment, database, clock file, worker and scheduler."""

    def __init__(self, tmp: Path, processes: Processes, smtp_port: int, redis_url: str):
        self.tmp, self.processes = tmp, processes
        self.db_path = tmp / "reminders.sqlite3"
        self.clock_file = tmp / "clock.txt"
        self.env = {
            k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_TASK_ALWAYS_EAGER")
        }
        self.env.update(
            VAR_DIR=str(tmp / "var"),
            SQLITE_PATH=str(self.db_path),
            REDIS_URL=redis_url,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp_port),
            EMAIL_USE_TLS="false",
            EMAIL_USE_SSL="false",
            EMAIL_TIMEOUT="10",
            REMINDERS_CLOCK_FILE=str(self.clock_file),
            REMINDERS_SCAN_SECONDS=str(SCAN_SECONDS),
            LOG_LEVEL="INFO",
            PYTHONUTF8="1",
            PYTHONUNBUFFERED="1",
        )
        self.worker = self.beat = None
        self.workers_started = 0

    # The clock of every process.
    def set_clock(self, moment: dt.datetime):
        temporary = self.clock_file.with_suffix(".tmp")
        temporary.write_text(moment.isoformat(), encoding="utf-8")
        os.replace(temporary, self.clock_file)  # never a half-written file: that would read as "now"
        print(f"[{time.strftime('%H:%M:%S')}] clock → {moment.isoformat()}")

    # Django, in a subprocess.
    def manage(self, *args, timeout: float = 180) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code)

    # The database, read directly.
    def occasions(self, day: str | None = None) -> list[tuple[str, str, str]]:
        """(recipient e-mail, reminder header, state) of every occasion, or of one day's."""
        with sqlite3.connect(self.db_path, timeout=20) as connection:
            rows = connection.execute(
                "SELECT u.email, o.rule || '/' || o.object_key || '/' || o.on_date, o.state, o.on_date "
                "FROM reminders_occasion o JOIN core_user u ON u.id = o.recipient_id"
            ).fetchall()
        connection.close()
        return [(email, key, state) for email, key, state, on_date in rows if day is None or on_date == day]

    def states(self, day: str) -> Counter:
        return Counter(state for _email, _key, state in self.occasions(day))

    # Worker and scheduler.
    def start_worker(self):
        self.workers_started += 1
        self.worker = self.processes.start(
            f"worker{self.workers_started}",
            [sys.executable, "-m", "celery", "-A", "supervision", "worker", "--pool", "threads"]
            + [
                "--concurrency",
                str(CONCURRENCY),
                "--loglevel",
                "INFO",
                "--without-mingle",
                "--without-gossip",
            ]
            + ["--hostname", f"reminders-it-{self.workers_started}-{uuid.uuid4().hex[:6]}@%h"],
            env=self.env,
        )
        wait_for(
            lambda: " ready." in self.log(self.worker) or self.worker.poll() is not None, 60, "the worker"
        )
        assert self.worker.poll() is None, "the worker exited at start"

    def start_beat(self):
        self.beat = self.processes.start(
            "beat",
            [sys.executable, "-m", "celery", "-A", "supervision", "beat", "--loglevel", "INFO"]
            + ["--schedule", str(self.tmp / "beat-schedule")],
            env=self.env,
        )

    def log(self, process) -> str:
        return self.processes.log_of(process).read_text(encoding="utf-8", errors="replace")

    def scans_done(self) -> int:
        """Scans the current worker has finished."""
        return len(re.findall(r"Task reminders\.scan\[[^\]]+\] succeeded", self.log(self.worker)))

    def wait_scans(self, count: int, timeout: float = 30):
        start = self.scans_done()
        wait_for(lambda: self.scans_done() >= start + count, timeout, f"{count} more scans by the worker")


def assert_alive(*processes):
    for process in processes:
        assert process.poll() is None, f"pid {process.pid} ({process.args[3:5]}) exited: {process.returncode}"


SETUP = """
import datetime as dt
from supervision.core.models import Operator, Period, Role, User
from supervision.reporting.models import MonthlySubmission

cbn = Operator.objects.get(code="CBN")
# Only the 2026-10 report is outstanding: August's and September's are in.
for label in ("2026-08", "2026-09"):
    MonthlySubmission.objects.create(
        operator=cbn, period=Period.objects.from_label(label), version=1, state="accepted",
        submitted_at=dt.datetime(2026, 10, 5, 9, tzinfo=dt.timezone.utc),
    )
User.objects.create_user("cbn_first", "cbn_first@example.cn", None, role=Role.OPERATOR_STAFF, operator=cbn)
print("setup done")
"""

MORE_RECIPIENTS = f"""
from supervision.core.models import Operator, Role, User

cbn = Operator.objects.get(code="CBN")
for n in range(1, {EXTRA_RECIPIENTS} + 1):
    User.objects.create_user(f"cbn_{{n:02d}}", f"cbn_{{n:02d}}@example.cn", None, role=Role.OPERATOR_STAFF, operator=cbn)
print("recipients added")
"""


def test_reminders_are_sent_exactly_once_through_a_real_worker_beat_redis_and_smtp(tmp_path):
    if not which("redis-server"):
        unavailable("redis-server is not installed (phase 4 starts a Redis server of its own)")
    db_number, redis_client, token = claim_redis_db()
    started = time.monotonic()

    def stamp(what):
        print(f"[{time.monotonic() - started:6.1f} s] {what}")

    processes = Processes(tmp_path)
    try:
        with SmtpServer(delay=SMTP_DELAY) as smtp:
            mails = smtp.collector
            site = Site(tmp_path, processes, smtp.port, f"redis://{REDIS_HOST}:{REDIS_PORT}/{db_number}")
            site.set_clock(dt.datetime(2026, 10, 27, 10, 0, tzinfo=SHANGHAI))
            copy_migrated_database(site.db_path)  # migrate then finds nothing to do
            site.manage("migrate", "--noinput", "-v0")
            assert "setup done" in site.shell(SETUP)
            stamp(f"migrated and set up; Redis db {db_number}, SMTP port {smtp.port}")
            site.start_worker()
            site.start_beat()

            # 1. Before the first reminder day: scans run, nothing is sent.
            site.wait_scans(3)
            assert mails.received == [], "a mail went out before the first reminder day"
            assert site.occasions() == []
            stamp("phase 1: three scans on 2026-10-27, no mail")

            # 2. Three days before the due day: one mail, once.
            site.set_clock(dt.datetime(2026, 10, 28, 9, 0, tzinfo=SHANGHAI))
            wait_for(lambda: mails.received, 20, "the reminder of 2026-10-28")
            site.wait_scans(4)
            assert mails.counts() == Counter({(FIRST, reminder("2026-10-28")): 1})
            assert site.occasions() == [(FIRST, reminder("2026-10-28"), "sent")]
            stamp("phase 2: one mail on 2026-10-28, still one after four more scans")

            # 3. The due day, 31 recipients; the worker is killed mid-batch.
            day = "2026-10-31"
            site.set_clock(dt.datetime(2026, 10, 31, 10, 0, tzinfo=SHANGHAI))
            assert "recipients added" in site.shell(MORE_RECIPIENTS)
            # Kill it while both of its threads are inside an SMTP session (mid-send, not yet accepted).
            wait_for(
                lambda: len(mails.counts(day)) >= 3 and mails.waiting >= CONCURRENCY,
                30,
                "the first mails of the batch, with both threads mid-send",
                interval=0.01,
            )
            processes.kill(site.worker, signal.SIGKILL)
            killed_at = time.monotonic()
            claimed = sorted(email for email, _key, state in site.occasions(day) if state == "sending")
            # The dead worker's open sessions end; whatever the server accepted from it is in now.
            wait_for(lambda: mails.waiting == 0, 10, "the dead worker's SMTP sessions to end")
            time.sleep(0.5)
            delivered = {email for email, _key in mails.counts(day)}
            # The documented window: accepted by the server, not yet recorded as sent.
            window = sorted(set(claimed) & delivered)
            stamp(
                f"phase 3: worker killed after {len(delivered)} mails; claimed by it and unfinished: "
                f"{claimed}, of which accepted by the server (the window): {window or 'none'}"
            )
            assert len(site.occasions(day)) == len(EVERYONE), "the batch was not recorded whole"
            assert 1 <= len(claimed) <= CONCURRENCY, f"in flight at the kill: {claimed}"

            site.start_worker()
            # The new worker sends what was pending; the dead worker's claims wait for STALE_CLAIM.
            wait_for(
                lambda: site.states(day) == Counter(sent=len(EVERYONE) - len(claimed), sending=len(claimed)),
                60,
                f"every occasion sent but the {len(claimed)} claimed by the dead worker",
            )
            site.wait_scans(2)
            assert sorted(e for e, _k, s in site.occasions(day) if s == "sending") == claimed
            stamp("phase 3: the new worker sent the rest; the dead worker's claims are still held")

            site.set_clock(
                dt.datetime(2026, 10, 31, 10, 0, tzinfo=SHANGHAI) + STALE_CLAIM + dt.timedelta(minutes=1)
            )
            wait_for(
                lambda: site.states(day) == Counter(sent=len(EVERYONE)), 30, "the released claims to be sent"
            )
            wait_for(
                lambda: set(mails.counts(day)) == {(e, reminder(day)) for e in EVERYONE}, 10, "every mail"
            )
            site.wait_scans(3)
            counts = mails.counts(day)
            duplicated = sorted(email for (email, _key), n in counts.items() if n > 1)
            print(f"phase 3: duplicated by the kill: {duplicated or 'none'}")
            assert set(counts) == {(email, reminder(day)) for email in EVERYONE}
            assert all(n <= 2 for n in counts.values()), counts
            # Exactly the mails caught in the window came twice; no other mail did.
            assert duplicated == window
            assert len(duplicated) <= CONCURRENCY
            stamp(
                f"phase 3: 31 recipients, each one mail ({time.monotonic() - killed_at:.1f} s after the kill)"
            )

            # 4. Redis dies mid-batch and comes back empty: nothing is lost, nothing doubled.
            processes.stop(site.worker)
            processes.stop(site.beat)
            own_redis = OwnRedis(processes, tmp_path)
            own_redis.start()
            site.env["REDIS_URL"] = own_redis.url
            site.start_worker()
            site.start_beat()
            site.wait_scans(1)
            day = "2026-11-01"
            site.set_clock(dt.datetime(2026, 11, 1, 10, 0, tzinfo=SHANGHAI))
            wait_for(lambda: len(mails.counts(day)) >= 3, 30, "the first late reminders", interval=0.02)
            own_redis.kill()
            stamp(
                f"phase 4: Redis killed after {len(mails.counts(day))} mails; "
                f"states {dict(site.states(day))} (every queued task is lost)"
            )
            time.sleep(5)  # the outage; worker and beat keep trying to reconnect
            assert_alive(site.worker, site.beat)
            during = len(mails.counts(day))
            own_redis.start()  # the same port, empty
            stamp(f"phase 4: Redis back, empty ({during} mails so far)")
            wait_for(
                lambda: site.states(day) == Counter(sent=len(EVERYONE)), 90, "every late reminder to be sent"
            )
            wait_for(lambda: len(mails.counts(day)) == len(EVERYONE), 10, "every late mail")
            site.wait_scans(3, timeout=60)
            assert mails.counts(day) == Counter({(email, reminder(day)): 1 for email in EVERYONE})
            assert_alive(site.worker, site.beat)
            stamp("phase 4: after the outage, every late reminder arrived exactly once")

            # Nothing else was ever sent.
            assert mails.counts("2026-10-28") == Counter({(FIRST, reminder("2026-10-28")): 1})
            expected = {reminder(d) for d in ("2026-10-28", "2026-10-31", "2026-11-01")}
            assert {r.reminder for r in mails.received} == expected
            assert {state for _e, _k, state in site.occasions()} == {"sent"}
            stamp(f"done: {len(mails.received)} mails in all")
    except BaseException:
        processes.stop_all()
        processes.print_logs()
        raise
    finally:
        processes.stop_all()
        release_redis_db(redis_client, token)
