"""Narrow, rendered tables of the MARL chapter (paper beside ours), built from summaries.

A summary maps a setting of Tables 5-7 to ``{metric: Summary}``; the paper's side is parsed from
the registry's ``tables`` entry (:func:`paper_tables`), ours comes from evaluations, possibly
averaged over training seeds (:func:`mmkit.marl.findings.seed_means`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from mmkit.marl.evaluation import parse_paper_table, value

__all__ = [
    "paper_tables",
    "compare_frame",
    "cells",
    "ses",
    "ROW_LABELS",
    "seed_table",
]

#: Short row labels of the metrics (X / Y split into two rows for a pair).
ROW_LABELS = {
    "PnL_mean": "PnL",
    "Sharpe_ratio": "Sharpe",
    "Inventory_volatility": "inv. vol.",
    "Quote_aggressiveness": "aggressiveness",
    "Market_share": "share",
    "Mean_omega": "omega",
    "Avg_spread": "spread",
    "Price_volatility": "price vol.",
    "Fill_ratio": "fill ratio",
    "Zero_fill_steps": "zero-fill steps",
    "Joint_drawdown_ratio": "joint drawdown",
    "Herding_ratio": "herding",
    "Inventory_divergence": "inv. divergence",
    "Quote_distance_bid": "dist. bid",
    "Quote_distance_ask": "dist. ask",
    "Fill_overlap_ratio": "fill overlap",
}


def paper_tables(tables: Mapping) -> dict:
    """The paper's Tables 5-7 from the registry's ``tables`` entry: ``{setting: {metric: Summary}}``."""
    t5, t67 = tables["Table 5"], tables["Tables 6-7"]
    return {
        **parse_paper_table("\n".join(t5["rows"]), t5["columns"]),
        **parse_paper_table("\n".join(t67["rows"]), t67["columns"]),
    }


def cells(s: Mapping, names: Sequence[str], metric: str, k: int = 0) -> np.ndarray:
    """Agent ``k``'s mean of ``metric`` in each setting of ``names``."""
    return np.array([value(s[n], metric, k) for n in names])


def ses(spread: Mapping, names: Sequence[str], metric: str, k: int = 0, key: str = "se") -> np.ndarray:
    """Agent ``k``'s across-seed standard error (or ``key``) of ``metric`` in each setting."""
    return np.array([float(np.atleast_1d(spread[n][metric][key])[k]) for n in names])


def _rows(paper: Mapping, name: str) -> list[tuple[str, str, int]]:
    out = []
    for m, s in paper[name].items():
        mean = np.atleast_1d(s.mean)
        if len(mean) == 1:
            out.append((ROW_LABELS.get(m, m), m, 0))
        else:
            out += [
                (f"{ROW_LABELS.get(m, m)} {xy}", m, k) for k, xy in enumerate("XY") if np.isfinite(mean[k])
            ]
    return out


def compare_frame(
    paper: Mapping,
    ours: Mapping,
    names: Sequence[str],
    spread: Mapping | None = None,
    digits: int = 3,
    label: str = "ours",
):
    """Narrow DataFrame: one row per metric (and agent), a (setting, paper | ours) column pair.

    Cells are ``mean (episode std)``; with ``spread`` (across-seed statistics) ours is
    ``mean ± 95 % half-width across seeds (mean episode std)``.
    """
    import pandas as pd

    rows = _rows(paper, names[0])
    data = {}
    for n in names:
        pc, oc = [], []
        for _, m, k in rows:
            sd = lambda s: f" ({value(s[n], m, k, 'std'):.{digits}f})"
            pc.append(f"{value(paper[n], m, k):.{digits}f}" + sd(paper) if m in paper[n] else "")
            if m not in ours.get(n, {}):
                oc.append("")
                continue
            o = f"{value(ours[n], m, k):.{digits}f}"
            if spread is not None:
                o += f" ± {float(np.atleast_1d(spread[n][m]['ci95'])[k]):.{digits}f}"
            oc.append(o + sd(ours))
        data[(n, "paper")] = pc
        data[(n, label)] = oc
    return pd.DataFrame(data, index=[r for r, _, _ in rows])


def seed_table(
    results: Sequence[Mapping], which: Sequence[tuple[str, str, int]], protocol: str = "sampled-norm"
):
    """Per-seed values of a few cells ``(setting, metric, agent)`` under one protocol (rows: seeds)."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                f"{ROW_LABELS.get(m, m)}{' Y' if k else ''} ({n})": float(
                    np.atleast_1d(r["eval"][protocol][n][m]["mean"])[k]
                )
                for n, m, k in which
            }
            for r in results
        ],
        index=[r["seed"] for r in results],
    )
