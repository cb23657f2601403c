r"""Trader accounts and persistent limit orders resting against a cost-function market maker.

The post notes that "if unfilled limit orders ... are allowed to persist, the market maker logic
can get a little complicated". This module is that logic. Traders hold cash and shares; they
send *market orders* (filled at once at the cost :math:`C(q') - C(q)`) and *limit orders*
("buy up to ``k`` shares of ``i`` at a price <= ``p``", or sell at >= ``p``) that rest until
the market maker's price makes them fillable.

Matching rule (our choice; the post gives none)
-----------------------------------------------
After every market order or new limit order, the book is swept: a resting buy of ``i`` at
limit ``p`` is *fillable* while :math:`p_i(q) < p`, a sell while :math:`p_i(q) > p`. The
fillable order deepest in the money (largest :math:`p - p_i(q)` for a buy,
:math:`p_i(q) - p` for a sell) fills first, ties broken by time of arrival: within one
outcome and side this is ordinary price-time priority. It trades against the market maker
until its price reaches the limit or the order is done (the fill of
:meth:`~mmkit.cost_function.scoring_rules.CostFunctionMarketMaker.max_shares_at_price`), so
every share is bought at a marginal price <= its limit. The sweep repeats until nothing is
fillable: a fill moves the other outcomes' prices and may wake other orders.

Accounts
--------
A buy order escrows ``shares * limit`` of the trader's cash (the most it can cost), a sell
order escrows the shares; market orders may only use what is not escrowed, and no trader
sells short. Cash and shares are conserved: the traders' cash plus the money the market maker
collected is constant, and the traders' shares add up to :math:`q - q_0`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mmkit.common.validation import check_array, check_nonnegative, check_nonnegative_int, check_positive_int
from mmkit.cost_function.scoring_rules import CostFunctionMarketMaker, as_quantities

__all__ = ["Order", "Fill", "LimitOrderMarket", "random_order_flow"]

_EPS = 1e-6  # shares: smaller fills are not made (ends the geometric ping-pong of two orders
# whose limits sum to more than 1, and keeps fills far above the round-off of the closed forms)


@dataclass
class Order:
    """A resting limit order: ``side`` is ``"buy"`` or ``"sell"``; ``remaining`` shares."""

    id: int
    trader: int
    outcome: int
    side: str
    remaining: float
    limit: float
    time: int


@dataclass(frozen=True)
class Fill:
    """One execution against the market maker.

    ``shares`` > 0 bought, < 0 sold; ``cash`` the amount paid (negative: received);
    ``order`` the limit order's id (``-1`` for a market order); ``limit`` its limit price.
    """

    order: int
    trader: int
    outcome: int
    shares: float
    cash: float
    limit: float
    price_after: float
    time: int


@dataclass
class LimitOrderMarket:
    """Traders, resting limit orders and a cost-function market maker.

    Parameters
    ----------
    mm : CostFunctionMarketMaker
        The market maker (e.g. :class:`~mmkit.cost_function.scoring_rules.LMSR`).
    cash : array_like
        Starting cash of each trader, >= 0; its length is the number of traders.
    q0 : array_like
        Starting shares outstanding of the market maker (length ``n`` outcomes, >= 2).
    """

    mm: CostFunctionMarketMaker
    cash: np.ndarray  # any array_like is accepted and converted in __post_init__
    q0: ArrayLike
    orders: list[Order] = field(default_factory=list)
    fills: list[Fill] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not isinstance(self.mm, CostFunctionMarketMaker):
            raise TypeError(f"mm must be a CostFunctionMarketMaker, got {type(self.mm).__name__}")
        self.q0 = as_quantities(self.q0, "q0").astype(float).copy()
        if self.q0.ndim != 1:
            raise ValueError(f"q0 must be one share vector, got shape {self.q0.shape}")
        self.cash = check_array(self.cash, "cash").copy()
        if self.cash.ndim != 1 or self.cash.size < 1 or not np.all(np.isfinite(self.cash)):
            raise ValueError("cash must be a 1-D array of finite numbers, one per trader")
        if np.any(self.cash < 0):
            raise ValueError("cash must be >= 0 for every trader")
        self.q = self.q0.copy()
        n, t = self.q.size, self.cash.size
        self.shares = np.zeros((t, n))
        self.cash_escrow = np.zeros(t)
        self.share_escrow = np.zeros((t, n))
        self.collected = 0.0
        self.start_cash = float(self.cash.sum())
        self._clock = 0
        self._next_id = 0

    # ------------------------------------------------------------------ validation
    def _trader(self, trader: int) -> int:
        if not (isinstance(trader, (int, np.integer)) and 0 <= int(trader) < self.cash.size):
            raise ValueError(f"trader must be an integer in [0, {self.cash.size - 1}], got {trader!r}")
        return int(trader)

    def _outcome(self, outcome: int) -> int:
        if not (isinstance(outcome, (int, np.integer)) and 0 <= int(outcome) < self.q.size):
            raise ValueError(f"outcome must be an integer in [0, {self.q.size - 1}], got {outcome!r}")
        return int(outcome)

    # ------------------------------------------------------------------ state
    def prices(self) -> NDArray[np.float64]:
        """The market maker's current prices."""
        return self.mm.prices(self.q)

    def free_cash(self, trader: int) -> float:
        """Cash not escrowed by the trader's resting buy orders."""
        t = self._trader(trader)
        return float(self.cash[t] - self.cash_escrow[t])

    def _execute(self, t: int, i: int, x: float, order: int, limit: float) -> Fill:
        cost = float(self.mm.buy(self.q, i, x))
        self.q[i] += x
        self.cash[t] -= cost
        self.shares[t, i] += x
        self.collected += cost
        self._clock += 1
        f = Fill(order, t, i, x, cost, limit, float(self.prices()[i]), self._clock)
        self.fills.append(f)
        return f

    # ------------------------------------------------------------------ orders
    def market_order(self, trader: int, outcome: int, shares: float) -> Fill:
        """Buy (``shares`` > 0) or sell (< 0) at once against the market maker, then sweep.

        Raises ValueError if the trader lacks the free cash or the free shares.
        """
        t, i = self._trader(trader), self._outcome(outcome)
        if not math.isfinite(shares) or shares == 0:
            raise ValueError(f"shares must be a finite non-zero number, got {shares!r}")
        if shares < 0 and -shares > self.shares[t, i] - self.share_escrow[t, i] + _EPS:
            raise ValueError(f"trader {t} cannot sell {-shares} shares of outcome {i} (no short sales)")
        cost = float(self.mm.buy(self.q, i, shares))
        if cost > self.free_cash(t) + 1e-12:
            raise ValueError(f"trader {t} cannot pay {cost:.6g} (free cash {self.free_cash(t):.6g})")
        f = self._execute(t, i, float(shares), -1, math.nan)
        self.sweep()
        return f

    def limit_order(self, trader: int, outcome: int, side: str, shares: float, limit: float) -> int:
        """Place a limit order; it fills at once as far as the price allows and rests for the rest.

        Returns the order id. A buy escrows ``shares * limit`` cash; a sell escrows the shares.
        """
        t, i = self._trader(trader), self._outcome(outcome)
        if side not in ("buy", "sell"):
            raise ValueError(f"side must be 'buy' or 'sell', got {side!r}")
        if not (math.isfinite(shares) and shares > 0):
            raise ValueError(f"shares must be a finite number > 0, got {shares!r}")
        if not (0.0 < limit < 1.0):
            raise ValueError(f"limit must be a price in the open interval (0, 1), got {limit!r}")
        if side == "buy":
            if shares * limit > self.free_cash(t) + 1e-12:
                raise ValueError(f"trader {t} cannot escrow {shares * limit:.6g} for a buy order")
            self.cash_escrow[t] += shares * limit
        else:
            if shares > self.shares[t, i] - self.share_escrow[t, i] + _EPS:
                raise ValueError(f"trader {t} cannot escrow {shares} shares of outcome {i} to sell")
            self.share_escrow[t, i] += shares
        self._clock += 1
        oid = self._next_id
        self._next_id += 1
        self.orders.append(Order(oid, t, i, side, float(shares), float(limit), self._clock))
        self.sweep()
        return oid

    def cancel(self, order_id: int) -> None:
        """Cancel a resting order and release its escrow."""
        for k, o in enumerate(self.orders):
            if o.id == order_id:
                self._release(o, o.remaining)
                del self.orders[k]
                return
        raise ValueError(f"order_id {order_id!r} is not resting in the book")

    def _release(self, o: Order, shares: float) -> None:
        if o.side == "buy":
            self.cash_escrow[o.trader] = max(self.cash_escrow[o.trader] - shares * o.limit, 0.0)
        else:
            self.share_escrow[o.trader, o.outcome] = max(self.share_escrow[o.trader, o.outcome] - shares, 0.0)

    def _fillable(self, o: Order, p: NDArray[np.float64]) -> float:
        """Shares the order can trade now (>= 0) and how deep in the money it is."""
        x = self.mm.max_shares_at_price(self.q, o.outcome, o.limit)
        return min(max(x, 0.0), o.remaining) if o.side == "buy" else min(max(-x, 0.0), o.remaining)

    def sweep(self, max_fills: int = 100_000) -> int:
        """Fill resting orders in price-time priority until none is fillable; returns the fills."""
        done = 0
        while self.orders:
            p = self.prices()
            best, best_key, best_x = None, None, 0.0
            for o in self.orders:
                gap = (o.limit - p[o.outcome]) if o.side == "buy" else (p[o.outcome] - o.limit)
                if gap <= 0:
                    continue
                x = self._fillable(o, p)
                if x <= _EPS:
                    continue
                key = (-gap, o.time)
                if best_key is None or key < best_key:
                    best, best_key, best_x = o, key, x
            if best is None:
                break
            sign = 1.0 if best.side == "buy" else -1.0
            self._release(best, best_x)
            self._execute(best.trader, best.outcome, sign * best_x, best.id, best.limit)
            best.remaining -= best_x
            if best.remaining <= _EPS:
                self._release(best, best.remaining)
                self.orders.remove(best)
            done += 1
            if done >= max_fills:
                raise RuntimeError(f"sweep did not settle within max_fills={max_fills} fills")
        return done

    # ------------------------------------------------------------------ invariants
    def mm_loss(self) -> NDArray[np.float64]:
        """Market maker's loss if each outcome occurs: payout ``q - q0`` minus money collected."""
        return np.asarray((self.q - self.q0) - self.collected, dtype=float)

    def settle(self, outcome: int) -> NDArray[np.float64]:
        """Each trader's final wealth if ``outcome`` occurs (cash plus $1 per winning share)."""
        i = self._outcome(outcome)
        return self.cash + self.shares[:, i]

    def invariants(self) -> dict[str, float]:
        """Residuals of the invariants (all should be ~0, or <= 0 for the bounds).

        ``cash``: traders' cash + collected - starting cash; ``shares``: largest
        ``|sum of traders' shares - (q - q0)|``; ``collected``: ``collected - [C(q) - C(q0)]``;
        ``limit``: largest ``cash - limit * shares`` over limit-order fills, in dollars (what a
        buyer paid above its limit, or a seller received below it); ``negative``: most negative cash or shares of any trader (sign
        flipped); ``loss``: largest market-maker loss minus ``worst_case_loss(n)`` from ``q0``.
        """
        limit_gap = 0.0  # dollars paid above the limit (buys) or received below it (sells)
        for f in self.fills:
            if f.order >= 0:
                limit_gap = max(limit_gap, f.cash - f.limit * f.shares)
        bound = self.mm.worst_case_loss(self.q.size)
        start = float(self.mm.cost(self.q0))
        return {
            "cash": float(self.cash.sum() + self.collected - self.start_cash),
            "shares": float(np.max(np.abs(self.shares.sum(axis=0) - (self.q - self.q0)))),
            "collected": float(self.collected - (float(self.mm.cost(self.q)) - start)),
            "limit": float(limit_gap),
            "negative": float(max(-self.cash.min(), -self.shares.min(), 0.0)),
            "loss": float(self.mm_loss().max() - bound),
        }


def random_order_flow(
    mm: CostFunctionMarketMaker, n: int, traders: int, events: int, seed: int, cash: float = 500.0
) -> LimitOrderMarket:
    """A seeded random market: ``events`` actions, each a market buy or sell, a limit buy or
    sell, or a cancellation, by a random trader, sized 1-30 shares, limits uniform in
    (0.05, 0.95). Actions a trader cannot afford are skipped."""
    check_positive_int(traders, "traders")
    check_nonnegative_int(events, "events")
    check_nonnegative_int(seed, "seed")
    check_nonnegative(cash, "cash")
    rng = np.random.default_rng(seed)
    mkt = LimitOrderMarket(mm, np.full(traders, cash), np.zeros(n))
    for _ in range(int(events)):
        t, i = int(rng.integers(traders)), int(rng.integers(n))
        kind, size = rng.random(), float(rng.uniform(1.0, 30.0))
        try:
            if kind < 0.3:
                mkt.market_order(t, i, size if rng.random() < 0.7 else -min(size, mkt.shares[t, i]))
            elif kind < 0.9:
                side = "buy" if rng.random() < 0.6 else "sell"
                size = size if side == "buy" else min(size, mkt.shares[t, i] - mkt.share_escrow[t, i])
                mkt.limit_order(t, i, side, size, float(rng.uniform(0.05, 0.95)))
            elif mkt.orders:
                mkt.cancel(mkt.orders[int(rng.integers(len(mkt.orders)))].id)
        except ValueError:
            continue  # unaffordable or empty action: skipped
    return mkt
