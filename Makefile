# Quotewise. `make run` starts the app with a worker; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: install run worker test eval bench lint format migrations-check clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

run: install
	$(PY) manage.py run_app --port $(PORT)

worker: install
	$(PY) -m celery -A newsapp worker --loglevel=INFO

# Uses PostgreSQL and Redis on 127.0.0.1 when they answer (in CI they must);
# elsewhere the service tests are skipped and the rest runs on SQLite.
test: install
	@exports="$$($(PY) tests/service_env.py)" || exit 1; eval "$$exports"; \
	$(PY) manage.py makemigrations --check --dry-run >/dev/null || { echo "Missing migrations: run makemigrations"; exit 1; }; \
	$(PY) -m pytest $(PYTEST_ARGS)

eval: install
	$(PY) -m quotes.evaluation

bench: install
	$(PY) -m quotes.evaluation.bench

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf var artifacts .pytest_cache

# Load test against 127.0.0.1: gunicorn, PostgreSQL, Redis and two workers on
# a database of its own (quotewise_load); LOAD_SECONDS sets how long.
LOAD_SECONDS ?= 120
.PHONY: loadtest
loadtest: install
	$(PY) scripts/loadtest.py --duration $(LOAD_SECONDS)
