r"""Cost-function market makers for a market of ``n`` mutually exclusive outcomes.

A cost-function market maker keeps the vector ``q`` of shares outstanding (one share of
outcome ``i`` pays 1 if ``i`` occurs) and a cost function :math:`C(q)`. A trade that moves the
outstanding shares from ``q`` to ``q*`` costs the trader :math:`C(q^*) - C(q)`; the
instantaneous price of outcome ``i`` is :math:`p_i(q) = \partial C / \partial q_i`
(Hanson 2003, 2007; Pennock 2006; Chen and Pennock 2007).

Market makers
-------------
:class:`LMSR`
    Logarithmic market scoring rule, :math:`C(q) = b \ln \sum_i e^{q_i/b}`, prices
    :math:`p = \mathrm{softmax}(q/b)`, worst-case loss :math:`b \ln n`.
:class:`QuadraticMSR`
    Quadratic scoring rule market maker, prices linear in ``q``,
    :math:`p_i = 1/n + (q_i - \bar q)/(2b)`, valid only while every price is in [0, 1];
    worst-case loss :math:`b(1 - 1/n)`.
:class:`LSLMSR`
    Liquidity-sensitive LMSR (Othman et al. 2010, 2013), :math:`b(q) = \alpha \sum_i q_i`;
    prices sum to at most :math:`1 + \alpha n \ln n`, worst-case loss at most :math:`C(q^0)`.

All functions accept ``q`` of shape ``(n,)`` or ``(..., n)`` (a batch of states) and are
computed in log-sum-exp form, so that ``q / b`` of order ``1e6`` stays finite and exact.

Examples
--------
>>> mm = LMSR(b=100.0)
>>> round(float(mm.trade_cost([0, 0], [10, 0])), 4)
5.1249
>>> mm.prices([0.0, 0.0]).tolist()
[0.5, 0.5]
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from mmkit.common.numerics import logsumexp
from mmkit.common.validation import check_finite, check_int, check_nonnegative, check_positive

FloatArray = NDArray[np.float64]

__all__ = [
    "CostFunctionMarketMaker",
    "LMSR",
    "QuadraticMSR",
    "LSLMSR",
    "LimitOrderFill",
    "as_quantities",
    "unit",
    "price_impact",
]


_lse = logsumexp  # the package's one log-sum-exp (mmkit.common.numerics)


# --------------------------------------------------------------------------- validation
def as_quantities(q: ArrayLike, name: str = "q", n: int | None = None) -> FloatArray:
    """Validate a share vector (or batch of them) and return it as a float array.

    Raises
    ------
    ValueError
        If ``q`` is empty, contains NaN or infinities, or its last axis is not ``n`` long.
    """
    if q is None or isinstance(q, (str, bytes, dict, set)):
        raise TypeError(f"{name} must be an array of share quantities (finite reals), got {type(q).__name__}")
    try:
        arr = np.asarray(q, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of share quantities (finite reals)") from None
    if arr.ndim == 0 or arr.shape[-1] < 2:
        raise ValueError(f"{name} must have at least 2 outcomes on its last axis, got shape {arr.shape}")
    if not np.isfinite(arr).all():  # one pass; the slower NaN test only to word the error
        if np.isnan(arr).any():
            raise ValueError(f"{name} contains NaN; quantities must be finite real numbers")
        raise ValueError(f"{name} contains infinities; quantities must be finite real numbers")
    if n is not None and arr.shape[-1] != n:
        raise ValueError(
            f"{name} has {arr.shape[-1]} outcomes but {n} were expected (mismatched outcome counts)"
        )
    return arr


def _check_pair(
    q: ArrayLike, q_new: ArrayLike, names: tuple[str, str] = ("q", "q_new")
) -> tuple[FloatArray, FloatArray]:
    a = as_quantities(q, names[0])
    b = as_quantities(q_new, names[1])
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(
            f"{names[0]} has {a.shape[-1]} outcomes but {names[1]} has {b.shape[-1]} (mismatched outcome counts)"
        )
    return a, b


def _check_outcome(i: int, n: int) -> int:
    if isinstance(i, (bool, np.bool_)) or not isinstance(i, (int, np.integer)):
        raise TypeError(f"outcome must be an integer in [0, {n - 1}], got {type(i).__name__} {i!r}")
    if not 0 <= int(i) < n:
        raise ValueError(f"outcome must be an integer in [0, {n - 1}], got {i!r}")
    return int(i)


def _check_b(b: float) -> None:
    check_positive(b, "b")
    if not (isinstance(b, (int, float, np.floating, np.integer)) and math.isfinite(b) and b > 0):
        raise ValueError(f"b must be a finite number in (0, inf), got {b!r}")


def _check_limit_price(price: float) -> float:
    if isinstance(price, (bool, np.bool_)) or not isinstance(price, (int, float, np.integer, np.floating)):
        raise TypeError(
            f"price (the limit price) must be a number in the open interval (0, 1), got {price!r}"
        )
    price = float(price)
    if not (0.0 < price < 1.0):
        raise ValueError(f"price (the limit price) must be in the open interval (0, 1), got {price}")
    if not (0.0 < price < 1.0):
        raise ValueError(f"price (the limit price) must be in the open interval (0, 1), got {price}")
    return price


def _scalar_quantities(q: object) -> list[float] | None:
    """``q`` as a list of Python floats when it is a plain 1-D vector (list, tuple or 1-D array)
    of finite numbers with at least 2 entries; ``None`` when it is something else (the caller
    then takes the array path). Raises ValueError on NaN, infinities or fewer than 2 entries."""
    if type(q) is list or type(q) is tuple:
        try:
            qs = [float(x) for x in q]
        except (TypeError, ValueError):
            return None
    elif isinstance(q, np.ndarray) and q.ndim == 1:
        qs = (q if q.dtype == np.float64 else q.astype(float)).tolist()
    else:
        return None
    if len(qs) < 2:
        raise ValueError(f"q must have at least 2 outcomes on its last axis, got {len(qs)}")
    if not math.isfinite(sum(qs)):  # a finite sum proves every entry finite (one fast pass)
        for x in qs:
            if not math.isfinite(x):
                what = "NaN" if x != x else "infinities"
                raise ValueError(f"q contains {what}; quantities must be finite real numbers")
    return qs


def unit(n: int, i: int, k: float = 1.0) -> FloatArray:
    """The trade vector that buys ``k`` shares of outcome ``i`` in an ``n``-outcome market."""
    n = check_int(n, "n", 2)
    e = np.zeros(n)
    e[_check_outcome(i, n)] = check_finite(k, "k")
    return e


@dataclass(frozen=True)
class LimitOrderFill:
    """Result of a limit order: shares filled, amount paid (negative: received), final price."""

    shares: float
    cost: float
    final_price: float

    @property
    def average_price(self) -> float:
        return self.cost / self.shares if self.shares else float("nan")


# --------------------------------------------------------------------------- base class
class CostFunctionMarketMaker(ABC):
    """A market maker defined by a convex cost function ``C(q)``.

    Subclasses implement :meth:`cost` and :meth:`prices`; trade costs, buying and selling,
    limit orders (by root finding) and the market maker's profit follow from them.
    """

    @abstractmethod
    def cost(self, q: ArrayLike) -> FloatArray | float:
        """Total money collected so far, ``C(q)``."""

    @abstractmethod
    def prices(self, q: ArrayLike) -> FloatArray:
        """Instantaneous prices ``p_i(q) = dC/dq_i`` (last axis indexes outcomes)."""

    @abstractmethod
    def worst_case_loss(self, n: int) -> float:
        """Supremum over trade sequences and outcomes of the market maker's loss."""

    def trade_cost(self, q: ArrayLike, q_new: ArrayLike) -> FloatArray | float:
        """Cost of moving the outstanding shares from ``q`` to ``q_new``: ``C(q_new) - C(q)``.

        A negative value means the trader is paid (a sale).
        """
        a, b = _check_pair(q, q_new)
        return self.cost(b) - self.cost(a)

    def buy(self, q: ArrayLike, outcome: int, shares: float) -> float:
        """Cost of buying ``shares`` of ``outcome`` at ``q`` (negative ``shares`` sells)."""
        a = as_quantities(q)
        shares = check_finite(shares, "shares")
        return float(self.trade_cost(a, a + unit(a.shape[-1], outcome, shares)))

    def sell(self, q: ArrayLike, outcome: int, shares: float) -> float:
        """Money received for selling ``shares`` of ``outcome`` at ``q``."""
        return -self.buy(q, outcome, -check_finite(shares, "shares"))

    def loss(self, q0: ArrayLike, q: ArrayLike, outcome: int) -> float:
        """Market maker's loss when ``outcome`` occurs after trading moved ``q0`` to ``q``.

        It pays ``q_outcome - q0_outcome`` to the holders of the winning shares and has collected
        ``C(q) - C(q0)``.
        """
        a, b = _check_pair(q0, q, ("q0", "q"))
        i = _check_outcome(outcome, a.shape[-1])
        return float((b[i] - a[i]) - (self.cost(b) - self.cost(a)))

    def max_shares_at_price(self, q: ArrayLike, outcome: int, price: float) -> float:
        """Shares of ``outcome`` that can be bought before its price reaches ``price``.

        Generic version by root finding (Brent); subclasses override with closed forms. A
        negative value means the price is already above ``price``: that many shares would have
        to be sold to bring it down. The search stays in ``[-sell_capacity, buy_capacity]``
        (the domain of the cost function) and returns that bound if the price cannot reach
        ``price`` inside it.
        """
        a = as_quantities(q)
        i = _check_outcome(outcome, a.shape[-1])
        price = _check_limit_price(price)

        def gap(x: float) -> float:
            return float(self.prices(a + unit(a.shape[-1], i, x))[i]) - price

        # bracket the root, never leaving [-sell_capacity, buy_capacity]; if the limit price
        # cannot be reached inside it, the capacity itself is the answer
        lo_cap, hi_cap = -self.sell_capacity(a, i), self.buy_capacity(a, i)
        lo, hi = max(-1.0, lo_cap), min(1.0, hi_cap)
        while gap(lo) > 0:
            if lo <= lo_cap:
                return float(lo_cap)
            lo = max(2.0 * lo, lo_cap)
        while gap(hi) < 0:
            if hi >= hi_cap:
                return float(hi_cap)
            hi = min(2.0 * hi, hi_cap)
        return float(brentq(gap, lo, hi, xtol=1e-12, rtol=1e-14))

    def buy_capacity(self, q: ArrayLike, outcome: int) -> float:
        """Most shares of ``outcome`` the cost function can sell at ``q`` (``inf`` by default).

        Finite only for market makers whose formulas hold on a bounded region
        (:class:`QuadraticMSR`).
        """
        a = as_quantities(q)
        _check_outcome(outcome, a.shape[-1])
        return math.inf

    def sell_capacity(self, q: ArrayLike, outcome: int) -> float:
        """Most shares of ``outcome`` the cost function can buy back at ``q`` (``inf`` by default)."""
        a = as_quantities(q)
        _check_outcome(outcome, a.shape[-1])
        return math.inf

    def limit_buy(self, q: ArrayLike, outcome: int, max_shares: float, price: float) -> LimitOrderFill:
        """Fill "buy up to ``max_shares`` of ``outcome``, each at a price <= ``price``".

        The market maker sells shares while its marginal price stays at or below the limit, so
        the fill is ``clip(x*, 0, min(max_shares, capacity))`` where ``x*`` solves
        ``p_i(q + x e_i) = price`` and ``capacity`` is :meth:`buy_capacity` (the edge of the
        region where the cost function applies; infinite for LMSR). Every share is then bought
        at a marginal price <= ``price``.
        """
        a = as_quantities(q)
        max_shares = check_nonnegative(max_shares, "max_shares")
        cap = min(float(max_shares), self.buy_capacity(a, outcome))
        x = min(max(self.max_shares_at_price(a, outcome, price), 0.0), cap)
        c = self.buy(a, outcome, x) if x > 0 else 0.0
        p = float(self.prices(a + unit(a.shape[-1], outcome, x))[outcome])
        return LimitOrderFill(x, c, p)

    def limit_sell(self, q: ArrayLike, outcome: int, max_shares: float, price: float) -> LimitOrderFill:
        """Fill "sell up to ``max_shares`` of ``outcome``, each at a price >= ``price``".

        ``shares`` is the number sold (>= 0) and ``cost`` the (negative) amount paid.
        """
        a = as_quantities(q)
        max_shares = check_nonnegative(max_shares, "max_shares")
        cap = min(float(max_shares), self.sell_capacity(a, outcome))
        x = min(max(-self.max_shares_at_price(a, outcome, price), 0.0), cap)
        c = self.buy(a, outcome, -x) if x > 0 else 0.0
        p = float(self.prices(a - unit(a.shape[-1], outcome, x))[outcome])
        return LimitOrderFill(x, c, p)


# --------------------------------------------------------------------------- LMSR
@dataclass(frozen=True)
class LMSR(CostFunctionMarketMaker):
    r"""Hanson's logarithmic market scoring rule market maker.

    .. math::
        C(q) = b \ln \sum_{i=1}^n e^{q_i/b}, \qquad
        p_i(q) = \frac{e^{q_i/b}}{\sum_j e^{q_j/b}}, \qquad
        \text{worst-case loss} = b \ln n .

    Parameters
    ----------
    b : float
        Liquidity parameter, ``b > 0``. Larger ``b`` means deeper markets (smaller price impact)
        and a larger worst-case loss.
    """

    b: float = 100.0

    def __post_init__(self) -> None:
        _check_b(self.b)

    def cost(self, q: ArrayLike) -> FloatArray | float:
        r"""``C(q) = b * lse(q / b)`` over the last axis (stable for huge ``q/b``).

        Evaluated as :math:`b\,[m + \ln \sum_i e^{q_i/b - m}]` with :math:`m = \max_i q_i/b`:
        one shift, one exponential per entry (the cost of a bare NumPy log-sum-exp).
        """
        z = as_quantities(q) / self.b
        m = z.max(axis=-1, keepdims=True)
        out = self.b * (np.log(np.exp(z - m).sum(axis=-1)) + m[..., 0])
        return float(out) if np.ndim(out) == 0 else out

    def prices(self, q: ArrayLike) -> FloatArray:
        """``softmax(q / b)`` over the last axis; sums to 1."""
        z = as_quantities(q) / self.b
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        e /= e.sum(axis=-1, keepdims=True)
        return e

    def trade_cost(self, q: ArrayLike, q_new: ArrayLike) -> FloatArray | float:
        r"""``C(q_new) - C(q)`` computed without cancellation.

        Each sum is shifted by its own maximum, :math:`m = \max_i q_i/b` and
        :math:`m' = \max_i q'_i/b`, so both sums lie in :math:`[1, n]` and

        .. math:: C(q') - C(q) = b\,\Bigl[(m' - m)
           + \ln \frac{\sum_i e^{q'_i/b - m'}}{\sum_i e^{q_i/b - m}}\Bigr]

        is formed from numbers of order one even when ``q/b`` is ``1e6`` (one logarithm per
        trade; ``m' - m`` is exact when the two maxima are equal).
        """
        a, c = _check_pair(q, q_new)
        za, zc = a / self.b, c / self.b
        ma, mc = za.max(axis=-1, keepdims=True), zc.max(axis=-1, keepdims=True)
        ratio = np.exp(zc - mc).sum(axis=-1) / np.exp(za - ma).sum(axis=-1)
        out = self.b * ((mc - ma)[..., 0] + np.log(ratio))
        return float(out) if np.ndim(out) == 0 else out

    def buy(self, q: ArrayLike, outcome: int, shares: float) -> float:
        r"""Cost of buying ``k`` shares of outcome ``i``, in closed form.

        .. math:: b \ln\left(1 - p_i + p_i e^{k/b}\right),

        evaluated as ``b * logaddexp(log(1 - p_i), log(p_i) + k/b)`` (no overflow for large k/b).
        """
        qs = _scalar_quantities(q)
        if qs is None:  # not a plain vector: the general (array) path
            a = as_quantities(q)
            if a.ndim != 1:
                raise ValueError(f"q must be a single share vector, got shape {a.shape}")
            qs = a.tolist()
        i = outcome if type(outcome) is int and 0 <= outcome < len(qs) else _check_outcome(outcome, len(qs))
        if isinstance(shares, (str, bytes, bool, np.bool_)):
            raise ValueError(f"shares must be a finite number, got {type(shares).__name__} {shares!r}")
        try:
            k = float(shares)
        except (TypeError, ValueError):
            k = math.nan
        if not math.isfinite(k):
            raise ValueError(f"shares must be a finite number, got {shares!r}")
        b = self.b
        exp, log, log1p = math.exp, math.log, math.log1p
        zs = [x / b for x in qs]
        z_i = zs[i]
        rest = zs[:i] + zs[i + 1 :]
        if len(rest) == 1:  # two outcomes: the log-sum-exp of the other one is itself
            u = rest[0]
        else:
            m = max(rest)
            u = m + log(sum([exp(z - m) for z in rest]))  # log-sum-exp of the other outcomes
        # C(q + k e_i) - C(q) = b [logaddexp(u, z_i + k/b) - logaddexp(u, z_i)], each formed
        # in log space (no overflow for huge k/b, no subnormal sums for far-apart outcomes)
        v = z_i + k / b
        new = (u if u > v else v) + log1p(exp(-abs(u - v)))
        old = (u if u > z_i else z_i) + log1p(exp(-abs(u - z_i)))
        return b * (new - old)

    def worst_case_loss(self, n: int) -> float:
        """``b ln n``: the loss when the market starts uniform and ends certain of the outcome."""
        n = check_int(n, "n", 2)
        return self.b * math.log(n)

    def max_shares_at_price(self, q: ArrayLike, outcome: int, price: float) -> float:
        r"""Closed form of the shares that move ``p_i`` to ``price``:

        .. math:: x^* = b\,\bigl[\operatorname{logit}(p) + \ln \textstyle\sum_{j\ne i} e^{q_j/b}\bigr] - q_i .
        """
        a = as_quantities(q)
        i = _check_outcome(outcome, a.shape[-1])
        p = _check_limit_price(price)
        return float(self.b * (math.log(p) - math.log1p(-p) + _lse(np.delete(a, i) / self.b)) - a[i])


# --------------------------------------------------------------------------- quadratic
@dataclass(frozen=True)
class QuadraticMSR(CostFunctionMarketMaker):
    r"""Quadratic scoring rule market maker (cost form of Chen and Pennock 2007).

    With scoring rule :math:`S_i(r) = b(2 r_i - \sum_j r_j^2)`,

    .. math::
        C(q) = \frac{\sum_j q_j}{n} + \frac{\sum_j q_j^2}{4b} - \frac{(\sum_j q_j)^2}{4bn} - \frac{b}{n},
        \qquad p_i = \frac1n + \frac{q_i - \bar q}{2b}.

    The formulas hold only while every price lies in [0, 1]; :meth:`trade_cost` refuses
    trades that leave that region and :meth:`clip_trade` truncates them. Worst-case loss
    :math:`b(1 - 1/n)`.
    """

    b: float = 100.0

    def __post_init__(self) -> None:
        _check_b(self.b)

    def cost(self, q: ArrayLike) -> FloatArray | float:
        a = as_quantities(q)
        n = a.shape[-1]
        s = a.sum(axis=-1)
        out = s / n + (a**2).sum(axis=-1) / (4 * self.b) - s**2 / (4 * self.b * n) - self.b / n
        return float(out) if np.ndim(out) == 0 else out

    def prices(self, q: ArrayLike) -> FloatArray:
        a = as_quantities(q)
        n = a.shape[-1]
        return 1.0 / n + (a - a.mean(axis=-1, keepdims=True)) / (2 * self.b)

    def valid(self, q: ArrayLike, tol: float = 1e-12) -> bool | NDArray[np.bool_]:
        """True where every price is in [0, 1], the region where the cost function applies."""
        p = self.prices(q)
        return np.all((p >= -tol) & (p <= 1 + tol), axis=-1)

    def trade_cost(self, q: ArrayLike, q_new: ArrayLike) -> FloatArray | float:
        a, b = _check_pair(q, q_new)
        if not (np.all(self.valid(a)) and np.all(self.valid(b))):
            raise ValueError(
                "quadratic market maker: trade leaves the valid region (every price must stay in "
                "[0, 1]); truncate it with clip_trade()"
            )
        return self.cost(b) - self.cost(a)

    def clip_trade(self, q: ArrayLike, delta: ArrayLike) -> FloatArray:
        """``q + t * delta`` with the largest ``t`` in [0, 1] that keeps every price in [0, 1].

        Prices are affine in ``q``, so ``t`` is the first crossing of 0 or 1 along the segment;
        any number of outcomes. ``q`` and ``delta`` are single vectors (no batch axis); ``q``
        must itself be valid.
        """
        a, d = _check_pair(q, delta, ("q", "delta"))
        if a.ndim != 1 or d.ndim != 1:
            raise ValueError(f"q and delta must be 1-D share vectors, got shapes {a.shape} and {d.shape}")
        if not self.valid(a):
            raise ValueError("q must be in the valid region (every price in [0, 1])")
        p0 = self.prices(a)
        dp = self.prices(d) - 1.0 / a.shape[-1]  # prices are affine: p(q + t d) = p0 + t dp
        t = 1.0
        for p, g in zip(p0, dp):
            if g > 0:
                t = min(t, (1.0 - p) / g)
            elif g < 0:
                t = min(t, (0.0 - p) / g)
        return a + max(t, 0.0) * d

    def buy_capacity(self, q: ArrayLike, outcome: int) -> float:
        r"""Shares of ``outcome`` that can be bought before another outcome's price reaches 0.

        Buying ``x`` of ``i`` lowers every other price by :math:`x/(2bn)`, so the capacity is
        :math:`2bn \min_{j \ne i} p_j` (the price of ``i`` itself reaches 1 only when all
        others are 0). For ``n = 2`` a limit price below 1 binds first.
        """
        a = as_quantities(q)
        i = _check_outcome(outcome, a.shape[-1])
        n = a.shape[-1]
        return float(max(2 * self.b * n * np.delete(self.prices(a), i).min(), 0.0))

    def sell_capacity(self, q: ArrayLike, outcome: int) -> float:
        r"""Shares of ``outcome`` that can be sold before its price reaches 0:
        :math:`2b\,p_i / (1 - 1/n)`."""
        a = as_quantities(q)
        i = _check_outcome(outcome, a.shape[-1])
        n = a.shape[-1]
        return float(max(2 * self.b * self.prices(a)[i] / (1 - 1 / n), 0.0))

    def worst_case_loss(self, n: int) -> float:
        """``b (1 - 1/n)``."""
        n = check_int(n, "n", 2)
        return self.b * (1.0 - 1.0 / n)

    def max_shares_at_price(self, q: ArrayLike, outcome: int, price: float) -> float:
        r"""Closed form (prices are linear): :math:`x^* = 2b (p - p_i) / (1 - 1/n)`."""
        a = as_quantities(q)
        i = _check_outcome(outcome, a.shape[-1])
        p = _check_limit_price(price)
        n = a.shape[-1]
        return float(2 * self.b * (p - self.prices(a)[i]) / (1 - 1 / n))


# --------------------------------------------------------------------------- LS-LMSR
@dataclass(frozen=True)
class LSLMSR(CostFunctionMarketMaker):
    r"""Liquidity-sensitive LMSR of Othman, Sandholm, Pennock and Reeves (2010, 2013).

    .. math::
        b(q) = \alpha \sum_i q_i, \qquad C(q) = b(q) \ln \sum_i e^{q_i / b(q)},

    .. math::
        p_i(q) = \alpha \ln \sum_j e^{q_j/b(q)}
        + \frac{\sum_j q_j\, e^{q_i/b(q)} - \sum_j q_j e^{q_j/b(q)}}{\sum_j q_j \sum_j e^{q_j/b(q)}} .

    Prices sum to a number in :math:`[1, 1 + \alpha n \ln n]` (the excess is the market maker's
    "vig"); with a seed :math:`q^0 > 0` the worst-case loss is at most :math:`C(q^0)`.
    Defined for ``sum(q) > 0``.

    Parameters
    ----------
    alpha : float
        Commission parameter, ``alpha > 0``. ``alpha = v / (n ln n)`` gives a maximum vig ``v``.
    """

    alpha: float = 0.05

    def __post_init__(self) -> None:
        check_positive(self.alpha, "alpha")
        if not (math.isfinite(self.alpha) and self.alpha > 0):
            raise ValueError(f"alpha must be a finite number in (0, inf), got {self.alpha!r}")

    @staticmethod
    def alpha_for_vig(vig: float, n: int) -> float:
        """``alpha = vig / (n ln n)``: the commission parameter for a maximum vig."""
        vig = check_positive(vig, "vig")
        n = check_int(n, "n", 2)
        return vig / (n * math.log(n))

    def _liquidity(self, a: FloatArray) -> FloatArray:
        s = a.sum(axis=-1)
        if np.any(s <= 0):
            raise ValueError("LS-LMSR is defined only for sum(q) > 0; seed the market with q0 > 0")
        return self.alpha * s

    def cost(self, q: ArrayLike) -> FloatArray | float:
        a = as_quantities(q)
        bq = self._liquidity(a)
        out = bq * logsumexp(a / bq[..., None], axis=-1)
        return float(out) if np.ndim(out) == 0 else out

    def prices(self, q: ArrayLike) -> FloatArray:
        a = as_quantities(q)
        bq = self._liquidity(a)[..., None]
        z = a / bq
        lse = logsumexp(z, axis=-1, keepdims=True)
        log_w = z - lse
        w = np.exp(log_w)  # softmax weights
        # p_i = alpha lse + w_i - (q . w)/s = alpha H(w) + w_i with the entropy H(w) = lse - z . w,
        # summed from non-negative terms -w_j log w_j: no cancellation, so p_i >= 0 exactly
        with np.errstate(invalid="ignore"):
            ent = -np.where(w > 0, w * log_w, 0.0).sum(axis=-1, keepdims=True)
        return self.alpha * ent + w

    def sell_capacity(self, q: ArrayLike, outcome: int) -> float:
        """Shares of ``outcome`` that can be bought back: those outstanding, ``max(q_i, 0)``
        (LS-LMSR lives on the non-negative orthant, Othman et al.)."""
        a = as_quantities(q)
        return float(max(a[_check_outcome(outcome, a.shape[-1])], 0.0))

    def worst_case_loss(self, n: int, q0: ArrayLike | None = None) -> float:
        """Upper bound ``C(q0)`` on the loss from seed ``q0`` (default: 1 share of each outcome)."""
        n = check_int(n, "n", 2)
        seed = np.ones(n) if q0 is None else as_quantities(q0, "q0", n)
        return float(self.cost(seed))


def price_impact(mm: CostFunctionMarketMaker, q: ArrayLike, outcome: int, shares: float) -> float:
    """Change in the price of ``outcome`` caused by buying ``shares`` of it at ``q``."""
    if not isinstance(mm, CostFunctionMarketMaker):
        raise TypeError(f"mm must be a CostFunctionMarketMaker, got {type(mm).__name__}")
    shares = check_finite(shares, "shares")
    a = as_quantities(q)
    i = _check_outcome(outcome, a.shape[-1])
    return float(mm.prices(a + unit(a.shape[-1], i, shares))[i] - mm.prices(a)[i])
