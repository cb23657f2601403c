"""Symbolic dynamic programming for market making with inventory (Kinathil et al. 2016).

- :mod:`mmkit.symbolic.xadd`: extended algebraic decision diagrams over linear case functions;
- :mod:`mmkit.symbolic.inventory_pomdp`: the market-making POMDP with inventory, its beliefs
  and an independent numerical expectimax;
- :mod:`mmkit.symbolic.pbvi`: symbolic point-based value iteration and policy trees.
- :mod:`mmkit.symbolic.pbvi_cells`: the cell grid on which :func:`solve` takes its decisions in
  floating point and certifies near-ties and values exactly (internal).
"""

from mmkit.symbolic.inventory_pomdp import (
    OBS,
    Belief,
    InventoryPOMDP,
    TraderModel,
    TraderType,
    check_actions,
    expectimax,
    fmt_action,
    gaussian_prior,
    make_actions,
    reachable_beliefs,
)
from mmkit.symbolic.pbvi import (
    Alpha,
    PBVIResult,
    PolicyNode,
    StageStats,
    policy_tree,
    solve,
    switch_point,
    upper_surface,
)
from mmkit.symbolic.xadd import XADD, Case, Decision, LinExpr, Q, fmt_num

__all__ = [
    "Q",
    "LinExpr",
    "Decision",
    "XADD",
    "Case",
    "fmt_num",
    "OBS",
    "TraderType",
    "TraderModel",
    "Belief",
    "make_actions",
    "check_actions",
    "gaussian_prior",
    "InventoryPOMDP",
    "reachable_beliefs",
    "expectimax",
    "fmt_action",
    "Alpha",
    "StageStats",
    "PBVIResult",
    "solve",
    "PolicyNode",
    "policy_tree",
    "upper_surface",
    "switch_point",
]
