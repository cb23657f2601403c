"""What a reader triggers when re-executing each chapter: nbval CPU time per chapter.

``python -m benchmarks.chapters [--out benchmarks/results/chapters.json]`` runs
``pytest --nbval`` on every chapter in a child process (one BLAS thread, the book's sanitize
file) and records the child's CPU time (user + system, from ``resource.getrusage``), its wall
time and whether it passed. The Performance page shows the table; the book's budget is 90 s of
CPU for all chapters together.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_S = 90.0


def measure(nb: Path) -> dict:
    """nbval one chapter in a child process; CPU time of the child (and its kernel)."""
    env = dict(
        os.environ,
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        PYTHONHASHSEED="0",
        MMKIT_ROOT=str(ROOT),
        MMKIT_LEDGER_DIR=str(ROOT / "_build" / "ledger-bench"),
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(ROOT / "tests" / "nbval_sanitize.cfg"),
            str(nb),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"chapter": nb.stem, "cpu_s": round(cpu, 1), "wall_s": round(wall, 1), "passed": r.returncode == 0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "chapters.json")
    args = ap.parse_args(argv)
    rows = [measure(nb) for nb in sorted((ROOT / "chapters").glob("*.ipynb"))]
    total = round(sum(r["cpu_s"] for r in rows), 1)
    doc = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "budget_s": BUDGET_S,
        "total_cpu_s": total,
        "load_average_start": list(os.getloadavg()),
        "chapters": rows,
    }
    from mmkit.common.io import atomic_write_text

    atomic_write_text(args.out, json.dumps(doc, indent=1) + "\n")
    for r in rows:
        print(
            f"{r['chapter']:22s} {r['cpu_s']:6.1f} s CPU  {r['wall_s']:6.1f} s wall  {'ok' if r['passed'] else 'FAILED'}"
        )
    print(f"{'all chapters':22s} {total:6.1f} s CPU (budget {BUDGET_S:g} s)")
    return 0 if all(r["passed"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
