# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Links in emails point at the server `make run` starts.
DEV_ENV := DJANGO_DEBUG=1 EXTRANET_BASE_URL=http://$(HOST):$(PORT)

# The first interpreter that really runs and is >= 3.12 (pyenv shims exist even for missing versions).
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)

.PHONY: help run test setup lint messages vendor clean bench audit backup restore serve loadtest

help:
	@echo "make run    set up .venv, migrate var/extranet.sqlite3, load the demo, serve http://$(HOST):$(PORT)"
	@echo "make test   install the dev requirements and run the whole test suite"
	@echo "make serve  the production stack on this machine: nginx, gunicorn, PostgreSQL, Redis, task worker (docs/deploy.md)"
	@echo "make lint   ruff and the migrations check"
	@echo "make messages   extract and compile the de/fr translations (needs gettext)"
	@echo "make vendor     re-fetch the pinned Bootstrap and htmx builds from the npm registry"
	@echo "make bench      time the public directory against a baseline page, and the sales import in rows/s, on the current database (BENCH_ARGS=...)"
	@echo "make loadtest   locust: 50 users for 2 minutes against make serve on the 100,000-partner data set"
	@echo "make audit      Lighthouse scores of the directory and a profile, MDN Observatory grade of the TLS build"
	@echo "make backup     back up the database, logos and library files to var/backups/extranet-<timestamp>.tar.gz"
	@echo "make restore FILE=var/backups/....tar.gz   replace the database and media with that backup (asks first; YES=1 skips)"

$(VENV)/.python-ok:
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: Python >= 3.12 is required, but none of python3.13, python3.12, python3 is >= 3.12."; \
		echo "       Install one (e.g. 'pyenv install 3.13' or your system's python3.13 package) and retry,"; \
		echo "       or point make at it: make run PYTHON=/path/to/python3.13"; \
		exit 1; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	@touch $@

$(VENV)/.requirements: requirements.txt $(VENV)/.python-ok
	$(VENV)/bin/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.requirements-dev: requirements-dev.txt requirements.txt $(VENV)/.python-ok
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.requirements

setup: $(VENV)/.requirements
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py createcachetable

run: setup
	$(DEV_ENV) $(PY) manage.py load_demo
	@echo "Serving http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/, sent mail: var/mail/)"
	@echo "Background tasks (newsletter sending) run in a worker started alongside; both stop with Ctrl-C."
	@$(DEV_ENV) $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.requirements-dev
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "note: /usr/bin/chromium is missing, so the browser tests will be skipped."; \
		echo "      Install it with: apt-get update && apt-get install -y chromium"; \
	fi
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.requirements-dev
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

messages: $(VENV)/.requirements
	$(PY) manage.py makemessages -l de -l fr --ignore=.venv --ignore=var --ignore=node_modules --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

vendor:
	scripts/vendor_static.sh

clean:
	rm -rf $(VENV) var/static .pytest_cache .ruff_cache

# Not part of `make test`: timings and scores depend on the machine. docs/performance.md has the figures.
BENCH_ARGS ?=
bench: $(VENV)/.requirements
	DJANGO_DEBUG=0 $(PY) manage.py collectstatic --noinput -v0
	$(PY) scripts/bench.py $(BENCH_ARGS)

audit: $(VENV)/.requirements
	scripts/audit.sh

# Production-like, on PostgreSQL; every setting from the environment (.env.example), see docs/deploy.md.
serve: $(VENV)/.requirements
	scripts/serve.sh

loadtest: $(VENV)/.requirements
	scripts/loadtest.sh

# One .tar.gz with the database (pg_dump on PostgreSQL, SQLite's backup API) and both media folders.
backup: $(VENV)/.requirements
	$(PY) manage.py backup

restore: $(VENV)/.requirements
	@if [ -z "$(FILE)" ]; then echo "usage: make restore FILE=var/backups/extranet-<timestamp>.tar.gz"; exit 1; fi
	$(PY) manage.py restore "$(FILE)" $(if $(YES),--yes)
