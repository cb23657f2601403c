"""Drawing helpers of the MARL chapter (matplotlib only; the book's style is set by the caller)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from mmkit.common.validation import (
    check_array,
    check_axes,
    check_axes_seq,
    check_finite,
    check_mapping,
    check_real_array,
    check_sequence,
    check_str,
)

__all__ = [
    "draw_architecture",
    "role_spaces",
    "band",
    "plot_fill",
    "plot_paths",
    "plot_curves",
    "plot_budget",
    "plot_adversary",
    "plot_omega",
    "plot_schedule",
]

ROLE_TEXT = {
    "adversary": "Adversary\nsets (λ, σ)",
    "A": "Agent A\nself-interested",
    "B1": "B1\nself-interested",
    "B2": "B2\nzero-sum vs A",
    "Bstar": "B⋆\nω-weighted",
}
POS = {
    "adversary": (0.5, 0.86),
    "A": (0.5, 0.52),
    "B1": (0.17, 0.14),
    "B2": (0.5, 0.14),
    "Bstar": (0.83, 0.14),
}


def role_spaces(config=None) -> dict[str, tuple[int, int]]:
    """``role -> (observation dim, action dim)`` read from the Gymnasium spaces."""
    from mmkit.marl.core import MarketConfig
    from mmkit.marl.env import action_space, observation_space

    cfg = MarketConfig() if config is None else config
    if not isinstance(cfg, MarketConfig):
        raise TypeError(f"config must be a MarketConfig, got {type(config).__name__}")
    return {r: (observation_space(r, cfg).shape[0], action_space(r).shape[0]) for r in POS}


def draw_architecture(ax, spaces: Mapping[str, tuple[int, int]]) -> None:
    """The three-layer diagram: a box per role with its space dimensions, arrows for training order."""
    check_axes(ax, "ax")
    check_mapping(spaces, "spaces", what="a mapping role -> (obs dim, action dim)")
    missing = [r for r in POS if r not in spaces]
    if missing:
        raise ValueError(f"spaces must give (obs dim, action dim) for every role, missing {missing}")
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    for role, (x, y) in POS.items():
        od, ad = spaces[role]
        fc = "#FBE9E0" if role == "adversary" else "#E8F1FA"
        box = FancyBboxPatch((x - 0.14, y - 0.09), 0.28, 0.18, boxstyle="round,pad=0.01", fc=fc, ec="0.3")
        ax.add_patch(box)
        ax.text(x, y + 0.02, ROLE_TEXT[role], ha="center", va="center")
        ax.text(x, y - 0.065, f"obs {od}, action {ad}", ha="center", color="0.3")
    ax.text(
        0.86, 0.86, "benchmark quoter\n(the adversary's\ntarget)", ha="center", va="center", style="italic"
    )
    for b in ("B1", "B2", "Bstar"):
        (x0, y0), (x1, y1) = POS["A"], POS[b]
        ax.add_patch(FancyArrowPatch((x0, y0 - 0.1), (x1, y1 + 0.1), arrowstyle="-|>", mutation_scale=12))
    (x0, y0), (x1, y1) = POS["adversary"], POS["A"]
    ax.add_patch(FancyArrowPatch((x0, y0 - 0.1), (x1, y1 + 0.1), arrowstyle="-|>", mutation_scale=12))
    ax.text(0.53, 0.69, "stage 2: A trains in\nthe adversary's market", va="center")
    ax.text(0.55, 0.33, "stage 3: each B trains\nagainst the frozen A", va="center")


def band(ax, x, ys, label: str, color=None) -> None:
    """Mean line and min-max band of several curves ``ys`` (rows) over ``x``."""
    check_axes(ax, "ax")
    x = check_real_array(x, "x")
    ys = check_array(ys, "ys", ndim=2, finite=False)
    if x.ndim != 1 or ys.shape[1] != x.size:
        raise ValueError(f"ys must have shape (curves, len(x)) = (*, {x.size}), got {ys.shape}")
    check_str(label, "label", nonempty=False)
    (line,) = ax.plot(x, ys.mean(axis=0), label=label, color=color)
    ax.fill_between(x, ys.min(axis=0), ys.max(axis=0), alpha=0.2, color=line.get_color())


def plot_fill(a1, a2, d, w, dd, closed, share, d_max: float) -> None:
    """Fill weight against distance (left); two-agent share against the offset difference (right)."""
    check_axes(a1, "a1")
    check_axes(a2, "a2")
    d, w = check_array(d, "d", ndim=1), check_array(w, "w", ndim=1)
    if w.shape != d.shape:
        raise ValueError(f"w must have the shape of d {d.shape}, got {w.shape}")
    dd = check_array(dd, "dd", ndim=1)
    for name, v in (("closed", closed), ("share", share)):
        if check_array(v, name, ndim=1).shape != dd.shape:
            raise ValueError(f"{name} must have the shape of dd {dd.shape}, got {np.shape(v)}")
    check_finite(d_max, "d_max")
    a1.plot(d, w)
    a1.axvline(d_max, ls=":", c="0.5")
    a1.set_xlabel("distance d from the post-move mid (price units)")
    a1.set_ylabel("priority weight w(d)")
    a2.plot(dd, closed, label="closed form")
    a2.plot(dd, share, "o", label="simulated")
    a2.set_xlabel("offset difference δ_X − δ_Y (price units)")
    a2.set_ylabel("X's market share")
    a2.legend()


def plot_paths(axs, tr, t) -> None:
    """Price, inventory and cumulative PnL of agent 0 (five seeds and the mean)."""
    from mmkit.marl.env import Trajectory

    axs = check_axes_seq(axs, "axs", 3)
    if not isinstance(tr, Trajectory):
        raise TypeError(f"tr must be a Trajectory, got {type(tr).__name__}")
    t = check_array(t, "t", ndim=1)
    if t.size != tr.price.shape[1]:
        raise ValueError(f"t must have one entry per recorded step ({tr.price.shape[1]}), got {t.size}")
    labels = ["mid-price (price units)", "inventory (units)", "cumulative PnL (cash units)"]
    for ax, path, lab in zip(axs, [tr.price, tr.q[..., 0], tr.pnl[..., 0]], labels):
        ax.plot(t, path[:5].T, lw=1)
        ax.plot(t, path.mean(0), "k--", lw=1.5)
        ax.set_xlabel("time t (episode fraction)")
        ax.set_ylabel(lab)
    odd = (1.0 - np.exp(-4.0)) / 2.0  # P(an order batch of Poisson(2) + Poisson(2) is odd) = 0.4908
    axs[1].plot(t, odd * np.arange(1, len(t) + 1), ":", c="0.4")


def plot_curves(a1, a2, curves: Mapping) -> dict:
    """Learning curves across seeds: ``curves[role] = (timesteps, {column: seeds x rollouts})``.

    Returns the mean (over seeds) 10-rollout-smoothed return per role, for printing.
    """
    check_axes(a1, "a1")
    check_axes(a2, "a2")
    check_mapping(curves, "curves", nonempty=True, what="a mapping role -> (timesteps, columns)")
    for r, entry in curves.items():
        if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], Mapping)):
            raise TypeError(f"curves[{r!r}] must be a pair (timesteps, {{column: seeds x rollouts}})")
        for col in ("episode_return", "action_std"):
            if col not in entry[1]:
                raise ValueError(f"curves[{r!r}] must have the column {col!r}")
    out = {}
    for r, (x, c) in curves.items():
        ret = c["episode_return"]
        k = np.ones(10)
        # mean of the finite values among the last 10 rollouts (a rollout shorter than an
        # episode records NaN when no episode ended in it)
        ok = np.isfinite(ret)
        tot = np.stack([np.convolve(row, k)[: len(row)] for row in np.where(ok, ret, 0.0)])
        cnt = np.stack([np.convolve(row, k)[: len(row)] for row in ok.astype(float)])
        with np.errstate(invalid="ignore", divide="ignore"):
            sm = tot / cnt
        band(a1, x, sm, r)
        band(a2, x, c["action_std"], r)
        out[r] = (x, sm.mean(axis=0))
    a1.set_xlabel("environment steps")
    a1.set_ylabel("episode return (reward units)")
    a2.set_xlabel("environment steps")
    a2.set_ylabel("action std (raw action units)")
    a2.set_yscale("log")
    a1.legend()
    return out


def plot_budget(axs, results, protocols, panels, paper_values) -> dict:
    """Headline cells against the budget, one band per protocol (across seeds).

    ``panels``: ``[(setting, metric, agent, title)]``; returns ``{(title, protocol): (budgets, mean)}``.
    """
    axs = check_axes_seq(axs, "axs")
    results = check_sequence(results, "results", what="a sequence of budget-sweep results")
    for r in results:
        if not (isinstance(r, Mapping) and isinstance(r.get("budgets"), Mapping)):
            raise TypeError("results entries must be mappings with a 'budgets' mapping")
    # a mapping name -> settings (sweep.PROTOCOLS) counts as its sequence of names
    names = list(protocols) if isinstance(protocols, Mapping) else protocols
    protocols = check_sequence(names, "protocols", what="a sequence of protocol names")
    panels = check_sequence(panels, "panels", what="a sequence of (setting, metric, agent, title)")
    paper_values = check_sequence(paper_values, "paper_values", what="a sequence of numbers")
    if not len(axs) == len(panels) == len(paper_values):
        raise ValueError(
            f"axs, panels and paper_values must have equal lengths, got {len(axs)}, {len(panels)}, {len(paper_values)}"
        )
    for v in paper_values:
        check_finite(v, "paper_values entry")
    budgets = sorted(set.intersection(*[set(r["budgets"]) for r in results]), key=int)
    x = [int(b) for b in budgets]
    out = {}
    for ax, (n, m, k, title), pv in zip(axs, panels, paper_values):
        for p in protocols:
            ys = [[np.atleast_1d(r["budgets"][b][p][n][m]["mean"])[k] for b in budgets] for r in results]
            band(ax, x, ys, p)
            out[(title, p)] = (x, np.mean(ys, axis=0))
        ax.axhline(pv, ls=":", c="k")
        ax.set_xscale("log")
        ax.set_xlabel("training steps per agent")
        ax.set_ylabel(title)
    axs[0].legend()
    return out


def plot_adversary(a1, a2, lams, sigs, bench, hist: Mapping) -> None:
    """Benchmark PnL against lambda (left); 2-D histogram of the adversary's actions (right)."""
    check_axes(a1, "a1")
    check_axes(a2, "a2")
    lams, sigs = check_array(lams, "lams", ndim=1), check_array(sigs, "sigs", ndim=1)
    check_array(bench, "bench", shape=(sigs.size, lams.size), finite=False)
    check_mapping(hist, "hist", what="a mapping with lam_edges, sigma_edges, counts")
    for k in ("lam_edges", "sigma_edges", "counts"):
        if k not in hist:
            raise ValueError(f"hist must have the key {k!r}")
    for s, row in zip(sigs, bench):
        a1.plot(lams, row, "o-", label=f"σ = {s}")
    a1.set_xlabel("order intensity λ (orders per unit time)")
    a1.set_ylabel("benchmark final PnL (cash units)")
    a1.legend()
    a2.pcolormesh(hist["lam_edges"], hist["sigma_edges"], np.array(hist["counts"]).T, cmap="Blues")
    a2.set_xlabel("adversary's λ (orders per unit time)")
    a2.set_ylabel("adversary's σ (price units)")


def plot_omega(a1, a2, omega_hist: Mapping, betas, omegas, rate: float) -> None:
    """Per-step omega histograms (left); learned mean omega against beta and the one-step optimum."""
    check_axes(a1, "a1")
    check_axes(a2, "a2")
    check_mapping(omega_hist, "omega_hist", what="a mapping with 'edges' and the two pairs' counts")
    for k in ("edges", "A vs Bstar", "B1 vs Bstar"):
        if k not in omega_hist:
            raise ValueError(f"omega_hist must have the key {k!r}")
        if k != "edges" and not (isinstance(omega_hist[k], Mapping) and "counts" in omega_hist[k]):
            raise TypeError(f"omega_hist[{k!r}] must be a mapping with the key 'counts'")
    betas = check_real_array(betas, "betas", 0.0, lo_open=True)
    if check_array(omegas, "omegas", finite=False).shape != betas.shape:
        raise ValueError(f"omegas must have the shape of betas {betas.shape}, got {np.shape(omegas)}")
    check_finite(rate, "rate")
    for name in ("A vs Bstar", "B1 vs Bstar"):
        a1.stairs(omega_hist[name]["counts"], omega_hist["edges"], label=name)
    a1.set_xlabel("ω per step (weight on own reward)")
    a1.set_ylabel("steps")
    a1.legend()
    grid = np.geomspace(min(betas), max(betas), 50)
    a2.plot(betas, omegas, "o", label="learned (short runs)")
    a2.plot(grid, np.clip(0.5 + rate / (2 * grid), 0, 1), label="one-step optimum")
    a2.set_xscale("log")
    a2.set_xlabel("penalty weight β (reward units)")
    a2.set_ylabel("mean ω")
    a2.legend()


def plot_schedule(ax, schedule: Mapping) -> dict[int, list[tuple[str, float, float]]]:
    """Gantt chart of a sweep's ``schedule.json``: one row per worker process, one bar per job
    (colour: the job), x in minutes from the first start.

    Returns ``{worker: [(label, start_min, end_min), ...]}`` (workers numbered 1, 2, ... in
    order of their first job; labels ``"<job> s<k>"`` with ``k`` the task's rank by seed).
    """
    check_axes(ax, "ax")
    check_mapping(schedule, "schedule", nonempty=True, what="a sweep schedule with 'jobs'")
    jobs = schedule.get("jobs")
    if not isinstance(jobs, list) or not jobs:
        raise ValueError("schedule must hold a non-empty list 'jobs'")
    need = ("job", "seed", "start_s", "end_s", "pid")
    for j in jobs:
        if not isinstance(j, Mapping) or any(k not in j for k in need):
            raise ValueError(f"every job of schedule must have the keys {need}")
    jobs = sorted(jobs, key=lambda j: j["start_s"])
    workers = list(dict.fromkeys(j["pid"] for j in jobs))
    seeds = sorted({j["seed"] for j in jobs})
    kinds = list(dict.fromkeys(j["job"] for j in jobs))
    colors = {k: f"C{i}" for i, k in enumerate(kinds)}
    rows: dict[int, list[tuple[str, float, float]]] = {w: [] for w in range(1, len(workers) + 1)}
    seen: set[str] = set()
    for j in jobs:
        w = workers.index(j["pid"]) + 1
        a, b = j["start_s"] / 60, j["end_s"] / 60
        label = j["job"] if j["job"] not in seen else None
        seen.add(j["job"])
        ax.barh(w, b - a, left=a, height=0.6, color=colors[j["job"]], edgecolor="white", label=label)
        rows[w].append((f"{j['job']} s{seeds.index(j['seed']) + 1}", a, b))
    ax.set_yticks(range(1, len(workers) + 1), [f"worker {w}" for w in range(1, len(workers) + 1)])
    ax.set_xlabel("wall time since the sweep started (minutes)")
    ax.set_ylabel("worker process (one core each)")
    ax.invert_yaxis()
    ax.legend(ncol=len(kinds), loc="upper center", bbox_to_anchor=(0.5, -0.25), frameon=False)
    return rows
