"""Round-off scan: numbers printed beyond a precision that survives any IEEE-754 machine.

nbval compares the stored outputs of every chapter character by character, and ``report --check``
compares the reproduction report the same way. A printed number is safe only if every machine
rounds it to the same text. A residual of order machine epsilon is not: a floating-point result
``x`` computed by a different BLAS kernel (another CPU, another ``OPENBLAS_CORETYPE``) differs from
ours by a few units in the last place, ``|x' - x| <= k * eps * |x|`` with ``eps = 2**-52``, so
its leading digits survive only when ``|x|`` is far above the error of the computation. This module
flags the four ways round-off reaches the text:

``scientific``
    a number in scientific notation with exponent ``<= -9`` (``9.3e-15``, ``2.22e-15``), unless it
    is a bound: a single significant digit that is a power of ten (``1e-12``) or follows a
    comparison sign (``< 5e-10``, ``<= 1e-9``);
``tiny-fixed``
    a fixed-point number that is nonzero and below ``1e-8`` (``0.000000000093``);
``digits``
    a fixed-point number with more than :data:`MAX_SIGNIFICANT` significant digits
    (``0.30000000000000004``), more than any computation keeps exact across kernels;
``negative-zero``
    a zero printed with a minus sign (``-0.000``): a tiny negative round-off whose sign another
    machine may not share.

Only outputs are scanned (the cells' source may contain any literal), in every text-like
representation of a notebook output (stream, ``text/plain``, ``text/html``, ``text/markdown``,
``text/latex``), and every line of the generated reports.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MAX_SIGNIFICANT", "MIN_EXPONENT", "Finding", "scan_text", "scan_notebook", "scan_markdown"]

#: Most significant digits a fixed-point number may print.
MAX_SIGNIFICANT = 12
#: Scientific notation with an exponent at or below this one is round-off unless it is a bound.
MIN_EXPONENT = -9
#: Fixed-point numbers below this magnitude (and nonzero) are round-off.
TINY = 1e-8

_TEXT_TYPES = ("text/plain", "text/html", "text/markdown", "text/latex")
# A number not glued to a word, another number or a dotted version (2.13.0, sha 1e9f...).
_SCI = re.compile(r"(?<![\w.])(?P<mant>[-+]?(?:\d+\.?\d*|\.\d+))[eE](?P<exp>[-+]?\d+)(?![\w.])")
_FIXED = re.compile(r"(?<![\w.])(?P<num>[-+]?(?:\d+\.\d+|\.\d+))(?![\w.])")
_BOUND = re.compile(r"(?:<=?|≤|>=?|≥)\s*$")


@dataclass(frozen=True)
class Finding:
    """One number printed beyond a safe precision.

    Attributes
    ----------
    source : str
        The notebook or report path.
    cell : int or None
        Index of the cell in the notebook's ``cells`` list (``None`` for a report).
    line : int
        1-based line number inside the output (or the report).
    number : str
        The offending number as printed.
    rule : str
        ``scientific``, ``tiny-fixed``, ``digits`` or ``negative-zero``.
    text : str
        The whole line, stripped.
    """

    source: str
    cell: int | None
    line: int
    number: str
    rule: str
    text: str

    def __str__(self) -> str:
        where = f"{self.source}" + (f" cell {self.cell}" if self.cell is not None else "")
        return f"{where} line {self.line}: {self.number!r} ({self.rule}) in: {self.text[:160]}"


def _significant(digits: str) -> str:
    """The significant digits of a decimal mantissa (sign, point and leading zeros removed)."""
    return digits.lstrip("+-").replace(".", "").lstrip("0")


def _sci_rule(match: re.Match[str], line: str) -> str | None:
    """The rule a scientific-notation number breaks, or ``None`` when it is safe."""
    exponent = int(match["exp"])
    mantissa = match["mant"]
    if exponent > MIN_EXPONENT or float(mantissa) == 0.0:
        return None
    sig = _significant(mantissa).rstrip("0")
    if len(sig) == 1 and (sig == "1" or _BOUND.search(line[: match.start()])):
        return None  # a bound or a tolerance: 1e-12, < 5e-10
    return "scientific"


def _fixed_rule(number: str) -> str | None:
    """The rule a fixed-point number breaks, or ``None`` when it is safe."""
    value = float(number)
    if value == 0.0:
        return "negative-zero" if number.startswith("-") else None
    if abs(value) < TINY:
        return "tiny-fixed"
    if len(_significant(number)) > MAX_SIGNIFICANT:
        return "digits"
    return None


def _line_findings(line: str) -> Iterator[tuple[str, str]]:
    """(number, rule) for every unsafe number on one line."""
    for m in _SCI.finditer(line):
        rule = _sci_rule(m, line)
        if rule:
            yield m.group(0), rule
    masked = _SCI.sub(lambda m: " " * len(m.group(0)), line)
    for m in _FIXED.finditer(masked):
        rule = _fixed_rule(m["num"])
        if rule:
            yield m["num"], rule


def scan_text(text: str, source: str, cell: int | None = None) -> list[Finding]:
    """Scan a block of printed text line by line.

    Parameters
    ----------
    text : str
        Printed output (HTML entities such as ``&lt;`` are decoded first).
    source : str
        Name to report (notebook or report path).
    cell : int, optional
        Notebook cell index to report.

    Returns
    -------
    list of Finding
        Every unsafe number, in order of appearance.
    """
    found = []
    for i, line in enumerate(html.unescape(text).splitlines(), start=1):
        for number, rule in _line_findings(line):
            found.append(Finding(source, cell, i, number, rule, line.strip()))
    return found


def _output_texts(output: dict) -> Iterable[str]:
    """Every text representation of one notebook output."""
    if output.get("output_type") == "stream":
        yield _join(output.get("text", ""))
    elif output.get("output_type") == "error":
        yield "\n".join(output.get("traceback", []))
    for mime in _TEXT_TYPES:
        if mime in output.get("data", {}):
            yield _join(output["data"][mime])


def _join(text: str | list[str]) -> str:
    return text if isinstance(text, str) else "".join(text)


def scan_notebook(path: str | Path) -> list[Finding]:
    """Scan the stored outputs (never the source) of every cell of a notebook.

    Parameters
    ----------
    path : str or Path
        A ``.ipynb`` file.

    Returns
    -------
    list of Finding
        Every unsafe number with its cell index (position in the notebook's ``cells`` list).
    """
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    found = []
    for index, cell in enumerate(nb.get("cells", [])):
        for output in cell.get("outputs", []):
            for text in _output_texts(output):
                found.extend(scan_text(text, str(path), index))
    return found


def scan_markdown(path: str | Path) -> list[Finding]:
    """Scan every line of a generated report (markdown).

    Parameters
    ----------
    path : str or Path
        A ``.md`` file such as ``reproduction/report.md``.

    Returns
    -------
    list of Finding
        Every unsafe number with its line number.
    """
    return scan_text(Path(path).read_text(encoding="utf-8"), str(path))


def scan_paths(paths: Iterable[str | Path]) -> list[Finding]:
    """Scan notebooks (``.ipynb``) and reports (any other text file)."""
    found: list[Finding] = []
    for path in paths:
        scan = scan_notebook if str(path).endswith(".ipynb") else scan_markdown
        found.extend(scan(path))
    return found
