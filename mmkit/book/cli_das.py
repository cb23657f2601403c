"""Command of the shock chapter: ``python -m mmkit das-sim`` (exact vs Gaussian belief tracking)."""

from __future__ import annotations

import argparse
import io
import json
import time
from pathlib import Path

import numpy as np

from mmkit.book.cli_types import (
    atomic_write_bytes,
    atomic_write_text,
    int_at_least,
    nonnegative_int,
    positive_float,
)
from mmkit.book.paths import artifacts_dir

DEFAULT_RHO = [0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]


def _run(args: argparse.Namespace) -> int:
    from mmkit.glosten_milgrom import GMParams, exact_vs_gaussian, solve_dp

    out = artifacts_dir("glosten_milgrom") / "exact_vs_gaussian.npz" if args.out is None else Path(args.out)
    t0 = time.perf_counter()
    sol = solve_dp(GMParams())
    res = exact_vs_gaussian(
        sol,
        args.rho,
        n_runs=args.runs,
        n_periods=args.periods,
        seed=args.seed,
        grid_points=args.grid_points,
        progress=not args.no_progress,
    )
    bad = [k for k, v in res.items() if np.asarray(v).dtype.kind == "f" and not np.all(np.isfinite(v))]
    if bad:
        raise RuntimeError(f"non-finite results in {bad}; nothing written")
    buf = io.BytesIO()
    np.savez_compressed(buf, **res)  # type: ignore[arg-type]  # numpy stubs: **arrays vs allow_pickle
    summary = {k: np.round(v, 5).tolist() for k, v in res.items()}
    atomic_write_bytes(out, buf.getvalue())
    atomic_write_text(out.with_suffix(".json"), json.dumps(summary, indent=1) + "\n")
    print(f"wrote {out} in {time.perf_counter() - t0:.0f} s")
    return 0


def add_cli(subparsers) -> None:
    """Register ``python -m mmkit das-sim``: the exact-vs-Gaussian sweep artifact."""
    p = subparsers.add_parser(
        "das-sim", help="Das 2008: optimal MM with exact posterior tracking, sweep over rho"
    )
    p.add_argument("--runs", type=int_at_least(2), default=4000, help="simulated markets per rho (>= 2)")
    p.add_argument("--periods", type=int_at_least(1), default=100, help="trading periods per run (>= 1)")
    p.add_argument("--seed", type=nonnegative_int, default=0, help="seed of the random draws (>= 0)")
    p.add_argument(
        "--grid-points", type=int_at_least(3), default=201, help="points of the exact belief grid (>= 3)"
    )
    p.add_argument(
        "--rho",
        type=positive_float,
        nargs="+",
        default=DEFAULT_RHO,
        help="initial rho = sigma/sigma_eps values (> 0)",
    )
    p.add_argument(
        "--out", default=None, help="output .npz (default artifacts/glosten_milgrom/exact_vs_gaussian.npz)"
    )
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(func=_run)
    _add_sweep(subparsers)


def _run_sweep(args: argparse.Namespace) -> int:
    from mmkit.glosten_milgrom import (
        SWEEP_RHOS,
        GMParams,
        fast_sweep,
        myopic_rule,
        optimal_rule,
        solve_dp,
        zero_profit_rule,
    )

    out = artifacts_dir("glosten_milgrom") / "rho_sweep.npz" if args.out is None else Path(args.out)
    t0 = time.perf_counter()
    p = GMParams()
    rules = [optimal_rule(solve_dp(p)), myopic_rule(p), zero_profit_rule(p)]
    res = fast_sweep(
        rules,
        SWEEP_RHOS,
        p,
        n_runs=args.runs,
        n_periods=args.periods,
        seed=args.seed,
        progress=not args.no_progress,
    )
    buf = io.BytesIO()
    res.to_npz(buf)
    atomic_write_bytes(out, buf.getvalue())
    print(f"wrote {out} in {time.perf_counter() - t0:.0f} s")
    return 0


def _add_sweep(subparsers) -> None:
    """Register ``python -m mmkit das-sweep``: the rho sweep of Figs. 3 and 4."""
    p = subparsers.add_parser("das-sweep", help="Das 2008: three market makers over a rho grid")
    p.add_argument("--runs", type=int_at_least(2), default=10_000, help="simulated markets per rho (>= 2)")
    p.add_argument("--periods", type=int_at_least(1), default=100, help="trading periods per run (>= 1)")
    p.add_argument("--seed", type=nonnegative_int, default=0, help="seed of the random draws (>= 0)")
    p.add_argument(
        "--out", default=None, help="output .npz (default artifacts/glosten_milgrom/rho_sweep.npz)"
    )
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(func=_run_sweep)
