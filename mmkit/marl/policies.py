"""SB3 policies of the MARL game: B-star's omega head, and frozen trained policies.

B-star (paper, Sec. 3.4): the actor outputs a three-dimensional action
``(a^b, a^a, omega)``; omega passes through a sigmoid whose output bias is initialised at
zero, so ``omega_0 = sigmoid(0) = 1/2``, a neutral start. Here the sigmoid is applied to
the *mean* of the third coordinate of SB3's diagonal Gaussian; the sampled value is clamped
to ``[0, 1]`` by SB3's action clipping ("raw actions are clamped within a bounded range").
The omega penalty ``beta (omega - 1/2)^2`` lives in the reward
(:func:`mmkit.marl.agents.role_reward`).

A trained agent is stored without pickle (:mod:`mmkit.marl.checkpoint`): ``<role>.pt`` (a
plain state dict), ``<role>_obsnorm.npz`` (its normalisation statistics) and ``<role>.json``
(metadata with :data:`MODEL_VERSION` and the files' hashes). :func:`load_agent` rebuilds the
policy from the metadata and refuses a checkpoint of another version or role.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from mmkit.common.manifest import ArtifactError
from mmkit.common.validation import (
    check_array,
    check_bool,
    check_callable,
    check_instance,
    check_positive,
    check_real,
)
from mmkit.marl.agents import check_role, market_from_action, offsets_from_action
from mmkit.marl.checkpoint import MODEL_VERSION, read_policy_files
from mmkit.marl.core import MarketConfig
from mmkit.marl.ppo import LeanActorCriticPolicy

__all__ = [
    "OmegaHead",
    "OmegaActorCriticPolicy",
    "FrozenPolicy",
    "build_policy",
    "load_policy",
    "load_agent",
    "MODEL_VERSION",
]


class OmegaHead(nn.Module):
    """Linear action head whose third output goes through a sigmoid: ``(m^b, m^a, sigmoid(z))``."""

    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        check_instance(linear, "linear", nn.Linear)
        if linear.out_features != 3:
            raise ValueError(f"linear must have 3 outputs (m^b, m^a, z), got {linear.out_features}")
        self.linear = linear
        with torch.no_grad():
            self.linear.bias[2] = 0.0  # omega_0 = sigmoid(0) = 1/2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.linear(x)
        return torch.cat([y[..., :2], torch.sigmoid(y[..., 2:3])], dim=-1)


class OmegaActorCriticPolicy(LeanActorCriticPolicy):
    """SB3 ``MlpPolicy`` (64-64 tanh, orthogonal init) with B-star's sigmoid omega head.

    The head wraps SB3's own ``action_net`` (same parameters, already in the optimiser), so
    everything else (log-std, value head, PPO loss) is SB3's. The constructor checks
    B-star's layout before SB3 builds anything: ``observation_space`` a 1-D ``Box``,
    ``action_space`` a ``Box`` of shape ``(3,)`` (bid, ask, omega logit), ``lr_schedule``
    callable; the other keyword arguments are SB3's ``ActorCriticPolicy``'s.
    """

    def __init__(self, observation_space, action_space, lr_schedule, *args, **kwargs) -> None:
        from gymnasium import spaces

        check_instance(observation_space, "observation_space", spaces.Box)
        if len(observation_space.shape) != 1:
            raise ValueError(f"observation_space must be 1-D, got shape {observation_space.shape}")
        check_instance(action_space, "action_space", spaces.Box)
        if action_space.shape != (3,):
            raise ValueError(f"action_space must have shape (3,) (bid, ask, omega), got {action_space.shape}")
        check_callable(lr_schedule, "lr_schedule")
        super().__init__(observation_space, action_space, lr_schedule, *args, **kwargs)

    def _build(self, lr_schedule) -> None:
        super()._build(lr_schedule)
        if not isinstance(self.action_net, OmegaHead):
            assert isinstance(self.action_net, nn.Linear)  # SB3's Gaussian action head
            self.action_net = OmegaHead(self.action_net)

    def omega_mean(self, obs: torch.Tensor) -> torch.Tensor:
        """Mean omega ``sigmoid(z(obs))`` for (normalised) observations, a float tensor whose
        last dimension is the observation's."""
        check_instance(obs, "obs", torch.Tensor)
        n = (self.observation_space.shape or (0,))[0]
        if obs.ndim == 0 or obs.shape[-1] != n or not obs.is_floating_point():
            raise ValueError(
                f"obs must be a float tensor of shape (..., {n}), got {obs.dtype} {tuple(obs.shape)}"
            )
        features = self.extract_features(obs, self.pi_features_extractor)
        assert isinstance(features, torch.Tensor)  # one shared extractor, not a (pi, vf) pair
        latent_pi = self.mlp_extractor.forward_actor(features)
        return self.action_net(latent_pi)[..., 2]


def build_policy(role: str, log_std_init: float, config: MarketConfig | None = None):
    """A fresh SB3 policy of ``role``'s layout (``MlpPolicy`` 64-64 tanh; B-star: omega head)."""
    from mmkit.marl.env import action_space, observation_space

    check_role(role)
    log_std_init = check_real(log_std_init, "log_std_init")
    cls = OmegaActorCriticPolicy if role == "Bstar" else LeanActorCriticPolicy
    cfg = MarketConfig() if config is None else config
    if not isinstance(cfg, MarketConfig):
        raise TypeError(f"config must be a MarketConfig, got {type(config).__name__}")
    return cls(
        observation_space(role, cfg), action_space(role), lambda _: 0.0, log_std_init=float(log_std_init)
    )


def load_policy(folder: str | Path, role: str, config: MarketConfig | None = None):
    """Rebuild ``role``'s stored policy (pickle-free files of :mod:`mmkit.marl.checkpoint`).

    Returns ``(policy, norm, meta)``: the SB3 policy in eval mode, its normalisation
    statistics and the metadata dict.
    """
    if config is not None and not isinstance(config, MarketConfig):
        raise TypeError(f"config must be a MarketConfig, got {type(config).__name__}")
    wpath, sd, norm, meta = read_policy_files(folder, role)
    policy = build_policy(role, meta["log_std_init"], config)
    try:
        policy.load_state_dict(sd, strict=True)
    except RuntimeError as exc:
        raise ArtifactError(f"artifact {wpath} does not fit the {role} policy ({exc})") from exc
    policy.set_training_mode(False)
    return policy, norm, meta


class FrozenPolicy:
    """A trained SB3 policy acting inside the vectorised market (batched, numpy-seeded).

    ``action = clip(mean(obs_n) + std * eps, box)`` with ``obs_n`` normalised by the saved
    ``VecNormalize`` statistics, ``eps`` standard normals supplied by the caller (seeded
    per episode), or ``eps = 0`` when ``deterministic``. Acts as a quoting agent
    (``quote``) for market-maker roles and as a market agent (``market``) for the adversary.
    """

    def __init__(
        self,
        model,
        obs_mean: np.ndarray,
        obs_var: np.ndarray,
        clip_obs: float,
        epsilon: float,
        role: str,
        config: MarketConfig | None = None,
        deterministic: bool = False,
        normalize: bool = True,
    ) -> None:
        if getattr(model, "action_space", None) is None:
            raise TypeError(
                f"model must be an SB3 model or policy (with action_space), got {type(model).__name__}"
            )
        self.model = model
        self.policy = getattr(model, "policy", model)
        self.role = check_role(role)
        self.config = MarketConfig() if config is None else config
        if not isinstance(self.config, MarketConfig):
            raise TypeError(f"config must be a MarketConfig, got {type(config).__name__}")
        self.obs_mean = check_array(obs_mean, "obs_mean", ndim=1)
        self.obs_var = check_array(obs_var, "obs_var", shape=self.obs_mean.shape, lo=0.0)
        self.clip_obs, self.epsilon = check_positive(clip_obs, "clip_obs"), check_positive(epsilon, "epsilon")
        self.deterministic = check_bool(deterministic, "deterministic")
        self.normalize = check_bool(normalize, "normalize")
        space = model.action_space
        self.low, self.high = space.low.astype(float), space.high.astype(float)
        self.act_dim = int(space.shape[0])
        self.noise_dim = 0 if deterministic else self.act_dim
        self.n_outputs = 3 if role == "Bstar" else 2

    def _norm(self, obs: np.ndarray) -> np.ndarray:
        if not self.normalize:
            return obs
        return np.clip(
            (obs - self.obs_mean) / np.sqrt(self.obs_var + self.epsilon), -self.clip_obs, self.clip_obs
        )

    def mean_std(self, obs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Gaussian mean and std of the raw action for observations ``obs`` (B, obs_dim)."""
        with torch.no_grad():
            t = torch.as_tensor(self._norm(np.asarray(obs, dtype=np.float64)), dtype=torch.float32)
            if isinstance(self.policy, LeanActorCriticPolicy):
                mean, std = self.policy.action_mean_std(t)
            else:
                d = self.policy.get_distribution(t).distribution
                mean, std = d.mean, d.stddev
            return mean.numpy().astype(float), std.numpy().astype(float)

    def raw_action(self, obs: np.ndarray, eps: np.ndarray) -> np.ndarray:
        m, s = self.mean_std(obs)
        a = m if self.deterministic or eps.shape[-1] == 0 else m + s * eps
        return np.clip(a, self.low, self.high)

    def quote(self, obs: np.ndarray, eps: np.ndarray) -> np.ndarray:
        if self.role == "adversary":
            raise ValueError("the adversary does not quote; use market()")
        a = self.raw_action(obs, eps)
        out = offsets_from_action(a[:, :2], self.config.max_offset)
        if self.role == "Bstar":
            out = np.concatenate([out, np.clip(a[:, 2:3], 0.0, 1.0)], axis=1)
        return out

    def market(self, obs: np.ndarray, eps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self.role != "adversary":
            raise ValueError(f"role {self.role!r} is a market maker; use quote()")
        return market_from_action(self.raw_action(obs, eps), self.config)


def load_agent(
    folder: str | Path,
    role: str,
    config: MarketConfig | None = None,
    deterministic: bool = False,
    normalize: bool = True,
) -> FrozenPolicy:
    """Load ``role``'s stored policy from ``folder`` as a :class:`FrozenPolicy` (no pickle).

    Raises :class:`~mmkit.common.manifest.ArtifactError` (a ``ValueError``) if a file is
    missing, truncated, tampered, written for another role or by another :data:`MODEL_VERSION`.
    """
    check_role(role)
    check_bool(deterministic, "deterministic")
    check_bool(normalize, "normalize")
    policy, norm, _ = load_policy(folder, role, config)
    return FrozenPolicy(
        policy, norm.mean, norm.var, norm.clip_obs, norm.epsilon, role, config, deterministic, normalize
    )
