r"""Kinathil's MM against Das's as the price grid is refined.

Kinathil's market maker quotes on a finite price grid; Das & Magdon-Ismail's quotes are
continuous. :func:`grid_refinement_study` runs the ten-period comparison of
:func:`~mmkit.experiments.kinathil_vs_das.kinathil_mpc_vs_das` (receding horizon, re-planning
every period) on grids of :math:`n = 5, 9, 17, \dots` equally spaced prices over a fixed range
:math:`[-w, w]` (in units of :math:`\sigma_\varepsilon\sqrt{1+\rho^2}`), each refinement
halving the spacing, so the paired difference (Kinathil minus Das optimal) can be watched
converge. Each planning step uses :class:`mmkit.symbolic.lookahead.BatchedCellDP` (the same
Q-values as :class:`~mmkit.symbolic.bounds.CellDP`, batched), the draws are the same for
every grid (common random numbers), so differences between grids are paired too.
"""

from __future__ import annotations

import time

import numpy as np

from mmkit import glosten_milgrom as gmm
from mmkit.common.validation import check_positive, check_positive_int
from mmkit.experiments.kinathil_vs_das import (
    ShockedMarketConfig,
    _check_cfg,
    _draws,
    _mpc_profits,
    kinathil_model,
)
from mmkit.symbolic.inventory_pomdp import MAX_HORIZON
from mmkit.symbolic.lookahead import BatchedCellDP

__all__ = ["refined_grid", "grid_refinement_study", "grid_verdict", "convergence_rows"]


def refined_grid(half_width: float, n: int) -> tuple[float, ...]:
    """``n`` equally spaced prices on ``[-half_width, half_width]`` (rounded to 1e-10).

    ``n = 2^k + 1`` gives nested grids: each refinement halves the spacing.
    """
    check_positive(half_width, "half_width")
    check_positive_int(n, "n")
    if n < 2:
        raise ValueError(f"n must be >= 2 (a bid below an ask), got {n}")
    return tuple(round(float(x), 10) for x in np.linspace(-half_width, half_width, int(n)))


def _paired(d: np.ndarray) -> tuple[float, float]:
    return float(d.mean()), float(d.std(ddof=1) / np.sqrt(d.size))


def grid_refinement_study(
    cfg: ShockedMarketConfig, sizes: tuple[int, ...], half_width: float, lookahead: int = 3
) -> dict:
    r"""The ten-period comparison on nested grids of ``sizes`` prices over ``[-w, w]``.

    Returns ``rows``: per grid size the number of prices, the (mean, s.e.) of Kinathil's MPC
    profit, the paired difference Kinathil minus Das optimal (mean, s.e.), the distinct
    beliefs planned and the CPU seconds; and ``steps``: between successive grids the change of
    the paired difference (mean, s.e. of the paired change, on the same draws). ``cfg`` gives
    the market (its ``price_grid`` is replaced); Das's profits do not depend on the grid.
    """
    _check_cfg(cfg)
    check_positive_int(lookahead, "lookahead", MAX_HORIZON)
    check_positive(half_width, "half_width")
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__") or len(sizes) == 0:
        raise TypeError(f"sizes must be a non-empty sequence of grid sizes, got {sizes!r}")
    ns = [check_positive_int(n, "sizes") for n in sizes]
    if any(n < 2 for n in ns) or any(b <= a for a, b in zip(ns, ns[1:])):
        raise ValueError(f"sizes must be increasing integers >= 2, got {sizes!r}")
    T, s = cfg.periods, cfg.sigma_eps
    V, W = _draws(cfg)
    params = gmm.GMParams(sigma_eps=s, gamma=cfg.gamma)
    r = gmm.simulate(
        gmm.optimal_rule(gmm.solve_dp(params)), cfg.rho, params, n_runs=cfg.runs, n_periods=T, seed=cfg.seed
    )
    das = r.discounted_profit()
    rows, diffs = [], []
    for n in ns:
        c = ShockedMarketConfig(**{**cfg.__dict__, "price_grid": refined_grid(half_width, n)})
        model, prior = kinathil_model(c)
        dp = BatchedCellDP(model, prior)
        t0 = time.process_time()
        prof, _ = _mpc_profits(dp, model, prior, int(lookahead), V, W, c.gamma)
        cpu = time.process_time() - t0
        diffs.append(prof - das)
        rows.append(
            {
                "prices": n,
                "kinathil": _paired(prof),
                "paired_diff": _paired(diffs[-1]),
                "planned": dp.planned,
                "cpu_s": cpu,
            }
        )
    steps = [
        {"from": a, "to": b, "change": _paired(db - da)} for a, b, da, db in zip(ns, ns[1:], diffs, diffs[1:])
    ]
    return {"das_optimal": _paired(das), "rows": rows, "steps": steps}


def _check_study(study: object) -> None:
    need = ("rows", "steps")
    if not isinstance(study, dict) or any(k not in study for k in need):
        raise TypeError(f"study must be a dict from grid_refinement_study (keys {need}), got {study!r:.80}")
    if len(study["rows"]) < 1 or len(study["steps"]) != len(study["rows"]) - 1:
        raise ValueError("study must hold one more grid row than refinement steps")


def grid_verdict(study: dict, z: float = 2.0) -> dict:
    r"""Whether the paired difference has converged in the grid, and who wins in the limit.

    With successive changes :math:`c_1, \dots, c_k` of the difference (each paired, with its
    standard error) the refinement is *contracting* if :math:`|c_k| < |c_{k-1}|`; with the
    ratio :math:`q = |c_k|/|c_{k-1}|` a geometric tail bounds the change still to come by
    :math:`|c_k|\, q/(1-q)`. The *verdict is settled* if the finest difference :math:`d`
    keeps its sign beyond that tail plus ``z`` standard errors:
    :math:`|d| > |c_k| q/(1-q) + z\,\mathrm{se}(d)`. Returns the finest difference and its
    s.e., the last change and its s.e., q, the tail bound, ``contracting``, ``settled`` and
    the winner in the limit (``"Das optimal"`` if :math:`d < 0`, else ``"Kinathil"``).
    """
    _check_study(study)
    check_positive(z, "z")
    d, se = study["rows"][-1]["paired_diff"]
    steps = [s["change"] for s in study["steps"]]
    if len(steps) < 2:
        raise ValueError("study must hold at least three grids (two refinement steps)")
    c_prev, c_last = abs(steps[-2][0]), abs(steps[-1][0])
    q = c_last / c_prev if c_prev > 0 else float("inf")
    contracting = q < 1
    tail = c_last * q / (1 - q) if contracting else float("inf")
    return {
        "diff": float(d),
        "se": float(se),
        "last_change": float(steps[-1][0]),
        "last_change_se": float(steps[-1][1]),
        "ratio": float(q),
        "tail": float(tail),
        "contracting": bool(contracting),
        "settled": bool(contracting and abs(d) > tail + z * se),
        "winner": "Das optimal" if d < 0 else "Kinathil",
    }


def convergence_rows(rows: list[dict]) -> list[dict]:
    """Flatten stored grid studies (dicts with ``setting``, ``rho`` and the keys of
    :func:`grid_refinement_study`) into one table row per grid: setting, rho, prices, the
    paired difference Kinathil minus Das optimal, its s.e., and the change from the previous
    (coarser) grid with its paired s.e. (NaN on the coarsest grid)."""
    if rows is None or isinstance(rows, (str, bytes, dict)) or not hasattr(rows, "__iter__"):
        raise TypeError(f"rows must be a list of grid-study dicts, got {type(rows).__name__}")
    out = []
    for r in rows:
        if not isinstance(r, dict) or "setting" not in r or "rho" not in r:
            raise ValueError(f"rows must hold dicts with keys setting, rho, rows, steps; got {r!r:.80}")
        _check_study(r)
        changes = [(float("nan"), float("nan"))] + [tuple(s["change"]) for s in r["steps"]]
        for g, ch in zip(r["rows"], changes):
            out.append(
                {
                    "setting": r["setting"],
                    "rho": r["rho"],
                    "prices": g["prices"],
                    "K - Das opt.": g["paired_diff"][0],
                    "s.e.": g["paired_diff"][1],
                    "change": ch[0],
                    "change s.e.": ch[1],
                }
            )
    return out
