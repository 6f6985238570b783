# Outstanding: every target does its own set-up first, so each works alone on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY := .venv/bin/python
DEMO_DB := var/demo.sqlite3
SEED ?= 42
SCALE ?= 1.0

.PHONY: help setup demo test lint format bench chromium clean

help:
	@echo "make setup   virtual environment, Python and npm packages, static assets, Chromium for browser tests"
	@echo "make demo    set up, build the synthetic demo on SQLite and serve it at http://127.0.0.1:8000"
	@echo "make test    set up, then lint and every test (PostgreSQL when DATABASE_URL says so)"
	@echo "make bench   set up, then every benchmark in bench/ at its default size"

.venv/.installed: pyproject.toml requirements.lock
	test -x .venv/bin/python || python3.11 -m venv .venv || python3 -m venv .venv
	.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip==25.3
	.venv/bin/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/static/.built: node_modules/.installed outstanding/web/assets/app.scss
	mkdir -p build/static/govuk/assets build/static/js
	npx sass --quiet --quiet-deps --no-source-map --style=compressed --load-path=node_modules --load-path=. \
		outstanding/web/assets/app.scss build/static/app.css
	cp -R node_modules/govuk-frontend/dist/govuk/assets/. build/static/govuk/assets/
	cp -R node_modules/@ministryofjustice/frontend/moj/assets/. build/static/govuk/assets/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js build/static/js/
	cp node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js build/static/js/
	touch $@

# Browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
chromium:
	@command -v chromium >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Chromium is missing: run 'sudo apt-get install chromium' (browser tests need it)"; exit 1; \
		fi; }

setup: .venv/.installed build/static/.built chromium

demo: setup
	mkdir -p var
	rm -f $(DEMO_DB)
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(PY) manage.py migrate --no-input -v 0
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(PY) manage.py generate_demo --partnership tri-borough --seed $(SEED) --scale $(SCALE)
	@# Synthetic returns with a few known errors, for the returns page (sign in as performance-analyst.<council>).
	.venv/bin/outstanding synthetic var/demo-returns --children 4000 --year 2025-26 --seed $(SEED) --inject-cin 1510,8540 --inject-903 101,144,1006
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(PY) manage.py runserver 127.0.0.1:8000

lint: .venv/.installed
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: .venv/.installed
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

test: setup lint
	OUTSTANDING_ENVIRONMENT=test .venv/bin/pytest -n 2

bench: setup
	@for b in bench/*.py; do echo "# $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf build var .pytest_cache
