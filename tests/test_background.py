"""The background worker and scheduler really run: on the embedded broker when no server is
configured (a fresh machine), on Redis when REDIS_URL says so."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.builders import copy_migrated_database

# A real worker and scheduler in their own processes: `make test` runs it, `make test-fast` does not.
pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]


def test_worker_and_scheduler_run_on_the_configured_broker(tmp_path):
    # A scratch SQLite database for the scheduler's tables; the broker is the configured one.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["VAR_DIR"] = str(tmp_path)
    celery = [sys.executable, "-m", "celery", "-A", "supervision"]
    copy_migrated_database(tmp_path / "db.sqlite3")  # migrate then finds nothing to do
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120
    )
    worker = subprocess.Popen(
        [*celery, "worker", "--pool", "solo", "--hostname", "probe@%h", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    beat = subprocess.Popen(
        [*celery, "beat", "--loglevel", "INFO"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        answered = False
        for _ in range(30):
            ping = subprocess.run(
                [*celery, "inspect", "ping", "--timeout", "2"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            if "pong" in ping.stdout:
                answered = True
                break
            time.sleep(1)
        assert answered, (
            f"the worker did not answer on {os.environ.get('REDIS_URL') or 'the filesystem broker'}"
        )
        assert beat.poll() is None, "the scheduler stopped"
    finally:
        for process in (worker, beat):
            process.terminate()
        worker.wait(timeout=30)
        beat_output, _ = beat.communicate(timeout=30)
    assert "DatabaseScheduler" in beat_output
