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
