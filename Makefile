# Leadership OS: `make run` serves the app with the sample org (and runs the outbound worker beside it); `make test` runs the whole suite.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench install install-test chromium node clean

$(VENV)/.base: pyproject.toml
	@test -x $(PY) || { interp=$$(scripts/find-python) && echo "Creating $(VENV) with $$interp" && "$$interp" -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.test: $(VENV)/.base pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.base
install-test: $(VENV)/.test

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py load_sample --if-empty --demo-users
	$(PY) manage.py sync_occurrences
	@echo "Leadership OS: http://$(HOST):$(PORT)/ (the outbound worker runs beside it; mail lands in mail/)"
	@$(PY) manage.py outbound_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

chromium:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Chromium for the browser tests (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "The browser tests need Chromium at $(CHROMIUM)."; \
	  echo "Install it (Debian/Ubuntu: 'sudo apt-get install chromium') or set CHROMIUM=/path/to/chromium."; \
	  exit 1; \
	fi

# The JavaScript readers the suite checks the app's output with (ical.js for the calendar feed),
# installed from tests/js/package-lock.json; nothing is fetched while the tests run.
tests/js/node_modules/.package-lock.json: tests/js/package.json tests/js/package-lock.json
	@if command -v npm >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Node.js for the calendar feed's tests (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	else \
	  echo "The tests need Node.js and npm (Debian/Ubuntu: 'sudo apt-get install nodejs npm')."; \
	  exit 1; \
	fi
	npm ci --prefix tests/js --no-audit --no-fund --silent

node: tests/js/node_modules/.package-lock.json

test: install-test chromium node
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) tests/js/node_modules staticfiles mail db.sqlite3 db.sqlite3-wal db.sqlite3-shm

bench: install
	$(PY) bench/run.py
