r"""Pennock's dynamic parimutuel market maker (DPM), share-ratio form, as a cost function.

In a parimutuel market the money wagered is pooled and paid out to the holders of the winning
outcome. Pennock's dynamic version (2004) lets the price of a share move with demand. Its
share-ratio form has the cost function

.. math::
    C(q) = \kappa \sqrt{\textstyle\sum_j q_j^2}, \qquad
    p_i(q) = \frac{\partial C}{\partial q_i} = \kappa \frac{q_i}{\sqrt{\sum_j q_j^2}},

defined for :math:`q \ge 0`, :math:`q \ne 0`. The prices do not sum to one; the implied
probability of outcome ``i`` is :math:`\pi_i = p_i^2 / \kappa^2 = q_i^2 / \sum_j q_j^2`.
Unlike a scoring-rule market maker a share does not pay $1: when outcome ``o`` occurs, the
whole pool :math:`C(q)` is split among the :math:`q_o` winning shares, so each pays
:math:`C(q)/q_o \ge \kappa`. The market maker seeds the pool by buying :math:`q^0 > 0` itself
at cost :math:`C(q^0)`; it then pays the pool out, its own seed shares included, and so loses
at most its seed,

.. math:: L_o = C(q^0) - q^0_o\, \frac{C(q)}{q_o} \le C(q^0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from mmkit.cost_function.scoring_rules import (
    CostFunctionMarketMaker,
    FloatArray,
    _check_limit_price,
    _check_outcome,
    as_quantities,
)

__all__ = ["DynamicParimutuel"]


@dataclass(frozen=True)
class DynamicParimutuel(CostFunctionMarketMaker):
    r"""Share-ratio dynamic parimutuel market maker, :math:`C(q) = \kappa \lVert q \rVert_2`.

    Parameters
    ----------
    kappa : float
        Price scale, ``kappa > 0``; the payoff of a winning share is at least ``kappa``.
    """

    kappa: float = 1.0

    def __post_init__(self) -> None:
        if not (isinstance(self.kappa, (int, float)) and math.isfinite(self.kappa) and self.kappa > 0):
            raise ValueError(f"kappa must be a finite number in (0, inf), got {self.kappa!r}")

    def _q(self, q: ArrayLike, name: str = "q") -> FloatArray:
        a = as_quantities(q, name)
        if np.any(a < 0) or np.any(np.all(a == 0, axis=-1)):
            raise ValueError(f"{name} must be >= 0 and not all zero (a DPM pool needs a seed q0 > 0)")
        return a

    def cost(self, q: ArrayLike) -> FloatArray | float:
        """Money in the pool, ``kappa * ||q||``."""
        out = self.kappa * np.sqrt((self._q(q) ** 2).sum(axis=-1))
        return float(out) if np.ndim(out) == 0 else out

    def prices(self, q: ArrayLike) -> FloatArray:
        """Marginal cost of a share, ``kappa q_i / ||q||`` (sums to between kappa and kappa sqrt(n))."""
        a = self._q(q)
        return self.kappa * a / np.sqrt((a**2).sum(axis=-1, keepdims=True))

    def probabilities(self, q: ArrayLike) -> FloatArray:
        """Implied probabilities ``q_i^2 / sum_j q_j^2`` (sum to 1)."""
        a = self._q(q)
        return a**2 / (a**2).sum(axis=-1, keepdims=True)

    def payoff_per_share(self, q: ArrayLike, outcome: int) -> float:
        """What one winning share collects if ``outcome`` occurs now: ``C(q) / q_outcome``."""
        a = self._q(q)
        i = _check_outcome(outcome, a.shape[-1])
        if a[i] <= 0:
            raise ValueError(f"no shares of outcome {i} are outstanding: the payoff is undefined")
        return float(self.cost(a)) / float(a[i])

    def loss(self, q0: ArrayLike, q: ArrayLike, outcome: int) -> float:
        """The market maker's loss: its seed cost minus what its seed shares collect."""
        a, c = self._q(q0, "q0"), self._q(q)
        i = _check_outcome(outcome, a.shape[-1])
        return float(self.cost(a)) - float(a[i]) * self.payoff_per_share(c, i)

    def worst_case_loss(self, n: int, q0: ArrayLike | None = None) -> float:
        """The seed cost ``C(q0)`` (default seed: one share of each outcome)."""
        if n < 2:
            raise ValueError(f"n must be an integer >= 2, got {n}")
        return float(self.cost(np.ones(n) if q0 is None else q0))

    def sell_capacity(self, q: ArrayLike, outcome: int) -> float:
        """Shares of ``outcome`` outstanding (the pool cannot buy back more)."""
        a = self._q(q)
        return float(a[_check_outcome(outcome, a.shape[-1])])

    def max_shares_at_price(self, q: ArrayLike, outcome: int, price: float) -> float:
        r"""Closed form: :math:`p_i = \kappa` times the given price is reached at
        :math:`q_i^* = r \sqrt{S_{-i}} / \sqrt{1 - r^2}`, with ``r = price`` (relative to kappa)
        and :math:`S_{-i} = \sum_{j \ne i} q_j^2`."""
        a = self._q(q)
        i = _check_outcome(outcome, a.shape[-1])
        r = _check_limit_price(price / self.kappa)
        s_rest = float((np.delete(a, i) ** 2).sum())
        return r * math.sqrt(s_rest) / math.sqrt(1.0 - r * r) - float(a[i])
