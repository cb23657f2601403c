"""Three-stage PPO training of the MARL market-making game (paper Sec. 3.4, spec A.5).

Stage 1: the adversary, against the benchmark quoting module. Stage 2: agent A, in the
market set by the trained adversary (acting stochastically). Stage 3: B1, B2 and B-star,
each against a frozen, stochastically acting A in the fixed market (lambda 400, sigma 1.1).

Every stage is SB3 PPO on :class:`~mmkit.marl.vec_env.MarketVecEnv` under
``VecNormalize(norm_obs=True, norm_reward=True)``, ``torch.set_num_threads(1)``, fixed seeds;
the model, its VecNormalize statistics, a metadata JSON (version tag, steps, settings) and a
learning-curve CSV are written per role.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from mmkit.common.validation import (
    check_discount,
    check_finite,
    check_nonnegative,
    check_nonnegative_int,
    check_positive,
    check_positive_int,
    check_probability,
)
from mmkit.marl.agents import check_role
from mmkit.marl.core import MarketConfig

__all__ = ["PPOSettings", "TrainConfig", "CONFIGS", "train_role", "train_all", "get_config"]

#: Training order (a later stage loads the earlier stages' models).
STAGES = ("adversary", "A", "B1", "B2", "Bstar")


@dataclass(frozen=True)
class PPOSettings:
    """PPO hyper-parameters; defaults are the authors' (spec A.5), SB3 ``MlpPolicy`` 64-64 tanh."""

    learning_rate: float = 1e-4
    n_steps: int = 400
    batch_size: int = 200
    n_epochs: int = 6
    gamma: float = 0.99
    gae_lambda: float = 0.95
    clip_range: float = 0.2
    ent_coef: float = 0.02
    vf_coef: float = 0.7
    n_envs: int = 4
    log_std_init: float = 0.0

    def __post_init__(self) -> None:
        check_positive(self.learning_rate, "learning_rate")
        for name in ("n_envs", "n_steps", "batch_size", "n_epochs"):
            check_positive_int(getattr(self, name), name)
        check_discount(self.gamma, "gamma")
        check_probability(self.gae_lambda, "gae_lambda")
        check_positive(self.clip_range, "clip_range")
        check_nonnegative(self.ent_coef, "ent_coef")
        check_nonnegative(self.vf_coef, "vf_coef")
        check_finite(self.log_std_init, "log_std_init")
        if self.learning_rate <= 0:
            raise ValueError(f"learning_rate must be > 0, got {self.learning_rate}")
        for name in ("n_envs", "n_steps", "batch_size", "n_epochs"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if (self.n_steps * self.n_envs) % self.batch_size:
            raise ValueError(
                f"batch_size {self.batch_size} must divide n_steps*n_envs {self.n_steps * self.n_envs}"
            )


@dataclass(frozen=True)
class TrainConfig:
    """One training run: steps per role, PPO settings, seed and B-star's omega-penalty weight."""

    name: str
    steps: dict = field(default_factory=dict)
    ppo: PPOSettings = PPOSettings()
    seed: int = 123
    beta: float = 10.0
    market: MarketConfig = MarketConfig()

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a str, got {type(self.name).__name__}")
        if not isinstance(self.steps, dict):
            raise TypeError(f"steps must be a dict role -> steps, got {type(self.steps).__name__}")
        if not isinstance(self.ppo, PPOSettings):
            raise TypeError(f"ppo must be a PPOSettings, got {type(self.ppo).__name__}")
        if not isinstance(self.market, MarketConfig):
            raise TypeError(f"market must be a MarketConfig, got {type(self.market).__name__}")
        check_nonnegative_int(self.seed, "seed")
        check_nonnegative(self.beta, "beta")
        for r, n in self.steps.items():
            if not isinstance(r, str) or r not in STAGES:
                raise ValueError(f"steps keys must be role names in {STAGES}, got {r!r}")
            check_positive_int(n, f"steps[{r!r}]")
        for r, n in self.steps.items():
            check_role(r)
            if n < 1:
                raise ValueError(f"steps[{r!r}] must be >= 1, got {n}")
        if self.beta < 0:
            raise ValueError(f"beta must be >= 0, got {self.beta}")


def _steps(adv: int, a: int, b: int) -> dict:
    return {"adversary": adv, "A": a, "B1": b, "B2": b, "Bstar": b}


#: ``smoke``: every stage end to end in seconds (CI). ``default``: the committed artifacts.
CONFIGS: dict[str, TrainConfig] = {
    "smoke": TrainConfig("smoke", _steps(1600, 1600, 1600), PPOSettings(n_steps=200)),
    "default": TrainConfig(
        "default",
        _steps(500_000, 3_000_000, 2_000_000),
        PPOSettings(learning_rate=3e-4, ent_coef=0.0, log_std_init=-1.0, n_envs=8, n_steps=200),
    ),
}


def get_config(name: str) -> TrainConfig:
    if not isinstance(name, str) or name not in CONFIGS:
        raise ValueError(f"config name must be one of {sorted(CONFIGS)}, got {name!r}")
    return CONFIGS[name]


def _curve_callback(role: str, total: int, rows: list, progress: bool):
    from stable_baselines3.common.callbacks import BaseCallback
    from tqdm.auto import tqdm

    class Curve(BaseCallback):
        """Per rollout: mean raw episode return, mean offsets/omega, policy std; tqdm bar."""

        def _on_training_start(self) -> None:
            self.bar = tqdm(
                total=total, desc=f"train {role}", unit="step", disable=not progress, mininterval=2.0
            )
            self._reset()

        def _reset(self) -> None:
            self.ret: float = 0.0
            self.n_ep: int = 0
            self.acc: np.ndarray | None = None
            self.n: int = 0

        def _on_step(self) -> bool:
            raw = self.model.get_env().get_original_reward()  # type: ignore[union-attr]  # a VecNormalize
            self.ret += float(raw.sum())
            self.n_ep += int(np.sum(self.locals["dones"]))
            a = np.asarray(self.locals["clipped_actions"], dtype=float)
            s = a.sum(axis=0)
            self.acc = s if self.acc is None else self.acc + s
            self.n += len(a)
            return True

        def _on_rollout_end(self) -> None:
            a = np.full(3, np.nan) if self.acc is None else self.acc / max(self.n, 1)
            std = float(np.exp(self.model.policy.log_std.detach().numpy()).mean())  # type: ignore[operator]
            rows.append(
                {
                    "timesteps": self.num_timesteps,
                    "episode_return": self.ret / max(self.n_ep, 1),
                    "a1": float(a[0]),
                    "a2": float(a[1]),
                    "a3": float(a[2]) if len(a) > 2 else float("nan"),
                    "action_std": std,
                }
            )
            self.bar.update(self.num_timesteps - self.bar.n)
            self._reset()

        def _on_training_end(self) -> None:
            self.bar.close()

    return Curve()


def make_vec_env(role: str, cfg: TrainConfig, folder: Path, seed: int):
    """The role's training VecEnv (frozen co-players loaded from ``folder``)."""
    from stable_baselines3.common.vec_env import VecNormalize

    from mmkit.marl.policies import load_agent
    from mmkit.marl.vec_env import MarketVecEnv

    opponent = adversary = None
    if role == "A":
        adversary = load_agent(folder, "adversary", cfg.market)
    elif role in ("B1", "B2", "Bstar"):
        opponent = load_agent(folder, "A", cfg.market)
    venv = MarketVecEnv(
        role,
        cfg.ppo.n_envs,
        seed=seed,
        config=cfg.market,
        opponent=opponent,
        adversary=adversary,
        beta=cfg.beta,
    )
    return VecNormalize(venv, norm_obs=True, norm_reward=True, gamma=cfg.ppo.gamma)


def train_role(
    role: str, cfg: TrainConfig, folder: str | Path, progress: bool = True, steps: int | None = None
) -> dict:
    """Train one role with PPO and save model, VecNormalize stats, metadata and curve CSV.

    Returns a dict with the wall time and the number of timesteps.
    """
    import torch
    from stable_baselines3 import PPO

    from mmkit.marl.policies import OmegaActorCriticPolicy, save_meta

    check_role(role)
    torch.set_num_threads(1)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    n = int(steps if steps is not None else cfg.steps[role])
    seed = cfg.seed + 1000 * STAGES.index(role)
    # SB3 re-seeds the VecEnv with the PPO seed (VecEnv.seed), so the training episodes of
    # stage k use seeds seed_k + n_envs * episode + i, with seed_k = 123 + 1000 k: never the
    # evaluation seeds 0..99.
    env = make_vec_env(role, cfg, folder, seed=seed)
    p = cfg.ppo
    policy = OmegaActorCriticPolicy if role == "Bstar" else "MlpPolicy"
    model = PPO(
        policy,
        env,
        learning_rate=p.learning_rate,
        n_steps=p.n_steps,
        batch_size=p.batch_size,
        n_epochs=p.n_epochs,
        gamma=p.gamma,
        gae_lambda=p.gae_lambda,
        clip_range=p.clip_range,
        ent_coef=p.ent_coef,
        vf_coef=p.vf_coef,
        seed=seed,
        device="cpu",
        verbose=0,
        policy_kwargs={"log_std_init": p.log_std_init},
    )
    rows: list[dict] = []
    t0 = time.perf_counter()
    model.learn(total_timesteps=n, callback=_curve_callback(role, n, rows, progress))
    wall = time.perf_counter() - t0
    model.save(folder / f"{role}.zip")
    env.save(str(folder / f"{role}_vecnormalize.pkl"))
    save_meta(
        folder / f"{role}.json",
        role,
        model.num_timesteps,
        {
            "config": cfg.name,
            "seed": seed,
            "beta": cfg.beta,
            "ppo": asdict(p),
            "wall_seconds": round(wall, 1),
        },
    )
    with open(folder / f"{role}_curve.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["timesteps"])
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in r.items()})
    return {"role": role, "timesteps": int(model.num_timesteps), "wall_seconds": wall}


def train_all(
    cfg: TrainConfig,
    folder: str | Path,
    roles: tuple[str, ...] = STAGES,
    progress: bool = True,
    log: Callable[[str], None] = print,
) -> list[dict]:
    """Run the stages in order (each later stage needs the earlier models in ``folder``)."""
    out = []
    for role in STAGES:
        if role in roles:
            r = train_role(role, cfg, folder, progress=progress)
            log(f"{role}: {r['timesteps']} steps in {r['wall_seconds']:.1f} s")
            out.append(r)
    Path(folder, "train_summary.json").write_text(
        json.dumps({"config": cfg.name, "runs": out}, indent=1) + "\n"
    )
    return out
