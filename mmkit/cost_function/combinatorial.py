r"""LMSR over a combinatorial outcome space: ``k`` binary events, :math:`2^k` joint outcomes.

The post notes that its description generalises "to any number of (disjoint and exhaustive)
outcomes, including the case of combinatorial markets". With ``k`` yes/no variables
:math:`A_1, \dots, A_k` the joint outcomes are the :math:`2^k` bit strings
:math:`\omega`, and one LMSR over them (Hanson 2003) keeps a share count :math:`q_\omega` for
each. A *security on an event* :math:`E` (a set of joint outcomes, e.g. ":math:`A_1` and not
:math:`A_3`") pays $1 if the outcome lies in :math:`E`; buying ``s`` of it adds ``s`` to every
:math:`q_\omega`, :math:`\omega \in E`. Its price and cost are

.. math::
    P(E) = \sum_{\omega \in E} p_\omega, \qquad
    C(q + s 1_E) - C(q) = b \ln\bigl(1 - P(E) + P(E) e^{s/b}\bigr),

so every price and trade sums over the :math:`2^k` joint outcomes: the cost of pricing grows
exponentially in ``k`` (pricing in general combinatorial LMSR markets is #P-hard, Chen et
al. 2008). The worst-case loss is :math:`b \ln 2^k = k\, b \ln 2`, the same as ``k`` separate
binary markets with the same ``b``.

Joint outcome :math:`\omega` is the integer whose bit ``j`` is the value of :math:`A_{j+1}`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mmkit.cost_function.scoring_rules import LMSR

__all__ = ["CombinatorialLMSR"]


@dataclass(frozen=True)
class CombinatorialLMSR:
    """LMSR over the :math:`2^k` joint outcomes of ``k`` binary variables.

    Parameters
    ----------
    k : int
        Number of binary variables, 1 <= k <= 26.
    b : float
        Liquidity parameter, ``b > 0``.
    """

    k: int
    b: float = 100.0

    def __post_init__(self) -> None:
        if isinstance(self.k, bool) or not (isinstance(self.k, (int, np.integer)) and 1 <= self.k <= 26):
            raise ValueError(f"k must be an integer in [1, 26], got {self.k!r}")
        LMSR(self.b)  # validates b

    @property
    def n(self) -> int:
        """Number of joint outcomes, :math:`2^k`."""
        return 1 << int(self.k)

    @property
    def lmsr(self) -> LMSR:
        return LMSR(self.b)

    def zeros(self) -> NDArray[np.float64]:
        """The empty market: no shares of any joint outcome."""
        return np.zeros(self.n)

    # ------------------------------------------------------------------ events
    def var(self, j: int, value: bool = True) -> NDArray[np.bool_]:
        """Event :math:`A_{j+1}` = ``value`` as a mask over the joint outcomes (j from 0)."""
        if not (isinstance(j, (int, np.integer)) and 0 <= j < self.k):
            raise ValueError(f"j must be an integer in [0, {self.k - 1}], got {j!r}")
        bit = (np.arange(self.n) >> int(j)) & 1
        return bit == (1 if value else 0)

    def _mask(self, event: ArrayLike) -> NDArray[np.bool_]:
        m = np.asarray(event)
        if m.dtype != bool or m.shape != (self.n,):
            raise ValueError(
                f"event must be a boolean mask of length 2^k = {self.n}, got {m.dtype} {m.shape}"
            )
        if not m.any() or m.all():
            raise ValueError("event must be a proper, non-empty subset of the joint outcomes")
        return m

    def _q(self, q: ArrayLike) -> NDArray[np.float64]:
        a = np.asarray(q, dtype=float)
        if a.shape != (self.n,) or not np.all(np.isfinite(a)):
            raise ValueError(f"q must be a finite vector of length 2^k = {self.n}, got shape {a.shape}")
        return a

    # ------------------------------------------------------------------ prices and trades
    def joint_prices(self, q: ArrayLike) -> NDArray[np.float64]:
        """Prices of the :math:`2^k` joint outcomes (a softmax of ``q / b``)."""
        return self.lmsr.prices(self._q(q))

    def price(self, q: ArrayLike, event: ArrayLike) -> float:
        """:math:`P(E)`, the price of a security on ``event``."""
        return float(self.joint_prices(q)[self._mask(event)].sum())

    def buy(self, q: ArrayLike, event: ArrayLike, shares: float) -> tuple[NDArray[np.float64], float]:
        """Buy ``shares`` of the security on ``event``; returns the new ``q`` and the cost.

        The cost is the closed form :math:`b \\ln(1 - P + P e^{s/b})` of the event's price ``P``.
        """
        a, m = self._q(q), self._mask(event)
        if not math.isfinite(shares):
            raise ValueError(f"shares must be a finite number, got {shares!r}")
        p = self.price(a, m)
        cost = self.b * np.logaddexp(math.log1p(-p), math.log(p) + shares / self.b) if p < 1 else shares
        return a + shares * m, float(cost)

    def worst_case_loss(self) -> float:
        """:math:`b \\ln 2^k = k\\, b \\ln 2`."""
        return float(self.k * self.b * math.log(2.0))
