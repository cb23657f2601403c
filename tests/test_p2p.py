"""Tests for mmkit.markov_market.p2p: flooding equals BFS, shortcut equals hop-by-hop, invariants, bad input."""

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import shortest_path

from mmkit import markov_market as mm
from mmkit.markov_market import p2p

T2 = np.array([[0.4, 0.3, 0.3], [0.4, 0.2, 0.4], [0.3, 0.4, 0.3]])
T_BUY = np.array([[0.6, 0.3, 0.1], [0.05, 0.75, 0.2], [0.02, 0.18, 0.8]])
GROUPS = [mm.AgentGroup(T2, 12), mm.AgentGroup(T_BUY, 12)]


@pytest.mark.parametrize("d", [2, 3, 4, 6])
def test_random_regular_graph_is_simple_regular(d):
    nb = p2p.random_regular_graph(24, d, np.random.default_rng(d))
    assert nb.shape == (24, d)
    for i, row in enumerate(nb):
        assert i not in row and len(set(row)) == d
        for j in row:
            assert i in nb[j]


@pytest.mark.parametrize("ttl", [0, 1, 2, 4])
def test_flood_without_loss_is_truncated_bfs(ttl):
    n, d = 30, 3
    nb = p2p.random_regular_graph(n, d, np.random.default_rng(1))
    A = sp.csr_matrix((np.ones(n * d), (np.repeat(np.arange(n), d), nb.ravel())), shape=(n, n))
    D = shortest_path(A, unweighted=True)
    H = p2p.flood(nb, ttl, 0.0, np.random.default_rng(0))
    assert np.array_equal(H, np.where(D <= ttl, D, -1).astype(int))


def test_flood_with_loss_reaches_less_and_never_earlier():
    nb = p2p.random_regular_graph(40, 4, np.random.default_rng(2))
    H0 = p2p.flood(nb, 4, 0.0, np.random.default_rng(0))
    H1 = p2p.flood(nb, 4, 0.5, np.random.default_rng(0))
    got = H1 >= 0
    assert got.sum() < (H0 >= 0).sum()
    assert np.all(H1[got] >= H0[got])


def test_shortcut_equals_hop_by_hop():
    cfg = p2p.P2PConfig(degree=3, ttl=3, epochs=300, seed=4)
    a = p2p.simulate_p2p(GROUPS, cfg)
    b = p2p.simulate_p2p(GROUPS, cfg, hop_by_hop=True)
    assert np.array_equal(a.observed, b.observed)
    assert np.array_equal(a.reach, b.reach)
    np.testing.assert_allclose(a.mean_delay, b.mean_delay)


def test_full_reach_sees_whole_market_in_distribution():
    # complete graph, TTL 1: every order arrives after at most one hop
    n = 24
    res = p2p.simulate_p2p(GROUPS, p2p.P2PConfig(degree=n - 1, ttl=1, epochs=4000, seed=1))
    assert np.all(res.reach == n)
    pS = mm.pressure_distribution(GROUPS)
    s = np.arange(-n, n + 1)
    m = pS @ s
    sd = np.sqrt(pS @ s**2 - m**2)
    a, b = p2p.shift_scale(res.observed, m, sd)
    assert abs(b - 1) < 0.08 and abs(a) < 0.8
    # an observer's view is its own order now plus everybody else's one epoch ago
    X_own = res.observed[:, 0]
    assert X_own.min() >= -n and X_own.max() <= n


def test_partial_reach_scales_down():
    res = p2p.simulate_p2p(GROUPS, p2p.P2PConfig(degree=2, ttl=1, epochs=2000, seed=3))
    assert np.all(res.reach == 3)
    assert res.observed.std() < 0.6 * res.true_pressure.std()


def test_seeded_determinism():
    cfg = p2p.P2PConfig(degree=4, ttl=2, loss=0.2, epochs=200, seed=9)
    a = p2p.simulate_p2p(GROUPS, cfg)
    b = p2p.simulate_p2p(GROUPS, cfg)
    assert np.array_equal(a.observed, b.observed)


def test_bad_input():
    with pytest.raises(ValueError, match="degree"):
        p2p.simulate_p2p(GROUPS, p2p.P2PConfig(degree=30))
    with pytest.raises(ValueError, match="ttl"):
        p2p.simulate_p2p(GROUPS, p2p.P2PConfig(ttl=-1))
    with pytest.raises(ValueError, match="loss"):
        p2p.simulate_p2p(GROUPS, p2p.P2PConfig(loss=1.0))
    with pytest.raises(ValueError, match="epochs"):
        p2p.simulate_p2p(GROUPS, p2p.P2PConfig(epochs=1))
    with pytest.raises(ValueError, match="sd_ref"):
        p2p.shift_scale(np.zeros(3), 0.0, 0.0)


def test_drop_only_touches_actual_transmissions():
    sent = np.zeros((5, 2, 5), dtype=bool)
    sent[1, 0, 3] = sent[4, 1, 0] = True
    p2p._drop(sent, 0.0, np.random.default_rng(0))
    assert sent.sum() == 2  # loss 0 keeps everything
    p2p._drop(sent, 0.999999, np.random.default_rng(0))
    assert sent.sum() == 0  # and nothing is created


@pytest.mark.parametrize("loss", [0.0, 0.3])
def test_view_stats_scale_follows_reach_prediction(loss):
    """The pooled scale and shift of the views equal the reach-based prediction (with or
    without loss: copies' ages are independent of the orders)."""
    res = p2p.simulate_p2p(GROUPS, p2p.P2PConfig(degree=3, ttl=2, loss=loss, epochs=3000, seed=5))
    st = p2p.view_stats(res, GROUPS)
    assert 0.2 < st.reach < 0.8
    assert st.scale == pytest.approx(st.scale_pred, abs=0.03)
    assert st.shift == pytest.approx(st.shift_pred, abs=0.3)
    assert np.all(res.held.sum(axis=1) == res.reach)
    assert -1 <= st.corr <= 1 and -1 <= st.lag1 <= 1


def test_loss_makes_views_staler_not_narrower():
    cfg = dict(degree=4, ttl=3, epochs=1500, seed=8)
    a = p2p.view_stats(p2p.simulate_p2p(GROUPS, p2p.P2PConfig(loss=0.0, **cfg)), GROUPS)
    b = p2p.view_stats(p2p.simulate_p2p(GROUPS, p2p.P2PConfig(loss=0.4, **cfg)), GROUPS)
    assert b.age > a.age and b.lag1 > a.lag1 + 0.1
    assert b.scale == pytest.approx(a.scale, abs=0.05)


def test_sweep_shape_and_seed_determinism():
    out = p2p.sweep(GROUPS, [2, 3], [1, 2], [0, 1], epochs=200)
    assert out.shape == (2, 2, 2, len(p2p.VIEW_STATS))
    again = p2p.sweep(GROUPS, [3], [2], [1], epochs=200)
    assert np.array_equal(out[1, 1, 1], again[0, 0, 0])
