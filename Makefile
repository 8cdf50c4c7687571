# Every target that runs code first makes sure .venv exists and matches pyproject.toml,
# so `make demo` and `make test` each work as the first command on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format typecheck golden bench serve clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m provenance.demo --db demo.db

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

golden: $(STAMP)
	UPDATE_GOLDEN=1 $(BIN)/pytest tests/test_crawlers.py

# The indexed trace against the naive scan at 10k and 100k units; writes benchmarks/README.md.
bench: $(STAMP)
	$(BIN)/python benchmarks/trace.py --units 10000 --units 100000 --write-readme

serve: $(STAMP)
	$(BIN)/provenance --db demo.db serve

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm
