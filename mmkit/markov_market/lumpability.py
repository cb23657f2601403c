r"""How wrong is the Markov model of the market pressure?

The pressure :math:`S_t = \sum_k x_{k,t}` is a function of the agents' configuration
:math:`x_t \in \{-1,0,1\}^N`, which *is* a Markov chain (transition
:math:`T = \bigotimes_k T_k`, stationary law :math:`w = \bigotimes_k \pi_k`). The pressure itself
is Markov only if the chain is *lumpable* with respect to :math:`S`: every configuration with
the same sum must have the same law of the next sum. In general it is not, and the chain
:math:`M` of :mod:`~mmkit.markov_market.pressure` is the stationary average over the
configurations in a level. This module measures the consequences exactly (by enumerating the
:math:`3^N` configurations, small :math:`N`) and statistically (on simulated paths):

* :func:`two_step_conditional`: :math:`P(S_{t+2} = d \mid S_t = s, S_{t+1} = s')` under
  stationarity, which equals :math:`M(s', d)` for every :math:`s` iff the pressure is
  second-order Markov-consistent; :func:`lumpability_gap` is the largest total-variation
  distance between the two;
* :func:`two_step_error`: :math:`M^2` against the true two-step law of the pressure, which is
  the pressure matrix of the agents' two-step chains :math:`T_k^2` (the stationary laws are the
  same);
* :func:`markov_test`: a chi-square test of homogeneity of :math:`S_{t+2}` across
  :math:`S_t` given :math:`S_{t+1}`, on a simulated path;
* :func:`policy_value_error`: the trading policy solved on :math:`M` (the slides' MDP) run on
  the agent-level chain, whose state :math:`(x, pos)` is Markov: its true value against the
  value the model :math:`M` predicts for it, and against the agent-level optimum.

Agents of tunable persistence: :func:`persistent_agents` gives
:math:`T_k = \rho I + (1-\rho)\,\mathbf 1 \pi_k^\top` (stay with probability :math:`\rho`,
otherwise draw afresh from :math:`\pi_k`). At :math:`\rho = 0` the agents are i.i.d. across
time, the pressure is i.i.d. and therefore Markov: every error here is zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import chdtrc

from mmkit.common.mdp import policy_iteration
from mmkit.common.validation import (
    check_array,
    check_discount,
    check_nonnegative_int,
    check_positive_int,
    check_real,
)
from mmkit.markov_market.pressure import (
    STATES,
    as_groups,
    n_agents,
    policy_table,
    pressure_matrix,
    stationary_distribution,
    trading_mdp,
)

__all__ = [
    "BASE_LAWS",
    "persistent_agents",
    "config_chain",
    "two_step_conditional",
    "lumpability_gap",
    "two_step_error",
    "MarkovTest",
    "markov_test",
    "PolicyValueError",
    "policy_value_error",
    "error_grid",
]

#: Long-run laws of three agent types over (sell, hold, buy): a seller, a neutral agent, a buyer.
BASE_LAWS = np.array([[0.5, 0.3, 0.2], [0.3, 0.4, 0.3], [0.2, 0.3, 0.5]])
MAX_AGENTS = 8


def persistent_agents(N: int, rho: float, laws: np.ndarray = BASE_LAWS) -> list[np.ndarray]:
    r"""``N`` agents :math:`T_k = \rho I + (1-\rho)\mathbf 1\pi_k^\top`, the laws cycling
    through ``laws`` (seller, neutral, buyer, seller, ...)."""
    N = check_positive_int(N, "N")
    rho = check_real(rho, "rho", 0.0, 1.0, hi_open=True)
    laws = check_array(laws, "laws", shape=(None, 3), lo=0.0, hi=1.0)
    if not np.allclose(laws.sum(axis=1), 1.0, rtol=0.0, atol=1e-9):
        raise ValueError("laws must be probability vectors over (sell, hold, buy): rows summing to 1")
    return [rho * np.eye(3) + (1 - rho) * np.tile(laws[k % len(laws)], (3, 1)) for k in range(int(N))]


@dataclass(frozen=True)
class _Chain:
    T: np.ndarray  # (3^N, 3^N) configuration chain
    w: np.ndarray  # stationary law of configurations
    S: np.ndarray  # pressure of each configuration, in -N..N
    N: int


def config_chain(agents) -> _Chain:
    """The agent-level chain: Kronecker product of the agents' matrices (``N <= 8``)."""
    groups = as_groups(agents)
    N = n_agents(groups)
    if N > MAX_AGENTS:
        raise ValueError(f"N must be <= {MAX_AGENTS} for the agent-level chain (3^N states), got {N}")
    Ts = [g.T for g in groups for _ in range(g.n)]
    T: np.ndarray = np.ones((1, 1))
    w: np.ndarray = np.ones(1)
    S = np.zeros(1, dtype=np.int64)
    for Tk in Ts:
        T = np.kron(T, Tk)
        w = np.kron(w, stationary_distribution(Tk))
        S = (S[:, None] + STATES[None, :]).ravel()
    return _Chain(T, w, S, N)


def _onehot(S: np.ndarray, N: int) -> np.ndarray:
    G = np.zeros((S.size, 2 * N + 1))
    G[np.arange(S.size), S + N] = 1.0
    return G


def two_step_conditional(agents) -> tuple[np.ndarray, np.ndarray]:
    r"""``(P3, J)``: :math:`P3[s, s', d] = P(S_{t+2}=d \mid S_t=s, S_{t+1}=s')` and the
    stationary joint :math:`J[s, s'] = P(S_t=s, S_{t+1}=s')` (rows of ``P3`` with ``J = 0``
    are zero)."""
    ch = config_chain(agents)
    G = _onehot(ch.S, ch.N)
    E = G.T @ (ch.w[:, None] * ch.T)  # (s, x1): P(S_t = s, x_{t+1} = x1)
    Qd = ch.T @ G  # (x1, d): P(S_{t+2} = d | x_{t+1} = x1)
    joint3 = np.einsum("sx,xt,xd->std", E, G, Qd)
    J = joint3.sum(axis=2)
    P3 = np.divide(joint3, J[:, :, None], out=np.zeros_like(joint3), where=J[:, :, None] > 0)
    return P3, J


def lumpability_gap(agents) -> tuple[float, float]:
    r"""Largest and :math:`J`-weighted mean total-variation distance between
    :math:`P(S_{t+2} \mid S_t, S_{t+1})` and :math:`M(S_{t+1}, \cdot)`."""
    P3, J = two_step_conditional(agents)
    M = pressure_matrix(agents)
    tv = 0.5 * np.abs(P3 - M[None, :, :]).sum(axis=2)
    tv = np.where(J > 0, tv, 0.0)
    return float(tv.max()), float((J * tv).sum())


def two_step_error(agents) -> float:
    r"""Largest row total-variation distance between :math:`M^2` and the true two-step law
    of the pressure (the pressure matrix of the agents' :math:`T_k^2`)."""
    groups = as_groups(agents)
    M = pressure_matrix(groups)
    M2 = pressure_matrix([g.T @ g.T for g in groups for _ in range(g.n)])
    return float(0.5 * np.abs(M @ M - M2).sum(axis=1).max())


@dataclass(frozen=True)
class MarkovTest:
    """Chi-square homogeneity test of :math:`S_{t+2}` across :math:`S_t` given :math:`S_{t+1}`:
    statistic, degrees of freedom, p-value, and the number of triples counted."""

    chi2: float
    dof: int
    pvalue: float
    n: int


def markov_test(pressure: np.ndarray, N: int, min_count: int = 5) -> MarkovTest:
    r"""Test the Markov property of a pressure path on its triples :math:`(S_t, S_{t+1}, S_{t+2})`.

    For each middle value :math:`s'` the counts form a table (rows :math:`s`, columns
    :math:`d`); under the Markov hypothesis its rows share one law, :math:`M(s', \cdot)`.
    Rows and columns with fewer than ``min_count`` counts are dropped; the statistics of the
    middle values are added (independent tables), with
    :math:`\sum (r-1)(c-1)` degrees of freedom.
    """
    N = check_positive_int(N, "N")
    min_count = check_nonnegative_int(min_count, "min_count")
    raw = check_array(pressure, "pressure", ndim=1)
    if np.any(raw != np.round(raw)):
        raise ValueError("pressure must hold integer values in [-N, N]")
    p = raw.astype(np.int64) + N
    n = 2 * N + 1
    if p.ndim != 1 or p.size < 3 or p.min() < 0 or p.max() >= n:
        raise ValueError(f"pressure must be a 1-D path of at least 3 values in [-{N}, {N}]")
    code = (p[:-2] * n + p[1:-1]) * n + p[2:]
    C = np.bincount(code, minlength=n**3).reshape(n, n, n).astype(float)  # [s, s', d]
    stat, dof = 0.0, 0
    for mid in range(n):
        tab = C[:, mid, :]
        tab = tab[tab.sum(axis=1) >= min_count][:, tab.sum(axis=0) >= min_count]
        if tab.shape[0] < 2 or tab.shape[1] < 2:
            continue
        exp = tab.sum(axis=1, keepdims=True) * tab.sum(axis=0, keepdims=True) / tab.sum()
        stat += float(((tab - exp) ** 2 / exp).sum())
        dof += (tab.shape[0] - 1) * (tab.shape[1] - 1)
    pval = float(chdtrc(dof, stat)) if dof else 1.0
    return MarkovTest(stat, dof, pval, int(p.size - 2))


@dataclass(frozen=True)
class PolicyValueError:
    """The slides' trading policy, solved on :math:`M`, run on the agent-level chain.

    Values are averages over the stationary law of the configurations, at position 0:
    ``predicted`` (what the model :math:`M` says the policy earns), ``actual`` (what it earns
    on the true chain), ``optimal`` (the agent-level optimum). ``rel_error`` is
    ``|predicted - actual| / |actual|`` (the error on average), ``state_error`` is the
    stationary mean of ``|V_M(S(x), 0) - V(x, 0)|`` over that of ``|V(x, 0)|`` (the error state
    by state: the model gives one value to all configurations of a pressure level) and
    ``regret`` is ``(optimal - actual) / |optimal|`` (what a trader who saw the configuration,
    not only the pressure, would earn in addition).
    """

    predicted: float
    actual: float
    optimal: float
    rel_error: float
    state_error: float
    regret: float


def _agent_level(ch: _Chain, c: float):
    """Rewards ``r[x, p, a]`` (``-inf`` if infeasible) and next positions of the agent-level MDP."""
    N = ch.N
    pos = np.arange(-N, N + 1)
    newp = pos[:, None] + STATES[None, :]  # (p, a)
    ok = np.abs(newp) <= N
    pn = np.clip(newp, -N, N)
    drift = ch.T @ ch.S  # E[S' | x]
    pen = np.maximum(np.abs(pos)[None, :] - np.abs(ch.S)[:, None], 0)  # (x', p')
    Epen = ch.T @ pen  # (x, p')
    r = drift[:, None, None] * pn[None] - c * Epen[:, pn + N]
    return np.where(ok[None], r, -np.inf), pn + N


def _iterate(ch: _Chain, r: np.ndarray, nxt: np.ndarray, lam: float, pol=None, tol=1e-12):
    """Value iteration (``pol`` None) or evaluation of ``pol[x, p]`` on the agent-level MDP."""
    nx, npos, _ = r.shape
    V = np.zeros((nx, npos))
    xs, ps = np.arange(nx)[:, None], np.arange(npos)[None, :]
    for _ in range(100_000):
        EV = ch.T @ V  # (x, p'): E[V(x', p') | x]
        Q = r + lam * EV[:, nxt]  # (x, p, a)
        V_new = Q.max(axis=2) if pol is None else Q[xs, ps, pol]
        if np.max(np.abs(V_new - V)) < tol * (1 - lam):
            return V_new
        V = V_new
    raise RuntimeError("agent-level iteration did not converge")  # pragma: no cover


def policy_value_error(agents, c: float = 0.1, discount: float = 0.95) -> PolicyValueError:
    """Solve the trading MDP on the pressure chain, then value its policy on the true chain."""
    discount = check_discount(discount)
    c = check_real(c, "c")
    ch = config_chain(agents)
    N = ch.N
    model = trading_mdp(pressure_matrix(agents), c, discount)
    sol = policy_iteration(model)
    V_M = sol.V.reshape(2 * N + 1, 2 * N + 1)  # [i, pos]
    act = policy_table(sol.policy, N)  # [i, pos] in {-1, 0, 1}
    r, nxt = _agent_level(ch, c)
    pol = act[ch.S + N] + 1  # [x, p] action index
    V_pi = _iterate(ch, r, nxt, discount, pol)
    V_opt = _iterate(ch, r, nxt, discount)
    predicted = float(ch.w @ V_M[ch.S + N, N])
    actual = float(ch.w @ V_pi[:, N])
    optimal = float(ch.w @ V_opt[:, N])
    scale = float(ch.w @ np.abs(V_pi[:, N]))
    state = float(ch.w @ np.abs(V_M[ch.S + N, N] - V_pi[:, N])) / scale if scale > 0 else 0.0
    return PolicyValueError(
        predicted,
        actual,
        optimal,
        abs(predicted - actual) / abs(actual) if actual else 0.0,
        state,
        (optimal - actual) / abs(optimal) if optimal else 0.0,
    )


def error_grid(
    sizes: Sequence[int], persistences: Sequence[float], c: float = 0.1, discount: float = 0.95
) -> dict[str, np.ndarray]:
    """:func:`lumpability_gap`, :func:`two_step_error` and :func:`policy_value_error` on a grid
    of market sizes and persistences; arrays of shape ``(len(sizes), len(persistences))``."""
    keys = (
        "gap_max",
        "gap_mean",
        "two_step",
        "rel_error",
        "state_error",
        "regret",
        "predicted",
        "actual",
        "optimal",
    )
    for name, seq in (("sizes", sizes), ("persistences", persistences)):
        if seq is None or isinstance(seq, (str, bytes)) or not hasattr(seq, "__len__") or len(seq) == 0:
            raise TypeError(f"{name} must be a non-empty sequence, got {seq!r}")
    sizes = [check_positive_int(N, "sizes") for N in sizes]
    persistences = [check_real(r, "persistences", 0.0, 1.0, hi_open=True) for r in persistences]
    c, discount = check_real(c, "c"), check_discount(discount)
    out = {k: np.zeros((len(sizes), len(persistences))) for k in keys}
    for i, N in enumerate(sizes):
        for j, rho in enumerate(persistences):
            ag = persistent_agents(N, rho)
            out["gap_max"][i, j], out["gap_mean"][i, j] = lumpability_gap(ag)
            out["two_step"][i, j] = two_step_error(ag)
            pv = policy_value_error(ag, c, discount)
            for k in keys[3:]:
                out[k][i, j] = getattr(pv, k)
    return out
