"""Glosten-Milgrom Gaussian beliefs at the extremes, against mpmath references.

``update_factors`` for rho from 0 to 1e12 and ``gaussian_update`` for sigma up to 1e6 (and quotes
far in the tails) must be finite and agree with 100-digit references; a trade observation that is
not -1, 0 or +1 is refused.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmkit.glosten_milgrom import (
    GMParams,
    gaussian_update,
    grid_likelihood,
    q_myopic,
    q_zero_profit,
    update_factors,
)

mp.mp.dps = 120


def _Q(t):
    """Upper normal tail, exact at any argument (mpmath erfc has no underflow)."""
    return mp.erfc(t / mp.sqrt(2)) / 2


def _trunc_ref(lo, hi):
    """P, E[Y], Var[Y] of N(0,1) truncated to [lo, hi] by the textbook formulas at 120 digits."""
    flip = hi <= 0
    if flip:
        lo, hi = -hi, -lo
    P = _Q(lo) - _Q(hi)
    phi = lambda t: mp.npdf(t) if mp.isfinite(t) else mp.mpf(0)  # noqa: E731
    tphi = lambda t: t * mp.npdf(t) if mp.isfinite(t) else mp.mpf(0)  # noqa: E731
    m = (phi(lo) - phi(hi)) / P
    v = 1 + (tphi(lo) - tphi(hi)) / P - m * m
    return P, (-m if flip else m), v


def _factors_ref(rho, q):
    rho, q = mp.mpf(rho), mp.mpf(q)
    c = rho**2 / (1 + rho**2)
    _, lam, vt = _trunc_ref(q, mp.inf)
    vh = _trunc_ref(-q, q)[2] if q > 0 else mp.mpf(0)
    return mp.sqrt(1 - c + c * vt), mp.sqrt(1 - c + c * vh), mp.sqrt(c) * lam


def _update_ref(mu, sigma, bid, ask, x, sigma_eps=1.0, noise=0.0):
    """Posterior mean and sd by the W-space formulas at 120 digits (mixture with the prior)."""
    mu, sigma, se = mp.mpf(mu), mp.mpf(sigma), mp.mpf(sigma_eps)
    s = mp.sqrt(sigma**2 + se**2)
    lo, hi = {1: (mp.mpf(ask), mp.inf), 0: (mp.mpf(bid), mp.mpf(ask)), -1: (-mp.inf, mp.mpf(bid))}[x]
    P, mY, vY = _trunc_ref((lo - mu) / s, (hi - mu) / s)
    m1, v1 = sigma / s * mY, se**2 / s**2 + sigma**2 / s**2 * vY
    n = mp.mpf(noise)
    p1 = (1 - n) * P / (n / 3 + (1 - n) * P)
    p0 = 1 - p1
    m, v = p1 * m1, p0 + p1 * v1 + p0 * p1 * m1**2
    return mu + sigma * m, sigma * mp.sqrt(v)


def _rel(a, b):
    b = float(b)
    return abs(float(a) - b) / abs(b) if b != 0 else abs(float(a))


RHOS = [0.0, 1e-8, 1e-3, 0.5, 1.0, 3.0, 50.0, 1e4, 1e8, 1.34e8, 1e12]
QS = [0.0, 1e-9, 0.3, 0.7518, 2.0, 5.0, 40.0, 1e4, 1e12]


@pytest.mark.parametrize("rho", RHOS)
def test_update_factors_match_mpmath(rho):
    for q in QS + [float(q_myopic(rho)), float(q_zero_profit(rho))]:
        got = update_factors(rho, q)
        ref = _factors_ref(rho, q)
        for g, r, name in zip(got, ref, ("alpha", "beta", "kappa")):
            assert np.isfinite(g), (rho, q, name)
            assert _rel(g, r) < 1e-12, (rho, q, name, float(g), float(r))


def test_beta_at_large_rho_is_one_over_rho_not_zero():
    # the old formula 1 - c * ratio cancelled to 0 at rho = 1e8 and gave NaN beyond 1.34e154
    _, beta, _ = update_factors(1e8, 0.0)
    assert _rel(beta, 1e-8) < 1e-14
    a, b, k = update_factors(1e200, 0.5)
    assert np.isfinite(a) and np.isfinite(b) and np.isfinite(k)


CASES = [
    # mu, sigma, bid, ask
    (0.0, 1e6, -0.5, 0.5),
    (0.0, 1e6, -3.0, 2.0),
    (10.0, 1e6, 1e5, 1e5 + 1.0),
    (0.0, 1e3, -0.1, 0.1),
    (0.0, 1.0, -0.7, 0.7),
    (0.0, 1.0, 40.0, 41.0),
    (0.0, 1.0, -45.0, 60.0),
    (2.0, 1e-6, 1.0, 3.0),
    (0.0, 0.0, -1.0, 1.0),
    (0.0, 30.0, 5e3, 5e3 + 1e-6),
]


@pytest.mark.parametrize("mu, sigma, bid, ask", CASES)
@pytest.mark.parametrize("x", [-1, 0, 1])
@pytest.mark.parametrize("noise", [0.0, 0.3])
def test_gaussian_update_matches_mpmath(mu, sigma, bid, ask, x, noise):
    params = GMParams(noise_share=noise)
    m, s = gaussian_update(mu, sigma, bid, ask, x, params)
    rm, rs = _update_ref(mu, sigma, bid, ask, x, noise=noise)
    assert np.isfinite(m) and np.isfinite(s)
    # the mean is compared on the scale of the prior sd (it may be 0), the sd relatively
    assert abs(float(m) - float(rm)) <= 1e-12 * max(sigma, abs(mu), 1.0)
    assert _rel(s, rs) < 1e-11, (float(s), float(rs))


def test_no_trade_at_sigma_1e6_keeps_the_posterior_sd():
    # the old A, B, C formulas cancelled and returned sd 0 here
    _, s = gaussian_update(0.0, 1e6, -0.5, 0.5, 0)
    assert abs(float(s) - 1.0408329997) < 1e-9


def test_w_space_formula_agrees_with_quadrature_over_v():
    """Independent check of the derivation: integrate the likelihood against the prior in V."""
    se, mu, sigma, bid, ask = 1.0, 0.3, 1.7, -0.4, 0.9
    with mp.workdps(30):
        _quadrature_check(se, mu, sigma, bid, ask)


def _quadrature_check(se, mu, sigma, bid, ask):
    for x in (-1, 0, 1):
        for noise in (0.0, 0.25):

            def lik(v, x=x, noise=noise):
                up = mp.ncdf((v - ask) / se)
                dn = mp.ncdf((bid - v) / se)
                inf = {1: up, -1: dn, 0: 1 - up - dn}[x]
                return noise / 3 + (1 - noise) * inf

            w = lambda v: lik(v) * mp.npdf(v, mu, sigma)  # noqa: E731
            z = mp.quad(w, [-mp.inf, mu, mp.inf])
            m1 = mp.quad(lambda v: v * w(v), [-mp.inf, mu, mp.inf]) / z
            m2 = mp.quad(lambda v: (v - m1) ** 2 * w(v), [-mp.inf, mu, mp.inf]) / z
            m, s = gaussian_update(mu, sigma, bid, ask, x, GMParams(noise_share=noise))
            assert abs(float(m) - float(m1)) < 1e-12
            assert _rel(s, mp.sqrt(m2)) < 1e-12


@settings(max_examples=150, deadline=None)
@given(
    mu=st.floats(-1e6, 1e6),
    log_sigma=st.floats(-6, 6),
    centre=st.floats(-1e6, 1e6),
    log_half=st.floats(-9, 3),
    x=st.sampled_from([-1, 0, 1]),
)
def test_gaussian_update_finite_and_variance_not_increased(mu, log_sigma, centre, log_half, x):
    sigma, half = 10.0**log_sigma, 10.0**log_half
    bid, ask = centre - half, centre + half
    m, s = gaussian_update(mu, sigma, bid, ask, x)
    assert np.isfinite(m) and np.isfinite(s)
    # the likelihood is log-concave, so the posterior variance is at most the prior's
    assert 0 < s <= sigma * (1 + 1e-12)


@settings(max_examples=150, deadline=None)
@given(rho=st.floats(0, 1e12), q=st.floats(0, 1e12))
def test_update_factors_finite_and_bounded(rho, q):
    a, b, k = update_factors(rho, q)
    assert 0 < a <= 1 and 0 < b <= 1 and 0 <= k < math.inf


@pytest.mark.parametrize("x", [0.5, 2, -2, float("nan"), "buy", None, True, [], np.array([1, 0.5])])
def test_trade_observation_must_be_minus_one_zero_or_one(x):
    with pytest.raises((ValueError, TypeError), match=r"x must be a trade observation in \{-1"):
        gaussian_update(0.0, 1.0, -0.5, 0.5, x)
    with pytest.raises((ValueError, TypeError), match=r"x must be a trade observation in \{-1"):
        grid_likelihood(np.linspace(-1, 1, 5), -0.5, 0.5, x)
