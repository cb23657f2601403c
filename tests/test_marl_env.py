"""Tests of the MARL market environment, its API conformance, determinism and metrics."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmkit.marl import (
    BenchmarkQuoter,
    ConstantMarket,
    ConstantQuoter,
    MarketConfig,
    MarketCore,
    MarketMakerEnv,
    MarketParallelEnv,
    MarketVecEnv,
    Trajectory,
    episode_metrics,
    fill_weight,
    role_reward,
    simulate,
    summarise,
)
from mmkit.marl.agents import market_from_action, offsets_from_action
from mmkit.marl.core import episode_streams

OPP = ConstantQuoter(2.5, 2.3)


def _envs():
    return [
        MarketMakerEnv("A"),
        MarketMakerEnv("A", adversary=ConstantMarket(500, 1.453)),
        MarketMakerEnv("B1", opponent=OPP),
        MarketMakerEnv("B2", opponent=OPP),
        MarketMakerEnv("Bstar", opponent=OPP),
        MarketMakerEnv("adversary"),
    ]


# ---------------------------------------------------------------------- API conformance
def test_gymnasium_check_env():
    from gymnasium.utils.env_checker import check_env

    for env in _envs():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check_env(env, skip_render_check=True)


def test_sb3_check_env():
    from stable_baselines3.common.env_checker import check_env

    for env in _envs():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check_env(env, warn=False)


def test_pettingzoo_parallel_api():
    from pettingzoo.test import parallel_api_test

    for roles in (("A", "B1"), ("A", "B2"), ("B1", "Bstar"), ("A",)):
        parallel_api_test(MarketParallelEnv(roles), num_cycles=250)


def test_pettingzoo_seed_test():
    from pettingzoo.test import parallel_seed_test

    parallel_seed_test(lambda: MarketParallelEnv(("A", "Bstar")))


def _episode(env, seed, action_seed):
    rng = np.random.default_rng(action_seed)
    obs, _ = env.reset(seed=seed)
    out = [obs]
    done = False
    while not done:
        obs, r, done, trunc, _ = env.step(
            env.action_space.sample() * 0 + rng.uniform(env.action_space.low, env.action_space.high)
        )
        out.append(np.append(obs, r))
    return np.concatenate([np.ravel(o) for o in out])


@pytest.mark.parametrize("role", ["A", "B2", "Bstar", "adversary"])
def test_multi_step_seed_determinism(role):
    """Whole episodes (200 steps), not just one step, are a function of the seed."""
    kw = {"opponent": OPP} if role in ("B2", "Bstar") else {}
    a = _episode(MarketMakerEnv(role, **kw), 7, 1)
    b = _episode(MarketMakerEnv(role, **kw), 7, 1)
    c = _episode(MarketMakerEnv(role, **kw), 8, 1)
    assert len(a) > 200 * 3
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_parallel_env_determinism_and_agrees_with_simulate():
    env = MarketParallelEnv(("A", "B1"))
    acts = {a: offsets_to_action(2.4) for a in env.possible_agents}
    pnl = []
    for _ in range(2):
        env.reset(seed=5)
        tot = {a: 0.0 for a in env.possible_agents}
        while env.agents:
            _, r, *_ = env.step(acts)
            for a in r:
                tot[a] += r[a]
        pnl.append(tot)
    assert pnl[0] == pnl[1]
    d = float(offsets_from_action(offsets_to_action(2.4))[0])  # float32 round trip
    tr = simulate([ConstantQuoter(d, d), ConstantQuoter(d, d)], [5])
    # sum of rewards = final PnL - terminal penalty
    q = tr.q[0, -1]
    for k, a in enumerate(env.possible_agents):
        assert pnl[0][a] == pytest.approx(tr.pnl[0, -1, k] - 0.01 * (q[k] / 500) ** 2, abs=1e-9)


def offsets_to_action(d):
    return np.array([2 * d / 5 - 1, 2 * d / 5 - 1], dtype=np.float32)


def test_vec_env_matches_gym_env():
    venv = MarketVecEnv("B1", n_envs=3, seed=40, opponent=OPP)
    obs = venv.reset()
    env = MarketMakerEnv("B1", opponent=OPP)
    o1, _ = env.reset(seed=41)
    np.testing.assert_allclose(obs[1], o1)
    act = np.tile(np.array([0.1, -0.2], np.float32), (3, 1))
    for _ in range(200):
        obs, rew, dones, infos = venv.step(act)
        o1, r1, d1, _, _ = env.step(act[1])
        assert rew[1] == pytest.approx(r1, rel=1e-6, abs=1e-4)
    assert dones.all() and d1
    np.testing.assert_allclose(infos[1]["terminal_observation"], o1)


# ---------------------------------------------------------------------- independent reference
def _reference_episode(seed, offsets, cfg=MarketConfig()):
    """Plain-python one-episode market (spec A.2) using the same random streams."""
    st_ = episode_streams([seed], cfg, cfg.lam)
    M = len(offsets)
    P, q, X = cfg.p0, [0] * M, [0.0] * M
    pnls = []
    for t in range(cfg.n_steps):
        bids = [P - o[0] for o in offsets]
        asks = [P + o[1] for o in offsets]
        P1 = P + cfg.sigma * math.sqrt(cfg.dt) * st_.z[0, t]
        n = int(st_.n[0, t])
        nbuy = n // 2
        us = st_.u_alloc[0, st_.offset[0, t] : st_.offset[0, t] + n]
        wa = [math.exp(-1.5 * (a - P1)) if 0 <= a - P1 <= cfg.d_max else 0.0 for a in asks]
        wb = [math.exp(-1.5 * (P1 - b)) if 0 <= P1 - b <= cfg.d_max else 0.0 for b in bids]
        fa, fb = [0] * M, [0] * M
        for j, u in enumerate(us):
            w, f = (wa, fa) if j < nbuy else (wb, fb)
            if sum(w) > 0:
                c = np.cumsum(w) / sum(w)
                f[int(np.sum(u >= c[:-1]))] += 1
        for k in range(M):
            fa[k] = min(fa[k], cfg.cap, q[k] + cfg.q_max)
            fb[k] = min(fb[k], cfg.cap, cfg.q_max - q[k])
            q[k] += fb[k] - fa[k]
            X[k] += fa[k] * asks[k] - fb[k] * bids[k]
        P = P1
        pnls.append([X[k] + q[k] * P for k in range(M)])
    return np.array(pnls)


def test_vectorised_core_matches_reference_loop():
    offs = [(2.2, 2.0), (1.9, 2.4)]
    tr = simulate([ConstantQuoter(*o) for o in offs], [3, 11, 12])
    for i, s in enumerate([3, 11, 12]):
        np.testing.assert_allclose(tr.pnl[i], _reference_episode(s, offs), atol=1e-9)


def test_batch_equals_one_at_a_time():
    agents = [ConstantQuoter(2.6, 2.1), BenchmarkQuoter()]
    big = simulate(agents, range(6), market=ConstantMarket(450, 1.5))
    for s in range(6):
        one = simulate(agents, [s], market=ConstantMarket(450, 1.5))
        np.testing.assert_array_equal(one.pnl[0], big.pnl[s])


# ---------------------------------------------------------------------- tier (i) numbers
def test_policy_independent_numbers_match_paper():
    """Spec A.7: price volatility, zero-fill steps, single-agent inventory vol and share."""
    fix = summarise(episode_metrics(simulate([ConstantQuoter(2.5, 2.4)], range(100))))
    adv = summarise(
        episode_metrics(simulate([ConstantQuoter(2.2, 2.0)], range(100), market=ConstantMarket(500, 1.453)))
    )
    r3 = lambda s, k: (
        round(float(np.atleast_1d(s[k].mean)[0]), 3),
        round(float(np.atleast_1d(s[k].std)[0]), 3),
    )
    assert r3(fix, "Price_volatility") == (0.402, 0.155)
    assert r3(fix, "Zero_fill_steps") == (27.0, 4.273)
    assert r3(fix, "Inventory_volatility") == (28.335, 2.383)
    assert r3(fix, "Market_share") == (0.997, 0.004)
    assert r3(adv, "Zero_fill_steps") == (16.87, 3.681)
    assert r3(adv, "Price_volatility") == (0.531, 0.205)
    assert r3(adv, "Inventory_volatility") == (28.142, 2.443)


def test_two_agent_share_matches_closed_form():
    """Symmetric offsets d_X, d_Y: X's share of the order flow ~ 1/(1 + exp(1.5 (d_X - d_Y)))."""
    tr = simulate([ConstantQuoter(2.4, 2.4), ConstantQuoter(2.0, 2.0)], range(200))
    share = summarise(episode_metrics(tr))["Market_share"].mean
    assert share[0] == pytest.approx(1 / (1 + math.exp(1.5 * 0.4)), abs=0.01)


# ---------------------------------------------------------------------- invariants
@settings(max_examples=25, deadline=None)
@given(
    b=st.floats(-1, 6),
    a=st.floats(-1, 6),
    b2=st.floats(0, 5),
    a2=st.floats(0, 5),
    seed=st.integers(0, 10_000),
    lam=st.floats(0, 500),
    sig=st.floats(0, 2),
)
def test_market_invariants(b, a, b2, a2, seed, lam, sig):
    tr = simulate([ConstantQuoter(b, a), ConstantQuoter(b2, a2)], [seed], market=ConstantMarket(lam, sig))
    fb, fa = tr.fills_bid[0], tr.fills_ask[0]
    n = tr.arrivals[0]
    assert (fb >= 0).all() and (fa >= 0).all() and (fb <= 3).all() and (fa <= 3).all()
    assert (fa.sum(axis=1) <= n // 2).all() and (fb.sum(axis=1) <= n - n // 2).all()
    # inventory is cumulative net fills; PnL is cash plus marked inventory
    np.testing.assert_array_equal(tr.q[0], np.cumsum(fb - fa, axis=0))
    cash = np.cumsum(fa * tr.ask[0] - fb * tr.bid[0], axis=0)
    np.testing.assert_allclose(tr.pnl[0], cash + tr.q[0] * tr.price[0][:, None], atol=1e-8)
    m = summarise(episode_metrics(Trajectory(**{k: np.repeat(v, 2, axis=0) for k, v in vars(tr).items()})))
    assert 0 <= m["Fill_ratio"].mean <= 1 and np.all(m["Market_share"].mean <= 1)


def test_fill_weight():
    d = np.array([-0.01, 0.0, 1.0, 3.07, 3.071])
    np.testing.assert_allclose(fill_weight(d), [0, 1, math.exp(-1.5), math.exp(-1.5 * 3.07), 0])
    assert MarketConfig().d_max == pytest.approx(3.0701, abs=1e-4)


def test_benchmark_module_skew():
    q = np.array([[100, 0, 0, 0], [100, 0, 60, 0]], float)
    off = BenchmarkQuoter().quote(q, np.zeros((2, 0)))
    np.testing.assert_allclose(off, [[1.005, 1.005], [1.005 - 1.2, 1.005 + 1.2]])


# ---------------------------------------------------------------------- metrics
def _toy_traj(pnl, q, bid, ask, fb, fa, n, price=None):
    B, T, M = pnl.shape
    z = np.zeros((B, T))
    return Trajectory(
        np.arange(B),
        z + 100 if price is None else price,
        n,
        z,
        z,
        np.zeros_like(pnl),
        np.zeros_like(pnl),
        bid,
        ask,
        fb,
        fa,
        q,
        pnl,
        np.full_like(pnl, np.nan),
    )


def test_metrics_on_hand_made_trajectory():
    T = 200
    ramp = np.arange(1, T + 1, dtype=float)
    pnl = np.stack([ramp, -ramp], axis=-1)[None]
    q = np.stack([ramp, 0 * ramp], axis=-1)[None]
    bid = np.stack([99 + 0 * ramp, 99.005 + 0 * ramp], axis=-1)[None]
    ask = np.stack([101 + 0 * ramp, 101.5 + 0 * ramp], axis=-1)[None]
    fb = np.zeros((1, T, 2))
    fb[0, :10] = 1
    fa = np.zeros((1, T, 2))
    fa[0, 10:20, 0] = 1
    n = np.full((1, T), 2.0)
    m = episode_metrics(_toy_traj(pnl, q, bid, ask, fb, fa, n))
    # Sharpe of a linear ramp 1..T: ((T+1)/2) / sqrt((T^2-1)/12) -> sqrt 3
    assert m["Sharpe_ratio"][0, 0] == pytest.approx((T + 1) / 2 / math.sqrt((T * T - 1) / 12), rel=1e-6)
    assert m["Herding_ratio"][0] == 0.0  # asks 0.5 apart
    assert m["Quote_distance_bid"][0] == pytest.approx(0.005)
    assert m["Quote_distance_ask"][0] == pytest.approx(0.5)
    assert m["Fill_overlap_ratio"][0] == pytest.approx(10 / T)
    assert m["Zero_fill_steps"][0] == T - 20
    assert m["Market_share"][0, 0] == pytest.approx(20 / (2 * T), rel=1e-6)
    assert m["Joint_drawdown_ratio"][0] == 0.0  # X never loses
    assert m["Inventory_divergence"][0] == pytest.approx(np.std(ramp))
    assert m["Avg_spread"][0] == pytest.approx((2 + 2.495) / 2)


def test_summary_uses_sample_std():
    s = summarise({"x": np.array([1.0, 2.0, 3.0])})
    assert s["x"].std == pytest.approx(1.0)


# ---------------------------------------------------------------------- rewards and bad input
def test_rewards():
    r = role_reward("Bstar", np.array([2.0]), np.array([1.0]), np.array([0.7]), beta=10)
    assert r[0] == pytest.approx(0.7 * 2 - 0.3 * 1 - 10 * 0.04)
    assert role_reward("B2", np.array([5.0]), np.array([1.0]))[0] == -1.0
    assert role_reward("adversary", np.array([5.0]))[0] == -5.0


def test_actions_outside_box_are_clipped():
    np.testing.assert_allclose(offsets_from_action(np.array([-3.0, 7.0])), [0.0, 5.0])
    lam, sig = market_from_action(np.array([[2.0, -2.0]]), MarketConfig())
    assert lam[0] == 500 and sig[0] == pytest.approx(0.2)


def test_bad_input_errors():
    env = MarketMakerEnv("A")
    env.reset(seed=0)
    with pytest.raises(ValueError, match="finite"):
        env.step(np.array([np.nan, 0.0]))
    with pytest.raises(ValueError, match="lambda"):
        ConstantMarket(-1, 1.0)
    with pytest.raises(ValueError, match="sigma"):
        ConstantMarket(400, -0.1)
    with pytest.raises(ValueError, match="q_max"):
        MarketConfig(q_max=-1)
    with pytest.raises(ValueError, match="sigma"):
        MarketConfig(sigma=-1.0)
    with pytest.raises(ValueError, match="role"):
        MarketMakerEnv("C3")
    with pytest.raises(ValueError, match="opponent"):
        MarketMakerEnv("B2")
    with pytest.raises(ValueError, match="NaN"):
        c = MarketCore(n_agents=1)
        c.reset([0])
        c.step(np.array([[np.nan]]), np.array([[1.0]]))
    with pytest.raises(ValueError, match="beta"):
        role_reward("Bstar", np.ones(1), np.ones(1), np.ones(1), beta=-1)
    with pytest.raises(ValueError, match="seeds"):
        simulate([OPP], [-1])


# ---------------------------------------------------------------------- B1's fingerprint
def test_b1_ask_while_flat_reproduces_b1_cells():
    """Table 5's B1 cells: ask out of range until the first trade gives 0.995 / 0.990 shares
    and the adversarial inventory volatility 28.143 (A, always in range: 0.997 / 0.992, 28.142)."""
    from mmkit.marl import FlatQuoter

    r3 = lambda s, k: (
        round(float(np.atleast_1d(s[k].mean)[0]), 3),
        round(float(np.atleast_1d(s[k].std)[0]), 3),
    )
    q = FlatQuoter(2.37, 1.82)
    fix = summarise(episode_metrics(simulate([q], range(100))))
    adv = summarise(episode_metrics(simulate([q], range(100), market=ConstantMarket(500, 1.453))))
    assert r3(fix, "Market_share") == (0.995, 0.004)
    assert r3(fix, "Inventory_volatility") == (28.335, 2.383)
    assert r3(adv, "Market_share") == (0.99, 0.005)
    assert r3(adv, "Inventory_volatility") == (28.143, 2.443)


def test_first_step_ask_loss_shifts_inventory_by_a_constant():
    """Losing only the first step's buys shifts q_t (t >= 1) by a constant: inventory
    volatility is unchanged episode by episode, and the share drops by floor(N_1/2)/sum N."""
    from mmkit.marl import FlatQuoter

    base = simulate([ConstantQuoter(2.37, 1.82)], range(30))
    t0 = simulate([FlatQuoter(2.37, 1.82, first_step_only=True)], range(30))
    shift = t0.q[:, :, 0] - base.q[:, :, 0]
    np.testing.assert_array_equal(shift, shift[:, :1] * np.ones((1, shift.shape[1])))
    np.testing.assert_array_equal(shift[:, 0], base.arrivals[:, 0] // 2)
    np.testing.assert_allclose(
        episode_metrics(t0)["Inventory_volatility"], episode_metrics(base)["Inventory_volatility"], rtol=1e-12
    )


def test_flat_quoter_bad_input():
    from mmkit.marl import FlatQuoter

    with pytest.raises(ValueError, match="side"):
        FlatQuoter(1.0, 1.0, side="mid")
    with pytest.raises(ValueError, match="wide"):
        FlatQuoter(1.0, 1.0, wide=float("nan"))


# ---------------------------------------------------------------------- report helpers
def test_parse_paper_table_and_claim_labels():
    from mmkit.marl.evaluation import parse_paper_table

    text = """
    PnL_mean | 1.000 ± 0.500 / 2.000 ± 0.250 | 3.000 ± 1.000
    Mean_omega | - / 0.700 ± 0.002 | -
    Avg_spread | 4.000 ± 0.010 | 5.000 ± 0.020
    """
    t = parse_paper_table(text, ["X vs Y", "Z"])
    np.testing.assert_array_equal(t["X vs Y"]["PnL_mean"].mean, [1.0, 2.0])
    np.testing.assert_array_equal(t["X vs Y"]["PnL_mean"].std, [0.5, 0.25])
    assert "Mean_omega" not in t["Z"]
