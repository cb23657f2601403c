"""Reader-experience statistics of chapters (QuantEcon-style targets), used by tests/test_book.py.

For each chapter source ``chapters/<name>.py`` (jupytext percent format): words of prose per code
line, the median code-cell length, function/class definitions in code cells, and the longest code
line. Usage: ``python scripts/chapter_stats.py [chapters/x.py ...]``.
"""

from __future__ import annotations

import ast
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIN_WORDS_PER_CODE_LINE = 7.0
MAX_MEDIAN_CELL_LINES = 10


def cells(path: Path) -> list[tuple[str, list[str]]]:
    """(kind, lines) of each cell of a percent-format file; kind is 'markdown' or 'code'."""
    out: list[tuple[str, list[str]]] = []
    kind, buf = None, []
    for line in path.read_text().splitlines():
        if line.startswith("# %%"):
            if kind is not None:
                out.append((kind, buf))
            kind, buf = ("markdown" if "[markdown]" in line else "code"), []
            continue
        if kind is None:
            continue
        buf.append(line)
    if kind is not None:
        out.append((kind, buf))
    return out


def stats(path: Path) -> dict:
    words, code_lines, sizes, defs, longest = 0, 0, [], 0, 0
    for kind, lines in cells(path):
        if kind == "markdown":
            text = " ".join(re.sub(r"^#\s?", "", ln) for ln in lines)
            text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|\{[a-z:]+\}`[^`]*`|```.*?```", " ", text, flags=re.S)
            words += len(re.findall(r"[A-Za-z][A-Za-z'-]*", text))
        else:
            body = [ln for ln in lines if ln.strip() and not ln.strip().startswith("#")]
            code_lines += len(body)
            sizes.append(len(body))
            longest = max([longest, *(len(ln) for ln in body)])
            try:
                tree = ast.parse("\n".join(ln for ln in lines if not ln.startswith("%")))
                defs += sum(
                    isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                    for n in ast.walk(tree)
                )
            except SyntaxError:
                pass
    return {
        "chapter": path.stem,
        "words_per_code_line": round(words / max(code_lines, 1), 1),
        "median_cell_lines": statistics.median(sizes) if sizes else 0,
        "definitions": defs,
        "code_lines": code_lines,
        "prose_words": words,
        "longest_code_line": longest,
    }


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "chapters").glob("*.py"))
    bad = 0
    for p in paths:
        s = stats(p)
        ok = (
            s["words_per_code_line"] >= MIN_WORDS_PER_CODE_LINE
            and s["median_cell_lines"] <= MAX_MEDIAN_CELL_LINES
            and s["definitions"] == 0
        )
        bad += not ok
        print(("ok  " if ok else "FAIL"), s)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
