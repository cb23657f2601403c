r"""Market making with inventory as a continuous-state POMDP (Kinathil et al. 2016).

State :math:`s = \langle v, i\rangle`: a fixed, unknown asset value :math:`v\in\mathbb R` and the
market maker's (MM's) known inventory :math:`i\in\mathbb N`. Actions are (bid, ask) pairs with
bid < ask (one unit each side); observations are the trader's action
:math:`o\in\{\text{buy},\text{sell},\text{hold}\}`. A trader of type :math:`t` has noise
:math:`\varepsilon_t`; as in the paper's case statements, an informed-type trader buys if
:math:`v > ask + \varepsilon_t` and the MM holds a unit (:math:`i\ge 1`), sells if
:math:`v < bid + \varepsilon_t`, and holds otherwise (so its estimate is :math:`v - \varepsilon_t`;
the sign is immaterial for the symmetric :meth:`TraderModel.discrete` population). A blocked
buy at :math:`i = 0` is observed as a hold. An uninformed trader draws :math:`u` uniformly
from the three actions (:math:`P(u) = 1/3`) and the MM observes :math:`o = u`; an uninformed
buy at :math:`i = 0` is observed as "buy" but no trade happens.

Reward (cash flow only, no terminal value of inventory): the ask on an executed buy, minus the
bid on a sell, 0 otherwise. Inventory: :math:`i' = i - 1` after an executed buy, :math:`i + 1`
after a sell, so :math:`i'` is a function of :math:`(i, o)` alone. The value is static,
:math:`T(v'\mid v) = \delta(v' - v)`. The hard constraint "no sale from zero inventory"
(the paper's :math:`-\infty` reward row) is enforced by the transition and asserted.

Every component is a case statement in :mod:`mmkit.symbolic.xadd` (conditions linear in ``v`` and
``i``). The module also holds the exact piecewise-uniform beliefs and their Bayes update
(spec B.4), and an *independent* numerical expectimax over the belief tree that uses neither
XADDs nor rational arithmetic: the cross-check of :mod:`mmkit.symbolic.pbvi`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from mmkit.common.validation import (
    check_array,
    check_bool,
    check_index,
    check_nonnegative_int,
    check_positive,
    check_positive_int,
    check_str,
)
from mmkit.symbolic.xadd import XADD, LinExpr, Number, Q, fmt_num

OBS = ("buy", "sell", "hold")
#: Largest horizon any solver accepts (the work of the ``"fixed"`` PBVI schedule is linear in it).
MAX_HORIZON = 1000
#: Budget of reachable beliefs enumerated by :func:`reachable_beliefs` (the tree grows geometrically).
MAX_BELIEFS = 20_000

__all__ = [
    "OBS",
    "TraderType",
    "TraderModel",
    "Belief",
    "make_actions",
    "check_actions",
    "gaussian_prior",
    "InventoryPOMDP",
    "reachable_beliefs",
    "expectimax",
    "fmt_action",
]


# ----------------------------------------------------------------------------- traders
@dataclass(frozen=True)
class TraderType:
    """One trader type: probability, noise ε, and whether it is uninformed (u ~ U{buy,sell,hold}).

    ``name`` a non-empty str; ``prob`` in [0, 1] and ``eps`` finite, both exact numbers (an
    int, a Fraction, a decimal string or a float, stored as a Fraction, see :func:`Q`);
    ``uninformed`` a bool.
    """

    name: str
    prob: Fraction
    eps: Fraction = Fraction(0)
    uninformed: bool = False

    def __post_init__(self) -> None:
        check_str(self.name, "name")
        prob = Q(self.prob, "prob")
        if not 0 <= prob <= 1:
            raise ValueError(f"prob must be in [0, 1], got {fmt_num(prob)}")
        object.__setattr__(self, "prob", prob)
        object.__setattr__(self, "eps", Q(self.eps, "eps"))
        check_bool(self.uninformed, "uninformed")


@dataclass(frozen=True)
class TraderModel:
    """A population of trader types with known proportions :math:`P(t)` (summing to 1).

    Use :meth:`glosten_milgrom` (informed ε = 0 plus uninformed) or :meth:`discrete`
    (informed, over-valuing ε = +c, under-valuing ε = -c), or pass any list of types.
    """

    types: tuple[TraderType, ...]
    name: str = "custom"

    def __post_init__(self) -> None:
        if len(self.types) == 0:
            raise ValueError("types must contain at least one trader type")
        names = [t.name for t in self.types]
        if len(set(names)) != len(names):  # the POMDP keys its per-type cases by name
            raise ValueError(f"trader type names must be distinct, got {names}")
        for t in self.types:
            if Q(t.prob) < 0:
                raise ValueError(f"trader proportions must be >= 0, got {t.name}: {t.prob}")
        total = sum((Q(t.prob) for t in self.types), Fraction(0))
        if total != 1:
            raise ValueError(f"trader proportions must sum to 1, got {fmt_num(total)}")

    @classmethod
    def glosten_milgrom(cls, p_uninformed: Number = Fraction(1, 2)) -> TraderModel:
        """GM population: informed (ε = 0) with 1 - p, uninformed with p."""
        p = Q(p_uninformed, "p_uninformed")
        if not 0 <= p <= 1:
            raise ValueError(f"p_uninformed must be in [0, 1], got {p}")
        return cls(
            (TraderType("informed", 1 - p), TraderType("uninformed", p, uninformed=True)),
            name=f"GM ({fmt_num(100 * p)}% uninformed)",
        )

    @classmethod
    def discrete(cls, c: Number = 10, probs: Sequence[Number] = (Fraction(1, 3),) * 3) -> TraderModel:
        """Discrete-noise population: informed (0), over-valuing (+c), under-valuing (-c)."""
        if probs is None or isinstance(probs, (str, bytes)) or len(probs) != 3:
            raise TypeError(f"probs must be 3 proportions (informed, over, under), got {probs!r}")
        if any(Q(p, "probs") < 0 for p in probs):
            raise ValueError(f"probs must be >= 0 and sum to 1, got {probs!r}")
        c = Q(c, "c")  # either sign: the over/under labels swap (tests/test_pbvi.py)
        return cls(
            (
                TraderType("informed", Q(probs[0])),
                TraderType("over", Q(probs[1]), c),
                TraderType("under", Q(probs[2]), -c),
            ),
            name=f"Discrete (c = {fmt_num(c)})",
        )

    def informed_eps(self) -> list[Fraction]:
        return sorted({Q(t.eps) for t in self.types if not t.uninformed})


def fmt_action(a: tuple[Fraction, Fraction]) -> str:
    """``(0.0, 75.0)``: the paper's label format."""
    if isinstance(a, (str, bytes)) or not hasattr(a, "__len__") or len(a) != 2:
        raise TypeError(f"a must be a (bid, ask) pair, got {a!r}")
    return f"({float(a[0]):.1f}, {float(a[1]):.1f})"


def make_actions(
    bids: Iterable[Number], asks: Iterable[Number] | None = None
) -> tuple[tuple[Fraction, Fraction], ...]:
    """All pairs (bid, ask) with bid < ask from two price grids (asks = bids when omitted)."""
    if bids is None or isinstance(bids, (str, bytes)):
        raise TypeError(f"bids must be a non-empty sequence of prices, got {type(bids).__name__}")
    bid_list = sorted({Q(b, "bids") for b in bids})
    if not bid_list:
        raise ValueError("bids must be a non-empty sequence of prices")
    if asks is not None and isinstance(asks, (str, bytes)):
        raise TypeError("asks must be a sequence of prices")
    ask_list = bid_list if asks is None else sorted({Q(a, "asks") for a in asks})
    if not any(b < a for b in bid_list for a in ask_list):
        raise ValueError("actions must be a non-empty set: bids and asks give no pair with bid < ask")
    return check_actions([(b, a) for b in bid_list for a in ask_list if b < a])


def check_actions(actions: Iterable[tuple[Number, Number]]) -> tuple[tuple[Fraction, Fraction], ...]:
    """Validate an action set: non-empty, bid < ask, no duplicates."""
    if actions is None or isinstance(actions, (str, bytes)) or not hasattr(actions, "__iter__"):
        raise TypeError(f"actions must be a non-empty set of (bid, ask) pairs, got {type(actions).__name__}")
    out = []
    for a in actions:
        if isinstance(a, (str, bytes)) or not hasattr(a, "__len__") or len(a) != 2:
            raise ValueError(f"actions must be (bid, ask) pairs, got {a}")
        b, k = Q(a[0], "actions (bid)"), Q(a[1], "actions (ask)")
        if b >= k:
            raise ValueError(f"actions: bid must be < ask, got bid={fmt_num(b)}, ask={fmt_num(k)}")
        out.append((b, k))
    if not out:
        raise ValueError("actions must be a non-empty set of (bid, ask) pairs")
    if len(set(out)) != len(out):
        raise ValueError("actions must not contain duplicates")
    return tuple(out)


# ----------------------------------------------------------------------------- beliefs
@dataclass(frozen=True)
class Belief:
    r"""Piecewise-uniform density over v times a known inventory.

    ``pieces`` are ``(lo, hi, density)`` with exact rational entries, sorted, disjoint,
    positive density, adjacent equal densities merged (a canonical form: equal beliefs
    compare and hash equal).
    """

    pieces: tuple[tuple[Fraction, Fraction, Fraction], ...]
    inventory: int

    def __hash__(self) -> int:
        # computed once: beliefs key every solver cache, and hashing Fractions is slow
        h = self.__dict__.get("_hash")
        if h is None:
            h = hash((self.pieces, self.inventory))
            object.__setattr__(self, "_hash", h)
        return h

    @classmethod
    def from_masses(cls, pieces: Sequence[tuple[Number, Number, Number]], inventory: int = 0) -> Belief:
        """Belief from ``(lo, hi, mass)`` pieces; masses are normalised to sum to 1."""
        if int(inventory) != inventory or inventory < 0:
            raise ValueError(f"inventory must be an integer >= 0, got {inventory}")
        if len(pieces) == 0:
            raise ValueError("prior must have at least one piece")
        ps = []
        for p in pieces:
            lo, hi, m = (Q(x) for x in p)
            if not hi > lo:
                raise ValueError(f"prior pieces need lo < hi, got ({fmt_num(lo)}, {fmt_num(hi)})")
            if m < 0:
                raise ValueError(f"prior masses must be >= 0, got {fmt_num(m)}")
            ps.append((lo, hi, m))
        ps.sort()
        for (a0, b0, _), (a1, b1, _) in zip(ps, ps[1:]):
            if a1 < b0:
                raise ValueError(
                    f"prior pieces must not overlap, got [{fmt_num(a0)}, {fmt_num(b0)}] "
                    f"and [{fmt_num(a1)}, {fmt_num(b1)}]"
                )
        total = sum((m for _, _, m in ps), Fraction(0))
        if total <= 0:
            raise ValueError("prior must have positive total mass, got 0")
        return cls.canonical([(lo, hi, m / total / (hi - lo)) for lo, hi, m in ps], int(inventory))

    @classmethod
    def uniform(cls, lo: Number, hi: Number, inventory: int = 0) -> Belief:
        """v ~ U[lo, hi]."""
        lo_q, hi_q = Q(lo, "lo"), Q(hi, "hi")
        if not lo_q < hi_q:
            raise ValueError(f"lo must be < hi, got lo={fmt_num(lo_q)}, hi={fmt_num(hi_q)}")
        check_nonnegative_int(inventory, "inventory")
        return cls.from_masses([(lo_q, hi_q, 1)], inventory)

    @classmethod
    def canonical(cls, dens: Iterable[tuple[Fraction, Fraction, Fraction]], inventory: int) -> Belief:
        out: list[list[Fraction]] = []
        for lo, hi, d in sorted(dens):
            if d == 0 or hi <= lo:
                continue
            if out and out[-1][1] == lo and out[-1][2] == d:
                out[-1][1] = hi
            else:
                out.append([lo, hi, d])
        return cls(tuple((p[0], p[1], p[2]) for p in out), inventory)

    def mass(self) -> Fraction:
        return sum(((hi - lo) * d for lo, hi, d in self.pieces), Fraction(0))

    def mean(self) -> Fraction:
        return sum(((hi * hi - lo * lo) / 2 * d for lo, hi, d in self.pieces), Fraction(0))

    def edges(self) -> list[Fraction]:
        return sorted({x for lo, hi, _ in self.pieces for x in (lo, hi)})

    def support(self) -> tuple[Fraction, Fraction]:
        return self.pieces[0][0], self.pieces[-1][1]

    def __str__(self) -> str:
        body = ", ".join(
            f"[{fmt_num(lo)},{fmt_num(hi)}]:{fmt_num(d * (hi - lo))}" for lo, hi, d in self.pieces
        )
        return f"<i={self.inventory}; {body}>"


# ----------------------------------------------------------------------------- the POMDP
class InventoryPOMDP:
    r"""The market-making POMDP of spec B.1-B.3 with case-statement components.

    Parameters
    ----------
    actions : sequence of (bid, ask)
        Finite action set, bid < ask.
    traders : TraderModel
        Trader population (GM, Discrete or custom).
    gamma : number
        Discount factor in (0, 1] (1 is allowed because every horizon is finite).
    reward : {"cash", "mark_to_market"}
        ``"cash"`` (the paper's): ask on a sale, minus bid on a purchase, inventory worthless.
        ``"mark_to_market"`` (Das & Magdon-Ismail's profit): ``ask - v`` on a sale and
        ``v - bid`` on a purchase, linear in v, so the α-functions become LPWL.

    Attributes
    ----------
    X : XADD
        Manager holding every case statement (variables ``i`` discrete, ``v`` real).
    omega[a][(t, u)][o], reward[a][(t, u)] : int
        The paper's per-type case statements Ω(o | v, i, a, t, u) and R(v, i, a, t, u).
    lik[a][o] : int
        :math:`L_{a,o}(v,i) = \sum_{t,u} P(t)P(u|t)\,Ω(o|v,i,a,t,u)` (LPWC).
    rbar[a] : int
        Expected reward :math:`\bar R_a(v,i) = \sum_{t,u} P(t)P(u|t) R(v,i,a,t,u)`.
    """

    def __init__(
        self,
        actions: Iterable[tuple[Number, Number]],
        traders: TraderModel,
        gamma: Number = Fraction(9, 10),
        reward: str = "cash",
    ):
        if reward not in ("cash", "mark_to_market"):
            raise ValueError(f"reward must be 'cash' or 'mark_to_market', got {reward!r}")
        self.reward_kind = reward
        self.actions = check_actions(actions)
        if not isinstance(traders, TraderModel):
            raise TypeError("traders must be a TraderModel")
        self.traders = traders
        self.gamma = Q(gamma, "gamma")
        if not 0 < self.gamma <= 1:
            raise ValueError(f"gamma must be in (0, 1], got {fmt_num(self.gamma)}")
        self.X = XADD(int_vars=("i",), real_vars=("v",), bounds={"i": (0, None)})
        self._build_cases()
        self._bp_cache: dict = {}
        self._lik_pieces: dict = {}
        self._upd_cache: dict = {}

    # ------------------------------------------------------------------ case statements
    def _build_cases(self) -> None:
        X = self.X
        one, zero = X.const(1), X.const(0)
        has_unit = X.indicator(LinExpr({"i": 1}, -1), ">=")  # i >= 1
        self.omega: list[dict] = []
        self.reward: list[dict] = []
        self.lik: list[dict[str, int]] = []
        self.rbar: list[int] = []
        mtm = self.reward_kind == "mark_to_market"
        for bid, ask in self.actions:
            om: dict[tuple[str, str | None], dict[str, int]] = {}
            rw: dict[tuple[str, str | None], int] = {}
            # value of a sale at the ask and of a purchase at the bid
            sale = X.leaf(LinExpr({"v": -1}, ask)) if mtm else X.const(ask)
            purchase = X.leaf(LinExpr({"v": 1}, -bid)) if mtm else X.const(-bid)
            for t in self.traders.types:
                if t.uninformed:
                    for u in OBS:
                        om[(t.name, u)] = {o: one if o == u else zero for o in OBS}
                        r = {"buy": X.mul(has_unit, sale), "sell": purchase, "hold": zero}[u]
                        rw[(t.name, u)] = r
                else:
                    eps = Q(t.eps)
                    wants_buy = X.indicator(LinExpr({"v": 1}, -(ask + eps)), ">")  # v > ask + eps
                    sell = X.indicator(LinExpr({"v": 1}, -(bid + eps)), "<")  # v < bid + eps
                    buy = X.mul(wants_buy, has_unit)
                    hold = X.sub(X.sub(one, buy), sell)
                    om[(t.name, None)] = {"buy": buy, "sell": sell, "hold": hold}
                    rw[(t.name, None)] = X.add(X.mul(buy, sale), X.mul(sell, purchase))
            lik, rbar = {o: zero for o in OBS}, zero
            for (tn, u_act), o_cases in om.items():
                p = self.type_prob(tn) * (Fraction(1, 3) if u_act is not None else 1)
                for o in OBS:
                    lik[o] = X.add(lik[o], X.scale(o_cases[o], p))
                rbar = X.add(rbar, X.scale(rw[(tn, u_act)], p))
            self.omega.append(om)
            self.reward.append(rw)
            self.lik.append(lik)
            self.rbar.append(rbar)

    def type_prob(self, name: str) -> Fraction:
        names = [t.name for t in self.traders.types]
        if name not in names:
            raise ValueError(f"name must be one of the trader types {names}, got {name!r}")
        return next(Q(t.prob) for t in self.traders.types if t.name == name)

    @staticmethod
    def next_inventory(i: int, o: str) -> int:
        """i' = i - 1 after an executed buy (needs i >= 1), i + 1 after a sell, else i."""
        if o == "buy":
            out = i - 1 if i >= 1 else i
        elif o == "sell":
            out = i + 1
        elif o == "hold":
            out = i
        else:
            raise ValueError(f"o must be one of {OBS}, got {o!r}")
        assert out >= 0, "hard constraint violated: inventory would become negative (-inf reward)"
        return out

    def shift(self, alpha: int, o: str) -> int:
        r"""α(v, i'(i, o)) as a case statement in (v, i): the Dirac integral over i'.

        buy: ``{i ≥ 1 : α[i := i-1]; i = 0 : α}``; sell: ``α[i := i+1]``; hold: ``α``.
        """
        X = self.X
        if o == "hold":
            return alpha
        if o == "sell":
            return X.dirac_integral(alpha, "i", LinExpr({"i": 1}, 1))
        down = X.dirac_integral(alpha, "i", LinExpr({"i": 1}, -1))
        return X.cond(LinExpr({"i": 1}, -1), ">=", down, alpha)

    def backproject(self, alpha: int, a: int, o: str) -> int:
        r"""Eq. (2): :math:`α^{a,o}(v,i) = \bar R_a(v,i)/|O| + γ\, L_{a,o}(v,i) ⊗ α(v, i'(i,o))`.

        The sums over t and u of eq. (2) are carried by :attr:`lik` and :attr:`rbar`
        (the inventory transition depends on (i, o) only, so they factor out).
        """
        key = (alpha, a, o)
        r = self._bp_cache.get(key)
        if r is None:
            X = self.X
            r = X.add(
                X.scale(self.rbar[a], Fraction(1, len(OBS))),
                X.scale(X.mul(self.lik[a][o], self.shift(alpha, o)), self.gamma),
            )
            self._bp_cache[key] = r
        return r

    # ------------------------------------------------------------------ beliefs
    def lik_pieces(self, a: int, o: str, i: int) -> list[tuple]:
        key = (a, o, i)
        p = self._lik_pieces.get(key)
        if p is None:
            p = self.X.pieces(self.lik[a][o], "v", {"i": i})
            for _, _, e in p:
                assert e.is_const(), "observation model must be piecewise constant in v"
            self._lik_pieces[key] = p
        return p

    def update(self, b: Belief, a: int, o: str) -> tuple[Fraction, Belief | None]:
        r"""Exact Bayes update: returns :math:`P(o\mid b,a)` and :math:`b^{a,o}` (None if P = 0).

        :math:`b'(v) \propto L_{a,o}(v, i)\, b(v)`, :math:`i' = i'(i, o)`.
        """
        self._check_b_a(b, a)
        if o not in OBS:
            raise ValueError(f"o must be one of {OBS}, got {o!r}")
        key = (b, a, o)
        r = self._upd_cache.get(key)
        if r is not None:
            return r
        new = []
        lp = self.lik_pieces(a, o, b.inventory)
        for lo, hi, d in b.pieces:
            for plo, phi, e in lp:
                l2 = lo if plo is None or plo < lo else plo
                h2 = hi if phi is None or phi > hi else phi
                if h2 > l2 and e.const != 0:
                    new.append((l2, h2, d * e.const))
        p = sum(((h - l) * d for l, h, d in new), Fraction(0))
        if p == 0:
            r = (Fraction(0), None)
        else:
            r = (p, Belief.canonical([(l, h, d / p) for l, h, d in new], self.next_inventory(b.inventory, o)))
        self._upd_cache[key] = r
        return r

    def successors(self, b: Belief) -> list[Belief]:
        r"""Every :math:`b^{a,o}` with :math:`P(o\mid b,a) > 0`, by action then observation
        (duplicates kept)."""
        out = []
        for a in range(len(self.actions)):
            for o in OBS:
                p, b2 = self.update(b, a, o)
                if p > 0:
                    assert b2 is not None  # update returns a belief whenever P(o | b, a) > 0
                    out.append(b2)
        return out

    def expected_reward(self, b: Belief, a: int) -> Fraction:
        """E[R | b, a] (exact)."""
        self._check_b_a(b, a)
        key = ("r", b, a)
        r = self._upd_cache.get(key)
        if r is None:
            r = self.X.integrate_density(self.rbar[a], "v", b.pieces, {"i": b.inventory})
            self._upd_cache[key] = r
        return r

    def dot(self, alpha: int, b: Belief) -> Fraction:
        r"""Exact :math:`α · b = \int α(v, i_b)\, b(v)\, dv`."""
        return self.X.integrate_density(alpha, "v", b.pieces, {"i": b.inventory})

    def breakpoints(self) -> list[Fraction]:
        """Every v where some likelihood can jump: price + ε for informed-type ε."""
        eps = self.traders.informed_eps()
        return sorted({p + e for a in self.actions for p in a for e in eps})

    def action_label(self, a: int) -> str:
        return fmt_action(self.actions[check_index(a, len(self.actions), "a")])

    def _check_b_a(self, b: object, a: object) -> None:
        """``b`` a :class:`Belief` and ``a`` an action index in ``[0, len(actions) - 1]``."""
        if not isinstance(b, Belief):
            raise TypeError(f"b must be a Belief, got {type(b).__name__}")
        check_index(a, len(self.actions), "a")


def _check_model_init(model: object, init: Sequence[Belief] | None) -> None:
    """``model`` an :class:`InventoryPOMDP` and ``init`` a non-empty sequence of :class:`Belief`."""
    if not isinstance(model, InventoryPOMDP):
        raise TypeError(f"model must be an InventoryPOMDP, got {type(model).__name__}")
    if init is None or isinstance(init, (str, bytes)) or not hasattr(init, "__len__") or len(init) == 0:
        raise ValueError("init must be a non-empty sequence of Beliefs")
    for b in init:
        if not isinstance(b, Belief):
            raise TypeError(f"init must hold Beliefs, got {type(b).__name__}")


def reachable_beliefs(
    model: InventoryPOMDP, init: Sequence[Belief], depth: int, dedup: bool = True
) -> list[list[Belief]]:
    """Beliefs reachable at depths 0..depth-1 (every action, every observation with P > 0).

    With ``dedup=False`` duplicates are kept (the count the paper's ``|B|`` would use).
    """
    check_positive_int(depth, "depth (horizon)", MAX_HORIZON)
    _check_model_init(model, init)
    layers = [list(dict.fromkeys(init)) if dedup else list(init)]
    total = len(layers[0])
    for k in range(depth - 1):
        nxt = [b2 for b in layers[-1] for b2 in model.successors(b)]
        layers.append(list(dict.fromkeys(nxt)) if dedup else nxt)
        total += len(layers[-1])
        if total > MAX_BELIEFS:
            raise ValueError(
                f"depth (horizon) must be small enough for at most MAX_BELIEFS = {MAX_BELIEFS} reachable "
                f"beliefs; {total} are reachable by depth {k + 2} of {depth} "
                "(use a smaller horizon or the 'fixed' PBVI schedule)"
            )
    return layers


# ----------------------------------------------------------------------------- independent check
def expectimax(model: InventoryPOMDP, belief: Belief, horizon: int) -> tuple[float, int | None]:
    r"""Brute-force optimal value by expectimax over the belief tree (float, no XADD).

    .. math::

        V_h(b) = \max_a \Big\{ E[R\mid b,a] + γ \sum_o P(o\mid b,a)\, V_{h-1}(b^{a,o}) \Big\},
        \quad V_0 = 0.

    Beliefs are mass vectors over the cells cut by the belief's edges and every
    ``price + ε``; within a cell every likelihood and reward is constant, so cell-wise
    integration is exact (spec B.4). Trader behaviour is coded directly from the model's
    definition (not from the case statements). Returns the value and the first optimal
    action (lowest index among float ties).
    """
    check_positive_int(horizon, "horizon", MAX_HORIZON)
    if not isinstance(model, InventoryPOMDP):
        raise TypeError(f"model must be an InventoryPOMDP, got {type(model).__name__}")
    if not isinstance(belief, Belief):
        raise TypeError(f"belief must be a Belief, got {type(belief).__name__}")
    edges = sorted({float(x) for x in belief.edges()} | {float(x) for x in model.breakpoints()})
    lo, hi = float(belief.support()[0]), float(belief.support()[1])
    edges = [x for x in edges if lo <= x <= hi]
    mids = np.array([(a + b) / 2 for a, b in zip(edges, edges[1:])])
    mass = np.zeros(len(mids))
    for k, (a, b) in enumerate(zip(edges, edges[1:])):
        for plo, phi, d in belief.pieces:
            ov = min(b, float(phi)) - max(a, float(plo))
            if ov > 0:
                mass[k] += ov * float(d)
    acts = [(float(b), float(k)) for b, k in model.actions]
    types = [(float(t.prob), float(t.eps), t.uninformed) for t in model.traders.types]
    gamma = float(model.gamma)
    mtm = model.reward_kind == "mark_to_market"

    def lik_rew(a: int, i: int):
        bid, ask = acts[a]
        L = {o: np.zeros(len(mids)) for o in OBS}
        r = np.zeros(len(mids))
        # cell-wise expected sale / purchase value (v is uniform within a cell: E[v] = mid)
        sale = ask - mids if mtm else np.full(len(mids), ask)
        purchase = mids - bid if mtm else np.full(len(mids), -bid)
        for p, eps, unin in types:
            if unin:
                for o in OBS:
                    L[o] += p / 3
                r += p / 3 * ((sale if i >= 1 else 0.0) + purchase)
            else:
                wants = mids > ask + eps
                buy = wants & (i >= 1)
                sell = mids < bid + eps
                L["buy"] += p * buy
                L["sell"] += p * sell
                L["hold"] += p * (~buy & ~sell)
                r += p * (sale * buy + purchase * sell)
        return L, r

    tables = {}

    def table(a, i):
        if (a, i) not in tables:
            tables[(a, i)] = lik_rew(a, i)
        return tables[(a, i)]

    memo: dict = {}

    def V(m: np.ndarray, i: int, h: int) -> tuple[float, int | None]:
        if h == 0:
            return 0.0, None
        key = (h, i, m.round(13).tobytes())
        if key in memo:
            return memo[key]
        best, arg = -np.inf, None
        for a in range(len(acts)):
            L, r = table(a, i)
            q = float(r @ m)
            for o in OBS:
                post = L[o] * m
                p = post.sum()
                if p > 1e-15:
                    i2 = i - 1 if (o == "buy" and i >= 1) else (i + 1 if o == "sell" else i)
                    q += gamma * p * V(post / p, i2, h - 1)[0]
            if q > best + 1e-12:
                best, arg = q, a
        memo[key] = (best, arg)
        return best, arg

    return V(mass / mass.sum(), belief.inventory, int(horizon))


def _q4(x: float) -> Fraction:
    return Fraction(round(float(x) * 10_000), 10_000)


def gaussian_prior(sd: float, edges_in_sd: Sequence[float], inventory: int) -> Belief:
    """Piecewise-uniform approximation of N(0, sd^2): normal masses between the edges
    (tails folded into the outer pieces), masses rounded to 1e-4."""
    from scipy.stats import norm

    sd = check_positive(sd, "sd")
    e = check_array(edges_in_sd, "edges_in_sd", ndim=1)
    if e.size < 2 or np.any(np.diff(e) <= 0):
        raise ValueError(f"edges_in_sd must be at least 2 strictly increasing values, got {e.tolist()}")
    check_nonnegative_int(inventory, "inventory")
    cdf = norm.cdf(e)
    cdf[0], cdf[-1] = 0.0, 1.0
    pieces = [(_q4(sd * a), _q4(sd * b), _q4(p)) for a, b, p in zip(e, e[1:], np.diff(cdf))]
    return Belief.from_masses(pieces, inventory)
