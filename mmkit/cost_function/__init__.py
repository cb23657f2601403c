"""Cost-function market makers (Hanson's LMSR and its relatives) and markets of belief traders.

- :mod:`mmkit.cost_function.scoring_rules`: LMSR, the quadratic scoring-rule market maker,
  LS-LMSR, limit orders against a cost function;
- :mod:`mmkit.cost_function.prediction_market`: belief traders trading against an LMSR;
- :mod:`mmkit.cost_function.order_book`: trader accounts and persistent limit orders;
- :mod:`mmkit.cost_function.parimutuel`: the dynamic parimutuel market maker;
- :mod:`mmkit.cost_function.duality`: a market maker from any strictly proper scoring rule;
- :mod:`mmkit.cost_function.combinatorial`: LMSR over 2^k joint outcomes;
- :mod:`mmkit.cost_function.analysis`, :mod:`mmkit.cost_function.landscape`: the studies the
  LMSR chapter reports.
"""

from mmkit.cost_function.combinatorial import CombinatorialLMSR
from mmkit.cost_function.duality import (
    DualCostMarketMaker,
    ScoringRule,
    log_rule,
    quadratic_rule,
    spherical_rule,
)
from mmkit.cost_function.order_book import Fill, LimitOrderMarket, Order, random_order_flow
from mmkit.cost_function.parimutuel import DynamicParimutuel
from mmkit.cost_function.prediction_market import (
    MarketRun,
    TraderConfig,
    draw_beliefs,
    simulate_belief_grid,
    simulate_belief_traders,
)
from mmkit.cost_function.scoring_rules import (
    LMSR,
    LSLMSR,
    CostFunctionMarketMaker,
    LimitOrderFill,
    QuadraticMSR,
    as_quantities,
    price_impact,
    unit,
)

__all__ = [
    "CostFunctionMarketMaker",
    "LMSR",
    "QuadraticMSR",
    "LSLMSR",
    "LimitOrderFill",
    "as_quantities",
    "unit",
    "price_impact",
    "TraderConfig",
    "MarketRun",
    "draw_beliefs",
    "simulate_belief_traders",
    "simulate_belief_grid",
    "LimitOrderMarket",
    "Order",
    "Fill",
    "random_order_flow",
    "DynamicParimutuel",
    "ScoringRule",
    "DualCostMarketMaker",
    "log_rule",
    "quadratic_rule",
    "spherical_rule",
    "CombinatorialLMSR",
]
