#!/usr/bin/env bash
# Start the web server, a Celery worker and the Celery scheduler together; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"
mkdir -p var/log

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

.venv/bin/celery -A supervision worker --loglevel INFO --concurrency 2 >var/log/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A supervision beat --loglevel INFO >var/log/beat.log 2>&1 &
pids+=($!)

cat <<MSG

  山东省携号转网监管工作台 · Number portability supervision desk
  地址 Address:      http://127.0.0.1:${PORT}/accounts/login/
  后台任务 Worker:   var/log/worker.log      定时任务 Scheduler: var/log/beat.log
  邮件 Mail sink:    var/mail/ (set EMAIL_HOST to send real mail)

MSG
$PY manage.py demo_logins || true
$PY manage.py runserver "127.0.0.1:${PORT}" &
pids+=($!)
wait -n
