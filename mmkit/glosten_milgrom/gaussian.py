"""Gaussian beliefs: normal helpers, the integrals I, J, K and the moment-matched update (Das & Magdon-Ismail, sec. 2.5)."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from mmkit.glosten_milgrom.params import GMParams, _check_q, _check_rho

__all__ = [
    "I_integral",
    "J_integral",
    "K_integral",
    "abc_integrals",
    "gaussian_update",
    "half_spread",
    "mills",
    "ncdf",
    "npdf",
    "nsf",
    "one_step_profit",
    "trade_probability",
    "update_factors",
]

_SQRT2 = math.sqrt(2.0)
_SQRT2PI = math.sqrt(2.0 * math.pi)


def npdf(x):
    """Standard normal density N(x)."""
    x = np.asarray(x, dtype=float)
    return np.exp(-0.5 * x * x) / _SQRT2PI


def ncdf(x):
    """Standard normal cdf Phi(x) (accurate in both tails via ``ndtr``)."""
    return special.ndtr(x)


def nsf(x):
    """Standard normal survival function Q(x) = 1 - Phi(x), accurate for large x."""
    return special.ndtr(-np.asarray(x, dtype=float))


def mills(q):
    """Inverse Mills ratio lambda(q) = N(q)/Q(q), stable for all q (through ``erfcx``)."""
    q = np.asarray(q, dtype=float)
    return math.sqrt(2.0 / math.pi) / special.erfcx(q / _SQRT2)


def I_integral(a, b):
    """I(a, b) = int N(x) Phi(a - b x) dx = Phi(a / sqrt(1 + b^2)); I(+inf)=1, I(-inf)=0."""
    a = np.asarray(a, dtype=float)
    return ncdf(a / np.sqrt(1.0 + np.asarray(b, dtype=float) ** 2))


def J_integral(a, b):
    """J(a, b) = int x N(x) Phi(a - b x) dx = -b/sqrt(1+b^2) N(a/sqrt(1+b^2)); 0 at +-inf."""
    a = np.asarray(a, dtype=float)
    s = np.sqrt(1.0 + np.asarray(b, dtype=float) ** 2)
    with np.errstate(invalid="ignore"):
        out = -(b / s) * npdf(a / s)
    return np.where(np.isinf(a), 0.0, out)


def K_integral(a, b):
    """K(a, b) = int x^2 N(x) Phi(a - b x) dx = I - a b^2 (1+b^2)^(-3/2) N(a/sqrt(1+b^2)).

    K(+inf) = 1, K(-inf) = 0.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    s = np.sqrt(1.0 + b**2)
    with np.errstate(invalid="ignore"):
        out = I_integral(a, b) - a * b**2 * s**-3 * npdf(a / s)
    return np.where(np.isinf(a), I_integral(a, b), out)


def abc_integrals(z_plus, z_minus, mu, sigma, sigma_eps: float = 1.0):
    """The integrals A, B, C of Das & Magdon-Ismail (their Fig. 2) for one observation.

    For a belief N(mu, sigma^2) and the likelihood F(z+ - V) - F(z- - V) of the observation
    ((z+, z-) = (+inf, a), (a, b), (b, -inf) for a buy, no trade, sell), with the standardised
    value Z = (V - mu)/sigma:

    ``A = E[lik]``, ``B = E[Z lik]``, ``C = A - E[Z^2 lik]`` (so ``C = L(z+) - L(z-)`` with
    ``L = I - K``). Then ``mu' = mu + sigma B/A`` and ``sigma'^2 = sigma^2 (1 - (A C + B^2)/A^2)``.
    """
    rho = np.asarray(sigma, dtype=float) / sigma_eps
    s = np.sqrt(1.0 + rho**2)
    ap = (np.asarray(z_plus, dtype=float) - mu) / sigma_eps
    am = (np.asarray(z_minus, dtype=float) - mu) / sigma_eps
    # A = I(ap) - I(am) = Phi(ap/s) - Phi(am/s), evaluated on the side without cancellation
    up = am > 0
    A = np.where(
        up, special.ndtr(-am / s) - special.ndtr(-ap / s), special.ndtr(ap / s) - special.ndtr(am / s)
    )
    B = J_integral(ap, rho) - J_integral(am, rho)
    return A, B, _L_integral(ap, rho) - _L_integral(am, rho)


def _L_integral(a, b):
    """L = I - K = a b^2 (1+b^2)^(-3/2) N(a/sqrt(1+b^2)), 0 at +-inf (no cancellation)."""
    a = np.asarray(a, dtype=float)
    s = np.sqrt(1.0 + np.asarray(b, dtype=float) ** 2)
    with np.errstate(invalid="ignore"):
        out = a * b**2 * s**-3 * npdf(a / s)
    return np.where(np.isinf(a), 0.0, out)


def update_factors(rho, q):
    """Closed-form (alpha, beta, kappa) of the Gaussian update for symmetric quotes.

    Parameters
    ----------
    rho : array_like
        Information disadvantage sigma_t / sigma_eps, >= 0.
    q : array_like
        Normalised half-spread delta / (sigma_eps sqrt(1 + rho^2)), >= 0.

    Returns
    -------
    alpha, beta, kappa : ndarray
        sigma_{t+1} = alpha sigma_t after a trade, beta sigma_t after no trade; the mean
        moves by +-kappa sigma_t after a buy/sell.
    """
    rho = _check_rho(rho)
    q = _check_q(q)
    c = rho**2 / (1.0 + rho**2)
    lam = mills(q)
    alpha2 = 1.0 - c * lam * (lam - q)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(q > 1e-7, 2.0 * q * npdf(q) / special.erf(q / _SQRT2), 1.0 - q**2 / 3.0)
    beta2 = 1.0 - c * ratio
    kappa = np.sqrt(c) * lam
    return np.sqrt(np.clip(alpha2, 0.0, None)), np.sqrt(np.clip(beta2, 0.0, None)), kappa


def one_step_profit(rho, q, sigma_eps: float = 1.0):
    """Expected one-period profit r = 2 sigma_eps sqrt(1+rho^2) [q Q(q) - rho^2/(1+rho^2) N(q)]."""
    rho = _check_rho(rho)
    q = _check_q(q)
    s = np.sqrt(1.0 + rho**2)
    return 2.0 * sigma_eps * s * (q * nsf(q) - rho**2 / (1.0 + rho**2) * npdf(q))


def trade_probability(q):
    """Probability 2 Q(q) that the next trader trades at symmetric quotes (Gaussian belief)."""
    return 2.0 * nsf(_check_q(q))


def half_spread(rho, q, sigma_eps: float = 1.0):
    """Half-spread delta = q sigma_eps sqrt(1 + rho^2)."""
    return np.asarray(q, dtype=float) * sigma_eps * np.sqrt(1.0 + _check_rho(rho) ** 2)


def gaussian_update(mu, sigma, bid, ask, x, params: GMParams = GMParams()):
    """Moment-matched Gaussian belief update after observing x in {+1, 0, -1}.

    Works for any quotes (not only symmetric) and any ``noise_share``: the observation
    likelihood is ``s/3 + (1 - s) (F(z+ - V) - F(z- - V))`` with ``s = noise_share``, whose
    moments under N(mu, sigma^2) follow from :func:`abc_integrals`. With ``s = 0`` and symmetric
    quotes it equals the closed-form table (:func:`update_factors`). Vectorised over arrays.

    Returns
    -------
    mu_new, sigma_new : ndarray
    """
    mu = np.asarray(mu, dtype=float)
    sigma = np.asarray(sigma, dtype=float)
    bid = np.asarray(bid, dtype=float)
    ask = np.asarray(ask, dtype=float)
    x = np.asarray(x)
    if np.any(bid > ask):
        raise ValueError("bid must be <= ask")
    if np.any(sigma < 0):
        raise ValueError(f"sigma must be >= 0, got {sigma}")
    zp = np.where(x == 1, np.inf, np.where(x == 0, ask, bid))
    zm = np.where(x == 1, ask, np.where(x == 0, bid, -np.inf))
    A, B, C = abc_integrals(zp, zm, mu, sigma, params.sigma_eps)
    s = params.noise_share
    Abar = s / 3.0 + (1.0 - s) * A
    Bbar = (1.0 - s) * B
    M2 = s / 3.0 + (1.0 - s) * (A - C)
    with np.errstate(invalid="ignore", divide="ignore"):
        m1 = Bbar / Abar
        var_ratio = M2 / Abar - m1**2
    bad = ~(Abar > 0)
    if np.any(bad & (sigma > 0)):
        raise ValueError(
            "observation has zero probability under the belief (non-normalisable "
            "posterior): check bid/ask and x"
        )
    m1 = np.where(bad, 0.0, m1)
    var_ratio = np.where(bad, 1.0, np.clip(var_ratio, 0.0, None))
    return mu + sigma * m1, sigma * np.sqrt(var_ratio)


def _fast_update(mu, sigma, bid, ask, x, params: GMParams):
    """:func:`gaussian_update`, through the closed-form table when quotes are symmetric."""
    if params.noise_share == 0:
        da, db = ask - mu, mu - bid
        if np.allclose(da, db, rtol=1e-12, atol=1e-12 * params.sigma_eps):
            rho = sigma / params.sigma_eps
            q = np.clip(0.5 * (da + db), 0.0, None) / (params.sigma_eps * np.sqrt(1.0 + rho**2))
            alpha, beta, kappa = update_factors(rho, q)
            return mu + x * kappa * sigma, np.where(x == 0, beta, alpha) * sigma
    return gaussian_update(mu, sigma, bid, ask, x, params)
