"""Speed of the Das & Magdon-Ismail (2008) machinery in mmkit.glosten_milgrom.

Prints: the single-pass DP on the spec grid (1,031 rho nodes) and its cost against grid size;
the vectorised simulation, 10,000 runs x 100 periods for the three market makers at one rho;
and the exact-posterior tracking overhead. Targets (issue 5): DP well under 10 s, simulation
under 2 s.

Run: ``python benchmarks/bench_glosten_milgrom.py``
"""

from __future__ import annotations

import time

import numpy as np

from mmkit.glosten_milgrom import (
    GMParams,
    default_rho_grid,
    fast_sweep,
    myopic_rule,
    optimal_rule,
    simulate,
    solve_dp,
    sweep,
    zero_profit_rule,
)


def best_of(f, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    p = GMParams()
    t, sol = best_of(lambda: solve_dp(p))
    print(
        f"DP, spec grid ({sol.rho.size} rho nodes, q grid 0.0025 on [0.3, 6] + refinement): "
        f"{t:.3f} s  (target < 10 s)"
    )
    t, _ = best_of(lambda: solve_dp(p, method="naive"))
    print(f"DP, naive interpolation, same grid: {t:.3f} s")

    print("\nDP cost against grid size (uniform rho grid on [0, 5]):")
    print(f"{'nodes':>8} {'seconds':>9} {'us/node':>9} {'V(1)':>9}")
    for n in (126, 251, 501, 1001, 2001, 4001):
        g = np.linspace(0, 5, n)
        t, s = best_of(lambda: solve_dp(p, g), repeat=2)
        print(f"{n:8d} {t:9.3f} {1e6 * t / n:9.1f} {float(s.value(1.0)):9.5f}")
    t, s = best_of(lambda: solve_dp(p, default_rho_grid(), refine=False), repeat=2)
    print(f"spec grid without q refinement: {t:.3f} s, V(1) = {float(s.value(1.0)):.5f}")

    rules = [optimal_rule(sol), myopic_rule(p), zero_profit_rule(p)]
    for rho in (1.0, 3.0):
        t, _ = best_of(lambda: [simulate(r, rho, p, n_runs=10_000, n_periods=100, seed=0) for r in rules])
        print(f"\nsimulation, 3 MMs x 10,000 runs x 100 periods, rho = {rho:g}: {t:.3f} s (target < 2 s)")
    t, _ = best_of(lambda: simulate(rules[0], 3.0, p, n_runs=10_000, seed=0, world="gaussian"))
    print(f"Gaussian world, optimal MM, 10,000 x 100: {t:.3f} s")
    t, _ = best_of(
        lambda: simulate(rules[0], 3.0, p, n_runs=1000, seed=0, track_exact=True, divergence_at=[]), repeat=1
    )
    print(f"exact posterior tracking (201-point adaptive grid per run), 1,000 x 100: {t:.3f} s")

    # the rho sweep of the chapter: run-by-run simulate (sweep) against fast_sweep, CPU seconds
    rhos = [0.5, 2.0, 3.0, 4.5]
    c0 = time.process_time()
    slow = sweep(rules, rhos, p, n_runs=10_000)
    c1 = time.process_time()
    fast = fast_sweep(rules, rhos, p, n_runs=10_000)
    c2 = time.process_time()
    gap = max(
        float(np.nanmax(np.abs(getattr(slow, k) - getattr(fast, k)))) for k in ("profit_mean", "mean_spread")
    )
    print(
        f"\nrho sweep, 3 MMs x 10,000 runs x 100 periods at {len(rhos)} rho: sweep {c1 - c0:.1f} s CPU, "
        f"fast_sweep {c2 - c1:.1f} s CPU, speed-up {(c1 - c0) / (c2 - c1):.2f} (target >= 2); "
        f"largest difference {gap:.0e}"
    )


if __name__ == "__main__":
    main()
