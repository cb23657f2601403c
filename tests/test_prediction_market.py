import numpy as np
import pytest

from mmkit.cost_function.prediction_market import TraderConfig, simulate_belief_traders
from mmkit.cost_function.scoring_rules import LMSR


def test_simulation_is_seeded_and_bounded():
    cfg = TraderConfig(n_traders=50, belief_noise=0.5, max_shares=10)
    a = simulate_belief_traders(LMSR(20.0), [0.7, 0.3], cfg, runs=300, seed=5)
    b = simulate_belief_traders(LMSR(20.0), [0.7, 0.3], cfg, runs=300, seed=5)
    assert np.array_equal(a.prices, b.prices) and np.array_equal(a.loss, b.loss)
    assert np.allclose(a.prices.sum(axis=2), 1)
    assert a.loss.max() <= 20.0 * np.log(2) + 1e-9
    # the crowd's information gets into the price
    assert abs(a.prices[:, -1, 0].mean() - 0.7) < 0.03


def test_loss_identity():
    """loss = q_T[outcome] - (C(q_T) - C(0)), checked against the cost function directly."""
    mm = LMSR(30.0)
    r = simulate_belief_traders(mm, [0.2, 0.5, 0.3], TraderConfig(n_traders=20), runs=10, seed=1)
    for q, w, loss in zip(r.q, r.outcome, r.loss):
        assert loss == pytest.approx(mm.loss(np.zeros(3), q, int(w)))


def test_bad_config():
    with pytest.raises(ValueError, match="n_traders"):
        TraderConfig(n_traders=0)
    with pytest.raises(ValueError, match="max_shares"):
        TraderConfig(max_shares=0)
    with pytest.raises(ValueError, match="truth"):
        simulate_belief_traders(LMSR(1.0), [0.5, 0.6])


def test_vectorised_fill_matches_scalar_limit_buy():
    """Replaying the same draws, every trader's fill is LMSR.limit_buy at its belief."""
    from mmkit.cost_function.prediction_market import draw_beliefs

    mm, truth, cfg, seed = (
        LMSR(15.0),
        np.array([0.2, 0.5, 0.3]),
        TraderConfig(n_traders=25, max_shares=4.0),
        3,
    )
    r = simulate_belief_traders(mm, truth, cfg, runs=4, seed=seed)
    rng = np.random.default_rng(seed)
    rng.choice(3, size=4, p=truth)  # the outcomes, drawn first
    q = np.zeros((4, 3))
    for _ in range(cfg.n_traders):
        belief = draw_beliefs(truth, cfg.belief_noise, 4, rng)
        for k in range(4):
            i = int(np.argmax(belief[k] - mm.prices(q[k])))
            q[k, i] += mm.limit_buy(q[k], i, cfg.max_shares, float(belief[k, i])).shares
    assert np.allclose(q, r.q, rtol=0, atol=1e-9)


def test_grid_simulation_common_random_numbers_and_loss_identity():
    from mmkit.cost_function.prediction_market import simulate_belief_grid

    cfg = TraderConfig(n_traders=30, belief_noise=0.5, max_shares=10)
    g = simulate_belief_grid([5.0, 50.0], [0.6, 0.4], cfg, runs=50, seed=3)
    assert np.array_equal(g[5.0].outcome, g[50.0].outcome)  # common random numbers
    for b, r in g.items():
        mm = LMSR(b)
        assert np.allclose(r.prices.sum(axis=2), 1)
        assert np.allclose(r.prices[:, -1], mm.prices(r.q))
        for q, w, loss in zip(r.q, r.outcome, r.loss):
            assert loss == pytest.approx(mm.loss(np.zeros(2), q, int(w)), abs=1e-9)
        assert r.loss.max() <= b * np.log(2)
    again = simulate_belief_grid([5.0, 50.0], [0.6, 0.4], cfg, runs=50, seed=3)
    assert np.array_equal(again[50.0].prices, g[50.0].prices)
    with pytest.raises(ValueError, match="bs"):
        simulate_belief_grid([0.0], [0.6, 0.4])


def test_analysis_helpers():
    import mmkit.cost_function.analysis as an
    from mmkit.cost_function.scoring_rules import QuadraticMSR

    mm = LMSR(100.0)
    ex = an.worked_example(mm)
    assert ex["profit_cents"] == pytest.approx(0.75) and abs(ex["profit"] - 0.7411) < 5e-5
    assert an.derivative_error(mm) < 1e-8 and an.integral_error(mm) < 1e-10
    # the adversarial states reach the bound up to the round-off of q_o - C(q) at q_o ~ 1e5 b
    assert an.lmsr_bound_margin(10.0, [2, 3], runs=500, seed=1)["worst"] <= 1.0 + 1e-9
    assert (
        an.quadratic_max_loss(QuadraticMSR(10.0), 3, 500, seed=2)
        <= QuadraticMSR(10.0).worst_case_loss(3) + 1e-9
    )
    assert an.settle_time([0.0, 1.0, 0.5, 0.5], 0.5, 0.1) == 2
    assert an.stability_demo(mm)["stable C(q)"] == pytest.approx(1e8)
