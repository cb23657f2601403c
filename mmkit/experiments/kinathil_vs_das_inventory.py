r"""Kinathil's MM against Das's MMs on a market where inventory binds.

Das & Magdon-Ismail's market maker has no inventory: it can always sell. Here both market
makers start with ``cfg.inventory`` units (0 or 1) and cannot sell from an empty inventory: a
trader's buy order at zero inventory does not execute. Kinathil's MM plans with that
constraint in its model (its receding-horizon policy, as in
:func:`~mmkit.experiments.kinathil_vs_das.kinathil_mpc_vs_das`). Das's MMs keep
their quotes :math:`\mu_t \pm \delta(\rho_t)`, but when their inventory is zero they post no
ask (they know a buy cannot execute), so "no trade" then means only :math:`w_t \ge b_t`, and
they update their Gaussian belief with that censored observation. Everything else is the
shocked market of :mod:`mmkit.experiments.kinathil_vs_das` (common random numbers).
"""

from __future__ import annotations

import numpy as np

from mmkit import glosten_milgrom as gmm
from mmkit.common.validation import check_array, check_nonnegative_int, check_positive, check_positive_int
from mmkit.experiments.kinathil_vs_das import (
    ShockedMarketConfig,
    _check_cfg,
    _draws,
    _mpc_profits,
    kinathil_model,
)
from mmkit.symbolic.bounds import CellDP
from mmkit.symbolic.inventory_pomdp import MAX_HORIZON

__all__ = ["das_with_inventory", "inventory_binds_study", "inventory_rows"]

#: Where an MM with no unit to sell "posts" its ask: this many belief scales above the mean,
#: so the probability of a buy there is zero in float64 (a one-sided, censored observation).
_NO_ASK = 40.0


def _paired(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean and standard error of the paired difference ``a - b`` over runs."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    if d.ndim != 1 or d.size < 2:
        raise ValueError(f"a and b must be 1-d arrays of at least 2 runs, got shape {d.shape}")
    return float(d.mean()), float(d.std(ddof=1) / np.sqrt(d.size))


def das_with_inventory(
    rule: gmm.SymmetricRule,
    rho: float,
    params: gmm.GMParams,
    V: np.ndarray,
    W: np.ndarray,
    inventory: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Simulate a Das quoting rule that cannot sell from an empty inventory.

    Each period the rule quotes :math:`(b_t, a_t)` from the Gaussian belief
    :math:`N(\mu_t, \sigma_t^2)` (prior :math:`N(0, (\rho\sigma_\varepsilon)^2)`); the trader
    with :math:`w_t` = ``W[:, t]`` buys if :math:`w_t > a_t` and the MM holds a unit, sells if
    :math:`w_t < b_t`. At zero inventory the MM posts no ask, so it updates with the censored
    observation (no trade means :math:`w_t \ge b_t`). Profit is marked to market and
    discounted with ``params.gamma``.

    Returns
    -------
    profit : ndarray, shape (runs,)
        Discounted profit per run.
    at_zero : ndarray of int, shape (runs,)
        Periods that start with zero inventory (the MM cannot sell in them).
    inventory : ndarray of int, shape (runs,)
        Final inventory.
    """
    if not callable(rule):
        raise TypeError(f"rule must be a quoting rule (mu, sigma) -> (bid, ask), got {type(rule).__name__}")
    if not isinstance(params, gmm.GMParams):
        raise TypeError(f"params must be a GMParams, got {type(params).__name__}")
    check_nonnegative_int(inventory, "inventory")
    rho = check_positive(rho, "rho")
    V = check_array(V, "V", ndim=1)
    W = check_array(W, "W", shape=(len(V), None))
    runs, T = W.shape
    se = params.sigma_eps
    mu = np.zeros(runs)
    sig = np.full(runs, float(rho) * se)
    inv = np.full(runs, int(inventory), dtype=np.int64)
    prof = np.zeros(runs)
    at_zero = np.zeros(runs, dtype=np.int64)
    disc = params.gamma ** np.arange(T)
    for t in range(T):
        bid, ask = (np.broadcast_to(np.asarray(x, dtype=float), (runs,)) for x in rule(mu, sig))
        can = inv >= 1
        wants = W[:, t] > ask
        x = np.where(wants & can, 1, np.where(W[:, t] < bid, -1, 0))
        at_zero += ~can
        prof += disc[t] * np.where(x == 1, ask - V, np.where(x == -1, V - bid, 0.0))
        inv += (x == -1).astype(np.int64) - (x == 1)
        posted = np.where(can, ask, mu + _NO_ASK * np.hypot(sig, se))
        mu, sig = gmm.gaussian_update(mu, sig, bid, posted, x, params)
    return prof, at_zero, inv


def inventory_binds_study(cfg: ShockedMarketConfig, lookahead: int = 3) -> dict:
    """Kinathil's receding-horizon MM against Das's optimal and myopic MMs, all three unable
    to sell from an empty inventory, starting with ``cfg.inventory`` units (default 0).

    Returns per MM the (mean, s.e.) of the discounted profit over ``cfg.periods`` and the
    share of periods spent at zero inventory (where the constraint binds); and the paired differences
    (mean, s.e.) Kinathil - Das optimal, Kinathil - Das myopic, Das optimal - Das myopic.
    """
    _check_cfg(cfg)
    check_positive_int(lookahead, "lookahead", MAX_HORIZON)
    inv0 = 0 if cfg.inventory is None else int(cfg.inventory)
    cfg0 = ShockedMarketConfig(**{**cfg.__dict__, "inventory": inv0})
    T, s = cfg0.periods, cfg0.sigma_eps
    model, prior = kinathil_model(cfg0)
    dp = CellDP(model, prior)
    V, W = _draws(cfg0)
    k_prof, k_zero = _mpc_profits(dp, model, prior, int(lookahead), V, W, cfg0.gamma)
    params = gmm.GMParams(sigma_eps=s, gamma=cfg0.gamma)
    rules = {"Das optimal": gmm.optimal_rule(gmm.solve_dp(params)), "Das myopic": gmm.myopic_rule(params)}
    profits = {f"Kinathil (MPC, {int(lookahead)}-step)": k_prof}
    zero = {f"Kinathil (MPC, {int(lookahead)}-step)": k_zero}
    for name, rule in rules.items():
        profits[name], zero[name], _ = das_with_inventory(rule, cfg0.rho, params, V, W, inv0)
    kname = next(iter(profits))
    return {
        "inventory": inv0,
        "results": {k: _paired(p, np.zeros_like(p)) for k, p in profits.items()},
        "zero_share": {k: float(b.mean() / T) for k, b in zero.items()},
        "paired_diff": _paired(profits[kname], profits["Das optimal"]),
        "diff_vs_myopic": _paired(profits[kname], profits["Das myopic"]),
        "das_opt_vs_myopic": _paired(profits["Das optimal"], profits["Das myopic"]),
        "beliefs": dp.nodes,
    }


def _pm(mean_se, digits: int = 3) -> str:
    return f"{mean_se[0]:+.{digits}f} ± {mean_se[1]:.{digits}f}"


def inventory_rows(rows: list[dict]) -> list[dict]:
    """Narrow table rows of the stored inventory study (``das_inventory`` of
    ``python -m mmkit kinathil-study``): grid, initial units, rho, mean discounted profit of
    Kinathil's MM and of Das's optimal MM, the paired differences to Das's optimal and
    myopic MMs as ``mean ± s.e.``, and the share of periods each of the first two spends at
    zero inventory."""
    if rows is None or isinstance(rows, (str, bytes, dict)) or not hasattr(rows, "__iter__"):
        raise TypeError(f"rows must be a list of study rows, got {type(rows).__name__}")
    need = ("setting", "inventory", "rho", "results", "paired_diff", "diff_vs_myopic", "zero_share")
    out = []
    for r in rows:
        if not isinstance(r, dict) or any(k not in r for k in need):
            raise ValueError(f"rows must hold dicts with the keys {need}, got {r!r:.80}")
        (kname, k), (_, opt) = list(r["results"].items())[:2]
        z = r["zero_share"]
        out.append(
            {
                "grid": r["setting"],
                "units": r["inventory"],
                "rho": r["rho"],
                "Kinathil": round(k[0], 3),
                "Das opt.": round(opt[0], 3),
                "K - opt.": _pm(r["paired_diff"]),
                "K - myopic": _pm(r["diff_vs_myopic"]),
                "at 0 (K / opt.)": f"{z[kname]:.2f} / {z['Das optimal']:.2f}",
            }
        )
    return out
