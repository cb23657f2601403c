"""Cost-function market makers: closed forms, invariants (hypothesis), stability, bad input."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from mmkit.cost_function.scoring_rules import (
    LMSR,
    LSLMSR,
    CostFunctionMarketMaker,
    QuadraticMSR,
    as_quantities,
    price_impact,
    unit,
)

finite = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)
bs = st.floats(min_value=0.5, max_value=1e4)


def qvec(n_min=2, n_max=6):
    return st.integers(n_min, n_max).flatmap(lambda n: st.lists(finite, min_size=n, max_size=n))


# --------------------------------------------------------------------- worked numbers (spec C.1)
def test_post_worked_numbers():
    mm = LMSR(100.0)
    assert mm.cost([0, 0]) == pytest.approx(69.3147, abs=5e-5)
    assert mm.trade_cost([0, 0], [10, 0]) == pytest.approx(5.1249, abs=5e-5)
    assert mm.trade_cost([50, 10], [40, 10]) == pytest.approx(-5.8660, abs=5e-5)
    assert mm.prices([50, 10])[0] == pytest.approx(0.5987, abs=5e-5)
    assert mm.worst_case_loss(10) == pytest.approx(230.2585, abs=5e-5)


def test_quadratic_worked_numbers_and_derivation():
    qm = QuadraticMSR(100.0)
    assert qm.trade_cost([0, 0], [10, 0]) == pytest.approx(5.125)
    assert -qm.trade_cost([50, 10], [40, 10]) == pytest.approx(5.875)
    # q_i - C(q) equals the quadratic score S_i(p(q)) = b (2 p_i - sum p^2) (up to the constant)
    rng = np.random.default_rng(0)
    for _ in range(50):
        q = rng.uniform(-40, 40, 3)
        p = qm.prices(q)
        score = qm.b * (2 * p - (p**2).sum())
        lhs = q - qm.cost(q)
        assert np.allclose(lhs - score, (lhs - score)[0])


def test_lslmsr_price_matches_gradient():
    ls = LSLMSR(0.05)
    assert ls.prices([10.0, 10.0]) == pytest.approx([0.534657, 0.534657], abs=1e-6)
    rng = np.random.default_rng(1)
    for _ in range(30):
        q = rng.uniform(1, 100, 3)
        h = 1e-5
        grad = [(ls.cost(q + unit(3, i, h)) - ls.cost(q - unit(3, i, h))) / (2 * h) for i in range(3)]
        assert np.allclose(grad, ls.prices(q), atol=1e-7)


# --------------------------------------------------------------------- invariants
@settings(max_examples=200, deadline=None)
@given(qvec(), bs)
def test_lmsr_prices_sum_to_one_and_positive(q, b):
    p = LMSR(b).prices(q)
    assert abs(p.sum() - 1) < 1e-12
    assert np.all(p >= 0)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda n: st.lists(st.lists(finite, min_size=n, max_size=n), min_size=1, max_size=8)
    ),
    bs,
)
def test_cost_is_path_independent(steps, b):
    """Total paid over any sequence of trades equals C(q_end) - C(q_start)."""
    mm = LMSR(b)
    n = len(steps[0])
    q = np.zeros(n)
    paid = 0.0
    for s in steps:
        new = q + np.asarray(s)
        paid += mm.trade_cost(q, new)
        q = new
    assert paid == pytest.approx(mm.trade_cost(np.zeros(n), q), rel=1e-9, abs=1e-6 * max(1.0, abs(paid)))


@settings(max_examples=200, deadline=None)
@given(
    st.integers(2, 6).flatmap(
        lambda n: st.lists(st.lists(st.floats(0, 1e5), min_size=n, max_size=n), min_size=1, max_size=6)
    ),
    bs,
    st.data(),
)
def test_loss_never_exceeds_b_ln_n(steps, b, data):
    """From the uniform start, no trade sequence and no outcome costs the MM more than b ln n."""
    mm = LMSR(b)
    n = len(steps[0])
    q = np.sum(np.asarray(steps), axis=0)
    i = data.draw(st.integers(0, n - 1))
    assert mm.loss(np.zeros(n), q, i) <= mm.worst_case_loss(n) + 1e-9 * max(1.0, q.max())


@settings(max_examples=100, deadline=None)
@given(
    st.integers(2, 5).flatmap(lambda n: st.lists(st.floats(0, 200), min_size=n, max_size=n)),
    st.floats(50, 500),
    st.data(),
)
def test_quadratic_loss_bounded(q, b, data):
    qm = QuadraticMSR(b)
    q = np.asarray(q)
    n = q.size
    q = qm.clip_trade(np.zeros(n), q)
    i = data.draw(st.integers(0, n - 1))
    assert qm.loss(np.zeros(n), q, i) <= qm.worst_case_loss(n) + 1e-9


@settings(max_examples=100, deadline=None)
@given(qvec(2, 4), bs, st.floats(0.01, 0.99), st.data())
def test_limit_order_closed_form_matches_root_finding(q, b, p, data):
    mm = LMSR(b)
    i = data.draw(st.integers(0, len(q) - 1))
    closed = mm.max_shares_at_price(q, i, p)
    generic = CostFunctionMarketMaker.max_shares_at_price(mm, q, i, p)
    assert closed == pytest.approx(generic, abs=1e-6 * max(1.0, b, abs(closed)))
    assert mm.prices(np.asarray(q) + unit(len(q), i, closed))[i] == pytest.approx(p, abs=1e-9)


def test_limit_buy_respects_price_and_size():
    mm = LMSR(100.0)
    fill = mm.limit_buy([0, 0], 0, max_shares=100, price=0.8)
    assert fill.shares == 100 and fill.final_price < 0.8
    fill = mm.limit_buy([0, 0], 0, max_shares=1000, price=0.8)
    assert fill.final_price == pytest.approx(0.8)
    assert fill.average_price < 0.8
    assert mm.limit_buy([0, 0], 0, 10, price=0.3).shares == 0.0
    sold = mm.limit_sell([100, 0], 0, max_shares=1000, price=0.6)
    assert sold.final_price == pytest.approx(0.6) and sold.cost < 0


def test_cost_is_integral_of_price():
    mm = LMSR(37.0)
    for q in ([0, 0, 0], [10, -30, 5], [200, 0, 1]):
        for k in (0.5, 20.0, 150.0):
            integral = quad(lambda x: mm.prices(np.asarray(q, float) + unit(3, 0, x))[0], 0, k)[0]
            assert mm.buy(q, 0, k) == pytest.approx(integral, rel=1e-9)


# --------------------------------------------------------------------- stability
def test_extreme_quantities_are_finite_and_correct():
    mm = LMSR(100.0)
    q = np.array([1e8, 0.0, -1e8])  # q / b = 1e6
    assert mm.cost(q) == pytest.approx(1e8)
    assert np.allclose(mm.prices(q), [1, 0, 0])
    assert mm.buy(q, 0, 10.0) == pytest.approx(10.0)
    assert mm.buy(q, 1, 10.0) == pytest.approx(0.0, abs=1e-12)
    assert mm.trade_cost(q, q + unit(3, 0, 10.0)) == pytest.approx(10.0, rel=1e-9)
    big_buy = mm.buy([0, 0], 0, 1e9)  # k/b = 1e7: the closed form must not overflow
    assert math.isfinite(big_buy) and big_buy == pytest.approx(1e9 - 100 * math.log(2), rel=1e-12)
    assert np.all(np.isfinite(mm.prices(np.array([[1e300, -1e300]]))))


def test_batched_evaluation_matches_loop():
    mm = LMSR(50.0)
    rng = np.random.default_rng(3)
    q = rng.normal(0, 100, (20, 4))
    assert np.allclose(mm.cost(q), [mm.cost(r) for r in q])
    assert np.allclose(mm.prices(q), [mm.prices(r) for r in q])


def test_price_impact_shrinks_with_b():
    impacts = [price_impact(LMSR(b), [0, 0], 0, 10.0) for b in (10, 100, 1000)]
    assert impacts[0] > impacts[1] > impacts[2] > 0


# --------------------------------------------------------------------- bad input
@pytest.mark.parametrize("b", [0, -1.0, float("nan"), float("inf")])
def test_bad_b(b):
    with pytest.raises(ValueError, match=r"b must be .*\(0, inf\)"):
        LMSR(b)
    with pytest.raises(ValueError, match="b must be"):
        QuadraticMSR(b)


def test_bad_quantities_and_prices():
    mm = LMSR(10.0)
    with pytest.raises(ValueError, match="mismatched outcome counts"):
        mm.trade_cost([0, 0], [0, 0, 0])
    with pytest.raises(ValueError, match="NaN"):
        mm.prices([0.0, float("nan")])
    with pytest.raises(ValueError, match="at least 2 outcomes"):
        mm.cost([1.0])
    for p in (0.0, 1.0, 1.5, -0.2):
        with pytest.raises(
            ValueError, match=r"price \(the limit price\) must be in the open interval \(0, 1\)"
        ):
            mm.limit_buy([0, 0], 0, 10, p)
    with pytest.raises(ValueError, match="outcome must be an integer in"):
        mm.buy([0, 0], 2, 1.0)
    with pytest.raises(ValueError, match="alpha must be"):
        LSLMSR(0.0)
    with pytest.raises(ValueError, match="sum\\(q\\) > 0"):
        LSLMSR(0.1).prices([0.0, 0.0])
    with pytest.raises(ValueError, match="valid region"):
        QuadraticMSR(10.0).trade_cost([0, 0], [100, 0])
    with pytest.raises(ValueError, match="3 were expected"):
        as_quantities([1, 2], n=3)


# --------------------------------------------------------------------- quadratic, n > 2
@settings(max_examples=150, deadline=None)
@given(
    st.integers(2, 6).flatmap(
        lambda n: st.tuples(
            st.lists(st.floats(-1, 1), min_size=n, max_size=n),
            st.lists(st.floats(-500, 500), min_size=n, max_size=n),
        )
    )
)
def test_quadratic_clip_trade_is_valid_and_maximal(qd):
    """clip_trade keeps every price in [0, 1] and stops exactly at the edge (any n)."""
    qm = QuadraticMSR(100.0)
    raw, delta = (np.asarray(v) for v in qd)
    assume(np.abs(delta).max() > 1e-3)
    n = raw.size
    q = raw * 100.0 / n  # |q_i - q_bar| < 2b/n: a valid start
    assert qm.valid(q)
    out = qm.clip_trade(q, delta)
    assert qm.valid(out, tol=1e-9)
    d = out - q
    t = np.dot(d, delta) / np.dot(delta, delta) if np.dot(delta, delta) > 0 else 1.0
    assert np.allclose(d, t * delta, atol=1e-9) and -1e-12 <= t <= 1 + 1e-12
    if t < 1 - 1e-9:  # truncated: some price sits on the boundary
        p = qm.prices(out)
        assert np.min(np.minimum(np.abs(p), np.abs(1 - p))) < 1e-9


def test_quadratic_limit_orders_closed_form_and_valid_region():
    qm = QuadraticMSR(10.0)
    rng = np.random.default_rng(4)
    for _ in range(50):
        n = int(rng.integers(2, 6))
        q = rng.uniform(-1, 1, n) * 10.0 / n
        i, p = int(rng.integers(n)), float(rng.uniform(0.05, 0.95))
        closed = qm.max_shares_at_price(q, i, p)
        # the generic root finder stops at the edge of the valid region
        expected = min(max(closed, -qm.sell_capacity(q, i)), qm.buy_capacity(q, i))
        assert expected == pytest.approx(CostFunctionMarketMaker.max_shares_at_price(qm, q, i, p), abs=1e-8)
        fill = qm.limit_buy(q, i, 1e6, p)  # never leaves the valid region (n > 2: another
        end = q + unit(n, i, fill.shares)  # price may reach 0 before p_i reaches the limit)
        assert qm.valid(end, tol=1e-9)
        assert fill.shares == pytest.approx(min(max(closed, 0.0), qm.buy_capacity(q, i)), abs=1e-9)
        sold = qm.limit_sell(q, i, 1e6, p)
        assert qm.valid(q - unit(n, i, sold.shares), tol=1e-9)
    # n = 3 example where the capacity binds: p = (0.217, 0.717, 0.067)
    q = np.array([0.0, 10.0, -3.0])
    fill = qm.limit_buy(q, 0, 100, 0.9)
    assert fill.shares == pytest.approx(4.0) and fill.final_price == pytest.approx(0.35)


# --------------------------------------------------------------------- LS-LMSR invariants
pos_q = st.integers(2, 6).flatmap(lambda n: st.lists(st.floats(0.01, 1e4), min_size=n, max_size=n))


@settings(max_examples=150, deadline=None)
@given(pos_q, st.floats(0.005, 0.5))
def test_lslmsr_euler_identity_vig_and_cost_bound(q, alpha):
    """C is homogeneous of degree 1, so q . p(q) = C(q) (Euler) -- an independent check of
    the price formula; prices sum to [1, 1 + alpha n ln n]; C(q) >= max_i q_i."""
    ls = LSLMSR(alpha)
    q = np.asarray(q)
    n = q.size
    p = ls.prices(q)
    C = ls.cost(q)
    assert np.dot(q, p) == pytest.approx(C, rel=1e-9)
    assert ls.cost(3.7 * q) == pytest.approx(3.7 * C, rel=1e-12)
    assert 1 - 1e-12 <= p.sum() <= 1 + alpha * n * np.log(n) + 1e-12
    assert C >= q.max() - 1e-9 * q.max()


@settings(max_examples=100, deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda n: st.lists(st.lists(st.floats(0, 500), min_size=n, max_size=n), min_size=1, max_size=6)
    ),
    st.floats(0.005, 0.3),
    st.floats(0.1, 50),
    st.data(),
)
def test_lslmsr_loss_bounded_by_seed_cost(steps, alpha, seed, data):
    """From seed q0 = (s, ..., s), no sequence of purchases and no outcome costs the market maker
    more than C(q0) (Othman et al.): payout q_i minus money collected C(q) - C(q0)."""
    ls = LSLMSR(alpha)
    n = len(steps[0])
    q0 = np.full(n, seed)
    q = q0 + np.sum(np.asarray(steps), axis=0)
    i = data.draw(st.integers(0, n - 1))
    # C(q) - max(q) -> 0 for thin alpha: allow for rounding at the scale of q
    assert q[i] - (ls.cost(q) - ls.cost(q0)) <= ls.worst_case_loss(n, q0) + 1e-12 * q.max()


def test_lslmsr_impact_falls_with_volume_lmsr_constant():
    """At balanced states the LMSR price impact of a fixed trade is the same at every volume,
    the LS-LMSR impact falls like 1/volume (its liquidity alpha * sum(q) grows)."""
    lm, ls = LMSR(100.0), LSLMSR(LSLMSR.alpha_for_vig(0.05, 2))
    vols = np.array([200.0, 2e3, 2e4, 2e5])
    imp_lm = [price_impact(lm, [v / 2, v / 2], 0, 10.0) for v in vols]
    imp_ls = np.array([price_impact(ls, [v / 2, v / 2], 0, 10.0) for v in vols])
    assert np.allclose(imp_lm, imp_lm[0])
    assert np.all(np.diff(imp_ls) < 0)
    assert imp_ls[-1] * vols[-1] == pytest.approx(imp_ls[-2] * vols[-2], rel=0.01)  # ~ 1/volume
    # balanced prices: 1/n + alpha ln n each
    assert ls.prices([50.0, 50.0]) == pytest.approx([0.5 + ls.alpha * np.log(2)] * 2)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(2, 4).flatmap(lambda n: st.lists(st.floats(0.5, 1e3), min_size=n, max_size=n)),
    st.floats(0.01, 0.99),
    st.data(),
)
def test_lslmsr_limit_orders_by_root_finding_stay_in_domain(q, price, data):
    """LS-LMSR has no closed-form fill: the generic bracketing must stay where sum(q) > 0 and
    q_i >= 0, fill up to the limit price, or stop at the shares outstanding."""
    ls = LSLMSR(0.05)
    q = np.asarray(q)
    i = data.draw(st.integers(0, q.size - 1))
    p0 = ls.prices(q)[i]
    buy = ls.limit_buy(q, i, 1e6, price)
    if p0 >= price:
        assert buy.shares == 0.0
    else:
        assert buy.shares > 0 and buy.final_price == pytest.approx(price, abs=1e-8)
    sell = ls.limit_sell(q, i, 1e6, price)
    assert 0 <= sell.shares <= q[i] + 1e-12
    if p0 <= price:
        assert sell.shares == 0.0
    else:  # down to the limit, or all shares outstanding
        assert sell.final_price == pytest.approx(price, abs=1e-8) or sell.shares == pytest.approx(q[i])
        assert sell.final_price >= price - 1e-8


# --------------------------------------------------------------------- fast paths (numpy speed)
@settings(max_examples=200, deadline=None)
@given(qvec(), bs, st.floats(-1e4, 1e4), st.data())
def test_scalar_buy_fast_path_matches_trade_cost(q, b, k, data):
    """The pure-Python buy() equals C(q + k e_i) - C(q) for lists, tuples and arrays."""
    mm = LMSR(b)
    i = data.draw(st.integers(0, len(q) - 1))
    ref = mm.trade_cost(np.asarray(q), np.asarray(q) + unit(len(q), i, k))
    for form in (q, tuple(q), np.asarray(q)):
        assert mm.buy(form, i, k) == pytest.approx(ref, rel=1e-9, abs=1e-9 * max(1.0, abs(k)))


def test_scalar_buy_validation_kept():
    mm = LMSR(10.0)
    for bad in ([1.0, float("nan")], (0.0, float("inf")), [1.0], np.array([0.0, np.nan])):
        with pytest.raises(ValueError, match="q"):
            mm.buy(bad, 0, 1.0)
    for shares in (float("nan"), float("inf"), "x", None):
        with pytest.raises(ValueError, match="shares"):
            mm.buy([0.0, 0.0], 0, shares)
    for outcome in (2, -1, 0.5, True and 1.5):
        with pytest.raises((ValueError, TypeError), match="outcome"):
            mm.buy([0.0, 0.0], outcome, 1.0)
    with pytest.raises(ValueError, match="single share vector"):
        mm.buy(np.zeros((2, 2)), 0, 1.0)
    assert mm.buy(np.array([0, 0]), 0, 1) == pytest.approx(mm.buy([0.0, 0.0], 0, 1.0))


def test_batched_trade_cost_with_far_apart_states():
    """Each sum is shifted by its own maximum: states 1e6 b apart stay finite and exact."""
    mm = LMSR(1.0)
    q = np.array([[0.0, 0.0, 746.0], [0.0, 0.0, 0.0], [1e6, 0.0, 0.0]])
    q_new = np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 746.0], [1e6 + 3.0, 0.0, 0.0]])
    out = mm.trade_cost(q, q_new)
    assert np.all(np.isfinite(out))
    assert out[0] == pytest.approx(math.log(3) - 746.0, rel=1e-12)
    assert out[1] == pytest.approx(746.0 - math.log(3), rel=1e-12)
    assert out[2] == pytest.approx(3.0, rel=1e-12)
