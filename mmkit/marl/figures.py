"""Drawing helpers of the MARL chapter (matplotlib only; the book's style is set by the caller)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

__all__ = ["draw_architecture", "role_spaces", "band"]

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
    return {r: (observation_space(r, cfg).shape[0], action_space(r).shape[0]) for r in POS}


def draw_architecture(ax, spaces: Mapping[str, tuple[int, int]]) -> None:
    """The three-layer diagram: a box per role with its space dimensions, arrows for training order."""
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
    ys = np.asarray(ys, dtype=float)
    (line,) = ax.plot(x, ys.mean(axis=0), label=label, color=color)
    ax.fill_between(x, ys.min(axis=0), ys.max(axis=0), alpha=0.2, color=line.get_color())
