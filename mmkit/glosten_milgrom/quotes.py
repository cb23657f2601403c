"""Market makers for Gaussian beliefs as functions of rho: the zero-profit and myopic fixed points."""

from __future__ import annotations

import numpy as np

from mmkit.common.numerics import _newton
from mmkit.glosten_milgrom.gaussian import _mills
from mmkit.glosten_milgrom.params import _check_rho

__all__ = ["Q_STAR", "q_myopic", "q_zero_profit"]


def q_zero_profit(rho):
    """Zero-profit q: the root of q = rho^2/(1+rho^2) lambda(q) (unique; 0 <= q < rho).

    Solved by safeguarded Newton to 1e-13 (not a fixed iteration count).
    """
    rho = _check_rho(rho)
    c = rho**2 / (1.0 + rho**2)

    def g(q):
        return q - c * _mills(q)

    def dg(q):
        lam = _mills(q)
        return 1.0 - c * lam * (lam - q)

    return _newton(g, dg, np.zeros_like(rho), rho)


def q_myopic(rho):
    """Myopic q: the root of q lambda(q) = 1 + rho^2 (unique; rho <= q <= sqrt(1+rho^2))."""
    rho = _check_rho(rho)
    target = 1.0 + rho**2

    def g(q):
        return q * _mills(q) - target

    def dg(q):
        lam = _mills(q)
        return lam + q * lam * (lam - q)

    return _newton(g, dg, rho, np.sqrt(target))


#: The myopic (= optimal) q at rho = 0, q* = 0.7518, the root of q N(q) = Q(q).
Q_STAR: float = float(q_myopic(0.0))
