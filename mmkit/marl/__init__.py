"""Multi-agent RL market making (Wang, Ventre and Polukarov 2025, "competition without collusion").

- :mod:`mmkit.marl.core`: the numpy-vectorised market (spec A.2);
- :mod:`mmkit.marl.agents`: roles, action maps, benchmark module, surrogates, rewards;
- :mod:`mmkit.marl.env`: Gymnasium / PettingZoo views and roll-outs (Gymnasium ids
  ``mmkit/MarketMaker-v0`` and ``mmkit/MarketAdversary-v0``, registered on import);
  :mod:`mmkit.marl.vec_env`: the SB3 VecEnv (imported on first use of ``MarketVecEnv``:
  SB3 imports torch);
- :mod:`mmkit.marl.metrics`: the paper's metrics exactly as the authors' code;
- :mod:`mmkit.marl.evaluation`: the Tables 5-7 settings, surrogate calibration, beta sweep,
  paper tables and ledger claims, learning-curve convergence;
- :mod:`mmkit.marl.policies`: the B-star omega-head policy and frozen-policy loading;
- :mod:`mmkit.marl.train`: the three-stage PPO pipeline; :mod:`mmkit.book.cli_marl`: commands.
"""

from mmkit.marl.agents import ROLES, BenchmarkQuoter, ConstantMarket, ConstantQuoter, FlatQuoter, role_reward
from mmkit.marl.core import MarketConfig, MarketCore, fill_weight
from mmkit.marl.env import MarketMakerEnv, MarketParallelEnv, RoleMarket, Trajectory, register_envs, simulate
from mmkit.marl.metrics import episode_metrics, metric_table, summarise

__all__ = [
    "MarketConfig",
    "MarketCore",
    "fill_weight",
    "BenchmarkQuoter",
    "ConstantMarket",
    "ConstantQuoter",
    "FlatQuoter",
    "ROLES",
    "role_reward",
    "MarketMakerEnv",
    "MarketParallelEnv",
    "MarketVecEnv",
    "RoleMarket",
    "Trajectory",
    "simulate",
    "episode_metrics",
    "metric_table",
    "summarise",
]

register_envs()  # gymnasium.make("mmkit/MarketMaker-v0"), gymnasium.make("mmkit/MarketAdversary-v0")


def __getattr__(name: str):
    """``MarketVecEnv`` is imported on first use: SB3 imports torch, which the numpy game does not need."""
    if name == "MarketVecEnv":
        from mmkit.marl.vec_env import MarketVecEnv

        return MarketVecEnv
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
