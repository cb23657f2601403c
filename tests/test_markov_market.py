"""Tests for mmkit.markov_market.pressure: GF vs brute force, FFT vs direct, invariants, bad input."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmkit import markov_market as mm

T1 = np.array([[0.3, 0.4, 0.3]] * 3)
T2 = np.array([[0.4, 0.3, 0.3], [0.4, 0.2, 0.4], [0.3, 0.4, 0.3]])
SLIDES_M = np.array(
    [
        [0.120000, 0.250000, 0.330000, 0.210000, 0.090000],
        [0.120000, 0.238533, 0.326178, 0.213822, 0.101467],
        [0.111000, 0.236000, 0.329333, 0.222667, 0.101000],
        [0.102222, 0.231852, 0.331852, 0.231852, 0.102222],
        [0.090000, 0.240000, 0.340000, 0.240000, 0.090000],
    ]
)
T_PERS = np.array([[0.8, 0.15, 0.05], [0.1, 0.8, 0.1], [0.05, 0.15, 0.8]])


@st.composite
def stochastic3(draw, positive=True):
    lo = 0.02 if positive else 0.0
    rows = [draw(st.lists(st.floats(lo, 1.0), min_size=3, max_size=3)) for _ in range(3)]
    A = np.array(rows) + (1e-3 if not positive else 0.0)
    return A / A.sum(axis=1, keepdims=True)


def joint_enumeration(Ts, weighting):
    """M from enumerating (x, x') pairs of all agents (9^N terms): fully independent."""
    N = len(Ts)
    ws = [mm.agent_weights(T, weighting) for T in Ts]
    num = np.zeros((2 * N + 1, 2 * N + 1))
    for x in itertools.product(range(3), repeat=N):
        wx = np.prod([w[i] for w, i in zip(ws, x)])
        for xp in itertools.product(range(3), repeat=N):
            p = np.prod([T[i, j] for T, i, j in zip(Ts, x, xp)])
            num[sum(x) - N + N, sum(xp) - N + N] += wx * p
    return num / num.sum(axis=1, keepdims=True)


def test_slides_matrix_reproduced():
    M = mm.pressure_matrix([T1, T2])
    assert np.max(np.abs(M - SLIDES_M)) <= 5e-7
    U = mm.pressure_matrix([T1, T2], weighting="uniform")
    assert np.max(np.abs(U - SLIDES_M)) > 3e-3


def test_stationary_gth_known_values():
    np.testing.assert_allclose(mm.stationary_distribution(T2), np.array([40, 33, 36]) / 109, rtol=1e-14)
    # nearly decomposable chain: relative accuracy of a tiny entry
    eps = 1e-12
    T = np.array([[1 - eps, eps, 0.0], [0.5, 0.0, 0.5], [0.0, eps, 1 - eps]])
    pi = mm.stationary_distribution(T)
    a = 1 / (2 + 2 * eps)  # pi = (a, 2 eps a, a)
    np.testing.assert_allclose(pi, [a, 2 * eps * a, a], rtol=1e-12)


@pytest.mark.parametrize("weighting", ["stationary", "uniform"])
def test_gf_equals_joint_enumeration(weighting):
    Ts = [T1, T2, T_PERS]
    M = mm.pressure_matrix(Ts, weighting=weighting)
    np.testing.assert_allclose(M, joint_enumeration(Ts, weighting), atol=1e-14)


def test_gf_equals_brute_force_mixed_groups():
    groups = [mm.AgentGroup(T1, 3), mm.AgentGroup(T2, 3), mm.AgentGroup(T_PERS, 3)]
    Mb = mm.brute_force_pressure_matrix(groups)
    for method in ("direct", "fft"):
        np.testing.assert_allclose(mm.pressure_matrix(groups, method=method), Mb, atol=1e-11)


def test_fft_matches_direct_large():
    groups = [mm.AgentGroup(T2, 70), mm.AgentGroup(T_PERS, 50)]
    a = mm.pressure_matrix(groups, method="direct")
    b = mm.pressure_matrix(groups, method="fft")
    assert np.max(np.abs(a - b)) < 1e-9


def test_n1000_stable():
    M = mm.pressure_matrix([mm.AgentGroup(T2, 1000)], method="fft")  # the default is O(N^3)
    assert M.shape == (2001, 2001)
    assert np.all(np.isfinite(M)) and M.min() >= 0
    np.testing.assert_allclose(M.sum(axis=1), 1.0, atol=1e-12)
    p = mm.pressure_distribution([mm.AgentGroup(T2, 1000)])
    assert np.max(np.abs(p @ M - p)) < 1e-10
    # extreme row: all agents sell, so the next pressure is a sum of 1000 draws from T2[-1]
    mean_extreme = 1000 * (T2[0] @ np.array([-1, 0, 1]))
    assert abs(mm.expected_next(M)[0] - mean_extreme) < 1e-6


def test_zero_weight_rows_fall_back_to_uniform():
    # agent never holds in the stationary law: odd pressure levels unreachable for N = 2
    T = np.array([[0.5, 0.0, 0.5], [0.5, 0.0, 0.5], [0.5, 0.0, 0.5]])
    M = mm.pressure_matrix([T, T])
    U = mm.pressure_matrix([T, T], weighting="uniform")
    np.testing.assert_allclose(M[[1, 3]], U[[1, 3]])
    np.testing.assert_allclose(M, mm.brute_force_pressure_matrix([T, T]), atol=1e-14)
    np.testing.assert_allclose(mm.pressure_matrix([T, T], method="fft"), M, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.lists(stochastic3(), min_size=1, max_size=4), st.sampled_from(["stationary", "uniform"]))
def test_rows_sum_to_one_and_stationary_invariance(Ts, weighting):
    M = mm.pressure_matrix(Ts, weighting=weighting)
    np.testing.assert_allclose(M.sum(axis=1), 1.0, atol=1e-12)
    assert M.min() >= 0
    np.testing.assert_allclose(M, mm.brute_force_pressure_matrix(Ts, weighting), atol=1e-12)
    if weighting == "stationary":
        p = mm.pressure_distribution(Ts)
        np.testing.assert_allclose(p @ M, p, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(stochastic3(positive=False))
def test_stationary_invariance_property(T):
    pi = mm.stationary_distribution(T)
    assert abs(pi.sum() - 1) < 1e-12 and pi.min() >= 0
    np.testing.assert_allclose(pi @ T, pi, atol=1e-12)


def test_simulation_matches_analytic():
    X = mm.simulate_agents([T1, T2], 200_000, np.random.default_rng(1))
    assert X.dtype == np.int8 and set(np.unique(X)) <= {-1, 0, 1}
    F, visits = mm.empirical_transition_matrix(X.sum(axis=1), 2)
    se = np.sqrt(SLIDES_M * (1 - SLIDES_M) / visits[:, None])
    assert np.max(np.abs(F - SLIDES_M) / se) < 5


def test_simulation_scan_matches_stepwise_loop():
    rng = np.random.default_rng(5)
    X = mm.simulate_agents([T_PERS, T2], 300, rng, x0=np.array([0, 1]), chunk=64)
    # replay with the same uniforms, one step at a time
    rng = np.random.default_rng(5)
    x = np.array([1, 2])
    cums = [np.cumsum(T, axis=1) for T in (T_PERS, T2)]
    for t in range(300):
        if t % 64 == 0:
            u = rng.random((min(64, 300 - t), 2))
        uu = u[t % 64]
        x = np.array([(uu[k] > cums[k][x[k]][:2]).sum() for k in range(2)])
        assert np.array_equal(x - 1, X[t + 1])


def test_seeded_simulation_is_deterministic():
    a = mm.simulate_agents([T1, T2], 1000, np.random.default_rng(3))
    b = mm.simulate_agents([T1, T2], 1000, np.random.default_rng(3))
    assert np.array_equal(a, b)


def test_trading_mdp_literal_policy_and_lp_value():
    from mmkit.common import mdp as md

    M = mm.pressure_matrix([T1, T2])
    m = mm.trading_mdp(M)
    lp = md.solve_dual_lp(m)
    assert abs(lp.objective - 0.283998) < 5e-7
    tab = mm.policy_table(lp.policy, 2)
    expected = np.array(
        [[0, -1, -1, -1, -1], [1, 0, -1, -1, -1], [1, 0, -1, -1, -1], [1, 1, 0, -1, -1], [1, 1, 0, -1, -1]]
    )
    assert np.array_equal(tab, expected)


@pytest.mark.parametrize("c", [0.0, 0.1, 1.0, 5.0])
@pytest.mark.parametrize("lam", [0.0, 0.5, 0.95, 0.99])
def test_impossible_entries_never_optimal(c, lam):
    from mmkit.common import mdp as md

    M = mm.pressure_matrix([T1, T2])
    for bounds in ("restrict", "clip"):
        m = mm.trading_mdp(M, c, lam, mm.TradingReading(bounds=bounds))
        sol = md.policy_iteration(m)
        mask = md.optimal_action_mask(m, sol.V, tol=1e-12)
        for i, p, a in [(-1, 0, 1), (-2, 0, 1), (-2, 1, 0)]:
            assert not mask[(i + 2) * 5 + (p + 2), a + 1]


def test_bad_input():
    with pytest.raises(ValueError, match="3x3"):
        mm.AgentGroup(np.eye(2))
    with pytest.raises(ValueError, match=">= 0"):
        mm.pressure_matrix([np.array([[1.2, -0.2, 0], [0, 1, 0], [0, 0, 1]])])
    with pytest.raises(ValueError, match="sum to 1"):
        mm.pressure_matrix([np.array([[0.5, 0.4, 0], [0, 1, 0], [0, 0, 1]])])
    with pytest.raises(ValueError, match="N"):
        mm.AgentGroup(T1, 0)
    with pytest.raises(ValueError, match="N"):
        mm.pressure_matrix([])
    with pytest.raises(ValueError, match="discount"):
        mm.trading_mdp(SLIDES_M, discount=1.0)
    with pytest.raises(ValueError, match="discount"):
        mm.trading_mdp(SLIDES_M, discount=-0.1)
    with pytest.raises(ValueError, match="reading"):
        mm.trading_mdp(SLIDES_M, reading="sideways")
    with pytest.raises(ValueError, match="weighting"):
        mm.pressure_matrix([T1], weighting="random")
    with pytest.raises(ValueError, match="method"):
        mm.pressure_matrix([T1], method="magic")
    with pytest.raises(ValueError, match="bounds"):
        mm.TradingReading(bounds="wrap")


@settings(max_examples=60, deadline=None)
@given(st.floats(0.0, 5.0), st.floats(0.0, 0.99), st.sampled_from(["restrict", "clip"]))
def test_three_slide_entries_never_optimal_with_proof_margin(c, lam, bounds):
    """The chapter's coupling proof: from (-1,0) and (-2,0) buying, and at (-2,1) holding, is
    worse than the mirrored policy by at least its first-step gain (-2 m(i) or -m(-2)),
    for every c >= 0 and discount."""
    from mmkit.common import mdp as md

    M = mm.pressure_matrix([T1, T2])
    m = mm.expected_next(M)
    mdp = mm.trading_mdp(M, c, lam, mm.TradingReading(bounds=bounds))
    sol = md.policy_iteration(mdp)
    Q = np.full((25, 3), -np.inf)
    Q[mdp.s_indices, mdp.a_indices] = md.q_values(mdp, sol.V)
    for (i, pos, a), gain in (((-1, 0, 1), -2 * m[1]), ((-2, 0, 1), -2 * m[0]), ((-2, 1, 0), -m[0])):
        s = (i + 2) * 5 + (pos + 2)
        assert gain > 0
        assert sol.V[s] - Q[s, a + 1] >= gain - 1e-9


def test_as_groups_reads_one_matrix_given_as_nested_lists():
    T = [[0.5, 0.3, 0.2], [0.2, 0.6, 0.2], [0.1, 0.3, 0.6]]
    (g,) = mm.as_groups(T)
    assert g.n == 1 and np.array_equal(g.T, np.array(T))
    assert len(mm.as_groups([T, np.array(T)])) == 2
    assert len(mm.as_groups([mm.AgentGroup(np.array(T), 3), T])) == 2
