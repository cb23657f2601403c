"""SB3 PPO with the same arithmetic and less overhead (bit-identical to ``stable_baselines3.PPO``).

:class:`LeanPPO` changes how SB3's PPO runs, never what it computes:

- :meth:`LeanPPO.train` is SB3's ``PPO.train`` (2.x) without the logging side-computations
  (per-minibatch ``.item()`` of the losses, the clip fraction, the approximate KL that only
  ``target_kl`` uses, the explained variance); the loss, its gradient, the gradient clipping
  and the optimiser step are the same operations in the same order. Settings that need the
  omitted code (``target_kl``, ``clip_range_vf``, discrete actions) fall back to SB3's method.
- Adam runs its ``foreach`` (multi-tensor) implementation, which applies the same element-wise
  float32 operations to all parameters at once instead of looping over them in Python, and
  is called as the function ``torch.optim.adam.adam`` that ``Adam.step`` calls (without the
  step's hooks and profiler records); gradients are clipped by the same foreach calls as
  ``clip_grad_norm_`` (:func:`clip_grad_norm`), reset by setting them to ``None`` (as
  ``zero_grad`` does), and minibatches are indexed from tensors made once per epoch
  (:func:`minibatches`: the same permutation and samples as ``RolloutBuffer.get``).
- ``torch.distributions`` argument validation is switched off during :meth:`LeanPPO.learn`
  (and restored after): it only checks that the means and standard deviations are finite and
  positive, so it changes no number.
- Its ``"MlpPolicy"`` is :class:`LeanActorCriticPolicy`: SB3's ``ActorCriticPolicy`` (same
  modules, same initialisation, same state dict) whose ``forward`` (roll-outs) and
  ``evaluate_actions`` (the loss) issue the same tensor operations in the same order
  without building ``torch.distributions`` objects or going through ``nn.Sequential``.

The same seed therefore gives the same bits as SB3's ``PPO`` (``tests/test_marl_ppo.py``
trains both and compares every parameter, for every role's layout), at a lower Python cost
per step for the 64-64 MLP policies of this package (``benchmarks/``, group ``ppo_lean``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import torch as th
from gymnasium import spaces
from stable_baselines3 import PPO
from stable_baselines3.common.buffers import RolloutBuffer
from stable_baselines3.common.distributions import DiagGaussianDistribution
from stable_baselines3.common.policies import ActorCriticPolicy
from stable_baselines3.common.type_aliases import RolloutBufferSamples
from torch import nn
from torch.nn import functional as F
from torch.optim import Adam
from torch.optim.adam import adam

from mmkit.common.validation import (
    check_bool,
    check_callable,
    check_instance,
    check_positive,
    check_positive_int,
    check_sequence,
    check_str,
)

__all__ = ["LeanPPO", "LeanActorCriticPolicy", "clip_grad_norm", "minibatches", "distribution_checks_off"]

#: ``log sqrt(2 pi)`` and ``1/2 + log(2 pi)/2``, the constants of ``torch.distributions.Normal``'s
#: ``log_prob`` and ``entropy``, computed by the same float expressions.
_LOG_SQRT_2PI = math.log(math.sqrt(2 * math.pi))
_ENTROPY_CONST = 0.5 + 0.5 * math.log(2 * math.pi)


@contextmanager
def distribution_checks_off() -> Iterator[None]:
    """Switch off ``torch.distributions`` argument validation inside the block (restored after)."""
    old = th.distributions.Distribution._validate_args
    th.distributions.Distribution.set_default_validate_args(False)
    try:
        yield
    finally:
        th.distributions.Distribution.set_default_validate_args(old)


def _mlp(net: nn.Module, x: th.Tensor) -> th.Tensor:
    """``net(x)`` for an ``nn.Sequential`` of ``Linear`` and ``Tanh`` layers, as direct calls of
    the same functions (``F.linear``, ``torch.tanh``); any other module is called as it is."""
    if not isinstance(net, nn.Sequential):
        return net(x)
    for layer in net:
        if type(layer) is nn.Linear:
            x = F.linear(x, layer.weight, layer.bias)
        elif type(layer) is nn.Tanh:
            x = th.tanh(x)
        else:
            x = layer(x)
    return x


class LeanActorCriticPolicy(ActorCriticPolicy):
    """SB3's ``ActorCriticPolicy`` with a diagonal Gaussian computed without distribution objects.

    With mean ``m(s)`` (the action head on the actor's latent) and ``sigma = exp(log_std)``:

    ``log pi(a | s) = sum_i [-(a_i - m_i)^2 / (2 sigma_i^2) - log sigma_i - log sqrt(2 pi)]``,
    ``H = sum_i [1/2 + log(2 pi)/2 + log sigma_i]``, and a sampled action ``m + sigma eps``,
    ``eps ~ N(0, 1)`` drawn by ``Tensor.normal_`` as ``Normal.rsample`` draws it. These are
    ``torch.distributions.Normal``'s formulas, evaluated by the same operations in the same
    order, so values, gradients and random draws are bit-identical to the parent class. Other
    layouts (non-Gaussian actions, separate feature extractors) use the parent's methods.
    """

    def __init__(self, observation_space, action_space, lr_schedule, *args, **kwargs) -> None:
        check_instance(observation_space, "observation_space", spaces.Space)
        check_instance(action_space, "action_space", spaces.Space)
        check_callable(lr_schedule, "lr_schedule")
        super().__init__(observation_space, action_space, lr_schedule, *args, **kwargs)

    def _lean(self) -> bool:
        return type(self.action_dist) is DiagGaussianDistribution and self.share_features_extractor

    def _check_obs(self, obs: object, name: str = "obs") -> th.Tensor:
        """``obs``: a float tensor (batch, obs_dim) (a Box observation space; other spaces are
        left to SB3's preprocessing)."""
        check_instance(obs, name, th.Tensor)
        assert isinstance(obs, th.Tensor)
        shape = self.observation_space.shape
        if (
            isinstance(self.observation_space, spaces.Box)
            and shape
            and (obs.ndim != 1 + len(shape) or tuple(obs.shape[1:]) != shape or not obs.is_floating_point())
        ):
            want = ", ".join(str(n) for n in shape)
            raise ValueError(
                f"{name} must be a float tensor of shape (batch, {want}), got {obs.dtype} {tuple(obs.shape)}"
            )
        return obs

    def _latents(self, obs: th.Tensor) -> tuple[th.Tensor, th.Tensor]:
        features = self.extract_features(obs)
        assert isinstance(features, th.Tensor)  # a shared extractor (checked by _lean)
        ext = self.mlp_extractor
        return _mlp(ext.policy_net, features), _mlp(ext.value_net, features)

    def _gaussian(self, latent_pi: th.Tensor) -> tuple[th.Tensor, th.Tensor]:
        """``(loc, scale)`` as ``DiagGaussianDistribution.proba_distribution`` builds them."""
        mean = self.action_net(latent_pi)
        std = th.ones_like(mean) * self.log_std.exp()
        loc, scale = th.broadcast_tensors(mean, std)
        return loc, scale

    @staticmethod
    def _log_prob(actions: th.Tensor, loc: th.Tensor, scale: th.Tensor) -> th.Tensor:
        var = scale**2
        log_scale = scale.log()
        log_prob = -((actions - loc) ** 2) / (2 * var) - log_scale - _LOG_SQRT_2PI
        return log_prob.sum(dim=1) if log_prob.ndim > 1 else log_prob.sum()

    def forward(self, obs: th.Tensor, deterministic: bool = False):
        """Actions, values and log-probabilities of the actions (SB3's ``forward``) for the
        observations ``obs``, a float tensor (batch, obs_dim); ``deterministic``: the mean."""
        self._check_obs(obs)
        check_bool(deterministic, "deterministic")
        if not self._lean():
            return super().forward(obs, deterministic)
        latent_pi, latent_vf = self._latents(obs)
        values = self.value_net(latent_vf)
        loc, scale = self._gaussian(latent_pi)
        if deterministic:
            actions = loc
        else:
            eps = th.empty(loc.shape, dtype=loc.dtype, device=loc.device).normal_()
            actions = loc + eps * scale
        log_prob = self._log_prob(actions, loc, scale)
        return actions.reshape((-1, *self.action_space.shape)), values, log_prob  # type: ignore[misc]

    def evaluate_actions(self, obs, actions: th.Tensor):
        """Values, log-probabilities and entropies of ``actions`` (SB3's ``evaluate_actions``):
        ``obs`` a float tensor (batch, obs_dim), ``actions`` a tensor with one row per observation."""
        self._check_obs(obs)
        check_instance(actions, "actions", th.Tensor)
        if actions.ndim == 0 or actions.shape[0] != obs.shape[0]:
            raise ValueError(
                f"actions must have one row per observation ({obs.shape[0]}), got shape {tuple(actions.shape)}"
            )
        if not self._lean():
            return super().evaluate_actions(obs, actions)
        latent_pi, latent_vf = self._latents(obs)
        loc, scale = self._gaussian(latent_pi)
        log_prob = self._log_prob(actions, loc, scale)
        values = self.value_net(latent_vf)
        entropy = _ENTROPY_CONST + th.log(scale)
        return values, log_prob, entropy.sum(dim=1) if entropy.ndim > 1 else entropy.sum()

    def action_mean_std(self, obs: th.Tensor) -> tuple[th.Tensor, th.Tensor]:
        """Mean and standard deviation of the Gaussian action for ``obs`` (actor only; the
        ``mean``/``stddev`` of ``get_distribution(obs).distribution``); ``obs`` a float tensor
        (batch, obs_dim)."""
        self._check_obs(obs)
        if not self._lean():
            d = self.get_distribution(obs).distribution
            assert isinstance(d, th.distributions.Distribution)  # one distribution, not a list
            return d.mean, d.stddev
        features = self.extract_features(obs, self.pi_features_extractor)
        assert isinstance(features, th.Tensor)
        return self._gaussian(_mlp(self.mlp_extractor.policy_net, features))


def clip_grad_norm(params: Sequence[th.Tensor], max_norm: float) -> None:
    """Scale the gradients by ``min(1, max_norm / (||g||_2 + 1e-6))``, ``||g||_2`` the norm of all
    gradients stacked: ``torch.nn.utils.clip_grad_norm_``'s foreach path, called directly (the
    same operations) when every gradient is a float32 CPU tensor, and that function otherwise.

    ``params``: a non-empty sequence of tensors (parameters; those without a gradient are
    skipped); ``max_norm`` > 0.
    """
    ps = check_sequence(params, "params")
    for p in ps:
        check_instance(p, "params", th.Tensor)
    _clip_grad_norm(ps, check_positive(max_norm, "max_norm"))


def _clip_grad_norm(params: Sequence[th.Tensor], max_norm: float) -> None:
    grads = [p.grad for p in params if p.grad is not None]
    if not grads or any(g.device.type != "cpu" or g.dtype != th.float32 for g in grads):
        th.nn.utils.clip_grad_norm_(params, max_norm)
        return
    with th.no_grad():
        total = th.linalg.vector_norm(th.stack(th._foreach_norm(grads, 2.0)), 2.0)
        th._foreach_mul_(grads, th.clamp(float(max_norm) / (total + 1e-6), max=1.0))


def minibatches(buffer: RolloutBuffer, batch_size: int) -> Iterator[RolloutBufferSamples]:
    """``buffer.get(batch_size)``: the same random permutation (``np.random.permutation``) and
    the same minibatches, indexed from tensors made once per pass instead of copied from
    numpy arrays at each minibatch. A subclass of ``RolloutBuffer`` uses its own ``get``.

    ``buffer``: a full ``RolloutBuffer`` (after ``compute_returns_and_advantage``);
    ``batch_size`` >= 1 samples per minibatch (the last one may be shorter).
    """
    check_instance(buffer, "buffer", RolloutBuffer)
    check_positive_int(batch_size, "batch_size")
    if not buffer.full:
        raise ValueError("buffer must be full (a complete roll-out), got a partly filled RolloutBuffer")
    return _minibatches(buffer, batch_size)


def _minibatches(buffer: RolloutBuffer, batch_size: int) -> Iterator[RolloutBufferSamples]:
    if type(buffer) is not RolloutBuffer:
        yield from buffer.get(batch_size)
        return
    n = buffer.buffer_size * buffer.n_envs
    indices = np.random.permutation(n)
    if not buffer.generator_ready:
        for name in ("observations", "actions", "values", "log_probs", "advantages", "returns"):
            buffer.__dict__[name] = buffer.swap_and_flatten(buffer.__dict__[name])
        buffer.generator_ready = True
    columns = (
        th.as_tensor(buffer.observations),
        th.as_tensor(buffer.actions.astype(np.float32, copy=False)),
        *(
            th.as_tensor(a).flatten()
            for a in (buffer.values, buffer.log_probs, buffer.advantages, buffer.returns)
        ),
    )
    for start in range(0, n, batch_size):
        idx = th.as_tensor(indices[start : start + batch_size])
        yield RolloutBufferSamples(*(c[idx] for c in columns))


class _AdamStep:
    """``optimizer.step()`` for an ``Adam`` whose every parameter has a gradient and a state:
    the functional ``torch.optim.adam.adam`` that ``Adam.step`` calls, with the same tensors and
    settings, minus the per-call hooks, profiler records and state look-ups. Anything else
    (a first step, a missing gradient, AMSGrad, fused or capturable modes) calls ``step()``."""

    def __init__(self, optimizer: th.optim.Optimizer) -> None:
        self.optimizer = optimizer
        self.groups: list[tuple[dict, list, list, list, list]] | None = None

    def _prepare(self) -> bool:
        opt = self.optimizer
        if type(opt) is not Adam or opt._optimizer_step_pre_hooks or opt._optimizer_step_post_hooks:
            return False
        groups = []
        for g in opt.param_groups:
            if g["amsgrad"] or g["fused"] or g["capturable"] or g["differentiable"] or not g["foreach"]:
                return False
            ps = list(g["params"])
            if any(p not in opt.state or p.is_complex() for p in ps):
                return False
            st = [opt.state[p] for p in ps]
            groups.append(
                (g, ps, [s["exp_avg"] for s in st], [s["exp_avg_sq"] for s in st], [s["step"] for s in st])
            )
        self.groups = groups
        return True

    def __call__(self) -> None:
        if self.groups is None and not self._prepare():
            self.optimizer.step()
            return
        assert self.groups is not None
        all_grads = [[p.grad for p in ps] for _, ps, *_ in self.groups]
        if any(gr is None for grads in all_grads for gr in grads):  # before any group steps
            self.groups = None
            self.optimizer.step()
            return
        for (g, ps, exp_avgs, exp_avg_sqs, steps), grads in zip(self.groups, all_grads):
            beta1, beta2 = g["betas"]
            with th.no_grad():
                adam(
                    ps, grads, exp_avgs, exp_avg_sqs, [], steps,
                    amsgrad=False, has_complex=False, beta1=beta1, beta2=beta2, lr=g["lr"],
                    weight_decay=g["weight_decay"], eps=g["eps"], maximize=g["maximize"],
                    foreach=True, capturable=False, differentiable=False, fused=None,
                    grad_scale=None, found_inf=None, decoupled_weight_decay=g["decoupled_weight_decay"],
                )  # fmt: skip


class LeanPPO(PPO):
    """``stable_baselines3.PPO`` with its update loop stripped of logging (same results, faster).

    ``"MlpPolicy"`` means :class:`LeanActorCriticPolicy` (the same network as SB3's).
    """

    policy_aliases = {**PPO.policy_aliases, "MlpPolicy": LeanActorCriticPolicy}

    def learn(
        self,
        total_timesteps: int,
        callback=None,
        log_interval: int = 1,
        tb_log_name: str = "PPO",
        reset_num_timesteps: bool = True,
        progress_bar: bool = False,
    ) -> LeanPPO:
        """SB3's ``learn`` (``total_timesteps`` >= 1 environment steps), with the distributions'
        argument checks off while it runs."""
        check_positive_int(total_timesteps, "total_timesteps")
        check_positive_int(log_interval, "log_interval")
        check_str(tb_log_name, "tb_log_name")
        check_bool(reset_num_timesteps, "reset_num_timesteps")
        check_bool(progress_bar, "progress_bar")
        with distribution_checks_off():
            return super().learn(
                total_timesteps,
                callback=callback,
                log_interval=log_interval,
                tb_log_name=tb_log_name,
                reset_num_timesteps=reset_num_timesteps,
                progress_bar=progress_bar,
            )

    def train(self) -> None:
        """One PPO update on the roll-out buffer: ``n_epochs`` passes of minibatch Adam steps on

        ``L = -mean(min(A r, A clip(r, 1-eps, 1+eps))) + c_ent * (-mean(H)) + c_vf * mean((R - V)^2)``

        with ``r = exp(log pi - log pi_old)`` and per-minibatch normalised advantages ``A``,
        the gradient clipped to norm ``max_grad_norm`` (SB3's ``PPO.train``, logging removed).
        """
        if (
            self.target_kl is not None
            or self.clip_range_vf is not None
            or isinstance(self.action_space, spaces.Discrete)
        ):
            super().train()
            return
        policy = self.policy
        policy.set_training_mode(True)
        self._update_learning_rate(policy.optimizer)
        for group in policy.optimizer.param_groups:  # each update: a loaded optimiser state
            group["foreach"] = True  # (a resumed run) brings back its saved setting
        clip_range = self.clip_range(self._current_progress_remaining)  # type: ignore[operator]
        params = list(policy.parameters())
        step = _AdamStep(policy.optimizer)
        for _ in range(self.n_epochs):
            for data in _minibatches(self.rollout_buffer, self.batch_size):
                values, log_prob, entropy = policy.evaluate_actions(data.observations, data.actions)
                values = values.flatten()
                advantages = data.advantages
                if self.normalize_advantage and len(advantages) > 1:
                    advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-8)
                ratio = th.exp(log_prob - data.old_log_prob)
                policy_loss_1 = advantages * ratio
                policy_loss_2 = advantages * th.clamp(ratio, 1 - clip_range, 1 + clip_range)
                policy_loss = -th.min(policy_loss_1, policy_loss_2).mean()
                value_loss = F.mse_loss(data.returns, values)
                entropy_loss = -th.mean(-log_prob) if entropy is None else -th.mean(entropy)
                loss = policy_loss + self.ent_coef * entropy_loss + self.vf_coef * value_loss
                for p in params:  # optimizer.zero_grad(): gradients set to None
                    p.grad = None
                loss.backward()
                _clip_grad_norm(params, self.max_grad_norm)
                step()
            self._n_updates += 1
        self.logger.record("train/n_updates", self._n_updates, exclude="tensorboard")
        self.logger.record("train/clip_range", clip_range)
