"""mmkit: market-making models and solvers, the executable companion to five market-making papers.

The package is layered; each layer imports only from the layers below it.

``mmkit.common``
    Shared numerics: log-sum-exp, root finding, Markov chains, finite MDPs and their solvers.
``mmkit.cost_function``
    Cost-function market makers (LMSR, quadratic, LS-LMSR, limit orders) and belief-trader markets.
``mmkit.glosten_milgrom``
    Glosten-Milgrom market making after a shock: Gaussian and exact beliefs, the DP, simulation.
``mmkit.symbolic``
    XADDs, the market-making POMDP with inventory, symbolic point-based value iteration.
``mmkit.markov_market``
    Agent-based Markov markets for futures: the pressure chain, the trading MDP, a P2P market.
``mmkit.marl``
    The multi-agent market-making environment, agents, PPO training and metrics.
``mmkit.experiments``
    Studies that combine families (e.g. Kinathil's market maker against Das's).
``mmkit.book``
    Book machinery: paths, the claims ledger, the reproduction report, plotting, the CLI.
"""

__version__ = "0.2.0"
