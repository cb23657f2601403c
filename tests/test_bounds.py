"""Optimality bounds (mmkit.symbolic.bounds): exact DP, full-information bound, MPC."""

from fractions import Fraction

import numpy as np
import pytest

from mmkit.symbolic.bounds import CellDP, full_information_bound, gap_table, simulate_policy
from mmkit.symbolic.inventory_pomdp import Belief, InventoryPOMDP, TraderModel, expectimax, make_actions
from mmkit.symbolic.pbvi import solve

GM = TraderModel.glosten_milgrom()
A2 = make_actions([0, 25, 49, 51, 75, 99])
ROOT = Belief.uniform(50, 100, 1)


@pytest.fixture(scope="module")
def fig2():
    m = InventoryPOMDP(A2, GM, gamma=Fraction(9, 10))
    return m, CellDP(m, ROOT)


def test_exact_dp_equals_expectimax_and_pbvi(fig2):
    m, dp = fig2
    for H in (1, 2, 3, 4):
        assert dp.value(H) == pytest.approx(expectimax(m, ROOT, H)[0], abs=1e-9)
    assert dp.value(3) == pytest.approx(float(solve(m, [ROOT], 3).value(ROOT)), abs=1e-9)


def test_exact_dp_other_models():
    for traders, reward, b in [
        (TraderModel.discrete(10), "cash", Belief.uniform(20, 90, 2)),
        (GM, "mark_to_market", Belief.from_masses([(0, 40, Fraction(1, 4)), (40, 100, Fraction(3, 4))], 1)),
    ]:
        m = InventoryPOMDP(make_actions([0, 50, 100]), traders, gamma=Fraction(4, 5), reward=reward)
        dp = CellDP(m, b)
        for H in (1, 2, 3):
            assert dp.value(H) == pytest.approx(expectimax(m, b, H)[0], abs=1e-9)


def test_upper_bound_above_exact_and_monotone(fig2):
    m, dp = fig2
    ub = full_information_bound(m, ROOT, 8)
    ex = np.array([dp.value(H) for H in range(1, 9)])
    assert np.all(ub >= ex - 1e-12)
    assert np.all(np.diff(ub) > 0)
    # revealing the cell is worth something here: the bound is strict
    assert ub[0] > ex[0] + 1


def test_upper_bound_is_tight_for_a_point_belief():
    m = InventoryPOMDP(A2, GM, gamma=Fraction(9, 10))
    b = Belief.uniform(60, 70, 1)  # inside one cell: nothing to learn
    dp = CellDP(m, b)
    ub = full_information_bound(m, b, 4)
    assert ub == pytest.approx([dp.value(H) for H in range(1, 5)], abs=1e-9)


def test_mpc_is_a_lower_bound_and_exact_with_full_lookahead(fig2):
    m, dp = fig2
    for H in (2, 4, 6):
        assert dp.mpc_value(H, 1) <= dp.value(H) + 1e-9
        assert dp.mpc_value(H, H) == pytest.approx(dp.value(H), abs=1e-9)
    assert dp.mpc_value(6, 3) >= dp.mpc_value(6, 1) - 1e-9


def test_simulation_agrees_with_exact_policy_value(fig2):
    _, dp = fig2
    mean, se = simulate_policy(dp, 5, 2, runs=3000, seed=1)
    assert abs(mean - dp.mpc_value(5, 2)) < 4 * se
    assert simulate_policy(dp, 5, 2, runs=50, seed=3) == simulate_policy(dp, 5, 2, runs=50, seed=3)


def test_work_is_polynomial_not_exponential(fig2):
    _, dp = fig2
    dp.value(7)
    assert dp.nodes < 45**3  # (3|A|)^(H-1) would be 45^6


def test_gap_table():
    assert gap_table([1.0, 2.0], [2.0, 2.0]) == pytest.approx([0.5, 0.0])
    with pytest.raises(ValueError, match="exceeds"):
        gap_table([3.0], [2.0])
    with pytest.raises(ValueError, match="shape"):
        gap_table([1.0], [2.0, 3.0])


def test_bad_input(fig2):
    m, dp = fig2
    with pytest.raises(ValueError, match="horizon"):
        dp.value(0)
    with pytest.raises(TypeError, match="horizon"):  # a non-integer (common validators: TypeError)
        full_information_bound(m, ROOT, 1.5)
    with pytest.raises(ValueError, match="horizon"):
        full_information_bound(m, ROOT, 10**9)  # bounded by MAX_HORIZON: no hang
    with pytest.raises(TypeError, match="model"):
        CellDP("m", ROOT)
    with pytest.raises(TypeError, match="belief"):
        CellDP(m, (50, 100))
    with pytest.raises(ValueError, match="runs"):
        simulate_policy(dp, 3, 1, runs=1, seed=0)
