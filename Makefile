# Two commands set up a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
MADE   := $(VENV)/.made
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: demo test schema docs picture plain-words bench clean

# A half-made environment (venv failed, pip missing) is removed and made again.
$(MADE):
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(STAMP): $(MADE) pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TSTAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(STAMP)
	@echo "== driverkit check on every example"
	$(BIN)/driverkit check examples/*.yaml
	@echo
	@echo "== and on one written with mistakes on purpose (it fails, as it should)"
	-$(BIN)/driverkit check examples/invalid/several-mistakes.yaml
	@echo
	@echo "== every view of every example in out/ (system Graphviz when installed, else the embedded one):"
	@echo "== diagrams, plans, logic models, PDSA logs, spread plans, link matrices, a one-page report for the board"
	@echo "== (HTML, and PDF on A4), each measure's data with its chart's figures, and a slide deck"
	$(BIN)/driverkit render examples/*.yaml -o out --view all -f svg,png,pdf,html,md,csv,xlsx,pptx
	@echo
	@echo "== a driver diagram kept in a spreadsheet, imported as a project file and checked"
	$(BIN)/driverkit import examples/import/outline.xlsx -o out/outline.yaml --force
	$(BIN)/driverkit check out/outline.yaml
	@echo
	@echo "== run charts and SPC charts of the examples' measures with data (illustrative data)"
	$(BIN)/driverkit chart examples/maternity.yaml examples/sepsis.yaml -o out -f svg,png
	@echo
	@echo "== a national programme and its seven member trusts at once: coverage, common ground (and near matches to review), spread, comparison"
	$(BIN)/driverkit programme examples/programme/national.yaml --review-from 60 -o out/programme -f svg,png,html,md

test: $(TSTAMP)
	$(BIN)/python -m pytest -q -n 2

schema: $(STAMP)
	$(BIN)/driverkit schema -o schemas/driverkit.schema.json

docs: $(STAMP)
	$(BIN)/driverkit rules --format markdown > docs/rules.md.tmp && mv docs/rules.md.tmp docs/rules.md

# The English words never read as a slip for a word of the field, after a change to the vocabulary.
plain-words: $(TSTAMP)
	$(BIN)/python tools/plain_words.py

picture: $(STAMP)
	$(BIN)/driverkit render examples/maternity.yaml -o docs -f png --backend embedded
	$(BIN)/python -c "import driverkit, pathlib; from driverkit.output.programme_map import programme_map; pathlib.Path('docs/programme-map.png').write_bytes(programme_map(driverkit.load_programme('examples/programme/national.yaml'), 'png', backend='embedded'))"

# Each script prints its goals with its figures and its peer's, measured in the same run.
bench: $(STAMP)
	$(BIN)/python -c "import check_jsonschema" 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/check_startup.py
	$(BIN)/python benchmarks/check_scaling.py
	$(BIN)/python benchmarks/series_speed.py
	$(BIN)/python benchmarks/render_speed.py
	$(BIN)/python benchmarks/chart_speed.py
	$(BIN)/python benchmarks/programme_scale.py --members 136

clean:
	rm -rf $(VENV) build dist out .pytest_cache
