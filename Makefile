# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PY_STAMP := $(VENV)/.installed
JS_STAMP := node_modules/.installed

.PHONY: run test install migrate load-data schema bench soak data-large clean

$(PY_STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

$(JS_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(PY_STAMP) $(JS_STAMP) ## Create .venv and node_modules from the lock files

migrate: install ## Apply database migrations to DATABASE_URL
	$(PY) manage.py migrate

load-data: migrate ## Load the UNODC directory data (idempotent)
	$(PY) manage.py load-data

N ?= 20000
SEED ?= 1
data-large: migrate ## Migrate, then add N synthetic organizations (default 20000, SEED=1) to DATABASE_URL
	$(PY) manage.py generate --organizations $(N) --seed $(SEED)

run: load-data ## Migrate, load the data and serve with GraphiQL
	$(PY) manage.py serve

test: install ## Lint (ruff), type-check (mypy), then run the whole test suite (SQLite, and PostgreSQL when TEST_POSTGRES_URL is set)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest

schema: install ## Regenerate schema.graphql from the code
	$(PY) manage.py export-schema --output schema.graphql

bench: install ## Benchmark on PostgreSQL: the directory vs a hand-written SQL floor and PostGraphile 4 (bench/README.md; BENCH_* settings)
	$(PY) bench/harness.py

soak: load-data ## PostgreSQL: WORKERS=2 uvicorn under mixed reads for SOAK_SECONDS (60) with its backends cut twice (bench/soak.py)
	$(PY) bench/soak.py

clean:
	rm -rf $(VENV) node_modules data/*.sqlite3*
