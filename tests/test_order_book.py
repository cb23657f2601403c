"""Persistent limit orders against a cost-function market maker: invariants as properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmkit.cost_function.order_book import LimitOrderMarket, random_order_flow
from mmkit.cost_function.scoring_rules import LMSR


def check(mkt: LimitOrderMarket) -> None:
    inv = mkt.invariants()
    scale = max(1.0, mkt.start_cash)
    assert abs(inv["cash"]) < 1e-9 * scale, inv  # cash conserved
    assert inv["shares"] < 1e-9 * scale, inv  # shares conserved
    assert abs(inv["collected"]) < 1e-7 * scale, inv  # path independence
    assert inv["limit"] <= 1e-9, inv  # no trader pays more than its limit
    assert inv["negative"] <= 1e-9, inv  # no negative cash, no short position
    assert inv["loss"] <= 1e-9 * scale, inv  # the market maker's loss bound holds
    assert np.all(mkt.cash_escrow >= -1e-12) and np.all(mkt.share_escrow >= -1e-12)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 4),
    traders=st.integers(1, 5),
    events=st.integers(1, 80),
    seed=st.integers(0, 2**31 - 1),
    b=st.floats(5.0, 300.0),
)
def test_random_order_flow_keeps_invariants(n, traders, events, seed, b):
    check(random_order_flow(LMSR(b), n, traders, events, seed))


@settings(max_examples=60, deadline=None)
@given(
    limits=st.lists(st.floats(0.05, 0.95), min_size=1, max_size=6),
    pushes=st.lists(st.tuples(st.integers(0, 1), st.floats(1.0, 300.0)), min_size=1, max_size=12),
)
def test_resting_buys_fill_in_price_time_order(limits, pushes):
    """Buy orders on outcome 0 rest (the price starts above every limit); pushes move the price.
    Every fill stays within its limit, and no order fills while a better-priced one (or an
    equally priced older one) rests unfilled. Regression: limits 0.05 and 0.05 + 1 ulp once
    failed a time-priority check that treated prices within 1e-9 as equal."""
    t_push = len(limits)
    mkt = LimitOrderMarket(LMSR(100.0), [1e6] * (len(limits) + 1), [0.0, 0.0])
    mkt.market_order(t_push, 0, 400.0)  # p_0 = sigma(4) = 0.982 > every limit: all orders rest
    ids = [mkt.limit_order(k, 0, "buy", 50.0, p) for k, p in enumerate(limits)]
    assert not [f for f in mkt.fills if f.order >= 0]
    for side, size in pushes:
        mkt.market_order(t_push, side, size)
    check(mkt)
    p0 = mkt.prices()[0]
    for o in mkt.orders:  # at rest: no order is fillable
        assert o.limit <= p0 + 1e-8  # fills under 1e-6 shares are not made
    filled = {f.order for f in mkt.fills if f.order >= 0}
    for k, (oid, lim) in enumerate(zip(ids, limits)):
        if oid in filled:  # price priority, then time priority
            assert all(j in filled for j, l2 in zip(ids, limits) if l2 > lim + 1e-9)
            # time priority among equal limits only: a limit higher by one ulp has price priority
            assert all(j in filled for j, l2 in zip(ids[:k], limits[:k]) if l2 == lim)


def test_order_fills_when_price_moves_to_it():
    mm = LMSR(100.0)
    mkt = LimitOrderMarket(mm, [100.0, 1000.0], [0.0, 0.0])
    oid = mkt.limit_order(0, 0, "buy", 20.0, 0.45)
    assert not mkt.fills and mkt.orders[0].id == oid  # price 0.5 > 0.45: rests
    mkt.market_order(1, 1, 30.0)  # buying outcome 1 lowers p_0 below 0.45
    fills = [f for f in mkt.fills if f.order == oid]
    # p_0 = sigma((x - 30) / 100) reaches 0.45 after x = 30 + 100 logit(0.45) = 9.93 shares
    assert len(fills) == 1 and fills[0].price_after == pytest.approx(0.45, abs=1e-12)
    assert fills[0].shares == pytest.approx(30 + 100 * np.log(0.45 / 0.55), rel=1e-12)
    assert mkt.orders[0].remaining == pytest.approx(20.0 - fills[0].shares)
    assert mkt.cash[0] >= 100.0 - 20.0 * 0.45 - 1e-9
    check(mkt)


def test_sell_order_and_cancel_release_escrow():
    mkt = LimitOrderMarket(LMSR(50.0), [100.0, 1000.0], [0.0, 0.0])
    mkt.market_order(0, 0, 10.0)
    oid = mkt.limit_order(0, 0, "sell", 10.0, 0.9)
    assert mkt.share_escrow[0, 0] == pytest.approx(10.0)
    with pytest.raises(ValueError, match="no short"):
        mkt.market_order(0, 0, -5.0)
    mkt.cancel(oid)
    assert mkt.share_escrow[0, 0] == pytest.approx(0.0)
    mkt.market_order(0, 0, -5.0)
    check(mkt)


def test_bad_input():
    mkt = LimitOrderMarket(LMSR(50.0), [10.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="side"):
        mkt.limit_order(0, 0, "hold", 1.0, 0.5)
    with pytest.raises(ValueError, match="limit"):
        mkt.limit_order(0, 0, "buy", 1.0, 1.5)
    with pytest.raises(ValueError, match="trader"):
        mkt.market_order(3, 0, 1.0)
    with pytest.raises(ValueError, match="outcome"):
        mkt.market_order(0, 2, 1.0)
    with pytest.raises(ValueError, match="cannot escrow"):
        mkt.limit_order(0, 0, "buy", 100.0, 0.5)
    with pytest.raises(ValueError, match="cash"):
        LimitOrderMarket(LMSR(50.0), [-1.0], [0.0, 0.0])
    with pytest.raises(TypeError, match="mm"):
        LimitOrderMarket("lmsr", [1.0], [0.0, 0.0])
