"""Symbolic PBVI on the Kinathil et al. (2016) Fig. 2 instance: time and XADD nodes vs H.

Prints three tables (run: ``python benchmarks/bench_pbvi.py``; about 1-2 minutes, one core):

1. exact PBVI (all beliefs reachable to H, schedule "layered") beside brute-force expectimax;
2. bounded PBVI (root + its distinct one-step successors, schedule "fixed") up to H = 30;
3. the same backups done naively with sympy ``Piecewise`` (one expression per inventory
   level, ``piecewise_fold`` after every operation) against our XADD, with equal results.
"""

from __future__ import annotations

import time
from fractions import Fraction

import sympy as sp

from mmkit.symbolic.inventory_pomdp import (
    OBS,
    Belief,
    InventoryPOMDP,
    TraderModel,
    expectimax,
    make_actions,
    reachable_beliefs,
)
from mmkit.symbolic.pbvi import solve

A2 = make_actions([0, 25, 49, 51, 75, 99])
GM = TraderModel.glosten_milgrom()
ROOT = Belief.uniform(50, 100, 1)


def model() -> InventoryPOMDP:
    return InventoryPOMDP(A2, GM, gamma=Fraction(9, 10))


def exact_table(hmax: int = 5, ex_max: int = 6) -> None:
    print("exact PBVI (all reachable beliefs) vs brute-force expectimax, Fig. 2 instance")
    print(
        f"{'H':>2} {'beliefs':>8} {'PBVI s':>8} {'nodes V^H':>9} {'V^H(b0)':>10} {'expectimax s':>12} {'value':>10}"
    )
    for H in range(1, hmax + 1):
        t0 = time.perf_counter()
        res = solve(model(), [ROOT], H)
        tp = time.perf_counter() - t0
        if H <= ex_max:
            t0 = time.perf_counter()
            vx = expectimax(model(), ROOT, H)[0]
            te = f"{time.perf_counter() - t0:12.2f}"
            vs = f"{vx:10.4f}"
        else:
            te, vs = f"{'-':>12}", f"{'-':>10}"
        print(
            f"{H:2d} {sum(s.beliefs for s in res.stats):8d} {tp:8.2f} {res.stats[-1].nodes_shared:9d} "
            f"{float(res.value(ROOT)):10.4f} {te} {vs}"
        )


def bounded_table(H: int = 30) -> None:
    m = model()
    B = [b for L in reachable_beliefs(m, [ROOT], 2) for b in L]
    t0 = time.perf_counter()
    res = solve(m, [ROOT], H, schedule="fixed", belief_set=B)
    total = time.perf_counter() - t0
    print(f"\nbounded PBVI, |B| = {len(B)}, H = {H}: {total:.1f} s; V^H(b0) >= {float(res.value(ROOT)):.4f}")
    print(f"{'h':>3} {'|V^h|':>6} {'nodes shared':>12} {'nodes total':>11} {'largest':>8} {'stage s':>8}")
    for s in res.stats:
        if s.horizon in (1, 2, 3, 5, 10, 15, 20, 25, 30):
            print(
                f"{s.horizon:3d} {s.alphas:6d} {s.nodes_shared:12d} {s.nodes_total:11d} "
                f"{s.nodes_max:8d} {s.seconds:8.2f}"
            )


def _to_piecewise(X, node, i, v):
    pieces = X.pieces(node, "v", {"i": i})
    args = []
    for lo, hi, e in pieces:
        expr = sp.Rational(e.coef("v").numerator, e.coef("v").denominator) * v + sp.Rational(
            e.const.numerator, e.const.denominator
        )
        args.append((expr, True if hi is None else v <= sp.Rational(hi.numerator, hi.denominator)))
    return sp.Piecewise(*args)


def sympy_comparison(H: int = 3) -> None:
    """Redo the α-function construction of the exact H-step solution in sympy Piecewise."""
    m = model()
    X = m.X
    res = solve(m, [ROOT], H)
    imax = ROOT.inventory + H
    v = sp.Symbol("v", real=True)
    t0 = time.perf_counter()
    lik = {
        (a, o, i): _to_piecewise(X, m.lik[a][o], i, v)
        for a in range(len(A2))
        for o in OBS
        for i in range(imax + 2)
    }
    rbar = {(a, i): _to_piecewise(X, m.rbar[a], i, v) for a in range(len(A2)) for i in range(imax + 2)}
    t_conv = time.perf_counter() - t0
    g = sp.Rational(9, 10)
    sym = {0: [{i: sp.Integer(0) for i in range(imax + 2)}]}
    t0 = time.perf_counter()
    for h in range(1, H + 1):
        sym[h] = []
        for al in res.V[h]:
            a = al.action
            f = {}
            for i in range(imax + 2 - h):
                terms = []
                for o, j in zip(OBS, al.plan):
                    i2 = (i - 1 if i >= 1 else i) if o == "buy" else (i + 1 if o == "sell" else i)
                    terms.append(rbar[(a, i)] / 3 + g * lik[(a, o, i)] * sym[h - 1][j][i2])
                f[i] = sp.piecewise_fold(sp.Add(*terms))
            sym[h].append(f)
    t_sym = time.perf_counter() - t0
    t0 = time.perf_counter()
    j = res.best_alpha(ROOT, H)[0]
    val_sym = sp.integrate(sym[H][j][ROOT.inventory] / 50, (v, 50, 100))
    t_int_sym = time.perf_counter() - t0
    # the same α-functions with the XADD (fresh manager: no cached results)
    m2 = model()
    t0 = time.perf_counter()
    xs = {0: [m2.X.const(0)]}
    for h in range(1, H + 1):
        xs[h] = [
            m2.X.sum(m2.backproject(xs[h - 1][jj], al.action, o) for o, jj in zip(OBS, al.plan))
            for al in res.V[h]
        ]
    t_x = time.perf_counter() - t0
    t0 = time.perf_counter()
    val_x = m2.dot(xs[H][j], ROOT)
    t_int_x = time.perf_counter() - t0
    print(
        f"\nα-function construction for H = 1..{H} ({sum(len(res.V[h]) for h in range(1, H + 1))} α-functions):"
    )
    print(
        f"  sympy Piecewise : {t_sym:7.3f} s build (+ {t_conv:.3f} s converting inputs), "
        f"{t_int_sym:.3f} s to integrate the root α -> {sp.nsimplify(val_sym)}"
    )
    print(f"  mmkit.symbolic.xadd      : {t_x:7.3f} s build, {t_int_x:.4f} s to integrate -> {val_x}")
    print(f"  equal: {sp.Rational(val_x.numerator, val_x.denominator) == sp.nsimplify(val_sym)}")


if __name__ == "__main__":
    exact_table()
    bounded_table()
    sympy_comparison()
