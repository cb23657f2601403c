"""Exact beliefs on a grid: the likelihood of a trade, grid posteriors, divergences to the Gaussian state."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from mmkit.common.numerics import logsumexp
from mmkit.common.validation import (
    check_array,
    check_finite,
    check_int,
    check_positive,
    check_positive_int,
    check_real_array,
)
from mmkit.glosten_milgrom.gaussian import _check_obs
from mmkit.glosten_milgrom.params import GMParams

__all__ = ["AdaptiveGridPosterior", "GridBelief", "belief_divergences", "grid_likelihood"]


def grid_likelihood(v, bid, ask, x, params: GMParams = GMParams()):
    """Exact likelihood P(x | V = v) on a grid (broadcasts v against bid/ask/x).

    ``F(z+ - v) - F(z- - v)`` mixed with the uninformed share. The no-trade probability, a
    difference of two cdfs, is evaluated on the side of the mid-quote where both terms are small
    (``Phi(v-b) - Phi(v-a)`` below it, ``Phi(a-v) - Phi(b-v)`` above), so it keeps full relative
    precision far in the tails (``1 - P(buy) - P(sell)`` would round to 0 there).
    """
    if not isinstance(params, GMParams):
        raise TypeError(f"params must be a GMParams, got {type(params).__name__}")
    v = check_real_array(v, "v")
    bid = check_real_array(bid, "bid")
    ask = check_real_array(ask, "ask")
    if np.any(bid > ask):
        raise ValueError("bid must be <= ask")
    x = _check_obs(x)
    se = params.sigma_eps
    buy = special.ndtr((v - ask) / se)
    sell = special.ndtr((bid - v) / se)
    below = v < 0.5 * (bid + ask)
    comp = special.ndtr(np.where(below, v - bid, ask - v) / se)
    hold = np.clip(comp - np.where(below, buy, sell), 0.0, None)
    lik = np.where(x == 1, buy, np.where(x == -1, sell, hold))
    s = params.noise_share
    return s / 3.0 + (1.0 - s) * lik if s else lik


@dataclass
class GridBelief:
    """An exact belief about V on a uniform grid: probability mass per cell.

    ``p`` may carry leading batch dimensions (one belief per simulated run); the grid is shared.

    Parameters
    ----------
    v : ndarray, shape (n,)
        Uniform grid of values (cell centres).
    p : ndarray, shape (..., n)
        Probability mass of each cell; normalised on construction.
    """

    v: np.ndarray
    p: np.ndarray

    def __post_init__(self) -> None:
        self.v = check_array(self.v, "v", ndim=1)
        self.p = check_array(self.p, "p (the belief's cell masses)", lo=0.0)
        if self.v.ndim != 1 or self.v.size < 2 or np.any(np.diff(self.v) <= 0):
            raise ValueError("v must be an increasing 1-D grid with >= 2 points")
        self.p = np.array(self.p, dtype=float, copy=True)
        if self.p.shape[-1] != self.v.size:
            raise ValueError(f"p must end with the grid size {self.v.size}, got {self.p.shape}")
        self.p = self._normalise(self.p)

    @staticmethod
    def _normalise(p: np.ndarray) -> np.ndarray:
        if np.any(p < 0) or np.any(~np.isfinite(p)):
            raise ValueError("p (belief) must be finite and >= 0")
        z = p.sum(axis=-1, keepdims=True)
        if np.any(~(z > 0)) or np.any(~np.isfinite(z)):
            raise ValueError("p (belief) is not normalisable: total mass is 0 or not finite")
        return p / z

    @classmethod
    def gaussian(cls, mu, sigma, v) -> GridBelief:
        """Discretised N(mu, sigma^2) (mu, sigma may be arrays: a batch of beliefs)."""
        mu = np.asarray(mu, dtype=float)[..., None]
        sigma = np.asarray(sigma, dtype=float)[..., None]
        if np.any(sigma <= 0):
            raise ValueError(f"sigma must be > 0, got {sigma.ravel()}")
        z = (np.asarray(v, dtype=float) - mu) / sigma
        return cls(v, np.exp(-0.5 * z * z))

    @property
    def h(self) -> float:
        return float(self.v[1] - self.v[0])

    def mean(self) -> np.ndarray:
        return self.p @ self.v

    def sd(self) -> np.ndarray:
        m = self.mean()
        return np.sqrt(np.clip(self.p @ (self.v**2) - m**2, 0.0, None))

    def update(self, bid, ask, x, params: GMParams = GMParams()) -> GridBelief:
        """Exact Bayes update p'(v) = p(v) q(v; b, a) / A (spec A.2). Returns a new belief."""
        bid = np.asarray(bid, dtype=float)[..., None]
        ask = np.asarray(ask, dtype=float)[..., None]
        x = np.asarray(x)[..., None]
        return GridBelief(self.v, self.p * grid_likelihood(self.v, bid, ask, x, params))

    # -- prices for a general belief (spec A.3); scalar beliefs only
    def _scalar(self) -> None:
        if self.p.ndim != 1:
            raise ValueError("prices are computed for one belief at a time (p must be 1-D)")

    def expected_profit(self, bid: float, ask: float, params: GMParams = GMParams()):
        """(r_bid, r_ask): expected profit of each side, including uninformed traders."""
        self._scalar()
        se, s = params.sigma_eps, params.noise_share
        pb = s / 3 + (1 - s) * special.ndtr((bid - self.v) / se)
        pa = s / 3 + (1 - s) * special.ndtr((self.v - ask) / se)
        return float(self.p @ ((self.v - bid) * pb)), float(self.p @ ((ask - self.v) * pa))

    def zero_profit_quotes(self, params: GMParams = GMParams()) -> tuple[float, float]:
        """Competitive quotes: b = E[V | sell], a = E[V | buy] (zero expected profit per side)."""
        self._scalar()
        m = float(self.mean())
        lo, hi = float(self.v[0]), float(self.v[-1])
        if self.sd() == 0:
            return m, m
        fb = lambda b: self.expected_profit(b, hi, params)[0]  # noqa: E731
        fa = lambda a: self.expected_profit(lo, a, params)[1]  # noqa: E731
        b = optimize.brentq(fb, lo, m, xtol=1e-12) if fb(m) < 0 else m
        a = optimize.brentq(fa, m, hi, xtol=1e-12) if fa(m) < 0 else m
        return b, a

    def myopic_quotes(self, params: GMParams = GMParams()) -> tuple[float, float]:
        """Quotes maximising the next trade's expected profit (first-order conditions)."""
        self._scalar()
        params.require_no_noise("myopic quotes (uninformed buyers make the ask unbounded)")
        se = params.sigma_eps
        m, sd = float(self.mean()), float(self.sd())
        span = 8.0 * (sd + se)
        grid_a = np.linspace(m, m + span, 801)
        ra = np.array([self.expected_profit(m - span, a, params)[1] for a in grid_a])
        grid_b = np.linspace(m - span, m, 801)
        rb = np.array([self.expected_profit(b, m + span, params)[0] for b in grid_b])

        def refine(grid, vals, side):
            j = int(np.argmax(vals))
            j0, j1 = max(j - 1, 0), min(j + 1, grid.size - 1)
            f = (
                (lambda a: -self.expected_profit(m - span, a, params)[1])
                if side == "a"
                else (lambda b: -self.expected_profit(b, m + span, params)[0])
            )
            r = optimize.minimize_scalar(
                f, bounds=(grid[j0], grid[j1]), method="bounded", options={"xatol": 1e-10}
            )
            return float(r.x)

        return refine(grid_b, rb, "b"), refine(grid_a, ra, "a")


def belief_divergences(belief: GridBelief, mu, sigma):
    """KL(exact || Gaussian) and Wasserstein-1 between a grid belief and N(mu, sigma^2).

    The Gaussian is discretised on the same grid. Returns arrays over the batch dimensions.
    """
    if not isinstance(belief, GridBelief):
        raise TypeError(f"belief must be a GridBelief, got {type(belief).__name__}")
    mu = check_real_array(mu, "mu")[..., None]
    sigma = check_real_array(sigma, "sigma", 0.0, lo_open=True)[..., None]
    return _kl_w1(belief.p, (belief.v - mu) / sigma, belief.h)


def _kl_w1(p: np.ndarray, z: np.ndarray, h):
    """KL(p || g) and Wasserstein-1 between masses ``p`` on a uniform grid of step ``h`` and
    the Gaussian g discretised on it, given the grid's standardised values ``z`` (last axis)."""
    logg = -0.5 * z * z
    logg = logg - logsumexp(logg, axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        kl = np.where(p > 0, p * (np.log(np.where(p > 0, p, 1.0)) - logg), 0.0).sum(-1)
    w1 = np.abs(np.cumsum(p - np.exp(logg), axis=-1)).sum(-1) * h
    return np.clip(kl, 0.0, None), w1


class AdaptiveGridPosterior:
    """Exact posteriors of many runs, each on its own uniform grid that follows it as it narrows.

    Run r keeps masses ``p[r]`` on ``lo[r] + h[r] * arange(n)``. After each update a run whose
    grid spans more than ``regrid_span`` posterior sds is re-gridded onto mean +- ``new_half``
    sds (quadratic interpolation of the log density, renormalised); ``lost_mass`` records the
    largest mass ever left outside a new grid. Masses below 1e-250 are flushed to 0 (no
    subnormal arithmetic).

    Parameters
    ----------
    mu0, sigma0 : float
        Gaussian prior of every run.
    n_runs : int
    n : int
        Grid points per run.
    half_width : float
        Initial grid: mu0 +- half_width * sigma0.
    """

    def __init__(
        self,
        mu0: float,
        sigma0: float,
        n_runs: int,
        n: int = 201,
        half_width: float = 8.0,
        regrid_span: float = 30.0,
        new_half: float = 10.0,
    ):
        mu0 = check_finite(mu0, "mu0")
        sigma0 = check_positive(sigma0, "sigma0")
        check_positive_int(n_runs, "n_runs")
        check_int(n, "n (grid points)", 11)
        for name, val in (("half_width", half_width), ("regrid_span", regrid_span), ("new_half", new_half)):
            check_positive(val, name)
        if np.any(np.asarray(sigma0) <= 0):
            raise ValueError(f"sigma0 must be > 0, got {sigma0}")
        if n < 11:
            raise ValueError(f"n (grid points) must be >= 11, got {n}")
        self.j = np.arange(n, dtype=float)
        self.lo = np.full(n_runs, mu0 - half_width * sigma0)
        self.h = np.full(n_runs, 2 * half_width * sigma0 / (n - 1))
        z = (self.lo[0] + self.h[0] * self.j - mu0) / sigma0
        self.p = np.broadcast_to(np.exp(-0.5 * z * z), (n_runs, n)).copy()
        self.p /= self.p.sum(axis=1, keepdims=True)
        self.regrid_span, self.new_half = regrid_span, new_half
        self.lost_mass = 0.0
        self._v = self.lo[:, None] + self.h[:, None] * self.j
        self._moments()

    @property
    def v(self) -> np.ndarray:
        """Grid values, shape (runs, n) (cached; rebuilt for re-gridded runs)."""
        return self._v

    def _moments(self) -> None:
        m1 = self.p @ self.j
        m2 = self.p @ (self.j * self.j)
        self.mean = self.lo + self.h * m1
        self.sd = self.h * np.sqrt(np.clip(m2 - m1 * m1, 0.0, None))

    def update(self, bid, ask, x, params: GMParams) -> None:
        """Exact Bayes update of every run with its own quotes and observation."""
        self.p *= grid_likelihood(self._v, bid[:, None], ask[:, None], x[:, None], params)
        tot = self.p.sum(axis=1, keepdims=True)
        if np.any(~(tot > 0)):
            raise ValueError("exact posterior is not normalisable (grid too narrow?)")
        self.p /= tot
        self.p[self.p < 1e-250] = 0.0
        self._moments()
        n = self.j.size
        need = (n - 1) * self.h > self.regrid_span * self.sd
        if np.any(need):
            self._regrid(np.nonzero(need)[0])

    def _regrid(self, idx: np.ndarray) -> None:
        n = self.j.size
        lo, h, p = self.lo[idx], self.h[idx], self.p[idx]
        new_lo = self.mean[idx] - self.new_half * self.sd[idx]
        new_h = 2 * self.new_half * self.sd[idx] / (n - 1)
        vnew = new_lo[:, None] + new_h[:, None] * self.j
        pos = (vnew - lo[:, None]) / h[:, None]
        # quadratic (3-point Lagrange) interpolation of the log density: exact for a Gaussian
        k = np.clip(np.rint(pos).astype(int), 1, n - 2)
        f = pos - k
        with np.errstate(divide="ignore"):
            logp = np.log(np.maximum(p, 1e-300))
        y0, y1, y2 = (np.take_along_axis(logp, k + d, 1) for d in (-1, 0, 1))
        logd = y0 * f * (f - 1) / 2 + y1 * (1 - f * f) + y2 * f * (f + 1) / 2
        inside = (pos >= -0.5) & (pos <= n - 0.5)
        logd = np.where(inside, logd, -np.inf)
        dens = np.exp(logd - logd.max(axis=1, keepdims=True))
        # mass of the old grid outside the new range (diagnostic)
        vold = lo[:, None] + h[:, None] * self.j
        out = (vold < new_lo[:, None] - new_h[:, None] / 2) | (
            vold > (new_lo + (n - 1) * new_h)[:, None] + new_h[:, None] / 2
        )
        self.lost_mass = max(self.lost_mass, float((p * out).sum(axis=1).max()))
        dens /= dens.sum(axis=1, keepdims=True)
        self.lo[idx], self.h[idx], self.p[idx] = new_lo, new_h, dens
        self._v[idx] = vnew
        self._moments()

    def divergences(self, mu, sigma):
        """KL(exact || Gaussian state) and Wasserstein-1, per run (Gaussian discretised on the
        run's grid)."""
        z = (self._v - mu[:, None]) / np.maximum(sigma, 1e-300)[:, None]
        return _kl_w1(self.p, z, self.h)
