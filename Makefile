# The one entry point: make run | serve | test | test-fast | test-dates | api-check | lint | messages | bench | lock
PYTHON_BOOT ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT
# pytest-xdist: the tests on every core (TEST_WORKERS=0 runs them in one process); the tests
# marked xdist_group("name") stay together on one worker (a class that seeds the demo once).
TEST_WORKERS ?= auto
XDIST = -n $(TEST_WORKERS) --dist loadgroup
# `make test TEST_AT=2027-01-31T23:30+08:00`: the whole suite with the clock at that instant
# (pytest --at, tests/conftest.py); TEST_MARKS, which tests it runs (pytest -m).
TEST_AT ?=
TEST_MARKS ?= not smoke
# Python keeps its compiled files (__pycache__, ignored by git) even where the environment asks it
# not to (PYTHONDONTWRITEBYTECODE): otherwise pytest rewrites the asserts of every test module
# again in each worker of each run, 5 s of CPU a worker (measured).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: bench-load ci-stack venv run serve test test-fast test-dates api-check lint messages bench lock clean

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

venv: $(VENV)/.installed  ## create the environment from the lock file

run: venv  ## migrate, seed the demo data if empty, start web + worker + scheduler
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	scripts/run-dev.sh

serve: venv  ## the production stack here: gunicorn + worker + scheduler, DEBUG off (deploy/serve.sh; README)
	deploy/serve.sh

test: venv  ## the whole test suite (browser tests included), on every core (TEST_WORKERS=0: one process)
	$(PY) -m pytest $(XDIST) -m "$(TEST_MARKS)" $(if $(TEST_AT),--at "$(TEST_AT)")

test-fast: venv  ## while working: everything but the browser tests and the real-process integration tests
	$(PY) -m pytest $(XDIST) -q -m "not e2e and not integration and not smoke"

# The instants at which the date-sensitive tests must pass too (Asia/Shanghai): a month's last
# half-hour, February's end, a leap day, the year's last minute.
TEST_INSTANTS ?= 2027-01-31T23:30+08:00 2027-02-28T12:00+08:00 2028-02-29T12:00+08:00 2027-12-31T23:59+08:00
# The date-sensitive tests are marked `dates` (pyproject.toml): they run on the session's clock and
# their outcome follows from the date — the browser tests, reminders, deadlines and overdue orders,
# the last complete month and what the dashboard shows of it, document numbers by year, the demo
# data. A test that pins its own clock throughout (time_machine.travel to a fixed day, as the
# briefings', meetings' and monthly-report tests do) runs the same at every instant: not marked.
DATE_TESTS ?= -m dates

test-dates: venv  ## the date-sensitive tests at each of TEST_INSTANTS (pytest --at, tests/conftest.py)
	@set -e; for at in $(TEST_INSTANTS); do \
	  echo "== tests at $$at"; \
	  $(PY) -m pytest -q -p no:cacheprovider $(XDIST) --at "$$at" $(DATE_TESTS); \
	done

api-check: venv  ## the API from the outside: schemathesis against a live server, an operator's and a staff token (scripts/api-check.sh)
	scripts/api-check.sh

# The production stack in CI (issue 16): deploy/serve.sh on a scratch PostgreSQL database and
# Redis, the demo data, a browser smoke test (tests/smoke) and LOAD_DURATION (30) s of load.
ci-stack: venv  ## the production stack on PostgreSQL + Redis: browser smoke test and a short load run (deploy/ci-stack.sh)
	deploy/ci-stack.sh

lint: venv  ## ruff, formatting, the migration check and the layering contract (.importlinter)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

messages: venv  ## refresh the Chinese catalogue, then compile it (needs gettext)
	$(PY) manage.py makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'staticfiles/*' --no-obsolete
	$(PY) manage.py compilemessages --locale zh_Hans --ignore '.venv/*'

bench: venv  ## benchmarks: figures printed and written to docs/benchmarks.md (DATABASE_URL adds PostgreSQL)
	$(PY) bench/ingest.py
	$(PY) bench/dashboard.py
	$(PY) bench/api_ledger.py
	$(MAKE) bench-load

# The deadline-day load: the production stack (deploy/serve.sh) on this machine's PostgreSQL and
# Redis under locust; LOAD_DURATION (seconds, 300), LOAD_ROWS (100000), LOAD_DATABASE_URL,
# LOAD_REDIS_URL, LOAD_PORT (8400). Figures in docs/benchmarks.md.
bench-load: venv  ## the deadline-day load (bench/load.py, locust): clerks uploading, staff reading, API clients
	$(PY) bench/load.py

lock:  ## re-pin every dependency (with hashes) from pyproject.toml
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --extra production --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) staticfiles var
