"""Stationary laws of arbitrary finite chains (transient states, zero entries, several classes)."""

import numpy as np
import pytest

from mmkit.common.markov import closed_classes, stationary_distribution


def _random_sparse_chain(rng, n, density):
    """A random stochastic matrix with many zero entries (every row keeps one positive entry)."""
    A = rng.random((n, n)) * (rng.random((n, n)) < density)
    A[np.arange(n), rng.integers(0, n, n)] += rng.random(n) + 0.01
    return A / A.sum(axis=1, keepdims=True)


def _lazy_limit(T, mu):
    """Independent reference: mu @ L^(2^60) by repeated squaring of the lazy chain L = (I + T)/2.

    The lazy chain has the same stationary laws and absorption probabilities as T and is
    aperiodic, so mu L^t converges to the Cesaro limit of mu T^t.
    """
    L = 0.5 * (np.eye(len(T)) + T)
    for _ in range(60):
        L = L @ L
        L /= L.sum(axis=1, keepdims=True)
    return mu @ L


def _null_space_law(T):
    """Independent reference for a unique law: least squares on [T' - I; 1'] pi = [0; 1]."""
    n = len(T)
    A = np.vstack([T.T - np.eye(n), np.ones(n)])
    b = np.zeros(n + 1)
    b[-1] = 1.0
    return np.linalg.lstsq(A, b, rcond=None)[0]


def test_transient_states_get_zero_mass_and_law_is_stationary():
    # state 0 is transient, {1, 2} is closed (the old GTH version returned a non-stationary vector)
    T = np.array([[0.5, 0.5, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    pi = stationary_distribution(T)
    np.testing.assert_allclose(pi, [0.0, 0.5, 0.5], atol=1e-15)


def test_random_sparse_chains_with_one_closed_class_match_null_space():
    rng = np.random.default_rng(11)
    tried = 0
    for _ in range(300):
        n = int(rng.integers(2, 9))
        T = _random_sparse_chain(rng, n, 0.3)
        if len(closed_classes(T)) != 1:
            continue
        tried += 1
        pi = stationary_distribution(T)
        assert np.all(pi >= 0)
        assert np.max(np.abs(pi @ T - pi)) < 1e-12
        np.testing.assert_allclose(pi, _null_space_law(T), atol=1e-10)
    assert tried > 100


def test_several_closed_classes_need_initial_and_match_power_iteration():
    rng = np.random.default_rng(12)
    tried = 0
    for _ in range(300):
        n = int(rng.integers(3, 9))
        T = _random_sparse_chain(rng, n, 0.15)
        if len(closed_classes(T)) < 2:
            continue
        tried += 1
        with pytest.raises(ValueError, match="closed classes.*initial"):
            stationary_distribution(T)
        mu = rng.dirichlet(np.ones(n))
        pi = stationary_distribution(T, initial=mu)
        assert np.max(np.abs(pi @ T - pi)) < 1e-12
        np.testing.assert_allclose(pi, _lazy_limit(T, mu), atol=1e-9)
    assert tried > 30


def test_nearly_decomposable_chain_keeps_relative_accuracy():
    eps = 1e-14
    T = np.array([[1 - eps, eps, 0.0], [0.5, 0.0, 0.5], [0.0, eps, 1 - eps]])
    pi = stationary_distribution(T)
    # exact: pi = (1, 2 eps, 1) / (2 + 2 eps)
    np.testing.assert_allclose(pi, np.array([1.0, 2 * eps, 1.0]) / (2 + 2 * eps), rtol=1e-12)


@pytest.mark.parametrize(
    "T, match",
    [
        (np.full((4, 4), 0.3), "sum to 1"),
        (np.array([[1.5, -0.5], [0.5, 0.5]]), ">= 0"),
        (np.array([[np.nan, 1.0], [0.5, 0.5]]), "finite"),
        (np.ones((2, 3)) / 3, "square"),
        (np.zeros((0, 0)), "empty"),
    ],
)
def test_bad_matrices_are_refused_at_any_size(T, match):
    with pytest.raises(ValueError, match=match):
        stationary_distribution(T)
