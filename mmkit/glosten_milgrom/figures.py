"""Drawing helpers for the shock chapter: curves of the three market makers with the source's
digitised points as crosses, and heat maps. They draw on axes the caller creates (the book's
style lives in :mod:`mmkit.book.plotting`), so this module needs only matplotlib's axes API."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mmkit.common.validation import (
    check_array,
    check_axes,
    check_axes_seq,
    check_bool,
    check_finite,
    check_real_array,
    check_sequence,
    check_str,
)

__all__ = ["MM_LABELS", "paper_points", "plot_curves", "plot_heatmaps"]

#: Legend labels of the three market makers, in the order of the sweeps.
MM_LABELS = ("Opt.", "Myopic", "Zero profit")


def paper_points(values) -> np.ndarray:
    """The source's values as floats, with off-axis entries such as ``">80"`` as nan.

    Parameters
    ----------
    values : sequence
        Finite numbers, or strings ``">x"`` / ``"<x"`` for points off the source's axis.
    """
    out = []
    for v in check_sequence(values, "values", what="a sequence of numbers or '>x' strings"):
        if isinstance(v, str):
            if v[:1] not in (">", "<"):
                raise ValueError(f"values entries must be finite numbers or strings '>x' / '<x', got {v!r}")
            out.append(np.nan)
        else:
            out.append(check_finite(v, "values entry"))
    return np.array(out)


def plot_curves(
    ax,
    x,
    Y,
    colors: Sequence[str],
    *,
    labels: Sequence[str] = MM_LABELS,
    paper: Sequence | None = None,
    legend: bool = True,
    **line_kw,
) -> None:
    """Plot each row of ``Y`` against ``x``; ``paper[i]`` = (xs, ys) or None adds crosses.

    Parameters
    ----------
    ax : matplotlib Axes
    x : array_like, shape (T,)
    Y : array_like, shape (rows, T)
    colors, labels : sequences with at least one entry per row (``colors`` may be a string of
        single-letter colours such as ``"kk"``)
    paper : sequence of (xs, ys) or None, optional
        The source's points for each row (``ys`` may contain strings such as ``">80"``,
        drawn as gaps).
    legend : bool
        Draw the legend (small font when there are more than four entries).
    **line_kw
        Passed to ``ax.plot`` for the curves (e.g. ``marker="."``).
    """
    check_axes(ax, "ax")
    x = check_real_array(x, "x", allow_inf=True, allow_nan=True)
    Y = np.atleast_2d(check_array(Y, "Y", finite=False))
    if Y.ndim != 2 or x.ndim != 1 or Y.shape[1] != x.size:
        raise ValueError(f"Y must have shape (rows, len(x)) = (*, {x.size}), got {Y.shape}")
    if isinstance(colors, str):  # "kk": one single-letter Matplotlib colour per row
        colors = list(colors)
    colors = check_sequence(colors, "colors", what="a sequence of colours")
    labels = check_sequence(labels, "labels", what="a sequence of labels")
    if len(colors) < Y.shape[0]:
        raise ValueError(f"colors needs one entry per row of Y ({Y.shape[0]}), got {len(colors)}")
    if len(labels) < Y.shape[0]:
        raise ValueError(f"labels needs one entry per row of Y ({Y.shape[0]}), got {len(labels)}")
    if paper is not None:
        paper = check_sequence(paper, "paper", what="a sequence of (xs, ys) or None")
        if len(paper) < Y.shape[0]:
            raise ValueError(f"paper needs one entry per row of Y ({Y.shape[0]}), got {len(paper)}")
    check_bool(legend, "legend")
    for i, row in enumerate(Y):
        ax.plot(x, row, color=colors[i], label=labels[i], **line_kw)
        if paper is not None and paper[i] is not None:
            xs, ys = paper[i]
            ax.plot(xs, paper_points(ys), "x", color=colors[i], ms=7)
    if paper is not None:
        ax.plot([], [], "x", color="grey", label="paper (digitised)")
    if legend:
        n = len(ax.get_legend_handles_labels()[1])
        ax.legend(fontsize=8 if n > 4 else None)


def plot_heatmaps(axes, x, y, Zs, titles, *, xlabel: str, ylabel: str, vmin=0.0, vmax=1.0):
    """One ``pcolormesh`` per axis (``Zs[i]`` of shape (len(y), len(x))); returns the last
    mappable for a shared colour bar.

    ``axes``, ``Zs`` and ``titles`` have one entry per panel; each ``Z`` is 2-D (NaN entries are
    drawn as gaps); ``vmin < vmax`` finite.
    """
    axes = check_axes_seq(axes, "axes")
    Zs = [check_array(Z, "Zs entry", ndim=2, finite=False) for Z in check_sequence(Zs, "Zs")]
    titles = check_sequence(titles, "titles", what="a sequence of titles")
    if not len(axes) == len(Zs) == len(titles):
        raise ValueError(
            f"axes, Zs and titles must have equal lengths, got {len(axes)}, {len(Zs)}, {len(titles)}"
        )
    check_real_array(x, "x", allow_nan=True)
    check_real_array(y, "y", allow_nan=True)
    check_str(xlabel, "xlabel", nonempty=False)
    check_str(ylabel, "ylabel", nonempty=False)
    if check_finite(vmin, "vmin") >= check_finite(vmax, "vmax"):
        raise ValueError(f"vmin must be < vmax, got vmin = {vmin}, vmax = {vmax}")
    im = None
    for ax, Z, title in zip(axes, Zs, titles):
        im = ax.pcolormesh(x, y, Z, shading="auto", vmin=vmin, vmax=vmax)
        ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    return im
