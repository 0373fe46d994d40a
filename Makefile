# OpenPol: `make run` serves the portal with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
HOST   ?= 127.0.0.1

.PHONY: run test setup install messages browser lint format bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Compiled catalogues are committed; recompile when gettext is at hand so edits to .po files take effect.
messages: install
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv -v 0; fi

setup: install messages
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_reference
	$(PY) manage.py seed_demo

run: setup
	@echo "OpenPol is at http://$(HOST):$(PORT)/ (demo accounts: see README.md)"
	$(VENV)/bin/uvicorn openpol.asgi:application --host $(HOST) --port $(PORT) --timeout-graceful-shutdown 5

# Browser tests drive Debian's chromium; install it when missing and we may (root), else they are skipped.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1)) \
	      || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "warning: chromium is missing; browser tests will be skipped (apt-get install chromium)"; fi; }

test: install messages browser
	$(VENV)/bin/ruff check --quiet .
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
