# Two commands on a fresh machine: `make app` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: app test lint workbooks bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

app: $(STAMP)
	$(BIN)/streamlit run streamlit_app.py

test: $(STAMP)
	$(BIN)/ruff check model tests benchmarks streamlit_app.py
	$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check model tests benchmarks streamlit_app.py
	$(BIN)/ruff format --check model tests benchmarks streamlit_app.py

workbooks: $(STAMP)
	$(BIN)/python -m model.export_examples workbooks

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py --samples 100000 --years 30 --json

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
