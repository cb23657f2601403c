"""Stable-Baselines3 ``VecEnv`` view of :class:`~mmkit.marl.env.RoleMarket` (used for training).

Kept apart from :mod:`mmkit.marl.env` because importing SB3 imports torch (about 1.5 s):
the numpy market, the Gymnasium and PettingZoo envs and the roll-outs do not need it.
``mmkit.marl.MarketVecEnv`` resolves here lazily (SB3 imports torch).
"""

from __future__ import annotations

import numpy as np
from stable_baselines3.common.vec_env.base_vec_env import VecEnv

from mmkit.common.validation import check_nonnegative_int, check_positive_int
from mmkit.marl.agents import MarketAgent, QuotingAgent
from mmkit.marl.core import MarketConfig
from mmkit.marl.env import RoleMarket, action_space, observation_space

__all__ = ["MarketVecEnv"]


class MarketVecEnv(VecEnv):
    """Stable-Baselines3 ``VecEnv`` of ``n_envs`` episodes of one role, stepped together.

    All episodes have the same length, so they end and restart together; episode ``k`` of
    env ``i`` uses seed ``seed + k * n_envs + i``. The last observation of a finished episode
    is in ``info["terminal_observation"]`` as SB3 expects. ``streams="batch"`` (opt-in) draws
    each reset's random numbers from one generator of the batch (see :class:`RoleMarket`).
    """

    def __init__(
        self,
        role: str,
        n_envs: int = 4,
        seed: int = 0,
        config: MarketConfig | None = None,
        opponent: QuotingAgent | None = None,
        adversary: MarketAgent | None = None,
        beta: float = 10.0,
        streams: str = "exact",
    ) -> None:
        check_positive_int(n_envs, "n_envs")
        check_nonnegative_int(seed, "seed")
        self.sim = RoleMarket(role, config, opponent, adversary, beta, streams)
        super().__init__(n_envs, observation_space(role, self.sim.config), action_space(role))
        self.base_seed = int(seed)
        self.n_episodes = 0
        self._actions: np.ndarray | None = None
        self.render_mode = None

    def _next_seeds(self) -> list[int]:
        k = self.n_episodes
        self.n_episodes += 1
        return [self.base_seed + k * self.num_envs + i for i in range(self.num_envs)]

    def reset(self):
        return self.sim.reset(self._next_seeds()).astype(np.float32)

    def step_async(self, actions: np.ndarray) -> None:
        self._actions = actions

    def step_wait(self):
        obs, rew, done, info = self.sim.step(self._actions)
        obs = obs.astype(np.float32)
        om = info["omega"]
        infos = [{} if om is None else {"omega": float(om[i])} for i in range(self.num_envs)]
        dones = np.full(self.num_envs, bool(done))
        if done:
            for i in range(self.num_envs):
                infos[i]["terminal_observation"] = obs[i]
                infos[i]["TimeLimit.truncated"] = False
            obs = self.sim.reset(self._next_seeds()).astype(np.float32)
        return obs, rew.astype(np.float32), dones, infos

    def close(self) -> None:
        pass

    def get_attr(self, attr_name, indices=None):
        return [getattr(self, attr_name, None) for _ in self._get_indices(indices)]

    def set_attr(self, attr_name, value, indices=None) -> None:
        setattr(self, attr_name, value)

    def env_method(self, method_name, *args, indices=None, **kwargs):
        return [getattr(self, method_name)(*args, **kwargs) for _ in self._get_indices(indices)]

    def env_is_wrapped(self, wrapper_class, indices=None):
        return [False for _ in self._get_indices(indices)]

    def seed(self, seed: int | None = None):
        if seed is not None:
            self.base_seed, self.n_episodes = int(seed), 0
        return [self.base_seed + i for i in range(self.num_envs)]
