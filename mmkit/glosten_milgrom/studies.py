r"""Studies behind the shock chapter: the Fig. 1 setup, crossing points of the spread curves,
the Fig. 4(c) stabilisation definition and its sensitivity, and sensitivity of the results to
the discount factor and to uninformed traders.

Every function here is deterministic given its seed and returns plain arrays or dicts; the
chapter only calls, prints and plots.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import brentq

from mmkit.common.validation import (
    check_array,
    check_callable,
    check_finite,
    check_index,
    check_instance,
    check_mapping,
    check_nonnegative,
    check_nonnegative_int,
    check_positive,
    check_positive_int,
    check_real_array,
    check_sequence,
)
from mmkit.glosten_milgrom.dp import DPSolution, _dp_grid, default_rho_grid, solve_dp
from mmkit.glosten_milgrom.exact import GridBelief
from mmkit.glosten_milgrom.fastsweep import stabilisation_times
from mmkit.glosten_milgrom.gaussian import gaussian_update, half_spread
from mmkit.glosten_milgrom.params import GMParams, check_params
from mmkit.glosten_milgrom.quotes import q_zero_profit
from mmkit.glosten_milgrom.rules import SymmetricRule
from mmkit.glosten_milgrom.simulation import simulate

__all__ = [
    "Fig1Runs",
    "TWO_STEP_PATTERNS",
    "convergence_times",
    "crossings",
    "fig1_quote_table",
    "gaussian_world_check",
    "fig1_runs",
    "gamma_sensitivity",
    "noise_share_study",
    "stab_labels",
    "stabilisation_matches",
    "two_step_states",
    "two_step_table",
]

#: Every two-step observation sequence (x_1, x_2), x in {+1 buy, 0 none, -1 sell}.
TWO_STEP_PATTERNS: tuple[tuple[int, int], ...] = tuple((a, b) for a in (1, 0, -1) for b in (1, 0, -1))


# ------------------------------------------------------------------------------ Fig. 1
def two_step_states(
    rule: Callable, mu0: float, sigma0: float, params: GMParams = GMParams()
) -> dict[tuple[int, int], tuple[float, float]]:
    """Gaussian state (mean, sd) after each two-step sequence from the prior N(mu0, sigma0^2).

    Parameters
    ----------
    rule : callable
        Quoting rule ``rule(mu, sigma) -> (bid, ask)``.
    mu0 : float
    sigma0 : float, > 0
    params : GMParams

    Returns
    -------
    dict
        ``{(x1, x2): (mean, sd)}`` over :data:`TWO_STEP_PATTERNS`.
    """
    check_callable(rule, "rule")
    mu0 = check_finite(mu0, "mu0")
    sigma0 = check_positive(sigma0, "sigma0")
    check_params(params)
    out = {}
    for pattern in TWO_STEP_PATTERNS:
        mu, sg = np.array([float(mu0)]), np.array([float(sigma0)])
        for x in pattern:
            b, a = rule(mu, sg)
            mu, sg = gaussian_update(mu, sg, b, a, np.array([x]), params)
        out[pattern] = (float(mu[0]), float(sg[0]))
    return out


@dataclass
class Fig1Runs:
    """Exact grid posteriors and Gaussian states of many seeded trade sequences.

    Attributes
    ----------
    v : ndarray
        Value grid (cells of ``cell``).
    steps : tuple of int
        Steps at which snapshots are kept.
    p : dict
        ``{step: (n_seq, n_grid)}`` exact posterior probabilities per cell.
    moments : ndarray, shape (len(steps), 4, n_seq)
        Exact mean, exact sd, Gaussian mean, Gaussian sd at each step.
    """

    v: np.ndarray
    steps: tuple[int, ...]
    p: dict[int, np.ndarray]
    moments: np.ndarray

    def errors(self) -> tuple[np.ndarray, np.ndarray]:
        """Standardised mean error |mu_G - mu| / sd and sd error |sd_G / sd - 1|, (step, seq)."""
        m = self.moments
        return np.abs(m[:, 2] - m[:, 0]) / m[:, 1], np.abs(m[:, 3] / m[:, 1] - 1.0)

    def closest(self, target: np.ndarray) -> tuple[int, np.ndarray]:
        """Index of the sequence whose moments are nearest (RMS) to ``target`` (step, 4), and
        the RMS distance of every sequence."""
        t = check_array(target, "target", shape=self.moments.shape[:2])
        rms = np.sqrt(((self.moments - t[:, :, None]) ** 2).mean(axis=(0, 1)))
        return int(np.argmin(rms)), rms


def fig1_runs(
    rule: Callable,
    *,
    mu0: float = 3.0,
    sigma0: float = 1.5,
    value: float = 2.0,
    n_seq: int = 2000,
    steps: Sequence[int] = (2, 5, 20),
    cell: float = 0.02,
    width: float = 8.0,
    seed: int = 2008,
    params: GMParams = GMParams(),
) -> Fig1Runs:
    """Simulate ``n_seq`` trade sequences against the fixed value ``value`` and carry both the
    exact posterior (on a grid of cells ``cell`` over mu0 +- ``width`` sigma0) and the Gaussian
    state.

    The traders' noise of sequence ``i`` is row ``i`` of
    ``np.random.default_rng(seed).standard_normal((n_seq, max(steps)))``.
    """
    check_callable(rule, "rule")
    mu0, value = check_finite(mu0, "mu0"), check_finite(value, "value")
    sigma0 = check_positive(sigma0, "sigma0")
    n_seq = check_positive_int(n_seq, "n_seq", hi=10**6)
    steps = tuple(
        sorted(
            check_positive_int(s, "steps", hi=10_000)
            for s in check_sequence(steps, "steps", what="a sequence of steps >= 1")
        )
    )
    cell, width = check_positive(cell, "cell"), check_positive(width, "width")
    if 2 * width / cell * sigma0 > 10**6:
        raise ValueError(f"cell must be > 2e-6 * width * sigma0 (at most 1e6 grid cells), got {cell}")
    seed = check_nonnegative_int(seed, "seed")
    check_params(params)
    v = np.arange(mu0 - width * sigma0, mu0 + width * sigma0 + 1e-9, cell)
    eps = np.random.default_rng(seed).standard_normal((n_seq, steps[-1]))
    mu, sg = np.full(n_seq, float(mu0)), np.full(n_seq, float(sigma0))
    bel = GridBelief.gaussian(mu, sg, v)
    p, mom = {}, []
    for t in range(steps[-1]):
        b, a = rule(mu, sg)
        w = value + params.sigma_eps * eps[:, t]
        x = (w > a).astype(int) - (w < b)
        bel = bel.update(b, a, x, params)
        mu, sg = gaussian_update(mu, sg, b, a, x, params)
        if t + 1 in steps:
            p[t + 1] = bel.p.copy()
            mom.append(np.stack([bel.mean(), bel.sd(), mu.copy(), sg.copy()]))
    return Fig1Runs(v, steps, p, np.stack(mom))


# ------------------------------------------------------------------------------ Fig. 3(b)
def crossings(solution: DPSolution, level: float = 10.0) -> dict[str, float]:
    """Where the curves of Fig. 3(b) cross (all in units of rho, by Brent's method).

    Returns
    -------
    dict
        ``myopic_exit`` / ``zero_exit``: rho where the myopic / zero-profit half-spread reaches
        ``level`` (leaves the paper's axis); ``opt_below_zero``: rho above which the optimal
        half-spread is below the zero-profit one; ``opt_loss``: rho above which the optimal
        MM's expected one-step profit is negative.
    """
    from mmkit.glosten_milgrom.quotes import q_myopic

    check_instance(solution, "solution", DPSolution)
    level = check_positive(level, "level")

    def hs(f):
        return lambda r: float(half_spread(r, f(r))) - level

    for f in (q_myopic, q_zero_profit):
        if hs(f)(2.5) * hs(f)(4.0) > 0:
            lo, hi = (float(half_spread(r, f(r))) for r in (2.5, 4.0))
            raise ValueError(
                f"level must lie between the half-spreads at rho = 2.5 and 4 ({lo:.3g} and {hi:.3g} for "
                f"{f.__name__}), got {level}"
            )

    return {
        "myopic_exit": brentq(hs(q_myopic), 2.5, 4.0),
        "zero_exit": brentq(hs(q_zero_profit), 2.5, 4.0),
        "opt_below_zero": brentq(
            lambda r: float(solution.half_spread(r) - half_spread(r, q_zero_profit(r))), 1.0, 2.0
        ),
        "opt_loss": brentq(lambda r: float(solution.one_step_profit(r)), 1.0, 2.0),
    }


# ------------------------------------------------------------------------------ Fig. 4(c)
def stab_labels(times: Sequence[int] | np.ndarray, cap: int = 80) -> list:
    """Stabilisation times as the paper prints them: an int up to ``cap``, ``">cap"`` above or
    when never reached (-1)."""
    t = check_array(times, "times", lo=-1.0)
    if np.any(t != np.round(t)):
        raise ValueError("times must be integers >= -1 (-1: never reached)")
    cap = check_nonnegative_int(cap, "cap")
    return [int(x) if 0 <= x <= cap else f">{cap}" for x in t.astype(int).ravel()]


def stabilisation_matches(
    mean_spread: np.ndarray,
    rho_grid: np.ndarray,
    points: Mapping[str, tuple[int, Sequence[float], Sequence]],
    factors: Sequence[float],
    *,
    sigma_eps: float = 1.0,
    cap: int = 80,
) -> dict[str, np.ndarray]:
    """How many of the paper's Fig. 4(c) points each threshold factor reproduces exactly.

    Parameters
    ----------
    mean_spread : ndarray, shape (rules, rho, T)
        Mean spread over runs (e.g. ``FastSweep.mean_spread``).
    rho_grid : ndarray
        The rho of axis 1.
    points : mapping
        ``{name: (row, rhos, values)}``: ``row`` the rule index, the paper's rhos and its
        values (ints or ``">80"``).
    factors : sequence of float
        Threshold factors to try.

    Returns
    -------
    dict
        ``{name: matches}`` with ``matches[j]`` the number of points equal at ``factors[j]``,
        and ``"total"``.
    """
    mean_spread = check_array(mean_spread, "mean_spread", ndim=3)
    rho_grid = check_array(rho_grid, "rho_grid", shape=(mean_spread.shape[1],))
    check_mapping(points, "points", nonempty=True, what="a mapping name -> (row, rhos, values)")
    for item in points.values():
        if not isinstance(item, (tuple, list)) or len(item) != 3:
            raise TypeError(f"points values must be (row, rhos, values) triples, got {item!r}")
        check_index(item[0], mean_spread.shape[0], "points row")
        if len(check_sequence(item[1], "points rhos")) != len(check_sequence(item[2], "points values")):
            raise ValueError("points rhos and values must have the same length")
        check_real_array(item[1], "points rhos", 0.0)
    fs = check_real_array(factors, "factors", 0.0, lo_open=True)
    if fs.ndim != 1:
        raise ValueError(f"factors must be a 1-D sequence of numbers > 0, got shape {fs.shape}")
    sigma_eps = check_positive(sigma_eps, "sigma_eps")
    cap = check_nonnegative_int(cap, "cap")
    out: dict[str, np.ndarray] = {}
    for name, (row, rhos, values) in points.items():
        idx = [int(np.argmin(np.abs(rho_grid - r))) for r in rhos]
        ms = np.asarray(mean_spread)[row][idx]
        out[name] = np.array(
            [
                sum(a == b for a, b in zip(stab_labels(stabilisation_times(ms, sigma_eps, f), cap), values))
                for f in fs
            ]
        )
    out["total"] = np.sum(list(out.values()), axis=0)
    return out


# ------------------------------------------------------------------------------ sensitivity
def gamma_sensitivity(
    gammas: Sequence[float],
    rho: Sequence[float] = (1.0, 2.0, 3.0),
    rho_grid: Sequence[float] | None = None,
    q_grid: Sequence[float] | None = None,
) -> dict[str, np.ndarray]:
    """The optimal MM for several discount factors (each a full DP solve on ``rho_grid``,
    default :func:`default_rho_grid`, with candidate actions ``q_grid``, default that of
    :func:`solve_dp`).

    Returns
    -------
    dict
        ``gamma``; ``v0`` (V(0)); ``half_spread`` (gamma, rho) optimal half-spread;
        ``zero_half_spread`` (rho,) for comparison (it does not depend on gamma);
        ``opt_below_zero`` the rho above which the optimal spread is below the zero-profit one
        (nan if not below 5); ``solutions``: the DP solutions.
    """
    g = check_real_array(gammas, "gammas", 0.0, 1.0, hi_open=True)
    if g.ndim != 1:
        raise ValueError(f"gammas must be a 1-D sequence of discounts in [0, 1), got shape {g.shape}")
    r = check_real_array(rho, "rho", 0.0)
    grid = None if rho_grid is None else _dp_grid(rho_grid, "rho_grid")
    top = float((default_rho_grid() if grid is None else grid)[-1])
    if np.any(r > top):
        raise ValueError(f"rho must be in [0, {top:g}] (the DP grid rho_grid), got {rho}")
    qg = None if q_grid is None else check_real_array(q_grid, "q_grid", 0.0)
    if qg is not None and qg.ndim != 1:
        raise ValueError(f"q_grid must be a 1-D grid of q >= 0, got shape {qg.shape}")
    sols = [solve_dp(GMParams(gamma=float(x)), rho_grid, q_grid=q_grid) for x in g]
    cross = []
    for s in sols:
        d = s.half_spread(s.rho) - half_spread(s.rho, q_zero_profit(s.rho))
        below = np.nonzero((d < 0) & (s.rho > 0.05))[0]
        cross.append(float(s.rho[below[0]]) if below.size else np.nan)
    return {
        "gamma": g,
        "v0": np.array([float(s.value(0.0)) for s in sols]),
        "half_spread": np.array([s.half_spread(r) for s in sols]),
        "zero_half_spread": half_spread(r, q_zero_profit(r)),
        "opt_below_zero": np.array(cross),
        "solutions": sols,
    }


@dataclass
class _ClampedQ:
    """q*(rho) of a DP solution, held at q*(rho_max) above its grid."""

    solution: DPSolution

    def __call__(self, rho):
        return self.solution.q(np.minimum(np.asarray(rho, dtype=float), self.solution.rho_max))


def noise_share_study(
    solution: DPSolution,
    shares: Sequence[float],
    rho: float = 3.0,
    *,
    n_runs: int = 2000,
    n_periods: int = 40,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """The paper's optimal and zero-profit policies in markets with uninformed traders.

    A trader is uninformed with probability ``s`` (then buys, sells or holds with probability
    1/3 each). The market makers keep the quoting policies of the paper's market (``q*(rho)``
    of ``solution`` and the zero-profit ``q(rho)``, both derived for ``s = 0``) but update
    their Gaussian belief with the correct likelihood for ``s``. The same seed gives both
    rules the same values and traders.

    Returns
    -------
    dict
        ``share``; per (share, rule [opt, zero], t): ``spread``, ``price_error`` (mean
        ``|mu - V|`` after period t's trade), ``price_error_se``, ``trades`` (cumulative
        expected trades); per (share, rule): ``profit``, ``profit_se`` (discounted) and
        ``max_sd_ratio``, the largest one-period ratio sigma_{t+1} / sigma_t over all runs
        (Theorem 2.1 says <= 1 when every trader is informed; with uninformed traders the
        moment-matched variance can grow). Above the DP grid's largest rho the optimal MM
        quotes q*(rho_max).
    """
    check_instance(solution, "solution", DPSolution)
    shares_a = check_real_array(shares, "shares", 0.0, 1.0, hi_open=True)
    if shares_a.ndim != 1:
        raise ValueError(
            f"shares must be a 1-D sequence of noise shares in [0, 1), got shape {shares_a.shape}"
        )
    shares = list(shares_a)
    rho = check_nonnegative(rho, "rho")
    n_runs = check_positive_int(n_runs, "n_runs", hi=10**7)
    n_periods = check_positive_int(n_periods, "n_periods", hi=10**6)
    seed = check_nonnegative_int(seed, "seed")
    se = solution.params.sigma_eps
    rules = [
        SymmetricRule(_ClampedQ(solution), se, "Optimal"),
        SymmetricRule(q_zero_profit, se, "Zero profit"),
    ]
    S, T = len(shares), int(n_periods)
    out = {k: np.empty((S, 2, T)) for k in ("spread", "price_error", "price_error_se", "trades")}
    out.update({k: np.empty((S, 2)) for k in ("profit", "profit_se", "max_sd_ratio")})
    for i, s in enumerate(shares):
        p = GMParams(sigma_eps=se, gamma=solution.params.gamma, noise_share=float(s))
        for j, rule in enumerate(rules):
            res = simulate(rule, rho, p, n_runs=n_runs, n_periods=T, seed=seed)
            err = np.abs(res.mu[:, 1:] - res.value[:, None]) / se
            out["spread"][i, j] = res.mean_spread()
            out["price_error"][i, j] = err.mean(0)
            out["price_error_se"][i, j] = err.std(0, ddof=1) / np.sqrt(n_runs)
            out["trades"][i, j] = np.cumsum(res.trade_rate())
            out["profit"][i, j], out["profit_se"][i, j] = res.mean_discounted_profit()
            out["max_sd_ratio"][i, j] = float((res.sigma[:, 1:] / res.sigma[:, :-1]).max())
    out["share"] = np.asarray(shares, dtype=float)
    return out


def fig1_quote_table(
    runs: Fig1Runs, idx: int, rules: Mapping[str, Callable], params: GMParams = GMParams()
) -> np.ndarray:
    """Quotes each market maker would post from the exact posterior and from the Gaussian state
    of sequence ``idx`` at every snapshot step.

    Parameters
    ----------
    rules : mapping
        ``{"zero": rule, "myopic": rule}``: Gaussian-state rules; the exact-posterior quotes
        come from :meth:`GridBelief.zero_profit_quotes` / :meth:`GridBelief.myopic_quotes`.

    Returns
    -------
    pandas.DataFrame, shape (steps, 8)
        Per step: zero-profit (bid, ask) from the exact posterior, (bid, ask) from the
        Gaussian state, then the same for the myopic market maker.
    """
    import pandas as pd

    check_instance(runs, "runs", Fig1Runs)
    idx = check_index(idx, runs.moments.shape[2], "idx")
    check_mapping(rules, "rules", what='a mapping {"zero": rule, "myopic": rule}')
    for key in ("zero", "myopic"):
        if key not in rules:
            raise ValueError(f'rules must have the keys "zero" and "myopic", got {sorted(rules)}')
        check_callable(rules[key], f"rules[{key!r}]")
    check_params(params)
    rows = []
    for j, k in enumerate(runs.steps):
        g = GridBelief(runs.v, runs.p[k][idx])
        m, s = np.array([runs.moments[j, 2, idx]]), np.array([runs.moments[j, 3, idx]])
        zb, za = rules["zero"](m, s)
        mb, ma = rules["myopic"](m, s)
        rows.append(
            [
                *g.zero_profit_quotes(params),
                float(zb[0]),
                float(za[0]),
                *g.myopic_quotes(params),
                float(mb[0]),
                float(ma[0]),
            ]
        )
    cols = pd.MultiIndex.from_product([["zero", "myopic"], ["exact", "Gauss"], ["bid", "ask"]])
    return pd.DataFrame(rows, index=pd.Index(runs.steps, name="step"), columns=cols)


def two_step_table(
    rules: Sequence[Any], sigma0s: Sequence[float], mu0: float = 3.0, params: GMParams = GMParams()
):
    """Gaussian sd after two steps, per rule and prior sd (rows) and kind of sequence (columns:
    trade or none at each step; a sell has the sd of a buy). Rules need a ``name``.

    Returns
    -------
    pandas.DataFrame
    """
    import pandas as pd

    rules = check_sequence(rules, "rules", what="a sequence of named quoting rules")
    for r in rules:
        check_callable(r, "rules")
        if not isinstance(getattr(r, "name", None), str):
            raise TypeError(f"rules must be quoting rules with a str name, got {type(r).__name__}")
    s0s = check_real_array(sigma0s, "sigma0s", 0.0, lo_open=True)
    if s0s.ndim != 1:
        raise ValueError(f"sigma0s must be a 1-D sequence of numbers > 0, got shape {s0s.shape}")
    mu0 = check_finite(mu0, "mu0")
    check_params(params)
    kinds = {"trade, trade": (1, 1), "trade, none": (1, 0), "none, trade": (0, 1), "none, none": (0, 0)}
    rows, idx = [], []
    for s0 in s0s:
        for r in rules:
            st = two_step_states(r, mu0, s0, params)
            rows.append([st[k][1] for k in kinds.values()])
            idx.append(f"{r.name}, sigma0={s0:g}")
    return pd.DataFrame(rows, index=idx, columns=list(kinds))


def convergence_times(mean_spread, limits: Sequence[float], tol: float) -> np.ndarray:
    """First period (0-based) from which each curve stays within ``tol`` of its own limit.

    Parameters
    ----------
    mean_spread : array_like, shape (rules, T)
    limits : sequence of float, one per rule
    tol : float, > 0

    Returns
    -------
    ndarray of int
        -1 where the curve is not within ``tol`` at the last period.
    """
    tol = check_positive(tol, "tol")
    m = check_array(mean_spread, "mean_spread", ndim=2)
    lim = check_array(limits, "limits", ndim=1)
    if lim.shape != m.shape[:1]:
        raise ValueError(f"limits must have one value per row of mean_spread, got {lim.shape}")
    inside = np.abs(m - lim[:, None]) <= tol
    out = np.full(m.shape[0], -1)
    for i, row in enumerate(inside):
        if row[-1]:
            outside = np.nonzero(~row)[0]
            out[i] = 0 if outside.size == 0 else int(outside[-1]) + 1
    return out


def gaussian_world_check(
    rules_values: Sequence[tuple[Callable, np.ndarray]],
    rho_grid: np.ndarray,
    rhos: Sequence[float],
    params: GMParams = GMParams(),
    *,
    n_runs: int = 2000,
    seed: int = 1,
) -> np.ndarray:
    """Simulated Gaussian-world value against the DP value, per rule and rho.

    Parameters
    ----------
    rules_values : sequence of (rule, values)
        A quoting rule and its Gaussian-world value on ``rho_grid`` (e.g. ``sol.v`` or
        :func:`evaluate_policy`), in units of sigma_eps; interpolated linearly in rho^2 as
        :meth:`DPSolution.value` does.
    rho_grid : ndarray
    rhos : sequence of float
        Where to compare.

    Returns
    -------
    ndarray, shape (rules, rho, 3)
        Theory, simulated mean, standard error.
    """
    grid = check_array(rho_grid, "rho_grid", ndim=1, lo=0.0)
    if grid.size < 2 or np.any(np.diff(grid) <= 0):
        raise ValueError("rho_grid must be an increasing 1-D grid of >= 2 nodes >= 0")
    rules_values = check_sequence(rules_values, "rules_values", what="a sequence of (rule, values) pairs")
    for item in rules_values:
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise TypeError(f"rules_values must hold (rule, values) pairs, got {type(item).__name__}")
        check_callable(item[0], "rules_values rule")
        check_array(item[1], "rules_values values", shape=grid.shape)
    rhos_a = check_real_array(rhos, "rhos", 0.0)
    if rhos_a.ndim != 1:
        raise ValueError(f"rhos must be a 1-D sequence of numbers >= 0, got shape {rhos_a.shape}")
    rhos = list(rhos_a)
    check_params(params)
    n_runs = check_positive_int(n_runs, "n_runs", hi=10**7)
    seed = check_nonnegative_int(seed, "seed")
    g2 = grid**2
    out = np.empty((len(rules_values), len(rhos), 3))
    for i, (rule, values) in enumerate(rules_values):
        for k, r in enumerate(rhos):
            res = simulate(rule, float(r), params, n_runs=n_runs, seed=seed, world="gaussian")
            theory = params.sigma_eps * float(np.interp(float(r) ** 2, g2, values))
            out[i, k] = (theory, *res.mean_discounted_profit())
    return out
