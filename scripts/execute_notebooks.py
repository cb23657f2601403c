"""Re-execute chapter notebooks in place (for authors): ``make execute``.

For each chapter: sync the .ipynb from its paired percent-format .py (jupytext), execute
it top to bottom in a fresh kernel with the book's deterministic environment, strip
volatile metadata (timestamps), and write it back. Then regenerate the reproduction report.

Usage::

    python scripts/execute_notebooks.py                 # every chapter
    python scripts/execute_notebooks.py chapters/lmsr.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = int(os.environ.get("MMKIT_CELL_TIMEOUT", "1200"))


def strip_volatile(nb: nbformat.NotebookNode) -> None:
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("execution", None)


def execute(path: Path) -> None:
    py = path.with_suffix(".py")
    ipynb = path.with_suffix(".ipynb")
    src = py if py.exists() else ipynb
    nb = jupytext.read(src)
    for i, cell in enumerate(nb.cells):  # stable cell ids: re-execution gives small diffs
        cell.id = f"cell-{i:03d}"
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    t0 = time.perf_counter()
    client = NotebookClient(
        nb, timeout=TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(ipynb.parent)}}
    )
    client.execute()
    strip_volatile(nb)
    jupytext.write(nb, ipynb)  # the .py source is never rewritten: edits made meanwhile are safe
    print(f"executed {ipynb.relative_to(ROOT)} in {time.perf_counter() - t0:.1f} s", flush=True)


def main(argv: list[str]) -> int:
    # the book's deterministic environment (as the Makefile sets it), inherited by the kernel
    for key, value in (
        ("PYTHONHASHSEED", "0"),
        ("OMP_NUM_THREADS", "1"),
        ("OPENBLAS_NUM_THREADS", "1"),
        ("MKL_NUM_THREADS", "1"),
        ("MMKIT_ROOT", str(ROOT)),
    ):
        os.environ.setdefault(key, value)
    paths = [Path(a).resolve() for a in argv] or sorted((ROOT / "chapters").glob("*.ipynb"))
    for p in paths:
        execute(p)
    from mmkit.book import report

    print(f"wrote {report.write(ROOT).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
