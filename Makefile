# The two commands: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_MEMBERS ?= 60
DEMO_COMMITMENTS ?= 12

.PHONY: install install-dev messages gettext-deps run bootstrap serve test lint types unit browser-deps node-deps compose-check mutation bench-api clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs are stamped against pyproject.toml, so a second run installs nothing.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed messages

install-dev: $(VENV)/.installed-dev messages

# The interface's translations: locale/*/LC_MESSAGES/django.po compiled to .mo (never committed).
messages: $(VENV)/.installed gettext-deps
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=mutants --verbosity 0

# GNU gettext's msgfmt compiles them; Debian's package, installed only when missing.
gettext-deps:
	@command -v msgfmt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gettext >/dev/null; }

# Migrate, load the seed frameworks, a demo dataset when the database is empty, compute scores.
bootstrap: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py bootstrap --demo-members $(DEMO_MEMBERS) --demo-commitments-per-plan $(DEMO_COMMITMENTS)
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0

run: bootstrap
	@bash scripts/serve.sh $(HOST) $(PORT)

# --- tests -------------------------------------------------------------------------------------
# PostgreSQL and Redis are used whenever they answer on their usual local ports (or are named by
# DATABASE_URL / REDIS_URL); .ci/run requires them.
LOCAL_PG := postgres://postgres@127.0.0.1:5432/ogp_tracker
LOCAL_REDIS := redis://127.0.0.1:6379/0
answers = $(shell $(PYTHON) -c "import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(('127.0.0.1', $(1))))" && echo yes)
TEST_DATABASE_URL := $(or $(DATABASE_URL),$(if $(call answers,5432),$(LOCAL_PG)))
TEST_REDIS_URL := $(or $(REDIS_URL),$(if $(call answers,6379),$(LOCAL_REDIS)))
TEST_ENV := DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DEBUG=true

test: install-dev browser-deps node-deps lint types compose-check unit

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: install-dev
	$(BIN)/mypy .

unit: install-dev
	@echo "database: $(or $(TEST_DATABASE_URL),sqlite (PostgreSQL not found))  broker: $(or $(TEST_REDIS_URL),none (Redis not found))"
	DATABASE_URL= REDIS_URL= $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/pytest

# Debian's chromium for the browser tests and docker-compose to validate the compose file;
# installed only when missing (never a browser download).
browser-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
	@command -v docker-compose >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null; }

# axe-core for the accessibility scans of the browser tests, from npm at test time (never committed).
node-deps: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

compose-check: browser-deps
	SECRET_KEY=compose-check docker-compose -f docker-compose.yml config -q

# Mutation testing of the domain modules named in pyproject.toml's [tool.mutmut], on SQLite, bounded
# by MUTATION_MINUTES; results accumulate in mutants/ so a second run carries on. docs/mutation.md.
MUTATION_MINUTES ?= 30
mutation: install-dev
	$(BIN)/python -m pip install --quiet -e '.[dev,mutation]'
	DATABASE_URL= REDIS_URL= timeout --kill-after=30s $(MUTATION_MINUTES)m $(BIN)/mutmut run --max-children 2 || [ $$? -eq 124 ]
	$(BIN)/mutmut results

# Requests per second of the API's main lists beside a bare JsonResponse, over PostgreSQL (and Redis for the
# page cache): DATABASE_URL and REDIS_URL name them, and the database must hold data (docs/api.md, Speed).
BENCH_SECONDS ?= 10
bench-api: install
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
	$(BIN)/python manage.py bench_api --seconds $(BENCH_SECONDS)

clean:
	rm -rf $(VENV) db.sqlite3 var staticfiles mutants node_modules test-artifacts
