"""Shared numerics: a stable log-sum-exp and a safeguarded vectorised root finder.

Every model family uses these two; there is one copy of each in the package.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["logsumexp", "safeguarded_newton"]


def logsumexp(x: ArrayLike, axis: int = -1, keepdims: bool = False) -> NDArray[np.float64]:
    r"""Stable :math:`\log \sum_i e^{x_i}` along ``axis``.

    Computed as :math:`m + \log \sum_i e^{x_i - m}` with :math:`m = \max_i x_i`, so no term
    overflows; an all ``-inf`` slice gives ``-inf`` (no warning).

    Parameters
    ----------
    x : array_like
        Values (may contain ``-inf``).
    axis : int
        Axis to reduce.
    keepdims : bool
        Keep the reduced axis with length 1.

    Returns
    -------
    numpy.ndarray
        The log-sum-exp, shape of ``x`` without ``axis`` (unless ``keepdims``).
    """
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(f"x must be an array of real numbers, got {type(x).__name__}")
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise TypeError("x must be an array of real numbers") from None
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis must be an integer in [-x.ndim, x.ndim - 1], got {axis!r}")
    if not -max(a.ndim, 1) <= axis < max(a.ndim, 1):
        raise ValueError(
            f"axis must be an integer in [-x.ndim, x.ndim - 1] = [{-a.ndim}, {a.ndim - 1}], got {axis}"
        )
    if a.size == 0:
        raise ValueError("x must not be empty")
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


def safeguarded_newton(g, dg, lo, hi, tol=1e-13, maxiter=100):
    """Vectorised Newton with bisection fallback for an increasing g with g(lo)<=0<=g(hi).

    Iterates until every element's Newton step is below ``tol`` (relative), not a fixed count.
    """
    lo = np.array(lo, dtype=float, copy=True)
    hi = np.array(hi, dtype=float, copy=True)
    x = 0.5 * (lo + hi)
    for _ in range(maxiter):
        gx = g(x)
        lo = np.where(gx < 0, x, lo)
        hi = np.where(gx > 0, x, hi)
        with np.errstate(invalid="ignore", divide="ignore"):
            xn = x - gx / dg(x)
        out = ~((xn >= lo) & (xn <= hi))
        xn = np.where(out, 0.5 * (lo + hi), xn)
        xn = np.where(gx == 0, x, xn)
        done = np.abs(xn - x) <= tol * (1.0 + np.abs(x))
        x = xn
        if np.all(done):
            return x
    raise RuntimeError("fixed point did not converge")  # pragma: no cover
