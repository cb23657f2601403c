r"""Exact symbolic PBVI at expectimax speed: float decisions on a cell grid, exact certificates.

:func:`mmkit.symbolic.pbvi.solve` (``method="cells"``, the default) runs on the grid of this module;
``method="xadd"`` keeps the reference implementation, which evaluates every α-function by
integrating its case statement against each belief in rational arithmetic. Both return the
same :class:`~mmkit.symbolic.pbvi.PBVIResult`: the same α-functions (nodes, actions, plans), the
same beliefs in the same order and the same exact values (``tests/test_pbvi_cells.py``).

The cell grid
-------------
Cut the hull of the initial beliefs' supports at every belief edge and at every breakpoint of
the likelihoods :math:`L_{a,o}(\cdot, i)` and expected rewards :math:`\bar R_a(\cdot, i)`.
On each cell :math:`c = (e_c, e_{c+1})` every likelihood is constant and every reward linear, so

* a belief reachable from the initial ones is a vector of cell masses :math:`m_c` (its density is
  uniform within a cell); its Bayes update is :math:`m'_c \propto m_c L_{a,o,c}(i)`, and
  :math:`P(o\mid b, a) = \sum_c m_c L_{a,o,c}(i)`;
* an α-function enters only through its cell averages :math:`A_c(i) = \frac1{w_c}\int_c α(v,i)\,dv`,
  because :math:`α\cdot b = \sum_c m_c A_c(i_b)`; the backup of eq. (2) averages cell by cell,

.. math::

    A^h_c(i) = \bar R_{a,c}(i) + γ \sum_o L_{a,o,c}(i)\, A^{h-1}_{j_o,c}\big(i'(i,o)\big),

  where :math:`(a, j_{buy}, j_{sell}, j_{hold})` is the α-function's action and plan.

Exact where it matters
----------------------
Masses are stored exactly as primitive integer vectors :math:`n` (:math:`m = n / \sum n`, the
update multiplies by the likelihoods' integer numerators and divides by the gcd), so equal
beliefs are equal vectors and de-duplication is exact. Cell averages are stored exactly as
integer numerators over one denominator per stage. Every argmax is taken in float64 first; a
candidate within ``tie_tol`` (relative) of the maximum is compared exactly (integer dot
products for α-functions at a belief, rationals for action values), with the tie-breaking
rules of :mod:`mmkit.symbolic.pbvi`. The exact value of every backed-up belief is a rational
assembled from a few integer dot products. The case statements of the α-functions are built
with the XADD once per distinct (action, plan), in the same order as the reference path.
"""

from __future__ import annotations

import bisect
import math
import operator
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from mmkit.symbolic.inventory_pomdp import MAX_BELIEFS, OBS, Belief, InventoryPOMDP

#: Internal machinery of :func:`mmkit.symbolic.pbvi.solve` (``method="cells"``): no public names.
__all__: list[str] = []

_I64_SAFE = 2**62


def _lcm(values) -> int:
    out = 1
    for v in values:
        out = out * v // math.gcd(out, v)
    return out


def idot(x: Sequence[int], y: Sequence[int]) -> int:
    """Exact integer dot product."""
    return sum(map(operator.mul, x, y))


class CellGrid:
    r"""Cells of ``v`` on which every likelihood is constant and every expected reward linear.

    Parameters
    ----------
    model : InventoryPOMDP
    beliefs : sequence of Belief
        The beliefs whose supports and edges the grid must contain.

    Attributes
    ----------
    edges : list of Fraction
        Cell boundaries :math:`e_0 < \dots < e_C`: the beliefs' edges and every threshold of a
        test on ``v`` in the likelihoods and expected rewards (for every inventory) inside the
        hull of the supports.
    DL, DR : int
        Common denominators of the likelihoods and of the rewards' cell averages.

    :meth:`table` gives, per inventory ``i`` (computed once), the integer numerators
    :math:`L_{a,o,c}(i) D_L` and :math:`\bar R_{a,c}(i) D_R` and the same tables in float64.
    """

    def __init__(self, model: InventoryPOMDP, beliefs: Sequence[Belief]):
        if not self.supported(model):
            raise ValueError("model must test v only in single-variable conditions for the cell grid")
        self.model = model
        lo = min(b.support()[0] for b in beliefs)
        hi = max(b.support()[1] for b in beliefs)
        cuts: set[Fraction] = {lo, hi}
        for b in beliefs:
            cuts.update(b.edges())
        cuts.update(t for t in self._thresholds(model) if lo < t < hi)
        self.edges = sorted(cuts)
        self.n_cells = len(self.edges) - 1
        self.width = [b - a for a, b in zip(self.edges, self.edges[1:])]
        self.mid = [(a + b) / 2 for a, b in zip(self.edges, self.edges[1:])]
        self._wnum = [w.numerator for w in self.width]
        self._wden = [w.denominator for w in self.width]
        self._raw: dict[int, tuple[list, list]] = {}
        self._tab: dict[int, tuple] = {}
        self._tab_by_class: dict[tuple, tuple] = {}
        self._i_tests = self._inventory_tests(model)
        self._tests = {}
        for f in model.X.reachable(*[g for row in model.lik for g in row.values()], *model.rbar):
            nd = model.X.node(f)
            if nd[0] == "D":
                D = model.X.decision(nd[1])
                self._tests[nd[1]] = (D.single_var(), D.threshold(), D.strict)
        nA = len(model.actions)
        # common denominators: the likelihood/reward values do not depend on i beyond the
        # tests on i in the case statements, so scan the leaves of every case
        X = model.X
        lik_nodes = [model.lik[a][o] for a in range(nA) for o in OBS]
        rew_nodes = list(model.rbar)
        self.DL = _lcm(X.node(f)[1].const.denominator for f in X.reachable(*lik_nodes) if X.is_leaf(f))
        self.DR = _lcm(
            x.denominator
            for f in X.reachable(*rew_nodes)
            if X.is_leaf(f)
            for x in self._leaf_cell_values(X.node(f)[1])
        )
        self.lik_max = 0

    @staticmethod
    def supported(model: InventoryPOMDP) -> bool:
        """Whether every test in the likelihoods and rewards is single-variable and every
        likelihood is piecewise constant (else :func:`~mmkit.symbolic.pbvi.solve` uses the
        reference path, which asserts the latter)."""
        X = model.X
        lik_roots = [f for row in model.lik for f in row.values()]
        for f in X.reachable(*lik_roots, *model.rbar):
            n = X.node(f)
            if n[0] == "D" and X.decision(n[1]).single_var() is None:
                return False
        return all(X.node(f)[1].is_const() for f in X.reachable(*lik_roots) if X.is_leaf(f))

    @staticmethod
    def _thresholds(model: InventoryPOMDP) -> set[Fraction]:
        X = model.X
        roots = [f for row in model.lik for f in row.values()] + list(model.rbar)
        out = set()
        for f in X.reachable(*roots):
            n = X.node(f)
            if n[0] == "D" and X.decision(n[1]).single_var() == "v":
                out.add(X.decision(n[1]).threshold())
        return out

    @staticmethod
    def _inventory_tests(model: InventoryPOMDP) -> list:
        """The tests on ``i`` alone in the likelihoods and rewards (e.g. ``i >= 1``)."""
        X = model.X
        roots = [f for row in model.lik for f in row.values()] + list(model.rbar)
        ids = {X.node(f)[1] for f in X.reachable(*roots) if X.node(f)[0] == "D"}
        return [X.decision(d) for d in sorted(ids) if X.decision(d).single_var() == "i"]

    def _leaf_cell_values(self, e) -> list[Fraction]:
        """A leaf's values at the cell midpoints (its cell averages: it is linear)."""
        s = e.coef("v")
        return [e.const + s * m for m in self.mid]

    def table(self, i: int) -> tuple:
        """``(lik_num, lik_f, rew_num, rew_f, lik_list)`` at inventory ``i``: shapes (|A|, 3, C)
        int64, (|A|, 3, C) float, |A| lists of C ints, (|A|, C) float, nested int lists."""
        t = self._tab.get(i)
        if t is None:
            cls = tuple(D.holds({"i": i}) for D in self._i_tests)  # the tables depend on i only through these
            t = self._tab_by_class.get(cls)
        if t is None:
            m = self.model
            nA = len(m.actions)
            lik = [[[self._value_at(m.lik[a][o], i, x) for x in self.mid] for o in OBS] for a in range(nA)]
            rew = [[self._value_at(m.rbar[a], i, x) for x in self.mid] for a in range(nA)]
            lik_list = [[[int(x * self.DL) for x in row] for row in la] for la in lik]
            rew_num = [[int(x * self.DR) for x in row] for row in rew]
            assert all(x * self.DL == int(x * self.DL) for la in lik for row in la for x in row)
            assert all(x * self.DR == int(x * self.DR) for row in rew for x in row)
            lik_num = np.array(lik_list, dtype=np.int64)
            t = (
                lik_num,
                np.array([[[float(x) for x in row] for row in la] for la in lik]),
                rew_num,
                np.array([[float(x) for x in row] for row in rew]),
                lik_list,
            )
            self.lik_max = max(self.lik_max, int(lik_num.max(initial=0)))
            self._tab_by_class[cls] = t
        self._tab[i] = t
        return t

    def _value_at(self, f: int, i: int, x: Fraction) -> Fraction:
        """The case statement ``f`` at ``(v, i) = (x, i)``: a walk down the diagram, whose tests
        are single-variable (``x`` is a cell midpoint, never a threshold of a test on v)."""
        X = self.model.X
        n = X.node(f)
        while n[0] == "D":
            var, t, strict = self._tests[n[1]]
            val = i if var == "i" else x
            n = X.node(n[2] if (val > t if strict else val >= t) else n[3])
        e = n[1]
        return e.const + e.coef("v") * x

    # ------------------------------------------------------------------ beliefs <-> mass vectors
    def masses(self, b: Belief) -> list[int]:
        """The primitive integer mass vector of ``b`` (masses proportional to it)."""
        starts = [p[0] for p in b.pieces]
        ms: list[Fraction] = []
        for c, w in enumerate(self.width):
            k = bisect.bisect_right(starts, self.mid[c]) - 1
            inside = k >= 0 and b.pieces[k][0] <= self.edges[c] and self.edges[c + 1] <= b.pieces[k][1]
            ms.append(b.pieces[k][2] * w if inside else Fraction(0))
        den = _lcm(x.denominator for x in ms)
        n = [int(x * den) for x in ms]
        g = math.gcd(*n)
        return [x // g for x in n]

    def belief(self, n: Sequence[int], inventory: int) -> Belief:
        """The :class:`Belief` with integer masses ``n`` (canonical: adjacent equal densities merged)."""
        N = sum(n)
        pieces: list[tuple[Fraction, Fraction, Fraction]] = []
        prev = -1
        for c, x in enumerate(n):
            if x == 0:
                continue
            if prev == c - 1 and prev >= 0:
                # equal densities: n_p / w_p == n_c / w_c
                if n[prev] * self._wden[prev] * self._wnum[c] == x * self._wden[c] * self._wnum[prev]:
                    lo, _, d = pieces[-1]
                    pieces[-1] = (lo, self.edges[c + 1], d)
                    prev = c
                    continue
            pieces.append((self.edges[c], self.edges[c + 1], Fraction(x * self._wden[c], N * self._wnum[c])))
            prev = c
        return Belief(tuple(pieces), inventory)


class BeliefSet:
    """Distinct beliefs as exact integer mass rows (``int64`` while safe, Python ints beyond)."""

    def __init__(self, grid: CellGrid, inv: np.ndarray, rows: np.ndarray):
        self.grid = grid
        self.inv = np.asarray(inv, dtype=np.int64)
        self.rows = rows
        self.n = [list(map(int, r)) for r in rows.tolist()]
        self.N = [sum(r) for r in self.n]
        if rows.dtype == object:
            self.M = np.array([[x / N for x in r] for r, N in zip(self.n, self.N)], dtype=float).reshape(
                rows.shape
            )
        else:
            self.M = rows / rows.sum(axis=1, keepdims=True)
        self._beliefs: list[Belief] | None = None

    def __len__(self) -> int:
        return len(self.inv)

    @classmethod
    def of(cls, grid: CellGrid, beliefs: Sequence[Belief]) -> BeliefSet:
        rows = [grid.masses(b) for b in beliefs]
        arr = np.array(rows, dtype=object).reshape(len(rows), grid.n_cells)
        if max((max(r) for r in rows), default=0) < _I64_SAFE:
            arr = arr.astype(np.int64)
        out = cls(grid, np.array([b.inventory for b in beliefs]), arr)
        out._beliefs = list(beliefs)
        return out

    def beliefs(self) -> list[Belief]:
        if self._beliefs is None:
            self._beliefs = [self.grid.belief(n, int(i)) for n, i in zip(self.n, self.inv)]
        return self._beliefs

    def expand(self) -> tuple[BeliefSet, np.ndarray]:
        """Distinct successors (in the order: belief, action, observation; first occurrence kept)
        and the map ``(belief, action, observation) -> successor index`` (-1 when P(o|b,a) = 0)."""
        g = self.grid
        nb, nA, C = len(self), len(g.model.actions), g.n_cells
        invs = [int(i) for i in np.unique(self.inv)]
        for i in invs:
            g.table(i)
        big = self.rows.dtype == object or int(self.rows.max(initial=0)) * g.lik_max >= _I64_SAFE
        dt = object if big else np.int64
        prod = np.zeros((nb, nA, 3, C), dtype=dt)
        inv2 = np.zeros((nb, nA, 3), dtype=np.int64)
        rows = self.rows.astype(dt)
        for i in invs:
            sel = np.flatnonzero(self.inv == i)
            prod[sel] = rows[sel][:, None, None, :] * g.table(i)[0].astype(dt)[None]
            for k, o in enumerate(OBS):
                inv2[sel, :, k] = g.model.next_inventory(i, o)
        gcd = np.gcd.reduce(prod, axis=-1)
        pos = gcd != 0
        flat = prod[pos] // gcd[pos][:, None]
        keys = inv2[pos]
        idx = np.full((nb, nA, 3), -1, dtype=np.int64)
        if big:
            row_keys: list = [(k, *row) for row, k in zip(flat.tolist(), keys.tolist())]
        else:
            both = np.ascontiguousarray(np.concatenate([keys[:, None], flat], axis=1))
            row_keys = both.view(np.dtype((np.void, both.itemsize * both.shape[1]))).ravel().tolist()
        seen: dict = {}
        inverse = np.fromiter(
            (seen.setdefault(t, len(seen)) for t in row_keys), dtype=np.int64, count=len(row_keys)
        )
        order = np.unique(inverse, return_index=True)[1]  # first occurrence of each id (ids in that order)
        uniq_rows = flat[order]
        if big:
            uniq_rows = np.array(uniq_rows, dtype=object).reshape(len(order), C)
        idx[pos] = inverse
        return BeliefSet(g, keys[order], uniq_rows), idx


def reachable_layers(
    grid: CellGrid, init: Sequence[Belief], depth: int
) -> tuple[list[BeliefSet], list[np.ndarray]]:
    """Beliefs reachable at depths 0..depth-1 (as :func:`reachable_beliefs`, same budget) and
    the successor maps from each layer to the next one."""
    sets = [BeliefSet.of(grid, list(dict.fromkeys(init)))]
    maps: list[np.ndarray] = []
    total = len(sets[0])
    for k in range(depth - 1):
        nxt, idx = sets[-1].expand()
        sets.append(nxt)
        maps.append(idx)
        total += len(nxt)
        if total > MAX_BELIEFS:
            raise ValueError(
                f"depth (horizon) must be small enough for at most MAX_BELIEFS = {MAX_BELIEFS} reachable "
                f"beliefs; {total} are reachable by depth {k + 2} of {depth} "
                "(use a smaller horizon or the 'fixed' PBVI schedule)"
            )
    return sets, maps


class AlphaCells:
    """Cell averages of the α-functions of one stage: float, and exact as ``num[i] / den``."""

    def __init__(self, num: list[np.ndarray], den: int, flt: list[np.ndarray]):
        self.num, self.den, self.flt = num, den, flt

    @classmethod
    def zero(cls, C: int, i_top: int) -> AlphaCells:
        return cls(
            [np.zeros((1, C), dtype=object) for _ in range(i_top + 1)],
            1,
            [np.zeros((1, C)) for _ in range(i_top + 1)],
        )

    def backup(
        self, grid: CellGrid, gamma: Fraction, acts: np.ndarray, plans: np.ndarray, i_top: int
    ) -> AlphaCells:
        """Cell averages of the α-functions with actions ``acts`` and plans ``plans`` (eq. above)."""
        g_num, g_den = gamma.numerator, gamma.denominator
        DR, DL = grid.DR, grid.DL
        c_rew = g_den * DL * self.den  # scale of the reward term to the new denominator
        c_fut = g_num * DR
        gf = float(gamma)
        num, flt = [], []
        for i in range(i_top + 1):
            lik_num, lik_f, rew_num, rew_f, _ = grid.table(i)
            acc = np.array(rew_num, dtype=object)[acts] * c_rew
            accf = rew_f[acts].copy()
            for k, o in enumerate(OBS):
                i2 = grid.model.next_inventory(i, o)
                acc = acc + c_fut * lik_num[acts, k].astype(object) * self.num[i2][plans[:, k]]
                accf += gf * lik_f[acts, k] * self.flt[i2][plans[:, k]]
            num.append(acc)
            flt.append(accf)
        den = DR * g_den * DL * self.den
        cont = math.gcd(den, *(int(x) for a in num for x in a.ravel()))
        if cont > 1:
            num = [a // cont for a in num]
            den //= cont
        return AlphaCells(num, den, flt)
