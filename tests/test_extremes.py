"""Legal extreme inputs: results are finite and correct, or a clear error; never a silent NaN."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmkit.common import mdp as md
from mmkit.common.markov import stationary_distribution
from mmkit.cost_function import LMSR, LSLMSR, QuadraticMSR
from mmkit.markov_market import pressure_matrix


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 6),
    log_eps=st.floats(-300, -1),
    seed=st.integers(0, 2**16),
)
def test_stationary_law_of_nearly_decomposable_chains_is_finite_and_stationary(n, log_eps, seed):
    rng = np.random.default_rng(seed)
    eps = 10.0 ** (log_eps + rng.uniform(-1, 0, n))  # tiny exit probabilities, one per state
    T = np.diag(1 - eps) + np.roll(np.diag(eps), 1, axis=1)  # a ring: i -> i+1 with prob eps_i
    pi = stationary_distribution(T)
    assert np.all(np.isfinite(pi)) and abs(pi.sum() - 1) < 1e-12
    # exact law: pi_i proportional to 1 / eps_i (flow balance pi_i eps_i = const)
    ref = (1 / eps) / np.sum(1 / eps)
    np.testing.assert_allclose(pi, ref, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(q=st.lists(st.floats(-1e300, 1e300), min_size=2, max_size=5), b=st.floats(1e-6, 1e6))
def test_lmsr_prices_are_a_probability_vector_at_extreme_quantities(q, b):
    p = LMSR(b).prices(q)
    assert np.all(np.isfinite(p)) and np.all(p >= 0) and abs(p.sum() - 1) < 1e-12


@settings(max_examples=40, deadline=None)
@given(q=st.lists(st.floats(1e-3, 1e12), min_size=2, max_size=4), alpha=st.floats(1e-4, 10))
def test_ls_lmsr_prices_finite_at_extreme_quantities(q, alpha):
    p = LSLMSR(alpha).prices(q)
    assert np.all(np.isfinite(p)) and np.all(p >= 0)  # exact 0 where the price is below 1e-16 of 1


def test_quadratic_msr_refuses_or_answers_finite_at_huge_quantities():
    for q in ([1e300, 0.0], [1e-300, 0.0]):
        p = QuadraticMSR(1.0).prices(q)
        assert np.all(np.isfinite(p))


@pytest.mark.parametrize("discount", [0.0, 0.5, 0.999, 0.99999])
def test_value_iteration_finite_and_equal_to_policy_iteration(discount):
    rng = np.random.default_rng(5)
    P = rng.random((4, 2, 4))
    P /= P.sum(axis=2, keepdims=True)
    R = rng.normal(size=(4, 2)) * 1e6
    m = md.FiniteMDP.from_dense(R, P, discount)
    vi, pi = md.value_iteration(m, max_iter=5000), md.policy_iteration(m)
    assert np.all(np.isfinite(vi.V))
    assert np.array_equal(vi.policy, pi.policy)
    assert np.max(np.abs(vi.V - pi.V)) <= 1e-8 * max(1.0, np.max(np.abs(pi.V)))


def test_pressure_matrix_of_agents_with_zero_entries_is_stochastic():
    T = np.array([[1.0, 0.0, 0.0], [0.5, 0.0, 0.5], [0.0, 0.0, 1.0]])  # two absorbing states
    with pytest.raises(ValueError, match="closed classes"):
        pressure_matrix([T, T])
    T2 = np.array([[0.0, 1.0, 0.0], [0.0, 0.5, 0.5], [1.0, 0.0, 0.0]])  # irreducible, zeros
    M = pressure_matrix([T2, T2], method="direct")
    assert np.all(np.isfinite(M)) and np.max(np.abs(M.sum(axis=1) - 1)) < 1e-12
