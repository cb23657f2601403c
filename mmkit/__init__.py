"""mmkit: market-making models and solvers.

Modules are named by concept, not by paper; a chapter may draw on several of them.

- :mod:`mmkit.scoring_rules`: cost-function market makers (LMSR, quadratic, LS-LMSR), limit orders.
- :mod:`mmkit.prediction_market`: a market of belief traders against an LMSR.
- :mod:`mmkit.glosten_milgrom`: Glosten-Milgrom market with noisy informed traders; exact and
  Gaussian beliefs, zero-profit / myopic / optimal market makers, the DP over rho, simulation.
- :mod:`mmkit.xadd`: a focused XADD, symbolic case statements with linear conditions and leaves.
- :mod:`mmkit.inventory_pomdp`, :mod:`mmkit.pbvi`: the market-making POMDP with inventory and
  symbolic point-based value iteration; independent numerical expectimax.
- :mod:`mmkit.markov_market`, :mod:`mmkit.mdp`, :mod:`mmkit.p2p`: agent-based Markov markets,
  small finite MDPs (dual LP, value and policy iteration), a peer-to-peer market simulation.
- :mod:`mmkit.marl`: the multi-agent market-making environment, agents, PPO training, metrics.
- :mod:`mmkit.ledger`, :mod:`mmkit.report`: the claims ledger and the reproduction report.
- :mod:`mmkit.plotting`: the book's figure style.
"""
__version__ = "0.1.0"
