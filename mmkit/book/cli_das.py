"""Command of the shock chapter: ``python -m mmkit das-sim`` (exact vs Gaussian belief tracking)."""

from __future__ import annotations

import numpy as np

from mmkit.book.paths import artifacts_dir


def add_cli(subparsers) -> None:  # pragma: no cover - thin wrapper, run by hand
    """Register ``python -m mmkit das-sim``: the exact-vs-Gaussian sweep artifact."""
    p = subparsers.add_parser(
        "das-sim", help="Das 2008: optimal MM with exact posterior tracking, sweep over rho"
    )
    p.add_argument("--runs", type=int, default=4000)
    p.add_argument("--periods", type=int, default=100)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--grid-points", type=int, default=201)
    p.add_argument(
        "--rho", type=float, nargs="+", default=[0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]
    )
    p.add_argument("--out", default=None, help="default artifacts/glosten_milgrom/exact_vs_gaussian.npz")

    def run(args):
        import json
        import time

        from mmkit.glosten_milgrom import GMParams, exact_vs_gaussian, solve_dp

        out = (
            artifacts_dir("glosten_milgrom") / "exact_vs_gaussian.npz"
            if args.out is None
            else __import__("pathlib").Path(args.out)
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        sol = solve_dp(GMParams())
        res = exact_vs_gaussian(
            sol,
            args.rho,
            n_runs=args.runs,
            n_periods=args.periods,
            seed=args.seed,
            grid_points=args.grid_points,
            progress=True,
        )
        np.savez_compressed(out, **res)
        summary = {k: np.round(v, 5).tolist() for k, v in res.items()}
        out.with_suffix(".json").write_text(json.dumps(summary, indent=1) + "\n")
        print(f"wrote {out} in {time.perf_counter() - t0:.0f} s")

    p.set_defaults(func=run)
    _add_sweep(subparsers)


def _add_sweep(subparsers) -> None:  # pragma: no cover - thin wrapper, run by hand
    """Register ``python -m mmkit das-sweep``: the rho sweep of Figs. 3 and 4."""
    p = subparsers.add_parser("das-sweep", help="Das 2008: three market makers over a rho grid")
    p.add_argument("--runs", type=int, default=10_000)
    p.add_argument("--periods", type=int, default=100)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=None, help="default artifacts/glosten_milgrom/rho_sweep.npz")

    def run(args):
        import pathlib
        import time

        from mmkit.glosten_milgrom import (
            SWEEP_RHOS,
            GMParams,
            fast_sweep,
            myopic_rule,
            optimal_rule,
            solve_dp,
            zero_profit_rule,
        )

        out = (
            artifacts_dir("glosten_milgrom") / "rho_sweep.npz" if args.out is None else pathlib.Path(args.out)
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        p = GMParams()
        rules = [optimal_rule(solve_dp(p)), myopic_rule(p), zero_profit_rule(p)]
        res = fast_sweep(rules, SWEEP_RHOS, p, n_runs=args.runs, n_periods=args.periods, seed=args.seed)
        res.to_npz(out)
        print(f"wrote {out} in {time.perf_counter() - t0:.0f} s")

    p.set_defaults(func=run)
