"""mmkit: market-making models and solvers.

Modules are named by concept, not by paper:

- :mod:`mmkit.scoring_rules`: cost-function market makers (LMSR, quadratic, LS-LMSR).
- :mod:`mmkit.ledger`: the claims ledger that compares rebuilt numbers with the papers'.
- :mod:`mmkit.report`: the reproduction report generated from the ledgers.
- :mod:`mmkit.plotting`: the book's figure style.
"""
__version__ = "0.1.0"
