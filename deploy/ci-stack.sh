#!/usr/bin/env bash
# CI's look at the production stack (`make ci-stack`, issue 16): deploy/serve.sh (gunicorn, Celery
# worker and scheduler, DEBUG off) on a scratch PostgreSQL database and Redis db 7, with the demo
# data; then a browser smoke test (tests/smoke, Debian's Chromium) and a short load run
# (bench/load.py --url, LOAD_DURATION seconds, 30 by default) against that same running stack.
# Fails on a stack that does not come up healthy, a smoke test that fails, or any failed request
# under load (not on latencies: their targets are in docs/benchmarks.md). Everything it started is
# stopped and the scratch database dropped on the way out.
#
# PostgreSQL on 127.0.0.1:5432 (user root, trust) and Redis on 127.0.0.1:6379, as .ci/run has them;
# CI_STACK_PG (postgres://root@127.0.0.1:5432), CI_STACK_REDIS_URL, CI_STACK_PORT (a free one).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${VENV:-.venv}/bin/python"
PG="${CI_STACK_PG:-postgres://root@127.0.0.1:5432}"
DB="supervision_ci_stack_$$"
export DATABASE_URL="$PG/$DB"
export REDIS_URL="${CI_STACK_REDIS_URL:-redis://127.0.0.1:6379/7}"
export DEBUG=false
# The demo's staff and leader have no authenticator app: one-step log-in for them here (the smoke
# test and the load's administration users log in through the form); production keeps two steps.
export REQUIRE_2FA_FOR_ADMINISTRATION=false
export ALLOWED_HOSTS="127.0.0.1,localhost"
export VAR_DIR="$PWD/var/ci-stack"
export SECRET_KEY="${SECRET_KEY:-$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')}"
export LOG_LEVEL="${LOG_LEVEL:-WARNING}"
export WEB_WORKERS="${WEB_WORKERS:-3}"
unset CELERY_TASK_ALWAYS_EAGER
PORT="${CI_STACK_PORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
export PORT
URL="http://127.0.0.1:$PORT"
mkdir -p "$VAR_DIR"
log="$VAR_DIR/serve.log"
started=$SECONDS
stack=""

cleanup() {
  status=$?
  trap - EXIT INT TERM
  if [[ -n "$stack" ]]; then
    # serve.sh stops what it started (TERM once each, KILL after a minute); the group's KILL after.
    kill -TERM "$stack" 2>/dev/null || true
    for _ in $(seq 1 90); do kill -0 "$stack" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$stack" 2>/dev/null || true
  fi
  if [[ $status -ne 0 && -s "$log" ]]; then
    echo "== ci-stack: the stack's last log lines ($log)" >&2
    tail -n 60 "$log" >&2
  fi
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null || true
  redis-cli -u "$REDIS_URL" flushdb >/dev/null 2>&1 || true
  echo "== ci-stack: $([[ $status -eq 0 ]] && echo passed || echo FAILED) in $((SECONDS - started)) s" >&2
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== ci-stack: database $DB, Redis ${REDIS_URL}, web on $URL"
psql "$PG/postgres" -qc "CREATE DATABASE \"$DB\""
redis-cli -u "$REDIS_URL" flushdb >/dev/null
# The static files collected and compressed (half a minute of two cores) while the database is
# migrated and seeded (one core); serve.sh then leaves them as they are (COLLECTSTATIC=false).
"$PY" manage.py collectstatic --noinput -v0 &
collecting=$!
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py seed_demo --if-empty
wait "$collecting" || { echo "ci-stack: collectstatic failed" >&2; exit 1; }

# Its own process group, so that everything under it is stopped together.
COLLECTSTATIC=false setsid deploy/serve.sh >"$log" 2>&1 &
stack=$!

echo "== ci-stack: waiting for $URL/healthz"
# serve.sh migrates (nothing left to do) before it starts.
code=""
deadline=$((SECONDS + ${CI_STACK_WAIT:-600}))
while (( SECONDS < deadline )); do
  code=$(curl -s -o "$VAR_DIR/healthz.json" -w '%{http_code}' --max-time 10 "$URL/healthz" || true)
  [[ "$code" == 200 ]] && break
  kill -0 "$stack" 2>/dev/null || { echo "ci-stack: deploy/serve.sh stopped" >&2; exit 1; }
  sleep 2
done
body=$(cat "$VAR_DIR/healthz.json" 2>/dev/null || true)
if [[ "$code" != 200 ]]; then
  echo "ci-stack: /healthz answered ${code:-nothing} within ${CI_STACK_WAIT:-600} s: $body" >&2
  exit 1
fi
echo "healthz: $body"

echo "== ci-stack: browser smoke test (tests/smoke)"
SMOKE_BASE_URL="$URL" "$PY" -m pytest tests/smoke -q -p no:cacheprovider -n 0 -m smoke

echo "== ci-stack: load, ${LOAD_DURATION:-30} s (bench/load.py --url)"
LOAD_DURATION="${LOAD_DURATION:-30}" LOAD_ROWS="${LOAD_ROWS:-2000}" \
  LOAD_BROWSERS="${LOAD_BROWSERS:-10}" LOAD_API_CLIENTS="${LOAD_API_CLIENTS:-4}" \
  LOAD_STORE_WAIT="${LOAD_STORE_WAIT:-120}" \
  "$PY" bench/load.py --url "$URL" --database-url "$DATABASE_URL" --redis-url "$REDIS_URL" \
  --no-write --fail-on-errors
