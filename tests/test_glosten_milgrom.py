"""Tests of mmkit.glosten_milgrom: closed forms against quadrature, the DP against value
iteration, market makers against brute force, the simulator against the DP, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

import mmkit.glosten_milgrom as gm
from mmkit.glosten_milgrom import (
    Q_STAR,
    AdaptiveGridPosterior,
    GMParams,
    GridBelief,
    evaluate_policy,
    gaussian_update,
    grid_likelihood,
    half_spread,
    myopic_rule,
    one_step_profit,
    optimal_rule,
    q_myopic,
    q_zero_profit,
    simulate,
    solve_dp,
    stabilisation_time,
    update_factors,
    zero_profit_rule,
)

P = GMParams()


@pytest.fixture(scope="module")
def sol():
    return solve_dp(P)


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "kw, name",
    [
        (dict(sigma_eps=0.0), "sigma_eps"),
        (dict(sigma_eps=-1.0), "sigma_eps"),
        (dict(gamma=0.0), "gamma"),
        (dict(gamma=1.0), "gamma"),
        (dict(gamma=1.5), "gamma"),
        (dict(noise_share=1.0), "noise_share"),
        (dict(noise_share=-0.1), "noise_share"),
    ],
)
def test_params_reject_bad_values(kw, name):
    with pytest.raises(ValueError, match=name):
        GMParams(**kw)


def test_negative_rho_rejected(sol):
    for f in (q_zero_profit, q_myopic, sol.q, sol.value):
        with pytest.raises(ValueError, match="rho"):
            f(-0.5)
    with pytest.raises(ValueError, match="rho"):
        update_factors(-1.0, 0.5)
    with pytest.raises(ValueError, match="rho"):
        simulate(zero_profit_rule(P), -1.0, n_runs=10, n_periods=2)
    with pytest.raises(ValueError, match="rho"):
        solve_dp(P, rho=[0.0, -0.1, 0.2])
    with pytest.raises(ValueError, match="rho"):
        sol.half_spread(sol.rho_max + 1)
    with pytest.raises(ValueError, match="starting at 0"):
        evaluate_policy(q_myopic, P, rho=[0.5, 1.0])  # V(0) anchors the upward pass


def test_bid_above_ask_rejected():
    with pytest.raises(ValueError, match="bid"):
        gaussian_update(0.0, 1.0, 1.0, -1.0, 0)
    with pytest.raises(ValueError, match="bid"):
        grid_likelihood(np.linspace(-1, 1, 5), 0.5, 0.0, 1)
    b = GridBelief.gaussian(0.0, 1.0, np.linspace(-5, 5, 101))
    with pytest.raises(ValueError, match="bid"):
        b.update(0.3, 0.1, 0)
    with pytest.raises(ValueError, match="bid"):
        simulate(lambda m, s: (m + 1, m - 1), 1.0, n_runs=5, n_periods=2)


def test_non_normalisable_belief_rejected():
    v = np.linspace(0, 1, 11)
    with pytest.raises(ValueError, match="normalisable"):
        GridBelief(v, np.zeros(11))
    with pytest.raises(ValueError, match="belief"):
        GridBelief(v, np.full(11, np.nan))
    # a point mass far below a bid: a sell there has probability 0 in floating point
    b = GridBelief(v, np.eye(11)[0])
    with pytest.raises(ValueError, match="normalisable"):
        b.update(-60.0, -50.0, -1)


def test_closed_form_mms_need_no_noise():
    p = GMParams(noise_share=0.2)
    for f in (zero_profit_rule, myopic_rule, solve_dp):
        with pytest.raises(ValueError, match="noise_share"):
            f(p)


# ----------------------------------------------------------------------------- integrals
@settings(max_examples=40, deadline=None)
@given(a=st.floats(-4, 4), b=st.floats(0.01, 6))
def test_IJK_closed_forms_match_quadrature(a, b):
    f = lambda x, k: x**k * stats.norm.pdf(x) * stats.norm.cdf(a - b * x)  # noqa: E731
    for k, closed in ((0, gm.I_integral), (1, gm.J_integral), (2, gm.K_integral)):
        num = integrate.quad(f, -np.inf, np.inf, args=(k,), epsabs=1e-12)[0]
        assert abs(float(closed(a, b)) - num) < 1e-8


def test_IJK_limits():
    for b in (0.3, 2.0):
        assert gm.I_integral(np.inf, b) == 1 and gm.I_integral(-np.inf, b) == 0
        assert gm.J_integral(np.inf, b) == 0 and gm.J_integral(-np.inf, b) == 0
        assert gm.K_integral(np.inf, b) == 1 and gm.K_integral(-np.inf, b) == 0


@settings(max_examples=60, deadline=None)
@given(rho=st.floats(0.01, 8), q=st.floats(0.001, 6), x=st.sampled_from([1, 0, -1]))
def test_table_equals_abc_moment_matching(rho, q, x):
    """The closed-form alpha, beta, kappa equal eqs. (2)-(3) with A, B, C (spec A.4)."""
    sig, se = rho * 1.3, 1.3
    d = half_spread(rho, q, se)
    mu1, s1 = gaussian_update(0.2, sig, 0.2 - d, 0.2 + d, x, GMParams(sigma_eps=se))
    a, b, k = update_factors(rho, q)
    assert mu1 == pytest.approx(0.2 + x * k * sig, rel=1e-9, abs=1e-9)
    assert s1 == pytest.approx((a if x else b) * sig, rel=1e-9)


@pytest.mark.parametrize(
    "rho, bid, ask, x", [(0.7, -0.4, 0.9, 1), (1.5, -0.4, 0.9, 0), (2.5, -2.0, 1.0, -1), (1.0, 0.3, 0.3, 1)]
)
def test_gaussian_update_matches_exact_posterior_moments(rho, bid, ask, x):
    """Moment matching = mean and sd of the exact one-step posterior (fine grid)."""
    v = np.linspace(-12 * rho, 12 * rho, 20001)
    post = GridBelief.gaussian(0.0, rho, v).update(bid, ask, x, P)
    m, s = gaussian_update(0.0, rho, bid, ask, x, P)
    assert m == pytest.approx(post.mean(), abs=1e-8)
    assert s == pytest.approx(post.sd(), abs=1e-8)


@pytest.mark.parametrize("share", [0.1, 0.5])
def test_gaussian_update_with_uninformed_traders(share):
    p = GMParams(noise_share=share)
    v = np.linspace(-15, 15, 30001)
    for x in (1, 0, -1):
        post = GridBelief.gaussian(0.3, 1.7, v).update(-0.5, 1.4, x, p)
        m, s = gaussian_update(0.3, 1.7, -0.5, 1.4, x, p)
        assert m == pytest.approx(post.mean(), abs=1e-8)
        assert s == pytest.approx(post.sd(), abs=1e-8)


# ----------------------------------------------------------------------------- Theorem 2.1
@settings(max_examples=300, deadline=None)
@given(rho=st.floats(0, 50), q=st.floats(0, 40))
def test_theorem_2_1_variance_never_increases(rho, q):
    a, b, k = update_factors(rho, q)
    assert 0 <= a <= 1 and 0 <= b <= 1 and k >= 0
    if rho > 0.1 and q < 7:  # strict inequality visible in floating point
        assert a < 1 and b < 1


@settings(max_examples=200, deadline=None)
@given(sig=st.floats(0.01, 20), b=st.floats(-10, 10), w=st.floats(0, 10), x=st.sampled_from([1, 0, -1]))
def test_theorem_2_1_any_quotes(sig, b, w, x):
    """sigma_{t+1} <= sigma_t for any bid <= ask, not only symmetric quotes."""
    p_x = gm.abc_integrals(*{1: (np.inf, b + w), 0: (b + w, b), -1: (b, -np.inf)}[x], 0.0, sig)[0]
    if p_x < 1e-12:  # observation numerically impossible: nothing to check
        return
    _, s1 = gaussian_update(0.0, sig, b, b + w, x)
    assert s1 <= sig * (1 + 1e-12)


# ----------------------------------------------------------------------------- market makers
def test_q_star_and_value_at_zero(sol):
    assert Q_STAR == pytest.approx(0.751792, abs=1e-6)
    assert float(sol.value(0.0)) == pytest.approx(3.39942, abs=1e-5)


@pytest.mark.parametrize("rho", [0.0, 0.05, 0.5, 1.0, 3.0, 7.0])
def test_fixed_points(rho):
    qz, qm = float(q_zero_profit(rho)), float(q_myopic(rho))
    assert float(one_step_profit(rho, qz)) == pytest.approx(0.0, abs=1e-12)
    grid = np.linspace(0.0, 12.0, 240001)
    r = one_step_profit(rho, grid)
    assert qm == pytest.approx(grid[np.argmax(r)], abs=1e-4)


def test_grid_prices_match_gaussian_closed_forms():
    v = np.linspace(-14, 14, 28001)
    for rho in (0.5, 2.0):
        bel = GridBelief.gaussian(0.4, rho, v)
        bz, az = bel.zero_profit_quotes(P)
        d = half_spread(rho, q_zero_profit(rho))
        assert (bz, az) == pytest.approx((0.4 - d, 0.4 + d), abs=1e-6)
        bm, am = bel.myopic_quotes(P)
        d = half_spread(rho, q_myopic(rho))
        assert (bm, am) == pytest.approx((0.4 - d, 0.4 + d), abs=1e-5)


def test_grid_prices_of_a_skewed_belief_are_zero_profit():
    v = np.linspace(-6, 6, 2401)
    bel = GridBelief.gaussian(0.0, 1.0, v).update(0.5, 0.5, 1, P)  # after a buy: skewed
    b, a = bel.zero_profit_quotes(P)
    rb, ra = bel.expected_profit(b, a, P)
    assert abs(rb) < 1e-9 and abs(ra) < 1e-9
    assert b < float(bel.mean()) < a


# ----------------------------------------------------------------------------- dynamic programme
def test_single_pass_equals_value_iteration():
    """Independent method: full value iteration on the same grid converges to the same V."""
    p = GMParams()
    rho = np.linspace(0, 2, 41)
    qg = np.arange(0.3, 4.0, 0.01)
    sp = solve_dp(p, rho, q_grid=qg, refine=False)
    xs = rho**2
    a, b, _ = update_factors(rho[:, None], qg[None, :])
    r = one_step_profit(rho[:, None], qg[None, :])
    ptr = 2 * gm.nsf(qg)[None, :]
    V = np.zeros_like(rho)
    for _ in range(3000):
        cont = ptr * np.interp(a**2 * xs[:, None], xs, V) + (1 - ptr) * np.interp(b**2 * xs[:, None], xs, V)
        Vn = (r + p.gamma * cont).max(axis=1)
        Vn[0] = sp.v[0]
        if np.max(np.abs(Vn - V)) < 1e-13:
            break
        V = Vn
    assert np.max(np.abs(V - sp.v)) < 1e-9


def test_naive_interpolation_overstates(sol):
    naive = solve_dp(P, method="naive")
    gap = naive.v - sol.v
    assert gap.min() >= -1e-12 and gap.max() > 0.01


def test_policy_evaluation_of_the_optimal_policy_is_its_value(sol):
    v = evaluate_policy(sol.q, P, sol.rho)
    assert np.max(np.abs(v - sol.v)) < 2e-3


def test_optimal_beats_myopic_and_spec_values(sol):
    """Spec A.8 VERIFIED values (Fig. 3a theory +-0.005, Fig. 3b half-spreads +-0.01)."""
    rho = np.array([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4])
    opt = [3.399, 2.916, 2.480, 2.182, 1.950, 1.755, 1.585, 1.433, 1.295]
    assert np.max(np.abs(sol.value(rho) - opt)) <= 0.005
    myo = evaluate_policy(q_myopic, P, sol.rho)
    assert np.all(myo <= sol.v + 1e-9)
    hs = [0.752, 0.959, 1.460, 2.100, 2.834, 3.648, 4.538, None, 6.515]
    for r, h in zip(rho, hs):
        if h is not None:
            assert abs(float(sol.half_spread(r)) - h) <= 0.01


def test_value_scales_with_sigma_eps():
    a = solve_dp(GMParams(sigma_eps=1.0), np.linspace(0, 1, 21))
    b = solve_dp(GMParams(sigma_eps=2.5), np.linspace(0, 1, 21))
    assert np.allclose(b.value(0.6), 2.5 * a.value(0.6))
    assert np.allclose(b.half_spread(0.6), 2.5 * a.half_spread(0.6))


# ----------------------------------------------------------------------------- simulation
def test_simulation_is_seeded_and_paired(sol):
    r1 = simulate(optimal_rule(sol), 2.0, n_runs=300, n_periods=20, seed=3)
    r2 = simulate(optimal_rule(sol), 2.0, n_runs=300, n_periods=20, seed=3)
    z = simulate(zero_profit_rule(P), 2.0, n_runs=300, n_periods=20, seed=3)
    assert np.array_equal(r1.profit, r2.profit)
    assert np.array_equal(r1.value, z.value)  # same V for every rule (common random numbers)


def test_simulated_trades_are_consistent_with_quotes(sol):
    r = simulate(optimal_rule(sol), 1.5, n_runs=500, n_periods=30, seed=1)
    buy, sell = r.trades == 1, r.trades == -1
    V = r.value[:, None]
    assert np.allclose(r.profit[buy], (r.ask - V)[buy])
    assert np.allclose(r.profit[sell], (V - r.bid)[sell])
    assert np.all(r.profit[r.trades == 0] == 0)
    assert np.all(np.diff(r.sigma, axis=1) <= 1e-12)  # Theorem 2.1 along every path
    assert np.allclose(r.spread, 2 * sol.half_spread(r.sigma[:, :-1]))


@pytest.mark.parametrize("rho", [0.0, 1.0, 3.0])
def test_gaussian_world_matches_dp_theory(sol, rho):
    for rule, theory in (
        (optimal_rule(sol), float(sol.value(rho))),
        (myopic_rule(P), float(np.interp(rho, sol.rho, evaluate_policy(q_myopic, P)))),
    ):
        m, se = simulate(rule, rho, n_runs=4000, seed=11, world="gaussian").mean_discounted_profit()
        assert abs(m - theory) < 4 * se + 1e-3


def test_adaptive_posterior_matches_fixed_fine_grid(sol):
    """The per-run adaptive grid reproduces a fixed very fine grid, path by path."""
    r = simulate(optimal_rule(sol), 2.0, n_runs=6, n_periods=60, seed=5, track_exact=True)
    v = np.linspace(-20, 20, 40001)
    for i in range(6):
        b = GridBelief.gaussian(0.0, 2.0, v)
        for t in range(60):
            b = b.update(r.bid[i, t], r.ask[i, t], r.trades[i, t], P)
        assert float(b.mean()) == pytest.approx(r.exact_mean[i, -1], abs=2e-5)
        assert float(b.sd()) == pytest.approx(r.exact_sd[i, -1], rel=2e-4)
    assert r.lost_mass < 1e-6
    assert np.all(r.kl[:, 0] < 1e-10)  # prior is Gaussian: no divergence at t = 0


def test_noise_traders_in_simulation():
    p = GMParams(noise_share=0.5)
    rule = gm.SymmetricRule(lambda rho: np.full_like(rho, 1.0), name="fixed")
    r = simulate(rule, 1.0, p, n_runs=4000, n_periods=5, seed=2)
    # half the traders are uninformed and trade 2/3 of the time; the informed trade 2Q(1)
    expect = 0.5 * 2 / 3 + 0.5 * 2 * gm.nsf(1.0)
    assert abs(r.trade_rate()[0] - expect) < 0.03


def test_stabilisation_time():
    thr = 1.1 * 2 * Q_STAR
    assert stabilisation_time(np.array([5, 3, thr + 1e-9, thr, 1.0])) == 3
    assert stabilisation_time(np.array([5.0, 4.0])) is None
    assert stabilisation_time(np.array([1.0, 5.0])) == 0


def test_adaptive_posterior_validation():
    with pytest.raises(ValueError, match="sigma0"):
        AdaptiveGridPosterior(0.0, 0.0, 5)
