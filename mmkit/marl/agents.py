"""Agents, action maps and rewards of the MARL market-making game (spec A.3-A.4).

A *quoting agent* maps observations ``(P_t, t, q_t, X_t)`` of a batch of episodes, and a
batch of standard-normal draws for its exploration noise, to quote offsets
``(delta^b, delta^a)`` (and, for B-star, a weight ``omega``) in natural units. A *market
agent* (the adversary) maps ``(P_t, t)`` to ``(lambda_t, sigma_t)``.

Action maps (the RL policies act in ``[-1, 1]``; out-of-box actions are clipped, NaN raises):

- offsets: ``delta = (max_offset / 2) (a + 1)``, so ``[-1, 1] -> [0, 5]``;
- market: ``lambda = lo + (a_1 + 1)/2 (hi - lo)``, ``sigma = lo + (a_2 + 1)/2 (hi - lo)``;
- B-star's ``omega`` is already in ``[0, 1]`` (sigmoid head) and is clipped there.

Rewards (spec A.4), with ``R_t = dPnL_t - zeta (q_t/q_max)^2 - 1{t=T} eta (q_T/q_max)^2``:
A and B1 get their own ``R``; B2 gets ``-R`` of its opponent; B-star gets
``omega R_self + (1 - omega)(-R_opp) - beta (omega - 1/2)^2``; the adversary gets ``-R`` of
the benchmark quoting module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from mmkit.common.validation import (
    check_array,
    check_bool,
    check_choice,
    check_finite,
    check_int,
    check_nonnegative,
    check_nonnegative_int,
    check_positive,
    check_probability,
)
from mmkit.marl.core import MarketConfig

__all__ = [
    "ROLES",
    "QuotingAgent",
    "MarketAgent",
    "ConstantQuoter",
    "FlatQuoter",
    "BenchmarkQuoter",
    "ConstantMarket",
    "offsets_from_action",
    "market_from_action",
    "check_action",
    "base_reward",
    "omega_penalty",
    "role_reward",
    "check_role",
]

#: Agent roles of the paper (Table 1).
ROLES = ("adversary", "A", "B1", "B2", "Bstar")
#: Roles that quote in the market (the adversary does not trade).
MM_ROLES = ("A", "B1", "B2", "Bstar")


def check_role(role: str) -> str:
    if not isinstance(role, str) or role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, got {role!r}")
    return role


def check_action(a: np.ndarray, name: str = "action") -> np.ndarray:
    """Float array of the action; NaN or inf raises ``ValueError`` (never silently clipped)."""
    return check_array(a, name)


def offsets_from_action(a: np.ndarray, max_offset: float = 5.0) -> np.ndarray:
    """``delta = (max_offset/2)(clip(a, -1, 1) + 1)``: raw policy output to offsets in [0, max_offset]."""
    a = check_action(a, "a (the action)")
    max_offset = check_positive(max_offset, "max_offset")
    return 0.5 * max_offset * (np.clip(a, -1.0, 1.0) + 1.0)


def market_from_action(a: np.ndarray, config: MarketConfig) -> tuple[np.ndarray, np.ndarray]:
    """Adversary action ``a`` (B, 2) in [-1, 1] to ``(lambda, sigma)`` inside their bounds."""
    if not isinstance(config, MarketConfig):
        raise TypeError(f"config must be a MarketConfig, got {type(config).__name__}")
    a = check_action(a, "a (the adversary action)")
    if a.shape[-1] != 2:
        raise ValueError(f"a (the adversary action) must have shape (B, 2), got {a.shape}")
    a = np.clip(a, -1.0, 1.0).reshape(-1, 2)
    (l0, l1), (s0, s1) = config.lam_bounds, config.sigma_bounds
    lam = np.clip(l0 + 0.5 * (a[:, 0] + 1.0) * (l1 - l0), l0, l1)
    sig = np.clip(s0 + 0.5 * (a[:, 1] + 1.0) * (s1 - s0), s0, s1)
    return lam, sig


class QuotingAgent(Protocol):
    """A market maker: ``quote(obs (B,4), eps (B, noise_dim)) -> (B, 2 or 3)`` natural units."""

    @property
    def n_outputs(self) -> int: ...

    @property
    def noise_dim(self) -> int: ...

    def quote(self, obs: np.ndarray, eps: np.ndarray) -> np.ndarray: ...


class MarketAgent(Protocol):
    """An adversary: ``market(obs (B,2), eps (B, noise_dim)) -> (lambda (B,), sigma (B,))``."""

    @property
    def noise_dim(self) -> int: ...

    def market(self, obs: np.ndarray, eps: np.ndarray) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True)
class ConstantQuoter:
    """Constant offsets ``(delta^b, delta^a)`` (and ``omega`` if given): the surrogate agents."""

    bid: float
    ask: float
    omega: float | None = None
    noise_dim: int = 0

    def __post_init__(self) -> None:
        check_finite(self.bid, "bid")
        check_finite(self.ask, "ask")
        if self.omega is not None:
            check_probability(self.omega, "omega")
        check_nonnegative_int(self.noise_dim, "noise_dim")
        for name in ("bid", "ask"):
            v = getattr(self, name)
            if not np.isfinite(v):
                raise ValueError(f"{name} offset must be finite, got {v}")
        if self.omega is not None and not 0 <= self.omega <= 1:
            raise ValueError(f"omega must be in [0, 1], got {self.omega}")

    @property
    def n_outputs(self) -> int:
        return 2 if self.omega is None else 3

    def quote(self, obs: np.ndarray, eps: np.ndarray) -> np.ndarray:
        vals = [self.bid, self.ask] + ([] if self.omega is None else [self.omega])
        return np.tile(np.asarray(vals, dtype=float), (len(obs), 1))


@dataclass(frozen=True)
class FlatQuoter:
    """Constant offsets, except that one side is quoted at ``wide`` while the agent is flat.

    "Flat" means ``q = 0`` and ``X = 0``: the agent has not traded yet (with
    ``first_step_only``: only at ``t = 0``). With ``side = "ask"`` and the default ``wide = 5``
    (the top of the action box, beyond the fill range ``d_max = 3.07``) the agent never sells
    before its first purchase. This one-bit deviation from :class:`ConstantQuoter` is the
    fingerprint of the paper's B1 in Table 5: it takes a lone agent's market share from 0.997
    to 0.995 (fixed market) and its adversarial inventory volatility from 28.142 to 28.143.
    """

    bid: float
    ask: float
    side: str = "ask"
    wide: float = 5.0
    first_step_only: bool = False
    n_outputs: int = 2
    noise_dim: int = 0

    def __post_init__(self) -> None:
        for name in ("bid", "ask", "wide"):
            check_finite(getattr(self, name), name)
        check_choice(self.side, "side", ("bid", "ask"))
        check_bool(self.first_step_only, "first_step_only")
        check_int(self.n_outputs, "n_outputs", 2, 3)
        check_nonnegative_int(self.noise_dim, "noise_dim")
        for name in ("bid", "ask", "wide"):
            v = getattr(self, name)
            if not np.isfinite(v):
                raise ValueError(f"{name} offset must be finite, got {v}")
        if self.side not in ("bid", "ask"):
            raise ValueError(f"side must be 'bid' or 'ask', got {self.side!r}")

    def quote(self, obs: np.ndarray, eps: np.ndarray) -> np.ndarray:
        obs = np.asarray(obs, dtype=float)
        out = np.tile(np.array([self.bid, self.ask], dtype=float), (len(obs), 1))
        if self.first_step_only:
            flat = obs[:, 1] == 0
        else:
            flat = (obs[:, 2] == 0) & (obs[:, 3] == 0)
        out[flat, 0 if self.side == "bid" else 1] = self.wide
        return out


@dataclass(frozen=True)
class BenchmarkQuoter:
    """The adversary environment's benchmark module, "linear utility with terminal penalty".

    As coded by the authors (spec A.3): spread ``s = 2/gamma + eta``, offsets
    ``delta^b = s/2 - 2 eta q`` and ``delta^a = s/2 + 2 eta q``. Both quotes move *up* when
    long (the opposite skew to Avellaneda-Stoikov); kept as published. The bid offset turns
    negative once ``q > s/(4 eta) = 50.25``, so the module stops buying there.
    """

    gamma: float = 1.0
    eta: float = 0.01
    n_outputs: int = 2
    noise_dim: int = 0

    def __post_init__(self) -> None:
        check_positive(self.gamma, "gamma")
        check_nonnegative(self.eta, "eta")
        check_int(self.n_outputs, "n_outputs", 2, 3)
        check_nonnegative_int(self.noise_dim, "noise_dim")
        if self.gamma <= 0:
            raise ValueError(f"gamma must be > 0, got {self.gamma}")
        if self.eta < 0:
            raise ValueError(f"eta must be >= 0, got {self.eta}")

    def quote(self, obs: np.ndarray, eps: np.ndarray) -> np.ndarray:
        q = np.asarray(obs, dtype=float)[:, 2]
        half = 0.5 * (2.0 / self.gamma + self.eta)
        return np.stack([half - 2 * self.eta * q, half + 2 * self.eta * q], axis=1)


@dataclass(frozen=True)
class ConstantMarket:
    """Constant ``(lambda, sigma)``: the fixed market, or the adversary surrogate of spec A.7."""

    lam: float
    sigma: float
    noise_dim: int = 0

    def __post_init__(self) -> None:
        check_nonnegative(self.lam, "lam (lambda)")
        check_nonnegative(self.sigma, "sigma")
        check_nonnegative_int(self.noise_dim, "noise_dim")
        if not self.lam >= 0:
            raise ValueError(f"lam (lambda) must be >= 0, got {self.lam}")
        if not self.sigma >= 0:
            raise ValueError(f"sigma must be >= 0, got {self.sigma}")

    def market(self, obs: np.ndarray, eps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        B = len(obs)
        return np.full(B, float(self.lam)), np.full(B, float(self.sigma))


# ---------------------------------------------------------------------- rewards
def base_reward(dpnl: np.ndarray, q: np.ndarray, done: bool, config: MarketConfig) -> np.ndarray:
    """``R_t = dPnL_t - zeta (q_t/q_max)^2 - 1{t = T} eta (q_T/q_max)^2`` (spec A.4)."""
    if not isinstance(config, MarketConfig):
        raise TypeError(f"config must be a MarketConfig, got {type(config).__name__}")
    dpnl = check_array(dpnl, "dpnl")
    q = check_array(q, "q", shape=dpnl.shape)
    done = check_bool(done, "done")
    x = (q / config.q_max) ** 2 if config.q_max > 0 else 0.0 * q
    r = dpnl - config.zeta * x
    if done:
        r = r - config.eta * x
    return r


def omega_penalty(omega: np.ndarray, beta: float) -> np.ndarray:
    """B-star's anchor ``beta (omega - 1/2)^2`` (quadratic form INFERRED, spec A.4)."""
    beta = check_nonnegative(beta, "beta")
    return beta * (check_array(omega, "omega", lo=0.0, hi=1.0) - 0.5) ** 2


def role_reward(
    role: str,
    r_self: np.ndarray,
    r_opp: np.ndarray | None = None,
    omega: np.ndarray | None = None,
    beta: float = 0.0,
) -> np.ndarray:
    """Reward of ``role`` from its own base reward and its opponent's (spec A.4).

    A, B1: ``R_self``; B2: ``-R_opp``; Bstar: ``omega R_self + (1-omega)(-R_opp) - beta (omega-1/2)^2``;
    adversary: ``-R_self`` where ``R_self`` is the benchmark module's base reward.
    """
    check_role(role)
    r_self = check_array(r_self, "r_self")
    beta = check_nonnegative(beta, "beta")
    if r_opp is not None:
        r_opp = check_array(r_opp, "r_opp", shape=r_self.shape)
    if omega is not None:
        omega = check_array(omega, "omega")
    if role in ("A", "B1"):
        return r_self
    if role == "adversary":
        return -r_self
    if r_opp is None:
        raise ValueError(f"role {role!r} needs the opponent's reward r_opp")
    if role == "B2":
        return -r_opp
    if omega is None:
        raise ValueError("role 'Bstar' needs omega")
    w = np.clip(omega, 0.0, 1.0)
    return w * r_self - (1.0 - w) * r_opp - omega_penalty(w, beta)
