# The two commands: `make run` and `make test`. Everything else is a helper of theirs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test install migrate seed lint typecheck imports migrations-check pytest js messages clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py runall

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy clinic bridging

imports: install
	$(VENV)/bin/lint-imports

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# The JavaScript reference implementations used by differential tests and benchmarks.
js:
	@if command -v npm >/dev/null 2>&1; then \
		test -d tests/js/node_modules || npm ci --prefix tests/js --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: tests against the JavaScript reference will be skipped"; fi

pytest: install js
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

test: lint typecheck imports migrations-check pytest

# Project-wide strings (clinic/core, templates/) live in locale/; each other app keeps its own
# catalogue in <app>/locale/, so people working on different apps never edit the same file.
APP_LOCALES := $(patsubst %/locale,%,$(wildcard clinic/*/locale bridging/*/locale))
messages: install
	$(PY) manage.py makemessages --no-wrap -l id --ignore=.venv --ignore=tests --ignore=bridging \
		$(foreach a,$(APP_LOCALES),--ignore=$(a))
	@for app in $(APP_LOCALES); do (cd $$app && $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages --no-wrap -l id); done
	$(PY) manage.py compilemessages -l id --ignore=.venv

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
