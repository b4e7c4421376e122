"""Faults drilled against the real services: what a user notices when things break (issue 16, 4).

(a) The database connection is lost in the middle of storing a ledger (PostgreSQL: the storing
    connection's backend is terminated from a second connection, as a restart would): nothing
    partial is stored, the page says it failed, the upload can be confirmed again and is stored.
(b) Redis is unavailable (cache and broker at a closed port): the pages and the API keep
    answering; the mails of a change wait as pending occasions and go out once, exactly once,
    when the next scan runs with Redis back.
(c) A worker dies in the middle of a background check: the upload does not stay "being
    checked" for ever; the five-minutely recovery marks it failed with a way to start again. Also
    for real: a Celery worker on Redis and PostgreSQL killed with SIGKILL mid-check.
(d) The scheduler restarts: the reminder scan run again from a fresh process sends no reminder
    twice and loses none.

Marked ``integration`` (``make test`` runs them, ``make test-fast`` does not). Each drill skips
with its reason where its service is missing: PostgreSQL (the test database is SQLite, or the
role may not terminate backends) or Redis on 127.0.0.1:6379.
"""

import contextlib
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import kombu.pools
import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, connections
from django.urls import reverse
from django.utils import translation

from supervision.core import tokens
from supervision.core.models import SHANGHAI
from supervision.reminders import services
from supervision.reminders.models import Occasion, OccasionState
from supervision.reporting import tasks, uploads
from supervision.reporting.ingest import store
from supervision.reporting.models import ComplaintRecord, LedgerUpload, PendingUpload, UploadKind, UploadState

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT.parent / "shared" / "samples"
SAMPLE_LEDGER = "complaints_CMCC_2026-10_utf8bom.csv"
# Inside October 2026's filing window.
START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


# --- What the drills need ---------------------------------------------------------------------


def reachable(host, port) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
        return True
    return False


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def postgres():
    """The test database on PostgreSQL, whose role may terminate a backend of its own."""
    if connection.vendor != "postgresql":
        pytest.skip("needs the test database on PostgreSQL (DATABASE_URL=postgres://…); this one is SQLite")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper OR pg_has_role(current_user, 'pg_signal_backend', 'MEMBER') "
            "FROM pg_roles WHERE rolname = current_user"
        )
        (allowed,) = cursor.fetchone()
    if not allowed:
        pytest.skip("the database role may not terminate backends (pg_signal_backend)")


@pytest.fixture
def redis_server():
    if not reachable(REDIS_HOST, REDIS_PORT):
        pytest.skip(f"needs Redis on {REDIS_HOST}:{REDIS_PORT}")
    return f"redis://{REDIS_HOST}:{REDIS_PORT}"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def ledger_file(name="台账.csv", data=None):
    return SimpleUploadedFile(name, data if data is not None else (SAMPLES / SAMPLE_LEDGER).read_bytes())


def checked_ledger(user) -> PendingUpload:
    upload = uploads.start_upload(
        kind=UploadKind.LEDGER, operator=user.operator, user=user, ledger=ledger_file()
    )
    upload = uploads.run_checks(upload.pk)
    assert not uploads.has_errors(upload)
    return upload


def explained(upload):
    return {f"explain-{i}": "台账补录说明" for i, _p in uploads.warnings_of(upload)}


# --- (a) The database connection lost during a ledger store -----------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_database_connection_lost_mid_store_stores_nothing_and_the_upload_can_be_confirmed_again(
    postgres, reference_rows, clock, media_root, operator_a, client, monkeypatch
):
    upload = checked_ledger(operator_a)
    rows = upload.preview["ledger"]["rows"]
    assert rows > 0 and not ComplaintRecord.objects.exists()
    refresh = store.refresh_complaint_counts
    cuts = []

    def terminated_midway(*args, **kwargs):
        # The complaints are inserted, not yet committed: the database goes away now.
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM reporting_complaintrecord")
            assert cursor.fetchone()[0] == rows  # visible inside the transaction only
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                assert cursor.fetchone()[0] is True
        finally:
            other.close()
        cuts.append(pid)
        return refresh(*args, **kwargs)

    monkeypatch.setattr(store, "refresh_complaint_counts", terminated_midway)
    client.force_login(operator_a)
    client.raise_request_exception = False
    page = reverse("portal:upload", args=[upload.pk])
    response = client.post(page, explained(upload))
    assert cuts, "the store never reached the point where the connection is cut"
    # The submitter is told it failed (the server error page), not that it was stored.
    assert response.status_code == 500
    assert translation.gettext("The ledger is stored") not in response.content.decode()

    # Nothing partial: no complaint, no ledger upload; the upload waits to be confirmed again.
    connection.close()
    assert ComplaintRecord.objects.count() == 0
    assert LedgerUpload.objects.count() == 0
    upload.refresh_from_db()
    assert upload.state == UploadState.CHECKED and upload.ledger_file
    client.force_login(operator_a)
    assert client.get(page).status_code == 200

    # The database is back: the second confirmation stores the whole file, once.
    monkeypatch.setattr(store, "refresh_complaint_counts", refresh)
    response = client.post(page, explained(upload))
    assert response.status_code == 302
    assert ComplaintRecord.objects.filter(operator=operator_a.operator).count() == rows
    assert LedgerUpload.objects.count() == 1
    upload.refresh_from_db()
    assert upload.state == UploadState.CONFIRMED


@pytest.mark.django_db(transaction=True)
def test_a_store_cut_by_a_lost_connection_in_the_service_rolls_back_whole(
    postgres, reference_rows, clock, media_root, operator_a
):
    """The same at the service: confirm() raises a database error and leaves the upload as it was."""
    upload = checked_ledger(operator_a)
    explanations = {i: "说明" for i, _p in uploads.warnings_of(upload)}
    refresh = store.refresh_complaint_counts

    def terminated_midway(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        return refresh(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store, "refresh_complaint_counts", terminated_midway)
        with pytest.raises(DatabaseError):
            uploads.confirm(upload, user=operator_a, explanations=explanations)
    connection.close()
    assert not ComplaintRecord.objects.exists() and not LedgerUpload.objects.exists()
    upload.refresh_from_db()
    assert upload.state == UploadState.CHECKED
    uploads.confirm(upload, user=operator_a, explanations=explanations)
    assert ComplaintRecord.objects.count() == upload.preview["ledger"]["rows"]


# --- (b) Redis unavailable --------------------------------------------------------------------


@contextlib.contextmanager
def broker_at(url):
    """The Celery app publishing to ``url`` (its connection and producer pools made afresh)."""
    from supervision.celery import app

    def reset():
        # kombu keeps its pools in process-wide groups keyed by the broker's URL: closing the app's
        # pool alone would leave a closed pool there, which the next task published to that URL (the
        # other tests of this process, eager or not) would be given. kombu's reset closes them all
        # and empties the groups.
        kombu.pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    before = app.conf.broker_url
    reset()
    app.conf.broker_url = url
    try:
        yield app
    finally:
        reset()
        app.conf.broker_url = before


def tolerant_cache(url, prefix):
    return {
        "default": {
            "BACKEND": "supervision.core.cache.TolerantRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.fixture
def cache_at(settings):
    """``cache_at(url)``: the cache (the production one, core.cache) on that Redis."""
    from django.core.cache import caches

    prefix = f"faults-{uuid.uuid4().hex[:8]}"

    def point(url):
        caches["default"].close()
        settings.CACHES = tolerant_cache(url, prefix)
        return caches["default"]

    yield point
    caches["default"].close()


def test_production_settings_use_the_tolerant_cache(monkeypatch):
    """With REDIS_URL, settings.py names the cache that answers a miss when Redis is away."""
    env = {
        **os.environ,
        "REDIS_URL": "redis://127.0.0.1:6379/3",
        "DJANGO_SETTINGS_MODULE": "supervision.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
         "print(settings.CACHES['default']['BACKEND'])"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    assert out.strip() == "supervision.core.cache.TolerantRedisCache"


@pytest.mark.django_db
def test_redis_away_pages_answer_and_mails_wait_then_go_once(
    redis_server,
    cache_at,
    media_root,  # the order issued is a PDF
    regulator,
    operator_a,
    manager_a,
    client,
    django_capture_on_commit_callbacks,
):
    from tests.casework.conftest import make_order

    down = f"redis://127.0.0.1:{closed_port()}/0"
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, 0, tzinfo=SHANGHAI), tick=False):
        cache = cache_at(down)
        assert cache.get("anything", "miss") == "miss"  # an error answered as a miss
        _token, secret = tokens.create(regulator, name="faults", read_only=True, days=30)
        api = {"Authorization": f"Bearer {secret}"}
        client.force_login(regulator)
        with broker_at(down):
            # Pages and the API answer (the API's rate limit counts in the cache).
            for path in ("/dashboard/", reverse("control:orders")):
                assert client.get(path).status_code == 200, path
            answer = client.get("/api/v1/indicators", {"month": "2026-10"}, headers=api)
            assert answer.status_code == 200, answer.content[:500]
            # A change that mails: committed; its mails wait, pending (the broker refused the sends).
            order = make_order(regulator, operator_a, "draft")
            from supervision.casework import orders

            with django_capture_on_commit_callbacks(execute=True):
                orders.issue_order(order, user=regulator)
        order.refresh_from_db()
        assert order.state == "issued"
        pending = Occasion.objects.filter(rule="casework.order_issued")
        assert {o.state for o in pending} == {OccasionState.PENDING} and pending.count() == 2
        assert mail.outbox == []

        # Redis is back: the cache works again, and the next scans send each mail once.
        cache = cache_at(redis_server + "/0")
        cache.set("back", "yes", 30)
        assert cache.get("back") == "yes"
        assert client.get("/dashboard/").status_code == 200
        for _scan in range(3):
            for occasion_id in services.scan():
                services.send(occasion_id)
        issued = [
            m
            for m in mail.outbox
            if m.extra_headers["X-Supervision-Reminder"].startswith("casework.order_issued/")
        ]
        assert sorted(m.to[0] for m in issued) == sorted([operator_a.email, manager_a.email])
        assert {o.state for o in pending.all()} == {OccasionState.SENT}
        cache.delete("back")


# --- (c) A worker killed in the middle of a background check -----------------------------------


@pytest.mark.django_db
def test_a_check_whose_worker_died_is_marked_failed_with_a_way_to_start_again(
    clock, media_root, operator_a, client
):
    # The worker took the check and died: the upload was left "being checked", at 10 %.
    upload = uploads.start_upload(
        kind=UploadKind.LEDGER, operator=operator_a.operator, user=operator_a, ledger=ledger_file()
    )
    PendingUpload.objects.filter(pk=upload.pk).update(progress=10)
    clock.shift(dt.timedelta(minutes=uploads.CHECK_STALE_MINUTES - 1))
    assert tasks.fail_stalled_checks() == 0  # a slow check is left alone
    upload.refresh_from_db()
    assert upload.state == UploadState.CHECKING

    clock.shift(dt.timedelta(minutes=2))
    assert tasks.fail_stalled_checks() == 1
    assert tasks.fail_stalled_checks() == 0
    upload.refresh_from_db()
    assert upload.state == UploadState.CHECKED and uploads.has_errors(upload)
    client.force_login(operator_a)
    page = client.get(reverse("portal:upload", args=[upload.pk])).content.decode()
    assert uploads.stalled_check_message() in page
    with pytest.raises(uploads.UploadRefused):
        uploads.confirm(upload, user=operator_a, explanations={})
    assert client.get(reverse("portal:upload_status", args=[upload.pk])).json()["state"] == "checked"

    # The way out: discard it and upload again; the new upload is checked and stored.
    response = client.post(reverse("portal:upload", args=[upload.pk]), {"discard": "1"})
    assert response.status_code == 302
    again = checked_ledger(operator_a)
    uploads.confirm(again, user=operator_a, explanations={i: "说明" for i, _p in uploads.warnings_of(again)})
    assert ComplaintRecord.objects.count() == again.preview["ledger"]["rows"]


@pytest.mark.django_db
def test_a_slow_check_ending_after_the_failure_replaces_it_but_a_discarded_upload_stays_discarded(
    clock, media_root, operator_a
):
    upload = uploads.start_upload(
        kind=UploadKind.LEDGER, operator=operator_a.operator, user=operator_a, ledger=ledger_file()
    )
    clock.shift(dt.timedelta(minutes=uploads.CHECK_STALE_MINUTES + 1))
    assert uploads.fail_stalled_checks() == 1
    checked = uploads.run_checks(upload.pk)  # the slow worker ends after all
    assert checked.state == UploadState.CHECKED and not uploads.has_errors(checked)

    other = uploads.start_upload(
        kind=UploadKind.LEDGER, operator=operator_a.operator, user=operator_a, ledger=ledger_file()
    )
    clock.shift(dt.timedelta(minutes=uploads.CHECK_STALE_MINUTES + 1))
    uploads.fail_stalled_checks()
    uploads.discard(PendingUpload.objects.get(pk=other.pk))
    assert uploads.run_checks(other.pk).state == UploadState.DISCARDED


def test_the_scheduler_runs_the_recovery_every_five_minutes(db):
    from django_celery_beat.models import PeriodicTask

    from supervision.reporting import schedule

    schedule.ensure_schedule()
    entry = PeriodicTask.objects.get(name=schedule.STALLED_CHECKS_TASK_NAME)
    assert entry.task == "reporting.fail_stalled_checks" and entry.enabled
    assert (entry.interval.every, entry.interval.period) == (5, "minutes")


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_killed_mid_check_leaves_no_upload_in_progress(
    postgres, reference_rows, redis_server, media_root, operator_a, tmp_path
):
    """A Celery worker (solo pool) on Redis and the test database, killed with SIGKILL while it
    checks a 60,000-row ledger; the upload is then marked failed by the recovery."""
    sys.path.insert(0, str(ROOT))
    from bench.ingest import write_csv

    big = tmp_path / "ledger.csv"
    write_csv(big, 60_000)
    broker = f"{redis_server}/{12}"
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": broker,
        "MEDIA_ROOT": str(media_root),
        "VAR_DIR": str(tmp_path / "var"),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "supervision", "worker", "--pool", "solo", "-Q", queue,
         "--hostname", f"{queue}@%h", "--loglevel", "WARNING", "--without-heartbeat", "--without-mingle",
         "--without-gossip"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        upload = uploads.start_upload(
            kind=UploadKind.LEDGER,
            operator=operator_a.operator,
            user=operator_a,
            ledger=ledger_file(data=big.read_bytes()),
        )
        with broker_at(broker) as app:
            app.send_task("reporting.check_upload", args=[str(upload.pk), "zh-hans"], queue=queue)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            upload.refresh_from_db()
            if upload.progress >= 10 or upload.state != UploadState.CHECKING:
                break
            assert worker.poll() is None, "the worker stopped by itself"
            time.sleep(0.2)
        assert upload.state == UploadState.CHECKING and upload.progress == 10, "the check never started"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)
    time.sleep(1)
    upload.refresh_from_db()
    assert upload.state == UploadState.CHECKING  # the dead worker left it in progress
    with time_machine.travel(upload.created_at + dt.timedelta(minutes=uploads.CHECK_STALE_MINUTES + 1)):
        assert uploads.fail_stalled_checks() == 1
    upload.refresh_from_db()
    assert upload.state == UploadState.CHECKED and uploads.has_errors(upload)
    assert not ComplaintRecord.objects.exists()


# --- (d) The scheduler restarted --------------------------------------------------------------

SCAN = (
    "from supervision.reminders import services; "
    "ids = services.scan(); print('sent', sum(services.send(i) == 'sent' for i in ids))"
)


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_restarted_sends_each_reminder_once(reference_rows, tmp_path, settings):
    """The scan runs, the process ends (a restart), a fresh one scans again and again: one mail per
    occasion, and the occasions due after the restart are not lost."""
    from tests.reminders.helpers import make_cbn_staff

    staff = make_cbn_staff()
    clock_file = tmp_path / "clock"
    mails = tmp_path / "mail"
    s = connection.settings_dict
    env = {**os.environ, "REMINDERS_CLOCK_FILE": str(clock_file), "VAR_DIR": str(tmp_path / "var")}
    env.pop("EMAIL_HOST", None)
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = _database_url()
    else:
        if not Path(s["NAME"]).is_file():
            pytest.skip("the SQLite test database is in memory: another process cannot reach it")
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = s["NAME"]
    (tmp_path / "var" / "mail").mkdir(parents=True)

    def scheduler_process(moment: str) -> int:
        clock_file.write_text(moment)
        out = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SCAN], cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=180,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr[-2000:]
        return int(out.stdout.split("sent")[-1])

    # 2026-10-28: three days before the due date, one reminder to the CBN staff member.
    assert scheduler_process("2026-10-28T09:00:00+08:00") == 1
    # Restarted twice the same day: nothing more.
    assert scheduler_process("2026-10-28T09:05:00+08:00") == 0
    assert scheduler_process("2026-10-28T15:00:00+08:00") == 0
    # Down over the due day, restarted after it: the reminder of the day is not lost, once.
    assert scheduler_process("2026-10-31T10:00:00+08:00") == 1
    assert scheduler_process("2026-10-31T10:01:00+08:00") == 0
    sent = Occasion.objects.filter(recipient=staff, state=OccasionState.SENT)
    assert sent.count() == 2
    logs = list((tmp_path / "var" / "mail").glob("*.log"))
    assert sum(p.read_text(encoding="utf-8").count(f"To: {staff.email}") for p in logs) == 2
    del mails
