"""Benchmark: mmkit.common.mdp solvers against QuantEcon's ``DiscreteDP``, side by side.

For each model (dense ``n`` = 100, 500, 2000 with 3 actions; sparse ``n`` = 20,000 with 3
actions, banded and random transitions, 10 successors per pair) it times building the model
and solving it by value iteration (VI), policy iteration (PI) and modified policy iteration
(MPI, ``k`` = 20), ours and QuantEcon's with the same starting values and stopping rules
(``epsilon`` = 1e-3), checks that the policies are identical, and prints the CPU-time ratio
ours / QuantEcon (median of interleaved repeats: ours, theirs, ours, theirs, ...). The dual LP
(HiGHS) is timed on the small dense model against QuantEcon's simplex.

QuantEcon's PI solves each policy's linear system by sparse LU (``spsolve``), whose fill-in on
random sparse transitions makes it infeasible at ``n`` = 20,000 (it does not finish in minutes):
that cell is skipped and ours (BiCGSTAB evaluation) is reported alone.

Run:  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_mdp_vs_quantecon.py [--quick]
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
import scipy.sparse as sp
from quantecon.markov import DiscreteDP

from mmkit.common import mdp as md

BETA = 0.95
M_ACTIONS = 3


def dense_model(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random ``R[s, a]`` and ``P[s, a, :]`` (rows of cubed uniforms, normalised)."""
    rng = np.random.default_rng(seed)
    P = rng.random((n, M_ACTIONS, n)) ** 3
    P /= P.sum(axis=2, keepdims=True)
    return rng.normal(size=(n, M_ACTIONS)), P


def sparse_model(n: int, kind: str, seed: int, nnz: int = 10):
    """Pair-form sparse model: each pair moves to ``nnz`` successors (a band or at random)."""
    rng = np.random.default_rng(seed)
    L = n * M_ACTIONS
    s_idx = np.repeat(np.arange(n), M_ACTIONS)
    a_idx = np.tile(np.arange(M_ACTIONS), n)
    if kind == "banded":
        offs = (a_idx - 1)[:, None] * 3 + np.arange(nnz)[None, :] - nnz // 2
        cols = np.clip(s_idx[:, None] + offs, 0, n - 1)
    else:
        cols = rng.integers(0, n, size=(L, nnz))
    w = rng.random((L, nnz))
    w /= w.sum(axis=1, keepdims=True)
    Q = sp.csr_matrix((w.ravel(), (np.repeat(np.arange(L), nnz), cols.ravel())), shape=(L, n))
    Q.sum_duplicates()
    return rng.normal(size=L), Q, s_idx, a_idx


def cpu(f) -> tuple[float, object]:
    t0 = time.process_time()
    out = f()
    return time.process_time() - t0, out


def duel(ours, theirs, repeats: int) -> tuple[float, float, object, object]:
    """Median CPU seconds of ``ours`` and ``theirs`` over interleaved repeats, and results."""
    to, tt = [], []
    ro = rt = None
    for _ in range(repeats):
        t, ro = cpu(ours)
        to.append(t)
        t, rt = cpu(theirs)
        tt.append(t)
    return statistics.median(to), statistics.median(tt), ro, rt


def row(name: str, to: float, tt: float | None, same: bool | None) -> None:
    ratio = f"{to / tt:6.2f}" if tt else "   n/a"
    theirs = f"{tt * 1e3:10.2f}" if tt is not None else "   skipped"
    agree = "" if same is None else ("same policy" if same else "POLICIES DIFFER")
    print(f"{name:44s} {to * 1e3:10.2f} {theirs} {ratio}  {agree}", flush=True)


def bench(label: str, ours_mdp, qe, repeats: int, skip_qe_pi: bool = False) -> None:
    """VI, PI and MPI of one model, ours against QuantEcon's."""
    for meth, f_ours, f_qe in (
        ("VI", lambda: md.solve_value_iteration(ours_mdp), lambda: qe.solve("vi", max_iter=100_000)),
        ("PI", lambda: md.solve_policy_iteration(ours_mdp), lambda: qe.solve("pi", max_iter=100_000)),
        ("MPI", lambda: md.modified_policy_iteration(ours_mdp), lambda: qe.solve("mpi", max_iter=100_000)),
    ):
        if meth == "PI" and skip_qe_pi:
            t, sol = cpu(f_ours)
            row(f"{label} {meth} (QE: spsolve fill-in)", t, None, None)
            continue
        to, tt, ro, rt = duel(f_ours, f_qe, repeats)
        row(f"{label} {meth}", to, tt, bool(np.array_equal(ro.policy, rt.sigma)))


def main(quick: bool = False) -> None:
    print("CPU ms (median of interleaved repeats); ratio = ours / QuantEcon")
    print(f"{'case':44s} {'ours':>10s} {'QuantEcon':>10s} {'ratio':>6s}")
    for n in (100, 500) if quick else (100, 500, 2000):
        R, P = dense_model(n, seed=n)
        reps = 7 if n <= 500 else 3
        to, tt, m, qe = duel(
            lambda: md.FiniteMDP.from_dense(R, P, BETA), lambda: DiscreteDP(R, P, BETA), reps
        )
        row(f"dense n={n} from_dense (checked)", to, tt, None)
        to, tt, m, qe = duel(
            lambda: md.FiniteMDP.from_product(R, P, BETA, check=False), lambda: DiscreteDP(R, P, BETA), reps
        )
        row(f"dense n={n} from_product(check=False)", to, tt, None)
        bench(f"dense n={n}", m, qe, reps)
        if n == 100:
            to, tt, ro, rt = duel(lambda: md.solve_dual_lp(m), lambda: qe.solve("lp"), 3)
            row(
                f"dense n={n} dual LP (HiGHS) vs QE simplex",
                to,
                tt,
                bool(np.array_equal(ro.policy, rt.sigma)),
            )
    for kind in ("banded", "random"):
        n = 5000 if quick else 20_000
        R, Q, s_idx, a_idx = sparse_model(n, kind, seed=7)
        to, tt, m, qe = duel(
            lambda: md.FiniteMDP(R, Q, s_idx, a_idx, BETA, M_ACTIONS),
            lambda: DiscreteDP(R, Q, BETA, s_idx, a_idx),
            3,
        )
        row(f"sparse {kind} n={n} build", to, tt, None)
        bench(f"sparse {kind} n={n}", m, qe, 3, skip_qe_pi=(kind == "random"))
        t, sol = cpu(lambda: md.modified_policy_iteration(m))
        print(f"sparse {kind} n={n}: solved by MPI in {t:.3f} s CPU (< 1 s: {t < 1.0})")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
