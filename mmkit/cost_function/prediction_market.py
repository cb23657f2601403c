r"""A simulated prediction market: traders with noisy private beliefs against an LMSR.

Each run draws the realised outcome once from the true distribution ``truth``. Traders arrive
one at a time; trader ``t`` holds the private belief

.. math:: \pi_t = \mathrm{softmax}(\ln \text{truth} + s\, \varepsilon_t), \quad \varepsilon_t \sim N(0, I),

picks the outcome with the largest edge :math:`\pi_{t,i} - p_i(q)` and places the limit order
"buy up to ``max_shares`` of ``i`` at a price <= :math:`\pi_{t,i}`", filled with the closed
form of :meth:`mmkit.cost_function.scoring_rules.LMSR.max_shares_at_price` evaluated for all runs at once
(the scalar :meth:`~mmkit.cost_function.scoring_rules.LMSR.limit_buy` is its check in the tests). The market
maker's realised loss is the payout to the winning shares minus the money collected.

All runs are simulated at once (arrays of shape ``(runs, n)``), seeded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import softmax

from mmkit.common.numerics import logsumexp
from mmkit.common.validation import (
    check_array,
    check_nonnegative,
    check_nonnegative_int,
    check_positive,
    check_positive_int,
    check_probability_vector,
)
from mmkit.cost_function.scoring_rules import LMSR

__all__ = ["TraderConfig", "MarketRun", "draw_beliefs", "simulate_belief_traders", "simulate_belief_grid"]


@dataclass(frozen=True)
class TraderConfig:
    """Population of belief traders.

    Parameters
    ----------
    n_traders : int
        Traders per run (each trades once, in order), >= 1.
    belief_noise : float
        Standard deviation ``s`` of the log-belief noise, >= 0.
    max_shares : float
        Size cap of each trader's limit order, > 0.
    """

    n_traders: int = 200
    belief_noise: float = 0.5
    max_shares: float = 10.0

    def __post_init__(self) -> None:
        check_positive_int(self.n_traders, "n_traders")
        check_nonnegative(self.belief_noise, "belief_noise")
        check_positive(self.max_shares, "max_shares")
        if int(self.n_traders) < 1:
            raise ValueError(f"n_traders must be an integer >= 1, got {self.n_traders}")
        if not (self.belief_noise >= 0):
            raise ValueError(f"belief_noise must be >= 0, got {self.belief_noise}")
        if not (self.max_shares > 0):
            raise ValueError(f"max_shares must be > 0, got {self.max_shares}")


@dataclass(frozen=True)
class MarketRun:
    """Outcome of :func:`simulate_belief_traders`.

    ``prices`` has shape ``(runs, n_traders + 1, n)``; ``loss`` and ``collected`` have shape
    ``(runs,)``; ``outcome`` the realised outcome of each run.
    """

    prices: NDArray[np.float64]
    q: NDArray[np.float64]
    outcome: NDArray[np.int64]
    collected: NDArray[np.float64]
    loss: NDArray[np.float64]


def draw_beliefs(truth: ArrayLike, noise: float, size: int, rng: np.random.Generator) -> NDArray[np.float64]:
    r"""``size`` private beliefs :math:`\mathrm{softmax}(\ln \text{truth} + s\,\varepsilon)`,
    :math:`\varepsilon \sim N(0, I)`, shape ``(size, n)``.

    The noise is symmetric in log-odds, so the *median* belief in each outcome of a two-outcome
    market is the truth, while the *mean* is pulled towards 1/2.
    """
    p = check_probability_vector(truth, "truth")
    if p.size < 2 or np.any(p <= 0):
        raise ValueError(f"truth must have >= 2 entries in (0, 1) summing to 1, got {p.tolist()}")
    noise = check_nonnegative(noise, "noise")
    size = check_positive_int(size, "size")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    log_truth = np.log(p)
    return softmax(log_truth + noise * rng.standard_normal((int(size), log_truth.size)), axis=1)


def simulate_belief_traders(
    mm: LMSR, truth: ArrayLike, config: TraderConfig = TraderConfig(), runs: int = 100, seed: int = 0
) -> MarketRun:
    """Simulate ``runs`` independent markets of belief traders against ``mm``.

    Returns the price paths, final shares, realised outcomes, money collected
    ``C(q_T) - C(0)`` and the market maker's loss ``q_T[outcome] - collected``.
    """
    if not isinstance(mm, LMSR):
        raise ValueError(f"mm must be an LMSR market maker, got {type(mm).__name__}")
    p_true = check_probability_vector(truth, "truth")
    if p_true.ndim != 1 or p_true.size < 2 or np.any(p_true <= 0) or not np.isclose(p_true.sum(), 1.0):
        raise ValueError(
            "truth must be a probability vector of length >= 2 with entries in (0, 1) "
            f"summing to 1, got {p_true.tolist()}"
        )
    check_positive_int(runs, "runs")
    check_nonnegative_int(seed, "seed")
    if not isinstance(config, TraderConfig):
        raise TypeError(f"config must be a TraderConfig, got {type(config).__name__}")
    rng = np.random.default_rng(seed)
    n, b, R, T = p_true.size, mm.b, int(runs), int(config.n_traders)
    outcome = rng.choice(n, size=R, p=p_true)
    q = np.zeros((R, n))
    prices = np.empty((R, T + 1, n))
    prices[:, 0] = mm.prices(q)
    rows = np.arange(R)
    for t in range(T):
        belief = draw_beliefs(p_true, config.belief_noise, R, rng)
        p = prices[:, t]
        i = np.argmax(belief - p, axis=1)
        target = np.clip(belief[rows, i], 1e-12, 1 - 1e-12)
        z = q / b
        masked = z.copy()
        masked[rows, i] = -np.inf
        # closed-form fill: x* = b [logit(pi_i) + LSE_{j != i}(q_j / b)] - q_i, clipped to [0, k]
        x = b * (np.log(target) - np.log1p(-target) + logsumexp(masked, axis=1)) - q[rows, i]
        q[rows, i] += np.clip(x, 0.0, config.max_shares)
        prices[:, t + 1] = mm.prices(q)
    collected = np.asarray(mm.trade_cost(np.zeros((R, n)), q), dtype=float)
    loss = q[rows, outcome] - collected
    return MarketRun(prices=prices, q=q, outcome=outcome, collected=collected, loss=loss)


def simulate_belief_grid(
    bs: ArrayLike, truth: ArrayLike, config: TraderConfig = TraderConfig(), runs: int = 100, seed: int = 0
) -> dict[float, MarketRun]:
    """:func:`simulate_belief_traders` for several liquidities at once, with common random
    numbers: every ``b`` sees the same realised outcomes and the same traders' beliefs, so the
    differences between liquidities are not sampling noise. Returns ``{b: MarketRun}``.
    """
    if not isinstance(config, TraderConfig):
        raise TypeError(f"config must be a TraderConfig, got {type(config).__name__}")
    check_positive_int(runs, "runs")
    check_nonnegative_int(seed, "seed")
    b_arr = check_array(bs, "bs").ravel()
    if np.any(b_arr <= 0):
        raise ValueError(f"bs must be finite liquidities > 0, got {b_arr.tolist()}")
    p_true = check_array(truth, "truth")
    if p_true.ndim != 1 or p_true.size < 2 or np.any(p_true <= 0) or not np.isclose(p_true.sum(), 1.0):
        raise ValueError(
            "truth must be a probability vector of length >= 2 with entries in (0, 1) "
            f"summing to 1, got {p_true.tolist()}"
        )
    if int(runs) < 1:
        raise ValueError(f"runs must be an integer >= 1, got {runs}")
    rng = np.random.default_rng(seed)
    n, R, T, B = p_true.size, int(runs), int(config.n_traders), b_arr.size
    outcome = rng.choice(n, size=R, p=p_true)
    b = np.repeat(b_arr, R)[:, None]  # rows: b-major, R runs each
    rows = np.arange(B * R)
    q = np.zeros((B * R, n))
    prices = np.empty((B * R, T + 1, n))
    prices[:, 0] = 1.0 / n
    for t in range(T):
        belief = np.tile(draw_beliefs(p_true, config.belief_noise, R, rng), (B, 1))
        i = np.argmax(belief - prices[:, t], axis=1)
        target = np.clip(belief[rows, i], 1e-12, 1 - 1e-12)
        masked = q / b
        masked[rows, i] = -np.inf
        x = b[:, 0] * (np.log(target) - np.log1p(-target) + logsumexp(masked, axis=1)) - q[rows, i]
        q[rows, i] += np.clip(x, 0.0, config.max_shares)
        z = q / b
        e = np.exp(z - z.max(axis=1, keepdims=True))
        prices[:, t + 1] = e / e.sum(axis=1, keepdims=True)
    z = q / b
    m = z.max(axis=1)
    collected = b[:, 0] * (np.log(np.exp(z - m[:, None]).sum(axis=1)) + m - np.log(n))
    out = {}
    for k, bk in enumerate(b_arr):
        sl = slice(k * R, (k + 1) * R)
        won = q[sl][np.arange(R), outcome]
        out[float(bk)] = MarketRun(
            prices=prices[sl], q=q[sl], outcome=outcome, collected=collected[sl], loss=won - collected[sl]
        )
    return out
