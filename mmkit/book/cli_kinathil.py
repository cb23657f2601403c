"""Command of the symbolic-POMDP chapter: ``python -m mmkit kinathil-study``.

Writes ``artifacts/symbolic/study.json``: the discount-factor sensitivity of Figs. 3 and 4
(with the switch points), the optimality bounds to H = 30 (exact values, bounded PBVI, the
full-information upper bound, the receding-horizon policy) and the Kinathil-vs-Das runs
(three periods, ten periods with re-planning, ten periods where inventory binds, and ten
periods on nested price grids refined to convergence).
Everything is deterministic (exact arithmetic, seeded draws) except the wall times.
"""

from __future__ import annotations

import itertools
import json
import time

from tqdm.auto import tqdm

from mmkit.book.cli_types import atomic_write_text, int_at_least
from mmkit.book.paths import artifacts_dir


def _round(x, d=10):
    if isinstance(x, float):
        return float(f"{x:.{d}g}")
    if isinstance(x, (list, tuple)):
        return [_round(v, d) for v in x]
    if isinstance(x, dict):
        return {k: _round(v, d) for k, v in x.items()}
    return x


def gamma_study() -> dict:
    """Figs. 3 and 4 over the discount factor, and where the Fig. 4 claims switch."""
    from mmkit.symbolic.pbvi import switch_point
    from mmkit.symbolic.study import (
        exact_fig4_actions,
        fig3_solve,
        fig4_claims,
        fig4_surface,
        narrower_when_certain,
        surface_fig4_actions,
        three_actions,
        widens,
    )

    fig3 = {}
    for g in ("0.8", "0.9", "1"):
        c1 = narrower_when_certain(fig3_solve(g, inventories=(1, 2))[0])
        fig3[g] = {f"{qn}, i={i}": bool(n < w) for (qn, i), (n, w) in c1.items()}
    fig4 = {}
    for name in ("GM", "Discrete"):
        for g in ("0.8", "0.85", "0.9", "0.95", "0.99", "1"):
            fig4[f"{name} {g}"] = fig4_claims(fig4_surface(name, g)[1])
    sw = {
        "GM three actions, surface": switch_point(
            lambda g: three_actions(surface_fig4_actions("GM", g)[0]), "0.85", "0.9", tol="0.005"
        ),
        "GM three actions, exact": switch_point(
            lambda g: three_actions(exact_fig4_actions("GM", g)[0]), "0.85", "0.9", tol="0.005"
        ),
        "Discrete widening, surface": switch_point(
            lambda g: widens(surface_fig4_actions("Discrete", g)[1]), "0.99", "1", tol="0.001"
        ),
        "Discrete widening, exact": switch_point(
            lambda g: widens(exact_fig4_actions("Discrete", g)[1]), "0.85", "0.9", tol="0.005"
        ),
    }
    return {
        "fig3_narrow_holds": fig3,
        "fig4_claims": fig4,
        "switch": {k: [str(a), str(b)] for k, (a, b) in sw.items()},
    }


def bounds_study(h_exact: int, h_max: int, lookahead: int, runs: int) -> dict:
    """Exact values, lower and upper bounds and the receding-horizon policy on Fig. 2's root."""
    from mmkit.symbolic.bounds import CellDP, full_information_bound, simulate_policy
    from mmkit.symbolic.inventory_pomdp import reachable_beliefs
    from mmkit.symbolic.pbvi import solve
    from mmkit.symbolic.study import fig2_instance

    m, init = fig2_instance()
    root = init[1]
    out: dict = {"h_exact": h_exact, "h_max": h_max, "lookahead": lookahead}
    dp = CellDP(m, root)
    t0 = time.process_time()
    ex, work, secs = [], [], []
    for H in range(1, h_exact + 1):
        ex.append(dp.value(H))
        work.append(dp.nodes)
        secs.append(time.process_time() - t0)
    out.update(exact=ex, exact_nodes=work, exact_cpu_s=secs)
    out["upper"] = full_information_bound(m, root, h_max).tolist()
    # exact symbolic PBVI (all reachable beliefs) for small H: XADD nodes and beliefs
    xs = []
    for H in range(1, 5):
        t0 = time.process_time()
        r = solve(fig2_instance()[0], [root], H)
        xs.append(
            {
                "H": H,
                "nodes": r.stats[-1].nodes_shared,
                "beliefs": sum(s.beliefs for s in r.stats),
                "value": float(r.value(root)),
                "cpu_s": time.process_time() - t0,
            }
        )
    out["exact_pbvi"] = xs
    layers = reachable_beliefs(m, [root], 6)
    out["distinct_beliefs"] = [len(L) for L in layers]
    # bounded PBVI: the root and its distinct one-step successors, backed up at every stage
    B1 = [b for L in reachable_beliefs(m, [root], 2) for b in L]
    mb = fig2_instance()[0]
    t0 = time.process_time()
    r30 = solve(mb, [root], h_max, schedule="fixed", belief_set=B1)
    out["pbvi_cpu_s"] = time.process_time() - t0
    out["pbvi_beliefs"] = len(B1)
    out["pbvi_lower"] = [float(r30.value(root, h)) for h in range(1, h_max + 1)]
    out["pbvi_action_30"] = mb.action_label(r30.choose(root, h_max)[0])
    out["pbvi_stats"] = [
        {
            "h": s.horizon,
            "alphas": s.alphas,
            "nodes": s.nodes_shared,
            "nodes_max": s.nodes_max,
            "ops": getattr(s, "ops", 0),
            "wall_s": s.seconds,
        }
        for s in r30.stats
    ]
    mpc_h = sorted({h for h in (1, 2, 3, 5, 10, 15, 20, 25, h_max) if h <= h_max})
    out["mpc_h"] = mpc_h
    out["mpc"] = [dp.mpc_value(h, lookahead) for h in mpc_h]
    out["mpc_sim"] = [simulate_policy(dp, h_max, lookahead, runs, seed=0)]
    out["exact_root_bids"] = [float(m.actions[CellDP(m, root).action(H)][0]) for H in range(1, 7)]
    return out


def das_study(runs: int) -> dict:
    """Kinathil's MM against Das's on the shocked market, with the refinements we can afford."""
    from mmkit.experiments import ShockedMarketConfig, kinathil_vs_das

    rows = []

    def add(tag, **kw):
        cfg = ShockedMarketConfig(runs=runs, seed=0, **kw)
        r = kinathil_vs_das(cfg)
        rows.append(
            {
                "setting": tag,
                "rho": cfg.rho,
                "periods": cfg.periods,
                "prices": len(cfg.price_grid),
                "inventory": cfg.periods if cfg.inventory is None else cfg.inventory,
                "results": {k: [v[0], v[1], list(v[2])] for k, v in r["results"].items()},
                "paired_diff": list(r["paired_diff"]),
                "model_value": r["model_value"],
            }
        )

    for rho in (1.0, 2.0, 4.0):
        add("base", rho=rho)
    grid7 = (-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5)
    for rho in (1.0, 2.0, 4.0):
        add("7 prices", rho=rho, price_grid=grid7)
    wide7 = (-2.25, -1.5, -0.75, 0.0, 0.75, 1.5, 2.25)
    for rho in (1.0, 2.0, 4.0):
        add("7 prices, wider", rho=rho, price_grid=wide7)
    return {"rows": rows}


def das_long_study(runs: int, periods: int, lookahead: int) -> dict:
    """Kinathil's MM re-planning each period (MPC) against Das's MMs over many periods."""
    from mmkit.experiments import ShockedMarketConfig, kinathil_mpc_vs_das

    rows = []
    grids = {
        "base": (-1.5, -0.75, 0.0, 0.75, 1.5),
        "7 prices, wider": (-2.25, -1.5, -0.75, 0.0, 0.75, 1.5, 2.25),
    }
    for (setting, grid), rho in itertools.product(grids.items(), (1.0, 2.0, 4.0)):
        cfg = ShockedMarketConfig(rho=rho, periods=periods, runs=runs, seed=0, price_grid=grid)
        r = kinathil_mpc_vs_das(cfg, lookahead)
        rows.append(
            {
                "setting": setting,
                "rho": rho,
                "periods": periods,
                "results": {k: list(v) for k, v in r["results"].items()},
                "paired_diff": list(r["paired_diff"]),
                "beliefs": r["beliefs"],
            }
        )
    return {"rows": rows, "lookahead": lookahead}


def das_inventory_study(runs: int, periods: int, lookahead: int) -> dict:
    """All three MMs unable to sell from an empty inventory, starting with 0 or 1 unit."""
    from mmkit.experiments import ShockedMarketConfig
    from mmkit.experiments.kinathil_vs_das_inventory import inventory_binds_study

    rows = []
    grids = {
        "base": (-1.5, -0.75, 0.0, 0.75, 1.5),
        "7 prices, wider": (-2.25, -1.5, -0.75, 0.0, 0.75, 1.5, 2.25),
    }
    for (setting, grid), inv, rho in itertools.product(grids.items(), (0, 1), (1.0, 2.0, 4.0)):
        cfg = ShockedMarketConfig(rho=rho, periods=periods, runs=runs, seed=0, price_grid=grid, inventory=inv)
        r = inventory_binds_study(cfg, lookahead)
        rows.append(
            {
                "setting": setting,
                "inventory": inv,
                "rho": rho,
                "periods": periods,
                "results": {k: list(v) for k, v in r["results"].items()},
                "zero_share": r["zero_share"],
                "paired_diff": list(r["paired_diff"]),
                "diff_vs_myopic": list(r["diff_vs_myopic"]),
                "das_opt_vs_myopic": list(r["das_opt_vs_myopic"]),
                "beliefs": r["beliefs"],
            }
        )
    return {"rows": rows, "lookahead": lookahead}


def das_grid_study(runs: int, periods: int, lookahead: int, sizes: tuple[int, ...]) -> dict:
    """The ten-period MPC-vs-Das comparison on nested price grids (each refinement halves
    the spacing) over the base range +-1.5 and the wider +-2.25, rho = 1, 2, 4."""
    from mmkit.experiments import ShockedMarketConfig
    from mmkit.experiments.kinathil_vs_das_grid import grid_refinement_study

    rows = []
    for (setting, width), rho in itertools.product(GRID_RANGES.items(), (1.0, 2.0, 4.0)):
        cfg = ShockedMarketConfig(rho=rho, periods=periods, runs=runs, seed=0)
        r = grid_refinement_study(cfg, tuple(sizes), width, lookahead)
        rows.append({"setting": setting, "half_width": width, "rho": rho, "periods": periods, **r})
    return {"rows": rows, "lookahead": lookahead, "runs": runs, "sizes": list(sizes)}


#: Price ranges (half-widths, units of sigma_eps sqrt(1 + rho^2)) of the ``das_grid`` part.
GRID_RANGES = {"base": 1.5, "wider": 2.25}

#: The studies of ``kinathil-study``.
PARTS = ("gamma", "bounds", "das", "das_long", "das_inventory", "das_grid")


def add_cli(subparsers) -> None:  # pragma: no cover - thin wrapper, run by hand
    """Register ``python -m mmkit kinathil-study``."""
    p = subparsers.add_parser(
        "kinathil-study", help="Kinathil 2016: gamma sensitivity, bounds to H = 30, vs Das"
    )
    p.add_argument(
        "--h-exact", type=int_at_least(1, 30), default=12, help="largest horizon solved exactly (1-30)"
    )
    p.add_argument(
        "--h-max", type=int_at_least(1, 1000), default=30, help="horizon of the bounds and the MPC (1-1000)"
    )
    p.add_argument(
        "--lookahead", type=int_at_least(1, 30), default=3, help="planning horizon of the MPC policy (1-30)"
    )
    p.add_argument("--runs", type=int_at_least(2), default=2000, help="Monte Carlo runs of the MPC policy")
    p.add_argument(
        "--das-runs", type=int_at_least(2), default=20_000, help="Monte Carlo runs of the comparison with Das"
    )
    p.add_argument(
        "--das-periods", type=int_at_least(1), default=10, help="periods of the long-horizon MPC runs"
    )
    p.add_argument(
        "--grid-sizes",
        nargs="+",
        type=int_at_least(2, 65),
        default=[5, 9, 17],
        help="price-grid sizes of the das_grid refinement, increasing (2-65 each)",
    )
    p.add_argument(
        "--parts",
        nargs="+",
        choices=PARTS,
        default=list(PARTS),
        help="which studies to (re)compute; the others keep their stored results",
    )
    p.add_argument("--out", default=None, help="default artifacts/symbolic/study.json")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def run(args):
        from pathlib import Path

        if args.h_exact > args.h_max:
            raise ValueError(f"--h-exact must be <= --h-max ({args.h_max}), got {args.h_exact}")
        if args.lookahead > args.h_max:
            raise ValueError(f"--lookahead must be <= --h-max ({args.h_max}), got {args.lookahead}")
        if any(b <= a for a, b in zip(args.grid_sizes, args.grid_sizes[1:])):
            raise ValueError(f"--grid-sizes must be strictly increasing, got {args.grid_sizes}")
        out = artifacts_dir("symbolic") / "study.json" if args.out is None else Path(args.out)
        data = json.loads(out.read_text()) if out.exists() else {}
        data["command"] = "python -m mmkit kinathil-study"
        studies = {
            "gamma": gamma_study,
            "bounds": lambda: bounds_study(args.h_exact, args.h_max, args.lookahead, args.runs),
            "das": lambda: das_study(args.das_runs),
            "das_long": lambda: das_long_study(args.das_runs, args.das_periods, args.lookahead),
            "das_inventory": lambda: das_inventory_study(args.das_runs, args.das_periods, args.lookahead),
            "das_grid": lambda: das_grid_study(
                args.das_runs, args.das_periods, args.lookahead, args.grid_sizes
            ),
        }
        todo = [k for k in PARTS if k in args.parts]
        for part in tqdm(todo, desc="kinathil-study", disable=args.no_progress):
            data[part] = studies[part]()
        atomic_write_text(out, json.dumps(_round(data), indent=1) + "\n")
        print(f"wrote {out}")

    p.set_defaults(func=run)
