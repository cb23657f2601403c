"""Optimality gap of bounded PBVI on the Fig. 2 instance of Kinathil et al. (2016), H = 1..30.

Prints, per horizon H: the bounded-PBVI lower bound (root + its 14 distinct one-step
successors, backed up at every stage), the exact value (de-duplicating dynamic program,
H <= ``h_exact``), the receding-horizon (3-step MPC) policy value (exact policy evaluation)
at a few H, the full-information upper bound, and the relative gap (upper - lower) / upper,
with the CPU seconds of each part. Run: ``python benchmarks/bench_bounds.py [h_exact]``
(default 10; about a minute of CPU).
"""

from __future__ import annotations

import sys
import time

from mmkit.symbolic.bounds import CellDP, full_information_bound, gap_table
from mmkit.symbolic.inventory_pomdp import reachable_beliefs
from mmkit.symbolic.pbvi import solve
from mmkit.symbolic.study import fig2_instance

H_MAX = 30
MPC_H = (5, 10, 20, 30)


def main(h_exact: int = 10) -> None:
    m, init = fig2_instance()
    root = init[1]
    t0 = time.process_time()
    B1 = [b for layer in reachable_beliefs(m, [root], 2) for b in layer]
    r = solve(m, [root], H_MAX, schedule="fixed", belief_set=B1)
    lower = [float(r.value(root, h)) for h in range(1, H_MAX + 1)]
    t_pbvi = time.process_time() - t0
    t0 = time.process_time()
    dp = CellDP(fig2_instance()[0], root)
    exact = [dp.value(h) for h in range(1, h_exact + 1)]
    t_ex = time.process_time() - t0
    t0 = time.process_time()
    upper = full_information_bound(m, root, H_MAX)
    t_up = time.process_time() - t0
    t0 = time.process_time()
    mpc = {h: dp.mpc_value(h, 3) for h in MPC_H}
    t_mpc = time.process_time() - t0
    gap = gap_table(lower, upper)
    print(f"{'H':>2} {'lower':>9} {'exact':>9} {'MPC':>9} {'upper':>9} {'gap %':>6}")
    for h in range(1, H_MAX + 1):
        ex = f"{exact[h - 1]:9.3f}" if h <= h_exact else " " * 9
        mp = f"{mpc[h]:9.3f}" if h in mpc else " " * 9
        print(f"{h:2d} {lower[h - 1]:9.3f} {ex} {mp} {upper[h - 1]:9.3f} {100 * gap[h - 1]:6.2f}")
    print(f"CPU s: bounded PBVI {t_pbvi:.1f}, exact DP {t_ex:.1f}, upper bound {t_up:.2f}, MPC {t_mpc:.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
