r"""Optimality bounds for the market-making POMDP: exact values, an upper bound, and MPC.

Every likelihood :math:`L_{a,o}(v,i)` and expected reward of the model is constant (cash
reward) or linear (mark-to-market) in :math:`v` between consecutive *breakpoints*
(price + ε for every informed ε). On the cells cut by those breakpoints and by the initial
belief's edges a belief is a mass vector :math:`m \in \Delta^{C}`, and the Bayes update is

.. math::

    m'_c \propto L_{a,o,c}\, m_c, \qquad P(o\mid m, a) = \sum_c L_{a,o,c}\, m_c .

Because every belief reached from one root is the root times a product of likelihood vectors,
and the likelihood vectors take few values, *distinct* beliefs grow polynomially with depth
(not as :math:`(3|A|)^d`). :class:`CellDP` exploits that: it memoises the value on the
(rounded) mass vector, the inventory capped at the steps to go (more units than steps cannot
be sold), and the steps to go.

Three quantities, all on the same cells:

* :meth:`CellDP.value`: the exact optimal value :math:`V_h(b)` (expectimax with belief
  de-duplication);
* :func:`full_information_bound`: the value when the cell of :math:`v` is revealed before
  the first step, :math:`\bar V_h(b) = \sum_c m_c\, V^{\rm full}_h(c, i)`, an upper bound on
  :math:`V_h(b)` (information relaxation: knowing more can only help);
* :meth:`CellDP.mpc_value`: the exact value of the receding-horizon policy that, with
  :math:`h` steps to go, plays the first action of the optimal :math:`\min(L, h)`-step plan
  from the current belief, then re-plans; a lower bound on :math:`V_h(b)`.

:func:`simulate_policy` estimates a policy's value by Monte Carlo (seeded) as a check of the
exact policy evaluation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mmkit.common.validation import check_array, check_int, check_nonnegative_int, check_positive_int
from mmkit.symbolic.inventory_pomdp import MAX_HORIZON, OBS, Belief, InventoryPOMDP

__all__ = ["CellDP", "full_information_bound", "simulate_policy", "gap_table"]

_NO = len(OBS)  # buy, sell, hold


def _cells(model: InventoryPOMDP, belief: Belief) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cell edges inside the belief's support, cell midpoints, and the belief's cell masses."""
    lo, hi = (float(x) for x in belief.support())
    cuts = {float(x) for x in belief.edges()} | {float(x) for x in model.breakpoints()}
    edges = np.array(sorted(x for x in cuts if lo <= x <= hi))
    mids = (edges[:-1] + edges[1:]) / 2
    mass = np.zeros(len(mids))
    for k, (a, b) in enumerate(zip(edges[:-1], edges[1:])):
        for plo, phi, d in belief.pieces:
            ov = min(b, float(phi)) - max(a, float(plo))
            if ov > 0:
                mass[k] += ov * float(d)
    return edges, mids, mass / mass.sum()


def _tables(model: InventoryPOMDP, mids: np.ndarray, has_unit: bool) -> tuple[np.ndarray, np.ndarray]:
    """Likelihoods ``L[a, o, c]`` and expected rewards ``r[a, c]`` (E[v] = midpoint in a cell).

    Coded from the model's definition: an informed trader with noise ε buys if
    v > ask + ε and a unit is held, sells if v < bid + ε, else holds; an uninformed trader
    buys, sells or holds with probability 1/3 each (a buy with no unit trades nothing).
    """
    A, C = len(model.actions), len(mids)
    L = np.zeros((A, _NO, C))
    r = np.zeros((A, C))
    mtm = model.reward_kind == "mark_to_market"
    for a, (bid_q, ask_q) in enumerate(model.actions):
        bid, ask = float(bid_q), float(ask_q)
        sale = (ask - mids) if mtm else np.full(C, ask)
        purchase = (mids - bid) if mtm else np.full(C, -bid)
        for t in model.traders.types:
            p = float(t.prob)
            if t.uninformed:
                L[a] += p / 3
                r[a] += p / 3 * ((sale if has_unit else 0.0) + purchase)
            else:
                eps = float(t.eps)
                buy = (mids > ask + eps) & has_unit
                sell = mids < bid + eps
                L[a, 0] += p * buy
                L[a, 1] += p * sell
                L[a, 2] += p * (~buy & ~sell)
                r[a] += p * (sale * buy + purchase * sell)
    return L, r


def _next_inv(i: int) -> tuple[int, int, int]:
    """Inventory after buy, sell, hold."""
    return (i - 1 if i >= 1 else i, i + 1, i)


class CellDP:
    r"""Exact dynamic programming on cell mass vectors from one initial belief.

    Parameters
    ----------
    model : InventoryPOMDP
    belief : Belief
        The initial belief (its inventory is the initial inventory).
    digits : int
        Mass vectors are rounded to this many decimals for de-duplication only (values are
        computed from the unrounded vectors).

    Notes
    -----
    :math:`V_h(m, i) = \max_a \{ r_a(i)\cdot m + γ \sum_o P(o\mid m,a)\, V_{h-1}(m^{a,o}, i'(i,o)) \}`,
    :math:`V_0 = 0`. ``nodes`` counts the distinct (belief, inventory, steps-to-go) triples
    evaluated: a deterministic measure of work.
    """

    def __init__(self, model: InventoryPOMDP, belief: Belief, digits: int = 12):
        _check_model(model, belief)
        digits = check_positive_int(digits, "digits", 17)
        self.model = model
        self.edges, self.mids, self.mass0 = _cells(model, belief)
        self.i0 = belief.inventory
        self.gamma = float(model.gamma)
        self.digits = digits
        self.tab = {u: _tables(model, self.mids, u) for u in (False, True)}
        self.memo: dict = {}

    @property
    def nodes(self) -> int:
        return len(self.memo)

    def _key(self, m: np.ndarray, i: int, h: int) -> tuple:
        return (h, min(i, h), np.round(m, self.digits).tobytes())

    def _children(self, m: np.ndarray, i: int):
        """Per action: expected reward, P(o) and posteriors; shapes (A,), (A, O), (A, O, C)."""
        L, r = self.tab[i >= 1]
        post = L * m
        p = post.sum(axis=2)
        return r @ m, p, post

    def q(self, m: np.ndarray, i: int, h: int) -> np.ndarray:
        """Q-values of every action with h steps to go."""
        rew, p, post = self._children(m, i)
        if h == 1:
            return rew
        q = rew.copy()
        inv = _next_inv(i)
        for a in range(len(q)):
            for o in range(_NO):
                if p[a, o] > 1e-15:
                    q[a] += self.gamma * p[a, o] * self._v(post[a, o] / p[a, o], inv[o], h - 1)
        return q

    def _v(self, m: np.ndarray, i: int, h: int) -> float:
        k = self._key(m, i, h)
        v = self.memo.get(k)
        if v is None:
            v = float(self.q(m, i, h).max())
            self.memo[k] = v
        return v

    def value(self, horizon: int) -> float:
        """Exact optimal value :math:`V_H(b_0)`."""
        return self._v(self.mass0, self.i0, _check_h(horizon))

    def action(self, horizon: int) -> int:
        """First optimal action at the root (lowest index among ties within 1e-12)."""
        q = self.q(self.mass0, self.i0, _check_h(horizon))
        return int(np.flatnonzero(q >= q.max() - 1e-12)[0])

    def mpc_value(self, horizon: int, lookahead: int) -> float:
        r"""Exact value of the receding-horizon policy over ``horizon`` steps.

        With h steps to go at belief m, the policy plays
        :math:`\arg\max_a Q_{\min(L,h)}(m, a)` (lowest index among ties) and re-plans after
        the observation; its value satisfies
        :math:`V^π_h = r_{a}\cdot m + γ\sum_o P(o\mid m,a) V^π_{h-1}(m^{a,o})`.
        """
        H, Lk = _check_h(horizon), _check_h(lookahead, "lookahead")
        memo: dict = {}

        def vpi(m, i, h):
            if h == 0:
                return 0.0
            k = self._key(m, i, h)
            if k in memo:
                return memo[k]
            q = self.q(m, i, min(Lk, h))
            a = int(np.flatnonzero(q >= q.max() - 1e-12)[0])
            rew, p, post = self._children(m, i)
            inv = _next_inv(i)
            v = float(rew[a])
            for o in range(_NO):
                if p[a, o] > 1e-15:
                    v += self.gamma * p[a, o] * vpi(post[a, o] / p[a, o], inv[o], h - 1)
            memo[k] = v
            return v

        return vpi(self.mass0, self.i0, H)


def _check_h(h, name: str = "horizon") -> int:
    """A horizon in ``[1, MAX_HORIZON]`` (the work grows with it: bounded, never a hang)."""
    return check_positive_int(h, name, MAX_HORIZON)


def _check_model(model: object, belief: object) -> None:
    if not isinstance(model, InventoryPOMDP):
        raise TypeError(f"model must be an InventoryPOMDP, got {type(model).__name__}")
    if not isinstance(belief, Belief):
        raise TypeError(f"belief must be a Belief, got {type(belief).__name__}")


def full_information_bound(model: InventoryPOMDP, belief: Belief, horizon: int) -> np.ndarray:
    r"""Upper bounds :math:`\bar V_h(b)` for h = 1..horizon (the cell of v revealed at the start).

    With the cell c known, only the inventory is a state:
    :math:`V^{\rm full}_h(c,i) = \max_a \{ r_{a,c}(i) + γ \sum_o L_{a,o,c}(i)\,
    V^{\rm full}_{h-1}(c, i'(i,o)) \}` and :math:`\bar V_h(b) = \sum_c m_c V^{\rm full}_h(c, i_0)`.
    Every policy of the POMDP is available to the informed MM, so :math:`\bar V_h \ge V_h`.
    For a mark-to-market reward the cell (not v) is revealed, which keeps the bound valid
    because the likelihoods are constant on a cell.
    """
    _check_model(model, belief)
    H = _check_h(horizon)
    _, mids, mass = _cells(model, belief)
    tab = {u: _tables(model, mids, u) for u in (False, True)}
    n_inv = belief.inventory + H + 1
    V = np.zeros((n_inv, len(mids)))  # V[i, c], h = 0
    out = np.zeros(H)
    g = float(model.gamma)
    for h in range(1, H + 1):
        new = np.empty_like(V)
        for i in range(n_inv):
            L, r = tab[i >= 1]
            inv = [min(j, n_inv - 1) for j in _next_inv(i)]
            q = r + g * sum(L[:, o, :] * V[inv[o]] for o in range(_NO))
            new[i] = q.max(axis=0)
        V = new
        out[h - 1] = float(mass @ V[belief.inventory])
    return out


def simulate_policy(dp: CellDP, horizon: int, lookahead: int, runs: int, seed: int) -> tuple[float, float]:
    """Monte Carlo value (mean, standard error) of the receding-horizon policy of
    :meth:`CellDP.mpc_value`: v's cell drawn from the initial belief, v uniform in it,
    observations drawn from the cell's likelihoods, rewards realised (ask on an executed
    sale, minus the bid on a purchase; mark-to-market uses the drawn v)."""
    if not isinstance(dp, CellDP):
        raise TypeError(f"dp must be a CellDP, got {type(dp).__name__}")
    H, Lk = _check_h(horizon), _check_h(lookahead, "lookahead")
    runs = check_int(runs, "runs", 2)
    check_nonnegative_int(seed, "seed")
    rng = np.random.default_rng(seed)
    acts = [(float(b), float(a)) for b, a in dp.model.actions]
    mtm = dp.model.reward_kind == "mark_to_market"
    cache: dict = {}
    total = np.zeros(int(runs))
    for n in range(int(runs)):
        c = rng.choice(len(dp.mass0), p=dp.mass0)
        v = rng.uniform(dp.edges[c], dp.edges[c + 1])
        m, i, disc = dp.mass0, dp.i0, 1.0
        for h in range(H, 0, -1):
            k = dp._key(m, i, h)
            if k not in cache:
                q = dp.q(m, i, min(Lk, h))
                cache[k] = int(np.flatnonzero(q >= q.max() - 1e-12)[0])
            a = cache[k]
            L, _ = dp.tab[i >= 1]
            o = rng.choice(_NO, p=L[a, :, c] / L[a, :, c].sum())
            bid, ask = acts[a]
            if o == 0 and i >= 1:
                total[n] += disc * ((ask - v) if mtm else ask)
            elif o == 1:
                total[n] += disc * ((v - bid) if mtm else -bid)
            post = L[a, o] * m
            m = post / post.sum()
            i = _next_inv(i)[o]
            disc *= dp.gamma
    return float(total.mean()), float(total.std(ddof=1) / np.sqrt(len(total)))


def gap_table(lower: Sequence[float], upper: Sequence[float]) -> np.ndarray:
    """Relative gap (upper - lower) / upper per horizon; raises if a lower bound exceeds
    its upper bound by more than 1e-9 (relative)."""
    lo, up = check_array(lower, "lower", ndim=1), check_array(upper, "upper", ndim=1)
    if lo.shape != up.shape:
        raise ValueError(f"lower and upper must have the same shape, got {lo.shape} and {up.shape}")
    if np.any(lo > up + 1e-9 * np.abs(up)):
        raise ValueError("a lower bound exceeds its upper bound")
    return (up - lo) / np.abs(up)
