r"""Studies of the market makers the post points to, as the LMSR chapter reports them.

- :func:`order_book_scenario`: resting limit orders woken by market orders (a fixed script);
- :func:`order_flow_invariants`: the invariants of random order flows, many seeds;
- :func:`dpm_beside_lmsr`: the dynamic parimutuel market maker and LMSR on one trade sequence;
- :func:`dual_beside_closed_forms`: the duality construction against the closed forms;
- :func:`combinatorial_independence`: single-variable trades keep variables independent;
- :func:`combinatorial_pricing_time`: CPU time of one event trade against ``k``.
"""

from __future__ import annotations

import time

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mmkit.common.validation import (
    check_array,
    check_int,
    check_nonnegative_int,
    check_positive,
    check_positive_int,
)
from mmkit.cost_function.combinatorial import CombinatorialLMSR
from mmkit.cost_function.duality import DualCostMarketMaker, log_rule, quadratic_rule, spherical_rule
from mmkit.cost_function.order_book import LimitOrderMarket, random_order_flow
from mmkit.cost_function.parimutuel import DynamicParimutuel
from mmkit.cost_function.scoring_rules import LMSR, QuadraticMSR

__all__ = [
    "order_book_scenario",
    "order_flow_invariants",
    "dpm_beside_lmsr",
    "dual_beside_closed_forms",
    "dual_price_curves",
    "combinatorial_independence",
    "combinatorial_pricing_time",
    "dpm_seed_margin",
]


def order_book_scenario(b: float = 100.0) -> tuple[LimitOrderMarket, NDArray[np.float64]]:
    """A fixed script: traders 0-2 rest buy orders for outcome 1 (0-indexed outcome 0) at
    0.40, 0.45 and 0.45 (trader 1 first), trader 3 rests a sell at 0.60 after buying 40 shares;
    trader 4 then sends market buys of outcome 2, 2, 2, 1, 1, 1 of 25 shares each.

    Returns the market and the price of outcome 1 after each market order (first entry: the
    price before the first push).
    """
    b = check_positive(b, "b")
    mkt = LimitOrderMarket(LMSR(b), np.array([100.0] * 4 + [10_000.0]), np.zeros(2))
    mkt.market_order(3, 0, 40.0)
    mkt.limit_order(3, 0, "sell", 40.0, 0.60)
    mkt.limit_order(1, 0, "buy", 30.0, 0.45)
    mkt.limit_order(2, 0, "buy", 30.0, 0.45)
    mkt.limit_order(0, 0, "buy", 30.0, 0.40)
    path = [float(mkt.prices()[0])]
    for outcome in (1, 1, 1, 1, 0, 0, 0, 0):
        mkt.market_order(4, outcome, 25.0)
        path.append(float(mkt.prices()[0]))
    return mkt, np.array(path)


def order_flow_invariants(markets: int, events: int, seed: int, b: float = 50.0) -> dict[str, float]:
    """Worst residual of each invariant of :meth:`LimitOrderMarket.invariants` over ``markets``
    seeded random order flows (2-4 outcomes, 4 traders, ``events`` actions each), plus the
    number of limit-order fills checked (``fills``)."""
    markets = check_positive_int(markets, "markets", hi=10**5)
    events = check_nonnegative_int(events, "events", hi=10**6)
    seed = check_nonnegative_int(seed, "seed")
    b = check_positive(b, "b")
    worst: dict[str, float] = {}
    fills = 0
    for m in range(markets):
        mkt = random_order_flow(LMSR(b), 2 + m % 3, 4, events, seed + m)
        fills += sum(f.order >= 0 for f in mkt.fills)
        for key, v in mkt.invariants().items():
            v = abs(v) if key in ("cash", "collected") else v
            worst[key] = max(worst.get(key, -np.inf), v)
    worst["fills"] = float(fills)
    return worst


def dpm_beside_lmsr(outcomes: ArrayLike, shares: float, b: float = 100.0) -> dict[str, NDArray[np.float64]]:
    r"""Run one buy sequence through LMSR (``b``) and a DPM with ``kappa = 1`` seeded at
    :math:`q^0 = (s, s)`, :math:`s = b \ln 2 / \sqrt 2`, so both can lose at most
    :math:`b \ln 2`.

    Returns per step (first entry: the start): ``lmsr`` (LMSR price of outcome 1), ``dpm_prob``
    (DPM implied probability), ``dpm_price`` (DPM price), ``dpm_payoff`` (what a winning share
    of outcome 1 collects), and ``dpm_loss`` / ``lmsr_loss`` (each market maker's loss if
    outcome 1 occurs).
    """
    outcomes = check_array(outcomes, "outcomes", ndim=1, nonempty=False)
    if not np.isin(outcomes, (0, 1)).all():
        raise ValueError(f"outcomes must hold outcome indices 0 or 1 (two outcomes), got {outcomes}")
    shares = check_positive(shares, "shares")
    b = check_positive(b, "b")
    lm, dpm = LMSR(b), DynamicParimutuel(1.0)
    s = b * np.log(2.0) / np.sqrt(2.0)
    q_l, q_d = np.zeros(2), np.array([s, s])
    q0_d = q_d.copy()
    out: dict[str, list[float]] = {k: [] for k in ("lmsr", "dpm_prob", "dpm_price", "dpm_payoff")}
    out.update(dpm_loss=[], lmsr_loss=[])

    def record() -> None:
        out["lmsr"].append(float(lm.prices(q_l)[0]))
        out["dpm_prob"].append(float(dpm.probabilities(q_d)[0]))
        out["dpm_price"].append(float(dpm.prices(q_d)[0]))
        out["dpm_payoff"].append(dpm.payoff_per_share(q_d, 0))
        out["dpm_loss"].append(dpm.loss(q0_d, q_d, 0))
        out["lmsr_loss"].append(lm.loss(np.zeros(2), q_l, 0))

    record()
    for i in np.asarray(outcomes, dtype=int):
        q_l[i] += shares
        q_d[i] += shares
        record()
    return {k: np.array(v) for k, v in out.items()}


def dual_beside_closed_forms(states: int, seed: int, b: float = 100.0) -> dict[str, float]:
    """Largest gaps between the duality construction and the closed forms on random states:
    log rule vs LMSR (costs and prices, 2-5 outcomes) and quadratic rule vs the quadratic
    closed form (inside its valid region); and the constructed loss bounds against
    ``b ln n``, ``b (1 - 1/n)`` and ``b (1 - 1/sqrt n)`` for n = 2..6."""
    states = check_positive_int(states, "states", hi=10**6)
    seed = check_nonnegative_int(seed, "seed")
    b = check_positive(b, "b")
    rng = np.random.default_rng(seed)
    lm, qm = LMSR(b), QuadraticMSR(b)
    dl, dq = DualCostMarketMaker(log_rule(b)), DualCostMarketMaker(quadratic_rule(b))
    ds = DualCostMarketMaker(spherical_rule(b))
    gaps: dict[str, float] = dict(log_cost=0.0, log_price=0.0, quad_cost=0.0, quad_price=0.0, bounds=0.0)
    for t in range(int(states)):
        n = 2 + t % 4
        q = rng.normal(0.0, 2 * b, n)
        gaps["log_cost"] = max(gaps["log_cost"], abs(float(dl.cost(q)) - float(lm.cost(q))))
        gaps["log_price"] = max(gaps["log_price"], float(np.abs(dl.prices(q) - lm.prices(q)).max()))
        qv = rng.uniform(-0.4, 0.4, n) * b / n  # inside the quadratic rule's valid region
        gaps["quad_cost"] = max(gaps["quad_cost"], abs(float(dq.cost(qv)) - float(qm.cost(qv))))
        gaps["quad_price"] = max(gaps["quad_price"], float(np.abs(dq.prices(qv) - qm.prices(qv)).max()))
    for n in range(2, 7):
        exact = (b * np.log(n), b * (1 - 1 / n), b * (1 - 1 / np.sqrt(n)))
        built = (dl.worst_case_loss(n), dq.worst_case_loss(n), ds.worst_case_loss(n))
        gaps["bounds"] = max(gaps["bounds"], *(abs(x - y) for x, y in zip(built, exact)))
    return gaps


def dual_price_curves(d: ArrayLike, b_log: float = 100.0) -> dict[str, NDArray[np.float64]]:
    r"""Price of outcome 1 against :math:`q_1 - q_2` (two outcomes) for the three rules, each
    scaled to LMSR's worst-case loss :math:`b \ln 2` (quadratic: :math:`b_Q = 2 b \ln 2`,
    spherical: :math:`b_S = b \ln 2 / (1 - 1/\sqrt 2)`), plus the closed-form quadratic
    prices (``quad_closed``, NaN outside [0, 1]) and each rule's largest loss on the grid
    (``loss_*``, if outcome 1 occurs after trading from 0 to the grid state)."""
    d = check_array(d, "d", ndim=1)
    b_log = check_positive(b_log, "b_log")
    loss = b_log * np.log(2.0)
    makers = {
        "log": DualCostMarketMaker(log_rule(b_log)),
        "quadratic": DualCostMarketMaker(quadratic_rule(2 * loss)),
        "spherical": DualCostMarketMaker(spherical_rule(loss / (1 - 1 / np.sqrt(2)))),
    }
    q = np.stack([d / 2, -d / 2], axis=1)
    out: dict[str, NDArray[np.float64]] = {}
    for k, m in makers.items():
        r = m.argmax(q)  # one solve per state gives both the price and the cost
        cost = np.einsum("ij,ij->i", r, q) - np.array([m.rule.expected(ri) for ri in r])
        out[k] = r[:, 0]
        out[f"loss_{k}"] = q[:, 0] - (cost - m.cost(np.zeros(2)))
    closed = QuadraticMSR(2 * loss).prices(q)[:, 0]
    out["quad_closed"] = np.where((closed >= 0) & (closed <= 1), closed, np.nan)
    out["bound"] = np.array([m.worst_case_loss(2) for m in makers.values()])
    return out


def combinatorial_independence(k: int, trades: int, seed: int, b: float = 100.0) -> dict[str, float]:
    r"""Trade only single-variable securities (random signs and sizes) in a ``k``-variable
    market, then buy 50 shares of :math:`A_1 \wedge A_2`.

    Returns ``indep``: the largest :math:`|P(A_i \wedge A_j) - P(A_i) P(A_j)|` over pairs
    before the conjunction trade; ``cov``: :math:`P(A_1 \wedge A_2) - P(A_1) P(A_2)` after it;
    ``cost_gap``: the largest gap between the event closed form and :math:`C(q') - C(q)`;
    ``bound``: the worst-case loss over :math:`k\,b\ln 2`.
    """
    k = check_int(k, "k", 2, 26)
    trades = check_nonnegative_int(trades, "trades", hi=10**6)
    seed = check_nonnegative_int(seed, "seed")
    b = check_positive(b, "b")
    rng = np.random.default_rng(seed)
    m = CombinatorialLMSR(k, b)
    q, gap = m.zeros(), 0.0
    for _ in range(int(trades)):
        event = m.var(int(rng.integers(k)), bool(rng.random() < 0.5))
        q_new, cost = m.buy(q, event, float(rng.normal(0.0, 40.0)))
        gap = max(gap, abs(float(cost) - float(m.lmsr.trade_cost(q, q_new))))
        q = q_new
    marg = [m.price(q, m.var(j)) for j in range(k)]
    indep = max(
        abs(m.price(q, m.var(i) & m.var(j)) - marg[i] * marg[j]) for i in range(k) for j in range(i + 1, k)
    )
    both = m.var(0) & m.var(1)
    q, cost = m.buy(q, both, 50.0)
    cov = m.price(q, both) - m.price(q, m.var(0)) * m.price(q, m.var(1))
    return {"indep": indep, "cov": cov, "cost_gap": gap, "bound": m.worst_case_loss() / (k * b * np.log(2))}


def combinatorial_pricing_time(ks: ArrayLike, reps: int = 5, b: float = 100.0) -> NDArray[np.float64]:
    r"""CPU seconds of one trade on :math:`A_1 \wedge A_2` (price plus cost) against ``k``
    (best of ``reps``; wall-clock dependent, for display only)."""
    ks = check_array(ks, "ks", ndim=1, lo=2, hi=26)
    if np.any(ks != np.round(ks)):
        raise ValueError(f"ks must hold integers in [2, 26], got {ks}")
    reps = check_positive_int(reps, "reps", hi=10**4)
    b = check_positive(b, "b")
    out = []
    for k in ks.astype(int):
        m = CombinatorialLMSR(int(k), b)
        event, q = m.var(0) & m.var(1), m.zeros()
        best = np.inf
        for _ in range(int(reps)):
            t = time.process_time()
            q, _ = m.buy(q, event, 1.0)
            best = min(best, time.process_time() - t)
        out.append(best)
    return np.array(out)


def dpm_seed_margin(states: ArrayLike, q0: ArrayLike, kappa: float = 1.0) -> float:
    r"""Largest DPM loss over final ``states`` and outcomes, minus the seed cost :math:`C(q^0)`
    (<= 0 when the seed bound holds). Vectorised form of
    :meth:`~mmkit.cost_function.parimutuel.DynamicParimutuel.loss`:
    :math:`L_o = C(q^0) - q^0_o\, C(q)/q_o`."""
    seed = check_array(q0, "q0", ndim=1)
    if np.any(seed <= 0):
        raise ValueError(f"q0 entries must be > 0 (a seeded DPM), got {seed}")
    q = check_array(states, "states", shape=(None, seed.size))
    if np.any(q <= 0):
        raise ValueError("states entries must be > 0 (reachable by buying from a positive seed)")
    dpm = DynamicParimutuel(check_positive(kappa, "kappa"))
    pool = np.asarray(dpm.cost(q))
    loss = dpm.cost(seed) - seed[None, :] * pool[:, None] / q
    return float(loss.max() - dpm.cost(seed))
