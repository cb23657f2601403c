"""Gaussian beliefs: normal helpers, the integrals I, J, K and the moment-matched update (Das & Magdon-Ismail, sec. 2.5)."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from mmkit.common.validation import check_positive, check_real_array
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


# The special functions below are elementwise maps, like ``scipy.special``'s ufuncs: a NaN
# entry gives NaN in the same place (IEEE propagation, so arrays with gaps keep their shape),
# infinities give the limits stated in each docstring and an empty array gives an empty
# result. They refuse what is not a real number (strings, None, booleans, complex, objects)
# and infinities where no limit is defined. The underscored versions skip the check (inner loops).
def _x(x, name: str = "x"):
    """A real argument of an elementwise map (NaN and +-inf pass; see the note above)."""
    return check_real_array(x, name, allow_inf=True, allow_nan=True, nonempty=False)


def npdf(x):
    """Standard normal density N(x), elementwise (N(+-inf) = 0; NaN propagates)."""
    return _npdf(_x(x))


def _npdf(x):
    x = np.asarray(x, dtype=float)
    return np.exp(-0.5 * x * x) / _SQRT2PI


def ncdf(x):
    """Standard normal cdf Phi(x) (accurate in both tails via ``ndtr``; Phi(-inf) = 0,
    Phi(inf) = 1; NaN propagates)."""
    return special.ndtr(_x(x))


def nsf(x):
    """Standard normal survival function Q(x) = 1 - Phi(x), accurate for large x
    (Q(-inf) = 1, Q(inf) = 0; NaN propagates)."""
    return _nsf(_x(x))


def _nsf(x):
    return special.ndtr(-np.asarray(x, dtype=float))


def mills(q):
    """Inverse Mills ratio lambda(q) = N(q)/Q(q), stable for all q (through ``erfcx``);
    lambda(-inf) = 0, lambda(inf) = inf (it grows like q); NaN propagates."""
    return _mills(_x(q, "q"))


def _mills(q):
    q = np.asarray(q, dtype=float)
    return math.sqrt(2.0 / math.pi) / special.erfcx(q / _SQRT2)


def _ab(a, b):
    """``a`` (+-inf: the limits) and ``b`` (finite: at ``b = +-inf`` the closed forms are 0/0)."""
    return _x(a, "a"), check_real_array(b, "b", allow_nan=True, nonempty=False)


def I_integral(a, b):
    """I(a, b) = int N(x) Phi(a - b x) dx = Phi(a / sqrt(1 + b^2)); I(+inf)=1, I(-inf)=0.

    Elementwise in broadcastable ``a`` (real, +-inf allowed) and ``b`` (real, finite); NaN
    propagates.
    """
    return _I(*_ab(a, b))


def _I(a, b):
    a = np.asarray(a, dtype=float)
    return special.ndtr(a / np.sqrt(1.0 + np.asarray(b, dtype=float) ** 2))


def J_integral(a, b):
    """J(a, b) = int x N(x) Phi(a - b x) dx = -b/sqrt(1+b^2) N(a/sqrt(1+b^2)); 0 at +-inf.

    Arguments as in :func:`I_integral`.
    """
    return _J(*_ab(a, b))


def _J(a, b):
    a = np.asarray(a, dtype=float)
    s = np.sqrt(1.0 + np.asarray(b, dtype=float) ** 2)
    with np.errstate(invalid="ignore"):
        out = -(b / s) * _npdf(a / s)
    return np.where(np.isinf(a), 0.0, out)


def K_integral(a, b):
    """K(a, b) = int x^2 N(x) Phi(a - b x) dx = I - a b^2 (1+b^2)^(-3/2) N(a/sqrt(1+b^2)).

    K(+inf) = 1, K(-inf) = 0. Arguments as in :func:`I_integral`.
    """
    return _K(*_ab(a, b))


def _K(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    s = np.sqrt(1.0 + b**2)
    with np.errstate(invalid="ignore"):
        out = _I(a, b) - a * b**2 * s**-3 * _npdf(a / s)
    return np.where(np.isinf(a), _I(a, b), out)


def abc_integrals(z_plus, z_minus, mu, sigma, sigma_eps: float = 1.0):
    """The integrals A, B, C of Das & Magdon-Ismail (their Fig. 2) for one observation.

    For a belief N(mu, sigma^2) and the likelihood F(z+ - V) - F(z- - V) of the observation
    ((z+, z-) = (+inf, a), (a, b), (b, -inf) for a buy, no trade, sell), with the standardised
    value Z = (V - mu)/sigma:

    ``A = E[lik]``, ``B = E[Z lik]``, ``C = A - E[Z^2 lik]`` (so ``C = L(z+) - L(z-)`` with
    ``L = I - K``). Then ``mu' = mu + sigma B/A`` and ``sigma'^2 = sigma^2 (1 - (A C + B^2)/A^2)``.

    Parameters
    ----------
    z_plus, z_minus : array_like
        Ends of the observation's interval of the noisy value, not NaN (+-inf allowed),
        ``z_minus <= z_plus`` elementwise.
    mu, sigma : array_like
        Belief mean (finite) and standard deviation (finite, >= 0).
    sigma_eps : float
        Noise standard deviation, finite and > 0.
    """
    zp = check_real_array(z_plus, "z_plus", allow_inf=True)
    zm = check_real_array(z_minus, "z_minus", allow_inf=True)
    mu = check_real_array(mu, "mu")
    sigma = check_real_array(sigma, "sigma", 0.0)
    sigma_eps = check_positive(sigma_eps, "sigma_eps")
    try:
        np.broadcast_shapes(zp.shape, zm.shape, mu.shape, sigma.shape)
    except ValueError:
        raise ValueError(
            f"z_plus, z_minus, mu and sigma must have broadcastable shapes, got "
            f"{zp.shape}, {zm.shape}, {mu.shape}, {sigma.shape}"
        ) from None
    if np.any(zm > zp):
        raise ValueError("z_minus must be <= z_plus elementwise (the observation's interval)")
    return _abc(zp, zm, mu, sigma, sigma_eps)


def _abc(z_plus, z_minus, mu, sigma, sigma_eps: float = 1.0):
    """:func:`abc_integrals` without validation."""
    rho = np.asarray(sigma, dtype=float) / sigma_eps
    s = np.sqrt(1.0 + rho**2)
    ap = (np.asarray(z_plus, dtype=float) - mu) / sigma_eps
    am = (np.asarray(z_minus, dtype=float) - mu) / sigma_eps
    # A = I(ap) - I(am) = Phi(ap/s) - Phi(am/s), evaluated on the side without cancellation
    up = am > 0
    A = np.where(
        up, special.ndtr(-am / s) - special.ndtr(-ap / s), special.ndtr(ap / s) - special.ndtr(am / s)
    )
    B = _J(ap, rho) - _J(am, rho)
    return A, B, _L_integral(ap, rho) - _L_integral(am, rho)


def _L_integral(a, b):
    """L = I - K = a b^2 (1+b^2)^(-3/2) N(a/sqrt(1+b^2)), 0 at +-inf (no cancellation)."""
    a = np.asarray(a, dtype=float)
    s = np.sqrt(1.0 + np.asarray(b, dtype=float) ** 2)
    with np.errstate(invalid="ignore"):
        out = a * b**2 * s**-3 * _npdf(a / s)
    return np.where(np.isinf(a), 0.0, out)


# ------------------------------------------------- truncated normal moments (stable everywhere)
_GL_X, _GL_W = np.polynomial.legendre.leggauss(40)
_CF_FROM = 2.0  # below this the tail ratios are computed directly (cancellation < 1e-14)
_CF_DEPTH = 130  # 120 terms already agree with 1000 to 3e-16 for every x >= 2
_QUAD_WIDTH = 0.6  # intervals containing 0 narrower than this: quadrature


def _tail_ratios(x):
    r"""``D = lambda(x) - x`` and ``E = 1/D - x`` for ``x >= 0`` without cancellation.

    ``lambda(x) = x + 1/(x + 2/(x + 3/(x + ...)))`` (Laplace's continued fraction), so
    ``D = t_1``, ``E = t_2`` with ``t_k = k / (x + t_{k+1})``; evaluated backwards for
    ``x >= _CF_FROM`` and directly from :func:`mills` below. The continued fraction runs only
    on the entries that need it (elementwise, so the results do not depend on the others).
    """
    x = np.asarray(x, dtype=float)
    xs = np.minimum(x, _CF_FROM)
    D = _mills(xs) - xs
    E = 1.0 / D - xs
    big = x >= _CF_FROM
    if np.any(big):
        xc = x[big]
        t = np.zeros_like(xc)
        for k in range(_CF_DEPTH, 2, -1):
            t = k / (xc + t)
        E_cf = 2.0 / (xc + t)
        D = np.array(D, copy=True)
        E = np.array(E, copy=True)
        D[big] = 1.0 / (xc + E_cf)
        E[big] = E_cf
    return D, E


def _quad_right(a, w):
    """40-point Gauss-Legendre moments of ``T`` on ``[0, w]`` (see :func:`_right_moments`)."""
    wq = w[..., None]
    t = 0.5 * wq * (1.0 + _GL_X)
    f = _GL_W * np.exp(-a[..., None] * t - 0.5 * t * t)  # weights without the factor w/2
    f0 = f.sum(axis=-1)
    q1 = (f * t).sum(axis=-1) / f0
    q2 = (f * (t - q1[..., None]) ** 2).sum(axis=-1) / f0
    return 0.5 * w * f0, q1, q2


def _closed_right(a, w):
    """Closed-form moments of ``T`` on ``[0, w]`` through the tail ratios (wide intervals)."""
    b = a + w
    fin = np.isfinite(b)
    M0a, M1a, M2a = _tail_integrals(a)
    Db, Eb = _tail_ratios(np.where(fin, b, 0.0))
    e = np.where(fin, np.exp(-w * (a + 0.5 * w)), 0.0)
    wf = np.where(np.isfinite(w), w, 0.0)
    Rb = 1.0 / (b + Db)
    Rb = np.where(fin, Rb, 0.0)
    M0 = M0a - e * Rb
    M1 = M1a - e * (wf + Db) * Rb
    M2 = M2a - e * (wf * wf + 2.0 * wf * Db + Eb / (b + Eb)) * Rb
    return _mean_var(M0, M1, M2)


def _tail_integrals(a):
    r"""``(M0, M1, M2)``: the integrals of :math:`T^k e^{-aT - T^2/2}` over :math:`[0, \infty)`
    for ``k = 0, 1, 2`` (``a >= 0``), through the tail ratios ``D``, ``E`` of :func:`_tail_ratios`:
    :math:`M_0 = R = 1/(a + D)`, :math:`M_1 = D R`, :math:`M_2 = R E / (a + E)`."""
    Da, Ea = _tail_ratios(a)
    Ra = 1.0 / (a + Da)
    return Ra, Da * Ra, Ra * Ea / (a + Ea)


def _mean_var(M0, M1, M2):
    """``(M0, mean, variance)`` from the integrals ``M0, M1, M2`` of a density's first moments."""
    m = M1 / M0
    return M0, m, M2 / M0 - m * m


def _upper_moments(a):
    """:func:`_right_moments` for ``w = inf`` (``a >= 0`` finite, a 1-D array) without the
    dispatch: the closed forms of :func:`_closed_right`, whose terms at ``b = inf`` are exact
    zeros (so the values are bit-identical)."""
    return _mean_var(*_tail_integrals(a))


def _right_moments(a, w):
    r"""Mass factor, mean and variance of :math:`T = Y - a`, :math:`Y \sim N(0,1)` on
    :math:`[a, a + w]`, for :math:`a \ge 0`, :math:`w > 0` (``w`` may be ``inf``).

    Returns ``M0 = P(a <= Y <= a + w) / N(a)``, ``E[T]`` and ``Var[T]``. The density of ``T`` is
    proportional to :math:`e^{-aT - T^2/2}` on :math:`[0, w]`. When its log-range
    :math:`\Delta = w (a + w/2) \le 5`, 40-point Gauss-Legendre quadrature (exact to rounding for
    so smooth an integrand); otherwise closed forms through the tail ratios ``D``, ``E`` of
    :func:`_tail_ratios`, in which every subtraction is of terms differing by a factor
    :math:`e^{\Delta} > 100`. Each branch runs only on its own entries.
    """
    a, w = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(w, dtype=float))
    out = [np.empty(a.shape), np.empty(a.shape), np.empty(a.shape)]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        narrow = w * (a + 0.5 * w) <= 5.0
        for mask, fn in ((narrow, _quad_right), (~narrow, _closed_right)):
            if np.any(mask):
                for o, v in zip(out, fn(a[mask], w[mask])):
                    o[mask] = v
    return out[0], out[1], out[2]


def _truncated_moments(lo, hi):
    r"""``P(lo <= Y <= hi)``, ``E[Y]`` and ``Var[Y]`` for :math:`Y \sim N(0, 1)` truncated to
    ``[lo, hi]`` (``lo < hi``; either end may be infinite, not both), stable in both tails and
    for arbitrarily narrow intervals (relative error about 1e-14 in every output that does not
    underflow). Intervals on one side of 0 are shifted to their inner end (:func:`_right_moments`);
    intervals containing 0 use quadrature when shorter than ``_QUAD_WIDTH`` and the textbook
    formulas otherwise (their cancellation costs at most about 3e-14 relative there).
    Each case runs only on its own entries.
    """
    lo, hi = np.broadcast_arrays(np.asarray(lo, dtype=float), np.asarray(hi, dtype=float))
    P_out, m_out, v_out = np.empty(lo.shape), np.empty(lo.shape), np.empty(lo.shape)
    left = hi <= 0  # reflect Y -> -Y so that the interval starts at a >= 0
    a = np.where(left, -hi, lo)
    b = np.where(left, -lo, hi)
    right = a >= 0
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if np.any(right):
            ar, lr = a[right], left[right]
            M0, mt, vt = _right_moments(ar, b[right] - ar)
            P_out[right] = _npdf(ar) * M0
            m_out[right] = np.where(lr, -(ar + mt), ar + mt)
            v_out[right] = vt
        mid = ~right  # intervals containing 0
        if np.any(mid):
            P_out[mid], m_out[mid], v_out[mid] = _mid_moments(lo[mid], hi[mid])
    return P_out, m_out, v_out


def _mid_moments(lo0, hi0):
    """:func:`_truncated_moments` for 1-D arrays of intervals containing 0 (``lo0 < 0 < hi0``):
    quadrature when shorter than ``_QUAD_WIDTH``, the textbook formulas otherwise."""
    width = hi0 - lo0
    short = width <= _QUAD_WIDTH  # textbook formulas lose < 1e-13 (relative) above it
    Pm, mm, vm = np.empty(lo0.shape), np.empty(lo0.shape), np.empty(lo0.shape)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if np.any(short):
            ws, ls = width[short], lo0[short]
            y = ls[:, None] + 0.5 * ws[:, None] * (1.0 + _GL_X)
            f = _GL_W * _npdf(y)
            f0 = f.sum(axis=-1)
            q1 = (f * y).sum(axis=-1) / f0
            Pm[short] = 0.5 * ws * f0
            mm[short] = q1
            vm[short] = (f * (y - q1[:, None]) ** 2).sum(axis=-1) / f0
        wide = ~short
        if np.any(wide):
            l1, h1 = lo0[wide], hi0[wide]
            P = special.ndtr(h1) - special.ndtr(l1)
            pl = np.where(np.isfinite(l1), _npdf(l1), 0.0)
            ph = np.where(np.isfinite(h1), _npdf(h1), 0.0)
            m0 = (pl - ph) / P
            s2 = 1.0 + (np.where(np.isfinite(l1), l1 * pl, 0.0) - np.where(np.isfinite(h1), h1 * ph, 0.0)) / P
            Pm[wide], mm[wide], vm[wide] = P, m0, s2 - m0 * m0
    return Pm, mm, vm


def _check_obs(x, name: str = "x") -> np.ndarray:
    """Trade observations as an int array with values in {-1, 0, +1} (anything else refused)."""
    arr = np.asarray(x)
    if arr.dtype.kind not in "iuf" or arr.size == 0:
        raise TypeError(
            f"{name} must be a trade observation in {{-1 (sell), 0 (no trade), +1 (buy)}}, "
            f"got {type(x).__name__} {x!r}"
        )
    if not np.all((arr == -1) | (arr == 0) | (arr == 1)):
        raise ValueError(
            f"{name} must be a trade observation in {{-1 (sell), 0 (no trade), +1 (buy)}}, got {x!r}"
        )
    return arr.astype(np.int64)


def _c_and_1mc(rho):
    """``c = rho^2/(1+rho^2)`` and ``1 - c = 1/(1+rho^2)`` without overflow or cancellation."""
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        inv = np.where(rho > 1.0, 1.0 / np.where(rho > 1.0, rho, 1.0), 0.0)
        big = rho > 1.0
        c = np.where(big, 1.0 / (1.0 + inv * inv), rho * rho / (1.0 + rho * rho))
        one_minus_c = np.where(big, inv * inv / (1.0 + inv * inv), 1.0 / (1.0 + rho * rho))
    return c, one_minus_c


def update_factors(rho, q):
    r"""Closed-form (alpha, beta, kappa) of the Gaussian update for symmetric quotes.

    With :math:`c = \rho^2/(1+\rho^2)` and :math:`Y \sim N(0, 1)`,
    :math:`\alpha^2 = (1 - c) + c\,\mathrm{Var}[Y \mid Y \ge q]`,
    :math:`\beta^2 = (1 - c) + c\,\mathrm{Var}[Y \mid |Y| \le q]` and
    :math:`\kappa = \sqrt{c}\, E[Y \mid Y \ge q] = \sqrt{c}\,\lambda(q)`. Written this way
    (instead of :math:`1 - c\lambda(\lambda - q)`) nothing cancels: ``1 - c`` is computed as
    :math:`1/(1+\rho^2)` and the truncated variances by :func:`_truncated_moments`, so every
    factor keeps a relative accuracy of about 1e-14 for :math:`0 \le \rho \le 10^{300}` and any
    :math:`q \ge 0` (e.g. :math:`\beta \to 1/\rho` at :math:`q = 0`).

    Parameters
    ----------
    rho : array_like
        Information disadvantage sigma_t / sigma_eps, >= 0 and finite.
    q : array_like
        Normalised half-spread delta / (sigma_eps sqrt(1 + rho^2)), >= 0 and finite.

    Returns
    -------
    alpha, beta, kappa : ndarray
        sigma_{t+1} = alpha sigma_t after a trade, beta sigma_t after no trade; the mean
        moves by +-kappa sigma_t after a buy/sell.
    """
    rho = _check_rho(rho)
    q = _check_q(q)
    if not np.all(np.isfinite(q)):
        raise ValueError(f"q must be finite and >= 0, got {q}")
    return _factors(rho, q)


def _factors(rho: np.ndarray, q: np.ndarray):
    """:func:`update_factors` without validation (inner loops that pass checked arrays)."""
    return _factors_from(rho, _q_moments(q))


def _q_moments(q: np.ndarray):
    r"""The parts of :func:`update_factors` that depend on q alone (no validation).

    Returns ``(lambda(q), Var[Y | Y >= q], Var[Y | |Y| <= q])`` (the last is 0 at ``q = 0``),
    so that a dynamic programme can compute them once for a fixed q grid and combine them
    with every rho by :func:`_factors_from`.
    """
    if q.ndim == 1 and np.all(np.isfinite(q) & (q > 0)):
        # the branches _truncated_moments would take, without its dispatch (same arithmetic)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            _, mt, var_trade = _upper_moments(q)
            _, _, var_hold = _mid_moments(-q, q)
        return q + mt, var_trade, var_hold
    _, lam, var_trade = _truncated_moments(q, np.inf)
    _, _, var_hold = _truncated_moments(-q, np.where(q > 0, q, 1.0))
    var_hold = np.where(q > 0, var_hold, 0.0)
    return lam, var_trade, var_hold


def _factors_from(rho: np.ndarray, moments):
    """(alpha, beta, kappa) from rho and the q-moments of :func:`_q_moments` (no validation)."""
    lam, var_trade, var_hold = moments
    c, one_minus_c = _c_and_1mc(rho)
    alpha = np.sqrt(one_minus_c + c * var_trade)
    beta = np.sqrt(one_minus_c + c * var_hold)
    return alpha, beta, np.sqrt(c) * lam


def one_step_profit(rho, q, sigma_eps: float = 1.0):
    """Expected one-period profit r = 2 sigma_eps sqrt(1+rho^2) [q Q(q) - rho^2/(1+rho^2) N(q)]."""
    rho = _check_rho(rho)
    q = _check_q(q)
    sigma_eps = check_positive(sigma_eps, "sigma_eps")
    return _one_step_profit(rho, q, sigma_eps)


def _one_step_profit(rho, q, sigma_eps: float = 1.0):
    """:func:`one_step_profit` without validation (inner loops that pass checked arrays)."""
    return _profit_from(rho, _profit_terms(q), sigma_eps)


def _profit_terms(q):
    """The q-only terms ``(q Q(q), N(q))`` of the one-step profit (no validation)."""
    return q * _nsf(q), _npdf(q)


def _profit_from(rho, terms, sigma_eps: float = 1.0):
    """One-step profit from rho and the q-terms of :func:`_profit_terms` (no validation)."""
    q_sf, pdf = terms
    s = np.sqrt(1.0 + rho**2)
    return 2.0 * sigma_eps * s * (q_sf - rho**2 / (1.0 + rho**2) * pdf)


def trade_probability(q):
    """Probability 2 Q(q) that the next trader trades at symmetric quotes (Gaussian belief)."""
    return _trade_probability(_check_q(q))


def _trade_probability(q):
    """:func:`trade_probability` without validation."""
    return 2.0 * _nsf(q)


def half_spread(rho, q, sigma_eps: float = 1.0):
    """Half-spread delta = q sigma_eps sqrt(1 + rho^2)."""
    sigma_eps = check_positive(sigma_eps, "sigma_eps")
    return _check_q(q) * sigma_eps * np.hypot(1.0, _check_rho(rho))


def gaussian_update(mu, sigma, bid, ask, x, params: GMParams = GMParams()):
    r"""Moment-matched Gaussian belief update after observing x in {+1, 0, -1}.

    Works for any quotes (not only symmetric) and any ``noise_share``. An informed trader with
    :math:`W = V + \varepsilon` buys when :math:`W > \text{ask}`, sells when
    :math:`W < \text{bid}` and holds otherwise. Under the belief :math:`V \sim N(\mu, \sigma^2)`,
    :math:`W \sim N(\mu, s^2)` with :math:`s^2 = \sigma^2 + \sigma_\varepsilon^2` and
    :math:`V \mid W \sim N(\mu + (\sigma^2/s^2)(W - \mu),\ \sigma^2\sigma_\varepsilon^2/s^2)`, so
    with :math:`Y = (W - \mu)/s` truncated to the observation's interval :math:`[l, h]`,

    .. math::  \mu' = \mu + \frac{\sigma^2}{s} E[Y], \qquad
               \sigma'^2 = \frac{\sigma^2 \sigma_\varepsilon^2}{s^2} + \frac{\sigma^4}{s^2}\mathrm{Var}[Y].

    The truncated moments come from :func:`_truncated_moments` (stable for narrow intervals
    and far tails), so the result keeps a relative accuracy of about 1e-13 for any
    :math:`\sigma / \sigma_\varepsilon` up to 1e12 and quotes far from the mean. With
    ``noise_share`` :math:`s_n > 0` the posterior is the mixture of the prior (weight
    :math:`s_n/3`) and the informed posterior (weight :math:`(1-s_n) P(x)`), moment-matched.
    With :math:`s_n = 0` and symmetric quotes it equals the closed-form table
    (:func:`update_factors`). Vectorised over arrays.

    Parameters
    ----------
    mu, sigma : array_like
        Belief mean (finite) and standard deviation (finite, >= 0).
    bid, ask : array_like
        Quotes, finite, ``bid <= ask``.
    x : array_like of int
        Observation: +1 buy, 0 no trade, -1 sell (anything else is refused).
    params : GMParams
        ``sigma_eps`` and ``noise_share``.

    Returns
    -------
    mu_new, sigma_new : ndarray
    """
    if not isinstance(params, GMParams):
        raise TypeError(f"params must be a GMParams, got {type(params).__name__}")
    mu = _finite_array(mu, "mu")
    sigma = _finite_array(sigma, "sigma")
    bid = _finite_array(bid, "bid")
    ask = _finite_array(ask, "ask")
    x = _check_obs(x)
    if np.any(bid > ask):
        raise ValueError("bid must be <= ask")
    if np.any(sigma < 0):
        raise ValueError(f"sigma must be >= 0 and finite, got {sigma}")
    se = params.sigma_eps
    s_tot = np.hypot(sigma, se)
    zp = np.where(x == 1, np.inf, np.where(x == 0, ask, bid))
    zm = np.where(x == 1, ask, np.where(x == 0, bid, -np.inf))
    empty = ~(zp > zm)
    with np.errstate(invalid="ignore", divide="ignore"):
        P, mY, vY = _truncated_moments((zm - mu) / s_tot, np.where(empty, zm + se, zp - mu) / s_tot)
        r = sigma / s_tot
        m1 = r * mY
        v1 = (se / s_tot) ** 2 + r * r * vY
    sn = params.noise_share
    if sn:
        P = np.where(empty, 0.0, P)
        Abar = sn / 3.0 + (1.0 - sn) * P
        p1 = (1.0 - sn) * P / Abar
        p0 = 1.0 - p1
        m1 = np.where(p1 > 0, m1, 0.0)
        v1 = np.where(p1 > 0, v1, 1.0)
        mean = p1 * m1
        var = p0 + p1 * v1 + p0 * p1 * m1 * m1
    else:
        if np.any(empty & (sigma > 0)):
            raise ValueError(
                "observation has zero probability under the belief (non-normalisable "
                "posterior): no trade is impossible when bid == ask"
            )
        mean = np.where(empty, 0.0, m1)
        var = np.where(empty, 1.0, v1)
    return mu + sigma * mean, sigma * np.sqrt(np.clip(var, 0.0, None))


def _finite_array(v, name: str) -> np.ndarray:
    """``v`` as a float array of finite numbers (``TypeError``/``ValueError`` naming ``name``)."""
    try:
        a = np.asarray(v, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a finite number or array of numbers, got {type(v).__name__}"
        ) from None
    if isinstance(v, (str, bytes)) or v is None or isinstance(v, bool):
        raise TypeError(f"{name} must be a finite number or array of numbers, got {type(v).__name__}")
    if a.size == 0:
        raise ValueError(f"{name} must not be empty")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite (no NaN or inf), got {v!r}")
    return a


def _fast_update(mu, sigma, bid, ask, x, params: GMParams):
    """:func:`gaussian_update`, through the closed-form table when quotes are symmetric.

    For the simulation loop: ``sigma`` comes from validated states (finite, >= 0), so rho needs
    no check; non-finite quotes go to :func:`gaussian_update`, which refuses them.
    """
    if params.noise_share == 0:
        da, db = ask - mu, mu - bid
        if np.allclose(da, db, rtol=1e-12, atol=1e-12 * params.sigma_eps):
            rho = sigma / params.sigma_eps
            q = np.clip(0.5 * (da + db), 0.0, None) / (params.sigma_eps * np.hypot(1.0, rho))
            if np.all(np.isfinite(q)):
                alpha, beta, kappa = _factors(np.asarray(rho, dtype=float), np.asarray(q, dtype=float))
                return mu + x * kappa * sigma, np.where(x == 0, beta, alpha) * sigma
    return gaussian_update(mu, sigma, bid, ask, x, params)
