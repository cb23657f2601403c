"""The cell-grid PBVI (mmkit.symbolic.pbvi_cells, the default) returns exactly what the rational
reference path (``solve(method="xadd")``) returns: the same alpha-functions (case-statement
nodes, actions, plans), the same beliefs in the same order, the same exact values and the same
per-stage counts."""

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmkit.symbolic.pbvi_cells as pc
from mmkit.symbolic.inventory_pomdp import (
    Belief,
    InventoryPOMDP,
    TraderModel,
    expectimax,
    gaussian_prior,
    make_actions,
    reachable_beliefs,
)
from mmkit.symbolic.pbvi import policy_tree, solve
from mmkit.symbolic.xadd import LinExpr

A2 = make_actions([0, 25, 49, 51, 75, 99])
A3 = make_actions([40, 50, 60, 70])
ROOT = Belief.uniform(50, 100, 1)
INIT2 = [Belief.uniform(0, 50, 1), ROOT]


def fig2() -> InventoryPOMDP:
    return InventoryPOMDP(A2, TraderModel.glosten_milgrom(), gamma=Fraction(9, 10))


def summary(res) -> tuple:
    alphas = [[(a.node, a.action, a.plan) for a in V] for V in res.V]
    counts = [
        (s.beliefs, s.successors, s.alphas, s.nodes_shared, s.nodes_total, s.nodes_max, s.ops)
        for s in res.stats
    ]
    return alphas, res.beliefs, res.values, counts


def assert_same(make, init, H, **kw) -> None:
    fast = solve(make(), init, H, **kw)
    ref = solve(make(), init, H, method="xadd", **kw)
    for got, want, what in zip(summary(fast), summary(ref), ("alphas", "beliefs", "values", "stage counts")):
        assert got == want, what
    for b in init:
        assert fast.value(b) == ref.value(b)


CASES = {
    "fig2 root, layered": (fig2, [ROOT], 3, {}),
    "fig2 two roots, all": (fig2, INIT2, 3, {"schedule": "all"}),
    "discrete, gamma 1, two pieces, i = 0": (
        lambda: InventoryPOMDP(A3, TraderModel.discrete(10), gamma=1),
        [Belief.from_masses([(0, 30, 1), (40, 100, 2)], 0)],
        3,
        {},
    ),
    "mark-to-market reward, i = 2": (
        lambda: InventoryPOMDP(A3, TraderModel.discrete(7), gamma=Fraction(1, 2), reward="mark_to_market"),
        [Belief.from_masses([(20, 30, 1), (40, 100, 3)], 2)],
        3,
        {},
    ),
    "Gaussian prior, 1/3 uninformed": (
        lambda: InventoryPOMDP(A3, TraderModel.glosten_milgrom(Fraction(1, 3)), gamma=Fraction(3, 4)),
        [gaussian_prior(10, [-2, -1, 0, 1, 2], 1)],
        3,
        {},
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_cells_equal_reference(name):
    make, init, H, kw = CASES[name]
    assert_same(make, init, H, **kw)


def test_cells_equal_reference_bounded_schedule():
    B = [b for L in reachable_beliefs(fig2(), [ROOT], 2) for b in L]
    assert_same(fig2, [ROOT], 6, schedule="fixed", belief_set=B)


def test_python_int_path_equals_int64_path(monkeypatch):
    """Force the arbitrary-precision branch (masses beyond int64) on a small instance."""
    monkeypatch.setattr(pc, "_I64_SAFE", 40)
    assert_same(fig2, [ROOT], 3)


def test_exact_values_match_expectimax_and_check_passes():
    res = solve(fig2(), [ROOT], 4, check=True)
    assert abs(float(res.value(ROOT)) - expectimax(fig2(), ROOT, 4)[0]) < 1e-9
    tree = policy_tree(res, ROOT)
    assert tree.value == res.value(ROOT)


def test_model_testing_v_with_i_falls_back_to_reference():
    def make():
        m = InventoryPOMDP(A3, TraderModel.glosten_milgrom(), gamma=Fraction(1, 2))
        X = m.X
        # replace a likelihood by one whose test couples v and i (v > 50 + i): not a cell grid
        m.lik[0]["hold"] = X.cond(LinExpr({"v": 1, "i": -1}, -50), ">", X.const(Fraction(1, 2)), X.const(1))
        return m

    assert not pc.CellGrid.supported(make())
    assert pc.CellGrid.supported(fig2())
    assert_same(make, [Belief.uniform(40, 70, 1)], 2)
    with pytest.raises(ValueError, match="single-variable"):
        pc.CellGrid(make(), [ROOT])


def test_method_is_validated():
    with pytest.raises(ValueError, match="method"):
        solve(fig2(), [ROOT], 1, method="fast")


def test_belief_round_trip_through_mass_vectors():
    m = fig2()
    b = Belief.from_masses([(50, 60, 1), (60, 75, 3), (80, 100, 2)], 1)
    grid = pc.CellGrid(m, [b])
    n = grid.masses(b)
    assert min(x for x in n if x) > 0 and sum(n) > 0
    assert grid.belief(n, 1) == b


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prices=st.lists(st.integers(0, 20), min_size=2, max_size=4, unique=True),
    cuts=st.lists(st.integers(1, 19), min_size=0, max_size=2, unique=True),
    masses=st.lists(st.integers(1, 5), min_size=3, max_size=3),
    gamma=st.sampled_from([Fraction(1), Fraction(9, 10), Fraction(1, 3)]),
    inventory=st.integers(0, 2),
    discrete=st.booleans(),
    H=st.integers(1, 3),
)
def test_random_instances_equal_reference(prices, cuts, masses, gamma, inventory, discrete, H):
    edges = [0, *sorted(cuts), 20]
    prior = Belief.from_masses(
        [(a, b, masses[k % 3]) for k, (a, b) in enumerate(zip(edges, edges[1:]))], inventory
    )
    traders = TraderModel.discrete(3) if discrete else TraderModel.glosten_milgrom()
    acts = make_actions(prices)
    assert_same(lambda: InventoryPOMDP(acts, traders, gamma=gamma), [prior], H)
