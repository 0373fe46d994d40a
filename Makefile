# OpenPol: `make run` serves the portal with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
HOST   ?= 127.0.0.1
# Every absolute link the portal makes (e-mails, QR codes, feeds) follows where `make run` serves it.
SITE_URL ?= http://$(HOST):$(PORT)
# `make run` serves the production shape (DEBUG=0: the portal's own error pages, hashed and compressed static files)
# on plain http with the demo data, and a secret key generated into var/ on first use. `make dev` keeps Django's
# debug pages and reloads on edits.
RUN_ENV = DEBUG=0 HTTPS=0 DEMO_MODE=1 SECRET_KEY_FILE=var/secret_key SITE_URL=$(SITE_URL) \
	ALLOWED_HOSTS=$(HOST),127.0.0.1,localhost,[::1] EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend

.PHONY: run run-env dev test setup install messages browser lint format bench soak fuzz clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Compiled catalogues are committed; recompile when gettext is at hand so edits to .po files take effect.
messages: install
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv -v 0; fi

var/secret_key:
	@mkdir -p var && umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

setup: install messages var/secret_key
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_reference
	$(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py collectstatic --noinput -v 0

# The background worker (mail, SMS, screening, periodic jobs) runs beside the server and stops with it.
run: setup
	@echo "OpenPol is at $(SITE_URL)/ (demo accounts: see README.md)"
	@$(RUN_ENV) $(PY) manage.py worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(RUN_ENV) $(VENV)/bin/uvicorn openpol.asgi:application --host $(HOST) --port $(PORT) --timeout-graceful-shutdown 5

# What `make run` sets, for the test that checks it serves the portal's own pages and links.
run-env:
	@echo $(RUN_ENV)

dev: setup
	@DEBUG=1 SITE_URL=$(SITE_URL) $(PY) manage.py worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	DEBUG=1 SITE_URL=$(SITE_URL) $(VENV)/bin/uvicorn openpol.asgi:application --host $(HOST) --port $(PORT) --reload

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

# The production shape (uvicorn, 2 workers, DEBUG=0, PostgreSQL at 127.0.0.1:5432, Redis db 12) under USERS simulated
# users for DURATION seconds, on a database of its own that it drops; one JSON line, non-zero on a failure (soak/README.md).
DURATION ?= 60
USERS    ?= 50
soak: install
	@$(PY) -m soak.run --duration $(DURATION) --users $(USERS)

# Schemathesis over the whole OpenAPI document as five roles, against a throw-away database (SQLite, or DATABASE_URL's):
# the longer campaign; CI runs `manage.py fuzz_api` with its default budget. Non-zero on any failure.
fuzz: install
	$(PY) manage.py fuzz_api --budget long

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
