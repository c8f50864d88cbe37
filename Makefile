# netevents: `make run` serves the app, `make test` runs the whole suite. Both set everything up first.
# `make api-types` after changing the API: its OpenAPI document and the web app's types generated from it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

FRONTEND_SOURCES := $(shell find frontend/src frontend/public frontend/scripts -type f 2>/dev/null) \
	frontend/index.html frontend/vite.config.ts frontend/tsconfig.json

.PHONY: run test bench setup migrate clean api-types cluster

$(VENV)/.deps: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

frontend/node_modules/.deps: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend/dist/index.html: frontend/node_modules/.deps $(FRONTEND_SOURCES)
	cd frontend && npm run build

setup: $(VENV)/.deps frontend/dist/index.html

migrate: setup
	$(BIN)/flask db upgrade

run: migrate
	$(BIN)/flask seed-demo
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py wsgi:app

# nginx in front of two app instances and two mail workers on one PostgreSQL and Redis (scripts/cluster.py,
# docs/deploy.md); Ctrl-C stops them all. `make cluster CLUSTER_ARGS=--check` proves it and stops.
cluster: setup
	$(BIN)/python scripts/cluster.py $(CLUSTER_ARGS)

test: setup
	$(BIN)/python scripts/test_all.py

# Both files are committed: tests/api/test_web_types.py fails when the app serves another document, and
# `npm run api-types:check` (in `make test`) when the TypeScript is not the document's.
api-types: $(VENV)/.deps frontend/node_modules/.deps
	$(BIN)/python scripts/openapi_json.py frontend/openapi.json
	cd frontend && npm run --silent api-types

bench: setup
	$(BIN)/python bench/checkin_bench.py
	$(BIN)/python bench/directory_bench.py
	$(BIN)/python bench/mail_bench.py
	$(BIN)/python bench/follow_up_bench.py

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist .pytest_cache
