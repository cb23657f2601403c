"""Tests for mmkit.markov_market.lumpability and readings (Markov error, readings of the table)."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmkit import markov_market as mm
from mmkit.common import mdp as md
from mmkit.markov_market import lumpability as lump
from mmkit.markov_market import readings as rd

T1 = np.array([[0.3, 0.4, 0.3]] * 3)
T2 = np.array([[0.4, 0.3, 0.3], [0.4, 0.2, 0.4], [0.3, 0.4, 0.3]])
TABLE = np.array(
    [[1, -1, 1, 0, -1], [0, -1, 1, -1, -1], [1, -1, -1, -1, -1], [0, -1, -1, -1, -1], [0, -1, -1, -1, -1]]
)


def test_two_step_conditional_by_brute_force_triples():
    """P(S2 | S0, S1) from enumerating (x0, x1, x2) triples equals the matrix formula."""
    ag = lump.persistent_agents(2, 0.5)
    ch = lump.config_chain(ag)
    n = 5
    joint = np.zeros((n, n, n))
    for a, b, c in itertools.product(range(9), repeat=3):
        joint[ch.S[a] + 2, ch.S[b] + 2, ch.S[c] + 2] += ch.w[a] * ch.T[a, b] * ch.T[b, c]
    P3, J = lump.two_step_conditional(ag)
    np.testing.assert_allclose(J, joint.sum(axis=2), atol=1e-14)
    ok = J > 0
    np.testing.assert_allclose(P3[ok], (joint / np.where(J > 0, J, 1)[:, :, None])[ok], atol=1e-12)


def test_marginal_of_two_step_is_M():
    """Averaging P(S2 | S0, S1) over S0 gives M(S1, .), by stationarity."""
    ag = lump.persistent_agents(3, 0.7)
    P3, J = lump.two_step_conditional(ag)
    M = mm.pressure_matrix(ag)
    avg = np.einsum("st,std->td", J, P3) / J.sum(axis=0)[:, None]
    np.testing.assert_allclose(avg, M, atol=1e-12)


@settings(max_examples=10, deadline=None)
@given(st.integers(2, 4))
def test_memoryless_agents_are_markov(N):
    ag = lump.persistent_agents(N, 0.0)
    assert lump.lumpability_gap(ag)[0] < 1e-12
    assert lump.two_step_error(ag) < 1e-12
    pv = lump.policy_value_error(ag)
    assert pv.state_error < 1e-9 and pv.rel_error < 1e-9


def test_persistent_agents_are_not_markov_and_value_error_is_state_wise():
    ag = lump.persistent_agents(3, 0.6)
    assert lump.lumpability_gap(ag)[0] > 0.01
    assert lump.two_step_error(ag) > 0.005
    pv = lump.policy_value_error(lump.persistent_agents(3, 0.9))
    assert pv.state_error > 0.02 > 0.001 > pv.rel_error
    assert pv.optimal >= pv.actual - 1e-9  # the agent-level optimum is an upper bound


def test_policy_value_error_matches_exact_linear_solve():
    """The agent-level value of M's policy by iteration equals a direct linear solve."""
    ag = lump.persistent_agents(2, 0.4)
    ch = lump.config_chain(ag)
    sol = md.policy_iteration(mm.trading_mdp(mm.pressure_matrix(ag), 0.1, 0.9))
    act = mm.policy_table(sol.policy, 2)
    r, nxt = lump._agent_level(ch, 0.1)
    pol = act[ch.S + 2] + 1
    V_it = lump._iterate(ch, r, nxt, 0.9, pol)
    nx, npos = 9, 5
    A, b = np.eye(nx * npos), np.zeros(nx * npos)
    for x, p in itertools.product(range(nx), range(npos)):
        k = x * npos + p
        b[k] = r[x, p, pol[x, p]]
        A[k, np.arange(nx) * npos + nxt[p, pol[x, p]]] -= 0.9 * ch.T[x]
    np.testing.assert_allclose(V_it.ravel(), np.linalg.solve(A, b), atol=1e-9)


def test_markov_test_calibrated_on_iid_and_powerful_on_persistent():
    rng = np.random.default_rng(0)
    X = mm.simulate_agents(lump.persistent_agents(2, 0.0), 200_000, rng)
    assert lump.markov_test(X.sum(axis=1), 2).pvalue > 1e-3
    X = mm.simulate_agents(lump.persistent_agents(3, 0.6), 200_000, np.random.default_rng(1))
    assert lump.markov_test(X.sum(axis=1), 3).pvalue < 1e-6


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: lump.persistent_agents(0, 0.5), "N must be"),
        (lambda: lump.persistent_agents(2, 1.0), "rho"),
        (lambda: lump.config_chain([T1] * 9), "N must be <= 8"),
        (lambda: lump.markov_test(np.array([0, 1]), 2), "pressure must be"),
        (lambda: lump.policy_value_error([T1, T2], discount=1.0), "discount"),
        (lambda: rd.tie_aware_hits(np.ones((25, 3), bool), np.full((5, 5), 2)), "table"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_solve_dense_matches_policy_iteration():
    M = mm.pressure_matrix([T1, T2])
    for c, lam in [(0.1, 0.95), (0.0, 0.5), (1.0, 0.0)]:
        m = mm.trading_mdp(M, c, lam)
        V, _ = rd.solve_dense(*rd.dense_arrays(m), lam)
        np.testing.assert_allclose(V, md.policy_iteration(m).V, atol=1e-10)


def test_literal_agreement_and_sweep():
    M = mm.pressure_matrix([T1, T2])
    assert rd.reading_agreement(mm.trading_mdp(M, 0.1, 0.95), TABLE) == (12, 12)
    sw = rd.agreement_sweep(M, TABLE, [0.0, 0.1], [0.95])
    assert sw.tolist() == [[20, 12]]


def test_impossible_margins_attain_the_coupling_bound():
    M = mm.pressure_matrix([T1, T2])
    entries = [(-1, 0, 1), (-2, 0, 1), (-2, 1, 0)]
    margins, taken = rd.impossible_margins(M, entries, np.linspace(0, 2, 21), [0.0, 0.9])
    bound = rd.coupling_bounds(M, entries)
    assert taken == 0
    assert np.all(margins >= bound - 1e-9)
    np.testing.assert_allclose(margins.min(axis=0), bound, atol=1e-9)


def test_wide_search_counts_and_identity_reading():
    M = mm.pressure_matrix([T1, T2])
    res = rd.wide_search(M, TABLE, c_values=(0.1,))
    assert res.n_readings == 120 * 2 * 1 * 2 * 120 * 6 == res.histogram.sum()
    assert res.identity_best >= 12
    assert 12 <= res.best < 25
    ex = res.examples[0]
    # re-score the first best reading by hand
    sigma = np.array(ex["sigma"])
    Ms = M[np.ix_(sigma, sigma)]
    m = mm.trading_mdp(Ms, ex["c"], 0.95)
    if ex["reward"] == "change":
        R, P = rd._change_reward_arrays(Ms, ex["c"])
    else:
        R, P = rd.dense_arrays(m)
    V, Q = rd.solve_dense(R, P, 0.95)
    mask = (Q >= V[:, None] - 1e-9).reshape(5, 5, 3)
    tab = TABLE.T if ex["transposed"] else TABLE
    relab = {a: b for a, b in zip((-1, 0, 1), ex["actions"])}
    hits = sum(mask[ex["rows"][r], p, relab[int(tab[r, p])] + 1] for r in range(5) for p in range(5))
    assert hits == res.best


def test_trading_mdp_solvers_agree_with_quantecon():
    """The chapter's trading MDP: LP, PI, VI, MPI and QuantEcon's DiscreteDP give one policy."""
    m = mm.trading_mdp(mm.pressure_matrix([T1, T2]), 0.1, 0.95)
    qe = md.to_quantecon(m).solve(method="policy_iteration")
    pi = md.policy_iteration(m)
    for pol in (qe.sigma, md.solve_dual_lp(m).policy, md.modified_policy_iteration(m, 1e-10).policy):
        assert np.array_equal(pol, pi.policy)
    np.testing.assert_allclose(qe.v, pi.V, atol=1e-10)


def test_chance_baseline_is_seeded_and_bounded():
    M = mm.pressure_matrix([T1, T2])
    a = rd.chance_baseline(M, TABLE, 2, seed=3, c_values=(0.1,))
    b = rd.chance_baseline(M, TABLE, 2, seed=3, c_values=(0.1,))
    assert a.tolist() == b.tolist()
    assert np.all((a >= 0) & (a <= 25))
    with pytest.raises(ValueError, match="n_tables"):
        rd.chance_baseline(M, TABLE, 0, seed=3)
