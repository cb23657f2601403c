"""Pressure-matrix accuracy on a nearly decomposable chain, against exact rational enumeration.

``method="direct"`` (the default, ``auto``) sums non-negative terms only, so every entry (down
to 1e-36 here) has the relative accuracy stated in :func:`mmkit.markov_market.pressure_matrix`;
the tilted FFT is accurate only in absolute terms, about 1e-11 on this chain.
"""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import numpy as np
import pytest

from mmkit.markov_market import pressure_matrix


def exact_stationary(T):
    """Stationary law of a small rational chain by exact Gaussian elimination."""
    n = len(T)
    # solve pi (T - I) = 0, sum pi = 1 by Gaussian elimination in Fractions
    A = [[T[j][i] - (1 if i == j else 0) for j in range(n)] for i in range(n)]
    A[-1] = [F(1)] * n
    b = [F(0)] * (n - 1) + [F(1)]
    M = [row[:] + [bb] for row, bb in zip(A, b)]
    for c in range(n):
        p = next(r for r in range(c, n) if M[r][c] != 0)
        M[c], M[p] = M[p], M[c]
        for r in range(n):
            if r != c and M[r][c] != 0:
                f = M[r][c] / M[c][c]
                M[r] = [x - f * y for x, y in zip(M[r], M[c])]
    return [M[i][n] / M[i][i] for i in range(n)]


def exact_M(Ts):
    """M(s, d) by enumerating all 3^N x 3^N configuration pairs in exact rationals."""
    pis = [exact_stationary(T) for T in Ts]
    N = len(Ts)
    num = {}
    den = {}
    for x in itertools.product(range(3), repeat=N):
        w = F(1)
        for k, xi in enumerate(x):
            w *= pis[k][xi]
        if w == 0:
            continue
        s = sum(xi - 1 for xi in x)
        den[s] = den.get(s, 0) + w
        for y in itertools.product(range(3), repeat=N):
            p = w
            for k, (xi, yi) in enumerate(zip(x, y)):
                p *= Ts[k][xi][yi]
                if p == 0:
                    break
            if p == 0:
                continue
            d = sum(yi - 1 for yi in y)
            num[(s, d)] = num.get((s, d), 0) + p
    Mx = np.zeros((2 * N + 1, 2 * N + 1), dtype=object)
    for (s, d), v in num.items():
        Mx[s + N, d + N] = v / den[s]
    return Mx


def exact_M_fast(Ts):
    """The same M in exact rationals, per configuration x the law of sum x' by exact convolution
    (3^N N^2 operations instead of 9^N N: feasible at N = 6)."""
    pis = [exact_stationary(T) for T in Ts]
    N = len(Ts)
    num: dict = {}
    den: dict = {}
    for x in itertools.product(range(3), repeat=N):
        w = F(1)
        for k, xi in enumerate(x):
            w *= pis[k][xi]
        if w == 0:
            continue
        s = sum(xi - 1 for xi in x)
        den[s] = den.get(s, 0) + w
        law = {0: w}  # law of the partial sum of next states, times w
        for k, xi in enumerate(x):
            nxt: dict = {}
            for d, p in law.items():
                for yi in range(3):
                    t = Ts[k][xi][yi]
                    if t:
                        nxt[d + yi - 1] = nxt.get(d + yi - 1, 0) + p * t
            law = nxt
        for d, p in law.items():
            num[(s, d)] = num.get((s, d), 0) + p
    Mx = np.zeros((2 * N + 1, 2 * N + 1), dtype=object)
    for (s, d), v in num.items():
        Mx[s + N, d + N] = v / den[s]
    return Mx


E = F(1, 2**20)  # exact in binary, so the float chain equals the rational one
T1 = [[1 - E, E, F(0)], [F(1, 2), F(0), F(1, 2)], [F(0), E, 1 - E]]
T2 = [[F(1, 2), F(1, 4), F(1, 4)], [E, 1 - 2 * E, E], [F(1, 4), F(1, 4), F(1, 2)]]
CHAIN = [T1, T1, T2, T2]


@pytest.fixture(scope="module")
def exact():
    return exact_M(CHAIN)


def _errors(M, Mx):
    rel, ab = 0.0, 0.0
    for i in range(Mx.shape[0]):
        for j in range(Mx.shape[1]):
            ex = Mx[i, j]
            err = abs(F(float(M[i, j])) - ex)
            ab = max(ab, float(err))
            if ex != 0:
                rel = max(rel, float(err / ex))
    return rel, ab


def _float_chain(chain=CHAIN):
    return [np.array([[float(v) for v in r] for r in T]) for T in chain]


def test_exact_reference_has_tiny_entries(exact):
    assert min(float(v) for v in exact.ravel() if v != 0) < 1e-20


def test_direct_method_has_relative_accuracy_on_every_entry(exact):
    rel, _ = _errors(pressure_matrix(_float_chain(), method="direct"), exact)
    assert rel < 1e-13


def test_fft_method_has_the_documented_absolute_accuracy(exact):
    # documented in pressure_matrix: absolute accuracy only, about 1e-11 on this chain (the
    # tiny entries have no relative accuracy at all); method="direct" is the accurate one
    rel, ab = _errors(pressure_matrix(_float_chain(), method="fft"), exact)
    assert ab < 1e-10
    assert rel > 1.0  # the limitation is real: a relative bound cannot be stated for the FFT


CHAIN6 = [T1, T1, T1, T2, T2, T2]


def test_fast_enumeration_matches_pair_enumeration(exact):
    assert (exact_M_fast(CHAIN) == exact).all()


def test_default_method_meets_the_stated_relative_accuracy_per_entry():
    """pressure_matrix's default (auto = direct) against exact rationals at N = 6: every nonzero
    entry within the docstring's bound 4 N (1 + max |log P(S = s)|) eps, zeros exactly zero."""
    from mmkit.markov_market import pressure_log_marginal

    Mx = exact_M_fast(CHAIN6)
    chain = _float_chain(CHAIN6)
    M = pressure_matrix(chain)
    N = len(CHAIN6)
    bound = 4 * N * (1 + np.max(np.abs(pressure_log_marginal(chain)))) * np.finfo(float).eps
    assert min(float(v) for v in Mx.ravel() if v != 0) < 1e-30  # tiny entries are present
    worst = 0.0
    for (i, j), ex in np.ndenumerate(Mx):
        if ex == 0:
            assert M[i, j] == 0.0
        else:
            worst = max(worst, float(abs(F(float(M[i, j])) - ex) / ex))
    assert worst <= bound
    assert worst < 1e-13  # far inside the bound in practice


def _reference_mp(chain, prec: int = 300):
    """Joint law of (S, S') for a rational chain, by the 2-D convolutions in 300-bit mpmath."""
    mpmath = pytest.importorskip("mpmath")
    ctx = mpmath.mp.clone()
    ctx.prec = prec

    def mp(x):
        return ctx.mpf(x.numerator) / x.denominator

    N, n = len(chain), 2 * len(chain) + 1
    J = np.full((n, n), ctx.mpf(0), dtype=object)
    J[N, N] = ctx.mpf(1)
    for T in chain:
        pi = exact_stationary(T)
        new = np.full((n, n), ctx.mpf(0), dtype=object)
        for x in range(3):
            for y in range(3):
                c = mp(pi[x]) * mp(T[x][y])
                if c == 0:
                    continue
                sx, sy = x - 1, y - 1
                src = J[max(0, -sx) : n - max(0, sx), max(0, -sy) : n - max(0, sy)]
                new[max(0, sx) : n - max(0, -sx), max(0, sy) : n - max(0, -sy)] += c * src
        J = new
    return ctx, J


def test_default_method_relative_accuracy_at_n10_against_300_bit_reference():
    from mmkit.markov_market import pressure_log_marginal

    chain = [T1] * 5 + [T2] * 5
    ctx, J = _reference_mp(chain)
    fl = _float_chain(chain)
    M = pressure_matrix(fl)
    bound = 4 * len(chain) * (1 + np.max(np.abs(pressure_log_marginal(fl)))) * np.finfo(float).eps
    worst, smallest = 0.0, 1.0
    for i in range(J.shape[0]):
        row = sum(J[i])
        for j in range(J.shape[1]):
            if J[i, j] == 0:
                assert M[i, j] == 0.0
                continue
            ex = J[i, j] / row
            smallest = min(smallest, float(ex))
            worst = max(worst, float(abs(ctx.mpf(float(M[i, j])) - ex) / ex))
    assert smallest < 1e-50  # entries far below the FFT's absolute error
    assert worst <= bound
