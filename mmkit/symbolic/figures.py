"""Drawing helpers of the symbolic-POMDP chapter (they only call methods of a Matplotlib
``Axes`` passed in, so this module imports no plotting library)."""

from __future__ import annotations

from mmkit.common.validation import check_axes, check_instance, check_mapping, check_sequence
from mmkit.symbolic.inventory_pomdp import OBS, InventoryPOMDP
from mmkit.symbolic.pbvi import PolicyNode
from mmkit.symbolic.xadd import fmt_num

__all__ = ["DBN_PARENTS", "DBN_POS", "draw_dbn", "draw_tree"]

#: Parents of each next-slice node, as named by the model's case statements.
DBN_PARENTS = {
    "o": ["v", "i", "b", "a", "t", "u"],
    "i'": ["i", "v", "b", "a", "t", "u"],
    "v'": ["v"],
    "R": ["v", "i", "b", "a", "t", "u"],
}
DBN_POS = {
    "v": (0, 3),
    "i": (0, 2),
    "b": (0, 1),
    "a": (0, 0),
    "t": (1, 4),
    "u": (2, 4),
    "o": (1.5, 0.5),
    "R": (3, 1.5),
    "v'": (3, 3),
    "i'": (3, 2),
}


def draw_dbn(ax, colors, parents=DBN_PARENTS, pos=DBN_POS) -> list[str]:
    """Draw the dynamic Bayes net on ``ax``: state nodes in ``colors[0]``, actions in
    ``colors[1]``, the rest in ``colors[2]``; returns the sorted node labels.

    ``parents`` maps each child node to its parent nodes; ``pos`` gives every node's (x, y).
    """
    check_axes(ax, "ax")
    if len(check_sequence(colors, "colors", what="a sequence of colours")) < 3:
        raise ValueError(f"colors must hold at least 3 colours, got {len(colors)}")
    check_mapping(parents, "parents", nonempty=True, what="a mapping child -> parent nodes")
    check_mapping(pos, "pos", nonempty=True, what="a mapping node -> (x, y)")
    missing = sorted(
        {str(n) for c, ps in parents.items() for n in [c, *check_sequence(ps, "parents entry")]}
        - set(map(str, pos))
    )
    if missing:
        raise ValueError(f"pos must give a position for every node of parents, missing {missing}")
    for child, ps in parents.items():
        for p in ps:
            ax.annotate(
                "",
                xy=pos[child],
                xytext=pos[p],
                arrowprops=dict(arrowstyle="->", color="0.55", lw=0.8, shrinkA=11, shrinkB=11),
            )
    for k, (x, y) in pos.items():
        c = colors[0] if k in ("v", "i", "v'", "i'") else colors[1] if k in ("b", "a") else colors[2]
        ax.scatter([x], [y], s=620, color=c, zorder=3)
        ax.text(x, y, k, ha="center", va="center", color="white", zorder=4)
    ax.set_xlim(-0.5, 3.5)
    ax.set_ylim(-0.6, 4.6)
    ax.set_xticks([])
    ax.set_yticks([])
    return sorted(set(parents) | {p for ps in parents.values() for p in ps})


def draw_tree(ax, model: InventoryPOMDP, tree: PolicyNode, colors) -> None:
    """Draw a depth-3 policy tree: nodes are (bid, ask) boxes framed by the inventory's
    colour, edges carry the observation and its exact probability.

    ``tree`` is a :class:`~mmkit.symbolic.pbvi.PolicyNode` of ``model`` (as
    :func:`~mmkit.symbolic.pbvi.policy_tree` returns), at most 3 levels deep.
    """
    check_axes(ax, "ax")
    check_instance(model, "model", InventoryPOMDP)
    check_instance(tree, "tree", PolicyNode)
    check_sequence(colors, "colors", what="a sequence of colours")
    if tree.horizon > 3:
        raise ValueError(f"tree must be at most 3 levels deep (horizon <= 3), got horizon {tree.horizon}")
    xy: dict[tuple[str, ...], tuple[float, float]] = {(): (0.0, 2.0)}
    for k, o in enumerate(OBS):
        xy[(o,)] = (-3 + 3 * k, 1.0)
        for k2, o2 in enumerate(OBS):
            xy[(o, o2)] = (-3 + 3 * k - 1 + k2, 0.0)
    for path, node in tree.walk():
        x, y = xy[path]
        for o, (p, _) in node.children.items():
            x2, y2 = xy[path + (o,)]
            ax.plot([x, x2], [y, y2], color="0.6", lw=0.9, zorder=1)
            ps = fmt_num(p) if len(fmt_num(p)) < 7 else f"{float(p):.3f}"
            ax.text((x + x2) / 2, (y + y2) / 2 + 0.05, f"{o}\n{ps}", ha="center", va="bottom", color="0.3")
        ec = colors[node.belief.inventory % len(colors)]
        ax.text(
            x,
            y,
            model.action_label(node.action),
            ha="center",
            va="center",
            bbox=dict(boxstyle="round", fc="white", ec=ec),
        )
    ax.set_xlim(-4.6, 4.6)
    ax.set_ylim(-0.5, 2.5)
    ax.set_yticks([0, 1, 2], ["h = 1", "h = 2", "h = 3"])
    ax.set_xticks([])
