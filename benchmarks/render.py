"""Write the book's Performance page (Markdown + one PNG figure) from a stored results file.

``python -m benchmarks --render performance.md [--results benchmarks/results/latest.json]``
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

import numpy as np

#: Panels of the scaling figure: title, x label, series (group, side, label), x scale.
PANELS = [
    (
        "Dense MDP solvers",
        "states n",
        [
            ("mdp_dense_vi", "ours", "mmkit VI"),
            ("mdp_dense_vi", "peer", "QuantEcon VI"),
            ("mdp_dense_pi", "ours", "mmkit PI"),
            ("mdp_dense_pi", "peer", "QuantEcon PI"),
            ("mdp_dense_mpi", "ours", "mmkit MPI"),
            ("mdp_dense_mpi", "peer", "QuantEcon MPI"),
        ],
        "log",
    ),
    (
        "Sparse MDP solvers",
        "states n",
        [
            ("mdp_banded_mpi", "ours", "mmkit MPI, banded"),
            ("mdp_banded_mpi", "peer", "QuantEcon MPI, banded"),
            ("mdp_random_mpi", "ours", "mmkit MPI, random"),
            ("mdp_random_mpi", "peer", "QuantEcon MPI, random"),
            ("mdp_random_pi_vs_mpi", "ours", "mmkit PI (BiCGSTAB), random"),
        ],
        "log",
    ),
    (
        "Dual LP vs policy iteration",
        "states n",
        [("mdp_dual_lp", "ours", "mmkit dual LP (HiGHS)"), ("mdp_dual_lp", "peer", "mmkit PI")],
        "log",
    ),
    (
        "Market-pressure matrix",
        "agents N",
        [
            ("pressure_matrix", "ours", "pressure_matrix (direct)"),
            ("pressure_matrix_fft", "ours", "pressure_matrix (fft)"),
            ("pressure_matrix_fft", "peer", "write the output"),
        ],
        "log",
    ),
    (
        "XADD: max of K case functions",
        "case functions K",
        [("xadd_max", "ours", "mmkit.symbolic.xadd"), ("xadd_max", "peer", "xaddpy")],
        "linear",
    ),
    (
        "Exact PBVI vs expectimax",
        "horizon H",
        [
            ("pbvi_exact", "ours", "exact PBVI (cells)"),
            ("pbvi_exact_xadd", "ours", "exact PBVI (rational reference)"),
            ("pbvi_exact", "peer", "expectimax"),
        ],
        "linear",
    ),
]
FIT_POINTS = 3  # the exponent is fitted over the largest sizes (the asymptotic regime)


def series(cases: list[dict], group: str, side: str) -> tuple[np.ndarray, np.ndarray]:
    rows = sorted((r["size"], r[f"{side}_min"]) for r in cases if r["group"] == group)
    return np.array([r[0] for r in rows], float), np.array([r[1] for r in rows], float)


def fit(x: np.ndarray, t: np.ndarray, xscale: str) -> float | None:
    """Slope of log t against log x (``xscale='log'``: t ~ x^slope) or against x
    (``'linear'``: t grows by 10^slope per unit; returned as that growth factor)."""
    if len(x) < 2:
        return None
    x, t = x[-FIT_POINTS:], t[-FIT_POINTS:]
    if xscale == "log":
        return float(np.polyfit(np.log(x), np.log(t), 1)[0])
    return float(10 ** np.polyfit(x, np.log10(t), 1)[0])


def growth_label(g: float | None, xscale: str, symbol: str = "n") -> str:
    if g is None:
        return ""
    return f"~ {symbol}^{g:.2f}" if xscale == "log" else f"x{g:.1f} per unit of {symbol}"


def figure(cases: list[dict], path: Path) -> list[tuple[str, str, str, str]]:
    """Draw the scaling figure; return the fitted growth of every series."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mmkit.book.plotting import subplots

    fig, axes = subplots(3, 2, width=7.0, height=10.5)
    fits = []
    for ax, (title, xlabel, lines, xscale) in zip(axes.ravel(), PANELS):
        sym = xlabel.split()[-1]
        ticks: set[float] = set()
        for k, (group, side, label) in enumerate(lines):
            x, t = series(cases, group, side)
            if len(x) == 0:
                continue
            g = fit(x, t, xscale)
            ticks.update(x.tolist())
            fits.append(
                (
                    title,
                    label,
                    f"{int(x[max(0, len(x) - FIT_POINTS)])}-{int(x[-1])}",
                    growth_label(g, xscale, sym),
                )
            )
            ax.plot(
                x,
                t,
                "o-" if side == "ours" else "s--",
                color=f"C{k}",
                label=f"{label} ({growth_label(g, xscale, sym)})" if g is not None else label,
            )
        if not ax.lines:
            ax.set_axis_off()
            continue
        ax.set_yscale("log")
        ax.set_xscale(xscale)
        ax.set_xticks(sorted(ticks), [f"{t:g}" for t in sorted(ticks)], fontsize=8)
        ax.minorticks_off()
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("CPU time per call (s)")
        ax.legend(fontsize=6, framealpha=0.85)
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
    return fits


def _t(s: float) -> str:
    for unit, f in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if s >= f:
            return f"{s / f:.3g} {unit}"
    return f"{s / 1e-9:.3g} ns"


def _r(x: float) -> str:
    return f"{x:.3g}"


def ratio_table(cases: list[dict]) -> list[str]:
    out = [
        "| case | size | ours | peer or limit | ours (min) | peer (min) | ratio of minima | ratio of medians |",
        "|---|---:|---|---|---:|---:|---:|---:|",
    ]
    for r in cases:
        med = r["ours_median"] / r["peer_median"]
        kind = " (limit)" if r["kind"] == "limit" else ""
        out.append(
            f"| `{r['group']}` | {r['size']} {r['size_label']} | {r['ours']} | {r['peer']}{kind} | "
            f"{_t(r['ours_min'])} | {_t(r['peer_min'])} | **{_r(r['ratio'])}** | {_r(med)} |"
        )
    return out


def headline(cases: list[dict]) -> list[str]:
    """One line per group: the ratio at the largest size."""
    by = defaultdict(list)
    for r in cases:
        by[r["group"]].append(r)
    out = ["| task | largest size | ours vs | ratio (> 1: ours slower) |", "|---|---:|---|---:|"]
    for g, rs in by.items():
        r = max(rs, key=lambda r: r["size"])
        span = ", ".join(_r(x["ratio"]) for x in sorted(rs, key=lambda r: r["size"]))
        out.append(
            f"| `{g}` | {r['size']} {r['size_label']} | {r['peer']} | **{_r(r['ratio'])}**"
            + (f" (all sizes: {span})" if len(rs) > 1 else "")
            + " |"
        )
    return out


#: The targets of issue 15 for the MDP cases against QuantEcon: ratio of minima at every size.
MDP_TARGETS = {"mdp_dense_build": 2.0}
MDP_TARGET = 1.5


def mdp_verdicts(cases: list[dict]) -> list[str]:
    """Each MDP group against QuantEcon: its ratios, the target, and whether every size meets it."""
    by = defaultdict(list)
    for r in cases:
        if r["group"].startswith("mdp_") and r["kind"] == "peer":
            by[r["group"]].append(r)
    if not by:
        return []
    out = [
        "## MDP solvers against QuantEcon",
        "",
        f"Every solver beside its QuantEcon `DiscreteDP` counterpart (same model, start and stopping "
        f"rule; the policies are checked identical before timing). Target: a ratio of minima of at "
        f"most {MDP_TARGET:g} at every size ({', '.join(f'`{g}`: {t:g}' for g, t in MDP_TARGETS.items())}). "
        "The verdict is computed from the stored ratios; the ratio of medians is given beside it.",
        "",
        "| group | sizes | ratios of minima | ratios of medians | target | met |",
        "|---|---|---|---|---:|---|",
    ]
    met = 0
    for g, rs in by.items():
        rs = sorted(rs, key=lambda r: r["size"])
        target = MDP_TARGETS.get(g, MDP_TARGET)
        ok = all(r["ratio"] <= target for r in rs)
        met += ok
        worst = max(rs, key=lambda r: r["ratio"])
        meds = ", ".join(_r(r["ours_median"] / r["peer_median"]) for r in rs)
        out.append(
            f"| `{g}` | {', '.join(str(r['size']) for r in rs)} | "
            f"{', '.join(_r(r['ratio']) for r in rs)} | {meds} | {target:g} | "
            + ("yes" if ok else f"**no** ({_r(worst['ratio'])} at {worst['size']})")
            + " |"
        )
    out += ["", f"{met} of {len(by)} groups meet their target at every size."]
    big = [r for rs in by.values() for r in rs if r["group"].startswith("mdp_random_") and r["size"] >= 20000]
    if big:
        slowest = max(big, key=lambda r: r["ours_min"])
        out.append(
            f"The random sparse model with {slowest['size']:,} states is solved by every mmkit solver "
            f"in at most {_t(slowest['ours_min'])} of CPU (`{slowest['group']}`)"
            + (", under a second." if slowest["ours_min"] < 1.0 else ", **not** under a second.")
        )
    out.append("")
    return out


def chapter_section(page: Path) -> list[str]:
    """What re-executing each chapter costs (``benchmarks/results/chapters.json``), if measured."""
    path = Path(__file__).resolve().parent / "results" / "chapters.json"
    if not path.exists():
        return []
    doc = json.loads(path.read_text())
    lines = [
        "## What re-executing a chapter costs",
        "",
        "CPU time (user + system of the test process and its kernel) of `pytest --nbval` on each "
        "chapter, as `make test` runs it, measured by `python -m benchmarks.chapters` on "
        f"{doc['date']} (load average {doc['load_average_start'][0]:.1f} at the start). The book's "
        f"budget is {doc['budget_s']:g} s for all chapters; about 6-7 s of each row is the fixed cost "
        "of starting pytest and a kernel. Slow results (training, sweeps) come from committed "
        "artifacts made by the command line, so a reader re-executing a chapter never trains.",
        "",
        "| chapter | CPU (s) | wall (s) | outputs reproduce |",
        "|---|---:|---:|---|",
        *[
            f"| {r['chapter']} | {r['cpu_s']:.1f} | {r['wall_s']:.1f} | {'yes' if r['passed'] else 'no'} |"
            for r in doc["chapters"]
        ],
        f"| **all** | **{doc['total_cpu_s']:.1f}** | | |",
        "",
    ]
    return lines


def render(doc: dict, page: Path, fig_path: Path | None = None) -> None:
    """Write ``page`` (Markdown) and its figure (default ``benchmarks/results/scaling.png``)."""
    page = Path(page)
    meta, cases = doc["meta"], doc["cases"]
    if fig_path is None:
        fig_path = Path(__file__).resolve().parent / "results" / "scaling.png"
    fig_path = Path(fig_path).resolve()
    fits = figure(cases, fig_path)
    rel_fig = os.path.relpath(fig_path, page.resolve().parent)
    pk = ", ".join(f"{k} {v}" for k, v in meta["packages"].items() if v)
    load = meta.get("load_average_start")
    lines = [
        "# Performance",
        "",
        "How fast is mmkit, measured beside what a reader would otherwise use? Each routine is timed "
        "in the same process as a *peer* (another implementation of the same computation, such as "
        "QuantEcon's `DiscreteDP`) or a *limit* (a lower bound on the cost, such as writing the output "
        "array), and the page reports the ratio. This page is generated from the stored results "
        "`benchmarks/results/latest.json` by `python -m benchmarks --render performance.md`; "
        "`make bench` reruns the suite and `make bench-quick` is the CI regression gate.",
        "",
        "## Method",
        "",
        "- **CPU time, not wall time.** Every sample is `time.process_time()` (the CPU time of the "
        "process), with BLAS and OpenMP pinned to one thread, so it measures single-core work. Wall "
        "time on a shared machine moves with other processes' load (the earlier single-shot scripts "
        "moved by 3-11x between a loaded and a quiet run); CPU time moves much less, although a busy "
        "machine still slows memory and caches somewhat.",
        f"- **Interleaved repeats.** Each side is first calibrated to a loop count that makes one sample "
        f"last at least {meta['target']:g} s of CPU (the first call is a warm-up: caches, numba "
        f"compilation). Then {meta['repeats']} samples of each side are taken alternately (ours, peer, "
        "peer, ours, ...), so a slow phase of the machine hits both sides.",
        "- **Minimum and median.** The table gives the minimum per-call time of each side (the least "
        "disturbed estimate) and the ratio of minima, `ours / peer`; the ratio of medians shows the "
        "spread. A ratio above 1 means mmkit is slower.",
        "- **Peers and limits.** A *peer* ratio compares two ways to get the same answer. A *limit* "
        "ratio is a distance from a floor (no routine can build a matrix faster than it can write it; "
        "the dual LP is timed against our own policy iteration, which finds the same optimum): a large "
        "limit ratio says how much room there is, not that another library is that much faster.",
        "- **Same work.** Before timing, each case runs both sides once and checks that they agree "
        "(same optimal policy, same value at a point, same trade costs or PnL to 1e-9); a case that "
        "disagrees stops the suite.",
        "- **Regression gate.** `make bench-quick` reruns the small sizes and fails, naming the case, "
        "when a ratio is more than 2x its stored value (a case over the factor is measured a second "
        "time and the lower ratio counts, so one load spike does not fail it). Ratios rather than "
        "times are compared, so a faster or slower machine does not trip it.",
        "",
        "## The stored run",
        "",
        f"- {meta['date']}, {meta['mode']} mode, commit `{meta.get('commit')}`; "
        f"{meta['cpu_seconds_total']} s of CPU in all.",
        f"- CPU: {meta['cpu']} ({meta['cpu_count']} logical cores); Python {meta['python']}.",
        f"- Packages: {pk}.",
    ]
    if load:
        lines.append(
            f"- Run under `nice` on a shared machine; load average {load[0]:g} at the start "
            f"(other jobs were running: CPU time, not wall time, is reported for that reason)."
        )
    for n in meta.get("notes", []):
        lines.append(f"- Note: {n}.")
    lines += [
        "",
        "## Ratios at the largest size",
        "",
        *headline(cases),
        "",
        "## How the costs grow with problem size",
        "",
        f"Minimum CPU time per call against problem size. Exponents are least-squares slopes of "
        f"log time against log size over the largest {FIT_POINTS} sizes (the asymptotic regime); "
        "for the XADD and PBVI panels the size axis is linear and the fit gives the growth factor "
        "per unit of K or H.",
        "",
        ":::{figure} " + rel_fig,
        ":name: fig-performance-scaling",
        "",
        "CPU time per call against problem size for each mmkit routine (solid) and its peer or "
        "limit (dashed), log scale; fitted growth in the legend.",
        ":::",
        "",
        "| panel | series | sizes fitted | growth |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in fits],
        "",
        *mdp_verdicts(cases),
        *chapter_section(page),
        "## All cases",
        "",
        *ratio_table(cases),
        "",
        "## Notes on the cases",
        "",
    ]
    seen = set()
    for r in cases:
        if r["note"] and r["group"] not in seen:
            seen.add(r["group"])
            lines.append(f"- `{r['group']}`: {r['note']}.")
    lines.append("")
    page.write_text("\n".join(lines))
