"""Finite Markov chains: validation of transition matrices and the stationary law (GTH)."""

from __future__ import annotations

import numpy as np

__all__ = ["validate_transition", "stationary_distribution"]


def validate_transition(T, name: str = "T") -> np.ndarray:
    """Return ``T`` as a float 3x3 stochastic matrix or raise ``ValueError`` naming ``name``.

    Requires shape (3, 3), finite non-negative entries, rows summing to 1 within 1e-9.
    """
    A = np.asarray(T, dtype=float)
    if A.shape != (3, 3):
        raise ValueError(f"{name} must be a square 3x3 matrix over states (-1, 0, 1), got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise ValueError(f"{name} must have finite entries")
    if np.any(A < 0):
        raise ValueError(f"{name} must have entries >= 0, got min {A.min():g}")
    rs = A.sum(axis=1)
    if np.max(np.abs(rs - 1.0)) > 1e-9:
        raise ValueError(f"rows of {name} must sum to 1 (within 1e-9), got sums {rs.tolist()}")
    return A


def stationary_distribution(T, name: str = "T") -> np.ndarray:
    r"""Stationary law :math:`\pi = \pi T` of a stochastic matrix by the GTH algorithm.

    State reduction (Grassmann, Taksar and Heyman 1985): eliminate the last state,
    :math:`T_{ij} \leftarrow T_{ij} + T_{in} T_{nj} / \sum_{k<n} T_{nk}`, using only
    additions, multiplications and divisions of non-negative numbers (no cancellation),
    then back-substitute. For a chain with several closed classes it returns the stationary
    law reached from the last-eliminated state's class (not unique in that case).
    Works for any square stochastic matrix, not only 3x3.
    """
    A = np.array(T, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"{name} must be a square matrix, got shape {A.shape}")
    if A.shape == (3, 3):
        validate_transition(A, name)
    n = A.shape[0]
    for k in range(n - 1, 0, -1):
        s = A[k, :k].sum()
        if s <= 0:  # state k cannot leave to lower states: absorbing w.r.t. them
            A[k, :k] = 0.0
            continue
        A[:k, k] /= s
        A[:k, :k] += np.outer(A[:k, k], A[k, :k])
    pi = np.zeros(n)
    pi[0] = 1.0
    for k in range(1, n):
        pi[k] = pi[:k] @ A[:k, k]
    return pi / pi.sum()
