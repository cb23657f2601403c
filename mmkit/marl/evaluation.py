"""The paper's evaluation settings (Tables 5-7), surrogate calibration, and the beta sweep.

Settings (100 episodes seeded 0..99, stochastic policies, spec A.6):

- Table 5: A and B1 alone in the fixed market and in the adversarial market;
- Table 6: A-B1, A-B2, B1-B1, B1-B2 in the fixed market;
- Table 7: A-B-star, B1-B-star in the fixed market.
"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np

from mmkit.marl.agents import ConstantMarket, ConstantQuoter
from mmkit.marl.core import MarketConfig
from mmkit.marl.env import simulate
from mmkit.marl.metrics import episode_metrics, summarise

__all__ = ["SINGLE", "PAIRS", "run_setting", "evaluate_agents", "evaluate_ppo",
           "calibrate_single", "calibrate_pair", "beta_sweep", "summary_to_json"]

#: Table 5 columns: (name, agent, market) with market "fixed" or "adversarial".
SINGLE = (("A_Fix", "A", "fixed"), ("A_Adversarial", "A", "adversarial"),
          ("B1_Fix", "B1", "fixed"), ("B1_Adversarial", "B1", "adversarial"))
#: Table 6 and 7 columns: (name, X, Y), fixed market.
PAIRS = (("A vs B1", "A", "B1"), ("A vs B2", "A", "B2"), ("B1 vs B1", "B1", "B1"),
         ("B1 vs B2", "B1", "B2"), ("A vs Bstar", "A", "Bstar"), ("B1 vs Bstar", "B1", "Bstar"))


def summary_to_json(summary: Mapping) -> dict:
    clean = lambda a: [None if not np.isfinite(x) else float(x) for x in np.atleast_1d(a)]
    return {k: {"mean": clean(v.mean), "std": clean(v.std)} for k, v in summary.items()}


def run_setting(agents: Sequence, n_episodes: int = 100, market=None,
                config: MarketConfig | None = None):
    """Simulate one setting on seeds ``0..n_episodes-1``; return (trajectory, summary)."""
    if n_episodes < 2:
        raise ValueError(f"n_episodes must be >= 2, got {n_episodes}")
    tr = simulate(list(agents), range(n_episodes), config, market)
    return tr, summarise(episode_metrics(tr))


def evaluate_agents(agents: Mapping[str, object], adversary=None, n_episodes: int = 100,
                    progress: bool = False) -> dict:
    """Every setting of Tables 5-7 with the given agents ``{"A": ..., "B1": ..., ...}``.

    ``adversary``: the market agent of the adversarial columns (a trained adversary or a
    :class:`ConstantMarket`). Settings whose agents are missing are skipped.
    Returns ``{setting: {metric: {"mean": [...], "std": [...]}}}``.
    """
    from tqdm.auto import tqdm

    jobs = [(n, [a], adversary if m == "adversarial" else None) for n, a, m in SINGLE]
    jobs += [(n, [x, y], None) for n, x, y in PAIRS]
    out = {}
    for name, roles, market in tqdm(jobs, disable=not progress, desc="evaluate"):
        if any(r not in agents for r in roles) or (market is None and "Adversarial" in name):
            continue
        _, s = run_setting([agents[r] for r in roles], n_episodes, market)
        out[name] = summary_to_json(s)
    return out


def evaluate_ppo(folder: str | Path, n_episodes: int = 100, progress: bool = False) -> dict:
    """Load the trained agents of ``folder`` and evaluate every setting (stochastic policies)."""
    from mmkit.marl.policies import load_agent

    folder = Path(folder)
    agents = {r: load_agent(folder, r) for r in ("A", "B1", "B2", "Bstar")
              if (folder / f"{r}.zip").exists()}
    adv = load_agent(folder, "adversary") if (folder / "adversary.zip").exists() else None
    res = evaluate_agents(agents, adv, n_episodes, progress)
    return {"n_episodes": n_episodes, "seeds": f"0..{n_episodes - 1}", "settings": res}


# ---------------------------------------------------------------------- surrogates
def _root_on_grid(f: Callable[[float], float], grid: np.ndarray, prefer: float) -> float:
    """A root of ``f`` on ``grid`` (bisection in a sign-change cell), the one nearest ``prefer``;
    the grid minimiser of ``|f|`` if there is no sign change."""
    from scipy.optimize import brentq

    vals = np.array([f(x) for x in grid])
    cells = [i for i in range(len(grid) - 1) if np.sign(vals[i]) != np.sign(vals[i + 1])]
    if not cells:
        return float(grid[np.argmin(np.abs(vals))])
    i = min(cells, key=lambda i: abs(0.5 * (grid[i] + grid[i + 1]) - prefer))
    return float(brentq(f, grid[i], grid[i + 1], xtol=1e-4))


def calibrate_single(aggressiveness: float, pnl_mean: float, market=None,
                     n_episodes: int = 100) -> ConstantQuoter:
    """Constant offsets with ``(d^b + d^a)/2 = aggressiveness`` and the bid offset fitted so
    that the Mean PnL over seeds ``0..n_episodes-1`` equals ``pnl_mean`` (spec A.7)."""
    m = float(aggressiveness)

    def gap(b: float) -> float:
        _, s = run_setting([ConstantQuoter(b, 2 * m - b)], n_episodes, market)
        return float(s["PnL_mean"].mean[0]) - pnl_mean

    b = _root_on_grid(gap, np.linspace(max(0.0, 2 * m - 3.0), min(3.0, 2 * m), 13), prefer=m)
    return ConstantQuoter(b, 2 * m - b)


def calibrate_pair(aggr_y: float, dist_bid: float, dist_ask: float, pnl_y: float,
                   x_wider_bid: bool = True, x_wider_ask: bool = True,
                   n_episodes: int = 100, grid: Sequence[float] | None = None
                   ) -> tuple[ConstantQuoter, ConstantQuoter]:
    """Constant-offset surrogates of a pair X-Y (spec A.7).

    Y's offsets satisfy ``(d^b_Y + d^a_Y)/2 = aggr_y``; X's differ by the quote distances,
    ``d^b_X = d^b_Y +/- dist_bid`` and ``d^a_X = d^a_Y +/- dist_ask`` (sign: which agent is
    wider); the one free parameter ``d^b_Y`` is fitted to Y's Mean PnL. PnL_Y is not
    monotone in ``d^b_Y``; the search is restricted to offsets in [0.1, 2.9] (well inside the
    fill range, as the paper's fill ratios of 0.997-1.000 require) and the root nearest the
    symmetric split ``d^b_Y = aggr_y`` is taken.
    """
    sb = 1.0 if x_wider_bid else -1.0
    sa = 1.0 if x_wider_ask else -1.0

    def make(bY: float):
        aY = 2 * aggr_y - bY
        return ConstantQuoter(bY + sb * dist_bid, aY + sa * dist_ask), ConstantQuoter(bY, aY)

    def gap(bY: float) -> float:
        _, s = run_setting(list(make(bY)), n_episodes)
        return float(s["PnL_mean"].mean[1]) - pnl_y

    if grid is None:
        # keep all four offsets in [lo, hi], well inside the fill range [0, d_max]
        lo, hi = 0.1, 2.9
        bounds_lo = [lo, lo - sb * dist_bid, 2 * aggr_y - hi, 2 * aggr_y - hi + sa * dist_ask]
        bounds_hi = [hi, hi - sb * dist_bid, 2 * aggr_y - lo, 2 * aggr_y - lo + sa * dist_ask]
        a, b = max(bounds_lo), min(bounds_hi)
        if a >= b:
            raise ValueError("no offsets satisfy the calibration targets inside [0.1, 2.9]")
        grid = np.linspace(a, b, 13)
    return make(_root_on_grid(gap, np.asarray(grid), prefer=aggr_y))


# ---------------------------------------------------------------------- beta sweep
def beta_sweep(folder: str | Path, betas: Sequence[float], steps: int, out: str | Path,
               progress: bool = True, n_episodes: int = 100) -> dict:
    """Train B-star against the frozen A of ``folder`` for each ``beta`` (short runs) and
    record its mean omega and its A-B-star metrics; writes ``<out>/beta_sweep.json``."""
    from mmkit.marl.policies import load_agent
    from mmkit.marl.train import get_config, train_role

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    A = load_agent(folder, "A")
    rows = []
    for beta in betas:
        sub = out / f"beta_{beta:g}"
        sub.mkdir(parents=True, exist_ok=True)
        for f in ("A.zip", "A_vecnormalize.pkl", "A.json"):
            (sub / f).write_bytes((Path(folder) / f).read_bytes())
        cfg = replace(get_config("default"), beta=float(beta))
        train_role("Bstar", cfg, sub, progress=progress, steps=steps)
        bs = load_agent(sub, "Bstar")
        _, s = run_setting([A, bs], n_episodes)
        rows.append({"beta": float(beta), "steps": int(steps),
                     "omega": float(s["Mean_omega"].mean[1]),
                     "aggr_Bstar": float(s["Quote_aggressiveness"].mean[1]),
                     "share_Bstar": float(s["Market_share"].mean[1]),
                     "pnl_A": float(s["PnL_mean"].mean[0]),
                     "pnl_Bstar": float(s["PnL_mean"].mean[1])})
        for f in ("A.zip", "A_vecnormalize.pkl", "A.json"):
            (sub / f).unlink()
    res = {"steps": int(steps), "summary": rows}
    (out / "beta_sweep.json").write_text(json.dumps(res, indent=1) + "\n")
    return res
