"""Narrow, rendered tables of the MARL chapter (paper beside ours), built from summaries.

A summary maps a setting of Tables 5-7 to ``{metric: Summary}``; the paper's side is parsed from
the registry's ``tables`` entry (:func:`paper_tables`), ours comes from evaluations, possibly
averaged over training seeds (:func:`mmkit.marl.findings.seed_means`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from mmkit.common.validation import (
    check_choice,
    check_int,
    check_mapping,
    check_nonnegative_int,
    check_sequence,
    check_str,
)
from mmkit.marl.evaluation import _check_names, parse_paper_table, value
from mmkit.marl.metrics import check_cells, check_tables

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
    check_mapping(tables, "tables", what='a mapping with "Table 5" and "Tables 6-7"')
    for key in ("Table 5", "Tables 6-7"):
        t = tables.get(key)
        if not isinstance(t, Mapping) or not isinstance(t.get("rows"), list) or "columns" not in t:
            raise ValueError(f'tables must have {key!r} with "rows" (lines) and "columns"')
    t5, t67 = tables["Table 5"], tables["Tables 6-7"]
    return {
        **parse_paper_table("\n".join(t5["rows"]), t5["columns"]),
        **parse_paper_table("\n".join(t67["rows"]), t67["columns"]),
    }


def cells(s: Mapping, names: Sequence[str], metric: str, k: int = 0) -> np.ndarray:
    """Agent ``k``'s mean of ``metric`` in each setting of ``names``."""
    names = _check_names(names)
    check_tables(s, "s", names)
    check_str(metric, "metric")
    for n in names:
        if metric not in s[n]:
            raise ValueError(f"metric must be a metric of every setting of names; not in {n!r}: {metric!r}")
    return np.array([value(s[n], metric, k) for n in names])


def ses(spread: Mapping, names: Sequence[str], metric: str, k: int = 0, key: str = "se") -> np.ndarray:
    """Agent ``k``'s across-seed standard error (or ``key``) of ``metric`` in each setting."""
    names = _check_names(names)
    check_mapping(spread, "spread", what="a mapping setting -> {metric: {statistic: values}}")
    check_str(metric, "metric")
    check_str(key, "key")
    check_int(k, "k", 0, 1)
    for n in names:
        row = spread.get(n)
        if not isinstance(row, Mapping) or not isinstance(row.get(metric), Mapping):
            raise ValueError(f"spread must hold metric {metric!r} of setting {n!r}")
        check_choice(key, "key", list(row[metric]))
        if np.atleast_1d(row[metric][key]).size <= k:
            raise ValueError(f"k must index the agents of {n!r}, got {k}")
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

    names = _check_names(names)
    check_tables(paper, "paper", names)
    check_tables(ours, "ours", nonempty=True)
    if spread is not None:
        check_mapping(spread, "spread", what="a mapping setting -> {metric: statistics}")
        for n in names:
            if n in ours and not all(m in spread.get(n, {}) for m in ours[n]):
                raise ValueError(f"spread must hold every metric of ours for setting {n!r}")
    digits = check_nonnegative_int(digits, "digits", hi=15)
    check_str(label, "label")
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

    from mmkit.marl.sweep import PROTOCOLS

    check_choice(protocol, "protocol", PROTOCOLS)
    which = check_cells(which, "which")
    _check_results(results, protocol, which)
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


def _check_results(results: object, protocol: str, cells: Sequence[tuple[str, str, int]]) -> None:
    """Per-seed task results: each a mapping with ``seed`` and ``eval[protocol][setting][metric]``."""
    for r in check_sequence(results, "results", what="a sequence of task results"):
        if not isinstance(r, Mapping) or "seed" not in r or not isinstance(r.get("eval"), Mapping):
            raise TypeError('results entries must be task results, mappings with "seed" and "eval"')
        ev = r["eval"].get(protocol)
        for n, m, k in cells:
            cell = ev.get(n, {}).get(m) if isinstance(ev, Mapping) else None
            if not isinstance(cell, Mapping) or "mean" not in cell or np.atleast_1d(cell["mean"]).size <= k:
                raise ValueError(f"results entries must hold eval[{protocol!r}][{n!r}][{m!r}] (agent {k})")
