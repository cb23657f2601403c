r"""Checks of the paper's analytical statements: the Fig. 2 closed forms (by sympy), Theorem 2.1
(the variance never increases) through truncated-normal variances, and the plain fixed-point
iterations behind "10 standard fixed point iterations are sufficient".

Theorem 2.1, in the form proved here. Let the belief be :math:`V \sim N(\mu, \sigma^2)` and the
trader's estimate :math:`w = V + \varepsilon`, :math:`\varepsilon \sim N(0, \sigma_\varepsilon^2)`.
Every observation (buy, sell, no trade) is an event :math:`\{w \in (l, u)\}`. With
:math:`c = \sigma^2/(\sigma^2 + \sigma_\varepsilon^2) = \rho^2/(1+\rho^2)`, :math:`E[V \mid w] =
\mu + c(w - \mu)` and :math:`\mathrm{Var}(V \mid w) = (1 - c)\sigma^2`, so by the law of total
variance

.. math::

    \mathrm{Var}(V \mid w \in (l, u)) = \sigma^2\,[1 - c\,(1 - v)], \qquad
    v = \mathrm{Var}(Z \mid Z \in (l', u')),

with :math:`Z` standard normal and :math:`(l', u')` the standardised interval. A normal truncated
to an interval has variance :math:`0 < v < 1`, hence :math:`(1-c)\,\sigma^2 < \sigma'^2 <
\sigma^2`. For symmetric quotes :math:`v = 1 - \lambda(q)(\lambda(q) - q)` after a trade
(:math:`v < 1` is the Mills-ratio bound :math:`\lambda(q) > q`) and
:math:`v = 1 - 2qN(q)/(2\Phi(q) - 1)` after no trade.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from mmkit.common.validation import (
    check_array,
    check_bool,
    check_choice,
    check_nonnegative,
    check_nonnegative_int,
    check_positive,
    check_positive_int,
    check_real,
    check_real_array,
)
from mmkit.glosten_milgrom.gaussian import _mills, _npdf
from mmkit.glosten_milgrom.params import _check_rho
from mmkit.glosten_milgrom.quotes import q_myopic, q_zero_profit

__all__ = [
    "FIXED_POINT_KINDS",
    "cold_start_error",
    "fixed_point_table",
    "fixed_point_iterate",
    "integrals_vs_quadrature",
    "iterations_needed",
    "table_vs_exact",
    "table_vs_integrals",
    "theorem21_grid",
    "truncated_normal_variance",
    "variance_factor",
    "verify_integrals_sympy",
    "verify_update_table_sympy",
]


# ------------------------------------------------------------------------------ Theorem 2.1
def truncated_normal_variance(lo, hi):
    r"""Variance of a standard normal conditioned on :math:`Z \in (lo, hi)`.

    .. math:: v = 1 + \frac{l N(l) - u N(u)}{\Phi(u) - \Phi(l)}
              - \Big(\frac{N(l) - N(u)}{\Phi(u) - \Phi(l)}\Big)^2,

    with :math:`l N(l) = 0` at :math:`l = \pm\infty`. Computed on the side of the real line
    where the interval's probability has no cancellation.

    Parameters
    ----------
    lo, hi : array_like
        Interval ends, ``lo < hi`` (``-inf``/``inf`` allowed).
    """
    lo = check_real_array(lo, "lo", allow_inf=True)
    hi = check_real_array(hi, "hi", allow_inf=True)
    try:
        lo, hi = np.broadcast_arrays(lo, hi)
    except ValueError:
        raise ValueError(f"lo and hi must broadcast together, got shapes {lo.shape} and {hi.shape}") from None
    if np.any(lo >= hi):
        raise ValueError("lo and hi must satisfy lo < hi elementwise (an interval in [-inf, inf])")
    flip = lo > 0  # use the mirror image so the interval sits where Phi has no cancellation
    l_ = np.where(flip, -hi, lo)
    u_ = np.where(flip, -lo, hi)
    p = special.ndtr(u_) - special.ndtr(l_)
    nl, nu = _npdf(l_), _npdf(u_)
    with np.errstate(invalid="ignore"):
        ln = np.where(np.isinf(l_), 0.0, l_ * nl)
        un = np.where(np.isinf(u_), 0.0, u_ * nu)
    m = (nl - nu) / p
    return 1.0 + (ln - un) / p - m * m


def variance_factor(rho, lo, hi):
    r"""Posterior-to-prior variance ratio :math:`1 - c(1 - v)` of Theorem 2.1 (see the module
    docstring) for the event that the standardised trader estimate
    :math:`(w - \mu)/(\sigma_\varepsilon\sqrt{1+\rho^2})` lies in ``(lo, hi)``.

    For symmetric quotes :math:`\mu \pm q\sigma_\varepsilon\sqrt{1+\rho^2}`: a buy is
    ``(q, inf)``, no trade ``(-q, q)``, and the result equals :math:`\alpha^2`, :math:`\beta^2`
    of :func:`update_factors`.
    """
    rho = _check_rho(rho)
    c = rho**2 / (1.0 + rho**2)
    return 1.0 - c * (1.0 - truncated_normal_variance(lo, hi))


# ------------------------------------------------------------------------------ fixed points
#: The two fixed-point equations of the paper, as plain iterations q <- f(q).
FIXED_POINT_KINDS = ("zero-profit", "myopic")
#: Most plain iterations any function here runs (bounds the work of a bad argument).
MAX_ITER = 10**6


def _step(kind: str, rho, q):
    if kind == "zero-profit":
        return rho**2 / (1.0 + rho**2) * _mills(q)  # q = rho^2/(1+rho^2) N(q)/Q(q)
    return (1.0 + rho**2) / _mills(q)  # q = (1+rho^2) Q(q)/N(q)


def _root(kind: str, rho):
    return q_zero_profit(rho) if kind == "zero-profit" else q_myopic(rho)


def _kind(kind: str) -> str:
    return check_choice(kind, "kind", FIXED_POINT_KINDS)


def fixed_point_iterate(kind: str, rho, q0=1.0, n_iter: int = 10):
    r"""``n_iter`` plain iterations :math:`q \leftarrow f(q)` of the paper's fixed-point equation.

    ``kind="zero-profit"``: :math:`f(q) = \frac{\rho^2}{1+\rho^2}\frac{N(q)}{Q(q)}`;
    ``kind="myopic"``: :math:`f(q) = (1+\rho^2)\frac{Q(q)}{N(q)}`.

    Parameters
    ----------
    kind : {"zero-profit", "myopic"}
    rho : array_like, >= 0
    q0 : array_like
        Starting value(s), >= 0.
    n_iter : int, >= 0
    """
    _kind(kind)
    rho = _check_rho(rho)
    n_iter = check_nonnegative_int(n_iter, "n_iter", hi=MAX_ITER)
    q0 = check_real_array(q0, "q0", 0.0)
    try:
        q = np.broadcast_to(q0, np.shape(rho)).copy()
    except ValueError:
        raise ValueError(
            f"q0 must be a number or have the shape of rho {np.shape(rho)}, got {q0.shape}"
        ) from None
    for _ in range(int(n_iter)):
        q = _step(kind, rho, q)
    return q


def iterations_needed(
    kind: str, rhos, *, q0: float = 1.0, warm: bool = False, rtol: float = 1e-6, max_iter=10_000
):
    r"""Plain iterations until :math:`|q_n - q|/q \le` ``rtol`` (``q`` the exact root by
    safeguarded Newton), at each ``rho`` of ``rhos``.

    Parameters
    ----------
    kind : {"zero-profit", "myopic"}
    rhos : array_like, > 0, increasing when ``warm``
    q0 : float
        Cold start value (and the start at the first ``rho`` when ``warm``).
    warm : bool
        Start each ``rho`` from the exact root at the previous ``rho`` of the grid.
    rtol : float, in (0, 1)
    max_iter : int, in [1, MAX_ITER]
        Give up after this many (returns ``max_iter + 1`` there).

    Returns
    -------
    ndarray of int
    """
    _kind(kind)
    rhos = np.atleast_1d(check_real_array(rhos, "rhos", 0.0, lo_open=True))
    if rhos.ndim != 1:
        raise ValueError(f"rhos must be a number or a 1-D array of numbers > 0, got shape {rhos.shape}")
    q0 = check_nonnegative(q0, "q0")
    warm = check_bool(warm, "warm")
    rtol = check_real(rtol, "rtol", 0.0, 1.0, lo_open=True, hi_open=True)
    max_iter = check_positive_int(max_iter, "max_iter", hi=MAX_ITER)
    if warm and np.any(np.diff(rhos) <= 0):
        raise ValueError("rhos must be increasing when warm=True")
    roots = _root(kind, rhos)
    starts = np.full(rhos.shape, float(q0))
    if warm:
        starts[1:] = roots[:-1]
    q = starts.copy()
    n = np.zeros(rhos.shape, dtype=int)
    done = np.abs(q - roots) <= rtol * roots
    for it in range(1, int(max_iter) + 1):
        if done.all():
            break
        q = np.where(done, q, _step(kind, rhos, q))
        newly = ~done & (np.abs(q - roots) <= rtol * roots)
        n[newly] = it
        done |= newly
    n[~done] = int(max_iter) + 1
    return n


# ------------------------------------------------------------------------------ sympy (Fig. 2)
def _sympy_normal():
    import sympy as sp

    def N(z):
        return sp.exp(-(z**2) / 2) / sp.sqrt(2 * sp.pi)

    def Phi(z):
        return (1 + sp.erf(z / sp.sqrt(2))) / 2

    return sp, N, Phi


def _closed_forms():
    sp, N, Phi = _sympy_normal()
    a = sp.Symbol("alpha", real=True)
    b = sp.Symbol("beta", positive=True)
    s = sp.sqrt(1 + b**2)
    forms = {
        "I": Phi(a / s),
        "J": -b / s * N(a / s),
        "K": Phi(a / s) - a * b**2 * s**-3 * N(a / s),
    }
    return sp, N, Phi, a, b, forms


def verify_integrals_sympy() -> dict[str, tuple]:
    r"""Check the closed forms of :math:`I, J, K` (the paper's Fig. 2) with sympy.

    :math:`\int x^k N(x)\Phi(\alpha - \beta x)\,dx` (k = 0, 1, 2) is not integrated directly;
    its :math:`\alpha`-derivative, :math:`\int x^k N(x) N(\alpha - \beta x)\,dx`, is a plain
    Gaussian integral. A closed form with the same derivative and the same limit 0 as
    :math:`\alpha \to -\infty` is the integral.

    Returns
    -------
    dict
        ``{name: (residual of the derivatives, limit at -oo)}``; both 0 when the form is right.
    """
    sp, N, _, a, b, forms = _closed_forms()
    x = sp.Symbol("x", real=True)
    out = {}
    for k, (name, F) in enumerate(forms.items()):
        d_int = sp.integrate(x**k * N(x) * N(a - b * x), (x, -sp.oo, sp.oo))
        res = sp.simplify(sp.expand(sp.simplify((d_int - sp.diff(F, a)).rewrite(sp.erf))))
        out[name] = (res, sp.limit(F, a, -sp.oo))
    return out


def verify_update_table_sympy() -> dict[str, object]:
    r"""Derive the update table and the one-step profit from :math:`I, J, K` with sympy.

    In standardised units a buy at :math:`\mu + \delta` has :math:`A = 1 - I`, :math:`B = -J`,
    :math:`C = K - I` at :math:`\alpha = q\sqrt{1+\rho^2}`, :math:`\beta = \rho`; no trade is the
    difference between :math:`\alpha = \pm q\sqrt{1+\rho^2}`. With :math:`\mu' = \mu + \sigma B/A`
    and :math:`\sigma'^2 = \sigma^2(1 - (AC + B^2)/A^2)`, each entry below is the difference
    between the derived expression and the table's, simplified; all are 0 when the table holds.

    Returns
    -------
    dict
        ``kappa``, ``alpha2``, ``beta2``, ``mean shift (no trade)``, ``P(buy)``,
        ``P(no trade)``, ``profit``.
    """
    sp, N, Phi, a, b, forms = _closed_forms()
    q, rho = sp.symbols("q rho", positive=True)
    sr = sp.sqrt(1 + rho**2)
    Nq, Qq = N(q), 1 - Phi(q)

    def at(F, alpha):
        return F.subs(b, rho).subs(a, alpha)

    I_, J_, K_ = forms["I"], forms["J"], forms["K"]
    A1, B1, C1 = 1 - at(I_, q * sr), -at(J_, q * sr), at(K_ - I_, q * sr)
    A0 = at(I_, q * sr) - at(I_, -q * sr)
    B0 = at(J_, q * sr) - at(J_, -q * sr)
    C0 = at(I_ - K_, q * sr) - at(I_ - K_, -q * sr)
    alpha2 = 1 - rho**2 * Nq * (Nq - q * Qq) / ((1 + rho**2) * Qq**2)
    beta2 = 1 - 2 * rho**2 * q * Nq / ((1 + rho**2) * (2 * Phi(q) - 1))
    r_ask = q * sr * A1 + rho * at(J_, q * sr)
    profit = 2 * sr * (q * Qq - rho**2 / (1 + rho**2) * Nq)
    exprs = {
        "kappa": B1 / A1 - rho / sr * Nq / Qq,
        "alpha2": 1 - (A1 * C1 + B1**2) / A1**2 - alpha2,
        "beta2": 1 - (A0 * C0 + B0**2) / A0**2 - beta2,
        "mean shift (no trade)": B0,
        "P(buy)": A1 - Qq,
        "P(no trade)": A0 - (2 * Phi(q) - 1),
        "profit": 2 * r_ask - profit,
    }
    return {k: sp.simplify(v) for k, v in exprs.items()}


# ------------------------------------------------------------------------------ numerical checks
def integrals_vs_quadrature(n: int = 200, seed: int = 0) -> float:
    r"""Largest absolute difference between the closed forms :math:`I, J, K` and adaptive
    quadrature of :math:`\int x^k N(x)\Phi(\alpha - \beta x)\,dx` at ``n`` seeded random points
    :math:`\alpha \sim U(-4, 4)`, :math:`\beta \sim U(0, 5)`."""
    from scipy import integrate

    from mmkit.glosten_milgrom.gaussian import I_integral, J_integral, K_integral

    n = check_positive_int(n, "n", hi=100_000)
    seed = check_nonnegative_int(seed, "seed")
    rng = np.random.default_rng(seed)
    worst = 0.0
    for a, b in zip(rng.uniform(-4, 4, int(n)), rng.uniform(0, 5, int(n))):
        for k, f in enumerate((I_integral, J_integral, K_integral)):
            val, _ = integrate.quad(
                lambda x: x**k * _npdf(x) * special.ndtr(a - b * x),
                -12,
                12,
                points=[float(np.clip(a / b, -11.0, 11.0))],
                epsabs=1e-13,
                limit=200,
            )
            worst = max(worst, abs(float(f(a, b)) - val))
    return worst


def table_vs_exact(cases, v_grid=None):
    r"""The update table against the exact one-step posterior of a Gaussian prior.

    For each ``(rho, q)`` the prior :math:`N(0, \rho^2)` (``sigma_eps = 1``) is updated on a
    fine grid after a buy and after no trade at the quotes :math:`\pm q\sqrt{1+\rho^2}`.

    Returns
    -------
    rows : ndarray, shape (len(cases), 7)
        alpha, beta, kappa, exact sd'/sd after a buy, table alpha, exact sd'/sd after no
        trade, table beta.
    max_err : float
        Largest absolute error of the table's mean and sd over all cases and branches.
    """
    from mmkit.glosten_milgrom.exact import GridBelief
    from mmkit.glosten_milgrom.gaussian import half_spread, update_factors
    from mmkit.glosten_milgrom.params import GMParams

    cases = check_array(cases, "cases", shape=(None, 2))
    if np.any(cases[:, 0] <= 0) or np.any(cases[:, 1] < 0):
        raise ValueError("cases must be pairs (rho, q) with rho > 0 and q >= 0")
    if v_grid is None:
        v = np.linspace(-60, 60, 120001)
    else:
        v = check_array(v_grid, "v_grid", ndim=1)
        if v.size < 3 or np.any(np.diff(v) <= 0):
            raise ValueError("v_grid must be strictly increasing with at least 3 points")
    p = GMParams()
    rows, errs = [], []
    for r, q in cases:
        al, be, ka = (float(x) for x in update_factors(r, q))
        d = float(half_spread(r, q))
        prior = GridBelief.gaussian(0.0, r, v)
        out = []
        for x, (m, s) in ((1, (ka * r, al * r)), (0, (0.0, be * r))):
            post = prior.update(-d, d, x, p)
            errs += [abs(float(post.mean()) - m), abs(float(post.sd()) - s)]
            out += [float(post.sd()) / r, s / r]
        rows.append([al, be, ka, *out])
    return np.array(rows), max(errs)


def theorem21_grid(rho, q) -> dict[str, float]:
    r"""Theorem 2.1 on a grid: the factors :math:`\alpha^2, \beta^2` of :func:`update_factors`,
    their identity with :func:`variance_factor`, and the bounds of the proof.

    Returns
    -------
    dict
        ``max_factor`` (largest alpha^2 or beta^2 where rho > 0), ``min_gap`` (smallest
        1 - factor there), ``identity_err`` (largest |table - 1 + c(1 - v)|), ``lower_ok``
        (every factor >= 1 - c), ``n`` (grid points), ``alpha2``/``beta2`` (the grids).
    """
    from mmkit.glosten_milgrom.gaussian import update_factors

    rho = check_real_array(rho, "rho", 0.0).ravel()
    q = check_real_array(q, "q", 0.0).ravel()
    if not (rho > 0).any() or not (q > 0).any():
        raise ValueError("rho and q must each contain a value > 0 (Theorem 2.1 is about rho, q > 0)")
    R, Qg = np.meshgrid(rho, q, indexing="ij")
    a, b, _ = update_factors(R, Qg)
    a2, b2 = a**2, b**2
    pos = (R > 0) & (Qg > 0)
    fa = variance_factor(R[pos], Qg[pos], np.inf)
    fb = variance_factor(R[pos], -Qg[pos], Qg[pos])
    c = R[pos] ** 2 / (1 + R[pos] ** 2)
    top = np.maximum(a2[pos], b2[pos])
    return {
        "max_factor": float(top.max()),
        "min_gap": float((1 - top).min()),
        "identity_err": float(max(np.abs(fa - a2[pos]).max(), np.abs(fb - b2[pos]).max())),
        "lower_ok": bool(np.all(np.minimum(a2[pos], b2[pos]) >= 1 - c - 1e-12)),
        "n": int(R.size),
        "alpha2": a2,
        "beta2": b2,
    }


def fixed_point_table(warm_grid, cold_grid, tols=(1e-3, 1e-6), q0: float = 1.0):
    """Iterations the plain fixed-point iterations need, as a table.

    For each kind and tolerance: the most iterations over ``warm_grid`` warm-started from the
    previous node's root, the most over ``cold_grid`` from ``q0``, and the smallest rho of
    ``cold_grid`` needing more than 10 from the cold start (nan if none).

    Returns
    -------
    pandas.DataFrame
        Index (kind, rtol); columns ``max warm``, ``max cold``, ``cold > 10 from rho``.
    """
    import pandas as pd

    warm_grid = check_real_array(warm_grid, "warm_grid", 0.0, lo_open=True)
    if warm_grid.ndim != 1 or np.any(np.diff(warm_grid) <= 0):
        raise ValueError("warm_grid must be a strictly increasing 1-D grid of rho > 0")
    cold_grid = check_real_array(cold_grid, "cold_grid", 0.0, lo_open=True)
    if cold_grid.ndim != 1:
        raise ValueError(f"cold_grid must be a 1-D grid of rho > 0, got shape {cold_grid.shape}")
    tols = check_real_array(tols, "tols", 0.0, 1.0, lo_open=True, hi_open=True)
    if tols.ndim != 1:
        raise ValueError(f"tols must be a 1-D sequence of tolerances in (0, 1), got shape {tols.shape}")
    q0 = check_nonnegative(q0, "q0")
    rows, idx = [], []
    for kind in FIXED_POINT_KINDS:
        for tol in tols:
            w = iterations_needed(kind, warm_grid, warm=True, rtol=tol)
            c = iterations_needed(kind, cold_grid, q0=q0, rtol=tol)
            over = cold_grid[c > 10]
            rows.append([int(w.max()), int(c.max()), float(over.min()) if over.size else np.nan])
            idx.append((kind, f"{tol:g}"))
    return pd.DataFrame(
        rows,
        index=pd.MultiIndex.from_tuples(idx, names=["kind", "rtol"]),
        columns=["max warm", "max cold", "cold > 10 from rho"],
    )


def cold_start_error(rho: float, n_iter: int = 10, q0: float = 1.0) -> dict[str, float]:
    """Relative error of q after ``n_iter`` plain iterations from ``q0``, per kind.

    Parameters
    ----------
    rho : float, > 0
        (At rho = 0 the zero-profit root is 0 and a relative error is undefined.)
    n_iter : int, in [1, MAX_ITER]
    q0 : float, >= 0
    """
    rho = check_positive(rho, "rho")
    n_iter = check_positive_int(n_iter, "n_iter", hi=MAX_ITER)
    q0 = check_nonnegative(q0, "q0")
    return {
        kind: float(fixed_point_iterate(kind, rho, q0, n_iter) / _root(kind, rho) - 1.0)
        for kind in FIXED_POINT_KINDS
    }


def table_vs_integrals(n: int = 1000, seed: int = 0) -> float:
    r"""Largest difference between the update table (:func:`update_factors`) and the paper's
    equations (2)-(3) evaluated through the integrals A, B, C (:func:`gaussian_update`, which
    never uses the table), at ``n`` seeded random states :math:`\rho \sim U(0.01, 5)`,
    :math:`q \sim U(0.01, 4)` and observations; in units of the prior sd."""
    from mmkit.glosten_milgrom.gaussian import gaussian_update, update_factors

    n = check_positive_int(n, "n", hi=10**7)
    seed = check_nonnegative_int(seed, "seed")
    rng = np.random.default_rng(seed)
    rho, q = rng.uniform(0.01, 5, int(n)), rng.uniform(0.01, 4, int(n))
    x = rng.integers(-1, 2, int(n))
    d = q * np.sqrt(1 + rho**2)
    mu, sd = gaussian_update(np.zeros(n), rho, -d, d, x)
    a, b, k = update_factors(rho, q)
    return float(max(np.abs(mu - x * k * rho).max(), np.abs(sd - np.where(x == 0, b, a) * rho).max()))
