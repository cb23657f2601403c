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

.PHONY: help venv venv-book lock book test test-cpu2 unit nbval execute report smoke check check-site bench clean

help:
	@echo "make book     build the HTML book into _build/html (creates $(VENV) if needed)"
	@echo "make test     unit tests + nbval over every chapter + ledger and report checks"
	@echo "make test-cpu2  nbval over every chapter again, under other BLAS/SIMD kernels (CI)"
	@echo "make execute  re-execute every chapter notebook in place (authors)"
	@echo "make check-site  open the built site in headless Chromium and screenshot it"
	@echo "make bench    run the benchmark suite (CPU time, ours vs peers; ~5 min)"
	@echo "make bench-quick  quick benchmark suite + ratio regression gate (CI)"
	@echo "make check    ruff (lint + format) and mypy"
	@echo "make lock     regenerate requirements/*.txt from pyproject.toml (pip-tools)"

# The environment is installed from the lock files in requirements/, never resolved afresh:
#   requirements/lock.txt  every extra (marl, ray, mdp, book, test, dev, bench), torch==2.13.0+cpu included;
#   requirements/book.txt  core + the book extra only (no torch), pinned to the same versions.
# `make book` installs only the book lock; `make test` (and every other target) the full lock,
# into the same .venv. `make lock` regenerates both from pyproject.toml with pip-tools.
LOCK      := requirements/lock.txt
BOOK_LOCK := requirements/book.txt

$(VENV)/.installed: $(LOCK) pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -r $(LOCK)
	$(PY) -m pip install --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@ $(VENV)/.installed-book

$(VENV)/.installed-book: $(BOOK_LOCK) pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -r $(BOOK_LOCK)
	$(PY) -m pip install --no-deps --no-build-isolation -e .
	touch $@

venv: $(VENV)/.installed
venv-book: $(VENV)/.installed-book

# Regenerate the locks (python 3.11, linux x86_64). Existing pins are kept unless pyproject.toml
# asks otherwise; `make lock LOCK_FLAGS=--upgrade` moves every pin to the newest allowed release.
# torch resolves to the local CPU wheel (2.13.0+cpu, no nvidia-* dependencies); the guard below
# fails if a CUDA build ever slips into the lock.
LOCK_FLAGS ?=
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --allow-unsafe --strip-extras --no-emit-index-url \
	--no-emit-find-links --no-emit-trusted-host $(LOCK_FLAGS)
lock:
	test -x $(VENV)/bin/pip-compile || { test -x $(PY) || $(PYTHON) -m venv $(VENV); \
		$(PY) -m pip install "$$(grep -E '^pip-tools==' $(LOCK))"; }
	$(PIP_COMPILE) --extra marl --extra ray --extra mdp --extra book --extra test --extra dev --extra bench \
		-o $(LOCK) pyproject.toml requirements/build.in
	$(PIP_COMPILE) --extra book -c $(LOCK) -o $(BOOK_LOCK) pyproject.toml requirements/build.in
	! grep -n -E '^(nvidia-|triton|torch==[0-9.]+$$)' $(LOCK) $(BOOK_LOCK)
	! grep -n -E '^torch' $(BOOK_LOCK)
	for f in $(LOCK) $(BOOK_LOCK); do cat requirements/header.txt $$f > $$f.tmp && mv $$f.tmp $$f; done

report: venv
	$(PY) -m mmkit report

book: venv-book
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

# Issue 10's proof on a second CPU configuration: every chapter re-executed under nbval with other
# BLAS / SIMD kernels (scripts/cpu_dispatch_check.py shows each variable changes result bits).
# Stored outputs pass both runs only if no printed number depends on round-off.
CPU2_ENV = $(shell $(PYTHON) scripts/cpu_dispatch_check.py --env)
# A subset (CPU2_NOTEBOOKS=chapters/lmsr.ipynb) compares only the ledgers its chapters wrote.
CPU2_NOTEBOOKS ?= $(NOTEBOOKS)
CPU2_SUBSET = $(filter-out $(CPU2_NOTEBOOKS),$(NOTEBOOKS))
test-cpu2: venv
	rm -rf _build/ledger-cpu2
	env $(CPU2_ENV) MMKIT_LEDGER_DIR=$(CURDIR)/_build/ledger-cpu2 \
		$(PY) -m pytest -n $(JOBS) --dist loadfile $(NBVAL) $(CPU2_NOTEBOOKS)
	$(PY) -m mmkit ledger compare --built _build/ledger-cpu2 $(if $(CPU2_SUBSET),$$(cd _build/ledger-cpu2 \
		&& ls *.json | sed 's/\.json$$//'))

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
