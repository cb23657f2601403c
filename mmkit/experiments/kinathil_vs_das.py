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
    check_real,
)
from mmkit.symbolic.inventory_pomdp import (
    MAX_HORIZON,
    OBS,
    InventoryPOMDP,
    TraderModel,
    TraderType,
    _q4,
    gaussian_prior,
    make_actions,
)
from mmkit.symbolic.pbvi import policy_tree, solve

__all__ = ["ShockedMarketConfig", "kinathil_vs_das"]


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
    inv0 = T if cfg.inventory is None else int(cfg.inventory)
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
    prior = gaussian_prior(cfg.rho * s, cfg.prior_edges, inv0)
    res = solve(model, [prior], T)
    tree = policy_tree(res, prior)

    rng = np.random.default_rng(cfg.seed)
    V = cfg.rho * s * rng.standard_normal(cfg.runs)
    Z = rng.standard_normal((cfg.runs, T))
    W = V[:, None] + s * Z
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
