# mmkit book: the two commands a newcomer needs are `make book` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
JOBS   ?= 2
# Deterministic numerics: one BLAS thread everywhere, fixed hash seed.
export OMP_NUM_THREADS=1
export OPENBLAS_NUM_THREADS=1
export MKL_NUM_THREADS=1
export PYTHONHASHSEED=0
export MMKIT_ROOT=$(CURDIR)

NOTEBOOKS := $(wildcard chapters/*.ipynb)
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: help venv book test unit nbval execute report smoke check check-site bench clean

help:
	@echo "make book     build the HTML book into _build/html (creates $(VENV) if needed)"
	@echo "make test     unit tests + nbval over every chapter + ledger and report checks"
	@echo "make execute  re-execute every chapter notebook in place (authors)"
	@echo "make check-site  open the built site in headless Chromium and screenshot it"
	@echo "make bench    run the benchmark scripts"
	@echo "make check    ruff (lint + format) and mypy"

# The virtual environment is rebuilt when pyproject.toml changes. torch comes first from
# the CPU wheel on disk, so that no other torch request pulls CUDA packages.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip >/dev/null
	$(PY) -m pip install torch==2.13.0
	$(PY) -m pip install -e ".[all]"
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

venv: $(VENV)/.installed

report: venv
	$(PY) -m mmkit report

book: venv
	$(PY) -m mmkit report
	$(PY) scripts/vendor_mathjax.py
	$(PY) scripts/vendor_datatables.py
	$(VENV)/bin/jupyter-book build . -W --keep-going
	@echo "site: _build/html/index.html"

unit: venv
	$(PY) -m pytest -n $(JOBS) tests

nbval: venv
	$(PY) -m pytest -n $(JOBS) --dist loadfile $(NBVAL) $(NOTEBOOKS)

# The README's test command. nbval re-executes every chapter against the current mmkit; under
# test the chapters write their ledgers to a build folder (the work tree stays clean), which is
# then compared with the committed ledgers by claim id, verdict and value.
LEDGER_BUILD := _build/ledger
test: venv
	rm -rf $(LEDGER_BUILD)
	MMKIT_LEDGER_DIR=$(CURDIR)/$(LEDGER_BUILD) $(PY) -m pytest -n $(JOBS) --dist loadfile tests $(NBVAL) $(NOTEBOOKS)
	$(PY) -m mmkit ledger compare --built $(LEDGER_BUILD)
	$(PY) -m mmkit ledger check
	$(PY) -m mmkit report --check

# Lint, format and type checks (CI runs this before the tests).
check: venv
	$(VENV)/bin/ruff check mmkit tests benchmarks scripts
	$(VENV)/bin/ruff format --check mmkit tests benchmarks scripts
	$(VENV)/bin/mypy

execute: venv
	$(PY) scripts/execute_notebooks.py $(NB)

check-site: venv
	$(PY) scripts/check_site.py _build/html

bench: venv
	for f in benchmarks/*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf _build .pytest_cache .hypothesis
