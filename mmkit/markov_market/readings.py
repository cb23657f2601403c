r"""Readings of a printed policy table: which model variants make it optimal, and how nearly.

The slides print an optimal policy for their trading MDP (:func:`~mmkit.markov_market.pressure.trading_mdp`)
as a table ``table[i, pos]`` of actions in :math:`\{-1, 0, 1\}` (rows :math:`i = -N..N`, columns
:math:`pos = -N..N`). These functions count how many printed entries a model variant's optimum
reproduces. Because some variants have ties, the *tie-aware* count is the number of printed
entries that are among the optimal actions: the best agreement that any optimal policy of the
variant can reach.

All solves are of small dense models; :func:`solve_dense` is policy iteration on arrays
``R[s, a]`` (``-inf`` where infeasible) and ``P[s, a, j]``, much faster than building a
:class:`~mmkit.common.mdp.FiniteMDP` per variant when only the reward changes.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mmkit.common.mdp import FiniteMDP, optimal_action_mask, policy_iteration, solve_dual_lp
from mmkit.common.validation import (
    check_array,
    check_choice,
    check_discount,
    check_nonnegative,
    check_nonnegative_int,
    check_positive_int,
    check_real,
    check_stochastic_matrix,
)
from mmkit.markov_market.pressure import ACTIONS, TradingReading, expected_next, policy_table, trading_mdp

__all__ = [
    "dense_arrays",
    "solve_dense",
    "tie_aware_hits",
    "reading_agreement",
    "closest_optimal_table",
    "agreement_sweep",
    "myopic_rewards",
    "impossible_margins",
    "coupling_bounds",
    "SearchResult",
    "wide_search",
    "chance_baseline",
]


def _check_M(M: object) -> np.ndarray:
    """A pressure matrix: (2N+1) x (2N+1) row-stochastic, N >= 1."""
    A = check_stochastic_matrix(M, "M")
    if A.shape[0] < 3 or A.shape[0] % 2 == 0:
        raise ValueError(f"M must be a (2N+1) x (2N+1) pressure matrix with N >= 1, got shape {A.shape}")
    return A


def _check_mdp(mdp: object) -> FiniteMDP:
    if not isinstance(mdp, FiniteMDP):
        raise TypeError(f"mdp must be a FiniteMDP, got {type(mdp).__name__}")
    return mdp


def _check_grid(x: Any, name: str, discount: bool = False) -> list[float]:
    """A non-empty sequence of finite reals (of discounts in [0, 1) when ``discount``)."""
    if x is None or isinstance(x, (str, bytes)) or not hasattr(x, "__len__") or len(x) == 0:
        raise TypeError(f"{name} must be a non-empty sequence of numbers, got {x!r}")
    return [check_discount(v, name) if discount else check_real(v, name) for v in x]


def _check_bounds(bounds: Any) -> list[str]:
    if bounds is None or isinstance(bounds, (str, bytes)) or not hasattr(bounds, "__len__") or not bounds:
        raise TypeError(f"bounds must be a non-empty sequence of 'restrict'/'clip', got {bounds!r}")
    return [check_choice(b, "bounds", ("restrict", "clip")) for b in bounds]


def _check_entries(entries: Any, N: int) -> list[tuple[int, int, int]]:
    if entries is None or isinstance(entries, (str, bytes)) or not hasattr(entries, "__len__") or not entries:
        raise TypeError(f"entries must be a non-empty sequence of (i, pos, a) triples, got {entries!r}")
    out = []
    for e in entries:
        if not (isinstance(e, (tuple, list)) and len(e) == 3):
            raise ValueError(f"entries must hold (i, pos, a) triples, got {e!r}")
        i, p, a = (check_real(v, "entries") for v in e)
        if not (-N <= i <= N and -N <= p <= N and a in (-1, 0, 1)) or any(v != round(v) for v in (i, p, a)):
            raise ValueError(
                f"entries must have integers i, pos in [-{N}, {N}] and a in {{-1, 0, 1}}, got {e!r}"
            )
        out.append((int(i), int(p), int(a)))
    return out


def _check_table(table: np.ndarray, n: int | None = None) -> np.ndarray:
    if table is None or isinstance(table, (str, bytes)):
        raise TypeError(
            f"table must be a square array of actions in {{-1, 0, 1}}, got {type(table).__name__}"
        )
    t = np.asarray(table)
    if t.ndim != 2 or t.shape[0] != t.shape[1] or not np.isin(t, ACTIONS).all():
        raise ValueError(f"table must be a square array of actions in {{-1, 0, 1}}, got shape {t.shape}")
    if n is not None and t.shape[0] != n:
        raise ValueError(f"table must be {n} x {n}, got {t.shape}")
    return t.astype(np.int64)


def dense_arrays(mdp: FiniteMDP) -> tuple[np.ndarray, np.ndarray]:
    """``R[s, a]`` (``-inf`` where infeasible) and ``P[s, a, j]`` of a small MDP."""
    _check_mdp(mdp)
    assert mdp.n_actions is not None
    n, m = mdp.n_states, int(mdp.n_actions)
    R = np.full((n, m), -np.inf)
    R[mdp.s_indices, mdp.a_indices] = mdp.R
    P = np.zeros((n, m, n))
    Pd = mdp.P.toarray() if hasattr(mdp.P, "toarray") else np.asarray(mdp.P)
    P[mdp.s_indices, mdp.a_indices] = Pd
    return R, P


def solve_dense(R: np.ndarray, P: np.ndarray, discount: float, max_iter: int = 1000):
    r"""Policy iteration on dense arrays; returns ``(V, Q)`` with :math:`Q(s,a)` (``-inf`` if
    infeasible). Improves only where an action is better by more than ``1e-12``."""
    R = check_array(R, "R", ndim=2, finite=False)
    if np.isnan(R).any() or (R == np.inf).any() or not np.isfinite(R).any(axis=1).all():
        raise ValueError(
            "R must hold finite rewards (-inf only for infeasible actions, one feasible per state)"
        )
    P = check_array(P, "P", shape=(R.shape[0], R.shape[1], R.shape[0]), lo=0.0, hi=1.0)
    discount = check_discount(discount)
    max_iter = check_positive_int(max_iter, "max_iter")
    n = R.shape[0]
    ar = np.arange(n)
    pol = np.argmax(R, axis=1)
    for _ in range(max_iter):
        A = -discount * P[ar, pol]
        A[ar, ar] += 1.0
        V = np.linalg.solve(A, R[ar, pol])
        with np.errstate(invalid="ignore"):
            Q = R + discount * (P @ V)
        best = Q.argmax(axis=1)
        better = Q[ar, best] > Q[ar, pol] + 1e-12 * (1 + np.abs(Q[ar, pol]))
        if not better.any():
            return V, Q
        pol = np.where(better, best, pol)
    raise RuntimeError("policy iteration did not converge")  # pragma: no cover


def _mask(V: np.ndarray, Q: np.ndarray, tol: float) -> np.ndarray:
    return Q >= V[:, None] - tol


def tie_aware_hits(mask: np.ndarray, table: np.ndarray) -> int:
    """Printed entries that are among the optimal actions (``mask[s, a]``, states row-major)."""
    t = _check_table(table)
    if mask is None or isinstance(mask, (str, bytes)):
        raise TypeError(f"mask must be a boolean array of shape (states, 3), got {type(mask).__name__}")
    mask = np.asarray(mask)
    if mask.dtype != bool or mask.shape != (t.size, 3):
        raise ValueError(
            f"mask must be a boolean array of shape ({t.size}, 3), got {mask.dtype} {mask.shape}"
        )
    return int(mask[np.arange(t.size), t.ravel() + 1].sum())


def reading_agreement(mdp: FiniteMDP, table: np.ndarray, tol: float = 1e-9) -> tuple[int, int]:
    """(entries of the dual-LP policy equal to the table, tie-aware count) for one model."""
    n = _check_mdp(mdp).n_states
    t = _check_table(table, int(round(np.sqrt(n))))
    check_nonnegative(tol, "tol")
    N = (t.shape[0] - 1) // 2
    lp_tab = policy_table(solve_dual_lp(mdp).policy, N)
    sol = policy_iteration(mdp)
    return int((lp_tab == t).sum()), tie_aware_hits(optimal_action_mask(mdp, sol.V, tol), t)


def closest_optimal_table(mdp: FiniteMDP, table: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """The optimal policy closest to ``table``: the printed action wherever it is optimal,
    else policy iteration's action."""
    n = _check_mdp(mdp).n_states
    t = _check_table(table, int(round(np.sqrt(n))))
    check_nonnegative(tol, "tol")
    N = (t.shape[0] - 1) // 2
    sol = policy_iteration(mdp)
    ok = optimal_action_mask(mdp, sol.V, tol)[np.arange(t.size), t.ravel() + 1].reshape(t.shape)
    return np.where(ok, t, policy_table(sol.policy, N))


def _reward_parts(M: np.ndarray, reading: TradingReading) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``R = R1 - c R2`` is linear in ``c``: the two parts and ``P`` of the trading MDP."""
    m0 = trading_mdp(M, 0.0, 0.5, reading, sparse=False)
    m1 = trading_mdp(M, 1.0, 0.5, reading, sparse=False)
    R0, P = dense_arrays(m0)
    R1, _ = dense_arrays(m1)
    with np.errstate(invalid="ignore"):
        return R0, np.where(np.isfinite(R0), R0 - R1, 0.0), P


def agreement_sweep(
    M: np.ndarray,
    table: np.ndarray,
    c_grid: Sequence[float],
    discounts: Sequence[float],
    bounds: Sequence[str] = ("restrict", "clip"),
    tol: float = 1e-9,
) -> np.ndarray:
    """Tie-aware agreement with ``table`` on a grid, maximised over ``bounds``.

    Returns an int array of shape ``(len(discounts), len(c_grid))``.
    """
    M = _check_M(M)
    t = _check_table(table, M.shape[0])
    c_grid, discounts = _check_grid(c_grid, "c_grid"), _check_grid(discounts, "discounts", True)
    bounds, tol = _check_bounds(bounds), check_nonnegative(tol, "tol")
    out = np.zeros((len(discounts), len(c_grid)), dtype=np.int64)
    for bnd in bounds:
        R1, R2, P = _reward_parts(M, TradingReading(bounds=bnd))
        for li, lam in enumerate(discounts):
            for ci, c in enumerate(c_grid):
                V, Q = solve_dense(R1 - c * R2, P, lam)
                out[li, ci] = max(out[li, ci], tie_aware_hits(_mask(V, Q, tol), t))
    return out


def myopic_rewards(M: np.ndarray, c: float) -> np.ndarray:
    r"""One-step expected reward :math:`m(i)\,p - c\,E[\max(|p| - |j|, 0) \mid i]` of holding
    position ``p`` after observing ``i``; shape ``(2N+1, 2N+1)`` (rows ``i``, columns ``p``)."""
    M = _check_M(M)
    c = check_real(c, "c")
    N = (M.shape[0] - 1) // 2
    vals = np.arange(-N, N + 1)
    pen = np.maximum(np.abs(vals)[:, None] - np.abs(vals)[None, :], 0)  # (p, j)
    return expected_next(M)[:, None] * vals[None, :] - c * (M @ pen.T)


def impossible_margins(
    M: np.ndarray,
    entries: Sequence[tuple[int, int, int]],
    c_grid: Sequence[float],
    discounts: Sequence[float],
    bounds: Sequence[str] = ("restrict", "clip"),
) -> tuple[np.ndarray, int]:
    r"""Margins :math:`V^\star(s) - Q^\star(s, a)` of printed entries ``(i, pos, a)`` over a grid.

    Returns ``(margins, taken)``: margins of shape ``(len(bounds)*len(discounts)*len(c_grid),
    len(entries))`` and the number of solved models whose (first-index) optimal policy takes a
    printed action in one of the entries.
    """
    M = _check_M(M)
    N = (M.shape[0] - 1) // 2
    entries = _check_entries(entries, N)
    c_grid, discounts = _check_grid(c_grid, "c_grid"), _check_grid(discounts, "discounts", True)
    bounds = _check_bounds(bounds)
    cells = np.array([(i + N) * (2 * N + 1) + (p + N) for i, p, _ in entries])
    acts = np.array([a + 1 for _, _, a in entries])
    rows, taken = [], 0
    for bnd in bounds:
        R1, R2, P = _reward_parts(M, TradingReading(bounds=bnd))
        for lam in discounts:
            for c in c_grid:
                V, Q = solve_dense(R1 - c * R2, P, lam)
                rows.append(V[cells] - Q[cells, acts])
                taken += int(np.any(Q[cells].argmax(axis=1) == acts))
    return np.array(rows), taken


def coupling_bounds(M: np.ndarray, entries: Sequence[tuple[int, int, int]]) -> np.ndarray:
    r"""Lower bounds of the margins from the coupling argument: :math:`-2m(i)` for a buy at
    ``pos = 0``, :math:`-m(i)` for a hold at ``pos = 1`` (``m`` the drift)."""
    M = _check_M(M)
    N = (M.shape[0] - 1) // 2
    entries = _check_entries(entries, N)
    m = expected_next(M)
    out = []
    for i, p, a in entries:
        if (p, a) == (0, 1):
            out.append(-2 * m[i + N])
        elif (p, a) == (1, 0):
            out.append(-m[i + N])
        else:
            raise ValueError(f"entries must be buys at pos 0 or holds at pos 1, got {(i, p, a)}")
    return np.array(out)


@dataclass(frozen=True)
class SearchResult:
    """Outcome of :func:`wide_search`.

    ``best``: the largest tie-aware agreement; ``n_readings``: readings scored; ``n_best``: how
    many reach ``best``; ``examples``: up to 10 of them as dicts; ``histogram``: counts of the
    agreement values (index = agreement); ``identity_best``: the best with no relabeling at all.
    """

    best: int
    n_readings: int
    n_best: int
    examples: list
    histogram: np.ndarray
    identity_best: int


REWARDS = ("level", "change")


def _change_reward_arrays(M: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    """Trading MDP with profit on the change of the pressure, :math:`(j - i)\\,pos'`."""
    m = trading_mdp(M, c, 0.5, "literal", sparse=False)
    R, P = dense_arrays(m)
    N = (M.shape[0] - 1) // 2
    n = 2 * N + 1
    i_of_state = np.repeat(np.arange(-N, N + 1), n)
    pos_after = np.tile(np.arange(-N, N + 1), n)[:, None] + ACTIONS[None, :]
    return np.where(np.isfinite(R), R - i_of_state[:, None] * pos_after, -np.inf), P


def wide_search(
    M: np.ndarray,
    table: np.ndarray,
    c_values: Sequence[float] = (0.1, 0.0),
    discount: float = 0.95,
    tol: float = 1e-9,
) -> SearchResult:
    r"""Tie-aware agreement with ``table`` over relabelings and rewards.

    A reading is: a permutation :math:`\sigma` of the pressure states of ``M`` (the printed
    matrix's rows and columns in another order, :math:`M_\sigma = M[\sigma][:, \sigma]`); a
    reward, the literal profit on the level :math:`j\,pos'` or the profit on the change
    :math:`(j - i)\,pos'`; a penalty ``c`` in ``c_values``; the table read as printed or
    transposed (:math:`S_{pos,i}`); a permutation :math:`\tau` of the table's rows (which
    printed row is which :math:`i`); and one of the 6 relabelings of the action codes. For
    :math:`N = 2` that is :math:`120 \cdot 2 \cdot |c| \cdot 2 \cdot 120 \cdot 6` readings from
    :math:`240|c|` solved models.
    """
    M = _check_M(M)
    t = _check_table(table, M.shape[0])
    c_values = _check_grid(c_values, "c_values")
    discount, tol = check_discount(discount), check_nonnegative(tol, "tol")
    n = t.shape[0]
    perms = np.array(list(itertools.permutations(range(n))))
    relabels = [np.array(p) for p in itertools.permutations(range(3))]
    hist = np.zeros(n * n + 1, dtype=np.int64)
    examples: list = []
    best, n_best, identity_best = -1, 0, 0
    rows = np.arange(n)
    for sigma in perms:
        Ms = M[np.ix_(sigma, sigma)]
        for reward in REWARDS:
            for c in c_values:
                if reward == "level":
                    R1, R2, P = _reward_parts(Ms, TradingReading())
                    R = R1 - c * R2
                else:
                    R, P = _change_reward_arrays(Ms, c)
                V, Q = solve_dense(R, P, discount)
                mask = _mask(V, Q, tol).reshape(n, n, 3)  # [i, pos, a]
                for transposed in (False, True):
                    tv = t.T if transposed else t
                    for ri, rho in enumerate(relabels):
                        A = rho[tv + 1]  # relabeled action index per printed entry
                        # C[r, i] = printed row r read as pressure i: hits over pos
                        C = mask[:, np.arange(n)[None, :], A].sum(axis=2).T
                        scores = C[rows[None, :], perms].sum(axis=1)
                        hist += np.bincount(scores, minlength=n * n + 1)
                        top = int(scores.max())
                        if (sigma == rows).all() and not transposed and ri == 0 and reward == "level":
                            identity_best = max(identity_best, int(scores[0]))
                        if top > best:
                            best, n_best, examples = top, 0, []
                        if top == best:
                            hit = np.nonzero(scores == best)[0]
                            n_best += len(hit)
                            for h in hit[: max(0, 10 - len(examples))]:
                                examples.append(
                                    {
                                        "sigma": sigma.tolist(),
                                        "reward": reward,
                                        "c": float(c),
                                        "transposed": transposed,
                                        "rows": perms[h].tolist(),
                                        "actions": (rho - 1).tolist(),
                                    }
                                )
    return SearchResult(best, int(hist.sum()), n_best, examples, hist, identity_best)


def chance_baseline(
    M: np.ndarray,
    table: np.ndarray,
    n_tables: int,
    seed: int,
    c_values: Sequence[float] = (0.1, 0.0),
    discount: float = 0.95,
) -> np.ndarray:
    """Best :func:`wide_search` agreement of random tables with the same action counts.

    Each random table is a uniformly random rearrangement of the entries of ``table`` (seeded
    by ``seed``): how much agreement the search finds in a table that carries no information
    about the model.
    """
    M = _check_M(M)
    t = _check_table(table, M.shape[0])
    n_tables = check_positive_int(n_tables, "n_tables")
    check_nonnegative_int(seed, "seed")
    c_values = _check_grid(c_values, "c_values")
    discount = check_discount(discount)
    rng = np.random.default_rng(seed)
    out = np.empty(int(n_tables), dtype=np.int64)
    for k in range(int(n_tables)):
        fake = rng.permutation(t.ravel()).reshape(t.shape)
        out[k] = wide_search(M, fake, c_values, discount).best
    return out
