"""Exact values of small market-making POMDPs from pomdp-py (a standard library) against ours.

pomdp-py's ``value`` enumerates the belief tree of a discrete POMDP exactly. We give it the
model on the cells between breakpoints: a state is (cell, inventory, last observation), the
observation reveals the last trade, and the trader behaviour is coded here from the model's
definition (not from our case statements or our solvers).
"""

from fractions import Fraction

import pytest

pomdp_py = pytest.importorskip("pomdp_py")

from mmkit.symbolic.bounds import CellDP  # noqa: E402
from mmkit.symbolic.inventory_pomdp import Belief, InventoryPOMDP, TraderModel, make_actions  # noqa: E402
from mmkit.symbolic.pbvi import solve  # noqa: E402

OBS = ("buy", "sell", "hold")


class St(pomdp_py.State):
    def __init__(self, cell, inv, obs):
        self.key = (cell, inv, obs)

    def __hash__(self):
        return hash(self.key)

    def __eq__(self, other):
        return isinstance(other, St) and self.key == other.key


class Act(pomdp_py.Action):
    def __init__(self, bid, ask):
        self.key = (bid, ask)

    def __hash__(self):
        return hash(self.key)

    def __eq__(self, other):
        return isinstance(other, Act) and self.key == other.key


class Ob(pomdp_py.Observation):
    def __init__(self, o):
        self.key = o

    def __hash__(self):
        return hash(self.key)

    def __eq__(self, other):
        return isinstance(other, Ob) and self.key == other.key


def _lik(mid, inv, bid, ask, traders):
    """P(o | v in the cell, i, quote): informed types by their rule, uninformed 1/3 each."""
    p = dict.fromkeys(OBS, 0.0)
    for t in traders.types:
        w = float(t.prob)
        if t.uninformed:
            for o in OBS:
                p[o] += w / 3
        else:
            e = float(t.eps)
            o = "buy" if (mid > ask + e and inv >= 1) else ("sell" if mid < bid + e else "hold")
            p[o] += w
    return p


class T(pomdp_py.TransitionModel):
    def __init__(self, mids, traders):
        self.mids, self.traders = mids, traders

    def probability(self, sp, s, a):
        c, i, _ = s.key
        c2, i2, o = sp.key
        if c2 != c:
            return 0.0
        nxt = {"buy": i - 1 if i >= 1 else i, "sell": i + 1, "hold": i}[o]
        return _lik(self.mids[c], i, *a.key, self.traders)[o] if i2 == nxt else 0.0


class Om(pomdp_py.ObservationModel):
    def probability(self, o, sp, a):
        return 1.0 if sp.key[2] == o.key else 0.0


class R(pomdp_py.RewardModel):
    def sample(self, s, a, sp):
        bid, ask = a.key
        o = sp.key[2]
        if o == "buy" and s.key[1] >= 1:
            return ask
        return -bid if o == "sell" else 0.0


def _pomdp_py_value(prices, traders, lo, hi, inv0, gamma, horizon):
    acts = make_actions(prices)
    m = InventoryPOMDP(acts, traders, gamma=gamma)
    cuts = sorted({float(x) for x in m.breakpoints() if lo < x < hi} | {lo, hi})
    mids = [(a + b) / 2 for a, b in zip(cuts, cuts[1:])]
    S = [St(c, i, o) for c in range(len(mids)) for i in range(inv0 + horizon + 1) for o in OBS]
    A = [Act(float(b), float(a)) for b, a in acts]
    Z = [Ob(o) for o in OBS]
    b0 = {s: 0.0 for s in S}
    for c, (a, b) in enumerate(zip(cuts, cuts[1:])):
        b0[St(c, inv0, "hold")] = (b - a) / (hi - lo)
    v = pomdp_py.value(b0, S, A, Z, T(mids, traders), Om(), R(), float(gamma), horizon=horizon)
    return v, m, Belief.uniform(lo, hi, inv0)


@pytest.mark.parametrize(
    "prices, traders, lo, hi, inv0",
    [
        ([0, 49, 75, 99], TraderModel.glosten_milgrom(Fraction(1, 2)), 50, 100, 1),
        ([20, 60, 100], TraderModel.glosten_milgrom(Fraction(1, 10)), 0, 100, 1),
        ([0, 50, 100], TraderModel.discrete(10), 40, 90, 2),
    ],
)
def test_pomdp_py_exact_value_equals_ours(prices, traders, lo, hi, inv0):
    gamma = Fraction(9, 10)
    v_ref, m, b = _pomdp_py_value(prices, traders, lo, hi, inv0, gamma, horizon=2)
    v_pbvi = float(solve(m, [b], 2).value(b))
    v_dp = CellDP(m, b).value(2)
    assert v_pbvi == pytest.approx(v_ref, rel=1e-10, abs=1e-10)
    assert v_dp == pytest.approx(v_ref, rel=1e-10, abs=1e-10)
