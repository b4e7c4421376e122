#!/usr/bin/env bash
# The production stack on one machine, in the foreground: the application server (gunicorn,
# deploy/gunicorn.conf.py), a Celery worker and the Celery scheduler, with DEBUG off. Ctrl-C (or
# SIGTERM) stops all three; if any one stops, the others are stopped too and the script fails.
# `make serve` runs it. Under systemd each process has its own unit instead (deploy/systemd/).
#
# The variables are the application's (README, "Configuration"); with ENV_FILE=path they are read
# from that file first (the same file as the systemd units, e.g. /etc/supervision/supervision.env).
# Without DATABASE_URL and REDIS_URL it runs on SQLite and the embedded broker, and says so.
# Without a TLS proxy in front (BEHIND_TLS_PROXY unset), it serves plain HTTP on loopback: the
# HTTPS redirect and secure-only cookies are off unless set. Without SECRET_KEY, a random key is
# kept in $VAR_DIR/secret-key (mode 600).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
PY="$VENV/bin/python"

if [[ -n "${ENV_FILE:-}" ]]; then
  set -a
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  set +a
fi

export DEBUG="${DEBUG:-false}"
export VAR_DIR="${VAR_DIR:-$PWD/var}"
export PORT="${PORT:-8000}"
mkdir -p "$VAR_DIR/log"

if [[ -z "${SECRET_KEY:-}" ]]; then
  key_file="$VAR_DIR/secret-key"
  if [[ ! -s "$key_file" ]]; then
    (umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$key_file")
  fi
  SECRET_KEY="$(cat "$key_file")"
  export SECRET_KEY
fi

if [[ "${BEHIND_TLS_PROXY:-false}" != "true" ]]; then
  # Plain HTTP on this machine (a first look, CI, the load tests): nothing to redirect to.
  export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-false}"
  export SESSION_COOKIE_SECURE="${SESSION_COOKIE_SECURE:-false}"
  export CSRF_COOKIE_SECURE="${CSRF_COOKIE_SECURE:-false}"
  export SECURE_HSTS_SECONDS="${SECURE_HSTS_SECONDS:-0}"
fi
[[ -n "${DATABASE_URL:-}" ]] || echo "serve: DATABASE_URL is not set: SQLite in $VAR_DIR (production uses PostgreSQL)" >&2
[[ -n "${REDIS_URL:-}" ]] || echo "serve: REDIS_URL is not set: the embedded broker and a per-process cache (production uses Redis)" >&2

# Each release: the schema, the static files whitenoise serves (compressed, hashed names; half a
# minute of two cores). COLLECTSTATIC=false when this release's files are collected already
# (make ci-stack collects them while it seeds the demo).
"$PY" manage.py migrate --noinput
if [[ "${COLLECTSTATIC:-true}" != "false" ]]; then
  "$PY" manage.py collectstatic --noinput -v0
fi
if [[ "${SEED_DEMO:-false}" == "true" ]]; then
  "$PY" manage.py seed_demo --if-empty
fi

pids=()
# Each process asked once to stop (a second TERM while the scheduler saves its state on the way
# out leaves it hanging); what still runs after STOP_WAIT seconds (60) is killed.
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 "${STOP_WAIT:-60}"); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && break
    sleep 1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

"$VENV/bin/gunicorn" -c deploy/gunicorn.conf.py supervision.wsgi &
pids+=($!)
"$VENV/bin/celery" -A supervision worker --concurrency "${WORKER_CONCURRENCY:-2}" --hostname "worker@%h" &
pids+=($!)
"$VENV/bin/celery" -A supervision beat &
pids+=($!)
echo "serve: web on ${WEB_BIND:-127.0.0.1:$PORT} (health: /healthz), worker and scheduler started (pids ${pids[*]})" >&2

# The first to stop takes the others with it.
set +e
wait -n
status=$?
echo "serve: a process stopped (exit $status): stopping the others" >&2
exit $(( status == 0 ? 1 : status ))
