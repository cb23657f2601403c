r"""A cost-function market maker built from any strictly proper scoring rule (convex duality).

Hanson showed how to turn a proper scoring rule into a market maker; Chen and Pennock (2007)
and Abernethy, Chen and Wortman Vaughan (2013) give the cost-function form by convex duality.
For a strictly proper scoring rule :math:`S_i(r)` (the score paid when outcome ``i`` occurs and
the forecast was ``r``), the expected score :math:`G(r) = \sum_i r_i S_i(r)` is strictly convex
on the simplex :math:`\Delta`, and the market maker's cost is its convex conjugate

.. math::
    C(q) = \max_{r \in \Delta} \bigl[\, r \cdot q - G(r) \,\bigr], \qquad
    p(q) = \nabla C(q) = \operatorname*{arg\,max}_{r \in \Delta} \bigl[\, r \cdot q - G(r) \,\bigr].

The prices are a probability vector by construction, and from the start :math:`q = 0` the
market maker's loss is bounded by :math:`\max_i G(e_i) - \min_{\Delta} G`. Instances:

- logarithmic, :math:`S_i(r) = b \ln r_i`, :math:`G(r) = b\sum r_i \ln r_i`: the conjugate is
  LMSR, :math:`C(q) = b \ln \sum e^{q_i/b}`, loss bound :math:`b \ln n`;
- quadratic, :math:`S_i(r) = b(2r_i - \sum_j r_j^2)`, :math:`G(r) = b \sum r_i^2`: inside the
  region where all prices lie in [0, 1] the conjugate is the closed form of
  :class:`~mmkit.cost_function.scoring_rules.QuadraticMSR`; outside it the maximiser sits on a
  face of the simplex, so prices clamp at 0 and 1 instead of leaving [0, 1]; loss bound
  :math:`b(1 - 1/n)`;
- spherical, :math:`S_i(r) = b\, r_i / \lVert r \rVert`, :math:`G(r) = b \lVert r \rVert`: no
  closed form; loss bound :math:`b(1 - 1/\sqrt n)`.

Rules whose expected score is *separable*, :math:`G(r) = \sum_i g(r_i)` (log, quadratic), are
solved exactly: the optimality conditions give :math:`r_i(\lambda) = (g')^{-1}(q_i - \lambda)`
(0 where :math:`q_i - \lambda \le g'(0)`), and one monotone equation
:math:`\sum_i r_i(\lambda) = 1` fixes :math:`\lambda` (Brent). Others are solved by SLSQP.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq, minimize

from mmkit.cost_function.scoring_rules import CostFunctionMarketMaker, FloatArray, as_quantities

__all__ = [
    "ScoringRule",
    "log_rule",
    "quadratic_rule",
    "spherical_rule",
    "DualCostMarketMaker",
]


@dataclass(frozen=True)
class ScoringRule:
    """A strictly proper scoring rule.

    Parameters
    ----------
    name : str
        Label.
    score : callable
        ``score(r) -> S`` with ``S[i]`` the score of forecast ``r`` (shape ``(n,)``) if ``i`` occurs.
    g, dg, dg_inv : callable, optional
        For a separable expected score :math:`G(r) = \\sum_i g(r_i)`: ``g``, its derivative and the
        inverse of the derivative (vectorised). Leave ``None`` for a non-separable rule.
    """

    name: str
    score: Callable[[NDArray[np.float64]], NDArray[np.float64]]
    g: Callable | None = None
    dg: Callable | None = None
    dg_inv: Callable | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a str label, got {type(self.name).__name__}")
        if not callable(self.score):
            raise TypeError(f"score must be a callable score(r) -> S, got {type(self.score).__name__}")
        for key in ("g", "dg", "dg_inv"):
            f = getattr(self, key)
            if f is not None and not callable(f):
                raise TypeError(f"{key} must be a callable or None, got {type(f).__name__}")

    def expected(self, r: ArrayLike) -> float:
        """Expected score :math:`G(r) = \\sum_i r_i S_i(r)` (convex on the simplex)."""
        r = np.asarray(r, dtype=float)
        if self.g is not None:
            return float(np.sum(self.g(r)))
        return float(r @ self.score(r))

    @property
    def separable(self) -> bool:
        return self.g is not None and self.dg is not None and self.dg_inv is not None


def _check_scale(b: float) -> float:
    if not (isinstance(b, (int, float, np.floating)) and math.isfinite(b) and b > 0):
        raise ValueError(f"b must be a finite number in (0, inf), got {b!r}")
    return float(b)


def log_rule(b: float) -> ScoringRule:
    r"""Logarithmic rule :math:`S_i(r) = b \ln r_i`; :math:`g(r) = b\, r \ln r`."""
    b = _check_scale(b)

    def g(r):
        r = np.asarray(r, dtype=float)
        return b * np.where(r > 0, r * np.log(np.where(r > 0, r, 1.0)), 0.0)

    return ScoringRule(
        "logarithmic",
        score=lambda r: b * np.log(np.asarray(r, dtype=float)),
        g=g,
        dg=lambda r: b * (1.0 + np.log(r)),
        dg_inv=lambda y: np.exp(np.asarray(y) / b - 1.0),
    )


def quadratic_rule(b: float) -> ScoringRule:
    r"""Quadratic (Brier) rule :math:`S_i(r) = b(2 r_i - \sum_j r_j^2)`; :math:`g(r) = b r^2`."""
    b = _check_scale(b)
    return ScoringRule(
        "quadratic",
        score=lambda r: b * (2 * np.asarray(r, dtype=float) - np.sum(np.square(r))),
        g=lambda r: b * np.square(r),
        dg=lambda r: 2 * b * np.asarray(r, dtype=float),
        dg_inv=lambda y: np.maximum(np.asarray(y, dtype=float), 0.0) / (2 * b),
    )


def spherical_rule(b: float) -> ScoringRule:
    r"""Spherical rule :math:`S_i(r) = b\, r_i / \lVert r \rVert_2` (not separable)."""
    b = _check_scale(b)
    return ScoringRule("spherical", score=lambda r: b * np.asarray(r, dtype=float) / np.linalg.norm(r))


@dataclass(frozen=True)
class DualCostMarketMaker(CostFunctionMarketMaker):
    """The cost-function market maker of a scoring rule: :math:`C = G^*` on the simplex.

    Parameters
    ----------
    rule : ScoringRule
        A strictly proper scoring rule (:func:`log_rule`, :func:`quadratic_rule`,
        :func:`spherical_rule` or your own).
    """

    rule: ScoringRule

    def __post_init__(self) -> None:
        if not isinstance(self.rule, ScoringRule):
            raise TypeError(f"rule must be a ScoringRule, got {type(self.rule).__name__}")

    # ------------------------------------------------------------------ solver
    def _solve_separable(self, q: NDArray[np.float64]) -> NDArray[np.float64]:
        g1, inv = self.rule.dg, self.rule.dg_inv
        assert g1 is not None and inv is not None  # callers check rule.separable first
        n = q.size
        lo = q.max() - float(g1(1.0))  # the largest outcome alone already gets r = 1
        hi = q.max() - float(g1(1.0 / n))  # every r_i <= 1/n

        def r_of(lam: float) -> NDArray[np.float64]:
            return np.minimum(inv(q - lam), 1.0)

        def f(lam: float) -> float:
            return float(r_of(lam).sum() - 1.0)

        if f(lo) < 0:  # numerical safety: widen the bracket
            lo -= 1.0 + abs(lo)
        if f(hi) > 0:
            hi += 1.0 + abs(hi)
        lam = brentq(f, lo, hi, xtol=1e-15 * (1.0 + abs(hi)), rtol=4 * np.finfo(float).eps, maxiter=500)
        r = r_of(lam)
        return r / r.sum()

    def _solve_general(self, q: NDArray[np.float64]) -> NDArray[np.float64]:
        n = q.size
        res = minimize(
            lambda r: self.rule.expected(r) - r @ q,
            np.full(n, 1.0 / n),
            jac=lambda r: self.rule.score(r) - q,
            bounds=[(1e-12, 1.0)] * n,
            constraints=({"type": "eq", "fun": lambda r: r.sum() - 1.0, "jac": lambda r: np.ones(n)},),
            method="SLSQP",
            options={"ftol": 1e-15, "maxiter": 1000},
        )
        r = np.clip(res.x, 0.0, None)
        return r / r.sum()

    def argmax(self, q: ArrayLike) -> FloatArray:
        """The maximising forecast :math:`r^*(q)` (the prices), for one state or a batch."""
        a = as_quantities(q)
        solve = self._solve_separable if self.rule.separable else self._solve_general
        flat = a.reshape(-1, a.shape[-1])
        return np.array([solve(row) for row in flat]).reshape(a.shape)

    # ------------------------------------------------------------------ interface
    def prices(self, q: ArrayLike) -> FloatArray:
        """:math:`p(q) = r^*(q)`, a probability vector."""
        return self.argmax(q)

    def cost(self, q: ArrayLike) -> FloatArray | float:
        """:math:`C(q) = r^* \\cdot q - G(r^*)`."""
        a = as_quantities(q)
        r = self.argmax(a)
        flat_r, flat_q = r.reshape(-1, a.shape[-1]), a.reshape(-1, a.shape[-1])
        out = np.array([ri @ qi - self.rule.expected(ri) for ri, qi in zip(flat_r, flat_q)])
        out = out.reshape(a.shape[:-1])
        return float(out) if np.ndim(out) == 0 else out

    def worst_case_loss(self, n: int) -> float:
        """:math:`\\max_i G(e_i) - \\min_\\Delta G` (the loss bound from the start ``q = 0``)."""
        if not (isinstance(n, (int, np.integer)) and n >= 2):
            raise ValueError(f"n must be an integer >= 2, got {n!r}")
        top = max(self.rule.expected(np.eye(n)[i]) for i in range(n))
        return float(top + self.cost(np.zeros(n)))
