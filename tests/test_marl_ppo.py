"""LeanPPO is SB3's PPO bit for bit: same seed, same parameters after training."""

from __future__ import annotations

import pytest
import torch
from stable_baselines3 import PPO

from mmkit.marl.ppo import LeanPPO, distribution_checks_off
from mmkit.marl.train import PPOSettings, TrainConfig, make_vec_env

#: Two roll-outs of 8 x 100 steps, 6 epochs of 4 minibatches of 200 each: 48 Adam steps.
SETTINGS = PPOSettings(learning_rate=3e-4, ent_coef=0.01, log_std_init=-1.0, n_envs=8, n_steps=100)


def _train(cls, role, tmp_path=None, **extra):
    torch.set_num_threads(1)
    cfg = TrainConfig("t", {}, SETTINGS, seed=7)
    model = cls("MlpPolicy", make_vec_env(role, cfg, tmp_path, seed=7), **SETTINGS.sb3_kwargs(7), **extra)
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
