"""The market makers beyond the post: dynamic parimutuel, duality construction, combinatorial
LMSR, and the studies the chapter reports."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mmkit.cost_function.landscape as la
from mmkit.cost_function.combinatorial import CombinatorialLMSR
from mmkit.cost_function.duality import (
    DualCostMarketMaker,
    ScoringRule,
    log_rule,
    quadratic_rule,
    spherical_rule,
)
from mmkit.cost_function.parimutuel import DynamicParimutuel
from mmkit.cost_function.scoring_rules import LMSR, QuadraticMSR

pos = st.floats(0.01, 1e3)


# --------------------------------------------------------------------- dynamic parimutuel
@settings(max_examples=100, deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda n: st.tuples(
            st.lists(pos, min_size=n, max_size=n), st.lists(st.floats(0, 1e4), min_size=n, max_size=n)
        )
    ),
    st.floats(0.1, 10.0),
    st.data(),
)
def test_dpm_loses_at_most_its_seed(qs, kappa, data):
    q0, extra = (np.asarray(x) for x in qs)
    dpm = DynamicParimutuel(kappa)
    q = q0 + extra
    o = data.draw(st.integers(0, q0.size - 1))
    assert dpm.loss(q0, q, o) <= dpm.worst_case_loss(q0.size, q0) + 1e-9 * dpm.cost(q)
    assert dpm.payoff_per_share(q, o) >= kappa * (1 - 1e-12)
    assert dpm.probabilities(q).sum() == pytest.approx(1.0)
    p = dpm.prices(q).sum()
    assert kappa * (1 - 1e-12) <= p <= kappa * math.sqrt(q0.size) * (1 + 1e-12)


def test_dpm_price_is_gradient_and_limit_closed_form():
    dpm = DynamicParimutuel(1.0)
    q = np.array([30.0, 10.0, 5.0])
    h = 1e-6
    fd = [(dpm.cost(q + h * e) - dpm.cost(q - h * e)) / (2 * h) for e in np.eye(3)]
    assert np.allclose(fd, dpm.prices(q), atol=1e-8)
    x = dpm.max_shares_at_price(q, 1, 0.5)
    assert dpm.prices(q + x * np.eye(3)[1])[1] == pytest.approx(0.5, abs=1e-12)
    with pytest.raises(ValueError, match="seed"):
        dpm.cost([0.0, 0.0])
    with pytest.raises(ValueError, match="kappa"):
        DynamicParimutuel(-1.0)


# --------------------------------------------------------------------- duality construction
@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 6).flatmap(lambda n: st.lists(st.floats(-1e3, 1e3), min_size=n, max_size=n)),
    st.floats(1.0, 500.0),
)
def test_log_rule_gives_lmsr(q, b):
    dm, lm = DualCostMarketMaker(log_rule(b)), LMSR(b)
    assert dm.cost(q) == pytest.approx(lm.cost(q), rel=1e-12, abs=1e-9 * b)
    assert np.allclose(dm.prices(q), lm.prices(q), atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 6).flatmap(lambda n: st.lists(st.floats(-1, 1), min_size=n, max_size=n)),
    st.floats(1.0, 500.0),
)
def test_quadratic_rule_gives_closed_form_inside_valid_region(u, b):
    n = len(u)
    q = np.asarray(u) * b / n  # |q_i - mean| <= 2b/n keeps every price in [0, 1]
    dm, qm = DualCostMarketMaker(quadratic_rule(b)), QuadraticMSR(b)
    assert qm.valid(q)
    assert dm.cost(q) == pytest.approx(qm.cost(q), abs=1e-9 * b)
    assert np.allclose(dm.prices(q), qm.prices(q), atol=1e-12)


def test_quadratic_rule_clamps_outside_valid_region_and_keeps_bound():
    dm = DualCostMarketMaker(quadratic_rule(100.0))
    assert dm.prices([500.0, 0.0]).tolist() == pytest.approx([1.0, 0.0])
    assert dm.cost([600.0, 0.0]) - dm.cost([500.0, 0.0]) == pytest.approx(100.0)  # $1 a share
    c0 = dm.cost([0.0, 0.0])
    for q1 in (100.0, 200.0, 1e3, 1e5):
        assert q1 - (dm.cost([q1, 0.0]) - c0) <= dm.worst_case_loss(2) + 1e-9


def test_worst_case_loss_from_the_construction():
    for n in (2, 3, 5):
        assert DualCostMarketMaker(log_rule(10.0)).worst_case_loss(n) == pytest.approx(10 * math.log(n))
        assert DualCostMarketMaker(quadratic_rule(10.0)).worst_case_loss(n) == pytest.approx(10 * (1 - 1 / n))
        assert DualCostMarketMaker(spherical_rule(10.0)).worst_case_loss(n) == pytest.approx(
            10 * (1 - 1 / math.sqrt(n)), rel=1e-6
        )


def test_spherical_rule_prices_are_gradient_and_hanson_identity():
    dm = DualCostMarketMaker(spherical_rule(100.0))
    q = np.array([50.0, 10.0, 0.0])
    p = dm.prices(q)
    assert p.sum() == pytest.approx(1.0) and np.all(p > 0)
    h = 1e-4
    fd = [(dm.cost(q + h * e) - dm.cost(q - h * e)) / (2 * h) for e in np.eye(3)]
    assert np.allclose(fd, p, atol=1e-6)
    # Hanson: q_i - C(q) = S_i(p(q)) at an interior maximiser
    assert np.allclose(q - dm.cost(q), spherical_rule(100.0).score(p), atol=1e-6)


def test_custom_rule_and_bad_input():
    rule = ScoringRule("quadratic, unnamed", score=quadratic_rule(5.0).score)  # not separable: SLSQP
    assert DualCostMarketMaker(rule).prices([3.0, 0.0, 0.0]) == pytest.approx(
        QuadraticMSR(5.0).prices([3.0, 0.0, 0.0]), abs=1e-6
    )
    with pytest.raises(TypeError, match="rule"):
        DualCostMarketMaker("log")
    with pytest.raises(ValueError, match="b must"):
        log_rule(0.0)


# --------------------------------------------------------------------- combinatorial LMSR
def test_combinatorial_event_cost_and_independence():
    r = la.combinatorial_independence(4, 40, seed=2)
    assert r["cost_gap"] < 1e-9
    assert r["indep"] < 1e-12
    assert r["cov"] > 0.01
    assert r["bound"] == pytest.approx(1.0)


def test_combinatorial_matches_flat_lmsr_and_validates():
    m = CombinatorialLMSR(3, 50.0)
    q, cost = m.buy(m.zeros(), m.var(0) & ~m.var(2), 20.0)
    assert cost == pytest.approx(LMSR(50.0).trade_cost(np.zeros(8), q))
    assert m.price(q, m.var(0)) + m.price(q, m.var(0, False)) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="k must"):
        CombinatorialLMSR(0)
    with pytest.raises(ValueError, match="event"):
        m.price(q, np.ones(8, bool))
    with pytest.raises(ValueError, match="j must"):
        m.var(3)


# --------------------------------------------------------------------- studies
def test_order_book_scenario_and_flow_invariants():
    mkt, path = la.order_book_scenario()
    assert path.min() >= 0.45 - 1e-12  # the resting bids at 0.45 hold the price up
    assert path.max() <= 0.60 + 1e-12  # the resting offer at 0.60 holds it down
    first = [f.order for f in mkt.fills if f.order >= 0]
    assert first[:2] == [1, 1]  # the older of the two orders at 0.45 fills first
    inv = la.order_flow_invariants(6, 30, seed=4)
    assert inv["limit"] < 1e-9 and inv["loss"] < 0 and inv["cash"] < 1e-9 and inv["fills"] > 0


def test_dpm_beside_lmsr_and_dual_closed_forms():
    trades = np.where(np.random.default_rng(0).random(100) < 0.65, 0, 1)
    r = la.dpm_beside_lmsr(trades, 10.0)
    assert np.all(r["dpm_loss"] <= 100 * math.log(2) + 1e-9)
    assert np.all(r["lmsr_loss"] <= 100 * math.log(2) + 1e-9)
    g = la.dual_beside_closed_forms(8, seed=1)
    assert max(g.values()) < 1e-8


def test_dpm_seed_margin_matches_scalar_loss():
    from mmkit.cost_function.analysis import random_final_states

    states = random_final_states(3, 200, seed=1, scale=1e3, q0=[5.0, 5.0, 5.0])
    dpm = DynamicParimutuel(1.0)
    scalar = max(dpm.loss([5.0, 5.0, 5.0], q, o) for q in states for o in range(3))
    margin = la.dpm_seed_margin(states, q0=[5.0, 5.0, 5.0])
    assert margin == pytest.approx(scalar - dpm.cost([5.0, 5.0, 5.0]), abs=1e-12)
    assert margin < 0


def test_dual_price_curves_clamp_and_stay_within_bounds():
    c = la.dual_price_curves(np.linspace(-600, 600, 25), b_log=50.0)
    bound = 50 * math.log(2)
    assert np.allclose(c["bound"], bound)
    assert c["quadratic"].min() == 0.0 and c["quadratic"].max() == 1.0
    assert c["log"].min() > 0 and c["log"].max() < 1
    for k in ("log", "quadratic", "spherical"):
        assert np.all(np.diff(c[k]) >= -1e-9)  # prices rise with the imbalance
        assert c[f"loss_{k}"].max() <= bound + 1e-6
    inside = ~np.isnan(c["quad_closed"])
    assert np.allclose(c["quad_closed"][inside], c["quadratic"][inside], atol=1e-12)
