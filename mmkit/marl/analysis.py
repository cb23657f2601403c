"""Analyses of the MARL chapter that are more than a line or two: the B1 one-bit hypotheses,
the surrogate summaries, the untrained-network test and per-seed cell tables.

All take and return plain data (summaries, DataFrames); the chapter records the results in its
ledger.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from mmkit.common.validation import (
    check_array,
    check_choice,
    check_mapping,
    check_nonnegative,
    check_sequence,
    check_str,
)
from mmkit.marl.agents import ConstantMarket, ConstantQuoter, FlatQuoter
from mmkit.marl.evaluation import ALL_SETTINGS, _check_agent, run_setting, value
from mmkit.marl.metrics import ALL_METRICS, check_cells, check_tables

__all__ = [
    "B1_HYPOTHESES",
    "B1_CELLS",
    "b1_cells",
    "surrogate_summaries",
    "untrained_test",
    "cell_table",
]

#: B1 quotes constant in-range offsets except that one side is out of range at the start.
B1_HYPOTHESES = {
    "never": ConstantQuoter(2.5, 2.3),
    "ask at t = 0": FlatQuoter(2.37, 1.82, side="ask", first_step_only=True),
    "ask while flat": FlatQuoter(2.37, 1.82, side="ask"),
    "bid while flat": FlatQuoter(2.37, 1.82, side="bid"),
}
#: Table 5 cells of B1 alone that carry one bit of its policy.
B1_CELLS = [(n, m) for n in ("B1_Fix", "B1_Adversarial") for m in ("Inventory_volatility", "Market_share")]


def b1_cells(market_adv) -> dict[str, list[float]]:
    """For each hypothesis of :data:`B1_HYPOTHESES`, B1's eight cells (mean and std of
    :data:`B1_CELLS`), on seeds 0..99, the adversarial columns in ``market_adv``."""
    _check_agent(market_adv, "market_adv", "market")
    out = {}
    for h, q in B1_HYPOTHESES.items():
        s = {
            n: run_setting([q], market=market_adv if "Adv" in n else None)[1]
            for n in ("B1_Fix", "B1_Adversarial")
        }
        out[h] = [value(s[n], m, what=w) for n, m in B1_CELLS for w in ("mean", "std")]
    return out


def surrogate_summaries(fit: Mapping) -> dict:
    """Summaries of the fitted constant quoters (``surrogates.json``) in every setting.

    ``fit``: ``{"adversarial_market": [lambda, sigma], "offsets": {setting: [[bid, ask], ...]}}``.
    """
    check_mapping(fit, "fit", what='a mapping with "adversarial_market" and "offsets"')
    if "adversarial_market" not in fit or "offsets" not in fit:
        raise ValueError(f'fit must have the keys "adversarial_market" and "offsets", got {sorted(fit)}')
    check_array(fit["adversarial_market"], "fit['adversarial_market']", shape=(2,), lo=0.0)
    check_mapping(fit["offsets"], "fit['offsets']", nonempty=True, what="a mapping setting -> offsets")
    for n, offs in fit["offsets"].items():
        check_choice(n, "fit['offsets'] setting", ALL_SETTINGS)
        check_array(offs, f"fit['offsets'][{n!r}]", shape=(None, 2), lo=0.0)
    market = ConstantMarket(*fit["adversarial_market"])
    return {
        n: run_setting([ConstantQuoter(*o) for o in offs], market=market if "Adv" in n else None)[1]
        for n, offs in fit["offsets"].items()
    }


def untrained_test(
    rows: Sequence[Mapping], paper_a_fix: Mapping, metrics: Sequence[str], floor: float = 0.0005
):
    """Is the paper's A_Fix inside the 95 % prediction interval of untrained networks?

    ``rows``: per network seed, ``{metric: {"mean": [...]}}``. The interval is
    ``mean ± 1.96 sd sqrt(1 + 1/n)`` over the networks, at least ``± floor`` (the printed
    precision). Returns ``(table, inside)``: per-seed values with their mean and the paper's
    row, and a boolean Series per metric.
    """
    import pandas as pd

    metrics = [check_choice(m, "metrics", ALL_METRICS) for m in check_sequence(metrics, "metrics")]
    rows = check_sequence(rows, "rows", what="a sequence of per-seed evaluations")
    for r in rows:
        if not isinstance(r, Mapping) or "seed" not in r:
            raise TypeError(
                f'rows entries must be mappings with a "seed" and the metrics, got {type(r).__name__}'
            )
        if any(not isinstance(r.get(m), Mapping) or "mean" not in r[m] for m in metrics):
            raise ValueError(f'rows entries must hold {{"mean": ...}} for every metric of {metrics}')
    check_mapping(paper_a_fix, "paper_a_fix", what="a mapping metric -> value")
    for m in metrics:
        if m not in paper_a_fix:
            raise ValueError(f"paper_a_fix must hold every metric of {metrics}; missing {m!r}")
        check_array(paper_a_fix[m], f"paper_a_fix[{m!r}]", shape=())
    floor = check_nonnegative(floor, "floor")
    unt = pd.DataFrame(
        [[float(np.atleast_1d(r[m]["mean"])[0]) for m in metrics] for r in rows],
        columns=list(metrics),
        index=[str(r["seed"]) for r in rows],
    )
    half = np.maximum(1.96 * unt.std() * np.sqrt(1 + 1 / len(unt)), floor)
    paper = pd.Series({m: float(paper_a_fix[m]) for m in metrics})
    inside = (paper - unt.mean()).abs() <= half
    table = pd.concat([unt, unt.mean().to_frame("mean").T, paper.to_frame("paper").T])
    return table, inside


def cell_table(
    results: Sequence[Mapping], protocol: str, cells: Sequence[tuple[str, str, int]], paper: Mapping
):
    """Per-seed values of a few cells under one protocol (columns: seeds, then the paper)."""
    import pandas as pd

    from mmkit.marl.sweep import PROTOCOLS
    from mmkit.marl.tables import ROW_LABELS, _check_results

    check_choice(check_str(protocol, "protocol"), "protocol", PROTOCOLS)
    cells = check_cells(cells, "cells")
    check_tables(paper, "paper", [n for n, _, _ in cells])
    _check_results(results, protocol, cells)
    idx = [f"{ROW_LABELS.get(m, m)}{' Y' if k else ''}, {n}" for n, m, k in cells]
    df = pd.DataFrame(
        {
            str(r["seed"]): [float(np.atleast_1d(r["eval"][protocol][n][m]["mean"])[k]) for n, m, k in cells]
            for r in results
        },
        index=idx,
    )
    df["paper"] = [value(paper[n], m, k) for n, m, k in cells]
    return df
