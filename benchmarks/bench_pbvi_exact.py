"""Exact solvers on the Fig. 2 instance of Kinathil et al. (2016): CPU time against the horizon.

Compares, on v ~ U[50,100] with one unit (GM traders, gamma = 0.9, 15 quotes):

* exact symbolic PBVI (every reachable belief backed up, rational arithmetic, closed-form
  alpha-functions over all states);
* brute-force expectimax (floats, memoised on the mass vector);
* the de-duplicating exact dynamic program ``mmkit.symbolic.bounds.CellDP``.

All three must give the same root value; the script prints CPU seconds (``time.process_time``)
and the ratio of exact PBVI to expectimax. Run: ``python benchmarks/bench_pbvi_exact.py [H_max]``
(default 5).
"""

from __future__ import annotations

import sys
import time

from mmkit.symbolic.bounds import CellDP
from mmkit.symbolic.inventory_pomdp import expectimax
from mmkit.symbolic.pbvi import solve
from mmkit.symbolic.study import fig2_instance


def cpu(fn):
    t0 = time.process_time()
    out = fn()
    return out, time.process_time() - t0


def main(h_max: int = 5) -> None:
    print(f"{'H':>2} {'PBVI s':>8} {'expectimax s':>12} {'CellDP s':>9} {'PBVI/expectimax':>15}  value")
    for H in range(1, h_max + 1):
        m, init = fig2_instance()
        root = init[1]
        r, t_p = cpu(lambda: solve(m, [root], H))
        v_e, t_e = cpu(lambda: expectimax(fig2_instance()[0], root, H)[0])
        v_d, t_d = cpu(lambda: CellDP(fig2_instance()[0], root).value(H))
        v_p = float(r.value(root))
        assert abs(v_p - v_e) < 1e-9 and abs(v_p - v_d) < 1e-9, (v_p, v_e, v_d)
        print(f"{H:2d} {t_p:8.2f} {t_e:12.3f} {t_d:9.3f} {t_p / max(t_e, 1e-3):15.1f}  {v_p:.4f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
