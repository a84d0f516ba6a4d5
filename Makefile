# DUI — two commands: `make run` (set up + start on SQLite with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
BENCH_PERSONS ?= 50000

.PHONY: run install test test-clock lint format bench e2e audit clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 ou plus récent est requis (PYTHON=python3.12 make …).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

run: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/pytest

# The unit suite under a fake clock at the hours dates go wrong (Paris already tomorrow, the
# nights of the clock changes): `.ci/clock`, or `CLOCK="2027-01-15 23:45:00" make test-clock`.
test-clock: install
	.ci/clock $(if $(CLOCK),"$(CLOCK)",)

# Known vulnerabilities of the installed dependencies (pip-audit; needs the network: without it,
# says so and fails rather than reporting an all-clear).
audit: install
	$(BIN)/python manage.py audit_dependencies

e2e: install
	$(BIN)/pytest tests/e2e

bench: install
	$(BIN)/python manage.py bench --persons $(BENCH_PERSONS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
