"""Symbolic PBVI (mmkit.symbolic.pbvi) against brute-force expectimax (mmkit.symbolic.inventory_pomdp)."""

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmkit.symbolic.inventory_pomdp import (
    OBS,
    Belief,
    InventoryPOMDP,
    TraderModel,
    TraderType,
    expectimax,
    make_actions,
    reachable_beliefs,
)
from mmkit.symbolic.pbvi import policy_tree, solve

GM = TraderModel.glosten_milgrom()
A2 = make_actions([0, 25, 49, 51, 75, 99])
INIT2 = [Belief.uniform(0, 50, 1), Belief.uniform(50, 100, 1)]


@pytest.fixture(scope="module")
def fig2():
    m = InventoryPOMDP(A2, GM, gamma=Fraction(9, 10))
    return m, solve(m, INIT2, 3, check=True)


def test_fig2_tree_labels(fig2):
    m, res = fig2
    tree = policy_tree(res, INIT2[1])
    labels = {">".join(p) or "root": m.action_label(n.action) for p, n in tree.walk()}
    assert labels == {
        "root": "(0.0, 75.0)",
        "buy": "(0.0, 99.0)",
        "buy>buy": "(0.0, 99.0)",
        "buy>sell": "(0.0, 75.0)",
        "buy>hold": "(0.0, 99.0)",
        "sell": "(0.0, 75.0)",
        "sell>buy": "(0.0, 75.0)",
        "sell>sell": "(0.0, 51.0)",
        "sell>hold": "(0.0, 51.0)",
        "hold": "(0.0, 51.0)",
        "hold>buy": "(0.0, 99.0)",
        "hold>sell": "(0.0, 51.0)",
        "hold>hold": "(0.0, 49.0)",
    }
    assert {o: p for o, (p, _) in tree.children.items()} == {
        "buy": Fraction(5, 12),
        "sell": Fraction(1, 6),
        "hold": Fraction(5, 12),
    }


def test_symbolic_equals_expectimax_on_every_enumerated_belief(fig2):
    m, res = fig2
    n = 0
    for h in range(1, 4):
        for b, v in res.values[h].items():
            assert abs(float(v) - expectimax(m, b, h)[0]) < 1e-9
            n += 1
    assert n == sum(s.beliefs for s in res.stats) > 100


def test_bounded_belief_set_is_a_lower_bound(fig2):
    m, res = fig2
    small = solve(m, INIT2[1:], 3, schedule="fixed", belief_set=INIT2[1:])
    assert small.value(INIT2[1]) <= res.value(INIT2[1])
    full = solve(m, INIT2, 3, schedule="all")
    assert full.value(INIT2[1]) == res.value(INIT2[1])


def test_belief_update_probabilities_sum_to_one(fig2):
    m, _ = fig2
    b = Belief.from_masses([(0, 30, 1), (40, 100, 2)], inventory=1)
    for a in range(len(m.actions)):
        ps = [m.update(b, a, o)[0] for o in OBS]
        assert sum(ps) == 1
        for o in OBS:
            p, b2 = m.update(b, a, o)
            if p > 0:
                assert b2.mass() == 1


def test_discrete_sign_convention_is_irrelevant():
    A = make_actions([0, 50], [50, 100])
    b = Belief.uniform(20, 90, 1)
    vals = [solve(InventoryPOMDP(A, TraderModel.discrete(c), gamma=1), [b], 2).value(b) for c in (10, -10)]
    assert vals[0] == vals[1]


def test_bad_input():
    with pytest.raises(ValueError, match="bid must be < ask"):
        InventoryPOMDP([(10, 5)], GM)
    with pytest.raises(ValueError, match="actions must be a non-empty"):
        make_actions([10], [5])
    with pytest.raises(ValueError, match="actions must be a non-empty"):
        InventoryPOMDP([], GM)
    with pytest.raises(ValueError, match="proportions must sum to 1"):
        TraderModel((TraderType("a", Fraction(1, 2)), TraderType("b", Fraction(1, 3))))
    with pytest.raises(ValueError, match="names must be distinct"):
        TraderModel((TraderType("a", Fraction(1, 2)), TraderType("a", Fraction(1, 2), 5)))
    with pytest.raises(ValueError, match="horizon must be"):
        solve(InventoryPOMDP(A2, GM), INIT2, 0)
    with pytest.raises(ValueError, match="belief_set is used only"):
        solve(InventoryPOMDP(A2, GM), INIT2, 1, belief_set=INIT2)
    with pytest.raises(ValueError, match="horizon must be"):
        expectimax(InventoryPOMDP(A2, GM), INIT2[0], 0)
    with pytest.raises(ValueError, match="prior must have positive total mass"):
        Belief.from_masses([(0, 10, 0)])
    with pytest.raises(ValueError, match="prior pieces must not overlap"):
        Belief.from_masses([(0, 10, 1), (5, 20, 1)])
    with pytest.raises(ValueError, match="gamma must be"):
        InventoryPOMDP(A2, GM, gamma=0)


prices = st.lists(st.integers(0, 20).map(lambda k: 5 * k), min_size=2, max_size=3, unique=True)


@st.composite
def instances(draw):
    ps = sorted(draw(prices))
    kind = draw(st.sampled_from(["gm", "discrete", "custom"]))
    if kind == "gm":
        tm = TraderModel.glosten_milgrom(Fraction(draw(st.integers(0, 10)), 10))
    elif kind == "discrete":
        tm = TraderModel.discrete(draw(st.sampled_from([5, 10, 15])))
    else:
        k = draw(st.integers(1, 5))
        tm = TraderModel(
            (
                TraderType("inf", Fraction(k, 10), Fraction(draw(st.integers(-8, 8)))),
                TraderType("unin", Fraction(10 - k, 10), uninformed=True),
            )
        )
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=2, max_size=4, unique=True)))
    masses = draw(st.lists(st.integers(0, 3), min_size=len(cuts) - 1, max_size=len(cuts) - 1))
    if sum(masses) == 0:
        masses[0] = 1
    b = Belief.from_masses([(a, c, w) for a, c, w in zip(cuts, cuts[1:], masses)], draw(st.integers(0, 2)))
    gamma = draw(st.sampled_from([Fraction(1, 2), Fraction(9, 10), Fraction(1)]))
    H = draw(st.integers(1, 3))
    reward = draw(st.sampled_from(["cash", "mark_to_market"]))
    return InventoryPOMDP(make_actions(ps), tm, gamma, reward=reward), b, H


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inst=instances())
def test_property_pbvi_equals_expectimax_on_random_instances(inst):
    m, b, H = inst
    res = solve(m, [b], H, check=True)
    for h in range(1, H + 1):
        for bb, v in res.values[h].items():
            assert abs(float(v) - expectimax(m, bb, h)[0]) < 1e-9 * (1 + abs(float(v)))
    # every α-function is a valid plan: V^H is a lower bound everywhere, exact at b
    assert res.value(b) == res.values[H][b]
    layers = reachable_beliefs(m, [b], H)
    assert len(layers) == H


def test_kinathil_vs_das_smoke():
    from mmkit.experiments import ShockedMarketConfig, kinathil_vs_das

    r = kinathil_vs_das(ShockedMarketConfig(rho=1.0, periods=1, runs=500, seed=1))
    k = r["results"]["Kinathil (symbolic PBVI)"]
    # one period, inventory never binds: the tree's value is the model's myopic optimum
    m, prior = r["model"], r["prior"]
    assert r["model_value"] == float(max(m.expected_reward(prior, a) for a in range(len(m.actions))))
    assert k[1] > 0
    with pytest.raises(ValueError, match="rho must be > 0"):
        ShockedMarketConfig(rho=0)
    with pytest.raises(ValueError, match="runs must be"):
        ShockedMarketConfig(runs=1)


def test_switch_point_brackets_a_threshold():
    from fractions import Fraction

    from mmkit.symbolic.pbvi import switch_point

    a, b = switch_point(lambda g: g <= Fraction(87, 100), "0.8", "0.9", tol="0.001")
    assert a <= Fraction(87, 100) < b and b - a <= Fraction(1, 1000)
    with pytest.raises(ValueError, match="holds must differ"):
        switch_point(lambda g: True, 0, 1)
    with pytest.raises(ValueError, match="lo must be < hi"):
        switch_point(lambda g: g > 0, 1, 0)


@pytest.mark.parametrize("horizon", [10**9, 1001, 0, -1, 2.5, True, "3"])
def test_absurd_horizon_is_refused_quickly(horizon):
    import time

    m = InventoryPOMDP(A2, GM)
    t0 = time.perf_counter()
    with pytest.raises((ValueError, TypeError), match="horizon"):
        solve(m, INIT2, horizon)
    assert time.perf_counter() - t0 < 5.0


def test_horizon_beyond_the_belief_budget_stops_with_a_clear_error():
    import mmkit.symbolic.inventory_pomdp as ip

    m = InventoryPOMDP(A2, GM)
    old = ip.MAX_BELIEFS
    ip.MAX_BELIEFS = 50
    try:
        with pytest.raises(ValueError, match="horizon.*MAX_BELIEFS"):
            solve(m, INIT2, 40)
    finally:
        ip.MAX_BELIEFS = old
