"""Shared numerics: a stable log-sum-exp and a safeguarded vectorised root finder.

Every model family uses these two; there is one copy of each in the package.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mmkit.common.validation import (
    check_callable,
    check_positive,
    check_positive_int,
    check_real_array,
)

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
    r"""Vectorised Newton with bisection fallback for an increasing ``g`` with
    :math:`g(lo) \le 0 \le g(hi)` (elementwise).

    Each step :math:`x \leftarrow x - g(x)/g'(x)` is replaced by the bisection of the current
    bracket when it would leave the bracket; the bracket shrinks to ``[x, hi]`` where
    :math:`g(x) < 0` and to ``[lo, x]`` where :math:`g(x) > 0`. Iterates until every element's
    step is below ``tol`` relative to :math:`1 + |x|`, not a fixed count.

    Parameters
    ----------
    g, dg : callable
        The function and its derivative, mapping a float array to one of the same shape.
    lo, hi : array_like
        Finite bracket ends (broadcastable, ``lo <= hi``) with ``g(lo) <= 0 <= g(hi)``.
    tol : float
        Relative step tolerance, finite and ``> 0``.
    maxiter : int
        Iteration cap ``>= 1``; ``RuntimeError`` when it is reached without convergence.

    Returns
    -------
    numpy.ndarray
        The roots, shape of ``lo`` and ``hi`` broadcast.
    """
    check_callable(g, "g")
    check_callable(dg, "dg")
    lo = check_real_array(lo, "lo")
    hi = check_real_array(hi, "hi")
    try:
        lo, hi = np.broadcast_arrays(lo, hi)
    except ValueError:
        raise ValueError(f"lo and hi must have broadcastable shapes, got {lo.shape} and {hi.shape}") from None
    if np.any(lo > hi):
        raise ValueError("lo must be <= hi elementwise (the bracket [lo, hi])")
    tol = check_positive(tol, "tol")
    maxiter = check_positive_int(maxiter, "maxiter")
    with np.errstate(invalid="ignore"):
        glo, ghi = np.asarray(g(lo), dtype=float), np.asarray(g(hi), dtype=float)
        if not (np.all(glo <= 0) and np.all(ghi >= 0)):
            raise ValueError("lo and hi must bracket a root of g: g(lo) <= 0 <= g(hi) elementwise (no NaN)")
    return _newton(g, dg, lo, hi, tol, maxiter)


def _newton(g, dg, lo, hi, tol=1e-13, maxiter=100):
    """:func:`safeguarded_newton` without validation (callers that pass a checked bracket)."""
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
    raise RuntimeError(f"safeguarded_newton did not converge in maxiter = {maxiter} iterations")
