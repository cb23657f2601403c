"""Cost-function market makers (Hanson's LMSR and its relatives) and markets of belief traders.

- :mod:`mmkit.cost_function.scoring_rules`: LMSR, the quadratic scoring-rule market maker,
  LS-LMSR, limit orders against a cost function;
- :mod:`mmkit.cost_function.prediction_market`: belief traders trading against an LMSR.
"""

from mmkit.cost_function.prediction_market import (
    MarketRun,
    TraderConfig,
    draw_beliefs,
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
]
