# The one entry point: make run | test | lint | messages | bench | lock
PYTHON_BOOT ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: venv run test lint messages bench lock clean

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
