"""Evaluation metrics of the MARL market-making paper, exactly as the authors' code (spec A.6).

Every metric is computed per episode over steps ``t = 1..T`` (post-step values) and then
summarised as the mean over episodes plus/minus the *sample* standard deviation (ddof = 1).
Within an episode ``std`` is the population std over t (numpy default).

Agent level (agent ``k``): mean PnL ``mean_t PnL_t`` (the time average of the cumulative
mark-to-market path, about half the final PnL), PnL std ``std_t PnL_t``, Sharpe
``mean_t PnL_t / (std_t PnL_t + 1e-6)`` (``sqrt 3`` for a linear ramp), inventory volatility
``std_t q_t``, quote aggressiveness ``mean_t (delta^b_t + delta^a_t)/2``, market share
``sum_t f_t / (sum_t N_t + 1e-6)``, mean omega ``mean_t omega_t``.

Market level: average spread ``mean_t`` of the agents' mean ``ask - bid``, price volatility
``std_t P_t`` (of the price *level*), fill ratio ``sum_t sum_k f^k_t / (sum_t N_t + 1e-6)``,
zero-fill steps ``#{t : sum_k f^k_t = 0}``.

Interaction level (pair X, Y): joint drawdown ``mean_t 1{dPnL^X_t < 0 and dPnL^Y_t < 0}``
(``dPnL_1 = PnL_1 - 0``), herding ``mean_t 1{|bid^X - bid^Y| < 0.01 and |ask^X - ask^Y| < 0.01}``,
inventory divergence ``std_t (q^X_t - q^Y_t)``, quote distance ``mean_t |bid^X - bid^Y|`` and
``mean_t |ask^X - ask^Y|``, fill overlap
``mean_t 1{(n^b_X > 0 and n^b_Y > 0) or (n^a_X > 0 and n^a_Y > 0)}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from mmkit.common.validation import check_mapping, check_nonnegative_int, check_sequence
from mmkit.marl.env import Trajectory

__all__ = [
    "episode_metrics",
    "summarise",
    "Summary",
    "AGENT_METRICS",
    "MARKET_METRICS",
    "PAIR_METRICS",
    "metric_table",
]

EPS = 1e-6
AGENT_METRICS = (
    "PnL_mean",
    "PnL_std",
    "Sharpe_ratio",
    "Inventory_volatility",
    "Quote_aggressiveness",
    "Market_share",
    "Mean_omega",
)
MARKET_METRICS = ("Avg_spread", "Price_volatility", "Fill_ratio", "Zero_fill_steps")
PAIR_METRICS = (
    "Joint_drawdown_ratio",
    "Herding_ratio",
    "Inventory_divergence",
    "Quote_distance_bid",
    "Quote_distance_ask",
    "Fill_overlap_ratio",
)


def _check(tr: Trajectory) -> None:
    if not isinstance(tr, Trajectory):
        raise TypeError(f"tr must be a Trajectory (from simulate), got {type(tr).__name__}")
    if tr.pnl.ndim != 3 or tr.pnl.shape[1] < 1:
        raise ValueError(f"trajectory pnl must be (episodes, steps, agents), got {tr.pnl.shape}")


def episode_metrics(tr: Trajectory) -> dict[str, np.ndarray]:
    """Per-episode metrics: ``name -> (B,)`` for market metrics, ``(B, M)`` for agent metrics.

    Pair metrics (agents 0 and 1) are included when the trajectory has two agents.
    """
    _check(tr)
    out: dict[str, np.ndarray] = {}
    pnl, q = tr.pnl, tr.q
    fills = tr.fills_bid + tr.fills_ask  # (B, T, M)
    n_tot = tr.arrivals.sum(axis=1)  # (B,)
    out["PnL_mean"] = pnl.mean(axis=1)
    out["PnL_std"] = pnl.std(axis=1)
    out["Sharpe_ratio"] = out["PnL_mean"] / (out["PnL_std"] + EPS)
    out["Inventory_volatility"] = q.std(axis=1)
    out["Quote_aggressiveness"] = (0.5 * (tr.bid_offset + tr.ask_offset)).mean(axis=1)
    out["Market_share"] = fills.sum(axis=1) / (n_tot[:, None] + EPS)
    has = np.isfinite(tr.omega).any(axis=1)  # (B, M): agents with an omega
    out["Mean_omega"] = np.where(
        has, np.nan_to_num(tr.omega).sum(axis=1) / np.maximum(np.isfinite(tr.omega).sum(axis=1), 1), np.nan
    )
    out["Avg_spread"] = (tr.ask - tr.bid).mean(axis=2).mean(axis=1)
    out["Price_volatility"] = tr.price.std(axis=1)
    out["Fill_ratio"] = fills.sum(axis=(1, 2)) / (n_tot + EPS)
    out["Zero_fill_steps"] = (fills.sum(axis=2) == 0).sum(axis=1).astype(float)
    if tr.n_agents == 2:
        dp = np.diff(pnl, axis=1, prepend=0.0)
        out["Joint_drawdown_ratio"] = ((dp[..., 0] < 0) & (dp[..., 1] < 0)).mean(axis=1)
        db = np.abs(tr.bid[..., 0] - tr.bid[..., 1])
        da = np.abs(tr.ask[..., 0] - tr.ask[..., 1])
        out["Herding_ratio"] = ((db < 0.01) & (da < 0.01)).mean(axis=1)
        out["Inventory_divergence"] = (q[..., 0] - q[..., 1]).std(axis=1)
        out["Quote_distance_bid"] = db.mean(axis=1)
        out["Quote_distance_ask"] = da.mean(axis=1)
        nb, na = tr.fills_bid, tr.fills_ask
        both = ((nb[..., 0] > 0) & (nb[..., 1] > 0)) | ((na[..., 0] > 0) & (na[..., 1] > 0))
        out["Fill_overlap_ratio"] = both.mean(axis=1)
    return out


@dataclass(frozen=True)
class Summary:
    """Mean and sample std (ddof = 1) over episodes of one metric (per agent if ``ndim == 1``)."""

    mean: np.ndarray
    std: np.ndarray

    def fmt(self, digits: int = 3) -> str:
        digits = check_nonnegative_int(digits, "digits")
        m, s = np.atleast_1d(self.mean), np.atleast_1d(self.std)
        return " / ".join(
            "-" if not np.isfinite(a) else f"{a:.{digits}f} ± {b:.{digits}f}" for a, b in zip(m, s)
        )


def summarise(per_episode: dict[str, np.ndarray]) -> dict[str, Summary]:
    """Mean +/- sample std (ddof = 1) over episodes of every metric."""
    if not isinstance(per_episode, dict):
        raise TypeError(
            f"per_episode must be a dict metric -> per-episode values, got {type(per_episode).__name__}"
        )
    out = {}
    for k, v in per_episode.items():
        v = np.asarray(v, dtype=float)
        if v.ndim == 0 or v.shape[0] < 2:
            raise ValueError(f"per_episode[{k!r}] needs >= 2 episodes for a sample std, got shape {v.shape}")
        out[k] = Summary(v.mean(axis=0), v.std(axis=0, ddof=1))
    return out


def metric_table(summary: dict[str, Summary], digits: int = 3) -> dict[str, str]:
    """The paper's cell strings ``"m ± s"`` (``"X / Y"`` for pairs), in the paper's row order."""
    if not isinstance(summary, dict) or not all(isinstance(v, Summary) for v in summary.values()):
        raise TypeError(f"summary must be a dict metric -> Summary, got {type(summary).__name__}")
    check_nonnegative_int(digits, "digits")
    order = (
        "PnL_mean",
        "Sharpe_ratio",
        "Inventory_volatility",
        "Quote_aggressiveness",
        "Market_share",
        "Mean_omega",
        "Avg_spread",
        "Price_volatility",
        "Fill_ratio",
        "Zero_fill_steps",
    ) + PAIR_METRICS
    rows = {}
    for k in order:
        if k not in summary:
            continue
        if k == "Mean_omega" and not np.isfinite(summary[k].mean).any():
            continue
        rows[k] = summary[k].fmt(digits)
    return rows


#: Every metric name of the tables (agent, market and pair metrics).
ALL_METRICS = AGENT_METRICS + MARKET_METRICS + PAIR_METRICS


def check_tables(s: object, name: str, settings: Iterable[str] = (), nonempty: bool = False) -> Mapping:
    """``s`` must map settings to ``{metric: Summary}`` (the paper's tables or ours) and hold
    every setting of ``settings`` (at least one setting if ``nonempty``); returns ``s``."""
    t = check_mapping(s, name, nonempty=nonempty, what="a mapping setting -> {metric: Summary}")
    for n, row in t.items():
        if not isinstance(row, Mapping) or not all(isinstance(v, Summary) for v in row.values()):
            raise TypeError(f"{name} must map each setting to a mapping metric -> Summary; {n!r} does not")
    missing = [n for n in settings if n not in t]
    if missing:
        raise ValueError(f"{name} must hold the settings {sorted(settings)}; missing {missing}")
    return t


def check_json_tables(s: object, name: str) -> Mapping:
    """``s`` must map settings to ``{metric: {"mean": [...], "std": [...]}}`` (an evaluation as
    stored in JSON); returns ``s``."""
    t = check_mapping(s, name, what='a mapping setting -> {metric: {"mean", "std"}}')
    for n, row in t.items():
        ok = isinstance(row, Mapping) and all(
            isinstance(v, Mapping) and "mean" in v and "std" in v for v in row.values()
        )
        if not ok:
            raise TypeError(f'{name} must map each setting to {{metric: {{"mean", "std"}}}}; {n!r} does not')
    return t


def check_cells(cells: object, name: str) -> list[tuple[str, str, int]]:
    """A non-empty sequence of ``(setting, metric, agent index)`` cells, agent index 0 or 1."""
    out = []
    for c in check_sequence(cells, name, what="a sequence of (setting, metric, k) cells"):
        ok = isinstance(c, (tuple, list)) and len(c) == 3 and isinstance(c[0], str) and isinstance(c[1], str)
        if not ok or isinstance(c[2], bool) or c[2] not in (0, 1):
            raise ValueError(f"{name} entries must be (setting, metric, k) with k 0 or 1, got {c!r}")
        out.append((c[0], c[1], int(c[2])))
    return out
