"""Monte Carlo simulation of a quoting rule after a shock, sweeps over rho, stabilisation times."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from mmkit.common.io import as_path, existing_file
from mmkit.common.validation import (
    check_array,
    check_choice,
    check_finite,
    check_int,
    check_nonnegative,
    check_nonnegative_int,
    check_positive,
    check_positive_int,
    check_real,
    check_real_array,
)
from mmkit.glosten_milgrom.dp import DPSolution
from mmkit.glosten_milgrom.exact import AdaptiveGridPosterior
from mmkit.glosten_milgrom.gaussian import _fast_update
from mmkit.glosten_milgrom.params import GMParams
from mmkit.glosten_milgrom.quotes import Q_STAR
from mmkit.glosten_milgrom.rules import QuotingRule, optimal_rule

__all__ = ["SimResult", "SweepResult", "exact_vs_gaussian", "simulate", "stabilisation_time", "sweep"]


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


def _check_run_args(params: object, n_runs: object, n_periods: object, seed: object) -> None:
    """Shared checks of the simulators' run arguments (every draw is seeded)."""
    if not isinstance(params, GMParams):
        raise TypeError(f"params must be a GMParams, got {type(params).__name__}")
    check_positive_int(n_runs, "n_runs")
    check_positive_int(n_periods, "n_periods")
    if isinstance(seed, (list, tuple)):
        if not seed:
            raise ValueError("seed must be an integer >= 0 or a non-empty sequence of them")
        for s in seed:
            check_nonnegative_int(s, "seed")
    else:
        check_nonnegative_int(seed, "seed")


def stabilisation_time(mean_spread: np.ndarray, sigma_eps: float = 1.0, factor: float = 1.1) -> int | None:
    """Periods before the first one whose mean spread is <= factor * 2 q* sigma_eps.

    The definition recovered for Fig. 4(c) of Das & Magdon-Ismail (spec A.8): the 0-based index
    of that period. None if the spread never gets there within the simulated horizon.
    """
    spread = check_array(mean_spread, "mean_spread", ndim=1, lo=0.0)
    sigma_eps = check_positive(sigma_eps, "sigma_eps")
    factor = check_real(factor, "factor", 1.0, None)
    thr = factor * 2.0 * Q_STAR * sigma_eps
    hit = np.nonzero(spread <= thr)[0]
    return int(hit[0]) if hit.size else None


def simulate(
    rule: QuotingRule,
    rho: float,
    params: GMParams = GMParams(),
    *,
    n_runs: int = 10_000,
    n_periods: int = 100,
    seed: int | Sequence[int] = 0,
    world: Literal["real", "gaussian"] = "real",
    mu0: float = 0.0,
    quote_from: Literal["gaussian", "exact"] = "gaussian",
    track_exact: bool = False,
    grid_points: int = 201,
    grid_width: float = 8.0,
    divergence_at: Sequence[int] | None = None,
    name: str | None = None,
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
    rho = check_nonnegative(rho, "rho")
    _check_run_args(params, n_runs, n_periods, seed)
    if not callable(rule):
        raise TypeError(
            f"rule must be a quoting rule (callable (mu, sigma) -> (bid, ask)), got {type(rule).__name__}"
        )
    check_finite(mu0, "mu0")
    check_int(grid_points, "grid_points", 3)
    check_positive(grid_width, "grid_width")
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
    Vt_a = np.empty(shape)  # filled only in the Gaussian world
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
    label = str(name or getattr(rule, "name", "rule"))
    res = SimResult(
        label, rho, world, params, Vt_a if world == "gaussian" else V, bid_a, ask_a, trades, prof, mu_a, sig_a
    )
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
        """Indices of a rule name and of the grid rho nearest to ``rho`` (finite, >= 0)."""
        check_choice(name, "name", self.names)
        rho = check_nonnegative(rho, "rho")
        return self.names.index(name), int(np.argmin(np.abs(self.rho - rho)))

    def to_npz(self, path) -> None:
        """Save (numpy ``.npz``, no pickle)."""
        np.savez_compressed(
            as_path(path, "path"),
            names=np.array(self.names),
            rho=self.rho,
            n=np.array([self.n_runs, self.n_periods]),
            **{k: getattr(self, k) for k in _SWEEP_ARRAYS},
        )

    @classmethod
    def from_npz(cls, path) -> SweepResult:
        """Load a sweep saved by :meth:`to_npz` (``allow_pickle=False``)."""
        d = np.load(existing_file(path, "path"), allow_pickle=False)
        return cls(
            list(d["names"]), d["rho"], int(d["n"][0]), int(d["n"][1]), **{k: d[k] for k in _SWEEP_ARRAYS}
        )


_SWEEP_ARRAYS = (
    "profit_mean",
    "profit_se",
    "mean_spread",
    "trade_rate",
    "profit_per_period",
    "profit_per_trade",
    "stab_time",
)


def _progress(it, desc: str, show: bool):
    """``it`` wrapped in a tqdm progress bar when ``show`` (CLI runs), else unchanged."""
    if not show:
        return it
    from tqdm import tqdm

    return tqdm(it, desc=desc)


def sweep(
    rules: Sequence[QuotingRule],
    rhos: Sequence[float],
    params: GMParams = GMParams(),
    *,
    n_runs: int = 10_000,
    n_periods: int = 100,
    seed: int = 0,
    world: Literal["real", "gaussian"] = "real",
    progress: bool = False,
) -> SweepResult:
    """Simulate every rule at every rho and keep the summaries (not the per-run arrays).

    Run ``i`` of every rule at a given rho sees the same V and trader noise (the seed is
    ``[seed, round(rho * 1e6)]``), so differences between rules are paired.
    """
    _check_run_args(params, n_runs, n_periods, seed)
    if isinstance(rules, (str, bytes)) or not isinstance(rules, Sequence) or not rules:
        raise TypeError("rules must be a non-empty sequence of quoting rules")
    for r in rules:
        if not callable(r):
            raise TypeError(f"rules must hold quoting rules (callables), got {type(r).__name__}")
    rho_arr = check_real_array(rhos, "rhos", 0.0)
    names = [getattr(r, "name", f"rule{i}") for i, r in enumerate(rules)]
    R, K, T = len(rules), rho_arr.size, n_periods
    out = {k: np.empty((R, K)) for k in ("profit_mean", "profit_se")}
    out.update(
        {
            k: np.empty((R, K, T))
            for k in ("mean_spread", "trade_rate", "profit_per_period", "profit_per_trade")
        }
    )
    stab = np.empty((R, K), dtype=int)
    for k in _progress(range(K), "rho sweep", progress):
        for i, rule in enumerate(rules):
            res = simulate(
                rule,
                float(rho_arr[k]),
                params,
                n_runs=n_runs,
                n_periods=T,
                seed=[seed, int(round(rho_arr[k] * 1e6))],
                world=world,
            )
            out["profit_mean"][i, k], out["profit_se"][i, k] = res.mean_discounted_profit()
            out["mean_spread"][i, k] = res.mean_spread()
            out["trade_rate"][i, k] = res.trade_rate()
            out["profit_per_period"][i, k] = res.profit_per_period()
            out["profit_per_trade"][i, k] = res.profit_per_trade()
            st = stabilisation_time(res.mean_spread(), params.sigma_eps)
            stab[i, k] = -1 if st is None else st
    return SweepResult(names, rho_arr, n_runs, T, stab_time=stab, **out)


def exact_vs_gaussian(
    solution: DPSolution,
    rhos: Sequence[float],
    *,
    n_runs: int = 4000,
    n_periods: int = 100,
    seed: int = 0,
    grid_points: int = 201,
    divergence_at: Sequence[int] = (0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 100),
    progress: bool = False,
) -> dict[str, np.ndarray]:
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
    if not isinstance(solution, DPSolution):
        raise TypeError(f"solution must be a DPSolution (from solve_dp), got {type(solution).__name__}")
    p = solution.params
    rho_arr = check_real_array(rhos, "rhos", 0.0, lo_open=True)
    _check_run_args(p, n_runs, n_periods, seed)
    check_int(grid_points, "grid_points", 3)
    if divergence_at is None or isinstance(divergence_at, (str, bytes)):
        raise TypeError("divergence_at must be a sequence of periods (integers >= 0)")
    for t in divergence_at:
        check_nonnegative_int(t, "divergence_at")
    div_t = np.array(sorted(t for t in set(divergence_at) if 0 <= t <= n_periods))
    K, D = rho_arr.size, div_t.size
    out = {
        k: np.empty(K)
        for k in (
            "profit_gauss",
            "se_gauss",
            "profit_exact",
            "se_exact",
            "diff",
            "se_diff",
            "theory",
            "lost_mass",
        )
    }
    out.update({k: np.empty((K, D)) for k in ("kl", "w1_rel", "mean_err", "sd_ratio")})
    rule = optimal_rule(solution)
    for k in _progress(range(K), "exact vs Gaussian", progress):
        rk = float(rho_arr[k])
        seed_k = [seed, int(round(rk * 1e6))]
        g = simulate(
            rule,
            rk,
            p,
            n_runs=n_runs,
            n_periods=n_periods,
            seed=seed_k,
            grid_points=grid_points,
            track_exact=True,
            divergence_at=div_t.tolist(),
        )
        e = simulate(
            rule,
            rk,
            p,
            n_runs=n_runs,
            n_periods=n_periods,
            seed=seed_k,
            grid_points=grid_points,
            quote_from="exact",
            divergence_at=[],
        )
        dg, de = g.discounted_profit(), e.discounted_profit()
        out["profit_gauss"][k], out["se_gauss"][k] = _mean_se(dg)
        out["profit_exact"][k], out["se_exact"][k] = _mean_se(de)
        out["diff"][k], out["se_diff"][k] = _mean_se(de - dg)
        out["theory"][k] = float(solution.value(rk))
        out["lost_mass"][k] = max(g.lost_mass, e.lost_mass)
        assert g.exact_sd is not None and g.kl is not None and g.w1 is not None and g.exact_mean is not None
        sd = g.exact_sd[:, div_t]
        out["kl"][k] = g.kl[:, div_t].mean(0)
        out["w1_rel"][k] = (g.w1[:, div_t] / sd).mean(0)
        out["mean_err"][k] = (np.abs(g.mu[:, div_t] - g.exact_mean[:, div_t]) / sd).mean(0)
        out["sd_ratio"][k] = (g.sigma[:, div_t] / sd).mean(0)
    out["rho"], out["div_t"] = rho_arr, div_t
    out["n"] = np.array([n_runs, n_periods, grid_points, seed])
    return out
