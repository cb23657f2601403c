"""The paper's evaluation settings (Tables 5-7), surrogate calibration, the beta sweep, and
the chapter's reporting helpers (paper-table parsing, side-by-side tables, ledger claims,
the qualitative findings, learning-curve convergence diagnostics).

Settings (100 episodes seeded 0..99, stochastic policies, spec A.6):

- Table 5: A and B1 alone in the fixed market and in the adversarial market;
- Table 6: A-B1, A-B2, B1-B1, B1-B2 in the fixed market;
- Table 7: A-B-star, B1-B-star in the fixed market.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from mmkit.common.validation import (
    check_array,
    check_bool,
    check_choice,
    check_finite,
    check_int,
    check_mapping,
    check_real,
    check_sequence,
    check_str,
)
from mmkit.marl.agents import ROLES, ConstantQuoter, check_role, market_from_action, offsets_from_action
from mmkit.marl.core import MarketConfig
from mmkit.marl.env import simulate
from mmkit.marl.metrics import ALL_METRICS, Summary, check_tables, episode_metrics, summarise

__all__ = [
    "SINGLE",
    "PAIRS",
    "TABLE_OF",
    "run_setting",
    "evaluate_agents",
    "evaluate_ppo",
    "calibrate_single",
    "calibrate_pair",
    "beta_sweep",
    "summary_to_json",
    "parse_paper_table",
    "value",
    "findings",
    "natural_actions",
    "convergence_table",
]

#: Table 5 columns: (name, agent, market) with market "fixed" or "adversarial".
SINGLE = (
    ("A_Fix", "A", "fixed"),
    ("A_Adversarial", "A", "adversarial"),
    ("B1_Fix", "B1", "fixed"),
    ("B1_Adversarial", "B1", "adversarial"),
)
#: Table 6 and 7 columns: (name, X, Y), fixed market.
PAIRS = (
    ("A vs B1", "A", "B1"),
    ("A vs B2", "A", "B2"),
    ("B1 vs B1", "B1", "B1"),
    ("B1 vs B2", "B1", "B2"),
    ("A vs Bstar", "A", "Bstar"),
    ("B1 vs Bstar", "B1", "Bstar"),
)


def _check_agent(x: object, name: str, method: str = "quote") -> None:
    """A quoting agent (``quote``) or a market agent (``market``)."""
    if not callable(getattr(x, method, None)):
        kind = "a quoting agent (with quote)" if method == "quote" else "a market agent (with market)"
        raise TypeError(f"{name} must be {kind}, got {type(x).__name__}")


#: Every setting of Tables 5-7.
ALL_SETTINGS = tuple(n for n, _, _ in SINGLE) + tuple(n for n, _, _ in PAIRS)


def summary_to_json(summary: Mapping) -> dict:
    if not isinstance(summary, Mapping) or not all(isinstance(v, Summary) for v in summary.values()):
        raise TypeError(f"summary must be a mapping metric -> Summary, got {type(summary).__name__}")
    clean = lambda a: [None if not np.isfinite(x) else float(x) for x in np.atleast_1d(a)]
    return {k: {"mean": clean(v.mean), "std": clean(v.std)} for k, v in summary.items()}


def run_setting(
    agents: Sequence,
    n_episodes: int = 100,
    market=None,
    config: MarketConfig | None = None,
    first_seed: int = 0,
    streams: str = "exact",
):
    """Simulate one setting on seeds ``first_seed..first_seed+n_episodes-1``; return (trajectory, summary).

    ``streams="batch"`` (opt-in) draws the episodes from one generator of the batch of seeds
    (:func:`mmkit.marl.env.simulate`); the default keeps the paper-exact per-episode streams.
    """
    check_int(n_episodes, "n_episodes", 2)
    check_int(first_seed, "first_seed", 0)
    if agents is None or isinstance(agents, (str, bytes)):
        raise TypeError("agents must be a sequence of quoting agents")
    tr = simulate(list(agents), range(first_seed, first_seed + n_episodes), config, market, streams)
    return tr, summarise(episode_metrics(tr))


def evaluate_agents(
    agents: Mapping[str, object],
    adversary=None,
    n_episodes: int = 100,
    progress: bool = False,
    first_seed: int = 0,
) -> dict:
    """Every setting of Tables 5-7 with the given agents ``{"A": ..., "B1": ..., ...}``.

    ``adversary``: the market agent of the adversarial columns (a trained adversary or a
    :class:`ConstantMarket`). Settings whose agents are missing are skipped.
    Returns ``{setting: {metric: {"mean": [...], "std": [...]}}}``.
    """
    from tqdm.auto import tqdm

    check_mapping(agents, "agents", nonempty=True, what="a mapping role -> quoting agent")
    for r, a in agents.items():
        check_choice(r, "agents role", ("A", "B1", "B2", "Bstar"))
        _check_agent(a, f"agents[{r!r}]")
    if adversary is not None:
        _check_agent(adversary, "adversary", "market")
    check_int(n_episodes, "n_episodes", 2, 10**6)
    progress = check_bool(progress, "progress")
    check_int(first_seed, "first_seed", 0)
    jobs = [(n, [a], adversary if m == "adversarial" else None) for n, a, m in SINGLE]
    jobs += [(n, [x, y], None) for n, x, y in PAIRS]
    out = {}
    for name, roles, market in tqdm(jobs, disable=not progress, desc="evaluate"):
        if any(r not in agents for r in roles) or (market is None and "Adversarial" in name):
            continue
        _, s = run_setting([agents[r] for r in roles], n_episodes, market, first_seed=first_seed)
        out[name] = summary_to_json(s)
    return out


def evaluate_ppo(
    folder: str | Path, n_episodes: int = 100, progress: bool = False, first_seed: int = 0
) -> dict:
    """Load the trained agents of ``folder`` and evaluate every setting (stochastic policies)."""
    from mmkit.marl.policies import load_agent

    if not isinstance(folder, (str, Path)):
        raise TypeError(f"folder must be a path, got {type(folder).__name__}")
    folder = Path(folder)
    check_int(n_episodes, "n_episodes", 2)
    check_int(first_seed, "first_seed", 0)
    roles = [r for r in ("A", "B1", "B2", "Bstar") if (folder / f"{r}.json").exists()]
    if not folder.is_dir() or not roles:
        raise ValueError(
            f"folder must be an existing folder with trained agents (A.json, B1.json, ...), got {folder}"
        )
    agents = {r: load_agent(folder, r) for r in roles}
    adv = load_agent(folder, "adversary") if (folder / "adversary.json").exists() else None
    res = evaluate_agents(agents, adv, n_episodes, progress, first_seed=first_seed)
    seeds = f"{first_seed}..{first_seed + n_episodes - 1}"
    return {"n_episodes": n_episodes, "seeds": seeds, "settings": res}


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


def calibrate_single(
    aggressiveness: float, pnl_mean: float, market=None, n_episodes: int = 100
) -> ConstantQuoter:
    """Constant offsets with ``(d^b + d^a)/2 = aggressiveness`` and the bid offset fitted so
    that the Mean PnL over seeds ``0..n_episodes-1`` equals ``pnl_mean`` (spec A.7)."""
    m = check_real(aggressiveness, "aggressiveness", 0.0, 3.0, lo_open=True, hi_open=True)
    pnl_mean = check_finite(pnl_mean, "pnl_mean")
    if market is not None:
        _check_agent(market, "market", "market")
    check_int(n_episodes, "n_episodes", 2, 10**6)

    def gap(b: float) -> float:
        _, s = run_setting([ConstantQuoter(b, 2 * m - b)], n_episodes, market)
        return float(s["PnL_mean"].mean[0]) - pnl_mean

    b = _root_on_grid(gap, np.linspace(max(0.0, 2 * m - 3.0), min(3.0, 2 * m), 13), prefer=m)
    return ConstantQuoter(b, 2 * m - b)


def calibrate_pair(
    aggr_y: float,
    dist_bid: float,
    dist_ask: float,
    pnl_y: float,
    x_wider_bid: bool = True,
    x_wider_ask: bool = True,
    n_episodes: int = 100,
    grid: Sequence[float] | None = None,
) -> tuple[ConstantQuoter, ConstantQuoter]:
    """Constant-offset surrogates of a pair X-Y (spec A.7).

    Y's offsets satisfy ``(d^b_Y + d^a_Y)/2 = aggr_y``; X's differ by the quote distances,
    ``d^b_X = d^b_Y +/- dist_bid`` and ``d^a_X = d^a_Y +/- dist_ask`` (sign: which agent is
    wider); the one free parameter ``d^b_Y`` is fitted to Y's Mean PnL. PnL_Y is not
    monotone in ``d^b_Y``; the search is restricted to offsets in [0.1, 2.9] (well inside the
    fill range, as the paper's fill ratios of 0.997-1.000 require) and the root nearest the
    symmetric split ``d^b_Y = aggr_y`` is taken.
    """
    aggr_y = check_real(aggr_y, "aggr_y", 0.0, 3.0, lo_open=True, hi_open=True)
    dist_bid = check_real(dist_bid, "dist_bid", 0.0, 3.0)
    dist_ask = check_real(dist_ask, "dist_ask", 0.0, 3.0)
    pnl_y = check_finite(pnl_y, "pnl_y")
    sb = 1.0 if check_bool(x_wider_bid, "x_wider_bid") else -1.0
    sa = 1.0 if check_bool(x_wider_ask, "x_wider_ask") else -1.0
    check_int(n_episodes, "n_episodes", 2, 10**6)
    if grid is not None:
        g = check_array(grid, "grid", ndim=1)
        if g.size < 2 or np.any(np.diff(g) <= 0):
            raise ValueError("grid must be an increasing 1-D grid of >= 2 bid offsets")

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
            raise ValueError(
                "aggr_y, dist_bid and dist_ask leave no offsets inside [0.1, 2.9] to calibrate on"
            )
        grid = np.linspace(a, b, 13).tolist()
    return make(_root_on_grid(gap, np.asarray(grid), prefer=aggr_y))


# ---------------------------------------------------------------------- beta sweep
def beta_sweep(
    folder: str | Path,
    betas: Sequence[float],
    steps: int,
    out: str | Path,
    progress: bool = True,
    n_episodes: int = 100,
    seed: int | None = 123,
) -> dict:
    """Train B-star against the frozen A of ``folder`` for each ``beta`` (short runs) and
    record its mean omega and its A-B-star metrics; writes ``<out>/beta_sweep.json``."""
    from mmkit.common.manifest import read_verified
    from mmkit.marl.checkpoint import file_names
    from mmkit.marl.policies import load_agent
    from mmkit.marl.train import get_config, train_role

    if not isinstance(folder, (str, Path)):
        raise TypeError(f"folder must be a path, got {type(folder).__name__}")
    if betas is None or isinstance(betas, (str, bytes)):
        raise TypeError("betas must be a non-empty sequence of penalty weights >= 0")
    base = get_config("long")
    if seed is not None:
        base = replace(base, seed=check_int(seed, "seed", 0))
    rollout = base.ppo.n_steps * base.ppo.n_envs
    check_int(steps, "steps", rollout)
    check_int(n_episodes, "n_episodes", 2)
    betas = [check_real(b, "betas", 0.0) for b in betas]
    if not betas:
        raise ValueError("betas must hold at least one penalty weight >= 0")
    if not (Path(folder) / "A.json").exists():
        raise ValueError(f"folder must hold the trained agent A (A.json), got {folder}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    A = load_agent(folder, "A")
    rows = []
    for beta in betas:
        sub = out / f"beta_{beta:g}"
        sub.mkdir(parents=True, exist_ok=True)
        for f in file_names("A").values():
            (sub / f).write_bytes(read_verified(Path(folder) / f))
        cfg = replace(base, beta=float(beta))
        train_role("Bstar", cfg, sub, progress=progress, steps=steps)
        bs = load_agent(sub, "Bstar")
        _, s = run_setting([A, bs], n_episodes)
        rows.append(
            {
                "beta": float(beta),
                "steps": int(steps),
                "omega": float(s["Mean_omega"].mean[1]),
                "aggr_Bstar": float(s["Quote_aggressiveness"].mean[1]),
                "share_Bstar": float(s["Market_share"].mean[1]),
                "pnl_A": float(s["PnL_mean"].mean[0]),
                "pnl_Bstar": float(s["PnL_mean"].mean[1]),
            }
        )
        for f in file_names("A").values():
            (sub / f).unlink()
    res = {"steps": int(steps), "summary": rows}
    (out / "beta_sweep.json").write_text(json.dumps(res, indent=1) + "\n")
    return res


# ---------------------------------------------------------------------- paper tables, ledger
#: Which paper table each setting belongs to.
TABLE_OF = {
    **{n: "Table 5" for n, _, _ in SINGLE},
    **{n: "Table 6" for n, _, _ in PAIRS[:4]},
    **{n: "Table 7" for n, _, _ in PAIRS[4:]},
}


def parse_paper_table(text: str, columns: Sequence[str]) -> dict[str, dict[str, Summary]]:
    """Parse a printed table, one metric per line: ``metric | cell | cell | ...``.

    A cell is ``"m ± s"`` or, for a pair, ``"m ± s / m ± s"``; ``-`` inside a pair cell is a
    missing entry (NaN, e.g. A's omega) and a lone ``-`` cell means the metric is not in that
    column's table. Returns ``{column: {metric: Summary(mean, std)}}``.
    """
    text = check_str(text, "text")
    columns = [
        check_str(c, "columns") for c in check_sequence(columns, "columns", what="a sequence of column names")
    ]
    out: dict[str, dict[str, Summary]] = {c: {} for c in columns}
    for line in text.strip().splitlines():
        metric, *cells = [s.strip() for s in line.split("|")]
        if len(cells) != len(columns):
            raise ValueError(
                f"text row {metric!r} has {len(cells)} cells, expected {len(columns)} (one per column)"
            )
        for col, c in zip(columns, cells):
            if c == "-":
                continue
            parts = [p.strip() for p in c.split("/")]
            try:
                mean = [np.nan if p == "-" else float(p.split("±")[0]) for p in parts]
                std = [np.nan if p == "-" else float(p.split("±")[1]) for p in parts]
            except (ValueError, IndexError):
                raise ValueError(
                    f"text cell {c!r} of row {metric!r} must be 'm ± s' or 'm ± s / m ± s'"
                ) from None
            out[col][metric] = Summary(np.array(mean), np.array(std))
    return out


def value(summary: Mapping, metric: str, k: int = 0, what: str = "mean") -> float:
    """Entry ``k`` (agent X = 0, Y = 1) of a metric's mean (or std) in a summary."""
    if not isinstance(summary, Mapping):
        raise TypeError(f"summary must be a mapping metric -> Summary, got {type(summary).__name__}")
    if not isinstance(metric, str) or metric not in summary:
        raise ValueError(f"metric must be one of {sorted(summary)}, got {metric!r}")
    check_choice(what, "what", ("mean", "std"))
    vals = np.atleast_1d(getattr(summary[metric], what))
    return float(vals[check_int(k, "k", 0, len(vals) - 1)])


def _check_names(names: object) -> list[str]:
    """A non-empty sequence of settings of Tables 5-7."""
    out = check_sequence(names, "names", what="a sequence of settings")
    for n in out:
        check_choice(n, "names", ALL_SETTINGS)
    return out


def _check_metric(m: object, name: str = "m") -> str:
    return check_choice(m, name, ALL_METRICS)


# ---------------------------------------------------------------------- qualitative findings
def findings(s: Mapping) -> dict[tuple[str, str], tuple[str, bool]]:
    """The paper's qualitative findings evaluated on a set of summaries (the paper's tables or
    ours): ``{(table, claim): (text with the numbers, holds)}``.

    ``s`` maps every setting of Tables 5-7 to ``{metric: Summary}``.
    """
    return _findings(s, "s")


def _findings(s: Mapping, name: str) -> dict[tuple[str, str], tuple[str, bool]]:
    check_tables(s, name, ALL_SETTINGS)

    def v(n: str, m: str, k: int = 0) -> float:
        if m not in s[n]:
            raise ValueError(f"{name} must hold the metric {m!r} of setting {n!r}")
        return value(s[n], m, k)

    out = {}
    b2 = [v("A vs B2", "Market_share", 1), v("B1 vs B2", "Market_share", 1)]
    out[("Table 6", "B2 takes most of the order flow from A and from B1")] = (
        f"B2's share {b2[0]:.3f} vs A, {b2[1]:.3f} vs B1; PnL A {v('A vs B2', 'PnL_mean'):.1f}, "
        f"B1 {v('B1 vs B2', 'PnL_mean'):.1f}",
        min(b2) > 0.5,
    )
    ag = [v("A vs B2", "Quote_aggressiveness", 1), v("A vs B2", "Quote_aggressiveness", 0)]
    sp = [v("A vs B2", "Avg_spread"), v("A_Fix", "Avg_spread")]
    out[("Table 6", "B2 quotes tighter than its opponent and narrows the spread")] = (
        f"aggressiveness {ag[0]:.3f} (B2) vs {ag[1]:.3f} (A); Avg_spread {sp[0]:.3f} vs "
        f"{sp[1]:.3f} for A alone",
        ag[0] < ag[1] and sp[0] < sp[1],
    )
    om = [v("A vs Bstar", "Mean_omega", 1), v("B1 vs Bstar", "Mean_omega", 1)]
    out[("Table 7", "B-star's omega settles near 0.7 (self-interested lean)")] = (
        f"Mean_omega {om[0]:.3f} (vs A), {om[1]:.3f} (vs B1); within 0.1 of 0.7",
        all(abs(w - 0.7) <= 0.1 for w in om),
    )
    sh = [v("A vs Bstar", "Market_share", 1), v("B1 vs Bstar", "Market_share", 1)]
    pa = [v("A vs Bstar", "PnL_mean"), v("A vs B2", "PnL_mean")]
    out[("Table 7", "B-star wins market share but hurts A less than B2 does")] = (
        f"B-star's share {sh[0]:.3f} (vs A), {sh[1]:.3f} (vs B1); A's PnL {pa[0]:.1f} vs B-star, "
        f"{pa[1]:.1f} vs B2",
        min(sh) > 0.5 and pa[0] > pa[1],
    )
    herd = {n: v(n, "Herding_ratio") for n, _, _ in PAIRS}
    out[("Table 6", "no herding in any pair except B1 vs B1")] = (
        "Herding_ratio " + "; ".join(f"{n}: {h:.3f}" for n, h in herd.items()),
        all(h < 0.05 for n, h in herd.items() if n != "B1 vs B1") and herd["B1 vs B1"] > 0.05,
    )
    solo = {"A": v("A_Fix", "PnL_mean"), "B1": v("B1_Fix", "PnL_mean")}
    comb = {n: v(n, "PnL_mean", 0) + v(n, "PnL_mean", 1) for n, _, _ in PAIRS}
    falls = all(comb[n] < max(solo.get(x, 0), solo.get(y, 0)) for n, x, y in PAIRS)
    out[("Table 6", "combined PnL of every pair falls below the better solo agent")] = (
        "combined PnL "
        + "; ".join(f"{n}: {c:.1f}" for n, c in comb.items())
        + f"; solo A {solo['A']:.1f}, B1 {solo['B1']:.1f}",
        falls,
    )
    return out


# ---------------------------------------------------------------------- learning curves
def natural_actions(
    role: str, a1: np.ndarray, a2: np.ndarray, config: MarketConfig | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Mean raw actions in natural units: offsets ``(max_offset/2)(a + 1)`` of a market maker,
    or the adversary's ``(lambda, sigma)``."""
    check_role(role)
    cfg = MarketConfig() if config is None else config
    if not isinstance(cfg, MarketConfig):
        raise TypeError(f"config must be a MarketConfig, got {type(config).__name__}")
    x1 = np.atleast_1d(check_array(a1, "a1"))
    x2 = np.atleast_1d(check_array(a2, "a2"))
    if x2.shape != x1.shape:
        raise ValueError(f"a2 must have the shape of a1 {x1.shape}, got {x2.shape}")
    a = np.stack([x1, x2], axis=-1)
    if role == "adversary":
        return market_from_action(a, cfg)
    o = offsets_from_action(a, cfg.max_offset)
    return o[..., 0], o[..., 1]


def convergence_table(curves: Mapping, tail: float = 0.2):
    """Convergence diagnostics of learning curves (``role -> DataFrame`` of the curve CSVs).

    Compares the last ``tail`` fraction of each run with the ``tail`` fraction before it:
    mean episode return in both windows and ``return_se``, the standard error of their
    difference (rollouts treated as independent); the mean actions of the last window in natural
    units (bid/ask offsets, or the adversary's lambda/sigma) and ``d_action``, the largest
    change of the two between the windows; B-star's mean omega; the action std at the end
    and ``std_ratio``, the end std over the std at the start of the last window.
    """
    import pandas as pd

    check_mapping(curves, "curves", nonempty=True, what="a mapping role -> learning-curve DataFrame")
    need = {"timesteps", "episode_return", "a1", "a2", "action_std"}
    for role, c in curves.items():
        check_choice(role, "curves role", ROLES)
        if not isinstance(c, pd.DataFrame) or not need <= set(c.columns) or len(c) < 2:
            raise ValueError(f"curves[{role!r}] must be a DataFrame of >= 2 rows with columns {sorted(need)}")
    tail = check_real(tail, "tail", 0.0, 0.5, lo_open=True)
    rows = []
    for role, c in curves.items():
        n = len(c)
        w = max(int(round(tail * n)), 1)
        last, prev = c.iloc[n - w :], c.iloc[max(n - 2 * w, 0) : n - w]
        nl = natural_actions(role, last.a1.mean(), last.a2.mean())
        npv = natural_actions(role, prev.a1.mean(), prev.a2.mean())
        # rollouts in which no episode ended hold NaN returns; pandas skips them
        rl, rp = last.episode_return, prev.episode_return
        se = math.sqrt(rl.var() / max(rl.count(), 1) + rp.var() / max(rp.count(), 1))
        rows.append(
            {
                "role": role,
                "steps": int(c.timesteps.iloc[-1]),
                "return_prev": prev.episode_return.mean(),
                "return_last": last.episode_return.mean(),
                "return_se": se,
                "action1": float(nl[0][0]),
                "action2": float(nl[1][0]),
                "d_action": float(max(abs(nl[0] - npv[0])[0], abs(nl[1] - npv[1])[0])),
                "omega": last.a3.mean() if "a3" in c else np.nan,
                "std_end": c.action_std.iloc[-1],
                "std_ratio": c.action_std.iloc[-1] / last.action_std.iloc[0],
            }
        )
    return pd.DataFrame(rows).set_index("role")
