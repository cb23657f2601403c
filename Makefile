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
	@echo "make bench    run the benchmark suite (CPU time, ours vs peers; ~5 min)"
	@echo "make bench-quick  quick benchmark suite + ratio regression gate (CI)"
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
	$(VENV)/bin/jupyter-book build . -W --keep-going
	@echo "site: _build/html/index.html"

unit: venv
	$(PY) -m pytest -n $(JOBS) tests

nbval: venv
	$(PY) -m pytest -n $(JOBS) --dist loadfile $(NBVAL) $(NOTEBOOKS)

# The README's test command. nbval re-executes every chapter against the current mmkit,
# which rewrites reproduction/ledger/*.json; the ledger and report checks then run on it.
test: venv
	$(PY) -m pytest -n $(JOBS) --dist loadfile tests $(NBVAL) $(NOTEBOOKS)
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

# --- benchmarks (issue 16) -------------------------------------------------------------
# bench: the full suite, table of ratios ours/peer in CPU time. bench-quick: small sizes, fails
# when a ratio grew more than BENCH_FACTOR x against the stored results. bench-publish: store a
# full run as benchmarks/results/latest.json and regenerate the book page performance.md.
BENCH_FACTOR ?= 2
.PHONY: bench-quick bench-publish
bench: venv
	$(PY) -m benchmarks

bench-quick: venv
	$(PY) -m benchmarks --quick --check benchmarks/results/latest.json --factor $(BENCH_FACTOR)

bench-publish: venv
	nice $(PY) -m benchmarks --out benchmarks/results/latest.json
	$(PY) -m benchmarks --render performance.md
# --- end benchmarks ---------------------------------------------------------------------

clean:
	rm -rf _build .pytest_cache .hypothesis
