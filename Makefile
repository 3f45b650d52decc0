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

## Install and run the whole suite: lint, types, architecture contract, tests on SQLite and PostgreSQL, and the
## browser journeys (tests/web) when /usr/bin/chromium is there (they are skipped, with the reason, when it is not)
test: $(STAMP) lint
	@test -x /usr/bin/chromium || echo "NOTE: /usr/bin/chromium not found: the browser journeys in tests/web will be skipped (apt-get install -y chromium)"
	$(BIN)/pytest -n 2 -p no:cacheprovider -rs

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
	$(BIN)/python -m bench.pages_speed

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache chainmatch-demo.db*
