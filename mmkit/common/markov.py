r"""Finite Markov chains: validation of transition matrices and the stationary law.

The stationary law of any finite chain is computed from its class structure: the communicating
classes are the strongly connected components of the graph :math:`i \to j` iff
:math:`T_{ij} > 0`; a class is *closed* when no edge leaves it. Transient states carry no
stationary mass; each closed class :math:`C` carries the (unique) stationary law of the
irreducible block :math:`T_{CC}`, computed by the GTH algorithm. With one closed class the
stationary law is unique. With several, the long-run law depends on where the chain starts:
given an initial law :math:`\mu`, the mass of class :math:`C` is the probability of absorption
into :math:`C`, :math:`\mu_C(1) + \mu_{\mathcal T}^\top (I - Q)^{-1} R_C \mathbf 1`
(:math:`Q` the transient block, :math:`R_C` the transient-to-:math:`C` block).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse.csgraph import connected_components

from mmkit.common.validation import check_probability_vector, check_stochastic_matrix

__all__ = ["validate_transition", "stationary_distribution", "closed_classes"]


def validate_transition(T: ArrayLike, name: str = "T") -> NDArray[np.float64]:
    """Return ``T`` as a float 3x3 stochastic matrix or raise ``ValueError`` naming ``name``.

    Requires shape (3, 3) over the states (-1, 0, 1), finite entries in [0, 1], rows summing
    to 1 within 1e-9.
    """
    return check_stochastic_matrix(T, name, n=3)


def closed_classes(T: ArrayLike, name: str = "T") -> list[NDArray[np.int64]]:
    """The closed communicating classes of the stochastic matrix ``T`` (sorted state indices).

    Parameters
    ----------
    T : array_like, shape (n, n)
        Row-stochastic matrix.
    name : str
        Name used in error messages.
    """
    A = check_stochastic_matrix(T, name)
    n_comp, labels = connected_components(A > 0, directed=True, connection="strong")
    out = []
    for c in range(n_comp):
        members = np.flatnonzero(labels == c)
        outside = np.ones(A.shape[0], bool)
        outside[members] = False
        if not np.any(A[np.ix_(members, outside)] > 0):
            out.append(members.astype(np.int64))
    return sorted(out, key=lambda m: int(m[0]))


def _gth(A: NDArray[np.float64]) -> NDArray[np.float64]:
    """GTH state reduction (Grassmann, Taksar and Heyman 1985) for an *irreducible* chain.

    Eliminate the last state, :math:`T_{ij} \\leftarrow T_{ij} + T_{in} T_{nj} / \\sum_{k<n} T_{nk}`,
    with additions, multiplications and divisions of non-negative numbers only (no
    cancellation), then back-substitute. Every entry has small relative error.
    """
    A = np.array(A, dtype=float)
    n = A.shape[0]
    for k in range(n - 1, 0, -1):
        s = A[k, :k].sum()  # > 0 for an irreducible chain
        A[:k, k] /= s
        A[:k, :k] += np.outer(A[:k, k], A[k, :k])
    pi = np.zeros(n)
    pi[0] = 1.0
    for k in range(1, n):
        pi[k] = pi[:k] @ A[:k, k]
    return pi / pi.sum()


def stationary_distribution(
    T: ArrayLike, name: str = "T", initial: ArrayLike | None = None
) -> NDArray[np.float64]:
    r"""Stationary law :math:`\pi = \pi T` of any finite stochastic matrix.

    Transient states get 0; each closed class gets the GTH stationary law of its block, scaled
    by the class's mass (see the module docstring).

    Parameters
    ----------
    T : array_like, shape (n, n)
        Row-stochastic matrix (finite entries in [0, 1], rows summing to 1 within 1e-9).
    name : str
        Name used in error messages.
    initial : array_like, shape (n,), optional
        Initial law :math:`\mu`. Required when ``T`` has several closed classes (the limit of
        the Cesaro averages of :math:`\mu T^t` is returned); ignored when there is only one.

    Returns
    -------
    numpy.ndarray, shape (n,)
        :math:`\pi \ge 0`, :math:`\sum \pi = 1`, :math:`\pi T = \pi`.

    Raises
    ------
    ValueError
        If ``T`` is not stochastic, or has several closed classes and no ``initial`` is given.
    """
    A = check_stochastic_matrix(T, name)
    n = A.shape[0]
    mu = None if initial is None else check_probability_vector(initial, "initial", n)
    classes = closed_classes(A, name)
    if len(classes) > 1 and mu is None:
        shown = [c.tolist() for c in classes[:4]]
        raise ValueError(
            f"{name} has {len(classes)} closed classes (e.g. states {shown}), so its stationary law is "
            "not unique; pass initial=<initial law> to choose the limit reached from it"
        )
    pi = np.zeros(n)
    if len(classes) == 1:
        c = classes[0]
        pi[c] = _gth(A[np.ix_(c, c)])
        return pi
    assert mu is not None
    closed = np.concatenate(classes)
    trans = np.setdiff1d(np.arange(n), closed)
    Q = A[np.ix_(trans, trans)]
    for c in classes:
        mass = mu[c].sum()
        if trans.size:
            r = A[np.ix_(trans, c)].sum(axis=1)
            mass += mu[trans] @ np.linalg.solve(np.eye(trans.size) - Q, r)
        pi[c] = mass * _gth(A[np.ix_(c, c)])
    return pi / pi.sum()
