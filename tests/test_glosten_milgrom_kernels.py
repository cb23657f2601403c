"""The DP's private kernels give exactly (bit for bit) what the validated public functions give.

:func:`solve_dp` computes the q-only terms of its q grid once and calls unvalidated kernels;
here a reference DP written with the public functions (:func:`update_factors`,
:func:`one_step_profit`, :func:`trade_probability`) must reproduce its values and policies
with ``np.array_equal`` (no tolerance).
"""

from __future__ import annotations

import numpy as np
import pytest

import mmkit.glosten_milgrom as gm
from mmkit.glosten_milgrom.dp import _continuation
from mmkit.glosten_milgrom.gaussian import _q_moments, _truncated_moments


def _public_objective(q, rho, k, xs, vs, gamma, method):
    """The node objective a(q) / (1 - b(q)) through the public, validated functions."""
    alpha, beta, _ = gm.update_factors(rho, q)
    x = rho * rho
    p_tr = gm.trade_probability(q)
    r = gm.one_step_profit(rho, q)
    ka, wa = _continuation(alpha**2 * x, xs, vs, k, method)
    kb, wb = _continuation(beta**2 * x, xs, vs, k, method)
    a = r + gamma * (p_tr * ka + (1.0 - p_tr) * kb)
    b = gamma * (p_tr * wa + (1.0 - p_tr) * wb)
    return a / (1.0 - b)


def _public_dp(params, grid, qg, method, refine):
    """The single upward pass of :func:`solve_dp`, every node evaluated by public functions."""
    gamma, xs = params.gamma, grid**2
    vs, qs = np.empty_like(grid), np.empty_like(grid)
    qs[0] = gm.Q_STAR
    vs[0] = 2.0 * gm.Q_STAR * float(gm.nsf(gm.Q_STAR)) / (1.0 - gamma)
    dq = float(np.min(np.diff(qg)))
    for k in range(1, grid.size):
        f = _public_objective(qg, grid[k], k, xs, vs, gamma, method)
        j = int(np.argmax(f))
        qbest, fbest = qg[j], f[j]
        if refine:
            half = dq
            for _ in range(3):
                cand = np.linspace(max(qbest - half, 0.0), qbest + half, 41)
                fc = _public_objective(cand, grid[k], k, xs, vs, gamma, method)
                jj = int(np.argmax(fc))
                if fc[jj] > fbest:
                    qbest, fbest = cand[jj], fc[jj]
                half = 2.0 * half / 40.0
        qs[k], vs[k] = qbest, fbest
    return vs, qs


@pytest.mark.parametrize(
    ("gamma", "method", "refine", "q_lo"),
    [
        (0.9, "self-consistent", True, 0.3),
        (0.9, "naive", True, 0.3),
        (0.5, "self-consistent", False, 0.3),
        (0.99, "self-consistent", True, 0.0),  # q = 0 candidates take the general moments path
    ],
)
def test_solve_dp_bit_identical_to_public_path(gamma, method, refine, q_lo):
    params = gm.GMParams(gamma=gamma)
    grid = np.concatenate([np.arange(0.0, 0.1, 0.02), np.arange(0.1, 4.0 + 1e-9, 0.1)])
    qg = np.arange(q_lo, 6.0 + 1e-9, 0.01)
    sol = gm.solve_dp(params, grid, q_grid=qg, method=method, refine=refine)
    v_ref, q_ref = _public_dp(params, grid, qg, method, refine)
    assert np.array_equal(sol.v, v_ref)
    assert np.array_equal(sol.q_grid_values, q_ref)


def test_evaluate_policy_bit_identical_to_public_path():
    params = gm.GMParams()
    grid = np.arange(0.0, 3.0 + 1e-9, 0.05)
    vs = gm.evaluate_policy(gm.q_myopic, params, grid)
    ref = np.empty_like(grid)
    q0 = float(gm.q_myopic(np.array([0.0]))[0])
    ref[0] = 2.0 * q0 * float(gm.nsf(q0)) / (1.0 - params.gamma)
    qk = np.asarray(gm.q_myopic(grid), dtype=float)
    for k in range(1, grid.size):
        q = np.array([qk[k]])
        ref[k] = _public_objective(q, grid[k], k, grid**2, ref, params.gamma, "self-consistent")[0]
    assert np.array_equal(vs, ref)


def test_q_moments_shortcut_equals_general_path():
    """The direct branches of :func:`_q_moments` equal :func:`_truncated_moments` exactly,
    in every branch (quadrature, textbook, continued fraction) and for any array length."""
    rng = np.random.default_rng(0)
    for n in (1, 7, 41, 2000):
        q = np.concatenate([rng.uniform(1e-9, 0.4, n), rng.uniform(0.2, 8.0, n), [0.3, 2.0, 1e-300, 40.0]])
        got = _q_moments(q)
        _, lam, var_trade = _truncated_moments(q, np.inf)
        _, _, var_hold = _truncated_moments(-q, q)
        for g, r in zip(got, (lam, var_trade, var_hold)):
            assert np.array_equal(g, r)


def test_public_functions_still_validate():
    with pytest.raises(ValueError, match="rho"):
        gm.one_step_profit(-1.0, 1.0)
    with pytest.raises(ValueError, match="q"):
        gm.one_step_profit(1.0, -0.5)
    with pytest.raises(ValueError, match="sigma_eps"):
        gm.one_step_profit(1.0, 1.0, sigma_eps=0.0)
    with pytest.raises(ValueError, match="q"):
        gm.trade_probability(np.nan)
    with pytest.raises(ValueError, match="q"):
        gm.update_factors(1.0, np.inf)


def test_simulate_updates_bit_identical_to_update_factors():
    """The simulation's belief path equals the public table update applied to its own trades."""
    params = gm.GMParams()
    res = gm.simulate(gm.zero_profit_rule(params), 2.0, params, n_runs=200, n_periods=30, seed=4)
    for t in range(30):
        mu, sig = res.mu[:, t], res.sigma[:, t]
        rho = sig / params.sigma_eps
        da, db = res.ask[:, t] - mu, mu - res.bid[:, t]
        q = np.clip(0.5 * (da + db), 0.0, None) / (params.sigma_eps * np.hypot(1.0, rho))
        alpha, beta, kappa = gm.update_factors(rho, q)
        x = res.trades[:, t]
        assert np.array_equal(res.mu[:, t + 1], mu + x * kappa * sig)
        assert np.array_equal(res.sigma[:, t + 1], np.where(x == 0, beta, alpha) * sig)


def test_simulate_refuses_non_finite_quotes():
    params = gm.GMParams()
    with pytest.raises(ValueError, match="finite"):
        gm.simulate(lambda mu, s: (mu - np.inf, mu + np.inf), 1.0, params, n_runs=5, n_periods=2, seed=0)


def test_evaluate_policy_validates_the_policy_once():
    grid = np.arange(0.0, 1.0 + 1e-9, 0.1)
    with pytest.raises(ValueError, match=r"q_of_rho\(rho\)"):
        gm.evaluate_policy(lambda r: np.asarray(r) - 0.5, gm.GMParams(), grid)
    with pytest.raises(ValueError, match=r"q_of_rho\(rho\)"):
        gm.evaluate_policy(lambda r: np.full(np.shape(r), np.nan), gm.GMParams(), grid)
