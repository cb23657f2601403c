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
    check_nonnegative_int,
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
    "bellman",
    "evaluate_policy",
    "solve_value_iteration",
    "solve_policy_iteration",
    "modified_policy_iteration",
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


def _float_array(x: object, name: str, what: str) -> np.ndarray:
    """``x`` as a float array, a view when it already is one (no copy); TypeError naming ``name``."""
    if x is None or isinstance(x, (str, bytes, dict, set)):
        raise TypeError(f"{name} must be an array of {what}, got {type(x).__name__}")
    try:
        return np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of {what} ({exc})") from None


def _check_stochastic_rows(P: np.ndarray | sp.csr_matrix) -> None:
    r"""Refuse a ``P`` whose entries are not finite and non-negative or whose rows do not sum to 1.

    Two memory-bound passes and no temporaries of the size of ``P``: the minimum entry, and the
    row sums as a matrix-vector product with ones. Together they settle every check: with all
    entries :math:`\ge 0` no infinities can cancel, so finite row sums mean finite entries (a NaN
    makes both the minimum and its row sum NaN). Only a ``P`` that fails is scanned again, to
    say which check it fails.
    """
    data: np.ndarray = np.asarray(P.data) if sp.issparse(P) else np.asarray(P)
    lo = data.min(initial=0.0)
    if lo >= 0:  # no NaN, no negative entry, so no inf - inf in the row sums below
        rows = np.asarray(P @ np.ones(P.shape[1])).ravel()
        if rows.min(initial=1.0) >= 1.0 - 1e-9 and rows.max(initial=1.0) <= 1.0 + 1e-9:
            return  # an infinite or NaN row sum fails this comparison too
    if not np.all(np.isfinite(data)):
        raise ValueError("P must have finite entries in [0, 1]")
    if np.any(data < 0):
        raise ValueError(f"P must have non-negative entries, got min {lo:g}")
    rows = np.asarray(P @ np.ones(P.shape[1])).ravel()
    worst = rows[np.argmax(np.abs(rows - 1.0))]
    raise ValueError(f"rows of P must sum to 1 (within 1e-9), got a row summing to {worst:.12g}")


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
        else:
            self.P = np.asarray(self.P, dtype=float)
        if self.P.ndim != 2 or self.P.shape[0] != L:
            if not np.all(np.isfinite(self.P.data if sp.issparse(self.P) else self.P)):
                raise ValueError("P must have finite entries in [0, 1]")
            raise ValueError(f"P must have shape (L, n_states) with L = {L}, got {self.P.shape}")
        self.n_states = self.P.shape[1]
        _check_stochastic_rows(self.P)
        if np.any(np.diff(self.s_indices) < 0):
            raise ValueError("pairs must be sorted by state (s_indices non-decreasing)")
        if self.s_indices.size and (self.s_indices.min() < 0 or self.s_indices.max() >= self.n_states):
            raise ValueError(f"s_indices must be in [0, n_states - 1] = [0, {self.n_states - 1}]")
        steps = np.diff(self.s_indices)
        if (
            L == 0
            or self.s_indices[0] != 0
            or self.s_indices[-1] != self.n_states - 1
            or steps.max(initial=0) > 1
        ):
            raise ValueError("every state needs at least one feasible action")
        if self.n_actions is None:
            self.n_actions = int(self.a_indices.max()) + 1
        self._starts = np.searchsorted(self.s_indices, np.arange(self.n_states))

    @classmethod
    def from_dense(
        cls, R: np.ndarray, P: np.ndarray, discount: float, feasible: np.ndarray | None = None
    ) -> FiniteMDP:
        """Build from ``R[s, a]`` and ``P[s, a, j]``; ``feasible[s, a]`` masks the pairs.

        Without a mask every pair is feasible and ``R`` and ``P`` are used as views (no copy;
        see :meth:`from_product`). Every check is kept (``R`` finite, ``P`` finite, non-negative,
        rows summing to 1 within 1e-9) at the cost of two memory-bound passes over ``P``
        (:func:`_check_stochastic_rows`); QuantEcon's ``DiscreteDP`` does not read ``P`` at
        construction, so for large dense ``P`` the checked build costs those two passes more.
        """
        R, P = _float_array(R, "R", "rewards"), _float_array(P, "P", "transition probabilities")
        if R.ndim != 2:
            raise ValueError(f"R must be a 2-D array (S, A), got shape {R.shape}")
        if P.shape != R.shape + (R.shape[0],):
            raise ValueError(f"R must be (S, A) and P (S, A, S); got {R.shape} and {P.shape}")
        if feasible is None:  # every pair feasible: P as a view, no copy
            return cls._product(R, P, discount, check=True)
        mask = np.asarray(feasible)
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

    @classmethod
    def from_product(cls, R: np.ndarray, P: np.ndarray, discount: float, check: bool = True) -> FiniteMDP:
        r"""Build from ``R[s, a]`` and ``P[s, a, j]`` with every pair feasible (product form).

        ``P`` is used as a view (no copy) when it is a C-contiguous float array.
        ``check=False`` skips the validation of ``R`` and ``P`` (finite, non-negative rows
        summing to 1), two memory-bound passes over all :math:`|S|^2|A|` entries, for trusted
        input built by code that guarantees it (QuantEcon's ``DiscreteDP`` does not check either).
        """
        R = np.asarray(R, dtype=float)
        P = np.asarray(P, dtype=float)
        if R.ndim != 2 or P.shape != R.shape + (R.shape[0],):
            raise ValueError(f"R must be (S, A) and P (S, A, S); got {R.shape} and {P.shape}")
        return cls._product(R, P, discount, check)

    @classmethod
    def _product(cls, R: np.ndarray, P: np.ndarray, discount: float, check: bool) -> FiniteMDP:
        """Product form from float ``R`` (S, A) and ``P`` (S, A, S) of matching shapes.

        The pair indices are built here (sorted, every state feasible), so only ``R``, ``P`` and
        the discount need checking: ``R`` finite, ``P`` by :func:`_check_stochastic_rows`.
        """
        S, A = R.shape
        R1, P2 = R.reshape(-1), np.ascontiguousarray(P).reshape(S * A, S)
        if check:
            if R1.size == 0:
                raise ValueError(f"R must have at least one state and one action, got shape {R.shape}")
            if not np.isfinite(R1).all():
                raise ValueError("R must be finite")
            _check_stochastic_rows(P2)
        s_idx, a_idx = np.divmod(np.arange(S * A), A)
        return cls._unchecked(R1, P2, s_idx, a_idx, discount, A)

    @classmethod
    def _unchecked(cls, R, P, s_idx, a_idx, discount, n_actions) -> FiniteMDP:
        """Build without validating ``P`` (trusted product-form input, see ``from_product``)."""
        obj = cls.__new__(cls)
        obj.R, obj.P, obj.s_indices, obj.a_indices = R, P, s_idx, a_idx
        obj.discount, obj.n_actions = check_discount(discount), int(n_actions)
        obj.n_states = P.shape[1]
        obj._starts = np.arange(obj.n_states) * obj.n_actions
        return obj


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


def solve_dual_lp(mdp: FiniteMDP, alpha: np.ndarray | None = None, method: str = "highs-ipm") -> LPSolution:
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


# ------------------------------------------------------------- solvers at QuantEcon's speed
@dataclass(frozen=True)
class _Layout:
    """How the pairs of an MDP are laid out: product form (``n*m`` pairs in order) or not."""

    product: bool
    m: int
    table: np.ndarray | None  # (n, m) pair index, -1 where infeasible (pair form only)


def _layout(mdp: FiniteMDP) -> _Layout:
    """The MDP's :class:`_Layout`, computed once and cached on the object."""
    lay = mdp.__dict__.get("_layout_cache")
    if lay is not None and lay[0] is mdp.s_indices and lay[1] is mdp.a_indices:
        return lay[2]
    assert mdp.n_actions is not None
    n, m, L = mdp.n_states, int(mdp.n_actions), len(mdp.R)
    product = (
        L == n * m
        and np.array_equal(mdp.a_indices, np.tile(np.arange(m), n))
        and np.array_equal(mdp.s_indices, np.repeat(np.arange(n), m))
    )
    table = None
    if not product:
        table = np.full((n, m), -1, dtype=np.int64)
        table[mdp.s_indices, mdp.a_indices] = np.arange(L)
    out = _Layout(bool(product), m, table)
    mdp.__dict__["_layout_cache"] = (mdp.s_indices, mdp.a_indices, out)
    return out


def bellman(mdp: FiniteMDP, V: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""The Bellman update and a greedy policy: :math:`(TV)(s) = \max_a Q(s, a)` and the
    first maximising action label of every state (QuantEcon's tie rule)."""
    _check_mdp(mdp)
    return _bellman(mdp, check_array(V, "V", shape=(mdp.n_states,)))


def _bellman(mdp: FiniteMDP, V: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`bellman` without the argument checks (the solvers' inner loop)."""
    lay = _layout(mdp)
    vals = mdp.R + mdp.discount * (mdp.P @ V)
    if lay.product:
        return _row_max(vals.reshape(mdp.n_states, lay.m), argmax=True)
    vmax, argpair = mdp.group_max(np.asarray(vals).ravel())
    return vmax, mdp.a_indices[argpair]


def _bellman_max(mdp: FiniteMDP, V: np.ndarray) -> np.ndarray:
    """:math:`TV` alone, without the greedy policy (value iteration's inner loop)."""
    lay = _layout(mdp)
    vals = np.asarray(mdp.P @ V)
    vals *= mdp.discount
    vals += mdp.R
    if lay.product:
        return _row_max(vals.reshape(mdp.n_states, lay.m), argmax=False)[0]
    return np.maximum.reduceat(vals, mdp._starts)


_FEW_ACTIONS = 16


def _row_max(v2: np.ndarray, argmax: bool) -> tuple[np.ndarray, np.ndarray]:
    """Row maxima of ``v2`` (n, m) and, if asked, the first maximising column of each row.

    With few actions a loop over the columns (one vectorised comparison per action) is an order
    of magnitude faster than numpy's reduction along a short inner axis.
    """
    m = v2.shape[1]
    if m > _FEW_ACTIONS:
        arg = v2.argmax(axis=1) if argmax else np.empty(0, dtype=np.int64)
        vmax = v2[np.arange(v2.shape[0]), arg] if argmax else v2.max(axis=1)
        return vmax, arg
    best = v2[:, 0].copy()
    arg = np.zeros(v2.shape[0] if argmax else 0, dtype=np.int64)
    for a in range(1, m):
        col = v2[:, a]
        if argmax:
            arg[col > best] = a  # strict: the first maximiser is kept on ties
        np.maximum(best, col, out=best)
    return best, arg


def _policy_rows(mdp: FiniteMDP, policy: np.ndarray) -> np.ndarray:
    """Pair index of ``(s, policy[s])`` for every state (cached layout)."""
    lay = _layout(mdp)
    pol = np.asarray(policy, dtype=np.int64)
    if lay.product:
        return np.arange(mdp.n_states) * lay.m + pol
    assert lay.table is not None
    rows = lay.table[np.arange(mdp.n_states), pol]
    if np.any(rows < 0):
        raise ValueError("policy takes an infeasible action")
    return rows


EVALUATION_METHODS = ("auto", "direct", "gmres", "bicgstab")
_KRYLOV_MIN_STATES = 2000
_TIGHT_RTOL = 1e-12
_LOOSE_RTOL = 1e-4


def evaluate_policy(
    mdp: FiniteMDP,
    policy: np.ndarray,
    method: str = "auto",
    V0: np.ndarray | None = None,
    rtol: float = 1e-12,
) -> np.ndarray:
    r"""Value of a stationary policy: the solution of :math:`(I - \lambda P_\pi) V = r_\pi`.

    Parameters
    ----------
    mdp : FiniteMDP
    policy : ndarray of int, shape (n_states,)
        Action label of every state.
    method : {"auto", "direct", "gmres", "bicgstab"}
        ``direct``: dense LU, or sparse LU (SuperLU) when ``P`` is sparse. ``gmres`` (SciPy's) /
        ``bicgstab`` (:func:`_bicgstab`, which applies :math:`v - \lambda P_\pi v` without
        forming the matrix): Krylov iterations on the sparse operator, with relative residual
        ``rtol`` (no fill-in: the method for large sparse models whose LU factors fill,
        e.g. random transitions). ``auto``: ``direct`` for dense ``P``, ``bicgstab`` for
        sparse ``P`` with more than 2,000 states (falling back to ``direct`` if it stalls).
    V0 : ndarray, optional
        Starting guess for the iterative methods (e.g. the previous policy's value).
    rtol : float
        Relative residual of the iterative methods; the value error is at most
        :math:`\frac{1+\lambda}{1-\lambda}` times it (in the sup norm, relative to
        :math:`\|r_\pi\|`).
    """
    _check_mdp(mdp)
    if method not in EVALUATION_METHODS:
        raise ValueError(f"method must be one of {EVALUATION_METHODS}, got {method!r}")
    mdp.pair_index(policy)  # validates the policy (shape, integer actions in range, feasible)
    if V0 is not None:
        V0 = check_array(V0, "V0", shape=(mdp.n_states,))
    check_real(rtol, "rtol", 0.0, 1.0, lo_open=True)
    return _evaluate_policy(mdp, policy, method, V0, rtol)


def _evaluate_policy(
    mdp: FiniteMDP, policy: np.ndarray, method: str, V0: np.ndarray | None, rtol: float
) -> np.ndarray:
    """:func:`evaluate_policy` without input checks (the solvers' inner loop)."""
    rows = _policy_rows(mdp, policy)
    r = mdp.R[rows]
    P_pi = mdp.P[rows]
    n, lam = mdp.n_states, mdp.discount
    sparse = sp.issparse(P_pi)
    if method == "auto":
        method = "bicgstab" if sparse and n > _KRYLOV_MIN_STATES else "direct"
    if method == "bicgstab":
        x = _bicgstab(P_pi, lam, r, V0, rtol, maxiter=10 * n)
        if x is not None:
            return x
        method = "direct"  # did not reach rtol (or broke down): the exact solve
    if not sparse:
        A = P_pi * (-lam)
        A.flat[:: n + 1] += 1.0
        if method == "direct":
            return np.linalg.solve(A, r)
        A = sp.csr_matrix(A)
    else:
        A = (sp.identity(n, format="csr") - lam * P_pi.tocsr()).tocsr()
    if method == "direct":
        return np.asarray(spsolve(A.tocsc(), r))
    from scipy.sparse.linalg import gmres

    x, info = gmres(A, r, x0=V0, rtol=rtol, atol=0.0, maxiter=10 * n)
    if info != 0:  # did not reach rtol: fall back to the exact solve
        return np.asarray(spsolve(A.tocsc(), r))
    return np.asarray(x)


def _bicgstab(
    P_pi, lam: float, b: np.ndarray, x0: np.ndarray | None, rtol: float, maxiter: int
) -> np.ndarray | None:
    r"""BiCGSTAB (van der Vorst 1992) on :math:`(I - \lambda P_\pi) x = b`, with the operator
    applied as ``x - lam * (P_pi @ x)`` (no matrix :math:`I - \lambda P_\pi` is formed).

    Stops when :math:`\|b - Ax\|_2 \le` ``rtol`` :math:`\|b\|_2`; returns ``None`` if that is not
    reached in ``maxiter`` steps or the recurrence breaks down (the caller then solves exactly).
    """

    def A(v: np.ndarray) -> np.ndarray:
        out = np.asarray(P_pi @ v)
        out *= -lam
        out += v
        return out

    x = np.zeros_like(b) if x0 is None else np.array(x0, dtype=float)
    r = b - A(x) if x0 is not None else b.copy()
    stop2 = rtol * rtol * float(b @ b)  # squared norms: one dot product each
    if float(r @ r) <= stop2:
        return x
    r_hat = r.copy()
    rho = alpha = omega = 1.0
    p = np.zeros_like(b)
    v = np.zeros_like(b)
    for _ in range(maxiter):
        rho_new = float(r_hat @ r)
        if rho_new == 0.0 or omega == 0.0:
            return None
        p -= omega * v  # p = r + beta (p - omega v), in place
        p *= (rho_new / rho) * (alpha / omega)
        p += r
        v = A(p)
        denom = float(r_hat @ v)
        if denom == 0.0:
            return None
        alpha = rho_new / denom
        r -= alpha * v  # r is now s = r - alpha v
        x += alpha * p
        if float(r @ r) <= stop2:
            return x
        t = A(r)
        tt = float(t @ t)
        if tt == 0.0:
            return None
        omega = float(t @ r) / tt
        x += omega * r
        r -= omega * t
        if float(r @ r) <= stop2:
            return x
        rho = rho_new
    return None


def _iterations(max_iter: int) -> int:
    return check_positive_int(max_iter, "max_iter")


def _epsilon(epsilon: float) -> float:
    return check_positive(epsilon, "epsilon")


def _start(mdp: FiniteMDP, V0: np.ndarray | None, default: np.ndarray) -> np.ndarray:
    if V0 is None:
        return default
    return check_array(V0, "V0", shape=(mdp.n_states,))


def _max_reward(mdp: FiniteMDP) -> np.ndarray:
    lay = _layout(mdp)
    if lay.product:
        return mdp.R.reshape(mdp.n_states, lay.m).max(axis=1)
    return mdp.group_max(mdp.R)[0]


def solve_value_iteration(
    mdp: FiniteMDP, epsilon: float = 1e-3, V0: np.ndarray | None = None, max_iter: int = 100_000
) -> MDPSolution:
    r"""Value iteration with QuantEcon's start and stopping rule.

    Starts from :math:`V_0(s) = \max_a r(s, a)` (or ``V0``) and stops when
    :math:`\|V_{k+1} - V_k\|_\infty < \varepsilon(1-\lambda)/(2\lambda)`; the policy greedy
    for the last iterate is then :math:`\varepsilon`-optimal (Puterman 1994, Thm 6.3.1).
    """
    _check_mdp(mdp)
    epsilon, max_iter = _epsilon(epsilon), _iterations(max_iter)
    lam = mdp.discount
    tol = epsilon * (1 - lam) / (2 * lam) if lam > 0 else np.inf
    V = _start(mdp, V0, _max_reward(mdp))
    for k in range(1, max_iter + 1):
        TV = _bellman_max(mdp, V)
        done = np.abs(TV - V).max() < tol
        V = TV
        if done:
            break
    else:
        raise RuntimeError(f"value iteration did not converge in {max_iter} iterations")
    return MDPSolution(V, _bellman(mdp, V)[1], k)


def solve_policy_iteration(
    mdp: FiniteMDP,
    V0: np.ndarray | None = None,
    evaluation: str = "auto",
    max_iter: int = 10_000,
) -> MDPSolution:
    r"""Howard's policy iteration with QuantEcon's rule (stop when the greedy policy repeats).

    Starts from the policy greedy for :math:`\max_a r(s, a)` (or for ``V0``); each step
    evaluates the policy by :func:`evaluate_policy` (``evaluation``: exact LU, or a Krylov
    method warm-started from the previous value for large sparse models) and improves it.

    With a Krylov evaluation the steps are *inexact* at first: each policy is evaluated to a
    relative residual of 1e-4, which is enough to improve it; once the greedy policy repeats,
    it is evaluated again to 1e-12 and the iteration stops only if the policy still repeats.
    The returned value is therefore accurate to the tight residual (see :func:`evaluate_policy`),
    and ``iterations`` counts that confirming evaluation as a step.
    """
    _check_mdp(mdp)
    check_choice(evaluation, "evaluation", EVALUATION_METHODS)
    max_iter = _iterations(max_iter)
    V = _start(mdp, V0, _max_reward(mdp))
    _, pol = _bellman(mdp, V)
    iterative = evaluation in ("gmres", "bicgstab") or (
        evaluation == "auto" and sp.issparse(mdp.P) and mdp.n_states > _KRYLOV_MIN_STATES
    )
    rtol = _LOOSE_RTOL if iterative else _TIGHT_RTOL
    Vp = None
    for k in range(1, max_iter + 1):
        Vp = _evaluate_policy(mdp, pol, evaluation, Vp, rtol)
        _, new = _bellman(mdp, Vp)
        if np.array_equal(new, pol):
            if rtol == _TIGHT_RTOL:
                return MDPSolution(Vp, pol, k)
            rtol = _TIGHT_RTOL  # confirm with an accurate evaluation before stopping
        pol = new
    raise RuntimeError(f"policy iteration did not converge in {max_iter} iterations")


def modified_policy_iteration(
    mdp: FiniteMDP,
    epsilon: float = 1e-3,
    k: int = 20,
    V0: np.ndarray | None = None,
    max_iter: int = 100_000,
) -> MDPSolution:
    r"""Modified policy iteration (Puterman 1994, Sec. 6.5), QuantEcon's variant.

    Each step takes the greedy policy :math:`\sigma` for :math:`V` with
    :math:`U = TV`, stops if :math:`\mathrm{span}(U - V) < \varepsilon(1-\lambda)/\lambda`
    (returning :math:`U + \mathrm{mid}(U - V)\,\lambda/(1-\lambda)`, an
    :math:`\varepsilon`-optimal value, and :math:`\sigma`), and otherwise applies
    :math:`T_\sigma U = r_\sigma + \lambda P_\sigma U` ``k`` times (partial evaluation).
    Starts from :math:`\min_{s,a} r(s,a)/(1-\lambda)`, below :math:`V^\star`, so the iterates
    increase monotonically.
    """
    _check_mdp(mdp)
    epsilon, max_iter = _epsilon(epsilon), _iterations(max_iter)
    k = check_nonnegative_int(k, "k")
    lam = mdp.discount
    tol = epsilon * (1 - lam) / lam if lam > 0 else np.inf
    V = _start(mdp, V0, np.full(mdp.n_states, mdp.R.min() / (1 - lam)))
    for it in range(1, max_iter + 1):
        U, sigma = _bellman(mdp, V)
        diff = U - V
        lo, hi = diff.min(), diff.max()
        if hi - lo < tol:
            return MDPSolution(U + (lo + hi) / 2 * lam / (1 - lam), sigma, it)
        rows = _policy_rows(mdp, sigma)
        r, P_pi = mdp.R[rows], mdp.P[rows]
        for _ in range(int(k)):
            U = r + lam * (P_pi @ U)
        V = U
    raise RuntimeError(f"modified policy iteration did not converge in {max_iter} iterations")
