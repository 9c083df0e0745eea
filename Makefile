# Quotewise. `make run` starts the app with a worker; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: install lock run worker test test-fast eval train bench lint typecheck deploy-check format migrations-check clean

install: $(STAMP)

# Installs exactly the locked versions, each checked against its hash.
$(STAMP): requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	touch $(STAMP)

# After editing requirements.txt or requirements-dev.txt: resolve both lock
# files again (the image installs requirements.lock, `make install` the dev
# one, which keeps the same versions). LOCK_ARGS=--upgrade moves every
# unpinned dependency to its newest release.
PIP_COMPILE = $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(LOCK_ARGS)
lock: install
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --constraint requirements.lock --output-file requirements-dev.lock requirements-dev.txt

run: install
	$(PY) manage.py run_app --port $(PORT)

worker: install
	$(PY) -m celery -A newsapp worker --loglevel=INFO

# Uses PostgreSQL and Redis on 127.0.0.1 when they answer (in CI they must);
# elsewhere the service tests are skipped and the rest runs on SQLite.
# Two parts side by side: the tests that need no services in TEST_PROCESSES
# processes (pytest-xdist, a test module to a process; no broker: their jobs reach
# no worker; niced, so the workers the others wait on come first), printed when
# they end; and those that need the services, a live
# server or the browser in one process, printed as they run: they share one Celery
# worker, and their jobs go through one broker to one test database
# (tests/conftest.py, --suite-part). Each part has a test database of its own.
# Exit status 5 (nothing selected, as PYTEST_ARGS=-k… can make a part) is no failure.
TEST_PROCESSES ?= 2  # 1 or more: the parts need test databases of their own (…_gw0)
PYTEST_PARALLEL = -n $(TEST_PROCESSES) --dist loadfile
test: install
	@exports="$$($(PY) tests/service_env.py)" || exit 1; eval "$$exports"; \
	DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run >/dev/null || { echo "Missing migrations: run makemigrations"; exit 1; }; \
	others_log="$$(mktemp)"; \
	nice -n 10 env -u CELERY_BROKER_URL $(PY) -m pytest $(PYTEST_PARALLEL) --suite-part=others $(PYTEST_ARGS) >"$$others_log" 2>&1 & others_pid=$$!; \
	$(PY) -m pytest --suite-part=services $(PYTEST_ARGS); services=$$?; \
	wait $$others_pid; others=$$?; \
	printf '\n=== the tests that need no services ===\n'; cat "$$others_log"; rm -f "$$others_log"; \
	for status in $$others $$services; do [ $$status -eq 0 ] || [ $$status -eq 5 ] || exit $$status; done

# No services, no browser, no subprocess: on SQLite, whatever DATABASE_URL says.
test-fast: install
	env -u DATABASE_URL -u CELERY_BROKER_URL $(PY) -m pytest $(PYTEST_PARALLEL) -m "not services and not browser and not slow" $(PYTEST_ARGS)

eval: install
	$(PY) -m evaluation

# Rebuilds the extraction's committed data (quotes/extraction/data/) from ../shared/eval
# and nomquamgender: the pronoun ranker's and the description linker's weights, the first-name
# genders, the frame classifier's weights (with whether it runs in the engine) and the
# source chooser's (which mention is a quote's source).
train: install
	$(PY) -m evaluation.training

bench: install
	$(PY) -m evaluation.bench $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Static types: quotes/extraction/ and the pure modules of quotes/families/ (configured in pyproject.toml).
typecheck: install
	$(VENV)/bin/mypy

# Django's deployment checklist with production settings (what .ci/run checks).
deploy-check: install
	SECURE_HTTPS=true DEBUG=false ALLOWED_HOSTS=quotes.example.org \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	$(PY) manage.py check --deploy --fail-level WARNING

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Against an empty in-memory database: the models are compared with the migration
# files, and a configured database that does not exist yet only makes Django warn.
migrations-check: install
	DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf var artifacts .pytest_cache

# Load test against 127.0.0.1: gunicorn, PostgreSQL, Redis and two workers on
# a database of its own (quotewise_load); LOAD_SECONDS sets how long.
LOAD_SECONDS ?= 120
.PHONY: loadtest
loadtest: install
	$(PY) scripts/loadtest.py --duration $(LOAD_SECONDS)
