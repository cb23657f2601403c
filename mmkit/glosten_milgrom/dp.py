"""The dynamic programme over the information disadvantage rho (Das & Magdon-Ismail, sec. 3)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from mmkit.common.validation import check_bool, check_positive, check_real_array
from mmkit.glosten_milgrom.gaussian import (
    _factors_from,
    _profit_from,
    _profit_terms,
    _q_moments,
    _trade_probability,
    half_spread,
    nsf,
    one_step_profit,
)
from mmkit.glosten_milgrom.params import GMParams, _check_rho, check_params
from mmkit.glosten_milgrom.quotes import Q_STAR

__all__ = ["DPSolution", "default_rho_grid", "evaluate_policy", "solve_dp"]


def default_rho_grid(
    rho_max: float = 5.0, fine_step: float = 0.002, step: float = 0.005, fine_until: float = 0.1
) -> np.ndarray:
    """The spec's rho grid: step 0.002 on [0, 0.1], then 0.005 up to ``rho_max``."""
    rho_max = check_positive(rho_max, "rho_max")
    fine_step = check_positive(fine_step, "fine_step")
    step = check_positive(step, "step")
    fine_until = check_positive(fine_until, "fine_until")
    if fine_until / fine_step + (rho_max - fine_until) / step > 1e7:
        raise ValueError("fine_step and step must give at most 1e7 grid nodes")
    if rho_max <= fine_until:
        raise ValueError(f"rho_max must be > {fine_until}, got {rho_max}")
    a = np.arange(0.0, fine_until, fine_step)
    b = np.arange(fine_until, rho_max + step / 2, step)
    return np.concatenate([a, b])


@dataclass
class DPSolution:
    """Solution of the Bellman equation (1) of Das & Magdon-Ismail on a rho grid.

    Values are stored per unit of sigma_eps (the value scales linearly with sigma_eps);
    the methods return price units.

    Attributes
    ----------
    params : GMParams
    rho : ndarray
        Grid of information disadvantages sigma/sigma_eps.
    v : ndarray
        Value V(rho) / sigma_eps.
    q_grid_values : ndarray
        Optimal normalised half-spread q*(rho) at the grid nodes (interpolate with :meth:`q`).
    method : str
        ``"self-consistent"`` or ``"naive"`` treatment of next states between grid nodes.
    """

    params: GMParams
    rho: np.ndarray
    v: np.ndarray
    q_grid_values: np.ndarray
    method: str

    def _rho(self, rho):
        r = _check_rho(rho)
        if np.any(r > self.rho[-1] + 1e-12):
            raise ValueError(f"rho must be <= rho_max = {self.rho[-1]:g} of the DP grid, got {rho}")
        return r

    def value(self, rho):
        """Optimal expected discounted profit V(rho) (price units), linear interpolation in rho^2."""
        r = self._rho(rho)
        return self.params.sigma_eps * np.interp(r**2, self.rho**2, self.v)

    def q(self, rho):
        """Optimal q*(rho), interpolated linearly in rho."""
        return np.interp(self._rho(rho), self.rho, self.q_grid_values)

    def half_spread(self, rho):
        """Optimal half-spread delta*(rho) = q* sigma_eps sqrt(1+rho^2) (price units)."""
        r = self._rho(rho)
        return half_spread(r, self.q(r), self.params.sigma_eps)

    def one_step_profit(self, rho):
        """Expected profit of the next trade under the optimal policy (price units)."""
        r = self._rho(rho)
        return one_step_profit(r, self.q(r), self.params.sigma_eps)

    @property
    def rho_max(self) -> float:
        return float(self.rho[-1])


def _dp_grid(rho, name: str = "rho") -> np.ndarray:
    """The DP's rho grid: :func:`default_rho_grid` when None, else validated."""
    if rho is None:
        return default_rho_grid()
    rho = check_real_array(rho, name, 0.0)
    if rho.ndim != 1 or rho.size < 2 or rho[0] != 0 or np.any(np.diff(rho) <= 0):
        raise ValueError(f"{name} must be an increasing 1-D grid of >= 2 nodes starting at 0, got {rho}")
    return rho


def _continuation(x_next, xs, vs, k, method):
    """Split V(x_next) into (known part, weight on the unknown V_k)."""
    xk1 = xs[k - 1]
    known = np.interp(x_next, xs[:k], vs[:k])
    between = x_next > xk1
    if method == "naive":
        return np.where(between, vs[k - 1], known), np.zeros_like(x_next)
    w = np.where(between, (x_next - xk1) / (xs[k] - xk1), 0.0)
    return np.where(between, (1.0 - w) * vs[k - 1], known), w


@dataclass(frozen=True)
class _QTerms:
    """The q-only parts of the node objective for a vector of candidate q (no validation).

    Computed once per q vector (once per solve for the main q grid) and combined with each
    node's rho by :func:`_node_objective`; the arithmetic is that of :func:`update_factors`,
    :func:`one_step_profit` and :func:`trade_probability`, so the values are bit-identical.
    """

    p_tr: np.ndarray
    moments: tuple
    profit: tuple

    @classmethod
    def of(cls, q) -> _QTerms:
        q = np.asarray(q, dtype=float)
        return cls(_trade_probability(q), _q_moments(q), _profit_terms(q))

    def take(self, sl: slice) -> _QTerms:
        """The terms of ``q[sl]`` (elementwise, so equal to recomputing them)."""
        return _QTerms(self.p_tr[sl], tuple(m[sl] for m in self.moments), tuple(t[sl] for t in self.profit))


def _node_objective(qt: _QTerms, rho, k, xs, vs, gamma, method):
    """Self-consistent value for node k at the actions of ``qt``: a(q) / (1 - b(q))."""
    rho = np.asarray(rho, dtype=float)
    alpha, beta, _ = _factors_from(rho, qt.moments)
    x = rho * rho
    p_tr = qt.p_tr
    r = _profit_from(rho, qt.profit)
    ka, wa = _continuation(alpha**2 * x, xs, vs, k, method)
    kb, wb = _continuation(beta**2 * x, xs, vs, k, method)
    a = r + gamma * (p_tr * ka + (1.0 - p_tr) * kb)
    b = gamma * (p_tr * wa + (1.0 - p_tr) * wb)
    return a / (1.0 - b)


def solve_dp(
    params: GMParams = GMParams(),
    rho: Sequence[float] | None = None,
    *,
    q_grid: Sequence[float] | None = None,
    method: str = "self-consistent",
    refine: bool = True,
) -> DPSolution:
    """Single-pass DP for the optimal market maker over the information disadvantage rho.

    By Theorem 2.1 the right-hand side of the Bellman equation in x = rho^2,

    ``V(x) = max_q r(x, q) + gamma [2 Q(q) V(alpha^2 x) + (2 Phi(q) - 1) V(beta^2 x)]``,

    involves only states below x, so the grid is swept upward once from V(0). A next state
    between the previous node x_{k-1} and x_k is interpolated with the unknown V_k itself
    (``method="self-consistent"``, spec A.6): the right-hand side is then affine in V_k,
    ``a(q) + b(q) V_k`` with ``b < gamma``, and the fixed point of ``max_q`` is exactly
    ``V_k = max_q a(q) / (1 - b(q))`` (no iteration needed). ``method="naive"`` instead
    clamps such states to V_{k-1}, which overstates V; the error grows with the grid step
    (about 0.03 at most on the default grid, 0.10 with a uniform step of 0.02).

    Parameters
    ----------
    params : GMParams
        ``noise_share`` must be 0. Values are computed per unit of sigma_eps.
    rho : array_like, optional
        Increasing grid starting at 0; default :func:`default_rho_grid` (1,031 nodes to 5).
    q_grid : array_like, optional
        Candidate q values; default step 0.0025 on [0.3, 6].
    method : {"self-consistent", "naive"}
    refine : bool
        Refine the best grid q by three rounds of local zooming (to about 1e-6).
    """
    check_params(params).require_no_noise("the DP")
    if method not in ("self-consistent", "naive"):
        raise ValueError(f"method must be 'self-consistent' or 'naive', got {method!r}")
    grid = _dp_grid(rho)
    qg = np.arange(0.3, 6.0 + 1e-9, 0.0025) if q_grid is None else check_real_array(q_grid, "q_grid", 0.0)
    refine = check_bool(refine, "refine")
    gamma = params.gamma
    xs = grid**2
    vs = np.empty_like(grid)
    qs = np.empty_like(grid)
    # x = 0: the state never changes; V(0) = max_q 2 q Q(q) / (1 - gamma), q = Q_STAR.
    qs[0] = Q_STAR
    vs[0] = 2.0 * Q_STAR * float(nsf(Q_STAR)) / (1.0 - gamma)
    dq = float(np.min(np.diff(qg))) if qg.size > 1 else 0.01
    terms = _QTerms.of(qg)  # the q-only parts, computed once for every node
    for k in range(1, grid.size):
        f = _node_objective(terms, grid[k], k, xs, vs, gamma, method)
        j = int(np.argmax(f))
        qbest, fbest = qg[j], f[j]
        if refine:
            half = dq
            for _ in range(3):
                cand = np.linspace(max(qbest - half, 0.0), qbest + half, 41)
                fc = _node_objective(_QTerms.of(cand), grid[k], k, xs, vs, gamma, method)
                jj = int(np.argmax(fc))
                if fc[jj] > fbest:
                    qbest, fbest = cand[jj], fc[jj]
                half = 2.0 * half / 40.0
        qs[k], vs[k] = qbest, fbest
    return DPSolution(params, grid, vs, qs, method)


def evaluate_policy(
    q_of_rho: Callable[[np.ndarray], np.ndarray],
    params: GMParams = GMParams(),
    rho: Sequence[float] | None = None,
) -> np.ndarray:
    """Gaussian-world value V(rho)/sigma_eps of a fixed symmetric policy q(rho).

    Same single upward pass as :func:`solve_dp` (self-consistent interpolation), without the
    max; e.g. ``evaluate_policy(q_myopic)`` is the myopic "theoretical" curve of Fig. 3(a).
    """
    check_params(params).require_no_noise("policy evaluation")
    if not callable(q_of_rho):
        raise TypeError(f"q_of_rho must be a callable rho -> q, got {type(q_of_rho).__name__}")
    grid = _dp_grid(rho)
    xs = grid**2
    vs = np.empty_like(grid)
    q0 = float(np.asarray(q_of_rho(np.array([0.0])))[0])
    vs[0] = 2.0 * q0 * float(nsf(q0)) / (1.0 - params.gamma)
    # validated once here (the kernels below do not check q)
    terms = _QTerms.of(check_real_array(q_of_rho(grid), "q_of_rho(rho)", 0.0))
    for k in range(1, grid.size):
        qt = terms.take(slice(k, k + 1))
        vs[k] = _node_objective(qt, grid[k], k, xs, vs, params.gamma, "self-consistent")[0]
    return vs
