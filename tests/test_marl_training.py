"""The smoke configuration trains every stage end to end and yields loadable models (CI)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from mmkit.marl.evaluation import run_setting
from mmkit.marl.policies import MODEL_VERSION, OmegaActorCriticPolicy, load_agent
from mmkit.marl.train import STAGES, get_config, train_all


@pytest.fixture(scope="module")
def smoke_models(tmp_path_factory):
    folder = tmp_path_factory.mktemp("marl_smoke")
    runs = train_all(get_config("smoke"), folder, progress=False, log=lambda s: None)
    return folder, runs


def test_smoke_trains_every_stage(smoke_models):
    folder, runs = smoke_models
    assert [r["role"] for r in runs] == list(STAGES)
    for role in STAGES:
        for f in (f"{role}.pt", f"{role}_obsnorm.npz", f"{role}.json", f"{role}_curve.csv"):
            assert (folder / f).exists(), f
        assert (folder / "checkpoints" / role / "1600" / f"{role}.pt").exists()
        meta = json.loads((folder / f"{role}.json").read_text())
        assert meta["version"] == MODEL_VERSION and meta["timesteps"] >= 1600


def test_loaded_models_act_and_evaluate(smoke_models):
    folder, _ = smoke_models
    A, Bs = load_agent(folder, "A"), load_agent(folder, "Bstar")
    adv = load_agent(folder, "adversary")
    lam, sig = adv.market(np.array([[100.0, 0.0]]), np.zeros((1, 2)))
    assert 300 <= lam[0] <= 500 and 0.2 <= sig[0] <= 2.0
    _, s = run_setting([A, Bs], n_episodes=4)
    om = s["Mean_omega"].mean[1]
    assert 0.0 <= om <= 1.0 and np.isnan(s["Mean_omega"].mean[0])
    # the same seeds give the same evaluation (numpy-seeded policy noise)
    _, s2 = run_setting([A, Bs], n_episodes=4)
    assert s2["PnL_mean"].mean.tolist() == s["PnL_mean"].mean.tolist()


def test_incompatible_checkpoint_is_refused(smoke_models, tmp_path):
    folder, _ = smoke_models
    for f in ("A.pt", "A_obsnorm.npz"):
        (tmp_path / f).write_bytes((folder / f).read_bytes())
    meta = json.loads((folder / "A.json").read_text())
    meta["version"] = "mmkit-marl-0"
    (tmp_path / "A.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="incompatible checkpoint"):
        load_agent(tmp_path, "A")
    with pytest.raises(ValueError, match=r"B1\.json is missing"):
        load_agent(tmp_path, "B1")


def test_omega_head_starts_neutral():
    """Zero-initialised sigmoid bias: omega_0 = 1/2 at a zero latent."""

    from mmkit.marl.core import MarketConfig
    from mmkit.marl.env import action_space, observation_space

    pol = OmegaActorCriticPolicy(
        observation_space("Bstar", MarketConfig()), action_space("Bstar"), lambda _: 1e-4
    )
    assert float(pol.action_net.linear.bias[2].detach()) == 0.0
    om = pol.omega_mean(torch.zeros(5, 4))
    assert torch.allclose(om, torch.full((5,), 0.5), atol=0.05)


def test_bad_config_errors():
    from mmkit.marl.train import PPOSettings

    with pytest.raises(ValueError, match="config"):
        get_config("huge")
    for name in ("n_envs", "n_steps", "batch_size", "n_epochs"):
        with pytest.raises(ValueError, match=rf"{name} must be >= 1, got 0"):
            PPOSettings(**{name: 0})


def test_training_is_bit_reproducible(tmp_path):
    """Same config and seed -> identical policy parameters (single thread, seeded envs);
    another seed -> other parameters."""
    from dataclasses import replace

    from mmkit.marl.policies import load_policy
    from mmkit.marl.train import train_role

    cfg = get_config("smoke")
    for d, c in (("a", cfg), ("b", cfg), ("c", replace(cfg, seed=7))):
        train_role("adversary", c, tmp_path / d, progress=False, steps=800)
    pa, pb, pc = (load_policy(tmp_path / d, "adversary")[0].state_dict() for d in "abc")
    assert all(torch.equal(pa[k], pb[k]) for k in pa)
    assert not all(torch.equal(pa[k], pc[k]) for k in pa)


def test_checkpoint_budgets_are_log_spaced():
    from mmkit.marl.train import checkpoint_budgets

    assert checkpoint_budgets(3200) == [3200]
    assert checkpoint_budgets(100_000) == [3200, 10119, 32000, 100000]
    with pytest.raises(ValueError, match="total"):
        checkpoint_budgets(0)


def test_interrupted_training_resumes(tmp_path, monkeypatch):
    """A run killed after its 3,200-step checkpoint resumes there and finishes the budget."""
    from mmkit.marl import train as tr

    cfg = get_config("smoke")
    calls = {"n": 0}
    real = tr.save_run_state

    def crash_after_first(*a, **k):
        real(*a, **k)
        calls["n"] += 1
        if k.get("budget") == 3200:
            raise KeyboardInterrupt

    monkeypatch.setattr(tr, "save_run_state", crash_after_first)
    with pytest.raises(KeyboardInterrupt):
        tr.train_role("adversary", cfg, tmp_path, progress=False, steps=6400)
    monkeypatch.setattr(tr, "save_run_state", real)
    assert not (tmp_path / "adversary.json").exists()
    r = tr.train_role("adversary", cfg, tmp_path, progress=False, steps=6400)
    assert r["timesteps"] == 6400
    meta = json.loads((tmp_path / "adversary.json").read_text())
    assert meta["timesteps"] == 6400 and meta["budget"] == 6400
    curve = (tmp_path / "adversary_curve.csv").read_text().splitlines()
    assert len(curve) == 1 + 6400 // 800  # header + one row per rollout, none lost or repeated


def test_default_and_long_share_samples_and_updates_per_rollout():
    """The default config only re-cuts the roll-out (32 envs x 50 steps instead of 8 x 200)."""
    d, lg = get_config("default"), get_config("long")
    assert d.steps == lg.steps
    assert d.ppo.n_envs * d.ppo.n_steps == lg.ppo.n_envs * lg.ppo.n_steps == 1600
    for f in ("learning_rate", "batch_size", "n_epochs", "gamma", "gae_lambda", "ent_coef", "log_std_init"):
        assert getattr(d.ppo, f) == getattr(lg.ppo, f)


def test_curve_records_returns_of_episodes_that_ended(tmp_path):
    """With 50-step roll-outs of 200-step episodes, one roll-out in four ends the episodes;
    the others record NaN, and the ended ones the mean raw return of the 32 episodes."""
    import csv
    from dataclasses import replace

    from mmkit.marl.train import PPOSettings, train_role

    cfg = replace(get_config("smoke"), ppo=PPOSettings(n_envs=32, n_steps=50, batch_size=200))
    train_role("adversary", cfg, tmp_path, progress=False, steps=12_800)
    rows = list(csv.DictReader(open(tmp_path / "adversary_curve.csv")))
    ret = np.array([float(r["episode_return"]) for r in rows])
    assert [int(r["timesteps"]) for r in rows] == [1600 * k for k in range(1, 9)]
    assert np.isnan(ret[[0, 1, 2, 4, 5, 6]]).all()
    # an episode's return is a sum of 200 per-step rewards (benchmark PnL scale: hundreds)
    assert np.isfinite(ret[[3, 7]]).all() and (np.abs(ret[[3, 7]]) > 10).all()
