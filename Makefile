# Two commands set up a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: demo test check schema docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TSTAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(STAMP)
	@echo "== driverkit check on every example (the files under examples/invalid/ fail on purpose)"
	$(BIN)/driverkit check examples/*.yaml

test: $(TSTAMP)
	$(BIN)/python -m pytest -q

schema: $(STAMP)
	$(BIN)/driverkit schema -o schemas/driverkit.schema.json

docs: $(STAMP)
	$(BIN)/driverkit rules --format markdown > docs/rules.md

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/check_startup.py
	$(BIN)/python benchmarks/check_scaling.py

clean:
	rm -rf $(VENV) build dist out .pytest_cache
