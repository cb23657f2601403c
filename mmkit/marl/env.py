"""Environments of the MARL market-making game on top of the vectorised core.

- :class:`RoleMarket`: a batch of episodes seen from one learning role (the adversary, A,
  B1, B2 or B-star); frozen co-players (the benchmark module, a trained adversary, a frozen
  A) act inside it. Everything else is a thin view of it:
- :class:`MarketMakerEnv`: the Gymnasium env of one role (one episode);
- :class:`~mmkit.marl.vec_env.MarketVecEnv`: the same role as a Stable-Baselines3 ``VecEnv``
  of ``n_envs`` episodes stepped in one numpy call (used for training; in its own module,
  imported on first use, because SB3 imports torch);
- :class:`MarketParallelEnv`: the PettingZoo parallel env of the two-market-maker game;
- :func:`simulate`: vectorised roll-out of given agents, recording the trajectories that
  the metrics of :mod:`mmkit.marl.metrics` need.

Frozen co-players draw their exploration noise from per-episode generators
``default_rng([seed, 3 + k])`` (quoting agent ``k``) and ``default_rng([seed, 9])`` (adversary),
so an episode is a deterministic function of its seed and the learner's actions. With the
opt-in ``streams="batch"`` (training) every stream of a reset comes from one generator of the
whole batch (:func:`mmkit.marl.core.batch_rng` with key ``3 + k`` or 9): an episode is then a
deterministic function of the batch of seeds.

The Gymnasium ids ``mmkit/MarketMaker-v0`` (:class:`MarketMakerEnv`, role A in the fixed
market by default; ``role``, ``opponent``, ``adversary``, ``beta``, ``streams`` are keyword
arguments of ``gymnasium.make``) and ``mmkit/MarketAdversary-v0`` (the adversary against the
benchmark module) are registered when :mod:`mmkit.marl` is imported
(``gymnasium.make("mmkit.marl:mmkit/MarketMaker-v0")`` imports it first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import gymnasium as gym
import numpy as np
from pettingzoo import ParallelEnv

from mmkit.common.validation import check_nonnegative, check_nonnegative_int, check_positive_int
from mmkit.marl.agents import (
    MM_ROLES,
    BenchmarkQuoter,
    ConstantMarket,
    MarketAgent,
    QuotingAgent,
    base_reward,
    check_action,
    check_role,
    market_from_action,
    offsets_from_action,
    role_reward,
)
from mmkit.marl.core import MarketConfig, MarketCore, batch_rng, check_streams, seed_array

__all__ = [
    "RoleMarket",
    "MarketMakerEnv",
    "MarketParallelEnv",
    "simulate",
    "Trajectory",
    "noise_stream",
    "observation_space",
    "action_space",
    "register_envs",
    "GYM_IDS",
]

ADV_KEY = 9


def noise_stream(
    seeds: Sequence[int], key: int, n_steps: int, dim: int, streams: str = "exact"
) -> np.ndarray:
    """Standard normals (B, T, dim), episode ``e`` from ``default_rng([seeds[e], key])``.

    ``streams="batch"``: the whole array from one generator, ``batch_rng(seeds, key)``.
    """
    if check_streams(streams) == "batch":
        check_nonnegative_int(key, "key")
        check_positive_int(n_steps, "n_steps")
        check_nonnegative_int(dim, "dim")
        arr = seed_array(seeds)
        if not dim:
            return np.zeros((len(arr), n_steps, 0))
        return batch_rng(arr, key).standard_normal((len(arr), n_steps, dim))
    if seeds is None or isinstance(seeds, (str, bytes)) or len(seeds) == 0:
        raise TypeError("seeds must be a non-empty sequence of integers >= 0")
    seeds = [check_nonnegative_int(s, "seeds") for s in seeds]
    check_nonnegative_int(key, "key")
    check_positive_int(n_steps, "n_steps")
    check_nonnegative_int(dim, "dim")
    out = np.zeros((len(seeds), n_steps, dim))
    if dim:
        for i, s in enumerate(seeds):
            out[i] = np.random.default_rng([int(s), key]).standard_normal((n_steps, dim))
    return out


def observation_space(role: str, config: MarketConfig) -> gym.spaces.Box:
    """``(P, t)`` for the adversary; ``(P, t, q, X)`` for market makers (spec A.3)."""
    check_role(role)
    if not isinstance(config, MarketConfig):
        raise TypeError(f"config must be a MarketConfig, got {type(config).__name__}")
    if role == "adversary":
        return gym.spaces.Box(
            np.array([0.0, 0.0], np.float32), np.array([np.inf, config.horizon], np.float32), dtype=np.float32
        )
    lo = np.array([0.0, 0.0, -config.q_max, -np.inf], np.float32)
    hi = np.array([np.inf, config.horizon, config.q_max, np.inf], np.float32)
    return gym.spaces.Box(lo, hi, dtype=np.float32)


def action_space(role: str) -> gym.spaces.Box:
    """``[-1, 1]^2`` (offsets or market), and ``omega in [0, 1]`` as a third entry for B-star."""
    check_role(role)
    if role == "Bstar":
        return gym.spaces.Box(
            np.array([-1, -1, 0], np.float32), np.array([1, 1, 1], np.float32), dtype=np.float32
        )
    return gym.spaces.Box(-1.0, 1.0, (2,), dtype=np.float32)


def _market_core(
    config: MarketConfig, n_agents: int, market, streams: str = "exact"
) -> tuple[MarketCore, Any]:
    """A core for ``market``: None (fixed), ConstantMarket (exact streams) or a MarketAgent."""
    if market is None:
        return MarketCore(config, n_agents, streams=streams), None
    if isinstance(market, ConstantMarket):
        if market.lam > config.lam_bounds[1] or market.lam < 0:
            raise ValueError(f"lambda must be in [0, {config.lam_bounds[1]}], got {market.lam}")
        return MarketCore(
            replace(config, lam=market.lam, sigma=market.sigma), n_agents, streams=streams
        ), None
    return MarketCore(config, n_agents, adversarial=True, streams=streams), market


class RoleMarket:
    """A batch of episodes from the point of view of one learning ``role``.

    Parameters
    ----------
    role : {"adversary", "A", "B1", "B2", "Bstar"}
    config : MarketConfig
    opponent : QuotingAgent, optional
        The frozen co-player of a B role (agent 0; the learner is agent 1). Required for
        B1, B2 and Bstar.
    adversary : MarketAgent or ConstantMarket, optional
        Who sets ``(lambda, sigma)`` for A (a trained adversary); None is the fixed market.
    beta : float
        B-star's omega-penalty weight.
    streams : {"exact", "batch"}
        Per-episode random streams (default, the paper's) or one generator per reset batch
        (opt-in, training; see :func:`mmkit.marl.core.episode_streams`).
    """

    def __init__(
        self,
        role: str,
        config: MarketConfig | None = None,
        opponent: QuotingAgent | None = None,
        adversary: MarketAgent | None = None,
        beta: float = 10.0,
        streams: str = "exact",
    ) -> None:
        self.role = check_role(role)
        self.streams = check_streams(streams)
        self.config = MarketConfig() if config is None else config
        if not isinstance(self.config, MarketConfig):
            raise TypeError(f"config must be a MarketConfig, got {type(config).__name__}")
        check_nonnegative(beta, "beta")
        if beta < 0:
            raise ValueError(f"beta must be >= 0, got {beta}")
        self.beta = float(beta)
        if role in ("B1", "B2", "Bstar") and opponent is None:
            raise ValueError(f"role {role!r} needs an opponent (the frozen agent A)")
        if role in ("adversary", "A") and opponent is not None:
            raise ValueError(f"role {role!r} trades alone; opponent must be None")
        if role == "adversary":
            self.quoters: list[QuotingAgent] = [BenchmarkQuoter()]
            self.core = MarketCore(self.config, 1, adversarial=True, streams=streams)
            self.market = None
        else:
            self.quoters = [] if opponent is None else [opponent]
            self.core, self.market = _market_core(self.config, len(self.quoters) + 1, adversary, streams)
        self.me = len(self.quoters) if role != "adversary" else 0
        self.obs_dim = 2 if role == "adversary" else 4
        self.act_dim = 3 if role == "Bstar" else 2

    def _obs(self) -> np.ndarray:
        o = self.core.observe()[:, self.me, :]
        return o[:, :2] if self.role == "adversary" else o

    def reset(self, seeds: Sequence[int]) -> np.ndarray:
        self.core.reset(seeds)
        T = self.config.n_steps
        st = self.streams
        self.eps = [noise_stream(seeds, 3 + k, T, a.noise_dim, st) for k, a in enumerate(self.quoters)]
        self.eps_adv = noise_stream(seeds, ADV_KEY, T, getattr(self.market, "noise_dim", 0), st)
        return self._obs()

    def step(self, action: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool, dict]:
        """Apply the learner's raw actions (B, act_dim); return obs, reward, done, info."""
        a = check_action(action).reshape(self.core.B, self.act_dim)
        cfg, t = self.config, self.core.t
        obs_all = self.core.observe()
        lam = sig = None
        if self.role == "adversary":
            lam, sig = market_from_action(a, cfg)
        elif self.market is not None:
            lam, sig = self.market.market(obs_all[:, 0, :2], self.eps_adv[:, t])
        quotes = [q.quote(obs_all[:, k], self.eps[k][:, t]) for k, q in enumerate(self.quoters)]
        omega = None
        if self.role != "adversary":
            mine = offsets_from_action(a[:, :2], cfg.max_offset)
            if self.role == "Bstar":
                omega = np.clip(a[:, 2], 0.0, 1.0)
            quotes.append(mine)
        Q = np.stack([q[:, :2] for q in quotes], axis=1)
        res = self.core.step(Q[:, :, 0], Q[:, :, 1], lam=lam, sigma=sig)
        r = base_reward(res.dpnl, res.q, res.done, cfg)
        r_opp = r[:, 0] if self.role in ("B2", "Bstar") else None
        rew = role_reward(self.role, r[:, self.me], r_opp, omega, self.beta)
        info = {"dpnl": res.dpnl, "omega": omega, "lam": lam, "sigma": sig}
        return self._obs(), rew, res.done, info


class MarketMakerEnv(gym.Env):
    """Gymnasium env of one role (one episode of 200 steps; see :class:`RoleMarket`).

    ``reset(seed=s)`` starts the episode driven by seed ``s`` (price, arrivals, allocation and
    co-player noise); without a seed, the episode seed is drawn from ``self.np_random``.
    """

    metadata = {"render_modes": []}

    def __init__(
        self,
        role: str = "A",
        config: MarketConfig | None = None,
        opponent: QuotingAgent | None = None,
        adversary: MarketAgent | None = None,
        beta: float = 10.0,
        streams: str = "exact",
    ) -> None:
        super().__init__()
        self.sim = RoleMarket(role, config, opponent, adversary, beta, streams)
        self.observation_space = observation_space(role, self.sim.config)
        self.action_space = action_space(role)
        self.episode_seed: int | None = None

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        super().reset(seed=seed)
        s = int(seed) if seed is not None else int(self.np_random.integers(2**31 - 1))
        self.episode_seed = s
        obs = self.sim.reset([s])[0].astype(np.float32)
        return obs, {"episode_seed": s}

    def step(self, action):
        if self.episode_seed is None:
            raise RuntimeError("call reset() before step()")
        obs, rew, done, info = self.sim.step(np.asarray(action)[None, :])
        out = {
            k: (None if v is None else float(np.asarray(v).ravel()[0]))
            for k, v in info.items()
            if k != "dpnl"
        }
        out["dpnl"] = float(info["dpnl"][0, self.sim.me])
        if done:
            self.episode_seed = None
        return obs[0].astype(np.float32), float(rew[0]), bool(done), False, out


# ---------------------------------------------------------------------- roll-outs
@dataclass
class Trajectory:
    """Recorded episodes: arrays (B, T) or (B, T, M) over steps t = 1..T (post-step values)."""

    seeds: np.ndarray
    price: np.ndarray
    arrivals: np.ndarray
    lam: np.ndarray
    sigma: np.ndarray
    bid_offset: np.ndarray
    ask_offset: np.ndarray
    bid: np.ndarray
    ask: np.ndarray
    fills_bid: np.ndarray
    fills_ask: np.ndarray
    q: np.ndarray
    pnl: np.ndarray
    omega: np.ndarray

    @property
    def n_agents(self) -> int:
        return self.q.shape[2]


def simulate(
    agents: Sequence[QuotingAgent],
    seeds: Sequence[int],
    config: MarketConfig | None = None,
    market: MarketAgent | None = None,
    streams: str = "exact",
) -> Trajectory:
    """Roll out ``agents`` quoting together in ``len(seeds)`` episodes at once.

    ``market``: None for the fixed market ``(config.lam, config.sigma)``, a
    :class:`ConstantMarket`, or an adversary (``MarketAgent``, thinned arrivals).
    Agent ``k`` draws its noise from ``default_rng([seed, 3 + k])``; ``streams="batch"``
    (opt-in) draws every stream from one generator of the batch instead.
    """
    check_streams(streams)
    cfg = MarketConfig() if config is None else config
    if not isinstance(cfg, MarketConfig):
        raise TypeError(f"config must be a MarketConfig, got {type(config).__name__}")
    if agents is None or isinstance(agents, (str, bytes)) or len(agents) < 1:
        raise ValueError("agents must hold at least one quoting agent")
    for a in agents:
        if not (hasattr(a, "quote") and hasattr(a, "noise_dim")):
            raise TypeError(
                f"agents must be quoting agents (quote(obs, eps), noise_dim), got {type(a).__name__}"
            )
    if seeds is None or isinstance(seeds, (str, bytes)) or len(seeds) == 0:
        raise TypeError("seeds must be a non-empty sequence of integers >= 0")
    seeds = [check_nonnegative_int(s, "seeds") for s in seeds]
    core, adv = _market_core(cfg, len(agents), market, streams)
    core.reset(seeds)
    B, T, M = len(seeds), cfg.n_steps, len(agents)
    eps = [noise_stream(seeds, 3 + k, T, a.noise_dim, streams) for k, a in enumerate(agents)]
    eps_adv = noise_stream(seeds, ADV_KEY, T, getattr(adv, "noise_dim", 0), streams)
    f = lambda *shape: np.zeros((B, T) + shape)
    rec = dict(
        price=f(),
        arrivals=f(),
        lam=f(),
        sigma=f(),
        bid_offset=f(M),
        ask_offset=f(M),
        bid=f(M),
        ask=f(M),
        fills_bid=f(M),
        fills_ask=f(M),
        q=f(M),
        pnl=f(M),
        omega=np.full((B, T, M), np.nan),
    )
    lam_c = core.config.lam
    sig_c = core.config.sigma
    for t in range(T):
        obs = core.observe()
        lam = sig = None
        if adv is not None:
            lam, sig = adv.market(obs[:, 0, :2], eps_adv[:, t])
        outs = [a.quote(obs[:, k], eps[k][:, t]) for k, a in enumerate(agents)]
        for k, o in enumerate(outs):
            if o.shape[1] == 3:
                rec["omega"][:, t, k] = o[:, 2]
        db = np.stack([o[:, 0] for o in outs], axis=1)
        da = np.stack([o[:, 1] for o in outs], axis=1)
        res = core.step(db, da, lam=lam, sigma=sig)
        rec["price"][:, t] = res.price
        rec["arrivals"][:, t] = res.arrivals
        rec["lam"][:, t] = lam_c if lam is None else lam
        rec["sigma"][:, t] = sig_c if sig is None else sig
        rec["bid_offset"][:, t] = db
        rec["ask_offset"][:, t] = da
        rec["bid"][:, t] = res.bid
        rec["ask"][:, t] = res.ask
        rec["fills_bid"][:, t] = res.fills_bid
        rec["fills_ask"][:, t] = res.fills_ask
        rec["q"][:, t] = res.q
        rec["pnl"][:, t] = res.pnl
    return Trajectory(seeds=np.asarray(seeds), **rec)


# ---------------------------------------------------------------------- PettingZoo
class MarketParallelEnv(ParallelEnv):
    """PettingZoo parallel env: market makers of the given ``roles`` quote simultaneously.

    Agents are named ``"<role>_<k>"``. Rewards follow :func:`role_reward`; the opponent of a
    B2 or B-star agent is the other agent of the pair (so B2 vs B1 targets B1, as in the
    paper's B1-B2 evaluation). The market is fixed (``config.lam``, ``config.sigma``).
    """

    metadata = {"name": "mmkit_marl_v1", "render_modes": []}

    def __init__(
        self, roles: Sequence[str] = ("A", "B1"), config: MarketConfig | None = None, beta: float = 10.0
    ) -> None:
        if roles is None or isinstance(roles, (str, bytes)):
            raise TypeError(f"roles must be a sequence of market-maker roles {MM_ROLES}, got {roles!r}")
        if any(not isinstance(r, str) or r not in MM_ROLES for r in roles):
            raise ValueError(f"roles must be non-empty market-maker roles {MM_ROLES}, got {roles}")
        check_nonnegative(beta, "beta")
        if config is not None and not isinstance(config, MarketConfig):
            raise TypeError(f"config must be a MarketConfig, got {type(config).__name__}")
        roles = [check_role(r) for r in roles]
        if not roles or any(r not in MM_ROLES for r in roles):
            raise ValueError(f"roles must be non-empty market-maker roles {MM_ROLES}, got {roles}")
        if any(r in ("B2", "Bstar") for r in roles) and len(roles) != 2:
            raise ValueError("B2 and Bstar need exactly two agents (their opponent is the other)")
        if beta < 0:
            raise ValueError(f"beta must be >= 0, got {beta}")
        self.roles = roles
        self.config = MarketConfig() if config is None else config
        self.beta = float(beta)
        self.possible_agents = [f"{r}_{k}" for k, r in enumerate(roles)]
        self.agents: list[str] = []
        self.core = MarketCore(self.config, len(roles))
        self._obs_spaces = {a: observation_space(r, self.config) for a, r in zip(self.possible_agents, roles)}
        self._act_spaces = {a: action_space(r) for a, r in zip(self.possible_agents, roles)}
        self._rng = np.random.default_rng()
        self.render_mode = None

    def observation_space(self, agent: str):
        return self._obs_spaces[agent]

    def action_space(self, agent: str):
        return self._act_spaces[agent]

    def _obs_dict(self) -> dict:
        o = self.core.observe()[0].astype(np.float32)
        return {a: o[k] for k, a in enumerate(self.possible_agents)}

    def reset(self, seed: int | None = None, options: dict | None = None):
        if seed is not None:
            self._rng = np.random.default_rng(seed)
        s = int(seed) if seed is not None else int(self._rng.integers(2**31 - 1))
        self.core.reset([s])
        self.agents = list(self.possible_agents)
        return self._obs_dict(), {a: {"episode_seed": s} for a in self.agents}

    def step(self, actions: dict):
        if not self.agents:
            raise RuntimeError("episode over; call reset()")
        missing = set(self.agents) - set(actions)
        if missing:
            raise ValueError(f"actions missing for agents {sorted(missing)}")
        cfg = self.config
        acts = [check_action(actions[a], f"action of {a}").ravel() for a in self.possible_agents]
        off = np.stack([offsets_from_action(a[:2], cfg.max_offset) for a in acts])
        om = [np.clip(a[2], 0.0, 1.0) if r == "Bstar" else None for a, r in zip(acts, self.roles)]
        res = self.core.step(off[None, :, 0], off[None, :, 1])
        r = base_reward(res.dpnl[0], res.q[0], res.done, cfg)
        rew = {}
        for k, (a, role) in enumerate(zip(self.possible_agents, self.roles)):
            opp = r[1 - k] if len(self.roles) == 2 else None
            rew[a] = float(role_reward(role, r[k], opp, om[k], self.beta))
        obs = self._obs_dict()
        term = {a: bool(res.done) for a in self.agents}
        trunc = {a: False for a in self.agents}
        infos: dict[str, dict] = {a: {} for a in self.agents}
        if res.done:
            self.agents = []
        return obs, rew, term, trunc, infos

    def render(self):
        return None

    def close(self):
        pass


# ---------------------------------------------------------------------- Gymnasium ids
#: Gymnasium ids registered by :func:`register_envs` (on ``import mmkit.marl``): id -> fixed kwargs.
GYM_IDS: dict[str, dict] = {
    "mmkit/MarketMaker-v0": {},
    "mmkit/MarketAdversary-v0": {"role": "adversary"},
}


def register_envs() -> list[str]:
    """Register :data:`GYM_IDS` with Gymnasium (entry point :class:`MarketMakerEnv`); idempotent.

    Episodes end by themselves after ``config.n_steps`` steps (``terminated``), so no
    ``TimeLimit`` is added. Returns the ids.
    """
    for env_id, kwargs in GYM_IDS.items():
        if env_id not in gym.registry:
            gym.register(id=env_id, entry_point="mmkit.marl.env:MarketMakerEnv", kwargs=dict(kwargs))
    return list(GYM_IDS)
