# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DATABASE_URL ?= sqlite:///var/quotegraph.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate sample serve lint typecheck schema lock clean models client-types

# --- environments (hash-checked installs from the lock files) ---------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.lock pyproject.toml | $(BIN)/python
	# --no-deps: the lock is complete (every dependency pinned and hashed), so pip resolves
	# nothing; a release after the lock (lxml 6.2.1 for justext's lxml[html_clean]) cannot
	# make it look for an unpinned version.
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev: requirements-dev.lock $(VENV)/.runtime
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.lock
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

# --- the service on SQLite with the sample article --------------------------------------------

migrate: install
	$(BIN)/quotegraph db upgrade

sample: migrate
	$(BIN)/quotegraph ingest examples/

run: sample
	@echo "Reads are public. To ingest through the API, create a key: $(BIN)/quotegraph keys create me"
	$(BIN)/quotegraph serve --host $(HOST) --port $(PORT)

# --- checks ------------------------------------------------------------------------------------

test: install-dev
	$(BIN)/pytest -q

lint: install-dev
	$(BIN)/ruff check app tests migrations benchmarks
	$(BIN)/ruff format --check app tests migrations benchmarks

typecheck: install-dev
	$(BIN)/mypy app

schema: install
	$(BIN)/quotegraph schema

# TypeScript types of the operations (clients/typescript), after `make schema` or new operations.
client-types:
	cd clients/typescript && npm ci --no-audit --no-fund && npm run generate

# Retrain the shipped claims model from ../shared/eval (same data and seed -> same weights).
EVAL_DATA ?= ../shared/eval
models: install-dev
	$(BIN)/quotegraph train claims --data $(EVAL_DATA)
	$(BIN)/quotegraph train attribution --data $(EVAL_DATA)

# Re-pin after editing pyproject.toml (needs uv: `pip install uv`).
lock:
	uv pip compile pyproject.toml --generate-hashes --no-strip-extras --python-version 3.11 -o requirements.lock
	uv pip compile pyproject.toml --extra dev --no-strip-extras --generate-hashes --python-version 3.11 -o requirements-dev.lock
	# pip 23 (what `python3 -m venv` brings) compares extras unnormalised and fails on justext's
	# lxml[html_clean] against uv's lxml[html-clean]; lxml-html-clean itself stays pinned.
	sed -i 's/^lxml\[html-clean\]==/lxml==/' requirements.lock requirements-dev.lock

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
