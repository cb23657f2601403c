"""Kinathil's symbolic market maker against Das & Magdon-Ismail's optimal market maker.

A cross-family study: both market makers quote on one shocked Glosten-Milgrom market
(common random numbers), so it imports :mod:`mmkit.symbolic` and :mod:`mmkit.glosten_milgrom`
and lives above both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mmkit import glosten_milgrom as gmm
from mmkit.common.validation import (
    check_array,
    check_int,
    check_nonnegative_int,
    check_positive,
    check_positive_int,
    check_real,
)
from mmkit.symbolic.bounds import CellDP
from mmkit.symbolic.inventory_pomdp import (
    MAX_HORIZON,
    OBS,
    Belief,
    InventoryPOMDP,
    TraderModel,
    TraderType,
    _q4,
    gaussian_prior,
    make_actions,
)
from mmkit.symbolic.pbvi import policy_tree, solve

__all__ = [
    "ShockedMarketConfig",
    "kinathil_vs_das",
    "kinathil_mpc_vs_das",
    "kinathil_model",
    "summary_rows",
]


@dataclass(frozen=True)
class ShockedMarketConfig:
    """Kinathil's MM against Das & Magdon-Ismail's optimal MM on one shocked GM market.

    The market (Das 2008): V ~ N(0, (rho sigma_eps)^2) once; each period a trader with
    w = V + sigma_eps Z, Z ~ N(0, 1), buys if w > ask, sells if w < bid. Profit is marked to
    market: ask - V on a sale, V - bid on a purchase, discounted by gamma.

    Kinathil's MM plans with its own (approximate) model: a piecewise-uniform prior on the
    normal's quantile edges ``prior_edges`` (in units of rho sigma_eps), discrete trader noise
    eps in {0, +c, -c} with c = ``noise_c`` sigma_eps, a small ``model_uninformed`` share of
    uninformed traders (so every observation has positive probability), prices on
    ``price_grid`` in units of sigma_eps sqrt(1 + rho^2) (the scale of Das's optimal quotes),
    the mark-to-market reward, and inventory
    ``inventory`` (default: ``periods``, so the no-short constraint never binds).
    """

    rho: float = 2.0
    sigma_eps: float = 1.0
    gamma: float = 0.9
    periods: int = 3
    runs: int = 20_000
    seed: int = 0
    price_grid: tuple[float, ...] = (-1.5, -0.75, 0.0, 0.75, 1.5)
    prior_edges: tuple[float, ...] = (-3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0)
    noise_c: float = 1.2
    model_uninformed: float = 0.01
    inventory: int | None = None

    def __post_init__(self) -> None:
        check_positive(self.rho, "rho")
        check_positive(self.sigma_eps, "sigma_eps")
        check_real(self.gamma, "gamma", 0.0, 1.0, lo_open=True, hi_open=True)
        check_int(self.periods, "periods", 1, MAX_HORIZON)
        check_int(self.runs, "runs", 2)
        check_nonnegative_int(self.seed, "seed")
        for name in ("price_grid", "prior_edges"):
            g = check_array(getattr(self, name), name, ndim=1)
            if np.any(np.diff(g) <= 0):
                raise ValueError(f"{name} must be strictly increasing, got {getattr(self, name)!r}")
        check_positive(self.noise_c, "noise_c")
        check_real(self.model_uninformed, "model_uninformed", 0.0, 1.0, lo_open=True, hi_open=True)
        if self.inventory is not None:
            check_nonnegative_int(self.inventory, "inventory")
        if not self.rho > 0:
            raise ValueError(f"rho must be > 0, got {self.rho}")
        if not self.sigma_eps > 0:
            raise ValueError(f"sigma_eps must be > 0, got {self.sigma_eps}")
        if int(self.runs) != self.runs or self.runs < 2:
            raise ValueError(f"runs must be an integer >= 2 (standard errors), got {self.runs}")
        if not 0 < self.gamma < 1:
            raise ValueError(f"gamma must be in (0, 1), got {self.gamma}")
        if int(self.periods) != self.periods or self.periods < 1:
            raise ValueError(f"periods must be an integer >= 1, got {self.periods}")
        if not 0 < self.model_uninformed < 1:
            raise ValueError(f"model_uninformed must be in (0, 1), got {self.model_uninformed}")


def _draws(cfg: ShockedMarketConfig) -> tuple[np.ndarray, np.ndarray]:
    """The market every comparison shares (common random numbers): values ``V`` (runs,) drawn
    from ``N(0, (rho sigma_eps)^2)`` and traders' estimates ``W = V + N(0, sigma_eps^2)`` (runs,
    periods), both from ``default_rng(cfg.seed)``."""
    rng = np.random.default_rng(cfg.seed)
    V = cfg.rho * cfg.sigma_eps * rng.standard_normal(cfg.runs)
    W = V[:, None] + cfg.sigma_eps * rng.standard_normal((cfg.runs, cfg.periods))
    return V, W


def kinathil_vs_das(cfg: ShockedMarketConfig = ShockedMarketConfig()) -> dict:
    """Simulate both market makers on the same draws (common random numbers).

    Kinathil's MM follows its exact H-step policy tree (symbolic PBVI, H = ``periods``);
    Das's optimal MM quotes mu_t +- delta*(rho_t) from :func:`mmkit.glosten_milgrom.solve_dp`
    with the moment-matched Gaussian update; the myopic MM is shown for reference.
    Returns per-MM mean and standard error of the discounted profit over ``periods``, the
    paired difference, the root quotes and the Kinathil MM's own model value.
    """
    if not isinstance(cfg, ShockedMarketConfig):
        raise TypeError(f"cfg must be a ShockedMarketConfig, got {type(cfg).__name__}")
    T, s = cfg.periods, cfg.sigma_eps
    model, prior = kinathil_model(cfg)
    inv0 = prior.inventory
    res = solve(model, [prior], T)
    tree = policy_tree(res, prior)

    V, W = _draws(cfg)
    disc = cfg.gamma ** np.arange(T)

    def trade(bid, ask, t, inv):
        x = np.where(W[:, t] > ask, 1, np.where(W[:, t] < bid, -1, 0))
        x = np.where((x == 1) & (inv < 1), 0, x)  # cannot sell from empty inventory
        prof = np.where(x == 1, ask - V, np.where(x == -1, V - bid, 0.0))
        return x, prof

    # Kinathil: walk the tree
    nodes = [tree] * cfg.runs
    inv = np.full(cfg.runs, inv0)
    pk = np.zeros((cfg.runs, T))
    for t in range(T):
        bid = np.array([float(model.actions[n.action][0]) for n in nodes])
        ask = np.array([float(model.actions[n.action][1]) for n in nodes])
        x, pk[:, t] = trade(bid, ask, t, inv)
        inv = inv - (x == 1) + (x == -1)
        if t < T - 1:
            obs = np.where(x == 1, 0, np.where(x == -1, 1, 2))
            nodes = [n.children[OBS[o]][1] for n, o in zip(nodes, obs)]

    # Das: the Glosten-Milgrom simulator, whose seeded draws (V, then the trader noise) are
    # the V and W above, so all three MMs face the same runs
    params = gmm.GMParams(sigma_eps=s, gamma=cfg.gamma)
    sol = gmm.solve_dp(params)
    out_rules = {}
    for name, rule in (("Das optimal", gmm.optimal_rule(sol)), ("Das myopic", gmm.myopic_rule(params))):
        r = gmm.simulate(rule, cfg.rho, params, n_runs=cfg.runs, n_periods=T, seed=cfg.seed)
        out_rules[name] = (r.discounted_profit(), (float(r.bid[0, 0]), float(r.ask[0, 0])))

    def stats(d):
        return float(d.mean()), float(d.std(ddof=1) / np.sqrt(d.size))

    dk = pk @ disc
    out = {"Kinathil (symbolic PBVI)": (*stats(dk), tuple(float(p) for p in model.actions[tree.action]))}
    for name, (d, first) in out_rules.items():
        out[name] = (*stats(d), first)
    diff = dk - out_rules["Das optimal"][0]
    return {
        "results": out,
        "paired_diff": stats(diff),
        "model_value": float(tree.value),
        "alphas": len(res.V[T]),
        "nodes": res.stats[-1].nodes_shared,
        "beliefs": sum(st.beliefs for st in res.stats),
        "model": model,
        "prior": prior,
        "tree": tree,
        "result": res,
    }


def _check_cfg(cfg: object) -> None:
    if not isinstance(cfg, ShockedMarketConfig):
        raise TypeError(f"cfg must be a ShockedMarketConfig, got {type(cfg).__name__}")


def kinathil_model(cfg: ShockedMarketConfig) -> tuple[InventoryPOMDP, Belief]:
    """Kinathil's MM's own model of the shocked market (see :class:`ShockedMarketConfig`)
    and its prior belief (piecewise uniform, inventory ``cfg.inventory`` or ``cfg.periods``)."""
    _check_cfg(cfg)
    s = cfg.sigma_eps
    inv0 = cfg.periods if cfg.inventory is None else int(cfg.inventory)
    pm = _q4(cfg.model_uninformed)
    c = _q4(cfg.noise_c * s)
    traders = TraderModel(
        (
            TraderType("informed", (1 - pm) / 3),
            TraderType("over", (1 - pm) / 3, c),
            TraderType("under", (1 - pm) / 3, -c),
            TraderType("uninformed", pm, uninformed=True),
        ),
        name="Discrete + uninformed",
    )
    scale = s * float(np.sqrt(1.0 + cfg.rho**2))
    model = InventoryPOMDP(
        make_actions([_q4(p * scale) for p in cfg.price_grid]),
        traders,
        gamma=_q4(cfg.gamma),
        reward="mark_to_market",
    )
    return model, gaussian_prior(cfg.rho * s, cfg.prior_edges, inv0)


def _stats(d: np.ndarray) -> tuple[float, float]:
    return float(d.mean()), float(d.std(ddof=1) / np.sqrt(d.size))


def _mpc_profits(
    dp: CellDP,
    model: InventoryPOMDP,
    prior: Belief,
    lookahead: int,
    V: np.ndarray,
    W: np.ndarray,
    gamma: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Discounted profit per run of Kinathil's receding-horizon MM, and its periods at zero inventory.

    With h periods to go the MM plays the first quote of the optimal ``min(lookahead, h)``-step
    plan of its model from its current belief (``dp``), sees the trade (a trader with
    ``W[:, t]`` buys above the ask, sells below the bid; a buy at zero inventory does not
    execute and is seen as no trade), updates its belief by Bayes' rule in its model and
    re-plans. Runs sharing a history share the belief. Returns the discounted profit per run
    (``ask - V`` on a sale, ``V - bid`` on a purchase) and the number of periods per run that
    start with zero inventory (when the no-short constraint binds).
    """
    runs, T = W.shape
    acts = np.array([[float(b), float(a)] for b, a in model.actions])
    disc = gamma ** np.arange(T)
    groups = {dp._key(dp.mass0, prior.inventory, T): (dp.mass0, prior.inventory, np.arange(runs))}
    prof = np.zeros(runs)
    at_zero = np.zeros(runs, dtype=np.int64)
    for t in range(T):
        h = T - t
        nxt: dict = {}
        for m, i, idx in groups.values():
            q = dp.q(m, i, min(lookahead, h))
            a = int(np.flatnonzero(q >= q.max() - 1e-12)[0])
            bid, ask = acts[a]
            w, v = W[idx, t], V[idx]
            buy = (w > ask) & (i >= 1)
            at_zero[idx] += i < 1
            sell = w < bid
            prof[idx] += disc[t] * np.where(buy, ask - v, np.where(sell, v - bid, 0.0))
            L, _ = dp.tab[i >= 1]
            for o, sel in ((0, buy), (1, sell), (2, ~buy & ~sell)):
                if sel.any():
                    post = L[a, o] * m
                    m2 = post / post.sum()
                    i2 = (i - 1, i + 1, i)[o]
                    k = dp._key(m2, i2, h - 1)
                    prev = nxt.get(k)
                    nxt[k] = (m2, i2, idx[sel] if prev is None else np.concatenate([prev[2], idx[sel]]))
        groups = nxt
    return prof, at_zero


def kinathil_mpc_vs_das(cfg: ShockedMarketConfig = ShockedMarketConfig(), lookahead: int = 3) -> dict:
    r"""Kinathil's MM re-planning every period against Das's MMs, for long horizons.

    With h periods to go, Kinathil's MM plays the first quote of the optimal
    :math:`\min(L, h)`-step plan of its own model from its current belief (exact, on the
    de-duplicated belief tree of :class:`mmkit.symbolic.bounds.CellDP`), sees the trade,
    updates its belief by Bayes' rule in its model and re-plans. Runs sharing a history share
    the belief, so each distinct belief is planned once. Same draws as :func:`kinathil_vs_das`
    (common random numbers). Returns per-MM (mean, s.e.) of the discounted profit and the
    paired difference Kinathil minus Das optimal, with its standard error.
    """
    _check_cfg(cfg)
    check_positive_int(lookahead, "lookahead", MAX_HORIZON)
    T, s = cfg.periods, cfg.sigma_eps
    model, prior = kinathil_model(cfg)
    dp = CellDP(model, prior)
    V, W = _draws(cfg)
    prof, _ = _mpc_profits(dp, model, prior, int(lookahead), V, W, cfg.gamma)
    params = gmm.GMParams(sigma_eps=s, gamma=cfg.gamma)
    sol = gmm.solve_dp(params)
    out = {f"Kinathil (MPC, {int(lookahead)}-step)": _stats(prof)}
    das = {}
    for name, rule in (("Das optimal", gmm.optimal_rule(sol)), ("Das myopic", gmm.myopic_rule(params))):
        r = gmm.simulate(rule, cfg.rho, params, n_runs=cfg.runs, n_periods=T, seed=cfg.seed)
        das[name] = r.discounted_profit()
        out[name] = _stats(das[name])
    return {"results": out, "paired_diff": _stats(prof - das["Das optimal"]), "beliefs": dp.nodes}


def summary_rows(rows: list[dict], keys: tuple[str, ...] = ("rho",)) -> list[dict]:
    """Flatten stored comparison rows (as written by ``python -m mmkit kinathil-study``) into
    one dict per row: the ``keys``, each MM's mean discounted profit (names shortened to the
    part before a parenthesis), the paired difference
    Kinathil minus Das optimal and its standard error."""
    if rows is None or isinstance(rows, (str, bytes, dict)) or not hasattr(rows, "__iter__"):
        raise TypeError(f"rows must be a list of comparison dicts, got {type(rows).__name__}")
    if keys is None or isinstance(keys, (str, bytes)) or not all(isinstance(k, str) for k in keys):
        raise TypeError(f"keys must be a tuple of column names (str), got {keys!r}")
    need = ("results", "paired_diff", *keys)
    for r in rows:
        if not isinstance(r, dict) or any(k not in r for k in need):
            raise ValueError(f"rows must hold dicts with the keys {need}, got {r!r:.80}")
    out = []
    for r in rows:
        d = {k: r[k] for k in keys}
        d.update({name.split(" (")[0]: v[0] for name, v in r["results"].items()})
        d["K - Das opt."], d["s.e."] = r["paired_diff"][0], r["paired_diff"][1]
        out.append(d)
    return out
