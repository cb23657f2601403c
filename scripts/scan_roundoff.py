"""Find numbers printed beyond a safe precision in stored chapter outputs and generated reports.

    python scripts/scan_roundoff.py chapters/lmsr.ipynb          # one chapter
    python scripts/scan_roundoff.py                               # every chapter and report

Prints one line per offending number (notebook, cell index, line, rule, text) and exits 1 if
there is any; the rules are in :mod:`mmkit.book.roundoff`. Run from the repository root.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mmkit.book.roundoff import scan_paths  # noqa: E402


def default_paths(root: Path = ROOT) -> list[Path]:
    """Every chapter notebook and every generated reproduction report."""
    return sorted(root.glob("chapters/*.ipynb")) + sorted(root.glob("reproduction/*.md"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (.ipynb) or reports (.md)")
    args = parser.parse_args(argv)
    findings = scan_paths(args.paths or default_paths())
    for finding in findings:
        print(str(finding).replace(f"{ROOT}/", ""))
    print(f"{len(findings)} number(s) printed beyond a safe precision")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
