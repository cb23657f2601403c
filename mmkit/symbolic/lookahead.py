r"""Batched short look-ahead Q-values for :class:`mmkit.symbolic.bounds.CellDP`.

The receding-horizon (MPC) policy evaluates :math:`Q_h(m, a)` for a small h at every belief
it reaches. :meth:`CellDP.q <mmkit.symbolic.bounds.CellDP.q>` walks the expectimax tree one
node at a time, so its cost grows as :math:`(3|A|)^{h-1}` Python calls; with 17 prices
(136 actions) and h = 3 that is about 170,000 calls per belief.

:class:`BatchedCellDP` computes the same Q-values with array operations. It works on
*unnormalised* mass vectors: because :math:`V_h` is positively homogeneous,
:math:`P(o\mid m, a)\, V_{h-1}(m^{a,o}) = V_{h-1}(L_{a,o} \odot m)`, so

.. math::

    Q_h(x, a) = r_a \cdot x + γ \sum_o V_{h-1}(L_{a,o} \odot x), \qquad
    V_h(x) = \max_a Q_h(x, a), \qquad V_0 = 0 .

The likelihood vector :math:`L_{a,o}` of a buy depends only on the ask and that of a sale only
on the bid, so the :math:`3|A|` vectors hold few distinct rows :math:`D_1, \dots, D_K`
(168 of 408 with 17 prices); every child of a batch of vectors is computed once per distinct
row and the tree to depth h costs :math:`K^{h-1}|A|C` multiply-adds. The batched path is
used where the no-short constraint cannot bind inside the look-ahead (inventory
:math:`i \ge h`, so every node holds a unit); elsewhere the node-by-node recursion of
:class:`~mmkit.symbolic.bounds.CellDP` is used. Both give the same Q-values up to
floating-point round-off (tested to 1e-12).
"""

from __future__ import annotations

import numpy as np

from mmkit.common.validation import check_positive_int
from mmkit.symbolic.bounds import CellDP
from mmkit.symbolic.inventory_pomdp import Belief, InventoryPOMDP

__all__ = ["BatchedCellDP"]


class BatchedCellDP(CellDP):
    """:class:`~mmkit.symbolic.bounds.CellDP` whose :meth:`q` is batched for short horizons.

    Parameters
    ----------
    model, belief, digits
        As :class:`~mmkit.symbolic.bounds.CellDP`.
    max_batched : int
        Largest number of steps to go computed by the batched recursion (default 3); the
        work and memory grow as K**(h-1) for K distinct likelihood rows.

    Attributes
    ----------
    planned : int
        Number of calls of :meth:`q` answered by the batched path; in an MPC run where
        inventory never binds, the number of distinct beliefs planned.
    """

    def __init__(self, model: InventoryPOMDP, belief: Belief, digits: int = 12, max_batched: int = 3):
        super().__init__(model, belief, digits)
        self.max_batched = check_positive_int(max_batched, "max_batched", 6)
        L, r = self.tab[True]
        A, O, C = L.shape
        rows, inv = np.unique(L.reshape(A * O, C), axis=0, return_inverse=True)
        self._D = rows
        self._idx = np.asarray(inv).reshape(A, O)
        self._rT = np.ascontiguousarray(r.T)
        self.planned = 0

    def _batch_q(self, X: np.ndarray, h: int) -> np.ndarray:
        """Q-values (N, A) of the unnormalised mass vectors ``X`` (N, C) with h steps to go."""
        Q = X @ self._rT
        if h > 1:
            N, K = X.shape[0], self._D.shape[0]
            Y = (X[:, None, :] * self._D[None, :, :]).reshape(N * K, -1)
            Vc = self._batch_q(Y, h - 1).max(axis=1).reshape(N, K)
            Q = Q + self.gamma * Vc[:, self._idx].sum(axis=2)
        return Q

    def q(self, m: np.ndarray, i: int, h: int) -> np.ndarray:
        """Q-values of every action with h steps to go (batched when ``i >= h`` and
        ``h <= max_batched``, else the node-by-node recursion)."""
        if h <= self.max_batched and i >= h:
            self.planned += 1
            return self._batch_q(np.asarray(m, dtype=float)[None, :], h)[0]
        return super().q(m, i, h)
