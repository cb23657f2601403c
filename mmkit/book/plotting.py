"""One figure style for the whole book, and helpers that print what a figure plots.

Legibility: the book's content column is about 780 px wide at a 1366 px screen. Figures are at most
:data:`MAX_WIDTH_IN` inches wide at :data:`DPI` dots per inch, so they are shown at (nearly) their
natural size, and the smallest text (tick labels, 9 pt) renders at about 13 px, above the 10 px floor
(a test checks the width of every stored chapter figure). Wide grids of panels wrap into rows.

nbval ignores images, so every figure cell also prints, rounded, the numbers it draws:
:func:`print_curve` (a few points of a curve) and :func:`print_table` (the table behind
a bar chart or heat map).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Colour cycle (colour-blind safe, Okabe-Ito).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

#: Dots per inch of stored figures, and the largest figure width (inches): 7.0 in x 110 dpi = 770 px.
DPI = 110
MAX_WIDTH_IN = 7.0
#: Smallest font size used (points); 9 pt at 110 dpi is 13.75 px.
MIN_FONT_PT = 9

STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
    "font.size": 10,
    "svg.hashsalt": "mmkit",
}


def use_style() -> None:
    """Apply the book's matplotlib style (inline backend, fixed colours)."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(STYLE)  # type: ignore[arg-type]  # stubs want literal rc keys
    mpl.rcParams["axes.prop_cycle"] = cycler(color=PALETTE)


def subplots(
    nrows: int = 1, ncols: int = 1, *, width: float | None = None, height: float | None = None, **kw
):
    """``plt.subplots`` with the book's style and a size scaled to the grid.

    The width is capped at :data:`MAX_WIDTH_IN` so that text stays legible at the rendered width:
    a larger requested ``width`` is reduced to the cap, the height scaled by the same factor (at
    most down to 3/4), and the panels shrink while the fonts keep their size.
    """
    import matplotlib.pyplot as plt

    use_style()
    for name, v in (("width", width), ("height", height)):
        if v is not None and not (isinstance(v, (int, float)) and 0 < v < 100):
            raise ValueError(f"{name} must be a number of inches in (0, 100), got {v!r}")
    w = float(width) if width is not None else 3.4 * ncols + 0.6
    h = float(height) if height is not None else (3.0 if ncols > 2 else 3.3) * nrows + 0.3
    if w > MAX_WIDTH_IN:
        w, h = MAX_WIDTH_IN, h * max(MAX_WIDTH_IN / w, 0.75)
    fig, axes = plt.subplots(nrows, ncols, figsize=(w, h), constrained_layout=True, **kw)
    return fig, axes


def _r(v: float, digits: int) -> str:
    v = float(v)
    if not np.isfinite(v):
        return str(v)
    s = f"{round(v, digits):.{digits}f}"
    return "0." + "0" * digits if s.startswith("-") and float(s) == 0 else s


def print_curve(
    label: str,
    x: Sequence[float],
    y: Sequence[float],
    *,
    points: int = 5,
    digits: int = 4,
    xdigits: int | None = None,
) -> None:
    """Print ``points`` evenly spaced (x, y) pairs of a plotted curve, rounded."""
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    if xa.shape != ya.shape:
        raise ValueError(f"x has shape {xa.shape} but y has shape {ya.shape}")
    idx = np.unique(np.linspace(0, len(xa) - 1, min(points, len(xa))).round().astype(int))
    xd = digits if xdigits is None else xdigits
    pairs = ", ".join(f"({_r(xa[i], xd)}, {_r(ya[i], digits)})" for i in idx)
    print(f"{label}: {pairs}")


def print_table(
    rows: Sequence[str], cols: Sequence[str], values, *, digits: int = 4, title: str | None = None
) -> None:
    """Print a 2-D array with row and column labels, rounded to ``digits`` decimals."""
    v = np.atleast_2d(np.asarray(values, dtype=float))
    if v.shape != (len(rows), len(cols)):
        raise ValueError(f"values have shape {v.shape}, labels say {(len(rows), len(cols))}")
    cells = [[_r(a, digits) for a in row] for row in v]
    w0 = max(len(str(r)) for r in rows)
    ws = [max(len(str(c)), *(len(cells[i][j]) for i in range(len(rows)))) for j, c in enumerate(cols)]
    if title:
        print(title)
    print(" " * w0 + "  " + "  ".join(str(c).rjust(w) for c, w in zip(cols, ws)))
    for r, row in zip(rows, cells):
        print(str(r).ljust(w0) + "  " + "  ".join(s.rjust(w) for s, w in zip(row, ws)))
