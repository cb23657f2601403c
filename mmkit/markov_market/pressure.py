r"""Agent-based Markov markets: agent chains, the market-pressure chain, and a trading MDP.

Model (Martinez, Harrison and Harder)
-------------------------------------
Each agent :math:`k` is a discrete-time Markov chain on :math:`\{-1, 0, 1\}` (sell, hold, buy)
with a 3x3 transition matrix :math:`T_k`; agents move independently. The *market pressure* is
:math:`S_t = \sum_k x_{k,t} \in \{-N, \dots, N\}`, a chain on :math:`2N+1` states instead of
:math:`3^N` configurations. Its transition matrix is

.. math::  M(s, d) = \frac{\sum_{x:\sum x = s} w(x)\, P(\sum_k x'_k = d \mid x)}
                          {\sum_{x:\sum x = s} w(x)},
           \qquad w(x) = \prod_k w_k(x_k),

with ``weighting="stationary"`` (:math:`w_k = \pi_k`, agent :math:`k`'s stationary law: the
long-run frequency of each configuration, which reproduces the slides' matrix) or
``weighting="uniform"`` (:math:`w_k \equiv 1/3`). In generating-function form, with
:math:`\Phi_k(y, z) = \sum_{x, x'} w_k(x) T_k(x, x') y^x z^{x'}`,

.. math::  M(s, d) = [y^s z^d] \prod_k \Phi_k(y, z) \,/\, [y^s] \prod_k \Phi_k(y, 1),

one 2-D convolution per agent; a group of :math:`n` identical agents contributes
:math:`\Phi^n`.

Numerics
--------
* Stationary laws by the GTH algorithm (Grassmann, Taksar and Heyman 1985): no subtractions,
  so every entry has small *relative* error, even for nearly decomposable chains.
* ``method="direct"`` (the default): the 2-D convolutions, one agent at a time, with every row
  kept normalised and its log-mass carried separately (no underflow of rows of probability
  :math:`0.3^{1000}`). Only non-negative numbers are added and multiplied, so every entry has
  a *relative* error of a few ulps per agent. Cost :math:`O(N^3)` (about 0.3 s at
  :math:`N = 200`, 2.6 s at 400).
* ``method="fft"`` (opt-in, fast, absolute accuracy only): exponential tilting (Esscher transform). For a tilt :math:`\theta`, replace
  :math:`w_k(x)` by :math:`w_k(x)e^{\theta x}/Z_k(\theta)`; every conditional row
  :math:`M(s,\cdot)` is unchanged, but the tilted law of :math:`S` puts mass of order
  :math:`N^{-1/2}` on the rows near the tilted mean. A few tilts cover all rows; each is one
  small 2-D real FFT whose period in :math:`y` is chosen from the exact log-marginal of
  :math:`S` so that aliasing is below :math:`e^{-35}` of every row's mass. :math:`N = 1000`
  (2001 states) takes about a second. Its round-off is absolute, about 1e-11 per entry
  (it grows slowly with :math:`N`), so the tail entries of a row, which fall far below that
  once :math:`N` exceeds a few dozen (down to :math:`0.3^N`), have no relative accuracy.
* ``brute_force_pressure_matrix``: enumerates all :math:`3^N` configurations (the independent
  check, feasible to :math:`N \approx 12`).

Rows whose pressure level has probability zero under the weighting (possible only when some
:math:`w_k(x) = 0`) are not defined by the formula; they are filled with the uniform-weighting
row (documented convention).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.fft import irfft2, next_fast_len

from mmkit.common.markov import stationary_distribution, validate_transition
from mmkit.common.mdp import FiniteMDP, check_discount
from mmkit.common.numerics import logsumexp
from mmkit.common.validation import (
    check_array,
    check_bool,
    check_finite,
    check_int,
    check_positive,
    check_positive_int,
    check_stochastic_matrix,
)

__all__ = [
    "AgentGroup",
    "validate_transition",
    "stationary_distribution",
    "as_groups",
    "n_agents",
    "agent_weights",
    "pressure_log_marginal",
    "pressure_distribution",
    "pressure_matrix",
    "brute_force_pressure_matrix",
    "expected_next",
    "simulate_agents",
    "empirical_transition_matrix",
    "convergence_curve",
    "price_path",
    "TradingReading",
    "READINGS",
    "get_reading",
    "trading_mdp",
    "policy_table",
    "ACTIONS",
]

STATES = np.array([-1, 0, 1])
ACTIONS = np.array([-1, 0, 1])
WEIGHTINGS = ("stationary", "uniform")
METHODS = ("auto", "direct", "fft")


# --------------------------------------------------------------------------- agent chains
@dataclass(frozen=True)
class AgentGroup:
    """``n`` identical agents with transition matrix ``T`` over (-1, 0, 1)."""

    T: np.ndarray
    n: int = 1
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "T", validate_transition(self.T, f"T of group {self.name!r}" if self.name else "T")
        )
        check_positive_int(self.n, "N (agents in a group)")
        object.__setattr__(self, "n", int(self.n))


def as_groups(agents) -> list[AgentGroup]:
    """Normalise agents: an :class:`AgentGroup`, a 3x3 matrix, or a sequence of either."""
    if isinstance(agents, AgentGroup):
        return [agents]
    if agents is None or isinstance(agents, (str, bytes)) or not hasattr(agents, "__iter__"):
        raise TypeError(
            f"agents must be an AgentGroup, a 3x3 transition matrix T or a sequence of them, got {type(agents).__name__}"
        )
    items = agents if isinstance(agents, np.ndarray) else list(agents)
    for a in items:
        if a is None or isinstance(a, (str, bytes)):
            raise TypeError(f"agents must hold AgentGroups or 3x3 matrices T, got {type(a).__name__}")
    if not any(isinstance(a, AgentGroup) for a in items) and np.ndim(items) == 2:
        return [AgentGroup(np.asarray(items, dtype=float))]  # one matrix (array or nested lists)
    out = [a if isinstance(a, AgentGroup) else AgentGroup(np.asarray(a, dtype=float)) for a in items]
    if not out:
        raise ValueError("N must be >= 1: no agents given")
    return out


def n_agents(groups: Sequence[AgentGroup]) -> int:
    """Total number of agents :math:`N`."""
    if (
        groups is None
        or isinstance(groups, (str, bytes))
        or not all(isinstance(g, AgentGroup) for g in groups)
    ):
        raise TypeError("groups must be a sequence of AgentGroup (see as_groups)")
    if len(groups) == 0:
        raise ValueError("groups must hold at least one AgentGroup")
    return int(sum(g.n for g in groups))


def agent_weights(T: np.ndarray, weighting: str) -> np.ndarray:
    """Configuration weights :math:`w(x)` of one agent: stationary law or uniform."""
    T = validate_transition(T, "T")
    if weighting == "stationary":
        return stationary_distribution(T)
    if weighting == "uniform":
        return np.full(3, 1.0 / 3.0)
    raise ValueError(f"weighting must be one of {WEIGHTINGS}, got {weighting!r}")


def pressure_log_marginal(groups, weighting: str = "stationary") -> np.ndarray:
    r""":math:`\log P(S = s)`, :math:`s = -N..N`, when each configuration has weight
    :math:`\prod_k w_k(x_k)` (exact; log-domain 3-tap convolutions, :math:`O(N^2)`)."""
    groups = as_groups(groups)
    N = n_agents(groups)
    L = np.full(2 * N + 1, -np.inf)
    L[N] = 0.0
    lo = hi = N
    with np.errstate(divide="ignore"):
        for g in groups:
            lw = np.log(agent_weights(g.T, weighting))
            for _ in range(g.n):
                cur = L[lo : hi + 1]
                terms = np.full((3, hi - lo + 3), -np.inf)
                for k in range(3):
                    terms[k, k : k + hi - lo + 1] = cur + lw[k]
                lo, hi = lo - 1, hi + 1
                L[lo : hi + 1] = logsumexp(terms, axis=0)
    return L


def pressure_distribution(groups, weighting: str = "stationary") -> np.ndarray:
    """:math:`P(S = s)` for :math:`s = -N..N` (the stationary law of the pressure chain)."""
    L = pressure_log_marginal(groups, weighting)
    p = np.exp(L - np.max(L))
    return p / p.sum()


def _check_pressure_matrix(M: np.ndarray) -> np.ndarray:
    """A stochastic matrix of odd size 2N+1 over the pressure values -N..N."""
    A = check_stochastic_matrix(M, "M")
    if A.shape[0] % 2 != 1:
        raise ValueError(f"M must be square of odd size 2N+1 (pressure -N..N), got shape {A.shape}")
    return A


def expected_next(M: np.ndarray) -> np.ndarray:
    r"""Drift :math:`E[S_{t+1} \mid S_t = s] = \sum_d d\, M(s, d)`."""
    M = _check_pressure_matrix(M)
    N = (M.shape[0] - 1) // 2
    return M @ np.arange(-N, N + 1)


# ------------------------------------------------------------------ pressure matrix: direct
def _pressure_direct(groups: list[AgentGroup], weighting: str) -> tuple[np.ndarray, np.ndarray]:
    """Row-normalised 2-D convolutions with log row-masses; returns (M, log-marginal)."""
    B = np.ones((1, 1))  # B[s, d] rows normalised
    Lm = np.zeros(1)  # log P(S = s)
    with np.errstate(divide="ignore", invalid="ignore"):
        for g in groups:
            lw = np.log(agent_weights(g.T, weighting))
            for _ in range(g.n):
                n0 = B.shape[0]
                logs = np.full((3, n0 + 2), -np.inf)
                for k in range(3):
                    logs[k, k : k + n0] = Lm + lw[k]
                Lnew = logsumexp(logs, axis=0)
                coef = np.exp(logs - np.where(np.isfinite(Lnew), Lnew, 0.0))
                coef[:, ~np.isfinite(Lnew)] = 0.0
                Bn = np.zeros((n0 + 2, n0 + 2))
                for k in range(3):  # current state x = k - 1 shifts s
                    for j in range(3):  # next state x' = j - 1 shifts d
                        t = g.T[k, j]
                        if t == 0.0:
                            continue
                        Bn[k : k + n0, j : j + n0] += (coef[k, k : k + n0, None] * t) * B
                B, Lm = Bn, Lnew
    return B, Lm


# --------------------------------------------------------------------- pressure matrix: fft
def _tilted_rows(
    groups: list[AgentGroup], weights: list[np.ndarray], N: int, theta: float, rows: np.ndarray, Ly: int
) -> np.ndarray:
    """Rows ``rows`` (pressure values) of the tilted joint law of (S, S') via one real FFT."""
    Lz = 2 * N + 1
    ky = np.arange(Ly)
    kz = np.arange(Lz // 2 + 1)
    ay = np.exp(-2j * np.pi * np.outer(ky, STATES) / Ly)  # (Ly, 3)
    bz = np.exp(-2j * np.pi * np.outer(STATES, kz) / Lz)  # (3, Lz')
    log_abs = np.zeros((Ly, Lz // 2 + 1))
    ang = np.zeros((Ly, Lz // 2 + 1))
    with np.errstate(divide="ignore"):
        for g, w in zip(groups, weights):
            wt = w * np.exp(theta * STATES - np.max(theta * STATES))
            wt = wt / wt.sum()
            J = wt[:, None] * g.T  # tilted joint (x, x')
            phi = ay @ (J @ bz)  # characteristic function
            log_abs += g.n * np.log(np.abs(phi))  # phi^n in polar form
            ang += g.n * np.angle(phi)
    spec = np.exp(log_abs) * np.exp(1j * ang)
    grid = irfft2(spec, s=(Ly, Lz))
    out = grid[np.mod(rows, Ly)][:, np.mod(np.arange(-N, N + 1), Lz)]
    return out


def _pressure_fft(
    groups: list[AgentGroup],
    weighting: str,
    Lm: np.ndarray,
    rel_window: float = 11.5,
    rel_alias: float = 35.0,
) -> np.ndarray:
    """Tilted-FFT construction of M over the rows with positive mass (others left NaN).

    Rows are covered left to right. For the first uncovered row ``i0`` a tilt is chosen
    whose tilted pressure law has ``i0`` within ``e^-rel_window`` of its peak; all rows in
    that range are computed from one real 2-D FFT whose period in ``y`` excludes every row
    with more than ``e^-rel_alias`` of the weakest computed row's mass.
    """
    N = n_agents(groups)
    n = 2 * N + 1
    s_all = np.arange(-N, N + 1)
    weights = [agent_weights(g.T, weighting) for g in groups]
    M = np.full((n, n), np.nan)
    reach = np.isfinite(Lm)
    covered = ~reach

    def tilted(theta: float) -> np.ndarray:
        lt = np.where(reach, Lm + theta * s_all, -np.inf)
        return lt - np.max(lt)

    while not covered.all():
        i0 = int(np.argmin(covered))
        lt0 = tilted(_tilt_for_mode(Lm, i0))
        p0 = np.exp(lt0)
        p0 /= p0.sum()
        sd0 = math.sqrt(max(float(p0 @ s_all**2 - (p0 @ s_all) ** 2), 0.0))
        step = int(math.ceil(4.0 * sd0))
        while True:
            centre = min(i0 + step, n - 1)
            while not reach[centre]:
                centre -= 1
            theta = _tilt_for_mode(Lm, centre)
            lt = tilted(theta)
            if lt[i0] >= -rel_window or step == 0:
                break
            step //= 2
        ok = lt >= -rel_window
        hi = i0
        while hi + 1 < n and (ok[hi + 1] or not reach[hi + 1]):
            hi += 1
        rows_idx = np.arange(i0, hi + 1)
        rows_idx = rows_idx[reach[rows_idx]]
        floor = float(np.min(lt[rows_idx])) - rel_alias
        heavy = np.where(lt >= floor)[0]
        span = int(max(heavy.max(), hi) - min(heavy.min(), i0) + 1)
        Ly = min(next_fast_len(span), n)
        R = np.maximum(_tilted_rows(groups, weights, N, theta, s_all[rows_idx], Ly), 0.0)
        M[rows_idx] = R / R.sum(axis=1, keepdims=True)
        covered[i0 : hi + 1] = True
    return M


def _tilt_for_mode(Lm: np.ndarray, centre: int) -> float:
    """Tilt :math:`\\theta` with :math:`L(s) + \\theta s` locally flat at ``centre``."""
    n = len(Lm)
    lo, hi = centre - 1, centre + 1
    while lo >= 0 and not np.isfinite(Lm[lo]):
        lo -= 1
    while hi < n and not np.isfinite(Lm[hi]):
        hi += 1
    if lo < 0 and hi >= n:
        return 0.0
    if lo < 0:  # lower edge of the support: push mass down hard enough
        return -(Lm[hi] - Lm[centre]) / (hi - centre) - 2.0
    if hi >= n:
        return -(Lm[centre] - Lm[lo]) / (centre - lo) + 2.0
    return -(Lm[hi] - Lm[lo]) / (hi - lo)


def pressure_matrix(agents, weighting: str = "stationary", method: str = "auto") -> np.ndarray:
    r"""The :math:`(2N+1) \times (2N+1)` market-pressure transition matrix :math:`M`.

    Parameters
    ----------
    agents : AgentGroup, 3x3 matrix, or sequence of either
        The agents; a group of ``n`` identical agents counts ``n`` times.
    weighting : {"stationary", "uniform"}
        Weight of a configuration :math:`x` within its pressure level: :math:`\prod_k \pi_k(x_k)`
        (the long-run frequency; reproduces the slides) or uniform.
    method : {"auto", "direct", "fft"}
        ``direct`` (2-D convolutions of non-negative numbers, :math:`O(N^3)`; relative accuracy
        on every entry), ``fft`` (tilted FFT, :math:`O(N^2 \log N)`; absolute accuracy only), or
        ``auto`` (the default: ``direct``, because the FFT cannot give relative accuracy, see
        Notes).

    Notes
    -----
    Stated accuracy. With ``direct`` (and ``auto``) every entry :math:`M(s, d) \ge 10^{-290}`
    has a relative error of at most :math:`4 N (1 + \max_s |\log P(S = s)|)\,\varepsilon`
    (:math:`\varepsilon = 2^{-52}`, the machine epsilon): each agent step forms a convex combination of non-negative
    entries (no cancellation) with weights :math:`P(x_k \mid S)` computed from log row masses,
    whose rounding is relative to their magnitude. At :math:`N = 1000` on the benchmark chain
    (``benchmarks/cases.py``) the bound is about 1e-9. Tested against exact rational enumeration on a nearly decomposable chain
    (transition probabilities :math:`2^{-20}` between its blocks, entries down to 1e-36) at
    :math:`N = 4` and 6, and against a 300-bit reference at :math:`N = 10`, per entry
    (``tests/test_pressure_accuracy.py``; measured 2.2e-15, 5.1e-15 and 4.4e-15 against
    bounds of 1e-13, 2e-13 and 6e-13; 2.1e-14 against 5e-12 at :math:`N = 30`). Smaller entries are in
    or near the subnormal range and carry an absolute error of a few :math:`N` times 5e-324.

    ``fft`` is accurate only in absolute terms, about 1e-11 per entry (1.1e-11 at
    :math:`N = 4` on that chain, 2e-11 at :math:`N = 100` and 5e-11 at :math:`N = 400` on the
    benchmark chain, larger on nearly decomposable chains: 5e-7 at :math:`N = 30` in issue 11).
    A row's tail entries fall below that bound once :math:`N` exceeds a few dozen, and no tilt
    of the rows alone brings them above it, so the FFT cannot certify them: ``auto`` therefore
    uses ``direct`` at every :math:`N`. Choose ``fft`` only for large :math:`N` when absolute
    accuracy suffices (e.g. expectations under :math:`M`, not logs or ratios of small entries).

    Returns
    -------
    ndarray
        Row :math:`s + N`, column :math:`d + N` holds :math:`P(S_{t+1} = d \mid S_t = s)`.
    """
    groups = as_groups(agents)
    if weighting not in WEIGHTINGS:
        raise ValueError(f"weighting must be one of {WEIGHTINGS}, got {weighting!r}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if method == "auto":  # the FFT's absolute error exceeds the tail entries (see Notes)
        method = "direct"
    if method == "direct":
        M, Lm = _pressure_direct(groups, weighting)
    else:
        Lm = pressure_log_marginal(groups, weighting)
        M = _pressure_fft(groups, weighting, Lm)
    bad = ~np.isfinite(Lm)
    if np.any(bad):
        if weighting == "uniform":
            raise RuntimeError("uniform weighting left an empty row")  # pragma: no cover
        U = pressure_matrix(groups, "uniform", method)
        M[bad] = U[bad]
    M = np.maximum(M, 0.0)
    return M / M.sum(axis=1, keepdims=True)


def brute_force_pressure_matrix(agents, weighting: str = "stationary", max_agents: int = 13) -> np.ndarray:
    r""":math:`M` by enumerating all :math:`3^N` configurations (the independent check).

    For each configuration :math:`x`, the law of :math:`\sum_k x'_k` is built agent by agent
    (a sum of independent draws from the rows :math:`T_k(x_k, \cdot)`) and added, with weight
    :math:`\prod_k w_k(x_k)`, to row :math:`\sum_k x_k`. Cost :math:`O(3^N N^2)`.
    """
    groups = as_groups(agents)
    N = n_agents(groups)
    check_positive_int(max_agents, "max_agents")
    if N > max_agents:
        raise ValueError(f"N must be <= {max_agents} for brute force (3^N configurations), got {N}")
    Ts = [g.T for g in groups for _ in range(g.n)]
    ws = [agent_weights(T, weighting) for T in Ts]
    configs = np.indices((3,) * N).reshape(N, -1).T  # (3^N, N) state indices
    C = configs.shape[0]
    w = np.ones(C)
    D = np.zeros((C, 2 * N + 1))
    D[:, N] = 1.0
    for k, (T, wk) in enumerate(zip(Ts, ws)):
        w *= wk[configs[:, k]]
        rows = T[configs[:, k]]  # (C, 3)
        Dn = np.zeros_like(D)
        Dn[:, :-2] += D[:, 1:-1] * rows[:, [0]]  # x' = -1 shifts left
        Dn[:, 1:-1] += D[:, 1:-1] * rows[:, [1]]
        Dn[:, 2:] += D[:, 1:-1] * rows[:, [2]]
        # D only ever has support inside [N-k, N+k]; the edges stay zero
        D = Dn
    s = configs.sum(axis=1)  # state indices sum to s + N
    num = np.zeros((2 * N + 1, 2 * N + 1))
    np.add.at(num, s, w[:, None] * D)
    den = num.sum(axis=1)
    bad = den <= 0
    M = np.divide(num, den[:, None], out=np.zeros_like(num), where=~bad[:, None])
    if np.any(bad):
        M[bad] = brute_force_pressure_matrix(groups, "uniform", max_agents)[bad]
    return M


# ------------------------------------------------------------------------------ simulation
def simulate_agents(
    agents, steps: int, rng: np.random.Generator, x0: np.ndarray | None = None, chunk: int = 1 << 16
) -> np.ndarray:
    r"""Simulate every agent's chain; return states, shape ``(steps + 1, N)``, int8 in {-1,0,1}.

    Each step draws one uniform per agent, which defines a random map
    :math:`f_t: \{-1,0,1\} \to \{-1,0,1\}` (inverse-CDF of each row). The path is
    :math:`x_{t} = f_{t-1} \circ \dots \circ f_0 (x_0)`, computed for a block of steps at once
    by a parallel prefix composition of maps (Hillis-Steele scan), so the cost is
    vectorised NumPy rather than a Python loop per step. ``x0`` defaults to a draw from
    each agent's stationary law.
    """
    groups = as_groups(agents)
    check_positive_int(steps, "steps")
    check_positive_int(chunk, "chunk")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if x0 is not None:
        x0_arr = np.asarray(x0)
        if x0_arr.dtype.kind not in "iu":
            raise TypeError(
                f"x0 must be an integer array of states in {{-1, 0, 1}}, got dtype {x0_arr.dtype}"
            )
    Ts = [g.T for g in groups for _ in range(g.n)]
    N = len(Ts)
    cum = np.stack([np.cumsum(T, axis=1) for T in Ts])  # (N, 3, 3)
    cum[:, :, -1] = 1.0 + 1e-12
    if x0 is None:
        pis = np.stack([stationary_distribution(T) for T in Ts])
        u0 = rng.random(N)
        x0_idx = (u0[:, None] > np.cumsum(pis, axis=1)).sum(axis=1)
    else:
        x0_idx = np.asarray(x0, dtype=np.int64) + 1
        if x0_idx.shape != (N,) or np.any((x0_idx < 0) | (x0_idx > 2)):
            raise ValueError("x0 must hold one state in {-1, 0, 1} per agent")
    out = np.empty((steps + 1, N), dtype=np.int8)
    out[0] = x0_idx - 1
    cur = x0_idx.astype(np.int64)
    t = 0
    while t < steps:
        b = min(chunk, steps - t)
        u = rng.random((b, N))
        # maps[t, k, x] = next state index from state x
        # maps[t, k, x] = number of cumulative probabilities of row x below u (next state)
        uu = u[:, :, None]
        maps = (uu > cum[None, :, :, 0]).view(np.int8) + (uu > cum[None, :, :, 1]).view(np.int8)
        states = _run_maps(maps, cur)
        out[t + 1 : t + 1 + b] = states - 1
        cur = states[-1].astype(np.int64)
        t += b
    return out


def _check_pressure_path(pressure: object, N: int) -> np.ndarray:
    """An integer path of at least 2 pressure values in ``[-N, N]``."""
    arr = np.asarray(pressure) if pressure is not None and not isinstance(pressure, str) else None
    if arr is None or arr.dtype.kind not in "iu" or arr.ndim != 1:
        raise TypeError("pressure must be a 1-D integer array of pressure values")
    if arr.size < 2 or arr.min() < -N or arr.max() > N:
        raise ValueError(f"pressure must hold at least 2 values in [-N, N] = [{-N}, {N}]")
    return arr.astype(np.int64)


def _run_maps(maps: np.ndarray, cur: np.ndarray) -> np.ndarray:
    r"""States ``x_t = f_t(x_{t-1})`` for the random maps ``maps[t, k, x]`` from ``cur``.

    Segment method: the ``b`` steps are cut into about :math:`\sqrt b` segments; every
    segment is run from all three start states at once (one gather per step over all
    segments, agents and starts), then the segments are stitched in order. Cost
    :math:`O(3 b N)` with :math:`\sqrt b` vectorised steps; the result is exactly the
    sequential composition.
    """
    b, N, _ = maps.shape
    L = max(1, int(math.ceil(math.sqrt(b))))
    K = -(-b // L)
    pad = K * L - b
    if pad:
        ident = np.broadcast_to(np.arange(3, dtype=np.int8), (pad, N, 3))
        maps = np.concatenate([maps, ident])
    seg = np.ascontiguousarray(maps.reshape(K, L, N, 3).transpose(1, 0, 2, 3)).reshape(L, -1)
    runs = np.empty((L, K, N, 3), dtype=np.int8)
    base = (np.arange(K * N, dtype=np.int64) * 3)[:, None]  # flat offset of (segment, agent)
    pos = np.broadcast_to(np.arange(3, dtype=np.int64), (K * N, 3))
    flat = runs.reshape(L, -1)
    for j in range(L):
        nxt = seg[j][base + pos]
        flat[j] = nxt.ravel()
        pos = nxt.astype(np.int64)
    start = np.empty((K, N), dtype=np.int64)
    s0 = cur.astype(np.int64)
    ends = runs[L - 1]
    ar = np.arange(N)
    for k in range(K):
        start[k] = s0
        s0 = ends[k, ar, s0].astype(np.int64)
    states = np.take_along_axis(runs, start[None, :, :, None], axis=3)[..., 0]  # (L, K, N)
    return states.transpose(1, 0, 2).reshape(K * L, N)[:b]


def empirical_transition_matrix(pressure: np.ndarray, N: int) -> tuple[np.ndarray, np.ndarray]:
    """Row-normalised counts of (S_t, S_{t+1}) pairs and the visits of each row."""
    N = check_positive_int(N, "N")
    p = _check_pressure_path(pressure, N) + N
    n = 2 * N + 1
    counts = np.bincount(p[:-1] * n + p[1:], minlength=n * n).reshape(n, n).astype(float)
    visits = counts.sum(axis=1)
    F = np.divide(counts, visits[:, None], out=np.zeros_like(counts), where=visits[:, None] > 0)
    return F, visits


def convergence_curve(pressure: np.ndarray, M: np.ndarray, checkpoints: Sequence[int]) -> np.ndarray:
    """Max-abs error between the empirical matrix of the first ``n`` steps and ``M``,
    for each ``n`` in ``checkpoints`` (over rows visited at least once)."""
    M = _check_pressure_matrix(M)
    N = (M.shape[0] - 1) // 2
    path = _check_pressure_path(pressure, N)
    if checkpoints is None or isinstance(checkpoints, (str, bytes)) or len(checkpoints) == 0:
        raise TypeError("checkpoints must be a non-empty sequence of step counts")
    for n in checkpoints:
        check_int(n, "checkpoints", 1, len(path) - 1)
    errs = []
    for n in checkpoints:
        F, visits = empirical_transition_matrix(pressure[: int(n) + 1], N)
        seen = visits > 0
        errs.append(float(np.max(np.abs(F[seen] - M[seen]))))
    return np.array(errs)


def price_path(pressure: np.ndarray, F0: float = 4000.0, kappa: float = 1.0) -> np.ndarray:
    r"""Illustrative futures price driven by pressure: :math:`F_t = F_0 + \kappa\sum_{u\le t} S_u`.

    The pressure is the one-step price variation in ticks, which is what the MDP's reward
    :math:`r_1 = i \cdot pos` assumes (modelling choice; the slides' simulator is not public).
    """
    p = check_array(pressure, "pressure", ndim=1)
    F0 = check_positive(F0, "F0")
    kappa = check_finite(kappa, "kappa")
    return F0 + kappa * np.concatenate([[0.0], np.cumsum(p[1:])])


# ----------------------------------------------------------------------------- trading MDP
@dataclass(frozen=True)
class TradingReading:
    r"""One reading of the slides' trading MDP.

    Attributes
    ----------
    position : {"after", "before"}
        :math:`pos_j` in the rewards is the position after the action (literal) or before.
    price : {"next", "current"}
        The price variation in :math:`r_1 = i_j \cdot pos_j` is the next state's (literal)
        or the current one.
    volume : {"next", "current"}
        :math:`|i|_j` in the penalty :math:`-c \max(|pos_j| - |i|_j, 0)` is next or current.
    bounds : {"restrict", "clip"}
        Actions leaving :math:`[-N, N]` are not allowed (literal), or allowed and clipped.
    objective : {"max", "min"}
        Maximise the reward (literal) or minimise it (GLPK's default sense).
    transpose : bool
        Use :math:`M^\top` (rows read as columns) instead of :math:`M`.
    """

    position: str = "after"
    price: str = "next"
    volume: str = "next"
    bounds: str = "restrict"
    objective: str = "max"
    transpose: bool = False

    def __post_init__(self) -> None:
        for name, allowed in (
            ("position", ("after", "before")),
            ("price", ("next", "current")),
            ("volume", ("next", "current")),
            ("bounds", ("restrict", "clip")),
            ("objective", ("max", "min")),
        ):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, got {getattr(self, name)!r}")
        check_bool(self.transpose, "transpose")


#: Named readings of the slides' MDP ("literal" is the text as printed).
READINGS: dict[str, TradingReading] = {
    "literal": TradingReading(),
    "clip": TradingReading(bounds="clip"),
    "position-before": TradingReading(position="before"),
    "price-current": TradingReading(price="current"),
    "volume-current": TradingReading(volume="current"),
    "minimise": TradingReading(objective="min"),
    "transpose-M": TradingReading(transpose=True),
}


def get_reading(reading: str | TradingReading) -> TradingReading:
    """Look up a named reading (``ValueError`` naming ``reading`` if unknown)."""
    if isinstance(reading, TradingReading):
        return reading
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {sorted(READINGS)}, got {reading!r}")
    return READINGS[reading]


def trading_mdp(
    M: np.ndarray,
    c: float = 0.1,
    discount: float = 0.95,
    reading: str | TradingReading = "literal",
    sparse: bool | None = None,
) -> FiniteMDP:
    r"""The slides' trading MDP on states :math:`S_{i,pos}`, :math:`i, pos \in \{-N..N\}`.

    State index ``(i + N) * (2N + 1) + (pos + N)``; action labels 0, 1, 2 mean sell, hold, buy
    (:data:`ACTIONS`). Transition :math:`p((j, pos') \mid (i, pos), a) = M(i, j)\,1\{pos' =
    pos + a\}`; reward (literal reading)

    .. math::  r(s, a) = \sum_j M(i, j) \big[ j \cdot pos' - c \max(|pos'| - |j|, 0) \big].

    Parameters
    ----------
    M : ndarray, (2N+1, 2N+1)
        Market-pressure matrix.
    c : float
        Penalty factor (the slides: :math:`c \in \mathbb{R}^+`; any real is accepted so that
        sign readings can be explored).
    discount : float
        :math:`\lambda \in [0, 1)`.
    reading : str or TradingReading
        See :data:`READINGS`.
    sparse : bool, optional
        Store :math:`P` sparse (default for more than 400 states).
    """
    rd = get_reading(reading)
    discount = check_discount(discount)
    M = check_stochastic_matrix(M, "M")
    c = check_finite(c, "c")
    if sparse is not None:
        check_bool(sparse, "sparse")
    if M.ndim != 2 or M.shape[0] != M.shape[1] or M.shape[0] % 2 != 1:
        raise ValueError(f"M must be square of odd size 2N+1, got shape {M.shape}")
    if np.any(M < 0) or np.max(np.abs(M.sum(axis=1) - 1)) > 1e-9:
        raise ValueError("M must be non-negative with rows summing to 1 (within 1e-9)")
    if not np.isfinite(c):
        raise ValueError(f"c must be finite, got {c!r}")
    if rd.transpose:
        M = M.T / M.T.sum(axis=1, keepdims=True)
    N = (M.shape[0] - 1) // 2
    n = 2 * N + 1
    vals = np.arange(-N, N + 1)
    i_v = np.repeat(vals, n)  # state's i
    p_v = np.tile(vals, n)  # state's pos
    s_list, a_list, pnext = [], [], []
    for ai, a in enumerate(ACTIONS):
        newp = p_v + a
        if rd.bounds == "restrict":
            ok = (newp >= -N) & (newp <= N)
        else:
            ok = np.ones_like(newp, bool)
            newp = np.clip(newp, -N, N)
        s_list.append(np.nonzero(ok)[0])
        a_list.append(np.full(ok.sum(), ai))
        pnext.append(newp[ok])
    s_idx = np.concatenate(s_list)
    a_idx = np.concatenate(a_list)
    pn = np.concatenate(pnext)
    order = np.lexsort((a_idx, s_idx))
    s_idx, a_idx, pn = s_idx[order], a_idx[order], pn[order]
    i_s = i_v[s_idx]
    pos_s = p_v[s_idx]
    rowsM = M[i_s + N]  # (L, n) next-i law
    pos_r = pn if rd.position == "after" else pos_s
    price = vals[None, :] if rd.price == "next" else i_s[:, None]
    vol = np.abs(vals)[None, :] if rd.volume == "next" else np.abs(i_s)[:, None]
    per_j = price * pos_r[:, None] - c * np.maximum(np.abs(pos_r)[:, None] - vol, 0)
    R = np.sum(rowsM * per_j, axis=1)
    if rd.objective == "min":
        R = -R
    L = len(R)
    cols = (vals[None, :] + N) * n + (pn[:, None] + N)  # next state (j, pos')
    if sparse is None:
        sparse = n * n > 400
    if sparse:
        P = sp.csr_matrix((rowsM.ravel(), cols.ravel(), np.arange(0, L * n + 1, n)), shape=(L, n * n))
    else:
        P = np.zeros((L, n * n))
        np.put_along_axis(P, cols, rowsM, axis=1)
    return FiniteMDP(R, P, s_idx, a_idx, discount, n_actions=3)


def policy_table(policy: np.ndarray, N: int) -> np.ndarray:
    """Policy (action labels per state) as a table of actions in {-1, 0, 1}: rows i, cols pos."""
    N = check_positive_int(N, "N")
    pol = np.asarray(policy)
    if pol.dtype.kind not in "iu" or np.any(pol < 0) or np.any(pol > 2):
        raise ValueError("policy must hold action labels in {0, 1, 2} (integers, no negative indices)")
    if pol.shape != ((2 * N + 1) ** 2,):
        raise ValueError(f"policy must have (2N+1)^2 = {(2 * N + 1) ** 2} entries, got {pol.shape}")
    return ACTIONS[pol].reshape(2 * N + 1, 2 * N + 1)
