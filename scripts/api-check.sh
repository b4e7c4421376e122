#!/usr/bin/env bash
# `make api-check`: the machine API tested from the outside (issue 15). A throwaway database
# (an SQLite file in a temporary folder; the database DATABASE_URL names when it is set) is
# migrated and seeded with the demo (3,000 complaints, on today's clock), two
# tokens are made with create_api_token (an operator's reporting staff, the administration's
# staff), a live server is started on a free port, and schemathesis runs against its OpenAPI
# document with each token, both at once: no server error, no response that breaks the declared
# schema.
#
# Each token is run against the operations its role may call: the operator's against all but
# the administration's feeds, the staff's against all but the operator's submissions and answers
# (the others answer 403 before reading anything). API_CHECK_EXAMPLES (examples per operation,
# default 10) bounds the run; it is deterministic (the same cases every run) unless
# API_CHECK_SEED is set, which draws other cases from that seed. About 1,500 and 700 cases:
# under a minute in all on 2 cores (gunicorn serves them with two processes). On failure the
# server's log is kept in var/log/api-check-server.log.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
EXAMPLES="${API_CHECK_EXAMPLES:-10}"
if [ -n "${API_CHECK_SEED:-}" ]; then
  generation=(--seed "$API_CHECK_SEED" --generation-database none)
else
  generation=(--generation-deterministic)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/api-check.XXXXXX")"
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export DJANGO_SETTINGS_MODULE=supervision.settings
if [ -z "${DATABASE_URL:-}" ]; then
  # From the migrated database the test suite keeps (tests/builders.py), when there is one:
  # `migrate` then finds nothing to do (3 s instead of 17).
  $PY -c 'import sys, django; django.setup()
from pathlib import Path
from tests.builders import copy_migrated_database
copy_migrated_database(Path(sys.argv[1]))' "$work/api-check.sqlite3"
  export SQLITE_PATH="$work/api-check.sqlite3"
fi
# Everything the site writes (media, mail, logs, the SQLite file) goes to the throwaway folder.
export VAR_DIR="$work"
# The server checks large uploads in the request (no worker runs here), and the rate limit
# (120 a minute in production) does not stop the run: schemathesis sends far more.
export CELERY_TASK_ALWAYS_EAGER=true
export API_RATE_PER_MINUTE=1000000

if [ -n "${DATABASE_URL:-}" ]; then where="the database DATABASE_URL names"; else where="$SQLITE_PATH"; fi
echo "== api-check: migrate and seed the demo ($where)"
$PY manage.py migrate --noinput -v 0
# A smaller ledger than the default demo (3,000 complaints, not 45,000): the answers' shapes do not
# depend on how many rows there are, and the staff's ledger feed streams them all at each call.
$PY manage.py seed_demo --if-empty --complaints 3000 -v 0 >"$work/seed.log"

token() {  # USERNAME: a one-day token for that demo user (create_api_token prints it last)
  $PY manage.py create_api_token "$1" --name "api-check $(date +%s)" --days 1 | tail -n 1
}
operator_token="$(token cmcc)"
staff_token="$(token staff)"

port="$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# gunicorn, two processes (runserver's one process was the bottleneck: the clients waited on it).
.venv/bin/gunicorn --bind "127.0.0.1:$port" --workers 2 --threads 2 --timeout 120 \
  --error-logfile - supervision.wsgi >"$work/server.log" 2>&1 &
server=$!
schema="http://127.0.0.1:$port/api/v1/openapi.json"

run() {  # NAME WHO TOKEN OPTIONS...: schemathesis as that token, its report in $work/NAME.out
  local name="$1" who="$2" bearer="$3"
  shift 3
  {
    echo "== api-check: schemathesis as the $who, $EXAMPLES examples per operation"
    .venv/bin/schemathesis run "$schema" \
      --header "Authorization: Bearer $bearer" \
      --checks not_a_server_error,response_schema_conformance \
      --max-examples "$EXAMPLES" \
      "${generation[@]}" \
      --wait-for-schema 120 \
      --request-timeout 60 \
      --no-color \
      "$@"
  } >"$work/$name.out" 2>&1
}
# Both tokens at once: each run waits on the server about half its time, the other fills it
# (one after the other they took 2 minutes; the database's busy timeout orders their writes).
run operator "operator's reporting staff (cmcc)" "$operator_token" --exclude-tag administration &
operator_run=$!
run staff "administration's staff (staff)" "$staff_token" --exclude-method POST &
staff_run=$!
failed=0
wait "$operator_run" || failed=1
wait "$staff_run" || failed=1
cat "$work/operator.out" "$work/staff.out"
if [ "$failed" != 0 ]; then
  mkdir -p var/log
  cp "$work/server.log" var/log/api-check-server.log
  echo "== api-check: FAILED; the server's log is in var/log/api-check-server.log; its last lines:"
  tail -n 40 "$work/server.log"
  exit 1
fi
echo "== api-check: no server error, every response as the schema declares"
