r"""Symbolic point-based value iteration (PBVI) for the market-making POMDP.

The continuous-state PBVI of Zamani et al. (2012), as extended by Kinathil et al. (2016,
eq. 2), over case statements (:mod:`mmkit.symbolic.xadd`). With :math:`V^0 = \{0\}` and a set
:math:`B` of beliefs, stage :math:`h` computes for every :math:`α_j \in V^{h-1}`

.. math::

    α_j^{a,o,h}(v,i) = \frac{\bar R_a(v,i)}{|O|} + γ\, L_{a,o}(v,i) ⊗ α_j(v, i'(i,o)),

    Γ_b^{a,h} = \sum_o \arg\max_{α \in Γ^{a,o,h}} α·b,\qquad
    α_b^h = \arg\max_{a} Γ_b^{a,h}·b,\qquad V^h = \bigcup_{b\in B} \{α_b^h\},

where :math:`α·b = \int α(v, i_b)\, b(v)\,dv`. Because
:math:`α_j^{a,o,h}·b = \bar R_a·b/|O| + γ P(o\mid b,a)\, α_j·b^{a,o}`, the inner argmax is the
best :math:`α_j` at the updated belief :math:`b^{a,o}`; we compute those dot products
numerically for all candidates at once (float64 matrices over cells) and resolve near-ties
exactly with rational arithmetic, then build only the winning α-function symbolically.
Each α-function is the exact value function of a conditional plan, so :math:`V^h(b)` is a
lower bound on the optimal value everywhere and is exact on every belief whose reachable
successors were backed up (all beliefs reachable to the horizon: ``schedule="layered"``).

Tie-breaking (needed for the paper's Figure 2, where at zero inventory every ask is optimal):
among exactly equal actions the highest ask wins, then the lowest bid.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from mmkit.common.validation import (
    check_array,
    check_bool,
    check_index,
    check_instance,
    check_int,
    check_nonnegative,
    check_nonnegative_int,
    check_positive_int,
    check_sequence,
    check_str,
)
from mmkit.symbolic.inventory_pomdp import (
    MAX_HORIZON,
    OBS,
    Belief,
    InventoryPOMDP,
    _check_model_init,
    reachable_beliefs,
)
from mmkit.symbolic.pbvi_cells import AlphaCells, BeliefSet, CellGrid, idot, reachable_layers
from mmkit.symbolic.xadd import Q

__all__ = [
    "Alpha",
    "StageStats",
    "PBVIResult",
    "solve",
    "PolicyNode",
    "policy_tree",
    "upper_surface",
    "switch_point",
]

SCHEDULES = ("layered", "all", "fixed")


@dataclass(frozen=True)
class Alpha:
    """An α-function: its case statement (node), root action and plan (successor α per o)."""

    node: int
    action: int
    horizon: int
    plan: tuple[int, ...] = ()


@dataclass(frozen=True)
class StageStats:
    """Cost of one backup stage: beliefs, α-functions, XADD nodes, wall time (s)."""

    horizon: int
    beliefs: int
    successors: int
    alphas: int
    nodes_shared: int
    nodes_total: int
    nodes_max: int
    seconds: float
    ops: int = 0  # memoised XADD operations performed in the stage (deterministic work)


class _Evaluator:
    """Float64 dot products α·b for many α-functions and beliefs at once (cell moments)."""

    def __init__(self, model: InventoryPOMDP):
        self.model = model
        self._pieces: dict = {}

    def pieces(self, node: int, i: int):
        """α(·, i) as float arrays (piece starts, slopes, intercepts) and its exact breakpoints."""
        key = (node, i)
        p = self._pieces.get(key)
        if p is None:
            raw = self.model.X.pieces(node, "v", {"i": i})
            lo = np.array([-np.inf if a is None else float(a) for a, _, _ in raw])
            slope = np.array([float(e.coef("v")) for _, _, e in raw])
            icpt = np.array([float(e.const) for _, _, e in raw])
            p = (lo, slope, icpt, [a for a, _, _ in raw if a is not None])
            self._pieces[key] = p
        return p

    def values(self, nodes: Sequence[int], beliefs: Sequence[Belief]) -> np.ndarray:
        """Matrix ``[len(beliefs), len(nodes)]`` of α·b in float64."""
        out = np.zeros((len(beliefs), len(nodes)))
        by_i: dict[int, list[int]] = {}
        for k, b in enumerate(beliefs):
            by_i.setdefault(b.inventory, []).append(k)
        for i, ks in by_i.items():
            grid: set[float] = set()
            for k in ks:
                grid.update(float(x) for x in beliefs[k].edges())
            lo_s, hi_s = min(grid), max(grid)
            for n in nodes:
                grid.update(float(x) for x in self.pieces(n, i)[3] if lo_s < x < hi_s)
            g = np.array(sorted(grid))
            mids = (g[1:] + g[:-1]) / 2
            C0 = np.empty((len(nodes), len(mids)))
            C1 = np.empty_like(C0)
            for j, n in enumerate(nodes):
                lo, slope, icpt, _ = self.pieces(n, i)
                idx = np.searchsorted(lo, mids, side="right") - 1
                C0[j], C1[j] = icpt[idx], slope[idx]
            M0 = np.zeros((len(ks), len(mids)))
            M1 = np.zeros_like(M0)
            w0 = g[1:] - g[:-1]
            w1 = (g[1:] ** 2 - g[:-1] ** 2) / 2
            for r, k in enumerate(ks):
                for plo, phi, d in beliefs[k].pieces:
                    a = np.searchsorted(g, float(plo))
                    c = np.searchsorted(g, float(phi))
                    M0[r, a:c] = float(d) * w0[a:c]
                    M1[r, a:c] = float(d) * w1[a:c]
            out[ks] = M0 @ C0.T + M1 @ C1.T
        return out


def _near(vals: np.ndarray, tol: float) -> np.ndarray:
    m = np.max(vals)
    return np.flatnonzero(vals >= m - tol * (1.0 + abs(m)))


@dataclass
class PBVIResult:
    """Output of :func:`solve`: the α-function sets :math:`V^0..V^H` and per-stage costs."""

    model: InventoryPOMDP
    horizon: int
    V: list[list[Alpha]]
    beliefs: list[list[Belief]]
    stats: list[StageStats]
    values: list[dict[Belief, Fraction]]
    tie_tol: float = 1e-9
    _ev: _Evaluator | None = None
    _exact: dict = field(default_factory=dict)
    _succ_best: dict = field(default_factory=dict)

    # ------------------------------------------------------------------ evaluation
    def _check(self, b: object, h: object, lo: int = 0) -> int:
        """``b`` a :class:`Belief`; the stage ``h`` an integer in ``[lo, horizon]``."""
        check_instance(b, "b", Belief)
        return check_int(h, "h", lo, self.horizon)

    def exact_dot(self, node: int, b: Belief) -> Fraction:
        """Exact :math:`α·b` of the α-function stored as the diagram ``node`` of the model."""
        check_index(node, len(self.model.X._nodes), "node")
        check_instance(b, "b", Belief)
        return self._dot(node, b)

    def _dot(self, node: int, b: Belief) -> Fraction:
        key = (node, b)
        r = self._exact.get(key)
        if r is None:
            r = self.model.dot(node, b)
            self._exact[key] = r
        return r

    def best_alpha(self, b: Belief, h: int) -> tuple[int, float, Fraction | None]:
        """Index into ``V[h]`` of the best α at ``b``, its float value, and the exact value
        when it was needed to break a near-tie (else None)."""
        return self._best(b, self._check(b, h))

    def _best(self, b: Belief, h: int) -> tuple[int, float, Fraction | None]:
        """:meth:`best_alpha` without the checks (the solver's inner loops)."""
        key = (b, h)
        r = self._succ_best.get(key)
        if r is None:
            self._prefetch([b], h)
            r = self._succ_best[key]
        return r

    def _prefetch(self, beliefs: Sequence[Belief], h: int) -> None:
        todo = [b for b in dict.fromkeys(beliefs) if (b, h) not in self._succ_best]
        if not todo:
            return
        nodes = [al.node for al in self.V[h]]
        assert self._ev is not None
        vals = self._ev.values(nodes, todo)
        for r, b in enumerate(todo):
            cand = _near(vals[r], self.tie_tol)
            if len(cand) == 1:
                j = int(cand[0])
                self._succ_best[(b, h)] = (j, float(vals[r, j]), None)
            else:
                ex = {int(j): self._dot(nodes[j], b) for j in cand}
                m = max(ex.values())
                j = min(j for j, x in ex.items() if x == m)
                self._succ_best[(b, h)] = (j, float(m), m)

    def value(self, b: Belief, h: int | None = None) -> Fraction:
        """Exact :math:`V^h(b) = \\max_{α \\in V^h} α·b` (``h`` defaults to the horizon)."""
        return self._value(b, self._check(b, self.horizon if h is None else h))

    def _value(self, b: Belief, h: int) -> Fraction:
        j, _, v = self._best(b, h)
        return v if v is not None else self._dot(self.V[h][j].node, b)

    def q_values(self, b: Belief, h: int) -> tuple[np.ndarray, list]:
        """Float Q(b, a) for every action at stage h, and per action the successors
        ``[(o, P(o|b,a), b^{a,o}, j*)]`` with j* the best α of V^{h-1} at b^{a,o}
        (``h`` in ``[1, horizon]``)."""
        return self._q_values(b, self._check(b, h, 1))

    def _q_values(self, b: Belief, h: int) -> tuple[np.ndarray, list]:
        m = self.model
        succ = [[(o, *m.update(b, a, o)) for o in OBS] for a in range(len(m.actions))]
        self._prefetch([s for row in succ for _, p, s in row if p > 0 and s is not None], h - 1)
        q = np.zeros(len(m.actions))
        rows = []
        for a, row in enumerate(succ):
            qa = float(m.expected_reward(b, a))
            out: list[tuple[str, Fraction, Belief | None, int]] = []
            for o, p, s in row:
                if p > 0 and s is not None:
                    j, fv, _ = self._best(s, h - 1)
                    qa += float(m.gamma) * float(p) * fv
                    out.append((o, p, s, j))
                else:
                    out.append((o, p, None, 0))
            q[a] = qa
            rows.append(out)
        return q, rows

    def exact_q(self, b: Belief, a: int, row: list, h: int) -> Fraction:
        """Exact Q(b, a) from action ``a``'s successor ``row`` of :meth:`q_values`."""
        h = self._check(b, h, 1)
        check_index(a, len(self.model.actions), "a")
        for entry in check_sequence(row, "row", what="a successor row of q_values"):
            if not (isinstance(entry, tuple) and len(entry) == 4):
                raise TypeError(f"row entries must be (o, P(o|b,a), successor, j) tuples, got {entry!r}")
        return self._exact_q(b, a, row, h)

    def _exact_q(self, b: Belief, a: int, row: list, h: int) -> Fraction:
        m = self.model
        v = m.expected_reward(b, a)
        for o, p, s, j in row:
            if p > 0:
                v += m.gamma * p * self._value(s, h - 1)
        return v

    def choose(self, b: Belief, h: int) -> tuple[int, Fraction, list]:
        """Optimal action at b with h steps to go (exact ties: highest ask, then lowest bid)."""
        h = self._check(b, h, 1)
        q, rows = self._q_values(b, h)
        cand = _near(q, self.tie_tol)
        acts = self.model.actions
        if len(cand) == 1:
            a = int(cand[0])
            return a, self._exact_q(b, a, rows[a], h), rows[a]
        ex = {int(a): self._exact_q(b, int(a), rows[int(a)], h) for a in cand}
        mx = max(ex.values())
        a = min((a for a, x in ex.items() if x == mx), key=lambda a: (-acts[a][1], acts[a][0], a))
        return a, mx, rows[a]

    def pretty(self, j: int, h: int | None = None, name: str | None = None) -> str:
        """The j-th α-function of V^h as a readable case statement."""
        h = check_int(self.horizon if h is None else h, "h", 0, self.horizon)
        al = self.V[h][check_index(j, len(self.V[h]), "j")]
        if name is not None:
            check_str(name, "name")
        nm = name or f"α{h}_{j} [{self.model.action_label(al.action)}]"
        return self.model.X.pretty(al.node, nm, "v, i")


def _stage_beliefs(
    schedule: str, layers: list[list[Belief]], fixed: Sequence[Belief] | None, H: int, h: int
) -> list[Belief]:
    if schedule == "layered":
        return layers[H - h]
    if schedule == "all":
        return list(dict.fromkeys(b for layer in layers for b in layer))
    return list(fixed)  # type: ignore[arg-type]


def solve(
    model: InventoryPOMDP,
    init: Sequence[Belief],
    horizon: int,
    schedule: str = "layered",
    belief_set: Sequence[Belief] | None = None,
    tie_tol: float = 1e-9,
    check: bool = False,
    method: str = "cells",
) -> PBVIResult:
    r"""Symbolic PBVI to ``horizon`` from the initial beliefs ``init``.

    Parameters
    ----------
    model : InventoryPOMDP
    init : sequence of Belief
        Initial beliefs (their reachable beliefs are enumerated unless ``schedule="fixed"``).
    horizon : int
        Number of decision steps, ``1 <= H <= MAX_HORIZON`` (1000). With the ``"layered"`` and
        ``"all"`` schedules the reachable belief tree grows geometrically in H; its enumeration
        stops with a ``ValueError`` naming ``horizon`` beyond ``MAX_BELIEFS`` beliefs.
    schedule : {"layered", "all", "fixed"}
        Which beliefs are backed up at stage h. ``"layered"``: the beliefs reachable at depth
        H - h (exact at all of them, the cheapest exact choice). ``"all"``: every belief
        reachable to depth H - 1 at every stage (standard PBVI, more α-functions).
        ``"fixed"``: ``belief_set`` at every stage (bounded PBVI; a lower bound).
    tie_tol : float
        Relative float gap under which candidates are compared exactly.
    check : bool
        Assert that every new α-function evaluates at its belief exactly to the backed-up value.
    method : {"cells", "xadd"}
        ``"cells"`` (default): decisions in float64 on the cell grid of
        :mod:`mmkit.symbolic.pbvi_cells`, near-ties and values exact (integer mass vectors and
        cell averages). ``"xadd"``: the reference path, every α·b integrated from the case
        statement in rational arithmetic. Both give the same α-functions, beliefs and values;
        ``"cells"`` falls back to ``"xadd"`` for a model that tests ``v`` jointly with ``i``.
    """
    check_positive_int(horizon, "horizon", MAX_HORIZON)
    _check_model_init(model, init)
    check_nonnegative(tie_tol, "tie_tol")
    check_bool(check, "check")
    if schedule not in SCHEDULES:
        raise ValueError(f"schedule must be one of {SCHEDULES}, got {schedule!r}")
    if len(init) == 0:
        raise ValueError("init must contain at least one belief")
    if not tie_tol >= 0:
        raise ValueError(f"tie_tol must be >= 0, got {tie_tol}")
    if belief_set is not None and schedule != "fixed":
        raise ValueError(f"belief_set is used only with schedule='fixed', got schedule={schedule!r}")
    if method not in ("cells", "xadd"):
        raise ValueError(f"method must be 'cells' or 'xadd', got {method!r}")
    if schedule == "fixed" and not belief_set:
        raise ValueError("belief_set must be a non-empty set of beliefs for schedule='fixed'")
    if method == "cells":
        if CellGrid.supported(model):
            return _solve_cells(model, init, horizon, schedule, belief_set, tie_tol, check)
    H = int(horizon)
    X = model.X
    if schedule == "fixed":
        layers = [list(dict.fromkeys(init))]
    else:
        layers = reachable_beliefs(model, init, H)
    zero = Alpha(X.const(0), -1, 0)
    res = PBVIResult(model, H, [[zero]], [], [], [dict()], tie_tol, _Evaluator(model))
    for h in range(1, H + 1):
        t0 = time.perf_counter()
        ops0 = len(X._cache)
        Bh = _stage_beliefs(schedule, layers, belief_set, H, h)
        Vh: list[Alpha] = []
        seen: dict[int, int] = {}
        vals: dict[Belief, Fraction] = {}
        succs = [s for b in Bh for s in model.successors(b)]
        res._prefetch(succs, h - 1)
        res.V.append(Vh)  # placeholder filled below (choose() only reads V[h-1])
        for b in Bh:
            a, q, row = res.choose(b, h)
            plan = tuple(j for _, _, _, j in row)
            node = X.sum(model.backproject(res.V[h - 1][j].node, a, o) for (o, _, _, j) in row)
            if check:
                got = model.dot(node, b)
                assert got == q, f"α·b = {got} but backup value = {q} at {b}"
            vals[b] = q
            if node not in seen:
                seen[node] = len(Vh)
                Vh.append(Alpha(node, a, h, plan))
        _end_stage(res, h, Bh, vals, len(set(succs)), t0, ops0)
    return res


def _solve_cells(
    model: InventoryPOMDP,
    init: Sequence[Belief],
    horizon: int,
    schedule: str = "layered",
    belief_set: Sequence[Belief] | None = None,
    tie_tol: float = 1e-9,
    check: bool = False,
) -> PBVIResult:
    """Symbolic PBVI on the cell grid of :mod:`mmkit.symbolic.pbvi_cells` (arguments as
    :func:`solve`, validated there): float decisions, exact near-ties and values. Same result
    as the reference path (``method="xadd"``)."""
    H = int(horizon)
    X = model.X
    nA = len(model.actions)
    acts_q = model.actions
    grid = CellGrid(model, [*init, *(belief_set or ())])
    if schedule == "layered":
        sets, maps = reachable_layers(grid, init, H)
        last, idx_last = sets[-1].expand()  # successors of the deepest layer (stage 1)
        sets.append(last)
        maps.append(idx_last)
        stage_sets = [(sets[H - h], sets[H - h + 1], maps[H - h]) for h in range(1, H + 1)]
    else:
        if schedule == "fixed":
            base = BeliefSet.of(grid, list(belief_set))  # type: ignore[arg-type]
        else:
            sets, _ = reachable_layers(grid, init, H)
            base = BeliefSet.of(grid, list(dict.fromkeys(b for s in sets for b in s.beliefs())))
        succ, idx = base.expand()
        stage_sets = [(base, succ, idx)] * H
    # α-functions are evaluated at successors' inventories; A^h is needed up to i_eval + H - h
    i_eval = max(int(np.max(S.inv)) for _, S, _ in stage_sets)
    zero = Alpha(X.const(0), -1, 0)
    res = PBVIResult(model, H, [[zero]], [], [], [dict()], tie_tol, _Evaluator(model))
    gamma = model.gamma
    gf = float(gamma)
    A = AlphaCells.zero(grid.n_cells, i_eval + H)
    for h in range(1, H + 1):
        t0 = time.perf_counter()
        ops0 = len(X._cache)
        B, S, idx = stage_sets[h - 1]
        Vprev = res.V[h - 1]
        # best α of V^{h-1} at every successor: float, near-ties exact
        best_j = np.zeros(len(S), dtype=np.int64)
        best_f = np.zeros(len(S))
        tie_exact: dict[int, Fraction] = {}
        for i in np.unique(S.inv):
            sel = np.flatnonzero(S.inv == i)
            vals = S.M[sel] @ A.flt[i].T
            mx = vals.max(axis=1)
            near = vals >= (mx - tie_tol * (1.0 + np.abs(mx)))[:, None]
            best_j[sel] = np.argmax(near, axis=1)
            best_f[sel] = vals[np.arange(len(sel)), best_j[sel]]
            for r in np.flatnonzero(near.sum(axis=1) > 1):
                s = int(sel[r])
                cand = np.flatnonzero(near[r])
                ex = {int(j): idot(S.n[s], A.num[i][j]) for j in cand}
                m = max(ex.values())
                j = min(j for j, x in ex.items() if x == m)
                best_j[s] = j
                tie_exact[s] = Fraction(m, S.N[s] * A.den)
                best_f[s] = float(tie_exact[s])
        exact_s: dict[int, Fraction] = dict(tie_exact)

        def v_exact(s: int, i: int) -> Fraction:
            v = exact_s.get(s)
            if v is None:
                v = exact_s[s] = Fraction(idot(S.n[s], A.num[i][best_j[s]]), S.N[s] * A.den)
            return v

        # float Q(b, a) for every backed-up belief
        q = np.zeros((len(B), nA))
        vnext = np.where(idx >= 0, best_f[np.maximum(idx, 0)], 0.0)
        for i in np.unique(B.inv):
            sel = np.flatnonzero(B.inv == i)
            Mi = B.M[sel]
            tab = grid.table(int(i))
            P = np.einsum("bc,aoc->bao", Mi, tab[1])
            q[sel] = Mi @ tab[3].T + gf * np.sum(P * vnext[sel], axis=2)

        def q_exact(b: int, a: int) -> Fraction:
            tab = grid.table(int(B.inv[b]))
            n, N = B.n[b], B.N[b]
            v = Fraction(idot(n, tab[2][a]), N * grid.DR)
            for k in range(3):
                s = int(idx[b, a, k])
                if s >= 0:
                    p = Fraction(idot(n, tab[4][a][k]), N * grid.DL)
                    v += gamma * p * v_exact(s, int(S.inv[s]))
            return v

        Vh: list[Alpha] = []
        seen: dict[int, int] = {}
        node_of: dict[tuple, int] = {}  # (action, plan) -> case statement, this stage
        vals_h: dict[Belief, Fraction] = {}
        new_acts: list[int] = []
        new_plans: list[tuple[int, ...]] = []
        Bbel = B.beliefs()
        for b in range(len(B)):
            cand = _near(q[b], tie_tol)
            if len(cand) == 1:
                a = int(cand[0])
                qa = q_exact(b, a)
            else:
                exq = {int(a): q_exact(b, int(a)) for a in cand}
                qa = max(exq.values())
                a = min(
                    (a for a, x in exq.items() if x == qa), key=lambda a: (-acts_q[a][1], acts_q[a][0], a)
                )
            plan = tuple(int(best_j[s]) if s >= 0 else 0 for s in idx[b, a].tolist())
            key = (a, plan)
            node = node_of.get(key)
            if node is None:
                node = node_of[key] = X.sum(model.backproject(Vprev[j].node, a, o) for o, j in zip(OBS, plan))
            if check:
                got = model.dot(node, Bbel[b])
                assert got == qa, f"α·b = {got} but backup value = {qa} at {Bbel[b]}"
            vals_h[Bbel[b]] = qa
            if node not in seen:
                seen[node] = len(Vh)
                Vh.append(Alpha(node, a, h, plan))
                new_acts.append(a)
                new_plans.append(plan)
        # successors' best α (as the reference path caches them) for later queries
        if h > 1:
            Sbel = S.beliefs()
            for s in range(len(S)):
                ex_s = tie_exact.get(s)
                res._succ_best[(Sbel[s], h - 1)] = (int(best_j[s]), float(best_f[s]), ex_s)
                if s in exact_s:
                    res._exact[(Vprev[int(best_j[s])].node, Sbel[s])] = exact_s[s]
        A = A.backup(grid, gamma, np.array(new_acts), np.array(new_plans, dtype=np.int64), i_eval + H - h)
        res.V.append(Vh)
        _end_stage(res, h, Bbel, vals_h, len(S), t0, ops0)
    return res


def _end_stage(
    res: PBVIResult, h: int, beliefs: list[Belief], vals: dict, n_succ: int, t0: float, ops0: int
) -> None:
    """Record stage ``h`` (its α-functions ``res.V[h]`` are in place): beliefs, values, stats."""
    X = res.model.X
    Vh = res.V[h]
    nodes = [al.node for al in Vh]
    per = [X.node_count(n) for n in nodes]
    res.beliefs.append(beliefs)
    res.values.append(vals)
    res.stats.append(
        StageStats(
            h,
            len(beliefs),
            n_succ,
            len(Vh),
            X.node_count(*nodes),
            int(sum(per)),
            int(max(per)),
            time.perf_counter() - t0,
            len(X._cache) - ops0,
        )
    )


# ----------------------------------------------------------------------------- policy trees
@dataclass
class PolicyNode:
    """A node of the policy tree: belief, action, exact value, children by observation."""

    belief: Belief
    horizon: int
    action: int
    value: Fraction
    children: dict[str, tuple[Fraction, PolicyNode]] = field(default_factory=dict)

    def walk(self, path: tuple[str, ...] = ()):
        """Iterate ``(path, node)`` depth-first in observation order buy, sell, hold; ``path``
        (a tuple of observations) prefixes every yielded path."""
        if not (isinstance(path, tuple) and all(o in OBS for o in path)):
            raise TypeError(f"path must be a tuple of observations from {OBS}, got {path!r}")
        return self._walk(path)

    def _walk(self, path: tuple[str, ...]):
        yield path, self
        for o in OBS:
            if o in self.children:
                yield from self.children[o][1]._walk(path + (o,))


def policy_tree(res: PBVIResult, b: Belief, horizon: int | None = None) -> PolicyNode:
    """The optimal conditional plan from ``b`` (argmax at every reached belief)."""
    if not isinstance(res, PBVIResult):
        raise TypeError(f"res must be a PBVIResult (from solve), got {type(res).__name__}")
    if not isinstance(b, Belief):
        raise TypeError(f"b must be a Belief, got {type(b).__name__}")
    h = res.horizon if horizon is None else check_int(horizon, "horizon", 1, res.horizon)
    a, q, row = res.choose(b, h)
    node = PolicyNode(b, h, a, q)
    if h > 1:
        for o, p, s, _ in row:
            if p > 0:
                node.children[o] = (p, policy_tree(res, s, h - 1))
    return node


# ----------------------------------------------------------------------------- upper surface
def upper_surface(
    res: PBVIResult, inventory: int, means: np.ndarray, widths: np.ndarray, h: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    r"""Upper surface :math:`\max_{α\in V^h} \int α(v,i)\, U[m-w, m+w](v)\, dv` on a grid.

    ``widths`` may contain 0 (a point belief: α evaluated at m, ties at prices follow the
    model's strict inequalities). Returns ``(values, argmax)`` of shape
    ``(len(widths), len(means))``; argmax indexes ``res.V[h]``.
    """
    if not isinstance(res, PBVIResult):
        raise TypeError(f"res must be a PBVIResult (from solve), got {type(res).__name__}")
    check_nonnegative_int(inventory, "inventory")
    h = res.horizon if h is None else check_int(h, "h", 1, res.horizon)
    X = res.model.X
    means = check_array(means, "means", ndim=1)
    check_array(widths, "widths", ndim=1, lo=0.0)
    means = np.asarray(means, dtype=float)
    widths = np.asarray(widths, dtype=float)
    vals = np.empty((len(res.V[h]), len(widths), len(means)))
    assert res._ev is not None
    for j, al in enumerate(res.V[h]):
        lo, s, c, _ = res._ev.pieces(al.node, inventory)
        # antiderivative F(x) = F(lo_k) + s (x^2 - lo_k^2)/2 + c (x - lo_k), anchored at x0
        x0 = min(-1e6, lo[1] - 1 if len(lo) > 1 else -1e6)
        starts = lo.copy()
        starts[0] = x0
        Fk = np.zeros(len(lo))
        for k in range(1, len(lo)):
            a_, b_ = starts[k - 1], starts[k]
            Fk[k] = Fk[k - 1] + s[k - 1] * (b_**2 - a_**2) / 2 + c[k - 1] * (b_ - a_)

        def F(x):
            k = np.searchsorted(lo, x, side="right") - 1
            a_ = starts[k]
            return Fk[k] + s[k] * (x**2 - a_**2) / 2 + c[k] * (x - a_)

        for r, w in enumerate(widths):
            if w == 0:
                vals[j, r] = [float(X.evaluate(al.node, {"v": float(m), "i": inventory})) for m in means]
            else:
                vals[j, r] = (F(means + w) - F(means - w)) / (2 * w)
    return vals.max(axis=0), vals.argmax(axis=0)


# ----------------------------------------------------------------------------- sensitivity
def switch_point(
    holds: Callable[[Fraction], bool],
    lo: Fraction | int | str,
    hi: Fraction | int | str,
    tol: Fraction | int | str = Fraction(1, 1000),
) -> tuple[Fraction, Fraction]:
    """Bracket the parameter value where a claim switches, by bisection on exact rationals.

    ``holds(x)`` is a yes/no property of the solution at parameter ``x`` (e.g. the discount
    factor) that is assumed to switch once on ``[lo, hi]``. Returns ``(a, b)`` with
    ``b - a <= tol``, ``holds(a) == holds(lo)`` and ``holds(b) == holds(hi)``.
    """
    if not callable(holds):
        raise TypeError(f"holds must be a callable Fraction -> bool, got {type(holds).__name__}")
    a, b, tol = Q(lo, "lo"), Q(hi, "hi"), Q(tol, "tol")
    if not a < b:
        raise ValueError(f"lo must be < hi, got lo={a}, hi={b}")
    if not tol > 0:
        raise ValueError(f"tol must be > 0, got {tol}")
    at_lo = bool(holds(a))
    if bool(holds(b)) == at_lo:
        raise ValueError(f"holds must differ at lo={a} and hi={b} (got {at_lo} at both)")
    while b - a > tol:
        mid = (a + b) / 2
        if bool(holds(mid)) == at_lo:
            a = mid
        else:
            b = mid
    return a, b
