# On a fresh machine: `make venv` (or `make app`, `make test`) creates the venv when missing and
# installs the versions pinned in constraints.txt (the set the suite last passed with).
#   make test PYTHON=python3.13   the same, in a venv of that interpreter (.venv-python3.13)
#   make test-latest              the suite on the newest releases, unpinned (.venv-latest)
#   make lock                     refresh constraints.txt from the newest releases
PYTHON ?= python3
# One venv per interpreter, so `make test PYTHON=python3.13` never reuses 3.11's.
VENV ?= $(if $(filter python3,$(PYTHON)),.venv,.venv-$(notdir $(PYTHON)))
# Empty for an unpinned install of the newest releases.
CONSTRAINTS ?= constraints.txt
# The interpreter itself; a pyenv shim of a version that is installed but not selected
# (python3.13 beside a global 3.11) is run through that version.
PYTHON_EXE := $(shell $(PYTHON) -c 'import sys; print(sys.executable)' 2>/dev/null || \
	PYENV_VERSION=$$(pyenv versions --bare 2>/dev/null | \
	grep -E '^$(subst .,\.,$(patsubst python%,%,$(notdir $(PYTHON))))(\.[0-9]+)*$$' | tail -n 1) \
	$(PYTHON) -c 'import sys; print(sys.executable)' 2>/dev/null)
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/python -m pip --disable-pip-version-check
PINS := $(if $(CONSTRAINTS),-c $(CONSTRAINTS),--upgrade --upgrade-strategy eager)

.PHONY: venv app test test-latest lint workbooks docs odds answer-quarter bench lock clean

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -d $(VENV) || $(or $(PYTHON_EXE),$(PYTHON)) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet $(PINS) -e ".[dev]"
	touch $(STAMP)

# The venv alone, for the command line (`. .venv/bin/activate`, then `python -m model ...`).
venv: $(STAMP)

app: $(STAMP)
	$(BIN)/streamlit run streamlit_app.py

test: $(STAMP)
	$(BIN)/python --version
	$(BIN)/ruff check model app tests benchmarks notebooks streamlit_app.py
	$(BIN)/python -m pytest -n 2 -q -m "not serial"
	$(BIN)/python -m pytest -q -m serial

test-latest:
	rm -f .venv-latest/.installed
	$(MAKE) test CONSTRAINTS= VENV=.venv-latest

lint: $(STAMP)
	$(BIN)/ruff check model app tests benchmarks notebooks streamlit_app.py
	$(BIN)/ruff format --check model app tests benchmarks streamlit_app.py

workbooks: $(STAMP)
	$(BIN)/python -m model.workbook.examples workbooks

docs: $(STAMP)
	$(BIN)/python -m model.report.model_doc

# The README's odds: 64 draws of the six-lab market per scenario on a local dask cluster (16 left
# 12-13 points of standard error): 18 minutes on 2 cores alone, 41 beside a test run (December
# 2026, more rounds a draw since the customers' change); `make docs` then renders them.
odds: $(STAMP)
	$(BIN)/python -m model odds --samples 64 --workers 2 --no-results --format json > docs/odds.json.part && mv docs/odds.json.part docs/odds.json

# The market's answer solved again at quarterly steps (~6 minutes on 2 cores; docs/MODEL.md, "The
# market's steps", reads it, and tests/test_market_answer.py holds the prose to it).
answer-quarter: $(STAMP)
	$(BIN)/python -m model.market.answer --step quarter

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py --samples 100000 --years 30 --json

# Resolve the newest releases in a throw-away venv and pin them; then run `make test`.
# --all: setuptools too (which pip freeze omits below Python 3.12), tests/test_install.py builds
# the wheel with it; pip itself is whatever `--upgrade pip` brings.
lock:
	rm -rf .venv-lock
	$(or $(PYTHON_EXE),$(PYTHON)) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	{ echo "# Versions the test suite last passed with; refresh with 'make lock', then 'make test'."; \
	  echo "# Used as pip constraints by 'make app' and 'make test'; resolved on $$(.venv-lock/bin/python --version)."; \
	  .venv-lock/bin/python -m pip freeze --all --exclude pip --exclude-editable --disable-pip-version-check; } > constraints.txt
	rm -rf .venv-lock

clean:
	rm -rf .venv .venv-* .pytest_cache .ruff_cache
