"""Run the benchmark suite, print the table of ratios, write JSON; gate or render from stored results.

Usage::

    python -m benchmarks                          # full suite (~4 minutes of CPU)
    python -m benchmarks --quick                  # small sizes (~1 minute)
    python -m benchmarks --out results.json       # where the JSON goes
    python -m benchmarks --quick --check benchmarks/results/latest.json --factor 2
    python -m benchmarks --render performance.md  # the book page from the stored results

``--check`` exits with status 1 when a case's ratio (ours / peer) grew by more than
``--factor`` against the stored results, and names the case. A case over the factor is measured
a second time and the lower ratio counts, so one load spike does not fail the gate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # ``python benchmarks/run.py`` from the repository root
    sys.path.insert(0, str(ROOT))

from benchmarks.harness import gate, run_case  # noqa: E402

STORED = HERE / "results" / "latest.json"
PACKAGES = [
    "mmkit-book",
    "numpy",
    "scipy",
    "quantecon",
    "numba",
    "xaddpy",
    "symengine",
    "sympy",
    "matplotlib",
]
#: Settings per mode: interleaved repeats per side, minimum CPU seconds per sample.
MODES = {"full": {"repeats": 5, "target": 0.05}, "quick": {"repeats": 5, "target": 0.03}}


def cpu_model() -> str:
    """The CPU model from /proc/cpuinfo (or platform.processor() elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def package_versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for p in PACKAGES:
        try:
            out[p] = version(p)
        except PackageNotFoundError:
            out[p] = None
    return out


def git_commit() -> str | None:
    try:
        r = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return r.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def load_average() -> list[float] | None:
    """1, 5 and 15 minute load averages (other processes competing for the cores)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def metadata(mode: str) -> dict:
    return {
        "mode": mode,
        **MODES[mode],
        "clock": "time.process_time (CPU time of the process)",
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "threads": {
            k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
        },
        "packages": package_versions(),
        "commit": git_commit(),
        "load_average_start": load_average(),
    }


def fmt_time(t: float) -> str:
    """Seconds in a readable unit, 3 significant digits."""
    for unit, f in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if t >= f:
            return f"{t / f:.3g} {unit}"
    return f"{t / 1e-9:.3g} ns"


def table_lines(cases: list[dict]) -> list[str]:
    head = f"{'case':<36} {'ours min':>10} {'peer min':>10} {'ratio':>9}  {'med/med':>8}  peer or limit"
    lines = [head, "-" * len(head)]
    for r in cases:
        med = r["ours_median"] / r["peer_median"] if r["peer_median"] > 0 else float("inf")
        lines.append(
            f"{r['key']:<36} {fmt_time(r['ours_min']):>10} {fmt_time(r['peer_min']):>10} "
            f"{r['ratio']:>9.3g}  {med:>8.3g}  {r['peer']}"
        )
    return lines


def run_suite(
    quick: bool,
    only: list[str] | None = None,
    repeats: int | None = None,
    verbose: bool = True,
    keys: set[str] | None = None,
) -> dict:
    """Run every case (or the groups in ``only``, or the cases ``keys``) and return the results."""
    from benchmarks.cases import FACTORIES, xaddpy_version

    mode = "quick" if quick else "full"
    meta = metadata(mode)
    if repeats is not None:
        meta["repeats"] = repeats
    notes = []
    if xaddpy_version() is None:
        notes.append("xaddpy is not installed: the XADD cases were skipped")
    from benchmarks.cases import lmsr_numba

    if lmsr_numba() is None:
        notes.append("numba is not installed: the numba LMSR case was skipped")
    unknown = set(only or []) - set(FACTORIES)
    if unknown:
        raise ValueError(f"only must name groups among {sorted(FACTORIES)}, got {sorted(unknown)}")
    t0 = time.process_time()
    cases = []
    for name, factory in FACTORIES.items():
        if only and name not in only:
            continue
        for case in factory(quick):
            if keys is not None and case.key not in keys:
                continue
            rec = run_case(case, meta["repeats"], meta["target"])
            cases.append(rec)
            if verbose:
                print(table_lines([rec])[-1], flush=True)
    meta["cpu_seconds_total"] = round(time.process_time() - t0, 1)
    meta["load_average_end"] = load_average()
    meta["notes"] = notes
    return {"meta": meta, "cases": cases}


def load(path: Path) -> dict:
    with open(path) as fh:
        doc = json.load(fh)
    if not isinstance(doc, dict) or "cases" not in doc:
        raise ValueError(f"{path} is not a benchmark results file (no 'cases')")
    return doc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (CI)")
    ap.add_argument(
        "--out", type=Path, default=None, help="results JSON (default benchmarks/results/last-<mode>.json)"
    )
    ap.add_argument("--only", nargs="*", default=None, help="case groups to run (default: all)")
    ap.add_argument("--repeats", type=int, default=None, help="interleaved samples per side")
    ap.add_argument("--check", type=Path, default=None, help="stored results to gate the ratios against")
    ap.add_argument("--factor", type=float, default=2.0, help="allowed growth of a ratio (default 2)")
    ap.add_argument("--render", type=Path, default=None, help="write the book page from --results and exit")
    ap.add_argument("--results", type=Path, default=STORED, help="stored results for --render")
    args = ap.parse_args(argv)

    if args.render is not None:
        from benchmarks.render import render

        render(load(args.results), args.render)
        print(f"wrote {args.render}")
        return 0

    doc = run_suite(args.quick, args.only, args.repeats)
    meta = doc["meta"]
    print()
    print("\n".join(table_lines(doc["cases"])))
    print(
        f"\nratio = min CPU time of ours / min of the peer or limit (> 1: ours slower), "
        f"{meta['repeats']} interleaved samples per side; {meta['cpu']}; "
        f"{meta['cpu_seconds_total']} s CPU in all"
    )
    for n in meta["notes"]:
        print("note:", n)
    out = args.out or HERE / "results" / f"last-{meta['mode']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {out}")

    if args.check is not None:
        stored = load(args.check)["cases"]
        bad, missing = gate(doc["cases"], stored, args.factor)
        if bad:
            # A regression must show twice: the failing cases are measured once more and the
            # lower ratio is kept (a passing load spike is not a regression).
            print(f"gate: {len(bad)} case(s) over {args.factor:g}x, measuring them again:")
            again = {r["key"]: r for r in run_suite(args.quick, keys={b.key for b in bad})["cases"]}
            doc["cases"] = [
                dict(again[r["key"]], remeasured=True)
                if r["key"] in again and again[r["key"]]["ratio"] < r["ratio"]
                else r
                for r in doc["cases"]
            ]
            out.write_text(json.dumps(doc, indent=1) + "\n")
            bad, missing = gate(doc["cases"], stored, args.factor)
        if missing:
            print(f"gate: no stored ratio for {', '.join(missing)} (not checked)")
        if bad:
            print(f"gate: FAILED, {len(bad)} ratio(s) regressed by more than {args.factor:g}x:")
            for b in bad:
                print("  ", b)
            return 1
        print(
            f"gate: passed ({len(doc['cases']) - len(missing)} ratios within {args.factor:g}x of {args.check})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
