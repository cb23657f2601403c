r"""Fast rho sweep for symmetric quoting rules, and the statistics the chapter reads off it.

:func:`fast_sweep` computes the same per-period summaries as :func:`simulate` followed by the
:class:`SimResult` reductions (the shock chapter's Figs. 3 and 4), but

* draws the value :math:`V` and the traders' noise once per :math:`\rho` and shares them
  between the rules (the draws of :func:`simulate` for the same seed, in the same order, so
  the runs are the same runs);
* keeps arrays time-major (one contiguous vector of runs per period) and stores no per-run
  history, only running sums;
* evaluates the zero-profit and myopic half-spreads and update factors from a cubic spline
  table in :math:`\rho` (exact at nodes of step 0.002, accurate to about :math:`10^{-10}`)
  instead of solving the fixed point by Newton's method and evaluating the Mills ratio in
  every period. (:class:`QuoteTable` is the same idea for q alone, as a public helper.)

It applies in the real world (:math:`V` drawn once per run) with no uninformed traders, which is
the paper's protocol. Besides the :class:`SweepResult` arrays it returns standard errors of each
per-period mean and the price-discovery error :math:`E|\mu_t - V|`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.interpolate import CubicHermiteSpline, CubicSpline

from mmkit.common.io import as_path, existing_file
from mmkit.common.validation import (
    check_array,
    check_bool,
    check_choice,
    check_nonnegative,
    check_positive,
    check_real,
    check_real_array,
)
from mmkit.glosten_milgrom.gaussian import _mills, update_factors
from mmkit.glosten_milgrom.params import GMParams, _check_rho
from mmkit.glosten_milgrom.quotes import Q_STAR, q_myopic, q_zero_profit
from mmkit.glosten_milgrom.rules import SymmetricRule

__all__ = [
    "SWEEP_RHOS",
    "FastSweep",
    "QuoteTable",
    "fast_sweep",
    "stabilisation_times",
]


#: The rho grid of the paper's Fig. 3(a) (0, 0.002, ..., 0.008, 0.01, ..., 0.1, 0.2, ..., 4),
#: extended to 5 for Fig. 4(c): 64 values.
SWEEP_RHOS: np.ndarray = np.round(
    np.concatenate(
        [[0, 0.002, 0.004, 0.006, 0.008], np.arange(0.01, 0.1001, 0.01), np.arange(0.2, 5.0001, 0.1)]
    ),
    4,
)


# ------------------------------------------------------------------------------ quote tables
def _dq_drho(q_of_rho: Callable, rho: np.ndarray, q: np.ndarray) -> np.ndarray:
    """dq/drho of the zero-profit or myopic fixed point, by the implicit function theorem."""
    lam = _mills(q)
    dlam = lam * (lam - q)  # lambda'(q)
    if q_of_rho is q_zero_profit:
        # g = q - c(rho) lambda(q), c = rho^2 / (1 + rho^2), c' = 2 rho / (1 + rho^2)^2
        c = rho**2 / (1.0 + rho**2)
        return 2.0 * rho / (1.0 + rho**2) ** 2 * lam / (1.0 - c * dlam)
    # myopic: g = q lambda(q) - 1 - rho^2
    return 2.0 * rho / (lam + q * dlam)


@dataclass
class QuoteTable:
    r"""The zero-profit or myopic :math:`q(\rho)` tabulated once, evaluated by cubic Hermite
    interpolation with exact nodal values and derivatives.

    On nodes of step ``h`` the error is :math:`O(h^4 q'''')`; the default ``h = 0.002`` gives
    :math:`|q_{\text{table}} - q| < 10^{-11}` on :math:`[0, \rho_{\max}]` (checked in the tests
    against the Newton solution). Above ``rho_max`` it falls back to the exact solver.

    Parameters
    ----------
    q_of_rho : callable
        :func:`q_zero_profit` or :func:`q_myopic`.
    rho_max : float
        Largest tabulated :math:`\rho`, > 0.
    step : float
        Node spacing, in (0, rho_max].
    """

    q_of_rho: Callable
    rho_max: float = 5.0
    step: float = 0.002

    def __post_init__(self) -> None:
        if self.q_of_rho not in (q_zero_profit, q_myopic):
            raise ValueError("q_of_rho must be q_zero_profit or q_myopic")
        self.rho_max = check_positive(self.rho_max, "rho_max")
        self.step = check_positive(self.step, "step")
        if not (0 < self.step <= self.rho_max):
            raise ValueError(f"step must be in (0, rho_max], got {self.step}")
        n = int(np.ceil(self.rho_max / self.step)) + 1
        nodes = np.linspace(0.0, self.step * (n - 1), n)
        q = self.q_of_rho(nodes)
        self._spline = CubicHermiteSpline(nodes, q, _dq_drho(self.q_of_rho, nodes, q))
        self._top = float(nodes[-1])

    def __call__(self, rho):
        r = _check_rho(rho)
        out = self._spline(r)
        hi = r > self._top
        if np.any(hi):
            out = np.where(hi, self.q_of_rho(np.where(hi, r, 0.0)), out)
        return out


class _RuleTable:
    """(half-spread / sigma_eps, alpha, beta, kappa) of a symmetric rule as functions of rho.

    The zero-profit and myopic rules are smooth in rho: all four are tabulated at nodes of step
    0.002 (exact values there) and evaluated by one vector-valued cubic spline (error below
    1e-10, tested). Other rules (the DP policy, piecewise linear in rho) evaluate q and the
    closed-form factors directly.
    """

    def __init__(self, rule: SymmetricRule, rho_max: float, step: float = 0.002):
        self.q_of_rho = rule.q_of_rho
        self.spline = None
        if rule.q_of_rho in (q_zero_profit, q_myopic):
            n = int(np.ceil(max(float(rho_max), 0.01) / step)) + 1
            nodes = np.linspace(0.0, step * (n - 1), n)
            q = rule.q_of_rho(nodes)
            a, b, k = update_factors(nodes, q)
            y = np.column_stack([q * np.sqrt(1.0 + nodes**2), a, b, k])
            self.spline = CubicSpline(nodes, y)

    def __call__(self, rho):
        if self.spline is not None:
            h, a, b, k = self.spline(rho).T
            return h, a, b, k
        q = self.q_of_rho(rho)
        a, b, k = update_factors(rho, q)
        return q * np.sqrt(1.0 + rho * rho), a, b, k


# ------------------------------------------------------------------------------ the sweep
@dataclass
class FastSweep:
    """Per-rule, per-rho summaries of the shocked market (arrays ``[rule, rho]`` or
    ``[rule, rho, t]``), each mean with its Monte Carlo standard error.

    Attributes
    ----------
    names, rho, n_runs, n_periods, seed
        Rules, grid of initial information disadvantages, runs per rho, periods, base seed
        (run ``i`` at ``rho`` uses ``np.random.default_rng([seed, round(rho * 1e6)])``).
    profit_mean, profit_se
        Mean discounted profit :math:`\\sum_t \\gamma^t r_t` over runs and its s.e.
    mean_spread, spread_se
        Mean full spread :math:`a_t - b_t` at period t and its s.e.
    trade_rate, trade_rate_se
        Fraction of runs with a trade at t, s.e. :math:`\\sqrt{p(1-p)/n}`.
    profit_per_period, profit_per_period_se
        Mean profit of period t over all runs.
    profit_per_trade, profit_per_trade_se
        Mean profit of the runs that traded at t (nan when none; s.e. nan below 2 trades).
    price_error, price_error_se
        Mean :math:`|\\mu_t - V|` after the update of period t (the belief at the start of
        period t + 1; index 0 is after the first trade), in units of sigma_eps.
    stab_time
        :func:`stabilisation_times` of ``mean_spread`` with factor 1.1 (-1 when never reached).
    """

    names: list[str]
    rho: np.ndarray
    n_runs: int
    n_periods: int
    seed: int
    profit_mean: np.ndarray
    profit_se: np.ndarray
    mean_spread: np.ndarray
    spread_se: np.ndarray
    trade_rate: np.ndarray
    trade_rate_se: np.ndarray
    profit_per_period: np.ndarray
    profit_per_period_se: np.ndarray
    profit_per_trade: np.ndarray
    profit_per_trade_se: np.ndarray
    price_error: np.ndarray
    price_error_se: np.ndarray
    stab_time: np.ndarray

    ARRAYS = (
        "profit_mean",
        "profit_se",
        "mean_spread",
        "spread_se",
        "trade_rate",
        "trade_rate_se",
        "profit_per_period",
        "profit_per_period_se",
        "profit_per_trade",
        "profit_per_trade_se",
        "price_error",
        "price_error_se",
        "stab_time",
    )

    def k(self, rho: float) -> int:
        """Index of the grid value nearest to ``rho`` (finite, >= 0)."""
        return int(np.argmin(np.abs(self.rho - check_nonnegative(rho, "rho"))))

    def at(self, name: str, rho: Sequence[float]) -> np.ndarray:
        """Array ``name`` (one of :attr:`ARRAYS`) at the grid values nearest to ``rho`` (axis 1)."""
        check_choice(name, "name", self.ARRAYS)
        r = check_real_array(rho, "rho", 0.0)
        return np.take(getattr(self, name), [self.k(x) for x in np.atleast_1d(r)], axis=1)

    def to_npz(self, path) -> None:
        """Save (numpy ``.npz``, no pickle)."""
        np.savez_compressed(
            as_path(path, "path"),
            names=np.array(self.names),
            rho=self.rho,
            n=np.array([self.n_runs, self.n_periods, self.seed]),
            **{k: getattr(self, k) for k in self.ARRAYS},
        )

    @classmethod
    def from_npz(cls, path) -> FastSweep:
        """Load a sweep saved by :meth:`to_npz` (``allow_pickle=False``)."""
        with np.load(existing_file(path, "path"), allow_pickle=False) as d:
            n = d["n"]
            return cls(
                [str(s) for s in d["names"]],
                d["rho"],
                int(n[0]),
                int(n[1]),
                int(n[2]),
                **{k: d[k] for k in cls.ARRAYS},
            )


def _mean_se(a: np.ndarray) -> tuple[float, float]:
    """(mean, standard error) of a vector (two-pass; nan for fewer than 2 values; a constant
    vector gives its value and 0 exactly)."""
    if a.size == 0:
        return np.nan, np.nan
    m = a.mean()
    if a.size < 2:
        return m, np.nan
    if a.min() == a.max():  # a constant (e.g. the first spread): s.e. exactly 0, not round-off
        return a[0], 0.0
    return m, a.std(ddof=1) / np.sqrt(a.size)


def _one_rule(table, V, epsT, sig0, params):
    """Per-period means and standard errors of one symmetric rule over the shared draws
    (time-major), and the per-run discounted profit."""
    se, gamma = params.sigma_eps, params.gamma
    T, n = epsT.shape
    mu, sig = np.zeros(n), np.full(n, sig0)
    disc = np.zeros(n)
    keys = ("spread", "trade", "period", "trade_profit", "price_error")
    m = {k: np.empty(T) for k in keys}
    s = {k: np.empty(T) for k in keys}
    g = 1.0
    for t in range(T):
        h, alpha, beta, kappa = table(sig / se)
        d = se * h
        w = V + epsT[t]
        buy, sell = w > mu + d, w < mu - d
        x = buy.astype(np.int8) - sell.astype(np.int8)
        prof = np.where(buy, mu + d - V, np.where(sell, V - mu + d, 0.0))
        disc += g * prof
        g *= gamma
        traded = x != 0
        m["spread"][t], s["spread"][t] = _mean_se(2.0 * d)
        m["trade"][t] = np.count_nonzero(traded)
        m["period"][t], s["period"][t] = _mean_se(prof)
        m["trade_profit"][t], s["trade_profit"][t] = _mean_se(prof[traded])
        mu = mu + x * kappa * sig
        sig = np.where(x == 0, beta, alpha) * sig
        m["price_error"][t], s["price_error"][t] = _mean_se(np.abs(mu - V) / se)
    return disc, m, s


def stabilisation_times(mean_spread, sigma_eps: float = 1.0, factor: float = 1.1) -> np.ndarray:
    r"""Periods before the first period whose mean spread is at most
    ``factor`` :math:`\times 2q^*\sigma_\varepsilon` (-1 if never), along the last axis.

    The same definition as :func:`stabilisation_time`, vectorised over leading axes.

    Parameters
    ----------
    mean_spread : array_like, shape (..., T)
    sigma_eps : float
    factor : float
        Threshold factor, > 0 (1.1 reproduces the paper's Fig. 4(c)).
    """
    factor = check_positive(factor, "factor")
    sigma_eps = check_positive(sigma_eps, "sigma_eps")
    m = check_array(mean_spread, "mean_spread", lo=0.0)
    if m.ndim < 1:
        raise ValueError(f"mean_spread must have at least one axis (periods), got shape {m.shape}")
    hit = m <= factor * 2.0 * Q_STAR * sigma_eps
    first = np.argmax(hit, axis=-1)
    return np.where(hit.any(axis=-1), first, -1)


def fast_sweep(
    rules: Sequence[SymmetricRule],
    rhos: Sequence[float] | np.ndarray,
    params: GMParams = GMParams(),
    *,
    n_runs: int = 10_000,
    n_periods: int = 100,
    seed: int = 0,
    mu0: float = 0.0,
    progress: bool = False,
) -> FastSweep:
    """Simulate symmetric rules over a grid of rho in the real world (the paper's protocol).

    Same runs as :func:`sweep` and :func:`simulate` with ``seed=[seed, round(rho * 1e6)]``:
    the value ``V ~ N(mu0, (rho sigma_eps)^2)`` and the traders' noise are drawn in the same
    order, so every summary agrees with theirs to round-off (tested).

    Parameters
    ----------
    rules : sequence of SymmetricRule
        E.g. ``[optimal_rule(sol), myopic_rule(p), zero_profit_rule(p)]``.
    rhos : sequence of float
        Initial information disadvantages, >= 0.
    params : GMParams
        ``noise_share`` must be 0.
    n_runs : int
        Runs per rho, >= 2.
    n_periods : int
        Periods per run, >= 1.
    seed : int
    mu0 : float
        Prior mean (the results do not depend on it).
    progress : bool
        Show a progress bar over the rho grid (command-line runs).

    Returns
    -------
    FastSweep
    """
    from mmkit.glosten_milgrom.simulation import _check_run_args, _progress

    _check_run_args(params, n_runs, n_periods, seed)
    params.require_no_noise("fast_sweep")
    if (
        not isinstance(rules, (list, tuple))
        or not rules
        or not all(isinstance(r, SymmetricRule) for r in rules)
    ):
        raise TypeError("rules must be a non-empty sequence of SymmetricRule")
    if int(n_runs) < 2:
        raise ValueError(f"n_runs must be >= 2, got {n_runs}")
    mu0 = check_real(mu0, "mu0")
    rho_arr = _check_rho(np.atleast_1d(check_real_array(rhos, "rhos", 0.0)))
    R, K, T, n = len(rules), rho_arr.size, int(n_periods), int(n_runs)
    tables = [_RuleTable(r, rho_arr.max()) for r in rules]
    keys2 = ("profit_mean", "profit_se")
    out = {k: np.empty((R, K)) for k in keys2}
    out.update({k: np.empty((R, K, T)) for k in FastSweep.ARRAYS if k not in keys2 + ("stab_time",)})
    se = params.sigma_eps
    for k in _progress(range(K), "rho", check_bool(progress, "progress")):
        rng = np.random.default_rng([seed, int(round(rho_arr[k] * 1e6))])
        sig0 = rho_arr[k] * se
        V = mu0 + sig0 * rng.standard_normal(n)
        epsT = np.ascontiguousarray((se * rng.standard_normal((n, T))).T)
        for i, table in enumerate(tables):
            disc, m, s = _one_rule(table, V - mu0, epsT, sig0, params)
            out["profit_mean"][i, k], out["profit_se"][i, k] = _mean_se(disc)
            out["mean_spread"][i, k], out["spread_se"][i, k] = m["spread"], s["spread"]
            p = m["trade"] / n
            out["trade_rate"][i, k] = p
            out["trade_rate_se"][i, k] = np.sqrt(p * (1.0 - p) / n)
            out["profit_per_period"][i, k] = m["period"]
            out["profit_per_period_se"][i, k] = s["period"]
            out["profit_per_trade"][i, k] = m["trade_profit"]
            out["profit_per_trade_se"][i, k] = s["trade_profit"]
            out["price_error"][i, k], out["price_error_se"][i, k] = m["price_error"], s["price_error"]
    stab = stabilisation_times(out["mean_spread"], se)
    names = [r.name for r in rules]
    return FastSweep(names, rho_arr, n, T, int(seed), stab_time=stab, **out)
