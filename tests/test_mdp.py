"""Tests for mmkit.common.mdp: dual LP vs value iteration vs policy iteration vs QuantEcon."""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from mmkit.common import mdp as md


def random_mdp(seed, S=6, A=3, discount=0.9, sparse=False, drop=True):
    rng = np.random.default_rng(seed)
    P = rng.random((S, A, S)) ** 3
    P /= P.sum(axis=2, keepdims=True)
    R = rng.normal(size=(S, A))
    feas = np.ones((S, A), bool)
    if drop:
        feas[rng.random((S, A)) < 0.3] = False
        feas[np.arange(S), rng.integers(0, A, S)] = True
    m = md.FiniteMDP.from_dense(R, P, discount, feas)
    if sparse:
        m = md.FiniteMDP(m.R, sp.csr_matrix(m.P), m.s_indices, m.a_indices, discount, A)
    return m


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("sparse", [False, True])
def test_lp_vi_pi_agree(seed, sparse):
    m = random_mdp(seed, discount=0.95, sparse=sparse)
    lp = md.solve_dual_lp(m)
    vi = md.value_iteration(m, tol=1e-11)
    pi = md.policy_iteration(m)
    np.testing.assert_allclose(lp.V, pi.V, atol=1e-7)
    np.testing.assert_allclose(vi.V, pi.V, atol=1e-9)
    assert np.array_equal(lp.policy, pi.policy)
    assert np.array_equal(vi.policy, pi.policy)
    assert abs(lp.objective - lp.alpha @ pi.V) < 1e-8
    # the LP's x is the occupation measure of its policy
    np.testing.assert_allclose(lp.x, md.occupation_measure(m, lp.policy), atol=1e-8)
    assert abs(lp.x.sum() - 1 / (1 - m.discount)) < 1e-8


@pytest.mark.parametrize("seed", range(4))
def test_quantecon_cross_check(seed):
    m = random_mdp(seed, S=8, discount=0.9)
    res = md.to_quantecon(m).solve(method="policy_iteration")
    pi = md.policy_iteration(m)
    np.testing.assert_allclose(res.v, pi.V, atol=1e-10)
    assert np.array_equal(res.sigma, pi.policy)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.0, 0.99))
def test_bellman_fixed_point_and_policy_value(seed, lam):
    m = random_mdp(seed, S=5, A=2, discount=lam)
    sol = md.policy_iteration(m)
    pol, TV = md.greedy_policy(m, sol.V)
    np.testing.assert_allclose(TV, sol.V, atol=1e-9)
    np.testing.assert_allclose(md.policy_evaluation(m, sol.policy), sol.V, atol=1e-10)
    mask = md.optimal_action_mask(m, sol.V)
    assert mask[np.arange(m.n_states), sol.policy].all()
    # occupation measure: nonnegative, mass 1/(1-lambda)
    x = md.occupation_measure(m, sol.policy)
    assert x.min() >= -1e-12 and abs(x.sum() - 1 / (1 - lam)) < 1e-8


def test_docstring_example():
    P = np.array([[[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]])
    R = np.array([[0.0, 1.0], [0.0, 2.0]])
    sol = md.policy_iteration(md.FiniteMDP.from_dense(R, P, discount=0.5))
    assert sol.policy.tolist() == [1, 1]
    np.testing.assert_allclose(sol.V, [3.0, 4.0])


def test_bad_input():
    P = np.full((2, 2, 2), 0.5)
    R = np.zeros((2, 2))
    for bad in (1.0, -0.01, 1.5, float("nan")):
        with pytest.raises(ValueError, match="discount"):
            md.FiniteMDP.from_dense(R, P, bad)
    with pytest.raises(ValueError, match="sum to 1"):
        md.FiniteMDP.from_dense(R, P * 0.9, 0.5)
    with pytest.raises(ValueError, match="non-negative"):
        Q = P.copy()
        Q[0, 0] = [1.5, -0.5]
        md.FiniteMDP.from_dense(R, Q, 0.5)
    m = md.FiniteMDP.from_dense(R, P, 0.5)
    with pytest.raises(ValueError, match="alpha"):
        md.solve_dual_lp(m, alpha=np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="tol"):
        md.value_iteration(m, tol=0)


@pytest.mark.parametrize("discount", [0.9999, 0.999999])
def test_value_iteration_near_one_discount_finishes_exactly(discount):
    # plain value iteration cannot meet its stopping test here (threshold below the rounding of V)
    m = random_mdp(3, discount=discount)
    vi = md.value_iteration(m, max_iter=2000)
    pi = md.policy_iteration(m)
    lp = md.solve_dual_lp(m)
    assert vi.method == "value_iteration+policy_iteration"
    assert np.array_equal(vi.policy, pi.policy)
    scale = np.max(np.abs(pi.V))
    assert np.max(np.abs(vi.V - pi.V)) < 1e-9 * scale
    assert np.max(np.abs(lp.V - pi.V)) < 1e-6 * scale


def test_value_iteration_small_budget_switches_to_policy_iteration():
    m = random_mdp(4, discount=0.99)
    vi = md.value_iteration(m, max_iter=5)
    assert vi.method == "value_iteration+policy_iteration"
    np.testing.assert_allclose(vi.V, md.policy_iteration(m).V, rtol=1e-12)


@pytest.mark.parametrize("policy", [[-1, 0, 0, 0, 0, 0], [0, 0], [0.0] * 6, [99] * 6])
def test_policy_refuses_negative_short_float_or_out_of_range(policy):
    m = random_mdp(0, drop=False)
    with pytest.raises((ValueError, TypeError), match="policy"):
        md.policy_evaluation(m, np.array(policy))


# --------------------------------------------------------- QuantEcon-speed solvers vs DiscreteDP
def qe_pair(seed, S, A, discount, product, sparse=False):
    """The same random model as ours and as QuantEcon's DiscreteDP."""
    rng = np.random.default_rng(seed)
    P = rng.random((S, A, S)) ** 3
    P /= P.sum(axis=2, keepdims=True)
    R = rng.normal(size=(S, A))
    if product and not sparse:
        from quantecon.markov import DiscreteDP

        return md.FiniteMDP.from_dense(R, P, discount), DiscreteDP(R, P, discount)
    feas = np.ones((S, A), bool)
    if not product:
        feas[rng.random((S, A)) < 0.3] = False
        feas[np.arange(S), rng.integers(0, A, S)] = True
    m = md.FiniteMDP.from_dense(R, P, discount, feas)
    if sparse:
        m = md.FiniteMDP(m.R, sp.csr_matrix(m.P), m.s_indices, m.a_indices, discount, A)
    return m, md.to_quantecon(m)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(0, 10_000),
    st.sampled_from([0.0, 0.5, 0.9, 0.95]),
    st.booleans(),
    st.booleans(),
)
def test_fast_solvers_match_quantecon(seed, lam, product, sparse):
    m, qe = qe_pair(seed, S=12, A=3, discount=lam, product=product, sparse=sparse)
    pi, qpi = md.solve_policy_iteration(m), qe.solve("pi")
    assert np.array_equal(pi.policy, qpi.sigma)
    np.testing.assert_allclose(pi.V, qpi.v, atol=1e-9)
    for ours, theirs in (
        (md.solve_value_iteration(m, epsilon=1e-6), qe.solve("vi", epsilon=1e-6, max_iter=100_000)),
        (md.modified_policy_iteration(m, epsilon=1e-6), qe.solve("mpi", epsilon=1e-6, max_iter=100_000)),
    ):
        assert np.array_equal(ours.policy, theirs.sigma)
        assert ours.iterations == theirs.num_iter
        np.testing.assert_allclose(ours.V, theirs.v, atol=1e-9)
        assert np.max(np.abs(ours.V - pi.V)) < 1e-6  # epsilon-optimal


@pytest.mark.parametrize("method", ["direct", "gmres", "bicgstab"])
@pytest.mark.parametrize("sparse", [False, True])
def test_evaluate_policy_methods(method, sparse):
    m, _ = qe_pair(3, S=30, A=3, discount=0.95, product=False, sparse=sparse)
    pol = md.policy_iteration(m).policy
    exact = md.policy_evaluation(m, pol)
    np.testing.assert_allclose(md.evaluate_policy(m, pol, method), exact, atol=1e-9)
    # policy iteration on this evaluation (inexact steps for Krylov, then a tight confirmation)
    sol = md.solve_policy_iteration(m, evaluation=method)
    assert np.array_equal(sol.policy, pol)
    np.testing.assert_allclose(sol.V, exact, atol=1e-9)


def test_large_sparse_random_model_solved_fast():
    """A random sparse model (LU fill-in makes direct solves slow) by PI with BiCGSTAB and MPI."""
    import time

    n, A, k = 6000, 3, 8
    rng = np.random.default_rng(5)
    L = n * A
    cols = rng.integers(0, n, size=(L, k))
    w = rng.random((L, k))
    w /= w.sum(axis=1, keepdims=True)
    Q = sp.csr_matrix((w.ravel(), (np.repeat(np.arange(L), k), cols.ravel())), shape=(L, n))
    m = md.FiniteMDP(rng.normal(size=L), Q, np.repeat(np.arange(n), A), np.tile(np.arange(A), n), 0.95, A)
    t0 = time.process_time()
    pi = md.solve_policy_iteration(m)
    mpi = md.modified_policy_iteration(m, epsilon=1e-8)
    assert time.process_time() - t0 < 20.0
    assert np.array_equal(pi.policy, mpi.policy)
    TV, _ = md.bellman(m, pi.V)
    assert np.max(np.abs(TV - pi.V)) < 1e-8


def test_from_dense_product_form_is_a_view_and_from_product_unchecked():
    rng = np.random.default_rng(0)
    P = rng.random((4, 2, 4))
    P /= P.sum(axis=2, keepdims=True)
    R = rng.normal(size=(4, 2))
    m = md.FiniteMDP.from_dense(R, P, 0.9)
    assert np.shares_memory(m.P, P)
    u = md.FiniteMDP.from_product(R, P, 0.9, check=False)
    assert np.array_equal(md.solve_policy_iteration(u).policy, md.policy_iteration(m).policy)
    with pytest.raises(ValueError, match="rows of P"):
        md.FiniteMDP.from_dense(R, P * 1.1, 0.9)


@pytest.mark.parametrize(
    "kwargs, match",
    [({"epsilon": 0.0}, "epsilon"), ({"max_iter": 0}, "max_iter"), ({"k": -1}, "k must")],
)
def test_mpi_rejects_bad_arguments(kwargs, match):
    m, _ = qe_pair(0, S=4, A=2, discount=0.9, product=True)
    with pytest.raises(ValueError, match=match):
        md.modified_policy_iteration(m, **kwargs)


def test_evaluate_policy_rejects_unknown_method():
    m, _ = qe_pair(0, S=4, A=2, discount=0.9, product=True)
    with pytest.raises(ValueError, match="method must be one of"):
        md.evaluate_policy(m, np.zeros(4, int), method="cg")


@pytest.mark.parametrize(
    "row, match",
    [
        ([np.nan, 1.0], "finite"),
        ([np.inf, -np.inf], "finite"),  # would cancel in a row sum
        ([np.inf, 0.0], "finite"),
        ([1.5, -0.5], "non-negative"),  # sums to 1
        ([0.5, 0.4], "sum to 1"),
        ([-0.0, 1.0], None),  # -0.0 is a valid zero
    ],
)
def test_cheap_validation_keeps_every_check(row, match):
    """The two-pass check of P (minimum and row sums) refuses what the element-wise checks did,
    for dense and sparse P, through every constructor."""
    P = np.full((2, 2, 2), 0.5)
    P[1, 1] = row
    R = np.zeros((2, 2))
    builds = [
        lambda: md.FiniteMDP.from_dense(R, P, 0.5),
        lambda: md.FiniteMDP.from_product(R, P, 0.5),
        lambda: md.FiniteMDP(R.ravel(), P.reshape(4, 2), [0, 0, 1, 1], [0, 1, 0, 1], 0.5),
        lambda: md.FiniteMDP(R.ravel(), sp.csr_matrix(P.reshape(4, 2)), [0, 0, 1, 1], [0, 1, 0, 1], 0.5),
    ]
    for build in builds:
        if match is None:
            assert build().n_states == 2
        else:
            with pytest.raises(ValueError, match=match):
                build()


def test_bicgstab_reports_failure_and_evaluation_falls_back_to_the_exact_solve():
    m, _ = qe_pair(3, S=30, A=3, discount=0.95, product=False, sparse=True)
    pol = md.policy_iteration(m).policy
    rows = m.pair_index(pol)
    P_pi, r = m.P[rows], m.R[rows]
    assert md._bicgstab(P_pi, m.discount, r, None, 1e-12, maxiter=1) is None  # too few steps
    x = md._bicgstab(P_pi, m.discount, r, None, 1e-12, maxiter=300)
    exact = md.policy_evaluation(m, pol)
    np.testing.assert_allclose(x, exact, atol=1e-9)
