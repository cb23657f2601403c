"""LMSR at NumPy speed: CPU-time ratios against bare NumPy and pure-Python references.

Targets (issue 15, item 5): batched trade costs and prices within 1.2x of a bare NumPy
log-sum-exp on 1e6 trades, and a single ``LMSR.buy`` within 3x of the closed form
:math:`b \\ln(1 - p_i + p_i e^{k/b})` written in pure Python (both with validation kept in
``mmkit``; the references validate nothing). Standalone; prints CPU-time ratios (best of
several repeats, ``time.process_time``). Run with one thread for stable numbers::

    OMP_NUM_THREADS=1 python benchmarks/bench_lmsr_speed.py
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # ``python benchmarks/...`` from the root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.cases import lmsr_bare_prices, lmsr_py_buy  # noqa: E402
from mmkit.cost_function.scoring_rules import LMSR  # noqa: E402

B = 100.0


def bare_trade_cost(q: np.ndarray, q_new: np.ndarray, b: float = B) -> np.ndarray:
    """C(q_new) - C(q) as two bare NumPy log-sum-exps (no validation)."""
    za, zc = q / b, q_new / b
    ma, mc = za.max(axis=-1, keepdims=True), zc.max(axis=-1, keepdims=True)
    lse_c = np.log(np.exp(zc - mc).sum(axis=-1)) + mc[:, 0]
    lse_a = np.log(np.exp(za - ma).sum(axis=-1)) + ma[:, 0]
    return b * (lse_c - lse_a)


def bare_cost(q: np.ndarray, b: float = B) -> np.ndarray:
    """C(q), one bare NumPy log-sum-exp."""
    z = q / b
    m = z.max(axis=-1, keepdims=True)
    return b * (np.log(np.exp(z - m).sum(axis=-1)) + m[:, 0])


bare_prices = lmsr_bare_prices  # one definition, shared with the suite (benchmarks/cases.py)
py_buy = lmsr_py_buy


def cpu_pair(f, g, reps: int, calls: int = 1) -> tuple[float, float]:
    """Best CPU time per call of ``f`` and of ``g`` over ``reps`` rounds, the two timed
    alternately in each round (so a busy machine slows both alike)."""
    best_f = best_g = math.inf
    for _ in range(reps):
        for fun, slot in ((f, 0), (g, 1)):
            t = time.process_time()
            for _ in range(calls):
                fun()
            dt = (time.process_time() - t) / calls
            if slot == 0:
                best_f = min(best_f, dt)
            else:
                best_g = min(best_g, dt)
    return best_f, best_g


def main() -> None:
    rng = np.random.default_rng(0)
    mm = LMSR(B)
    print("batched, 1e6 trades: CPU time of mmkit / bare NumPy (target <= 1.2)")
    for n in (2, 10):
        q = rng.normal(0, 300, (1_000_000, n))
        q_new = q + rng.normal(0, 20, q.shape)
        assert np.allclose(mm.trade_cost(q, q_new), bare_trade_cost(q, q_new), rtol=1e-9, atol=1e-9)
        assert np.allclose(mm.prices(q), bare_prices(q), rtol=1e-12, atol=1e-15)
        for name, ours, ref in (
            ("trade_cost", lambda: mm.trade_cost(q, q_new), lambda: bare_trade_cost(q, q_new)),
            ("cost", lambda: mm.cost(q), lambda: bare_cost(q)),
            ("prices", lambda: mm.prices(q), lambda: bare_prices(q)),
        ):
            t_ours, t_ref = cpu_pair(ours, ref, 7)
            print(
                f"  n = {n:>2} {name:<10}: {t_ours * 1e3:7.1f} ms vs {t_ref * 1e3:7.1f} ms, ratio {t_ours / t_ref:.2f}"
            )
    print("scalar buy(): CPU time of LMSR.buy / pure-Python closed form (target <= 3)")
    for q in ([50.0, 10.0], [50.0, 10.0, -20.0, 5.0]):
        assert abs(mm.buy(q, 0, 10.0) - py_buy(q, 0, 10.0)) < 1e-9
        t_ours, t_ref = cpu_pair(lambda q=q: mm.buy(q, 0, 10.0), lambda q=q: py_buy(q, 0, 10.0), 15, 5000)
        print(
            f"  n = {len(q)}, list input: {t_ours * 1e6:5.2f} us vs {t_ref * 1e6:5.2f} us, "
            f"ratio {t_ours / t_ref:.2f}"
        )
        qa = np.array(q)
        t_arr, t_ref = cpu_pair(lambda qa=qa: mm.buy(qa, 0, 10.0), lambda q=q: py_buy(q, 0, 10.0), 15, 5000)
        print(f"  n = {len(q)}, array input: {t_arr * 1e6:5.2f} us, ratio {t_arr / t_ref:.2f}")


if __name__ == "__main__":
    main()
