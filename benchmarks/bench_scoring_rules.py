"""LMSR pricing speed: a batch of 1e6 trades priced at once, and the cost of a single price call.

Prints figures; not a timed test. Run: ``python benchmarks/bench_scoring_rules.py``.
"""

import time
import timeit

import numpy as np

from mmkit.cost_function.scoring_rules import LMSR, QuadraticMSR


def main() -> None:
    rng = np.random.default_rng(0)
    mm = LMSR(100.0)
    for n in (2, 10):
        q = rng.normal(0, 300, (1_000_000, n))
        dq = rng.normal(0, 20, (1_000_000, n))
        t0 = time.perf_counter()
        cost = mm.trade_cost(q, q + dq)
        t1 = time.perf_counter()
        p = mm.prices(q)
        t2 = time.perf_counter()
        assert np.isfinite(cost).all() and np.allclose(p.sum(axis=1), 1)
        print(
            f"n = {n:>2}: 1e6 trade costs in {t1 - t0:.3f} s ({(t1 - t0) * 1e3:.0f} ns/trade), "
            f"1e6 price vectors in {t2 - t1:.3f} s"
        )
    q1 = np.array([50.0, 10.0])
    reps = 20000
    for name, m in (("LMSR", mm), ("quadratic", QuadraticMSR(100.0))):
        t = timeit.timeit(lambda: m.prices(q1), number=reps) / reps
        c = timeit.timeit(lambda: m.buy(q1, 0, 10.0), number=reps) / reps
        print(f"{name:>9}: one price call {t * 1e6:.1f} us, one buy() {c * 1e6:.1f} us")
    t = timeit.timeit(lambda: mm.max_shares_at_price(q1, 0, 0.7), number=reps) / reps
    print(f"LMSR limit order (closed form): {t * 1e6:.1f} us")


if __name__ == "__main__":
    main()
