r"""Checks and studies of cost-function market makers that the LMSR chapter calls.

Each function is one measurement the chapter reports: the post's worked numbers, the
price-as-derivative checks, the loss of a market maker over many final states, a trade
sequence run through several market makers, the impact of a trade against volume, and the
summary of simulated belief-trader markets. They return plain numbers, arrays and dicts.

Because a cost-function market maker's money depends only on the net shares outstanding
(path independence: the costs of consecutive trades telescope to :math:`C(q_T) - C(q_0)`),
the loss of *any* trade sequence ending at :math:`q_T` is

.. math:: L_o(q_0, q_T) = (q_{T,o} - q_{0,o}) - \bigl[C(q_T) - C(q_0)\bigr],

so a sweep over final states is a sweep over all trade sequences.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.integrate import quad

from mmkit.common.validation import (
    check_array,
    check_finite,
    check_instance,
    check_mapping,
    check_nonnegative,
    check_nonnegative_int,
    check_positive,
    check_positive_int,
    check_probability,
    check_real,
    check_real_array,
    check_sequence,
)
from mmkit.cost_function.prediction_market import MarketRun
from mmkit.cost_function.scoring_rules import (
    LMSR,
    CostFunctionMarketMaker,
    QuadraticMSR,
    unit,
)

__all__ = [
    "worked_example",
    "derivative_error",
    "integral_error",
    "limit_order_error",
    "losses_over_states",
    "random_final_states",
    "run_trade_sequence",
    "impact_against_volume",
    "market_summary",
    "settle_time",
    "lmsr_bound_margin",
]


def worked_example(mm: CostFunctionMarketMaker) -> dict[str, float]:
    """The post's example with ``mm``: buy 10 of outcome 1 at (0, 0), sell them at (50, 10).

    Returns
    -------
    dict
        ``buy`` (paid), ``sale`` (received), ``profit`` (exact round trip, ``sale - buy``) and
        ``profit_cents`` (the difference of the two legs each rounded to cents).
    """
    _check_mm(mm)
    buy = float(mm.trade_cost([0.0, 0.0], [10.0, 0.0]))
    sale = -float(mm.trade_cost([50.0, 10.0], [40.0, 10.0]))
    return {
        "buy": buy,
        "sale": sale,
        "profit": sale - buy,
        "profit_cents": round(round(sale, 2) - round(buy, 2), 2),
    }


def _check_mm(mm: object) -> None:
    check_instance(mm, "mm", CostFunctionMarketMaker)


def _check_ints(x: object, name: str, lo: int, hi: int) -> NDArray[np.int64]:
    """A 1-D array of integers in ``[lo, hi]`` (may be empty)."""
    a = check_array(x, name, ndim=1, nonempty=False, lo=lo, hi=hi)
    if np.any(a != np.round(a)):
        raise ValueError(f"{name} must hold integers in [{lo}, {hi}], got {a}")
    return a.astype(np.int64)


def _state_grid() -> NDArray[np.float64]:
    q1 = (-200.0, -50.0, 0.0, 10.0, 50.0, 300.0)
    q2 = (-100.0, 0.0, 10.0, 250.0)
    return np.array([[a, c] for a in q1 for c in q2])


def derivative_error(mm: CostFunctionMarketMaker, h: float = 1e-4) -> float:
    r"""Largest :math:`|[C(q + h e_1) - C(q - h e_1)]/(2h) - p_1(q)|` over a fixed grid of
    24 two-outcome states (central difference; its truncation error is :math:`O(h^2)`)."""
    _check_mm(mm)
    h = check_real(h, "h", 0.0, 1.0, lo_open=True)
    grid = _state_grid()
    e = np.array([h, 0.0])
    fd = (np.asarray(mm.cost(grid + e)) - np.asarray(mm.cost(grid - e))) / (2 * h)
    return float(np.max(np.abs(fd - mm.prices(grid)[:, 0])))


def integral_error(mm: CostFunctionMarketMaker, ks: Sequence[float] = (1.0, 10.0, 100.0)) -> float:
    r"""Largest :math:`|\int_0^k p_1(q + x e_1)\,dx - [C(q + k e_1) - C(q)]|` over the grid of
    :func:`derivative_error` and the sizes ``ks`` (adaptive quadrature)."""
    _check_mm(mm)
    sizes = check_real_array(ks, "ks", 0.0, lo_open=True).ravel()
    err = 0.0
    for q in _state_grid():
        for k in sizes:
            val = quad(lambda x: float(mm.prices(q + unit(2, 0, x))[0]), 0.0, k, epsabs=1e-12)[0]
            err = max(err, abs(val - mm.buy(q, 0, k)))
    return err


def limit_order_error(mm: CostFunctionMarketMaker, orders: int = 200, seed: int = 7) -> float:
    """Largest difference (shares) between ``mm``'s limit-order fill and generic root finding.

    ``orders`` random orders: 2-5 outcomes, shares ~ N(0, 200), limit price ~ U(0.02, 0.98).
    """
    _check_mm(mm)
    orders = check_positive_int(orders, "orders", hi=10**6)
    seed = check_nonnegative_int(seed, "seed")
    rng = np.random.default_rng(seed)
    worst = 0.0
    for _ in range(orders):
        n = int(rng.integers(2, 6))
        q = rng.normal(0.0, 200.0, n)
        p = float(rng.uniform(0.02, 0.98))
        i = int(rng.integers(n))
        generic = CostFunctionMarketMaker.max_shares_at_price(mm, q, i, p)
        worst = max(worst, abs(mm.max_shares_at_price(q, i, p) - generic))
    return worst


def random_final_states(
    n: int, runs: int, seed: int, scale: float = 1e3, q0: ArrayLike | None = None
) -> NDArray[np.float64]:
    """``runs`` final states reachable by buying only: ``q0`` plus exponential share counts
    whose scale is itself log-uniform over ``[1, scale]`` (thin to thick markets), with every
    tenth state all on one outcome (the adversarial sequence)."""
    n = check_positive_int(n, "n", hi=10**4)
    runs = check_positive_int(runs, "runs", hi=10**7)
    seed = check_nonnegative_int(seed, "seed")
    scale = check_real(scale, "scale", 1.0, 1e300)
    rng = np.random.default_rng(seed)
    base = np.zeros(n) if q0 is None else check_array(q0, "q0", shape=(n,))
    size = np.exp(rng.uniform(0.0, np.log(scale), (runs, 1)))
    q = rng.exponential(1.0, (runs, n)) * size
    lone = np.arange(runs) % 10 == 0
    q[lone] = 0.0
    q[lone, rng.integers(0, n, lone.sum())] = size[lone, 0] * 50.0
    return base + q


def losses_over_states(mm: CostFunctionMarketMaker, q0: ArrayLike, states: ArrayLike) -> NDArray[np.float64]:
    r"""Loss :math:`L_o(q_0, q_T)` for every final state (rows of ``states``) and outcome ``o``.

    Returns an array of shape ``(len(states), n)``; by path independence each row covers every
    trade sequence that ends at that state.
    """
    _check_mm(mm)
    q0 = check_array(q0, "q0", ndim=1)
    qt = check_array(states, "states", shape=(None, q0.size))
    collected = np.asarray(mm.cost(qt)) - float(mm.cost(q0))
    return (qt - q0) - collected[:, None]


def run_trade_sequence(
    mm: CostFunctionMarketMaker, q0: ArrayLike, outcomes: ArrayLike, shares: float
) -> dict[str, NDArray[np.float64] | float]:
    """Buy ``shares`` of ``outcomes[t]`` at each step; the quadratic rule truncates a buy at
    the edge of its valid region.

    Returns ``price`` (price of outcome 1 after each step, first entry the start), ``price_sum``
    (sum of prices), ``collected`` (money collected) and ``q`` (final shares).
    """
    _check_mm(mm)
    q = check_array(q0, "q0", ndim=1).copy()
    n = q.size
    outcomes = _check_ints(outcomes, "outcomes", 0, n - 1)
    shares = check_finite(shares, "shares")
    p1, psum, cash = [float(mm.prices(q)[0])], [float(mm.prices(q).sum())], 0.0
    for i in outcomes:
        step = unit(n, int(i), shares)
        new = mm.clip_trade(q, step) if isinstance(mm, QuadraticMSR) else q + step
        cash += float(mm.trade_cost(q, new))
        q = new
        p = mm.prices(q)
        p1.append(float(p[0]))
        psum.append(float(p.sum()))
    return {"price": np.array(p1), "price_sum": np.array(psum), "collected": cash, "q": q}


def impact_against_volume(
    mm: CostFunctionMarketMaker, volumes: ArrayLike, shares: float = 10.0
) -> NDArray[np.float64]:
    """Rise of the price of outcome 1 when ``shares`` of it are bought at the balanced
    two-outcome state ``(V/2, V/2)``, for each volume ``V``."""
    _check_mm(mm)
    v = check_array(volumes, "volumes", ndim=1, lo=0.0)
    shares = check_finite(shares, "shares")
    bal = np.stack([v / 2, v / 2], axis=1)
    after = bal + np.array([shares, 0.0])
    return mm.prices(after)[:, 0] - mm.prices(bal)[:, 0]


def settle_time(path: ArrayLike, target: float, tol: float) -> int:
    """First index after which ``path`` stays within ``tol`` of ``target`` (0 if always)."""
    path = check_array(path, "path", ndim=1)
    target = check_finite(target, "target")
    tol = check_nonnegative(tol, "tol")
    out = np.abs(path - target) > tol
    return int(len(out) - np.argmax(out[::-1])) if out.any() else 0


def market_summary(sims: Mapping[float, MarketRun], truth: float, tol: float = 0.02) -> dict[str, list]:
    r"""One row per liquidity ``b`` of simulated belief-trader markets (LMSR).

    Columns: ``b``; mean and s.d. of the final price of outcome 1; the traders until the
    median price across markets stays within ``tol`` of ``truth``; the mean loss with its
    Monte Carlo standard error; the largest loss; and the mean loss as a share of
    :math:`b \ln 2`.
    """
    check_mapping(sims, "sims", nonempty=True, what="a mapping b -> MarketRun")
    for b, run in sims.items():
        check_positive(b, "sims key b")
        check_instance(run, "sims value", MarketRun)
    truth = check_probability(truth, "truth")
    tol = check_nonnegative(tol, "tol")
    keys = ("b", "p_mean", "p_sd", "settle", "loss", "loss_se", "loss_max", "share")
    cols: dict[str, list] = {k: [] for k in keys}
    for b, s in sims.items():
        p_end = s.prices[:, -1, 0]
        med = np.median(s.prices[:, :, 0], axis=0)
        cols["b"].append(float(b))
        cols["p_mean"].append(float(p_end.mean()))
        cols["p_sd"].append(float(p_end.std()))
        cols["settle"].append(settle_time(med, truth, tol))
        cols["loss"].append(float(s.loss.mean()))
        cols["loss_se"].append(float(s.loss.std(ddof=1) / np.sqrt(s.loss.size)))
        cols["loss_max"].append(float(s.loss.max()))
        cols["share"].append(float(s.loss.mean() / (b * np.log(2))))
    return cols


def lmsr_bound_margin(b: float, ns: Sequence[int], runs: int, seed: int) -> dict[str, float]:
    r"""Largest loss over ``runs`` random final states per outcome count, against :math:`b \ln n`.

    Returns ``worst`` (largest loss / bound over all n) and ``states`` (states checked).
    """
    b = check_positive(b, "b")
    ns = [
        check_positive_int(n, "ns", hi=10**4)
        for n in check_sequence(ns, "ns", what="a sequence of outcome counts")
    ]
    if min(ns) < 2:
        raise ValueError(f"ns must hold outcome counts >= 2, got {ns}")
    runs = check_positive_int(runs, "runs", hi=10**7)
    seed = check_nonnegative_int(seed, "seed")
    mm = LMSR(b)
    worst = 0.0
    for k, n in enumerate(ns):
        losses = losses_over_states(mm, np.zeros(n), random_final_states(n, runs, seed + k, 1e4))
        worst = max(worst, float(losses.max() / mm.worst_case_loss(n)))
    return {"worst": worst, "states": float(runs * len(ns))}


def stability_demo(mm: LMSR, ratio: float = 1e6) -> dict[str, float]:
    """The naive and the stable :math:`C(q)` at ``q = (ratio * b, 0)``, the prices and the cost of
    10 more shares of each outcome (the naive formula overflows beyond ``q/b`` of about 710)."""
    q = np.array([ratio * mm.b, 0.0])
    with np.errstate(over="ignore"):
        naive = float(mm.b * np.log(np.exp(q / mm.b).sum()))
    return {
        "naive C(q)": naive,
        "stable C(q)": float(mm.cost(q)),
        "p_1": float(mm.prices(q)[0]),
        "10 more of 1 ($)": round(mm.buy(q, 0, 10.0), 6),
        "10 of 2 ($)": round(mm.buy(q, 1, 10.0), 6),
    }


def quadratic_max_loss(qm: QuadraticMSR, n: int, runs: int, seed: int) -> float:
    """Largest loss of the quadratic market maker over ``runs`` random final states (from
    :func:`random_final_states`), each pulled back along its ray from 0 to the edge of the
    valid region when it lies outside (prices are affine, so the edge is one division)."""
    states = random_final_states(n, runs, seed, scale=3 * qm.b)
    p0 = np.full(n, 1.0 / n)
    dp = qm.prices(states) - p0  # p(t d) = p0 + t dp
    with np.errstate(divide="ignore", invalid="ignore"):
        t_up = np.where(dp > 0, (1.0 - p0) / dp, np.inf)
        t_dn = np.where(dp < 0, -p0 / dp, np.inf)
    t = np.minimum(1.0, np.minimum(t_up, t_dn).min(axis=1))
    return float(losses_over_states(qm, np.zeros(n), states * t[:, None]).max())
