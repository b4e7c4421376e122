# The one entry point: make run | test | test-dates | lint | messages | bench | lock
PYTHON_BOOT ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: venv run test test-dates lint messages bench lock clean

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

test: venv  ## the whole test suite (browser tests included)
	$(PY) -m pytest

# The instants at which the date-sensitive tests must pass too (Asia/Shanghai): a month's last
# half-hour, February's end, a leap day, the year's last minute.
TEST_INSTANTS ?= 2027-01-31T23:30+08:00 2027-02-28T12:00+08:00 2028-02-29T12:00+08:00 2027-12-31T23:59+08:00
# The tests whose outcome follows from the date: the browser tests, reminders, deadlines, reporting
# periods, meetings, briefings, indicators and the pages that show them, document numbers by year
# and the demo data. (The reminders' integration test runs its worker processes on a clock file
# of its own: time-machine cannot move them.)
DATE_TESTS ?= tests/e2e tests/reminders tests/meetings tests/briefings tests/analytics \
	tests/casework/test_overdue.py tests/casework/test_reminders.py tests/casework/test_documents.py \
	tests/casework/test_mail.py tests/reporting/test_monthly.py tests/portal/test_monthly_submission.py \
	tests/control/test_home.py tests/control/test_profiles.py tests/control/test_charts.py \
	tests/control/test_reporting.py tests/control/test_anomalies.py \
	tests/core/test_numbering.py tests/demo/test_seed_demo.py \
	--deselect tests/reminders/test_integration.py

test-dates: venv  ## the date-sensitive tests at each of TEST_INSTANTS (pytest --at, tests/conftest.py)
	@set -e; for at in $(TEST_INSTANTS); do \
	  echo "== tests at $$at"; \
	  $(PY) -m pytest -q -p no:cacheprovider --at "$$at" $(DATE_TESTS); \
	done

lint: venv  ## ruff, formatting and the migration check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

messages: venv  ## refresh the Chinese catalogue, then compile it (needs gettext)
	$(PY) manage.py makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'staticfiles/*' --no-obsolete
	$(PY) manage.py compilemessages --locale zh_Hans --ignore '.venv/*'

bench: venv  ## benchmarks: figures printed and written to docs/benchmarks.md (DATABASE_URL adds PostgreSQL)
	$(PY) bench/ingest.py
	$(PY) bench/dashboard.py

lock:  ## re-pin every dependency (with hashes) from pyproject.toml
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) staticfiles var
