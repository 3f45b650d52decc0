# The two commands of README.md: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo serve test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Install, build a fresh SQLite database with the bundled demo data, and serve it on http://127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/chainmatch demo

## Install and run the whole suite: lint, types, architecture contract, tests on SQLite and PostgreSQL
test: $(STAMP) lint
	$(BIN)/pytest -n 2 -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

bench: $(STAMP)
	$(BIN)/python -m bench.import_speed
	$(BIN)/python -m bench.quality
	$(BIN)/python -m bench.match_speed
	$(BIN)/python -m bench.publish_speed
	$(BIN)/python -m bench.fuzz
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.access_speed
	$(BIN)/python -m bench.login_flood
	$(BIN)/python -m bench.faults

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache chainmatch-demo.db*
