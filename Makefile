# Joined Up. `make help` lists the targets.
SHELL := /bin/bash
# Debian's /usr/bin/python3.11 when there is one: it is built with profile-guided optimisation and
# ran the pages 15-19% faster than a plain source build (docs/benchmarks.md). Else python3.11 on PATH.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3.11) python3.11)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/joinedup
CHROMIUM_PATH ?= /usr/bin/chromium
export CHROMIUM_PATH
# manage.py and wsgi default to production settings (issue 17): make's local targets say local.
LOCAL := DJANGO_SETTINGS_MODULE=config.settings.local

.DEFAULT_GOAL := help
.PHONY: help install install-dev migrate demo demo-code run test test-sqlite test-postgres browser lint format clean
.PHONY: pdf-libs
.PHONY: lint-ruff lint-imports lint-types lint-complexity lint-sizes lint-baseline

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-15s %s\n", $$1, $$2}'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed pdf-libs ## Create the virtual environment and install the app

install-dev: $(VENV)/.installed-dev pdf-libs ## Install the app and what the tests need

migrate: install ## Create or update the SQLite database in var/
	$(LOCAL) $(BIN)/python manage.py migrate --noinput

demo: migrate ## Load the demo partnership (idempotent)
	$(LOCAL) $(BIN)/python manage.py demo

run: demo ## Set everything up and serve on 127.0.0.1:$(PORT) with demo data (and a background worker)
	@# Issue 19: a background worker beside the web server; it stops when the server stops.
	@$(LOCAL) $(BIN)/python manage.py jobs_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(LOCAL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

demo-code: install ## Print the two-factor code for the demo users now (make run prints their key)
	@$(LOCAL) $(BIN)/python manage.py demo_code

browser: ## Make sure headless Chromium is installed (Debian package)
	@if [ ! -x "$(CHROMIUM_PATH)" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium for browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || true; \
	  elif command -v sudo >/dev/null; then \
	    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || true; \
	  fi; \
	fi
	@[ -x "$(CHROMIUM_PATH)" ] && echo "Chromium: $(CHROMIUM_PATH)" || echo "Chromium not found at $(CHROMIUM_PATH): browser tests will fail under CI and be skipped otherwise"

# Issue 16: WeasyPrint (the business case PDF) needs Pango and HarfBuzz's subsetter (Debian packages).
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
pdf-libs: ## Make sure the system libraries WeasyPrint needs are installed (Debian packages)
	@if ! /sbin/ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || ! /sbin/ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0'; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing the PDF libraries ($(PDF_LIBS))"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_LIBS) >/dev/null) || true; \
	  elif command -v sudo >/dev/null; then \
	    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_LIBS) >/dev/null) || true; \
	  fi; \
	fi

test: install-dev browser ## Run the whole suite on SQLite and on PostgreSQL
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install-dev ## Run the suite on SQLite
	@echo "== Test suite on SQLite =="
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install-dev ## Run the suite on PostgreSQL (DATABASE_URL, or 127.0.0.1:5432)
	@echo "== Test suite on PostgreSQL =="
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest $(PYTEST_ARGS)

# Static checks (docs/lint.md). Each check runs even when one before it failed; any failure fails lint.
LINT_CHECKS := lint-ruff lint-imports lint-types lint-complexity lint-sizes

lint: install-dev ## Every static check (the lint-* targets below); any failure fails it
	@$(MAKE) --no-print-directory -k $(LINT_CHECKS)

lint-ruff: install-dev ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lint-imports: install-dev ## Architecture contracts in .importlinter (import-linter)
	$(BIN)/lint-imports --cache-dir var/cache/import-linter

lint-types: install-dev ## mypy with django-stubs, against tools/mypy-baseline.txt
	$(BIN)/python -m tools.check_mypy

lint-complexity: install-dev ## ruff C901 one function at a time, against tools/complexity-exceptions.toml
	$(BIN)/python -m tools.check_complexity

lint-sizes: install-dev ## Module and function sizes under joinedup/, against tools/size-exceptions.toml
	$(BIN)/python -m tools.check_sizes

lint-baseline: install-dev ## Rewrite every lint baseline from today's code (after a restructure; review the diff)
	$(BIN)/python -m tools.lint_baseline

format: install-dev ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean: ## Remove the virtual environment and local database
	rm -rf $(VENV) var

# Benchmarks (issue 6): synthetic data at BENCH_PEOPLE people in the PostgreSQL database
# joinedup_bench (created if missing; server from DATABASE_URL or 127.0.0.1), pages timed against
# hand-written SQL baselines. Results in var/bench/latest.json; see docs/benchmarks.md. Then the
# directory (issue 3): BENCH_SERVICES generated services in joinedup_bench_dir, var/bench/directory.json.
BENCH_PEOPLE ?= 20000
BENCH_SERVICES ?= 10000
.PHONY: bench

# Issue 19: BENCH_SIZES="20000 100000 500000" times the pages at each size in turn (bench.growth)
# and draws each page's p95 against people (docs/benchmarks/growth.svg); unset, BENCH_PEOPLE only.
BENCH_SIZES ?=
bench: install-dev ## Time the main pages at BENCH_PEOPLE synthetic people (or each of BENCH_SIZES) on PostgreSQL
	$(if $(strip $(BENCH_SIZES)),$(BIN)/python -m bench.growth --sizes "$(BENCH_SIZES)",$(BIN)/python -m bench.run --people $(BENCH_PEOPLE))
	$(BIN)/python -m bench.timeliness --people $(BENCH_PEOPLE)
	$(BIN)/python -m bench.directory --services $(BENCH_SERVICES)
	$(BIN)/python -m bench.referrals
	$(BIN)/python -m bench.linkage --dedupe $${LINKAGE_DEDUPE:-100000}
	$(BIN)/python -m bench.better_off
	$(BIN)/python -m bench.employers --people $(BENCH_PEOPLE)
	$(BIN)/python -m bench.programmes --people $(BENCH_PEOPLE)
	$(BIN)/python -m bench.need --people $(BENCH_PEOPLE)  # issue 16: every authority's need page, the PDF

.PHONY: soak
# Issue 17: the fault test. Referrals through the API while PostgreSQL restarts and a worker is killed
# mid-job, on a throwaway PostgreSQL server of its own (bench/soak.py); fails unless nothing was lost or
# made twice, the outage answered 503 and the queue finished. Writes var/bench/soak.json.
SOAK_SECONDS ?= 60
SOAK_CLIENTS ?= 4
soak: install-dev ## Fault test: API referrals while PostgreSQL restarts and a worker is killed (own server)
	$(BIN)/python -m bench.soak --seconds $(SOAK_SECONDS) --clients $(SOAK_CLIENTS)

LOADTEST_SECONDS ?= 300
LOADTEST_USERS ?= 100
.PHONY: loadtest
# Issue 19: the capacity. Each offered load of LOADTEST_STEPS (requests/s) for LOADTEST_STEP_SECONDS;
# prints the highest held at p95 <= 300 ms with no errors. LOADTEST_STEPS= (empty) runs the single
# LOADTEST_SECONDS run instead.
LOADTEST_STEPS ?= 25 50 100 150 200 250
LOADTEST_STEP_SECONDS ?= 30
LOADTEST_WORKERS ?= 3
loadtest: install-dev ## Load test (loopback, gunicorn + locust): the capacity over LOADTEST_STEPS, at BENCH_PEOPLE
	$(BIN)/python -m bench.loadtest --people $(BENCH_PEOPLE) --seconds $(LOADTEST_SECONDS) --users $(LOADTEST_USERS) \
	  --workers $(LOADTEST_WORKERS) $(if $(strip $(LOADTEST_STEPS)),--steps "$(LOADTEST_STEPS)" --step-seconds $(LOADTEST_STEP_SECONDS))
