import numpy as np
import pytest

from mmkit.prediction_market import TraderConfig, simulate_belief_traders
from mmkit.scoring_rules import LMSR


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
