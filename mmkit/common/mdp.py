r"""Small finite discounted Markov decision processes: dual LP, value and policy iteration.

An MDP is stored in the *state-action pair* form (as in QuantEcon's ``DiscreteDP``): only
the feasible pairs :math:`(s, a)` are listed, sorted by state, each with a reward
:math:`r(s, a)` and a row :math:`p(\cdot \mid s, a)` of the transition matrix. The optimal
value solves the Bellman equation

.. math::  V^\star(s) = \max_{a \in A_s} \Big[ r(s, a) + \lambda \sum_j p(j \mid s, a) V^\star(j) \Big],
           \qquad 0 \le \lambda < 1 .

Solvers
-------
:func:`solve_dual_lp`
    The dual linear program of Puterman (1994, Sec. 6.9): maximise
    :math:`\sum_{s,a} r(s,a) x(s,a)` subject to
    :math:`\sum_a x(j,a) - \lambda \sum_{s,a} p(j \mid s,a) x(s,a) = \alpha(j)`, :math:`x \ge 0`.
    Its solution is the discounted state-action occupation measure of an optimal policy started
    from :math:`\alpha`; the decision rule is :math:`d(s) = \arg\max_a x(s,a)`, and the
    equality constraints' multipliers are :math:`V^\star`. Solved with SciPy's HiGHS.
:func:`value_iteration`
    Successive approximation, stopped by the sup-norm bound of Puterman (1994, Thm 6.3.1),
    :math:`\|V_{k+1}-V_k\|_\infty < \varepsilon (1-\lambda) / (2\lambda)`, after which the
    policy greedy for :math:`V_{k+1}` is :math:`\varepsilon`-optimal.
:func:`policy_iteration`
    Howard's algorithm with exact policy evaluation (a linear solve per step).
:func:`occupation_measure`
    :math:`x_\pi(s,a) = \big[\alpha^\top (I - \lambda P_\pi)^{-1}\big]_s \, 1\{a = \pi(s)\}`.

Examples
--------
>>> import numpy as np
>>> P = np.array([[[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]])   # a moves to state a
>>> R = np.array([[0.0, 1.0], [0.0, 2.0]])
>>> mdp = FiniteMDP.from_dense(R, P, discount=0.5)
>>> sol = policy_iteration(mdp)
>>> sol.policy.tolist(), np.round(sol.V, 6).tolist()
([1, 1], [3.0, 4.0])
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog
from scipy.sparse.linalg import spsolve

from mmkit.common.validation import (
    check_array,
    check_choice,
    check_discount,
    check_positive,
    check_positive_int,
    check_probability_vector,
    check_real,
)

__all__ = [
    "FiniteMDP",
    "MDPSolution",
    "LPSolution",
    "check_discount",
    "q_values",
    "greedy_policy",
    "optimal_action_mask",
    "policy_evaluation",
    "value_iteration",
    "policy_iteration",
    "solve_dual_lp",
    "occupation_measure",
    "to_quantecon",
]


def _int_array(x: object, name: str) -> np.ndarray:
    """A non-empty array of integers >= 0 (floats, booleans and negative indices refused)."""
    a = np.asarray(x)
    if a.dtype.kind not in "iu" or a.ndim != 1 or a.size == 0:
        raise TypeError(
            f"{name} must be a non-empty 1-D array of integers >= 0, got {a.dtype} shape {a.shape}"
        )
    if a.min() < 0:
        raise ValueError(f"{name} must have entries >= 0 (no negative indices), got min {a.min()}")
    return a.astype(np.int64)


def _check_mdp(mdp: object) -> None:
    if not isinstance(mdp, FiniteMDP):
        raise TypeError(f"mdp must be a FiniteMDP, got {type(mdp).__name__}")


@dataclass
class FiniteMDP:
    """A finite discounted MDP in state-action pair form.

    Parameters
    ----------
    R : ndarray, shape (L,)
        Expected one-step reward :math:`r(s, a)` of each feasible pair.
    P : ndarray or scipy.sparse matrix, shape (L, n_states)
        Row ``l`` is :math:`p(\\cdot \\mid s_l, a_l)`; rows sum to 1.
    s_indices, a_indices : ndarray of int, shape (L,)
        The state and the action of each pair, sorted by state (then action).
    discount : float
        :math:`\\lambda \\in [0, 1)`.
    n_actions : int, optional
        Number of action labels (default ``max(a_indices) + 1``).
    """

    R: np.ndarray
    P: np.ndarray | sp.spmatrix
    s_indices: np.ndarray
    a_indices: np.ndarray
    discount: float
    n_actions: int | None = None
    n_states: int = field(init=False)

    def __post_init__(self) -> None:
        self.discount = check_discount(self.discount)
        self.R = check_array(self.R, "R", ndim=1)
        self.s_indices = _int_array(self.s_indices, "s_indices")
        self.a_indices = _int_array(self.a_indices, "a_indices")
        if self.n_actions is not None:
            self.n_actions = check_positive_int(self.n_actions, "n_actions")
            if self.a_indices.size and self.a_indices.max() >= self.n_actions:
                raise ValueError(f"a_indices must be in [0, n_actions - 1] = [0, {self.n_actions - 1}]")
        L = self.R.shape[0]
        if self.R.ndim != 1 or self.s_indices.shape != (L,) or self.a_indices.shape != (L,):
            raise ValueError("R, s_indices and a_indices must be 1-D arrays of the same length")
        if not np.all(np.isfinite(self.R)):
            raise ValueError("R must be finite")
        if sp.issparse(self.P):
            self.P = sp.csr_matrix(self.P, dtype=float)
            data = self.P.data
        else:
            self.P = np.asarray(self.P, dtype=float)
            data = self.P
        if not np.all(np.isfinite(data)):
            raise ValueError("P must have finite entries in [0, 1]")
        if self.P.ndim != 2 or self.P.shape[0] != L:
            raise ValueError(f"P must have shape (L, n_states) with L = {L}, got {self.P.shape}")
        self.n_states = self.P.shape[1]
        if np.any(data < 0):
            raise ValueError("P must have non-negative entries")
        rows = np.asarray(self.P.sum(axis=1)).ravel()
        if np.max(np.abs(rows - 1.0)) > 1e-9:
            raise ValueError("rows of P must sum to 1 (within 1e-9)")
        if np.any(np.diff(self.s_indices) < 0):
            raise ValueError("pairs must be sorted by state (s_indices non-decreasing)")
        if self.s_indices.max() >= self.n_states:
            raise ValueError(f"s_indices must be in [0, n_states - 1] = [0, {self.n_states - 1}]")
        if set(np.unique(self.s_indices).tolist()) != set(range(self.n_states)):
            raise ValueError("every state needs at least one feasible action")
        if self.n_actions is None:
            self.n_actions = int(self.a_indices.max()) + 1
        self._starts = np.searchsorted(self.s_indices, np.arange(self.n_states))

    @classmethod
    def from_dense(
        cls, R: np.ndarray, P: np.ndarray, discount: float, feasible: np.ndarray | None = None
    ) -> FiniteMDP:
        """Build from ``R[s, a]`` and ``P[s, a, j]``; ``feasible[s, a]`` masks the pairs."""
        R = check_array(R, "R", ndim=2)
        P = check_array(P, "P", ndim=3)
        if R.ndim != 2 or P.shape != R.shape + (R.shape[0],):
            raise ValueError(f"R must be (S, A) and P (S, A, S); got {R.shape} and {P.shape}")
        mask = np.ones(R.shape, bool) if feasible is None else np.asarray(feasible)
        if mask.shape != R.shape or mask.dtype != bool:
            raise ValueError(
                f"feasible must be a boolean array of shape {R.shape}, got {mask.dtype} {mask.shape}"
            )
        s_idx, a_idx = np.nonzero(mask)
        return cls(R[s_idx, a_idx], P[s_idx, a_idx], s_idx, a_idx, discount, R.shape[1])

    # helpers ---------------------------------------------------------------------------
    def pair_index(self, policy: np.ndarray, name: str = "policy") -> np.ndarray:
        """Row index ``l`` of the pair ``(s, policy[s])`` for every state."""
        policy = _int_array(policy, name)
        if policy.shape != (self.n_states,):
            raise ValueError(
                f"{name} must have one action per state, shape ({self.n_states},), got {policy.shape}"
            )
        assert self.n_actions is not None
        if policy.max() >= self.n_actions:
            raise ValueError(f"{name} actions must be in [0, n_actions - 1] = [0, {self.n_actions - 1}]")
        table = np.full((self.n_states, self.n_actions), -1, dtype=np.int64)
        table[self.s_indices, self.a_indices] = np.arange(len(self.R))
        idx = table[np.arange(self.n_states), policy]
        if np.any(idx < 0):
            raise ValueError(f"{name} takes an infeasible action")
        return idx

    def group_max(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per state, the maximum of ``values`` over its pairs and the first argmax pair."""
        vmax = np.maximum.reduceat(values, self._starts)
        is_max = values >= vmax[self.s_indices]
        # first pair of each state that attains the maximum
        cand = np.where(is_max, np.arange(len(values)), len(values))
        arg = np.minimum.reduceat(cand, self._starts)
        return vmax, arg


@dataclass(frozen=True)
class MDPSolution:
    """Optimal value ``V``, a deterministic optimal ``policy`` (action labels) and iterations."""

    V: np.ndarray
    policy: np.ndarray
    iterations: int
    method: str = ""


@dataclass(frozen=True)
class LPSolution:
    """Dual LP result: occupation measure ``x`` per pair, objective, duals ``V``, policy."""

    x: np.ndarray
    objective: float
    V: np.ndarray
    policy: np.ndarray
    alpha: np.ndarray


def q_values(mdp: FiniteMDP, V: np.ndarray) -> np.ndarray:
    r"""Pair values :math:`Q(s,a) = r(s,a) + \lambda \sum_j p(j|s,a) V(j)`, shape (L,)."""
    _check_mdp(mdp)
    V = check_array(V, "V", shape=(mdp.n_states,))
    return mdp.R + mdp.discount * np.asarray(mdp.P @ V).ravel()


def greedy_policy(mdp: FiniteMDP, V: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Greedy action labels for ``V`` (first action on ties) and the Bellman update."""
    _check_mdp(mdp)
    vmax, arg = mdp.group_max(q_values(mdp, V))
    return mdp.a_indices[arg], vmax


def optimal_action_mask(mdp: FiniteMDP, V: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Boolean ``(n_states, n_actions)``: action optimal within ``tol`` (ties included)."""
    tol = check_real(tol, "tol", 0.0, None)
    q = q_values(mdp, V)
    vmax, _ = mdp.group_max(q)
    assert mdp.n_actions is not None
    mask = np.zeros((mdp.n_states, mdp.n_actions), dtype=bool)
    mask[mdp.s_indices, mdp.a_indices] = q >= vmax[mdp.s_indices] - tol
    return mask


def _policy_system(mdp: FiniteMDP, rows: np.ndarray):
    r""":math:`I - \lambda P_\pi` for the pairs ``rows`` of a policy (sparse CSC if ``P`` is sparse)."""
    P_pi = mdp.P[rows]
    if sp.issparse(P_pi):
        return sp.identity(mdp.n_states, format="csc") - mdp.discount * sp.csc_matrix(P_pi)
    return np.eye(mdp.n_states) - mdp.discount * P_pi


def _solve(A, b: np.ndarray) -> np.ndarray:
    """``A x = b`` by sparse or dense LU."""
    if sp.issparse(A):
        return np.asarray(spsolve(sp.csc_matrix(A), b))
    return np.linalg.solve(A, b)


def policy_evaluation(mdp: FiniteMDP, policy: np.ndarray) -> np.ndarray:
    r"""Solve :math:`(I - \lambda P_\pi) V = r_\pi` exactly (dense or sparse LU)."""
    _check_mdp(mdp)
    rows = mdp.pair_index(policy)
    return _solve(_policy_system(mdp, rows), mdp.R[rows])


def value_iteration(
    mdp: FiniteMDP, tol: float = 1e-10, max_iter: int = 100_000, V0: np.ndarray | None = None
) -> MDPSolution:
    r"""Successive approximation :math:`V_{k+1} = T V_k` until the policy is
    :math:`\varepsilon`-optimal with :math:`\varepsilon` = ``tol``.

    The stopping test :math:`\|V_{k+1}-V_k\|_\infty < \varepsilon(1-\lambda)/(2\lambda)` needs about
    :math:`\log(\text{threshold}/\|V_1 - V_0\|) / \log\lambda` iterations, and cannot be met at all in
    floating point once the threshold is below the rounding of :math:`V`
    (:math:`\approx 10^{-16}\|V\|_\infty`), which happens for discounts near 1 (e.g. 0.9999 with
    ``tol = 1e-10``). In either case value iteration stops and finishes with Howard's policy
    iteration (exact policy evaluation) from its current greedy policy; the result then has
    ``method == "value_iteration+policy_iteration"``.

    Parameters
    ----------
    mdp : FiniteMDP
    tol : float
        :math:`\varepsilon > 0`, finite.
    max_iter : int
        Iteration budget, >= 1.
    V0 : array_like, shape (n_states,), optional
        Starting values (finite); zeros by default.
    """
    _check_mdp(mdp)
    tol = check_positive(tol, "tol")
    max_iter = check_positive_int(max_iter, "max_iter")
    n = mdp.n_states
    V = np.zeros(n) if V0 is None else check_array(V0, "V0", shape=(n,))
    lam = mdp.discount
    thresh = tol * (1 - lam) / (2 * lam) if lam > 0 else np.inf
    for k in range(1, max_iter + 1):
        pol, V_new = greedy_policy(mdp, V)
        diff = float(np.max(np.abs(V_new - V)))
        done = diff < thresh
        V = V_new
        if done:
            pol, _ = greedy_policy(mdp, V)
            return MDPSolution(V, pol, k, "value_iteration")
        unreachable = thresh <= 8 * np.finfo(float).eps * max(1.0, float(np.max(np.abs(V))))
        needed = k + math.log(thresh / diff) / math.log(lam) if diff > 0 and 0 < lam < 1 else k
        if unreachable or needed > max_iter:
            sol = policy_iteration(mdp, policy0=pol)
            return MDPSolution(sol.V, sol.policy, k + sol.iterations, "value_iteration+policy_iteration")
    raise RuntimeError(
        f"value iteration did not converge in max_iter={max_iter} iterations"
    )  # pragma: no cover


def policy_iteration(
    mdp: FiniteMDP, policy0: np.ndarray | None = None, max_iter: int = 10_000
) -> MDPSolution:
    """Howard's policy iteration; keeps the current action unless another is strictly better."""
    _check_mdp(mdp)
    max_iter = check_positive_int(max_iter, "max_iter")
    if policy0 is None:
        _, arg = mdp.group_max(mdp.R)
        pol = mdp.a_indices[arg]
    else:
        pol = _int_array(policy0, "policy0").copy()
        mdp.pair_index(pol, "policy0")  # validates shape, range and feasibility
    for k in range(1, max_iter + 1):
        V = policy_evaluation(mdp, pol)
        q = q_values(mdp, V)
        vmax, arg = mdp.group_max(q)
        cur = q[mdp.pair_index(pol)]
        improve = vmax > cur + 1e-12 * (1 + np.abs(cur))
        if not np.any(improve):
            return MDPSolution(V, pol, k, "policy_iteration")
        pol = np.where(improve, mdp.a_indices[arg], pol)
    raise RuntimeError(f"policy iteration did not converge in {max_iter} iterations")


def solve_dual_lp(mdp: FiniteMDP, alpha: np.ndarray | None = None, method: str = "highs") -> LPSolution:
    r"""Solve the dual LP of the discounted MDP with SciPy's HiGHS.

    Maximise :math:`\sum_{s,a} r(s,a)x(s,a)` subject to
    :math:`\sum_a x(j,a) - \lambda\sum_{s,a} p(j|s,a) x(s,a) = \alpha(j)` and :math:`x\ge0`.
    ``alpha`` defaults to the uniform weights :math:`1/|S|`; it must be positive and sum to 1.
    The returned ``V`` is minus the constraint multipliers (HiGHS minimises :math:`-r^\top x`),
    which equals :math:`V^\star`; the objective equals :math:`\alpha^\top V^\star`.
    """
    _check_mdp(mdp)
    check_choice(method, "method", ("highs", "highs-ds", "highs-ipm"))
    n = mdp.n_states
    alpha = np.full(n, 1.0 / n) if alpha is None else check_array(alpha, "alpha", shape=(n,))
    if alpha.shape != (n,) or np.any(alpha <= 0) or abs(alpha.sum() - 1) > 1e-9:
        raise ValueError(
            f"alpha must be a positive vector of {n} state weights summing to 1, "
            f"got shape {alpha.shape}, min {alpha.min(initial=np.inf):g}, sum {alpha.sum():g}"
        )
    L = len(mdp.R)
    E = sp.csr_matrix((np.ones(L), (np.arange(L), mdp.s_indices)), shape=(L, n))
    P = sp.csr_matrix(mdp.P)
    A_eq = (E - mdp.discount * P).T.tocsr()
    res = linprog(-mdp.R, A_eq=A_eq, b_eq=alpha, bounds=(0, None), method=method)
    if res.status != 0:
        raise RuntimeError(f"dual LP failed: {res.message}")
    x = np.maximum(res.x, 0.0)
    _, arg = mdp.group_max(x)
    V = -np.asarray(res.eqlin.marginals)
    return LPSolution(x, float(-res.fun), V, mdp.a_indices[arg], alpha)


def occupation_measure(mdp: FiniteMDP, policy: np.ndarray, alpha: np.ndarray | None = None) -> np.ndarray:
    r"""Discounted occupation :math:`x_\pi(s, \pi(s)) = [\alpha^\top (I-\lambda P_\pi)^{-1}]_s`.

    Returned per pair (zeros off the policy); it sums to :math:`1/(1-\lambda)`.
    """
    _check_mdp(mdp)
    n = mdp.n_states
    alpha = np.full(n, 1.0 / n) if alpha is None else check_probability_vector(alpha, "alpha", n)
    rows = mdp.pair_index(policy)
    x = np.zeros(len(mdp.R))
    x[rows] = _solve(_policy_system(mdp, rows).T, alpha)
    return x


def to_quantecon(mdp: FiniteMDP):
    """The same MDP as QuantEcon's ``DiscreteDP`` (state-action pair formulation)."""
    from quantecon.markov import DiscreteDP

    _check_mdp(mdp)

    Q = mdp.P if sp.issparse(mdp.P) else np.asarray(mdp.P)
    return DiscreteDP(mdp.R, Q, mdp.discount, mdp.s_indices, mdp.a_indices)
