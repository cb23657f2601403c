r"""Glosten-Milgrom market making after a shock (Das & Magdon-Ismail 2008).

The model
---------
At time 0 a shock fixes the true value :math:`V \sim N(\mu_0, \sigma_0^2)`; it never moves
again. In every period :math:`t = 0, 1, \dots` the market maker (MM) quotes a bid
:math:`b_t \le a_t` ask for one unit. One trader arrives with a private estimate
:math:`w_t = V + \varepsilon_t`, :math:`\varepsilon_t \sim N(0, \sigma_\varepsilon^2)` i.i.d.,
buys if :math:`w_t > a_t`, sells if :math:`w_t < b_t`, otherwise does nothing. The MM sees only
the direction :math:`x_t \in \{+1, 0, -1\}` and earns :math:`a_t - V` on a buy, :math:`V - b_t`
on a sell. Objective: :math:`R = \sum_t \gamma^t r_t`. There are no uninformed traders in the
paper; ``GMParams.noise_share`` optionally adds them (Kinathil-style: a trader is uninformed
with that probability and then buys, sells or holds with probability 1/3 each). The closed forms,
the market makers for Gaussian beliefs and the DP need ``noise_share == 0``; the exact grid
update, the general moment-matched update and the simulator accept any share in [0, 1).

The MM's *information disadvantage* is :math:`\rho_t = \sigma_t/\sigma_\varepsilon`. With a
Gaussian belief :math:`N(\mu_t, \sigma_t^2)` and symmetric quotes
:math:`\mu_t \pm \delta_t`, write :math:`q_t = \delta_t / (\sigma_\varepsilon\sqrt{1+\rho_t^2})`.
Then (Das & Magdon-Ismail, sec. 2.5)

======  ==================  ===========================  ======================
 x_t     probability         mu_{t+1}                     sigma_{t+1}
======  ==================  ===========================  ======================
 +1      Q(q)                mu + kappa sigma             alpha sigma
  0      2 Phi(q) - 1        mu                           beta sigma
 -1      Q(q)                mu - kappa sigma             alpha sigma
======  ==================  ===========================  ======================

.. math::

    \alpha^2 = 1 - \frac{\rho^2}{1+\rho^2}\,\lambda(q)(\lambda(q) - q), \quad
    \beta^2 = 1 - \frac{\rho^2}{1+\rho^2}\,\frac{2 q N(q)}{2\Phi(q)-1}, \quad
    \kappa = \frac{\rho}{\sqrt{1+\rho^2}}\,\lambda(q),

with :math:`Q = 1-\Phi` and the inverse Mills ratio :math:`\lambda = N/Q`. Both factors are
< 1 (Theorem 2.1: the variance never increases). The expected one-step profit is
:math:`r(\rho, q) = 2\sigma_\varepsilon\sqrt{1+\rho^2}\,[q Q(q) - \tfrac{\rho^2}{1+\rho^2} N(q)]`.

Quick reference (all public)
----------------------------
Parameters and validation
    :class:`GMParams` (``sigma_eps``, ``gamma``, ``noise_share``). Bad input raises
    ``ValueError`` naming the parameter (``sigma_eps <= 0``, ``gamma`` outside (0, 1),
    ``rho < 0``, ``bid > ask``, a belief that cannot be normalised).
Normal helpers
    :func:`npdf`, :func:`ncdf`, :func:`nsf`, :func:`mills`.
Gaussian beliefs
    :func:`update_factors` (closed-form alpha, beta, kappa of the table), :func:`gaussian_update`
    (moment matching through the integrals A, B, C of :func:`abc_integrals`; any quotes, any
    noise share), :func:`I_integral`, :func:`J_integral`, :func:`K_integral`.
Market makers for Gaussian beliefs (functions of rho, in units of sigma_eps)
    :func:`q_zero_profit`, :func:`q_myopic`, :data:`Q_STAR`, :func:`one_step_profit`,
    :func:`trade_probability`, :func:`half_spread`.
Exact beliefs
    :class:`GridBelief` (one or a batch of beliefs on a shared grid: ``update``, ``mean``,
    ``sd``, and for one belief ``zero_profit_quotes``, ``myopic_quotes``), :func:`grid_likelihood`,
    :func:`belief_divergences`, :class:`AdaptiveGridPosterior` (one grid per simulated run that
    follows the posterior as it narrows).
Dynamic programme
    :func:`default_rho_grid`, :func:`solve_dp` returning :class:`DPSolution` (``value(rho)``,
    ``q(rho)``, ``half_spread(rho)``, ``one_step_profit(rho)``), :func:`evaluate_policy` (value
    of a fixed rule, e.g. the myopic one).
Quoting rules and simulation
    :class:`SymmetricRule`, :func:`zero_profit_rule`, :func:`myopic_rule`,
    :func:`optimal_rule`; :func:`simulate` returning :class:`SimResult` (per-run, per-period
    ``profit``, ``spread``, ``trades``, quotes and beliefs; ``discounted_profit()``,
    ``profit_per_trade()``, ``profit_per_period()``, ``trade_rate()``, ``mean_spread()``);
    :func:`sweep` returning :class:`SweepResult` (summaries over a rho grid);
    :func:`stabilisation_time`; :func:`exact_vs_gaussian` (Gaussian-state vs exact-state
    optimal MM, ``python -m mmkit das-sim``).

A quoting rule is any callable ``rule(mu, sigma) -> (bid, ask)`` on arrays of Gaussian belief
states (one entry per simulated run), so other chapters can plug in their own pricing, e.g.
``simulate(SymmetricRule(lambda rho: 1.2 + 0 * rho), rho=2.0,
params=GMParams(noise_share=0.5))`` quotes a fixed q = 1.2 in a market where half the
traders are uninformed (the MM's Gaussian update then accounts for them).

Examples
--------
>>> p = GMParams(sigma_eps=1.0, gamma=0.9)
>>> sol = solve_dp(p)                                  # about 1,000 rho nodes, < 1 s
>>> round(float(sol.value(0.0)), 4), round(float(sol.half_spread(3.0)), 2)
(3.3994, 4.54)
>>> res = simulate(optimal_rule(sol), rho=3.0, params=p, n_runs=2000, seed=0)
>>> res.profit.shape, res.spread.shape, res.trades.shape  # (runs, periods)
((2000, 100), (2000, 100), (2000, 100))
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Literal, Protocol, Sequence

import numpy as np
from scipy import optimize, special

__all__ = [
    "GMParams", "npdf", "ncdf", "nsf", "mills", "I_integral", "J_integral", "K_integral",
    "abc_integrals", "update_factors", "gaussian_update", "one_step_profit", "trade_probability",
    "q_zero_profit", "q_myopic", "Q_STAR", "half_spread", "GridBelief", "grid_likelihood",
    "belief_divergences", "AdaptiveGridPosterior", "default_rho_grid", "solve_dp", "DPSolution",
    "evaluate_policy",
    "QuotingRule", "SymmetricRule", "zero_profit_rule", "myopic_rule", "optimal_rule", "simulate",
    "SimResult", "stabilisation_time", "SweepResult", "sweep", "exact_vs_gaussian", "add_cli",
]

_SQRT2 = math.sqrt(2.0)
_SQRT2PI = math.sqrt(2.0 * math.pi)


# ----------------------------------------------------------------------------- parameters
@dataclass(frozen=True)
class GMParams:
    """Parameters of the shocked Glosten-Milgrom market.

    Parameters
    ----------
    sigma_eps : float
        Standard deviation of the traders' private noise, :math:`w_t = V + \\varepsilon_t`. > 0.
    gamma : float
        Discount factor of the market maker, in (0, 1).
    noise_share : float
        Probability that a trader is uninformed (then buys, sells or holds with probability 1/3
        each, whatever the quotes). In [0, 1). Das & Magdon-Ismail use 0; the closed-form
        Gaussian market makers and the DP require 0.
    """

    sigma_eps: float = 1.0
    gamma: float = 0.9
    noise_share: float = 0.0

    def __post_init__(self) -> None:
        if not (np.isfinite(self.sigma_eps) and self.sigma_eps > 0):
            raise ValueError(f"sigma_eps must be > 0, got {self.sigma_eps}")
        if not (0.0 < self.gamma < 1.0):
            raise ValueError(f"gamma must be in (0, 1), got {self.gamma}")
        if not (0.0 <= self.noise_share < 1.0):
            raise ValueError(f"noise_share must be in [0, 1), got {self.noise_share}")

    def require_no_noise(self, what: str) -> None:
        if self.noise_share != 0.0:
            raise ValueError(
                f"noise_share must be 0 for {what} (the closed forms of Das & Magdon-Ismail "
                f"assume every trader is noisily informed), got {self.noise_share}")


def _check_rho(rho) -> np.ndarray:
    r = np.asarray(rho, dtype=float)
    if np.any(~np.isfinite(r)) or np.any(r < 0):
        raise ValueError(f"rho must be >= 0 and finite, got {rho}")
    return r


def _check_q(q) -> np.ndarray:
    qq = np.asarray(q, dtype=float)
    if np.any(np.isnan(qq)) or np.any(qq < 0):
        raise ValueError(f"q must be >= 0 (symmetric quotes, bid <= ask), got {q}")
    return qq


# ----------------------------------------------------------------------------- normal helpers
def npdf(x):
    """Standard normal density N(x)."""
    x = np.asarray(x, dtype=float)
    return np.exp(-0.5 * x * x) / _SQRT2PI


def ncdf(x):
    """Standard normal cdf Phi(x) (accurate in both tails via ``ndtr``)."""
    return special.ndtr(x)


def nsf(x):
    """Standard normal survival function Q(x) = 1 - Phi(x), accurate for large x."""
    return special.ndtr(-np.asarray(x, dtype=float))


def mills(q):
    """Inverse Mills ratio lambda(q) = N(q)/Q(q), stable for all q (through ``erfcx``)."""
    q = np.asarray(q, dtype=float)
    return math.sqrt(2.0 / math.pi) / special.erfcx(q / _SQRT2)


# ----------------------------------------------------------------------------- integrals I, J, K
def I_integral(a, b):
    """I(a, b) = int N(x) Phi(a - b x) dx = Phi(a / sqrt(1 + b^2)); I(+inf)=1, I(-inf)=0."""
    a = np.asarray(a, dtype=float)
    return ncdf(a / np.sqrt(1.0 + np.asarray(b, dtype=float) ** 2))


def J_integral(a, b):
    """J(a, b) = int x N(x) Phi(a - b x) dx = -b/sqrt(1+b^2) N(a/sqrt(1+b^2)); 0 at +-inf."""
    a = np.asarray(a, dtype=float)
    s = np.sqrt(1.0 + np.asarray(b, dtype=float) ** 2)
    with np.errstate(invalid="ignore"):
        out = -(b / s) * npdf(a / s)
    return np.where(np.isinf(a), 0.0, out)


def K_integral(a, b):
    """K(a, b) = int x^2 N(x) Phi(a - b x) dx = I - a b^2 (1+b^2)^(-3/2) N(a/sqrt(1+b^2)).

    K(+inf) = 1, K(-inf) = 0.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    s = np.sqrt(1.0 + b**2)
    with np.errstate(invalid="ignore"):
        out = I_integral(a, b) - a * b**2 * s**-3 * npdf(a / s)
    return np.where(np.isinf(a), I_integral(a, b), out)


def abc_integrals(z_plus, z_minus, mu, sigma, sigma_eps: float = 1.0):
    """The integrals A, B, C of Das & Magdon-Ismail (their Fig. 2) for one observation.

    For a belief N(mu, sigma^2) and the likelihood F(z+ - V) - F(z- - V) of the observation
    ((z+, z-) = (+inf, a), (a, b), (b, -inf) for a buy, no trade, sell), with the standardised
    value Z = (V - mu)/sigma:

    ``A = E[lik]``, ``B = E[Z lik]``, ``C = A - E[Z^2 lik]`` (so ``C = L(z+) - L(z-)`` with
    ``L = I - K``). Then ``mu' = mu + sigma B/A`` and ``sigma'^2 = sigma^2 (1 - (A C + B^2)/A^2)``.
    """
    rho = np.asarray(sigma, dtype=float) / sigma_eps
    s = np.sqrt(1.0 + rho**2)
    ap = (np.asarray(z_plus, dtype=float) - mu) / sigma_eps
    am = (np.asarray(z_minus, dtype=float) - mu) / sigma_eps
    # A = I(ap) - I(am) = Phi(ap/s) - Phi(am/s), evaluated on the side without cancellation
    up = am > 0
    A = np.where(up, special.ndtr(-am / s) - special.ndtr(-ap / s),
                 special.ndtr(ap / s) - special.ndtr(am / s))
    B = J_integral(ap, rho) - J_integral(am, rho)
    return A, B, _L_integral(ap, rho) - _L_integral(am, rho)


def _L_integral(a, b):
    """L = I - K = a b^2 (1+b^2)^(-3/2) N(a/sqrt(1+b^2)), 0 at +-inf (no cancellation)."""
    a = np.asarray(a, dtype=float)
    s = np.sqrt(1.0 + np.asarray(b, dtype=float) ** 2)
    with np.errstate(invalid="ignore"):
        out = a * b**2 * s**-3 * npdf(a / s)
    return np.where(np.isinf(a), 0.0, out)


def update_factors(rho, q):
    """Closed-form (alpha, beta, kappa) of the Gaussian update for symmetric quotes.

    Parameters
    ----------
    rho : array_like
        Information disadvantage sigma_t / sigma_eps, >= 0.
    q : array_like
        Normalised half-spread delta / (sigma_eps sqrt(1 + rho^2)), >= 0.

    Returns
    -------
    alpha, beta, kappa : ndarray
        sigma_{t+1} = alpha sigma_t after a trade, beta sigma_t after no trade; the mean
        moves by +-kappa sigma_t after a buy/sell.
    """
    rho = _check_rho(rho)
    q = _check_q(q)
    c = rho**2 / (1.0 + rho**2)
    lam = mills(q)
    alpha2 = 1.0 - c * lam * (lam - q)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(q > 1e-7, 2.0 * q * npdf(q) / special.erf(q / _SQRT2), 1.0 - q**2 / 3.0)
    beta2 = 1.0 - c * ratio
    kappa = np.sqrt(c) * lam
    return np.sqrt(np.clip(alpha2, 0.0, None)), np.sqrt(np.clip(beta2, 0.0, None)), kappa


def one_step_profit(rho, q, sigma_eps: float = 1.0):
    """Expected one-period profit r = 2 sigma_eps sqrt(1+rho^2) [q Q(q) - rho^2/(1+rho^2) N(q)]."""
    rho = _check_rho(rho)
    q = _check_q(q)
    s = np.sqrt(1.0 + rho**2)
    return 2.0 * sigma_eps * s * (q * nsf(q) - rho**2 / (1.0 + rho**2) * npdf(q))


def trade_probability(q):
    """Probability 2 Q(q) that the next trader trades at symmetric quotes (Gaussian belief)."""
    return 2.0 * nsf(_check_q(q))


def half_spread(rho, q, sigma_eps: float = 1.0):
    """Half-spread delta = q sigma_eps sqrt(1 + rho^2)."""
    return np.asarray(q, dtype=float) * sigma_eps * np.sqrt(1.0 + _check_rho(rho) ** 2)


def gaussian_update(mu, sigma, bid, ask, x, params: GMParams = GMParams()):
    """Moment-matched Gaussian belief update after observing x in {+1, 0, -1}.

    Works for any quotes (not only symmetric) and any ``noise_share``: the observation
    likelihood is ``s/3 + (1 - s) (F(z+ - V) - F(z- - V))`` with ``s = noise_share``, whose
    moments under N(mu, sigma^2) follow from :func:`abc_integrals`. With ``s = 0`` and symmetric
    quotes it equals the closed-form table (:func:`update_factors`). Vectorised over arrays.

    Returns
    -------
    mu_new, sigma_new : ndarray
    """
    mu = np.asarray(mu, dtype=float)
    sigma = np.asarray(sigma, dtype=float)
    bid = np.asarray(bid, dtype=float)
    ask = np.asarray(ask, dtype=float)
    x = np.asarray(x)
    if np.any(bid > ask):
        raise ValueError("bid must be <= ask")
    if np.any(sigma < 0):
        raise ValueError(f"sigma must be >= 0, got {sigma}")
    zp = np.where(x == 1, np.inf, np.where(x == 0, ask, bid))
    zm = np.where(x == 1, ask, np.where(x == 0, bid, -np.inf))
    A, B, C = abc_integrals(zp, zm, mu, sigma, params.sigma_eps)
    s = params.noise_share
    Abar = s / 3.0 + (1.0 - s) * A
    Bbar = (1.0 - s) * B
    M2 = s / 3.0 + (1.0 - s) * (A - C)
    with np.errstate(invalid="ignore", divide="ignore"):
        m1 = Bbar / Abar
        var_ratio = M2 / Abar - m1**2
    bad = ~(Abar > 0)
    if np.any(bad & (sigma > 0)):
        raise ValueError("observation has zero probability under the belief (non-normalisable "
                         "posterior): check bid/ask and x")
    m1 = np.where(bad, 0.0, m1)
    var_ratio = np.where(bad, 1.0, np.clip(var_ratio, 0.0, None))
    return mu + sigma * m1, sigma * np.sqrt(var_ratio)


def _fast_update(mu, sigma, bid, ask, x, params: GMParams):
    """:func:`gaussian_update`, through the closed-form table when quotes are symmetric."""
    if params.noise_share == 0:
        da, db = ask - mu, mu - bid
        if np.allclose(da, db, rtol=1e-12, atol=1e-12 * params.sigma_eps):
            rho = sigma / params.sigma_eps
            q = np.clip(0.5 * (da + db), 0.0, None) / (params.sigma_eps * np.sqrt(1.0 + rho**2))
            alpha, beta, kappa = update_factors(rho, q)
            return mu + x * kappa * sigma, np.where(x == 0, beta, alpha) * sigma
    return gaussian_update(mu, sigma, bid, ask, x, params)


# ----------------------------------------------------------------------------- fixed points
def _safeguarded_newton(g, dg, lo, hi, tol=1e-13, maxiter=100):
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


def q_zero_profit(rho):
    """Zero-profit q: the root of q = rho^2/(1+rho^2) lambda(q) (unique; 0 <= q < rho).

    Solved by safeguarded Newton to 1e-13 (not a fixed iteration count).
    """
    rho = _check_rho(rho)
    c = rho**2 / (1.0 + rho**2)

    def g(q):
        return q - c * mills(q)

    def dg(q):
        lam = mills(q)
        return 1.0 - c * lam * (lam - q)

    return _safeguarded_newton(g, dg, np.zeros_like(rho), rho)


def q_myopic(rho):
    """Myopic q: the root of q lambda(q) = 1 + rho^2 (unique; rho <= q <= sqrt(1+rho^2))."""
    rho = _check_rho(rho)
    target = 1.0 + rho**2

    def g(q):
        return q * mills(q) - target

    def dg(q):
        lam = mills(q)
        return lam + q * lam * (lam - q)

    return _safeguarded_newton(g, dg, rho, np.sqrt(target))


#: The myopic (= optimal) q at rho = 0, q* = 0.7518, the root of q N(q) = Q(q).
Q_STAR: float = float(q_myopic(0.0))


# ----------------------------------------------------------------------------- grid beliefs
def grid_likelihood(v, bid, ask, x, params: GMParams = GMParams()):
    """Exact likelihood P(x | V = v) on a grid (broadcasts v against bid/ask/x).

    ``F(z+ - v) - F(z- - v)`` mixed with the uninformed share. The no-trade probability, a
    difference of two cdfs, is evaluated on the side of the mid-quote where both terms are small
    (``Phi(v-b) - Phi(v-a)`` below it, ``Phi(a-v) - Phi(b-v)`` above), so it keeps full relative
    precision far in the tails (``1 - P(buy) - P(sell)`` would round to 0 there).
    """
    v = np.asarray(v, dtype=float)
    bid = np.asarray(bid, dtype=float)
    ask = np.asarray(ask, dtype=float)
    if np.any(bid > ask):
        raise ValueError("bid must be <= ask")
    x = np.asarray(x)
    se = params.sigma_eps
    buy = special.ndtr((v - ask) / se)
    sell = special.ndtr((bid - v) / se)
    below = v < 0.5 * (bid + ask)
    comp = special.ndtr(np.where(below, v - bid, ask - v) / se)
    hold = np.clip(comp - np.where(below, buy, sell), 0.0, None)
    lik = np.where(x == 1, buy, np.where(x == -1, sell, hold))
    s = params.noise_share
    return s / 3.0 + (1.0 - s) * lik if s else lik


@dataclass
class GridBelief:
    """An exact belief about V on a uniform grid: probability mass per cell.

    ``p`` may carry leading batch dimensions (one belief per simulated run); the grid is shared.

    Parameters
    ----------
    v : ndarray, shape (n,)
        Uniform grid of values (cell centres).
    p : ndarray, shape (..., n)
        Probability mass of each cell; normalised on construction.
    """

    v: np.ndarray
    p: np.ndarray

    def __post_init__(self) -> None:
        self.v = np.asarray(self.v, dtype=float)
        if self.v.ndim != 1 or self.v.size < 2 or np.any(np.diff(self.v) <= 0):
            raise ValueError("v must be an increasing 1-D grid with >= 2 points")
        self.p = np.array(self.p, dtype=float, copy=True)
        if self.p.shape[-1] != self.v.size:
            raise ValueError(f"p must end with the grid size {self.v.size}, got {self.p.shape}")
        self.p = self._normalise(self.p)

    @staticmethod
    def _normalise(p: np.ndarray) -> np.ndarray:
        if np.any(p < 0) or np.any(~np.isfinite(p)):
            raise ValueError("p (belief) must be finite and >= 0")
        z = p.sum(axis=-1, keepdims=True)
        if np.any(~(z > 0)) or np.any(~np.isfinite(z)):
            raise ValueError("p (belief) is not normalisable: total mass is 0 or not finite")
        return p / z

    @classmethod
    def gaussian(cls, mu, sigma, v) -> "GridBelief":
        """Discretised N(mu, sigma^2) (mu, sigma may be arrays: a batch of beliefs)."""
        mu = np.asarray(mu, dtype=float)[..., None]
        sigma = np.asarray(sigma, dtype=float)[..., None]
        if np.any(sigma <= 0):
            raise ValueError(f"sigma must be > 0, got {sigma.ravel()}")
        z = (np.asarray(v, dtype=float) - mu) / sigma
        return cls(v, np.exp(-0.5 * z * z))

    @property
    def h(self) -> float:
        return float(self.v[1] - self.v[0])

    def mean(self) -> np.ndarray:
        return self.p @ self.v

    def sd(self) -> np.ndarray:
        m = self.mean()
        return np.sqrt(np.clip(self.p @ (self.v**2) - m**2, 0.0, None))

    def update(self, bid, ask, x, params: GMParams = GMParams()) -> "GridBelief":
        """Exact Bayes update p'(v) = p(v) q(v; b, a) / A (spec A.2). Returns a new belief."""
        bid = np.asarray(bid, dtype=float)[..., None]
        ask = np.asarray(ask, dtype=float)[..., None]
        x = np.asarray(x)[..., None]
        return GridBelief(self.v, self.p * grid_likelihood(self.v, bid, ask, x, params))

    # -- prices for a general belief (spec A.3); scalar beliefs only
    def _scalar(self) -> None:
        if self.p.ndim != 1:
            raise ValueError("prices are computed for one belief at a time (p must be 1-D)")

    def expected_profit(self, bid: float, ask: float, params: GMParams = GMParams()):
        """(r_bid, r_ask): expected profit of each side, including uninformed traders."""
        self._scalar()
        se, s = params.sigma_eps, params.noise_share
        pb = s / 3 + (1 - s) * special.ndtr((bid - self.v) / se)
        pa = s / 3 + (1 - s) * special.ndtr((self.v - ask) / se)
        return float(self.p @ ((self.v - bid) * pb)), float(self.p @ ((ask - self.v) * pa))

    def zero_profit_quotes(self, params: GMParams = GMParams()) -> tuple[float, float]:
        """Competitive quotes: b = E[V | sell], a = E[V | buy] (zero expected profit per side)."""
        self._scalar()
        m = float(self.mean())
        lo, hi = float(self.v[0]), float(self.v[-1])
        if self.sd() == 0:
            return m, m
        fb = lambda b: self.expected_profit(b, hi, params)[0]  # noqa: E731
        fa = lambda a: self.expected_profit(lo, a, params)[1]  # noqa: E731
        b = optimize.brentq(fb, lo, m, xtol=1e-12) if fb(m) < 0 else m
        a = optimize.brentq(fa, m, hi, xtol=1e-12) if fa(m) < 0 else m
        return b, a

    def myopic_quotes(self, params: GMParams = GMParams()) -> tuple[float, float]:
        """Quotes maximising the next trade's expected profit (first-order conditions)."""
        self._scalar()
        params.require_no_noise("myopic quotes (uninformed buyers make the ask unbounded)")
        se = params.sigma_eps
        m, sd = float(self.mean()), float(self.sd())
        span = 8.0 * (sd + se)
        grid_a = np.linspace(m, m + span, 801)
        ra = np.array([self.expected_profit(m - span, a, params)[1] for a in grid_a])
        grid_b = np.linspace(m - span, m, 801)
        rb = np.array([self.expected_profit(b, m + span, params)[0] for b in grid_b])

        def refine(grid, vals, side):
            j = int(np.argmax(vals))
            j0, j1 = max(j - 1, 0), min(j + 1, grid.size - 1)
            f = (lambda a: -self.expected_profit(m - span, a, params)[1]) if side == "a" else \
                (lambda b: -self.expected_profit(b, m + span, params)[0])
            r = optimize.minimize_scalar(f, bounds=(grid[j0], grid[j1]), method="bounded",
                                         options={"xatol": 1e-10})
            return float(r.x)

        return refine(grid_b, rb, "b"), refine(grid_a, ra, "a")


def belief_divergences(belief: GridBelief, mu, sigma):
    """KL(exact || Gaussian) and Wasserstein-1 between a grid belief and N(mu, sigma^2).

    The Gaussian is discretised on the same grid. Returns arrays over the batch dimensions.
    """
    mu = np.asarray(mu, dtype=float)[..., None]
    sigma = np.asarray(sigma, dtype=float)[..., None]
    return _kl_w1(belief.p, (belief.v - mu) / sigma, belief.h)


def _kl_w1(p: np.ndarray, z: np.ndarray, h):
    """KL(p || g) and Wasserstein-1 between masses ``p`` on a uniform grid of step ``h`` and
    the Gaussian g discretised on it, given the grid's standardised values ``z`` (last axis)."""
    logg = -0.5 * z * z
    logg = logg - special.logsumexp(logg, axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        kl = np.where(p > 0, p * (np.log(np.where(p > 0, p, 1.0)) - logg), 0.0).sum(-1)
    w1 = np.abs(np.cumsum(p - np.exp(logg), axis=-1)).sum(-1) * h
    return np.clip(kl, 0.0, None), w1


class AdaptiveGridPosterior:
    """Exact posteriors of many runs, each on its own uniform grid that follows it as it narrows.

    Run r keeps masses ``p[r]`` on ``lo[r] + h[r] * arange(n)``. After each update a run whose
    grid spans more than ``regrid_span`` posterior sds is re-gridded onto mean +- ``new_half``
    sds (quadratic interpolation of the log density, renormalised); ``lost_mass`` records the
    largest mass ever left outside a new grid. Masses below 1e-250 are flushed to 0 (no
    subnormal arithmetic).

    Parameters
    ----------
    mu0, sigma0 : float
        Gaussian prior of every run.
    n_runs : int
    n : int
        Grid points per run.
    half_width : float
        Initial grid: mu0 +- half_width * sigma0.
    """

    def __init__(self, mu0: float, sigma0: float, n_runs: int, n: int = 201,
                 half_width: float = 8.0, regrid_span: float = 30.0, new_half: float = 10.0):
        if sigma0 <= 0:
            raise ValueError(f"sigma0 must be > 0, got {sigma0}")
        if n < 11:
            raise ValueError(f"n (grid points) must be >= 11, got {n}")
        self.j = np.arange(n, dtype=float)
        self.lo = np.full(n_runs, mu0 - half_width * sigma0)
        self.h = np.full(n_runs, 2 * half_width * sigma0 / (n - 1))
        z = (self.lo[0] + self.h[0] * self.j - mu0) / sigma0
        self.p = np.broadcast_to(np.exp(-0.5 * z * z), (n_runs, n)).copy()
        self.p /= self.p.sum(axis=1, keepdims=True)
        self.regrid_span, self.new_half = regrid_span, new_half
        self.lost_mass = 0.0
        self._v = self.lo[:, None] + self.h[:, None] * self.j
        self._moments()

    @property
    def v(self) -> np.ndarray:
        """Grid values, shape (runs, n) (cached; rebuilt for re-gridded runs)."""
        return self._v

    def _moments(self) -> None:
        m1 = self.p @ self.j
        m2 = self.p @ (self.j * self.j)
        self.mean = self.lo + self.h * m1
        self.sd = self.h * np.sqrt(np.clip(m2 - m1 * m1, 0.0, None))

    def update(self, bid, ask, x, params: GMParams) -> None:
        """Exact Bayes update of every run with its own quotes and observation."""
        self.p *= grid_likelihood(self._v, bid[:, None], ask[:, None], x[:, None], params)
        tot = self.p.sum(axis=1, keepdims=True)
        if np.any(~(tot > 0)):
            raise ValueError("exact posterior is not normalisable (grid too narrow?)")
        self.p /= tot
        self.p[self.p < 1e-250] = 0.0
        self._moments()
        n = self.j.size
        need = (n - 1) * self.h > self.regrid_span * self.sd
        if np.any(need):
            self._regrid(np.nonzero(need)[0])

    def _regrid(self, idx: np.ndarray) -> None:
        n = self.j.size
        lo, h, p = self.lo[idx], self.h[idx], self.p[idx]
        new_lo = self.mean[idx] - self.new_half * self.sd[idx]
        new_h = 2 * self.new_half * self.sd[idx] / (n - 1)
        vnew = new_lo[:, None] + new_h[:, None] * self.j
        pos = (vnew - lo[:, None]) / h[:, None]
        # quadratic (3-point Lagrange) interpolation of the log density: exact for a Gaussian
        k = np.clip(np.rint(pos).astype(int), 1, n - 2)
        f = pos - k
        with np.errstate(divide="ignore"):
            logp = np.log(np.maximum(p, 1e-300))
        y0, y1, y2 = (np.take_along_axis(logp, k + d, 1) for d in (-1, 0, 1))
        logd = y0 * f * (f - 1) / 2 + y1 * (1 - f * f) + y2 * f * (f + 1) / 2
        inside = (pos >= -0.5) & (pos <= n - 0.5)
        logd = np.where(inside, logd, -np.inf)
        dens = np.exp(logd - logd.max(axis=1, keepdims=True))
        # mass of the old grid outside the new range (diagnostic)
        vold = lo[:, None] + h[:, None] * self.j
        out = (vold < new_lo[:, None] - new_h[:, None] / 2) | \
              (vold > (new_lo + (n - 1) * new_h)[:, None] + new_h[:, None] / 2)
        self.lost_mass = max(self.lost_mass, float((p * out).sum(axis=1).max()))
        dens /= dens.sum(axis=1, keepdims=True)
        self.lo[idx], self.h[idx], self.p[idx] = new_lo, new_h, dens
        self._v[idx] = vnew
        self._moments()

    def divergences(self, mu, sigma):
        """KL(exact || Gaussian state) and Wasserstein-1, per run (Gaussian discretised on the
        run's grid)."""
        z = (self._v - mu[:, None]) / np.maximum(sigma, 1e-300)[:, None]
        return _kl_w1(self.p, z, self.h)


# ----------------------------------------------------------------------------- dynamic programme
def default_rho_grid(rho_max: float = 5.0, fine_step: float = 0.002, step: float = 0.005,
                     fine_until: float = 0.1) -> np.ndarray:
    """The spec's rho grid: step 0.002 on [0, 0.1], then 0.005 up to ``rho_max``."""
    if rho_max <= fine_until:
        raise ValueError(f"rho_max must be > {fine_until}, got {rho_max}")
    a = np.arange(0.0, fine_until, fine_step)
    b = np.arange(fine_until, rho_max + step / 2, step)
    return np.concatenate([a, b])


@dataclass
class DPSolution:
    """Solution of the Bellman equation (1) of Das & Magdon-Ismail on a rho grid.

    Values are stored per unit of sigma_eps (the value scales linearly with sigma_eps);
    the methods return price units.

    Attributes
    ----------
    params : GMParams
    rho : ndarray
        Grid of information disadvantages sigma/sigma_eps.
    v : ndarray
        Value V(rho) / sigma_eps.
    q_grid_values : ndarray
        Optimal normalised half-spread q*(rho) at the grid nodes (interpolate with :meth:`q`).
    method : str
        ``"self-consistent"`` or ``"naive"`` treatment of next states between grid nodes.
    """

    params: GMParams
    rho: np.ndarray
    v: np.ndarray
    q_grid_values: np.ndarray
    method: str

    def _rho(self, rho):
        r = _check_rho(rho)
        if np.any(r > self.rho[-1] + 1e-12):
            raise ValueError(f"rho must be <= rho_max = {self.rho[-1]:g} of the DP grid, got {rho}")
        return r

    def value(self, rho):
        """Optimal expected discounted profit V(rho) (price units), linear interpolation in rho^2."""
        r = self._rho(rho)
        return self.params.sigma_eps * np.interp(r**2, self.rho**2, self.v)

    def q(self, rho):
        """Optimal q*(rho), interpolated linearly in rho."""
        return np.interp(self._rho(rho), self.rho, self.q_grid_values)

    def half_spread(self, rho):
        """Optimal half-spread delta*(rho) = q* sigma_eps sqrt(1+rho^2) (price units)."""
        r = self._rho(rho)
        return half_spread(r, self.q(r), self.params.sigma_eps)

    def one_step_profit(self, rho):
        """Expected profit of the next trade under the optimal policy (price units)."""
        r = self._rho(rho)
        return one_step_profit(r, self.q(r), self.params.sigma_eps)

    @property
    def rho_max(self) -> float:
        return float(self.rho[-1])


def _dp_grid(rho) -> np.ndarray:
    """The DP's rho grid: :func:`default_rho_grid` when None, else validated."""
    if rho is None:
        return default_rho_grid()
    rho = _check_rho(rho).astype(float)
    if rho.ndim != 1 or rho.size < 2 or rho[0] != 0 or np.any(np.diff(rho) <= 0):
        raise ValueError(f"rho must be an increasing 1-D grid of >= 2 nodes starting at 0, got {rho}")
    return rho


def _continuation(x_next, xs, vs, k, method):
    """Split V(x_next) into (known part, weight on the unknown V_k)."""
    xk1 = xs[k - 1]
    known = np.interp(x_next, xs[:k], vs[:k])
    between = x_next > xk1
    if method == "naive":
        return np.where(between, vs[k - 1], known), np.zeros_like(x_next)
    w = np.where(between, (x_next - xk1) / (xs[k] - xk1), 0.0)
    return np.where(between, (1.0 - w) * vs[k - 1], known), w


def _node_objective(q, rho, k, xs, vs, gamma, method):
    """Self-consistent value for node k at actions q: a(q) / (1 - b(q))."""
    alpha, beta, _ = update_factors(rho, q)
    x = rho * rho
    p_tr = 2.0 * nsf(q)
    r = one_step_profit(rho, q)
    ka, wa = _continuation(alpha**2 * x, xs, vs, k, method)
    kb, wb = _continuation(beta**2 * x, xs, vs, k, method)
    a = r + gamma * (p_tr * ka + (1.0 - p_tr) * kb)
    b = gamma * (p_tr * wa + (1.0 - p_tr) * wb)
    return a / (1.0 - b)


def solve_dp(params: GMParams = GMParams(), rho: Sequence[float] | None = None, *,
             q_grid: Sequence[float] | None = None, method: str = "self-consistent",
             refine: bool = True) -> DPSolution:
    """Single-pass DP for the optimal market maker over the information disadvantage rho.

    By Theorem 2.1 the right-hand side of the Bellman equation in x = rho^2,

    ``V(x) = max_q r(x, q) + gamma [2 Q(q) V(alpha^2 x) + (2 Phi(q) - 1) V(beta^2 x)]``,

    involves only states below x, so the grid is swept upward once from V(0). A next state
    between the previous node x_{k-1} and x_k is interpolated with the unknown V_k itself
    (``method="self-consistent"``, spec A.6): the right-hand side is then affine in V_k,
    ``a(q) + b(q) V_k`` with ``b < gamma``, and the fixed point of ``max_q`` is exactly
    ``V_k = max_q a(q) / (1 - b(q))`` (no iteration needed). ``method="naive"`` instead
    clamps such states to V_{k-1}, which overstates V; the error grows with the grid step
    (about 0.03 at most on the default grid, 0.10 with a uniform step of 0.02).

    Parameters
    ----------
    params : GMParams
        ``noise_share`` must be 0. Values are computed per unit of sigma_eps.
    rho : array_like, optional
        Increasing grid starting at 0; default :func:`default_rho_grid` (1,031 nodes to 5).
    q_grid : array_like, optional
        Candidate q values; default step 0.0025 on [0.3, 6].
    method : {"self-consistent", "naive"}
    refine : bool
        Refine the best grid q by three rounds of local zooming (to about 1e-6).
    """
    params.require_no_noise("the DP")
    if method not in ("self-consistent", "naive"):
        raise ValueError(f"method must be 'self-consistent' or 'naive', got {method!r}")
    rho = _dp_grid(rho)
    qg = np.arange(0.3, 6.0 + 1e-9, 0.0025) if q_grid is None else _check_q(q_grid)
    gamma = params.gamma
    xs = rho**2
    vs = np.empty_like(rho)
    qs = np.empty_like(rho)
    # x = 0: the state never changes; V(0) = max_q 2 q Q(q) / (1 - gamma), q = Q_STAR.
    qs[0] = Q_STAR
    vs[0] = 2.0 * Q_STAR * float(nsf(Q_STAR)) / (1.0 - gamma)
    dq = float(np.min(np.diff(qg))) if qg.size > 1 else 0.01
    for k in range(1, rho.size):
        f = _node_objective(qg, rho[k], k, xs, vs, gamma, method)
        j = int(np.argmax(f))
        qbest, fbest = qg[j], f[j]
        if refine:
            half = dq
            for _ in range(3):
                cand = np.linspace(max(qbest - half, 0.0), qbest + half, 41)
                fc = _node_objective(cand, rho[k], k, xs, vs, gamma, method)
                jj = int(np.argmax(fc))
                if fc[jj] > fbest:
                    qbest, fbest = cand[jj], fc[jj]
                half = 2.0 * half / 40.0
        qs[k], vs[k] = qbest, fbest
    return DPSolution(params, rho, vs, qs, method)


def evaluate_policy(q_of_rho: Callable[[np.ndarray], np.ndarray], params: GMParams = GMParams(),
                    rho: Sequence[float] | None = None) -> np.ndarray:
    """Gaussian-world value V(rho)/sigma_eps of a fixed symmetric policy q(rho).

    Same single upward pass as :func:`solve_dp` (self-consistent interpolation), without the
    max; e.g. ``evaluate_policy(q_myopic)`` is the myopic "theoretical" curve of Fig. 3(a).
    """
    params.require_no_noise("policy evaluation")
    rho = _dp_grid(rho)
    xs = rho**2
    vs = np.empty_like(rho)
    q0 = float(np.asarray(q_of_rho(np.array([0.0])))[0])
    vs[0] = 2.0 * q0 * float(nsf(q0)) / (1.0 - params.gamma)
    qk = np.asarray(q_of_rho(rho), dtype=float)
    for k in range(1, rho.size):
        vs[k] = _node_objective(np.array([qk[k]]), rho[k], k, xs, vs, params.gamma,
                                "self-consistent")[0]
    return vs


# ----------------------------------------------------------------------------- quoting rules
class QuotingRule(Protocol):
    """Any callable mapping Gaussian belief states (arrays) to (bid, ask) arrays."""

    def __call__(self, mu: np.ndarray, sigma: np.ndarray) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass
class SymmetricRule:
    """Quotes mu +- q(rho) sigma_eps sqrt(1 + rho^2) with rho = sigma / sigma_eps.

    Parameters
    ----------
    q_of_rho : callable
        Vectorised map rho -> q (e.g. :func:`q_zero_profit`, :func:`q_myopic`, ``sol.q``).
    sigma_eps : float
    name : str
    """

    q_of_rho: Callable[[np.ndarray], np.ndarray]
    sigma_eps: float = 1.0
    name: str = "symmetric"

    def __call__(self, mu, sigma):
        rho = np.asarray(sigma, dtype=float) / self.sigma_eps
        d = half_spread(rho, self.q_of_rho(rho), self.sigma_eps)
        return mu - d, mu + d


def zero_profit_rule(params: GMParams = GMParams()) -> SymmetricRule:
    """Competitive (zero expected profit per side) market maker for Gaussian beliefs."""
    params.require_no_noise("the zero-profit rule")
    return SymmetricRule(q_zero_profit, params.sigma_eps, "Zero profit")


def myopic_rule(params: GMParams = GMParams()) -> SymmetricRule:
    """Myopic market maker: maximises the next trade's expected profit."""
    params.require_no_noise("the myopic rule")
    return SymmetricRule(q_myopic, params.sigma_eps, "Myopic")


def optimal_rule(solution: DPSolution) -> SymmetricRule:
    """Optimal market maker from a DP solution (q*(rho) interpolated on its grid)."""
    return SymmetricRule(solution.q, solution.params.sigma_eps, "Optimal")


# ----------------------------------------------------------------------------- simulation
@dataclass
class SimResult:
    """Per-run, per-period record of a simulated shocked market (arrays of shape (runs, T)).

    Attributes
    ----------
    bid, ask : ndarray
        Quotes of period t = 0..T-1.
    trades : ndarray of int8
        Observed trade direction x_t (+1 buy, 0 none, -1 sell).
    profit : ndarray
        MM profit of the period (a - V on a buy, V - b on a sell, else 0).
    mu, sigma : ndarray, shape (runs, T+1)
        Gaussian belief state before each period (and after the last).
    value : ndarray
        True value: shape (runs,) in the real world, (runs, T) in the Gaussian world.
    exact_mean, exact_sd, kl, w1 : ndarray or None, shape (runs, T+1)
        Exact grid posterior moments and its KL(exact || Gaussian) / Wasserstein-1 distance to
        the Gaussian state (only with ``track_exact=True``; kl, w1 nan where not computed).
    lost_mass : float
        Largest posterior mass dropped by re-gridding (exact tracking only).
    """

    name: str
    rho: float
    world: str
    params: GMParams
    value: np.ndarray
    bid: np.ndarray
    ask: np.ndarray
    trades: np.ndarray
    profit: np.ndarray
    mu: np.ndarray
    sigma: np.ndarray
    exact_mean: np.ndarray | None = None
    exact_sd: np.ndarray | None = None
    kl: np.ndarray | None = None
    w1: np.ndarray | None = None
    lost_mass: float = 0.0

    @property
    def n_runs(self) -> int:
        return self.profit.shape[0]

    @property
    def n_periods(self) -> int:
        return self.profit.shape[1]

    @property
    def spread(self) -> np.ndarray:
        """Full quoted spread a - b, shape (runs, T)."""
        return self.ask - self.bid

    def discounted_profit(self) -> np.ndarray:
        """Per-run sum_t gamma^t profit_t, shape (runs,)."""
        disc = self.params.gamma ** np.arange(self.n_periods)
        return self.profit @ disc

    def mean_discounted_profit(self) -> tuple[float, float]:
        """(mean, standard error) of the discounted profit over runs."""
        return _mean_se(self.discounted_profit())

    def profit_per_period(self) -> np.ndarray:
        """Mean profit of period t over all runs, shape (T,)."""
        return self.profit.mean(axis=0)

    def profit_per_trade(self) -> np.ndarray:
        """Total profit of period t divided by the number of trades at t (nan if none)."""
        n = (self.trades != 0).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(n > 0, self.profit.sum(axis=0) / np.maximum(n, 1), np.nan)

    def trade_rate(self) -> np.ndarray:
        """Fraction of runs with a trade in period t, shape (T,)."""
        return (self.trades != 0).mean(axis=0)

    def mean_spread(self) -> np.ndarray:
        """Mean full spread over runs, shape (T,)."""
        return self.spread.mean(axis=0)


def _mean_se(d: np.ndarray) -> tuple[float, float]:
    """(mean, standard error) of per-run values."""
    return float(d.mean()), float(d.std(ddof=1) / np.sqrt(d.size))


def stabilisation_time(mean_spread: np.ndarray, sigma_eps: float = 1.0,
                       factor: float = 1.1) -> int | None:
    """Periods before the first one whose mean spread is <= factor * 2 q* sigma_eps.

    The definition recovered for Fig. 4(c) of Das & Magdon-Ismail (spec A.8): the 0-based index
    of that period. None if the spread never gets there within the simulated horizon.
    """
    thr = factor * 2.0 * Q_STAR * sigma_eps
    hit = np.nonzero(np.asarray(mean_spread) <= thr)[0]
    return int(hit[0]) if hit.size else None


def simulate(rule: QuotingRule, rho: float, params: GMParams = GMParams(), *,
             n_runs: int = 10_000, n_periods: int = 100, seed: int | Sequence[int] = 0,
             world: Literal["real", "gaussian"] = "real", mu0: float = 0.0,
             quote_from: Literal["gaussian", "exact"] = "gaussian", track_exact: bool = False,
             grid_points: int = 201, grid_width: float = 8.0,
             divergence_at: Sequence[int] | None = None, name: str | None = None,
             ) -> SimResult:
    """Simulate a quoting rule in the shocked market, vectorised over runs.

    Parameters
    ----------
    rule : callable
        ``rule(mu, sigma) -> (bid, ask)`` on arrays of belief states (see :class:`SymmetricRule`).
    rho : float
        Initial information disadvantage; the prior is N(mu0, (rho sigma_eps)^2).
    params : GMParams
    n_runs, n_periods : int
    seed : int or sequence of int
        Seed of ``np.random.default_rng``. The draws (V, trader noise, Gaussian-world redraws,
        uninformed traders) are made in a fixed order before the loop, so every rule simulated
        with the same seed sees the same random numbers (common random numbers).
    world : {"real", "gaussian"}
        ``"real"``: V drawn once per run from the prior (what the paper reports).
        ``"gaussian"``: V_t redrawn each period from the MM's belief N(mu_t, sigma_t^2), where the
        DP values are exact.
    mu0 : float
        Prior mean.
    quote_from : {"gaussian", "exact"}
        Which belief the rule is fed: the recursive Gaussian state (the paper) or the mean and sd
        of the exact grid posterior (the "exact-state" MM; implies ``track_exact``).
    track_exact : bool
        Also carry the exact grid posterior per run (real world only) and record its moments
        and divergences from the Gaussian state.
    grid_points, grid_width : int, float
        Exact posterior of each run: ``grid_points`` nodes, first on mu0 +- grid_width * sigma_0,
        then following the posterior as it narrows (:class:`AdaptiveGridPosterior`).
    divergence_at : sequence of int, optional
        Periods (0..T) at which KL and W1 are computed (default: all; they cost more than the
        update itself). Elsewhere they are nan.
    name : str, optional
        Label (default: the rule's ``name``).

    Returns
    -------
    SimResult
    """
    rho = float(_check_rho(rho))
    if n_runs < 1 or n_periods < 1:
        raise ValueError(f"n_runs and n_periods must be >= 1, got {n_runs}, {n_periods}")
    if world not in ("real", "gaussian"):
        raise ValueError(f"world must be 'real' or 'gaussian', got {world!r}")
    if quote_from not in ("gaussian", "exact"):
        raise ValueError(f"quote_from must be 'gaussian' or 'exact', got {quote_from!r}")
    exact = track_exact or quote_from == "exact"
    if exact and (world != "real" or rho == 0):
        raise ValueError("exact posterior tracking needs world='real' and rho > 0")
    se, s = params.sigma_eps, params.noise_share
    rng = np.random.default_rng(seed)
    sig0 = rho * se
    V = mu0 + sig0 * rng.standard_normal(n_runs)
    eps = se * rng.standard_normal((n_runs, n_periods))
    Z = rng.standard_normal((n_runs, n_periods))
    if s > 0:
        uninformed = rng.random((n_runs, n_periods)) < s
        u_action = rng.integers(-1, 2, size=(n_runs, n_periods))
    shape = (n_runs, n_periods)
    bid_a, ask_a, prof = np.empty(shape), np.empty(shape), np.empty(shape)
    trades = np.empty(shape, dtype=np.int8)
    mu_a, sig_a = np.empty((n_runs, n_periods + 1)), np.empty((n_runs, n_periods + 1))
    Vt_a = np.empty(shape) if world == "gaussian" else None
    mu = np.full(n_runs, float(mu0))
    sig = np.full(n_runs, sig0)
    if exact:
        post = AdaptiveGridPosterior(mu0, sig0, n_runs, grid_points, grid_width)
        em, esd = np.empty((n_runs, n_periods + 1)), np.empty((n_runs, n_periods + 1))
        kl, w1 = np.full((n_runs, n_periods + 1), np.nan), np.full((n_runs, n_periods + 1), np.nan)
        div_at = set(range(n_periods + 1)) if divergence_at is None else set(divergence_at)

        def record(t):
            em[:, t], esd[:, t] = post.mean, post.sd
            if t in div_at:
                kl[:, t], w1[:, t] = post.divergences(mu, sig)

        record(0)
    for t in range(n_periods):
        mu_a[:, t], sig_a[:, t] = mu, sig
        if quote_from == "exact":
            bid, ask = rule(em[:, t], esd[:, t])
        else:
            bid, ask = rule(mu, sig)
        bid = np.broadcast_to(np.asarray(bid, dtype=float), (n_runs,))
        ask = np.broadcast_to(np.asarray(ask, dtype=float), (n_runs,))
        if np.any(bid > ask):
            raise ValueError("bid must be <= ask (returned by the quoting rule)")
        if world == "gaussian":
            Vt = mu + sig * Z[:, t]
            Vt_a[:, t] = Vt
        else:
            Vt = V
        w = Vt + eps[:, t]
        x = (w > ask).astype(np.int8) - (w < bid).astype(np.int8)
        if s > 0:
            x = np.where(uninformed[:, t], u_action[:, t], x).astype(np.int8)
        prof[:, t] = np.where(x == 1, ask - Vt, np.where(x == -1, Vt - bid, 0.0))
        bid_a[:, t], ask_a[:, t], trades[:, t] = bid, ask, x
        mu, sig = _fast_update(mu, sig, bid, ask, x, params)
        if exact:
            post.update(bid, ask, x, params)
            record(t + 1)
    mu_a[:, -1], sig_a[:, -1] = mu, sig
    label = name or getattr(rule, "name", "rule")
    res = SimResult(label, rho, world, params, Vt_a if world == "gaussian" else V, bid_a, ask_a,
                    trades, prof, mu_a, sig_a)
    if exact:
        res.exact_mean, res.exact_sd, res.kl, res.w1 = em, esd, kl, w1
        res.lost_mass = post.lost_mass
    return res


@dataclass
class SweepResult:
    """Summaries of :func:`simulate` over a grid of rho for several rules.

    Arrays are indexed ``[rule, rho]`` or ``[rule, rho, t]``; ``names`` lists the rules.
    ``stab_time`` is :func:`stabilisation_time` of the mean spread (-1 when never reached).
    """

    names: list[str]
    rho: np.ndarray
    n_runs: int
    n_periods: int
    profit_mean: np.ndarray
    profit_se: np.ndarray
    mean_spread: np.ndarray
    trade_rate: np.ndarray
    profit_per_period: np.ndarray
    profit_per_trade: np.ndarray
    stab_time: np.ndarray

    def index(self, name: str, rho: float) -> tuple[int, int]:
        """Indices of a rule name and of the grid rho nearest to ``rho``."""
        return self.names.index(name), int(np.argmin(np.abs(self.rho - rho)))

    def to_npz(self, path) -> None:
        np.savez_compressed(path, names=np.array(self.names), rho=self.rho,
                            n=np.array([self.n_runs, self.n_periods]),
                            **{k: getattr(self, k) for k in _SWEEP_ARRAYS})

    @classmethod
    def from_npz(cls, path) -> "SweepResult":
        d = np.load(path)
        return cls(list(d["names"]), d["rho"], int(d["n"][0]), int(d["n"][1]),
                   **{k: d[k] for k in _SWEEP_ARRAYS})


_SWEEP_ARRAYS = ("profit_mean", "profit_se", "mean_spread", "trade_rate", "profit_per_period",
                 "profit_per_trade", "stab_time")


def _progress(it, desc: str, show: bool):
    """``it`` wrapped in a tqdm progress bar when ``show`` (CLI runs), else unchanged."""
    if not show:
        return it
    from tqdm import tqdm

    return tqdm(it, desc=desc)


def sweep(rules: Sequence[QuotingRule], rhos: Sequence[float], params: GMParams = GMParams(), *,
          n_runs: int = 10_000, n_periods: int = 100, seed: int = 0,
          world: Literal["real", "gaussian"] = "real", progress: bool = False) -> SweepResult:
    """Simulate every rule at every rho and keep the summaries (not the per-run arrays).

    Run ``i`` of every rule at a given rho sees the same V and trader noise (the seed is
    ``[seed, round(rho * 1e6)]``), so differences between rules are paired.
    """
    rhos = _check_rho(np.asarray(rhos, dtype=float))
    names = [getattr(r, "name", f"rule{i}") for i, r in enumerate(rules)]
    R, K, T = len(rules), rhos.size, n_periods
    out = {k: np.empty((R, K)) for k in ("profit_mean", "profit_se")}
    out.update({k: np.empty((R, K, T)) for k in ("mean_spread", "trade_rate",
                                                 "profit_per_period", "profit_per_trade")})
    stab = np.empty((R, K), dtype=int)
    for k in _progress(range(K), "rho sweep", progress):
        for i, rule in enumerate(rules):
            res = simulate(rule, float(rhos[k]), params, n_runs=n_runs, n_periods=T,
                           seed=[seed, int(round(rhos[k] * 1e6))], world=world)
            out["profit_mean"][i, k], out["profit_se"][i, k] = res.mean_discounted_profit()
            out["mean_spread"][i, k] = res.mean_spread()
            out["trade_rate"][i, k] = res.trade_rate()
            out["profit_per_period"][i, k] = res.profit_per_period()
            out["profit_per_trade"][i, k] = res.profit_per_trade()
            st = stabilisation_time(res.mean_spread(), params.sigma_eps)
            stab[i, k] = -1 if st is None else st
    return SweepResult(names, rhos, n_runs, T, stab_time=stab, **out)


def exact_vs_gaussian(solution: DPSolution, rhos: Sequence[float], *, n_runs: int = 4000,
                      n_periods: int = 100, seed: int = 0, grid_points: int = 201,
                      divergence_at: Sequence[int] = (0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 100),
                      progress: bool = False) -> dict[str, np.ndarray]:
    """How good is the Gaussian approximation? (beyond the paper)

    At each rho, two optimal market makers face the same runs (same V, same traders):

    * ``gauss``: the paper's MM, quoting from its Gaussian state, while the exact grid posterior
      is tracked alongside (:class:`AdaptiveGridPosterior`);
    * ``exact``: quotes mu_exact +- delta*(sd_exact / sigma_eps) from the exact posterior's
      mean and sd (the paper's "alternative", sec. 3).

    Returns a dict of arrays: discounted profit mean/se of both and of their paired difference,
    the DP theory value, and at the periods ``div_t``: mean KL(exact || Gaussian), mean
    Wasserstein-1 / exact sd, mean ``|mu_G - mu_exact| / sd_exact`` and mean
    ``sd_G / sd_exact``.
    """
    p = solution.params
    rhos = _check_rho(np.asarray(rhos, dtype=float))
    if np.any(rhos <= 0):
        raise ValueError("rho must be > 0 for exact posterior tracking")
    div_t = np.array(sorted(t for t in set(divergence_at) if 0 <= t <= n_periods))
    K, D = rhos.size, div_t.size
    out = {k: np.empty(K) for k in ("profit_gauss", "se_gauss", "profit_exact", "se_exact",
                                    "diff", "se_diff", "theory", "lost_mass")}
    out.update({k: np.empty((K, D)) for k in ("kl", "w1_rel", "mean_err", "sd_ratio")})
    rule = optimal_rule(solution)
    for k in _progress(range(K), "exact vs Gaussian", progress):
        kw = dict(n_runs=n_runs, n_periods=n_periods, seed=[seed, int(round(rhos[k] * 1e6))],
                  grid_points=grid_points)
        g = simulate(rule, float(rhos[k]), p, track_exact=True, divergence_at=div_t, **kw)
        e = simulate(rule, float(rhos[k]), p, quote_from="exact", divergence_at=[], **kw)
        dg, de = g.discounted_profit(), e.discounted_profit()
        out["profit_gauss"][k], out["se_gauss"][k] = _mean_se(dg)
        out["profit_exact"][k], out["se_exact"][k] = _mean_se(de)
        out["diff"][k], out["se_diff"][k] = _mean_se(de - dg)
        out["theory"][k] = float(solution.value(rhos[k]))
        out["lost_mass"][k] = max(g.lost_mass, e.lost_mass)
        sd = g.exact_sd[:, div_t]
        out["kl"][k] = g.kl[:, div_t].mean(0)
        out["w1_rel"][k] = (g.w1[:, div_t] / sd).mean(0)
        out["mean_err"][k] = (np.abs(g.mu[:, div_t] - g.exact_mean[:, div_t]) / sd).mean(0)
        out["sd_ratio"][k] = (g.sigma[:, div_t] / sd).mean(0)
    out["rho"], out["div_t"] = rhos, div_t
    out["n"] = np.array([n_runs, n_periods, grid_points, seed])
    return out


# ----------------------------------------------------------------------------- CLI
def add_cli(subparsers) -> None:  # pragma: no cover - thin wrapper, run by hand
    """Register ``python -m mmkit das-sim``: the exact-vs-Gaussian sweep artifact."""
    p = subparsers.add_parser(
        "das-sim", help="Das 2008: optimal MM with exact posterior tracking, sweep over rho")
    p.add_argument("--runs", type=int, default=4000)
    p.add_argument("--periods", type=int, default=100)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--grid-points", type=int, default=201)
    p.add_argument("--rho", type=float, nargs="+",
                   default=[0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0])
    p.add_argument("--out", default=None, help="default artifacts/glosten_milgrom/exact_vs_gaussian.npz")

    def run(args):
        import json
        import time

        from mmkit.paths import artifacts_dir

        out = artifacts_dir("glosten_milgrom") / "exact_vs_gaussian.npz" if args.out is None \
            else __import__("pathlib").Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        sol = solve_dp(GMParams())
        res = exact_vs_gaussian(sol, args.rho, n_runs=args.runs, n_periods=args.periods,
                                seed=args.seed, grid_points=args.grid_points, progress=True)
        np.savez_compressed(out, **res)
        summary = {k: np.round(v, 5).tolist() for k, v in res.items()}
        out.with_suffix(".json").write_text(json.dumps(summary, indent=1) + "\n")
        print(f"wrote {out} in {time.perf_counter() - t0:.0f} s")

    p.set_defaults(func=run)
