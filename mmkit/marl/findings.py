"""The paper's checkable statements (Sections 5.1-5.6), evaluated on any set of Tables 5-7.

Each finding is a condition on the table cells: :func:`text_findings` evaluates all of them on a
mapping ``setting -> {metric: Summary}`` (the paper's printed tables, or ours) and returns
``{claim id: (evidence in words, holds)}``. Evaluating them on the paper's own tables checks
the criteria (a finding that fails there is contradicted by the paper's numbers).

Multi-seed results: :func:`seed_means` turns per-seed evaluations into the same mapping (mean
over seeds) plus across-seed standard errors, so the same code reads both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from mmkit.common.validation import check_sequence
from mmkit.marl.metrics import Summary, check_json_tables, check_tables

__all__ = ["text_findings", "seed_means", "pair_names", "FINDING_IDS"]


def pair_names() -> list[str]:
    from mmkit.marl.evaluation import PAIRS

    return [n for n, _, _ in PAIRS]


def _v(s: Mapping, n: str, m: str, k: int = 0) -> float:
    if n not in s or m not in s[n] or np.atleast_1d(s[n][m].mean).size <= k:
        raise ValueError(f"s must hold metric {m!r} (agent {k}) of setting {n!r}")
    return float(np.atleast_1d(s[n][m].mean)[k])


def _robustness(s: Mapping) -> dict:
    v = lambda n, m, k=0: _v(s, n, m, k)
    out = {}
    pa, pf = v("A_Adversarial", "PnL_mean"), v("A_Fix", "PnL_mean")
    out["f51-a-adv-pnl"] = (f"A: PnL {pf:.1f} fixed, {pa:.1f} adversarial ({pa / pf - 1:+.0%})", pa > pf)
    da = abs(v("A_Adversarial", "Quote_aggressiveness") - v("A_Fix", "Quote_aggressiveness"))
    ds = abs(v("A_Adversarial", "Avg_spread") - v("A_Fix", "Avg_spread"))
    out["f51-a-adv-quotes"] = (
        f"A: |change| of aggressiveness {da:.3f}, of spread {ds:.3f}",
        max(da, ds / 2) < 0.05,
    )
    zf, za = v("A_Fix", "Zero_fill_steps"), v("A_Adversarial", "Zero_fill_steps")
    vf, va = v("A_Fix", "Price_volatility"), v("A_Adversarial", "Price_volatility")
    out["f51-adv-market"] = (
        f"zero-fill steps {zf:.2f} fixed, {za:.2f} adversarial; price volatility {vf:.3f}, {va:.3f}",
        za < zf and va > vf,
    )
    bf, ba = v("B1_Fix", "PnL_mean"), v("B1_Adversarial", "PnL_mean")
    out["f51-b1-adv-pnl"] = (f"B1: PnL {bf:.1f} fixed, {ba:.1f} adversarial", ba > bf)
    a, b = v("A_Adversarial", "PnL_mean"), v("B1_Adversarial", "PnL_mean")
    sa, sb = v("A_Adversarial", "Market_share"), v("B1_Adversarial", "Market_share")
    out["f51-a-beats-b1-adv"] = (
        f"adversarial: PnL A {a:.1f}, B1 {b:.1f}; shares {sa:.3f}, {sb:.3f}",
        a > b and abs(sa - sb) < 0.01,
    )
    qa, qb = v("A_Fix", "Quote_aggressiveness"), v("B1_Fix", "Quote_aggressiveness")
    out["f51-a-wider-b1"] = (f"aggressiveness A {qa:.3f}, B1 {qb:.3f} (alone, fixed)", qa > qb)
    return out


def _pairs(s: Mapping) -> dict:
    v = lambda n, m, k=0: _v(s, n, m, k)
    out = {}
    px, py = v("A vs B1", "PnL_mean"), v("A vs B1", "PnL_mean", 1)
    sh = v("A vs B1", "Market_share", 1)
    out["f52-b1-beats-a"] = (f"A vs B1: PnL {px:.1f} / {py:.1f}, B1's share {sh:.3f}", py > px and sh > 0.5)
    solo_a, solo_b1 = v("A_Fix", "PnL_mean"), v("B1_Fix", "PnL_mean")
    comb = px + py
    out["f52-combined"] = (
        f"A + B1 {comb:.1f}; solo B1 {solo_b1:.1f}, A {solo_a:.1f}",
        solo_b1 < comb < solo_a,
    )
    ix, iy = v("A vs B1", "Inventory_volatility"), v("A vs B1", "Inventory_volatility", 1)
    i0 = v("A_Fix", "Inventory_volatility")
    out["f52-inventory"] = (
        f"inventory volatility A {ix:.2f}, B1 {iy:.2f}; alone {i0:.2f}",
        ix < i0 and iy < i0 and iy < ix,
    )
    p2, s2 = v("A vs B2", "PnL_mean", 1), v("A vs B2", "Market_share", 1)
    out["f53-b2-dominates-a"] = (
        f"A vs B2: PnL {v('A vs B2', 'PnL_mean'):.1f} / {p2:.1f}; B2's share {s2:.3f}",
        p2 > v("A vs B2", "PnL_mean") and s2 > 0.5,
    )
    ag = v("A vs B2", "Quote_aggressiveness")
    out["f53-a-wider"] = (
        f"A's aggressiveness {ag:.3f} vs B2, {v('A_Fix', 'Quote_aggressiveness'):.3f} alone",
        ag > v("A_Fix", "Quote_aggressiveness"),
    )
    g = [v("A vs B2", "Quote_aggressiveness", 1), ag]
    sp = [v("A vs B2", "Avg_spread"), v("A_Fix", "Avg_spread")]
    out["f53-b2-tighter"] = (
        f"aggressiveness {g[0]:.3f} (B2) vs {g[1]:.3f} (A); spread {sp[0]:.3f} vs {sp[1]:.3f} (A alone)",
        g[0] < g[1] and sp[0] < sp[1],
    )
    j2, j1 = v("A vs B2", "Joint_drawdown_ratio"), v("A vs B1", "Joint_drawdown_ratio")
    out["f53-drawdown"] = (f"joint drawdown {j2:.3f} (A-B2) vs {j1:.3f} (A-B1)", j2 > j1)
    ov = {n: v(n, "Fill_overlap_ratio") for n in pair_names()}
    out["f53-overlap-lowest"] = (
        f"fill overlap A-B2 {ov['A vs B2']:.3f}; lowest elsewhere {min(x for n, x in ov.items() if n != 'A vs B2'):.3f}",
        ov["A vs B2"] == min(ov.values()),
    )
    c2 = v("A vs B2", "PnL_mean") + p2
    out["f53-combined"] = (f"A + B2 {c2:.1f}; A alone {solo_a:.1f}", c2 < solo_a)
    b1, b2 = v("B1 vs B2", "PnL_mean"), v("B1 vs B2", "PnL_mean", 1)
    out["f54-b2-dominates-b1"] = (
        f"B1 vs B2: PnL {b1:.1f} / {b2:.1f}; B2's share {v('B1 vs B2', 'Market_share', 1):.3f}",
        b2 > b1 and v("B1 vs B2", "Market_share", 1) > 0.5,
    )
    q1, q0 = v("B1 vs B2", "Quote_aggressiveness"), v("B1_Fix", "Quote_aggressiveness")
    out["f54-b1-wider"] = (f"B1's aggressiveness {q1:.3f} vs B2, {q0:.3f} alone", q1 > q0)
    sp4, sp0 = v("B1 vs B2", "Avg_spread"), v("B1_Fix", "Avg_spread")
    out["f54-spread"] = (f"spread {sp4:.3f} (B1-B2) vs {sp0:.3f} (B1 alone)", sp4 < sp0)
    o = [ov["A vs B2"], ov["B1 vs B2"], ov["A vs B1"]]
    out["f54-overlap-order"] = (
        f"fill overlap A-B2 {o[0]:.3f} < B1-B2 {o[1]:.3f} < A-B1 {o[2]:.3f}",
        o[0] < o[1] < o[2],
    )
    return out


def _bstar(s: Mapping) -> dict:
    v = lambda n, m, k=0: _v(s, n, m, k)
    out = {}
    ns = ("A vs Bstar", "B1 vs Bstar")
    tight = [(v(n, "Quote_aggressiveness", 1), v(n, "Quote_aggressiveness")) for n in ns]
    out["f55-bstar-tighter"] = (
        "B-star's aggressiveness vs its opponent's: " + "; ".join(f"{a:.3f} < {b:.3f}" for a, b in tight),
        all(a < b for a, b in tight),
    )
    sh = [v(n, "Market_share", 1) for n in ns]
    pnl = [(v(n, "PnL_mean", 1), v(n, "PnL_mean")) for n in ns]
    out["f55-bstar-wins"] = (
        f"B-star's share {sh[0]:.3f} (vs A), {sh[1]:.3f} (vs B1); PnL "
        + "; ".join(f"{a:.1f} vs {b:.1f}" for a, b in pnl),
        min(sh) > 0.5 and all(a > b for a, b in pnl),
    )
    qa = [v("A vs Bstar", "Quote_distance_bid"), v("A vs Bstar", "Quote_distance_ask")]
    qb = [v("B1 vs Bstar", "Quote_distance_bid"), v("B1 vs Bstar", "Quote_distance_ask")]
    out["f55-distances"] = (
        f"quote distances bid/ask {qb[0]:.3f}/{qb[1]:.3f} (B1-B-star) vs {qa[0]:.3f}/{qa[1]:.3f} (A-B-star)",
        qb[0] < qa[0] and qb[1] < qa[1],
    )
    ob = [v(n, "Fill_overlap_ratio") for n in ns]
    o2 = [v(n, "Fill_overlap_ratio") for n in ("A vs B2", "B1 vs B2")]
    out["f55-overlap"] = (
        f"fill overlap {ob[0]:.3f}, {ob[1]:.3f} (B-star pairs) vs {o2[0]:.3f}, {o2[1]:.3f} (B2 pairs)",
        min(ob) > max(o2),
    )
    sa = (v("A vs Bstar", "Avg_spread"), v("A_Fix", "Avg_spread"))
    sb = (v("B1 vs Bstar", "Avg_spread"), v("B1_Fix", "Avg_spread"))
    out["f55-spread"] = (
        f"spread {sa[0]:.3f} vs {sa[1]:.3f} (A alone); {sb[0]:.3f} vs {sb[1]:.3f} (B1 alone)",
        sa[0] < sa[1] and sb[0] > sb[1],
    )
    ca, cb = v("A vs Bstar", "PnL_mean") + pnl[0][0], v("B1 vs Bstar", "PnL_mean") + pnl[1][0]
    out["f55-combined"] = (
        f"A + B-star {ca:.1f} vs A alone {v('A_Fix', 'PnL_mean'):.1f}; B1 + B-star {cb:.1f} vs B1 alone "
        f"{v('B1_Fix', 'PnL_mean'):.1f}",
        ca < v("A_Fix", "PnL_mean") and cb < v("B1_Fix", "PnL_mean"),
    )
    om = [v(n, "Mean_omega", 1) for n in ns]
    out["f55-omega"] = (
        f"mean omega {om[0]:.3f} (vs A), {om[1]:.3f} (vs B1)",
        all(abs(w - 0.7) <= 0.1 for w in om),
    )
    pa = [v("A vs Bstar", "PnL_mean"), v("A vs B2", "PnL_mean")]
    out["f56-bstar-milder"] = (
        f"A's PnL {pa[0]:.1f} against B-star, {pa[1]:.1f} against B2; B-star's share {sh[0]:.3f}",
        pa[0] > pa[1] and sh[0] > 0.5,
    )
    return out


def _global(s: Mapping) -> dict:
    v = lambda n, m, k=0: _v(s, n, m, k)
    herd = {n: v(n, "Herding_ratio") for n in pair_names()}
    out = {
        "f-herding": (
            "herding " + ", ".join(f"{n}: {h:.3f}" for n, h in herd.items()),
            all(h < 0.05 for n, h in herd.items() if n != "B1 vs B1") and herd["B1 vs B1"] > 0.05,
        )
    }
    from mmkit.marl.evaluation import PAIRS

    solo = {"A": v("A_Fix", "PnL_mean"), "B1": v("B1_Fix", "PnL_mean")}
    comb = {n: v(n, "PnL_mean") + v(n, "PnL_mean", 1) for n, _, _ in PAIRS}
    worst = max(comb[n] - max(solo.get(x, 0), solo.get(y, 0)) for n, x, y in PAIRS)
    out["x-combined-every-pair"] = (
        f"largest excess of a pair's combined PnL over its better solo agent: {worst:+.1f}",
        worst < 0,
    )
    return out


def text_findings(s: Mapping) -> dict[str, tuple[str, bool]]:
    """Every checkable statement of Sections 5.1-5.6 on the tables ``s``: ``{id: (text, holds)}``."""
    check_tables(s, "s")
    return {**_robustness(s), **_pairs(s), **_bstar(s), **_global(s)}


FINDING_IDS = tuple(
    "f51-a-adv-pnl f51-a-adv-quotes f51-adv-market f51-b1-adv-pnl f51-a-beats-b1-adv f51-a-wider-b1 "
    "f52-b1-beats-a f52-combined f52-inventory f53-b2-dominates-a f53-a-wider f53-b2-tighter "
    "f53-drawdown f53-overlap-lowest f53-combined f54-b2-dominates-b1 f54-b1-wider f54-spread "
    "f54-overlap-order f55-bstar-tighter f55-bstar-wins f55-distances f55-overlap f55-spread "
    "f55-combined f55-omega f56-bstar-milder f-herding x-combined-every-pair".split()
)


def seed_means(per_seed: Sequence[Mapping]) -> tuple[dict, dict]:
    """Per-seed evaluations ``[{setting: {metric: {"mean": [...], "std": [...]}}}]`` ->
    ``(means, spread)``: ``means[setting][metric]`` a :class:`Summary` whose mean is the mean over
    seeds and whose std is the mean episode std; ``spread[setting][metric]`` a dict with the
    across-seed standard error ``se``, the half-width ``ci95`` of the 95 % t-interval, the
    mean episode standard error ``se_episode`` (episode std / sqrt(100)) and the seed count ``n``."""
    from scipy.special import stdtrit

    per_seed = check_sequence(per_seed, "per_seed", what="a sequence of per-seed evaluations")
    for r in per_seed:
        check_json_tables(r, "per_seed entries")
        if set(r) != set(per_seed[0]) or any(set(r[k]) != set(per_seed[0][k]) for k in r):
            raise ValueError("per_seed entries must all hold the same settings and metrics")
    n = len(per_seed)
    means: dict[str, dict] = {}
    spread: dict[str, dict] = {}
    for setting in per_seed[0]:
        means[setting], spread[setting] = {}, {}
        for m in per_seed[0][setting]:
            mu = np.array([r[setting][m]["mean"] for r in per_seed], dtype=float)
            sd = np.array([r[setting][m]["std"] for r in per_seed], dtype=float)
            se = mu.std(axis=0, ddof=1) / np.sqrt(n) if n > 1 else np.full(mu.shape[1], np.nan)
            q = stdtrit(n - 1, 0.975) if n > 1 else np.nan
            means[setting][m] = Summary(mu.mean(axis=0), sd.mean(axis=0))
            spread[setting][m] = {"se": se, "ci95": q * se, "se_episode": sd.mean(axis=0) / 10.0, "n": n}
    return means, spread
