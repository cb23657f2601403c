"""Benchmark: market-pressure matrix construction and the trading MDP, against N.

Prints (i) the time to build M by brute-force enumeration of 3^N configurations, by the
exact direct 2-D convolutions, and by the tilted FFT, against the number of agents N; and
(ii) the time to solve the slides' trading MDP for N agents ((2N+1)^2 states) by the dual LP
(HiGHS, simplex and interior point) and by policy iteration.

Run:  OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_markov_market.py [--quick] [--simplex50]

``--simplex50`` also times the HiGHS simplex on N = 50 (about 1.5 to 2 minutes).
"""

from __future__ import annotations

import sys
import time

import numpy as np

from mmkit import markov_market as mm
from mmkit.common import mdp as md

T1 = np.array([[0.3, 0.4, 0.3]] * 3)
T2 = np.array([[0.4, 0.3, 0.3], [0.4, 0.2, 0.4], [0.3, 0.4, 0.3]])


def groups(N: int) -> list[mm.AgentGroup]:
    return [
        g
        for g in (mm.AgentGroup(T1, N // 2) if N // 2 else None, mm.AgentGroup(T2, N - N // 2))
        if g is not None
    ]


def best_time(f, repeat: int = 3) -> float:
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t0)
    return min(ts)


def bench_pressure(quick: bool) -> None:
    print("== market-pressure matrix M: seconds (best of 3) against N")
    print(
        f"{'N':>6} {'states':>7} {'brute force':>12} {'direct':>10} {'tilted FFT':>11} {'max|FFT-ref|':>13}"
    )
    Ns = [2, 4, 6, 8, 10, 12, 20, 50, 100, 200, 500, 1000]
    if quick:
        Ns = [2, 4, 6, 8, 10, 50, 200, 1000]
    for N in Ns:
        g = groups(N)
        tb = best_time(lambda: mm.brute_force_pressure_matrix(g), 1) if N <= 12 else float("nan")
        td = (
            best_time(lambda: mm.pressure_matrix(g, method="direct"), 1 if N >= 200 else 3)
            if N <= 500
            else float("nan")
        )
        tf = best_time(lambda: mm.pressure_matrix(g, method="fft"))
        Mf = mm.pressure_matrix(g, method="fft")
        ref = (
            mm.brute_force_pressure_matrix(g)
            if N <= 10
            else mm.pressure_matrix(g, method="direct")
            if N <= 200
            else None
        )
        err = f"{np.max(np.abs(Mf - ref)):.1e}" if ref is not None else "-"
        print(f"{N:>6} {2 * N + 1:>7} {tb:>12.4f} {td:>10.4f} {tf:>11.4f} {err:>13}")
    print("brute force grows like 3^N (N = 12: 531,441 configurations); direct like N^3; the FFT")
    print("with exponential tilting like N^2 log N (one small FFT per tilt, about sqrt(N) tilts).")


def bench_mdp(quick: bool, simplex50: bool = False) -> None:
    print("\n== trading MDP (c = 0.1, lambda = 0.95): seconds against N")
    print(
        f"{'N':>4} {'states':>7} {'PI':>8} {'PI iters':>9} {'LP ipm':>9} {'LP simplex':>11} {'same policy':>12}"
    )
    Ns = [2, 5, 10, 20] + ([] if quick else [50])
    for N in Ns:
        m = mm.trading_mdp(mm.pressure_matrix(groups(N)))
        t0 = time.perf_counter()
        pi = md.policy_iteration(m)
        t_pi = time.perf_counter() - t0
        t0 = time.perf_counter()
        lp = md.solve_dual_lp(m, method="highs-ipm")
        t_ipm = time.perf_counter() - t0
        if N <= 20 or simplex50:
            t0 = time.perf_counter()
            md.solve_dual_lp(m, method="highs-ds")
            t_ds = f"{time.perf_counter() - t0:11.3f}"
        else:
            t_ds = f"{'(skipped)':>11}"
        same = np.array_equal(lp.policy, pi.policy)
        print(f"{N:>4} {m.n_states:>7} {t_pi:>8.3f} {pi.iterations:>9} {t_ipm:>9.3f} {t_ds} {str(same):>12}")
    if not simplex50:
        print("HiGHS simplex on N = 50 (10,201 states, 30,401 pairs, 3.1M nonzeros) took 89-120 s")
        print("on the development machines (run with --simplex50 to time it here).")
    print("Policy iteration needs 2-3 sparse solves.")


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    bench_pressure(quick)
    bench_mdp(quick, simplex50="--simplex50" in sys.argv)
