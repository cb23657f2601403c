"""LeanPPO is SB3's PPO bit for bit: same seed, same parameters after training."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from stable_baselines3 import PPO
from stable_baselines3.common.buffers import RolloutBuffer

from mmkit.marl.policies import FrozenPolicy, OmegaActorCriticPolicy, build_policy
from mmkit.marl.ppo import (
    LeanActorCriticPolicy,
    LeanPPO,
    clip_grad_norm,
    distribution_checks_off,
    minibatches,
)
from mmkit.marl.train import PPOSettings, TrainConfig, make_vec_env

#: A committed default chain: its adversary and A are the frozen co-players of A and the B roles.
CHAIN = Path(__file__).resolve().parents[1] / "artifacts" / "marl" / "sweep" / "default" / "seed_1000000"

#: Two roll-outs of 8 x 100 steps, 6 epochs of 4 minibatches of 200 each: 48 Adam steps.
SETTINGS = PPOSettings(learning_rate=3e-4, ent_coef=0.01, log_std_init=-1.0, n_envs=8, n_steps=100)


def _train(cls, role, tmp_path=None, policy="MlpPolicy", **extra):
    torch.set_num_threads(1)
    cfg = TrainConfig("t", {}, SETTINGS, seed=7)
    model = cls(policy, make_vec_env(role, cfg, tmp_path, seed=7), **SETTINGS.sb3_kwargs(7), **extra)
    model.learn(total_timesteps=1600)
    return {k: v.clone() for k, v in model.policy.state_dict().items()}, model


def test_lean_ppo_gives_sb3_bits(tmp_path):
    """The adversary's stage (no co-player to train first); the update is the same for every role."""
    sb3, _ = _train(PPO, "adversary", tmp_path=tmp_path)
    lean, model = _train(LeanPPO, "adversary", tmp_path=tmp_path)
    assert sb3.keys() == lean.keys()
    moved = [k for k in sb3 if not torch.equal(sb3[k], lean[k])]
    assert moved == [], f"LeanPPO differs from SB3 PPO in {moved}"
    assert model._n_updates == 2 * SETTINGS.n_epochs
    # training changed the policy (the comparison is not between two untrained networks)
    fresh = LeanPPO("MlpPolicy", model.get_env(), **SETTINGS.sb3_kwargs(7)).policy.state_dict()
    assert not torch.equal(fresh["action_net.weight"], lean["action_net.weight"])


class _SB3Policy(LeanActorCriticPolicy):
    """SB3's own forward / evaluate_actions (the lean methods switched off)."""

    def _lean(self) -> bool:
        return False


class _SB3Omega(OmegaActorCriticPolicy):
    def _lean(self) -> bool:
        return False


@pytest.mark.parametrize("role", ["A", "B2", "Bstar"])
def test_lean_policy_and_update_give_sb3_bits_for_every_layout(role, tmp_path):
    """A (trained adversary inside), B2 (frozen A inside), B-star (three actions, omega head):
    SB3's PPO with SB3's policy methods vs LeanPPO with the lean policy, same seed."""
    for f in CHAIN.glob("*"):
        if f.stem.split("_")[0] in ("adversary", "A"):
            shutil.copy(f, tmp_path / f.name)
    plain = _SB3Omega if role == "Bstar" else _SB3Policy
    lean_cls = OmegaActorCriticPolicy if role == "Bstar" else "MlpPolicy"
    sb3, _ = _train(PPO, role, tmp_path=tmp_path, policy=plain)
    lean, model = _train(LeanPPO, role, tmp_path=tmp_path, policy=lean_cls)
    assert isinstance(model.policy, LeanActorCriticPolicy) and model.policy._lean()
    moved = [k for k in sb3 if not torch.equal(sb3[k], lean[k])]
    assert moved == [], f"LeanPPO differs from SB3 PPO in {moved}"


def test_frozen_policy_mean_std_equals_the_distribution():
    """FrozenPolicy's lean actor pass gives get_distribution's mean and std, bit for bit."""
    torch.manual_seed(3)
    for role in ("A", "Bstar"):
        pol = build_policy(role, -0.5)
        obs = torch.randn(17, 4)
        with torch.no_grad():
            d = pol.get_distribution(obs).distribution
            mean, std = pol.action_mean_std(obs)
        assert torch.equal(mean, d.mean) and torch.equal(std, d.stddev)
        fp = FrozenPolicy(pol, np.zeros(4), np.ones(4), 10.0, 1e-8, role)
        m, s = fp.mean_std(np.random.default_rng(0).normal(size=(5, 4)))
        assert m.shape == (5, pol.action_space.shape[0]) and np.all(s > 0)


def test_minibatches_are_the_buffers_own():
    """Same permutation, same samples as RolloutBuffer.get, for a full buffer."""
    from gymnasium import spaces

    def filled():
        buf = RolloutBuffer(6, spaces.Box(-1, 1, (3,)), spaces.Box(-1, 1, (2,)), n_envs=2)
        rng = np.random.default_rng(1)
        for _ in range(6):
            buf.add(rng.normal(size=(2, 3)), rng.normal(size=(2, 2)), rng.normal(size=2),
                    np.zeros(2), torch.as_tensor(rng.normal(size=2)), torch.as_tensor(rng.normal(size=2)))  # fmt: skip
        buf.compute_returns_and_advantage(torch.zeros(2), np.zeros(2))
        return buf

    np.random.seed(5)
    ours = list(minibatches(filled(), 4))
    np.random.seed(5)
    theirs = list(filled().get(4))
    assert len(ours) == len(theirs) == 3
    for a, b in zip(ours, theirs):
        assert all(torch.equal(x, y) for x, y in zip(a, b))


def test_clip_grad_norm_is_torchs():
    torch.manual_seed(0)
    ps = [torch.nn.Parameter(torch.randn(5, 3)) for _ in range(3)]
    qs = [torch.nn.Parameter(p.detach().clone()) for p in ps]
    for p, q in zip(ps, qs):
        p.grad = torch.randn(p.shape) * 4
        q.grad = p.grad.clone()
    clip_grad_norm(ps, 0.5)
    torch.nn.utils.clip_grad_norm_(qs, 0.5)
    assert all(torch.equal(p.grad, q.grad) for p, q in zip(ps, qs))
    assert float(torch.linalg.vector_norm(torch.cat([p.grad.ravel() for p in ps]))) < 0.5 + 1e-6


def test_lean_ppo_falls_back_where_it_would_differ(tmp_path):
    """With target_kl (early stopping reads the approximate KL) SB3's own update runs."""
    sb3, m1 = _train(PPO, "adversary", tmp_path=tmp_path, target_kl=1e-4)
    lean, m2 = _train(LeanPPO, "adversary", tmp_path=tmp_path, target_kl=1e-4)
    assert all(torch.equal(sb3[k], lean[k]) for k in sb3)
    assert m1._n_updates == m2._n_updates < 2 * SETTINGS.n_epochs  # it did stop early


def test_distribution_checks_are_restored():
    before = torch.distributions.Distribution._validate_args
    with distribution_checks_off():
        assert torch.distributions.Distribution._validate_args is False
        torch.distributions.Normal(torch.zeros(1), -torch.ones(1))  # would raise when checked
    assert torch.distributions.Distribution._validate_args is before
    with pytest.raises(ValueError):
        with distribution_checks_off():
            raise ValueError("inside")
    assert torch.distributions.Distribution._validate_args is before


def test_adam_step_is_adams_own_with_groups_and_missing_gradients():
    """The direct Adam step gives Adam.step's bits over several steps, for two parameter groups,
    and falls back to Adam.step (no group stepped twice) when a gradient is missing."""
    from mmkit.marl.ppo import _AdamStep

    torch.manual_seed(0)
    init = [torch.randn(4, 3), torch.randn(3), torch.randn(2)]

    def make():
        ps = [torch.nn.Parameter(t.clone()) for t in init]
        groups = [{"params": ps[:2]}, {"params": ps[2:], "lr": 0.01}]
        return ps, torch.optim.Adam(groups, lr=3e-4, eps=1e-5, foreach=True)

    (pa, oa), (pb, ob) = make(), make()
    step = _AdamStep(ob)
    for k in range(6):
        g = [torch.randn(t.shape) for t in init]
        for i, (a, b) in enumerate(zip(pa, pb)):
            missing = k == 3 and i == 2  # one step without the last parameter's gradient
            a.grad = None if missing else g[i].clone()
            b.grad = None if missing else g[i].clone()
        oa.step()
        step()
    assert all(torch.equal(a, b) for a, b in zip(pa, pb))
    assert all(torch.equal(oa.state[a]["step"], ob.state[b]["step"]) for a, b in zip(pa, pb))
