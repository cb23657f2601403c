"""Three-stage PPO training of the MARL market-making game (paper Sec. 3.4, spec A.5).

Stage 1: the adversary, against the benchmark quoting module. Stage 2: agent A, in the
market set by the trained adversary (acting stochastically). Stage 3: B1, B2 and B-star,
each against a frozen, stochastically acting A in the fixed market (lambda 400, sigma 1.1).

Every stage is SB3 PPO (run by :class:`~mmkit.marl.ppo.LeanPPO`: the same bits, less overhead)
on :class:`~mmkit.marl.vec_env.MarketVecEnv` under ``VecNormalize(norm_obs=True,
norm_reward=True)``, ``torch.set_num_threads(1)``, fixed seeds;
the model, its VecNormalize statistics, a metadata JSON (version tag, steps, settings) and a
learning-curve CSV are written per role.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from mmkit.common.io import as_path, atomic_write_bytes, atomic_write_text
from mmkit.common.validation import (
    check_bool,
    check_callable,
    check_choice,
    check_discount,
    check_finite,
    check_instance,
    check_nonnegative,
    check_nonnegative_int,
    check_positive,
    check_positive_int,
    check_probability,
    check_sequence,
)
from mmkit.marl.agents import check_role
from mmkit.marl.core import MarketConfig, check_streams

__all__ = [
    "PPOSettings",
    "TrainConfig",
    "CONFIGS",
    "train_role",
    "train_all",
    "get_config",
    "checkpoint_budgets",
    "stage_seed",
    "role_done",
]

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

    def sb3_kwargs(self, seed: int) -> dict:
        """Keyword arguments of SB3 ``PPO`` for these settings (CPU, silent, seeded)."""
        return dict(
            learning_rate=self.learning_rate,
            n_steps=self.n_steps,
            batch_size=self.batch_size,
            n_epochs=self.n_epochs,
            gamma=self.gamma,
            gae_lambda=self.gae_lambda,
            clip_range=self.clip_range,
            ent_coef=self.ent_coef,
            vf_coef=self.vf_coef,
            seed=seed,
            device="cpu",
            verbose=0,
            policy_kwargs={"log_std_init": self.log_std_init},
        )

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
        if (self.n_steps * self.n_envs) % self.batch_size:
            raise ValueError(
                f"batch_size {self.batch_size} must divide n_steps*n_envs {self.n_steps * self.n_envs}"
            )


@dataclass(frozen=True)
class TrainConfig:
    """One training run: steps per role, PPO settings, seed and B-star's omega-penalty weight.

    ``streams``: the training environments' random streams, ``"exact"`` (per-episode
    generators, the default) or ``"batch"`` (one generator per reset of the ``n_envs``
    episodes; opt-in, see :func:`mmkit.marl.core.episode_streams`). Evaluation always uses
    the exact streams unless asked otherwise.
    """

    name: str
    steps: dict = field(default_factory=dict)
    ppo: PPOSettings = PPOSettings()
    seed: int = 123
    beta: float = 10.0
    market: MarketConfig = MarketConfig()
    streams: str = "exact"

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
        check_streams(self.streams)
        for r, n in self.steps.items():
            if not isinstance(r, str) or r not in STAGES:
                raise ValueError(f"steps keys must be role names in {STAGES}, got {r!r}")
            check_positive_int(n, f"steps[{r!r}]")


def _steps(adv: int, a: int, b: int) -> dict:
    return {"adversary": adv, "A": a, "B1": b, "B2": b, "Bstar": b}


def _ours(n_envs: int, n_steps: int) -> PPOSettings:
    """Our PPO settings (learning rate 3e-4, no entropy bonus, initial log-std -1)."""
    return PPOSettings(learning_rate=3e-4, ent_coef=0.0, log_std_init=-1.0, n_envs=n_envs, n_steps=n_steps)


#: ``smoke``/``tiny``: every stage end to end in seconds (CI). ``default``: the configuration of
#: the five-seed chain the chapter reports (adversary 0.5M, A 3M, B1/B2/B-star 2M steps; 32
#: environments x 50 steps per roll-out, so the same 1,600 samples and 48 gradient steps per
#: roll-out as ``long`` at 2.6x its speed on one core; the training time of the five chains on
#: 2 cores, with the sweep runner's two worker processes, is in the published
#: ``artifacts/marl/sweep/default/schedule.json``). ``long``:
#: the same budget and PPO settings with 8 environments x 200 steps (the single-seed agents
#: committed in ``artifacts/marl/``, seed 123, and the beta sweep). ``seeds``: ``long`` at about
#: 1/35 of the budget. ``authors``: the authors' public code (its PPO settings, 3,200 steps).
CONFIGS: dict[str, TrainConfig] = {
    "smoke": TrainConfig("smoke", _steps(1600, 1600, 1600), PPOSettings(n_steps=200)),
    "tiny": TrainConfig("tiny", _steps(800, 800, 800), PPOSettings(n_steps=200)),
    "authors": TrainConfig("authors", _steps(3200, 3200, 3200), PPOSettings()),
    "seeds": TrainConfig("seeds", _steps(50_000, 100_000, 40_000), _ours(8, 200)),
    "long": TrainConfig("long", _steps(500_000, 3_000_000, 2_000_000), _ours(8, 200)),
    "default": TrainConfig("default", _steps(500_000, 3_000_000, 2_000_000), _ours(32, 50)),
}


def get_config(name: str) -> TrainConfig:
    if not isinstance(name, str) or name not in CONFIGS:
        raise ValueError(f"config name must be one of {sorted(CONFIGS)}, got {name!r}")
    return CONFIGS[name]


def _curve_callback(role: str, total: int, rows: list, progress: bool):
    from stable_baselines3.common.callbacks import BaseCallback
    from tqdm.auto import tqdm

    class Curve(BaseCallback):
        """Per rollout: mean raw return of the episodes that ended in it (NaN if none did: a
        rollout shorter than an episode), mean actions, policy std; tqdm bar."""

        def _on_training_start(self) -> None:
            self.bar = tqdm(
                total=total, desc=f"train {role}", unit="step", disable=not progress, mininterval=2.0
            )
            self.running = np.zeros(self.training_env.num_envs)
            self._reset()

        def _reset(self) -> None:
            self.ended: list[float] = []
            self.acc: np.ndarray | None = None
            self.n: int = 0

        def _on_step(self) -> bool:
            raw = self.model.get_env().get_original_reward()  # type: ignore[union-attr]  # a VecNormalize
            self.running += raw
            done = np.asarray(self.locals["dones"], dtype=bool)
            self.ended.extend(self.running[done].tolist())
            self.running[done] = 0.0
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
                    "episode_return": float(np.mean(self.ended)) if self.ended else float("nan"),
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
        streams=cfg.streams,
    )
    return VecNormalize(venv, norm_obs=True, norm_reward=True, gamma=cfg.ppo.gamma)


def stage_seed(cfg: TrainConfig, role: str) -> int:
    """PPO and VecEnv seed of ``role``'s stage: ``cfg.seed + 1000 k`` for stage ``k``."""
    if not isinstance(cfg, TrainConfig):
        raise TypeError(f"cfg must be a TrainConfig, got {type(cfg).__name__}")
    return cfg.seed + 1000 * STAGES.index(check_role(role))


def checkpoint_budgets(total: int, first: int = 3_200) -> list[int]:
    """Log-spaced budgets ``first * 10^(k/2)`` (3,200, 10,119, 32,000, ...) below ``total``, then ``total``.

    The authors' example budget (3,200 steps) is the first; checkpoints are taken at the first
    rollout end at or after each budget.
    """
    total = check_positive_int(total, "total")
    first = check_positive_int(first, "first")
    out, k = [], 0
    while (b := int(round(first * 10 ** (k / 2)))) < total:
        out.append(b)
        k += 1
    return out + [int(total)]


def _write_curve(path: Path, rows: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["timesteps"], lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in r.items()})
    atomic_write_text(path, buf.getvalue())


def _read_curve(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, newline="") as f:
        return [
            {k: (int(v) if k == "timesteps" else float(v)) for k, v in r.items()} for r in csv.DictReader(f)
        ]


def _checkpoint_callback(
    role: str, cfg: TrainConfig, folder: Path, budgets: list[int], rows: list, meta: dict
):
    """Saves the policy at each budget (``checkpoints/<role>/<steps>``) and a resume state."""
    from stable_baselines3.common.callbacks import BaseCallback

    class Checkpoints(BaseCallback):
        """At a rollout start (all updates so far applied): the budget checkpoints passed,
        and every ``RESUME_EVERY`` rollouts a resume state."""

        def _on_step(self) -> bool:
            return True

        def _on_rollout_start(self) -> None:
            done = [b for b in budgets if b <= self.num_timesteps]
            todo = [b for b in done if not (folder / "checkpoints" / role / f"{b}").exists()]
            self.k = getattr(self, "k", 0) + 1
            if todo or self.k % RESUME_EVERY == 0:
                save_run_state(self.model, role, cfg, folder, rows, meta, budget=max(todo, default=None))

    return Checkpoints()


#: Rollouts between resume states (besides the budget checkpoints).
RESUME_EVERY = 50


def _meta(role: str, cfg: TrainConfig, steps: int, wall: float) -> dict:
    out = {
        "config": cfg.name,
        "seed": stage_seed(cfg, role),
        "base_seed": cfg.seed,
        "beta": cfg.beta,
        "ppo": asdict(cfg.ppo),
        "log_std_init": cfg.ppo.log_std_init,
        "budget": int(steps),
        "wall_seconds": round(wall, 1),
    }
    if cfg.streams != "exact":  # absent = exact: the default run's files are unchanged
        out["streams"] = cfg.streams
    return out


def save_run_state(model, role: str, cfg: TrainConfig, folder: Path, rows: list, meta: dict, budget=None):
    """Checkpoint a run without pickle: the policy (``checkpoints/<role>/<budget>/``) and, in
    ``checkpoints/<role>/resume``, the policy, optimiser and RNG state needed to resume."""
    import torch

    from mmkit.marl.checkpoint import ObsNorm, save_policy

    env = model.get_env()
    norm = ObsNorm.from_vecnormalize(env)
    m = {**meta, "timesteps": int(model.num_timesteps)}
    base = folder / "checkpoints" / role
    if budget is not None:
        save_policy(base / f"{budget}", role, model.policy, norm, m)
    state = {
        "optimizer": model.policy.optimizer.state_dict(),
        "torch_rng": torch.get_rng_state(),
        "num_timesteps": int(model.num_timesteps),
        "n_episodes": int(env.venv.n_episodes),
    }
    buf = io.BytesIO()
    torch.save(state, buf)
    atomic_write_bytes(base / "resume" / "state.pt", buf.getvalue())
    save_policy(base / "resume", role, model.policy, norm, m)
    _write_curve(base / "resume" / "curve.csv", rows)


def _resume(model, role: str, folder: Path, rows: list, meta: dict) -> int:
    """Load ``checkpoints/<role>/resume`` into ``model``; returns the steps already done (0 if none)."""
    import torch

    from mmkit.marl.policies import load_policy

    base = folder / "checkpoints" / role / "resume"
    if not (base / "state.pt").exists():
        return 0
    policy, norm, old = load_policy(base, role)
    if any(old.get(k) != meta.get(k) for k in ("base_seed", "budget", "beta", "ppo", "config", "streams")):
        return 0  # a resume state of another run: start afresh
    model.policy.load_state_dict(policy.state_dict())
    state = torch.load(base / "state.pt", weights_only=True)
    model.policy.optimizer.load_state_dict(state["optimizer"])
    torch.set_rng_state(state["torch_rng"])
    env = model.get_env()
    norm.apply_to(env)
    env.venv.n_episodes = state["n_episodes"]
    model.num_timesteps = state["num_timesteps"]
    rows.extend(_read_curve(base / "curve.csv"))
    return int(state["num_timesteps"])


#: The stage whose trained model a role's training loads from the folder.
PREREQUISITE = {"A": "adversary", "B1": "A", "B2": "A", "Bstar": "A"}


def _check_folder(folder: object) -> Path:
    """A path that is a folder or does not exist yet (it is created)."""
    path = as_path(folder, "folder")
    if path.exists() and not path.is_dir():
        raise ValueError(f"folder must be a folder (or a path to create), got the file {str(path)!r}")
    return path


def _check_train_args(role: str, cfg: object, folder: object, progress: object, steps: object):
    """Validate :func:`train_role`'s arguments before anything is imported, created or trained.

    Returns the folder as a :class:`~pathlib.Path` and the step budget.
    """
    check_role(role)
    config: TrainConfig = check_instance(cfg, "cfg", TrainConfig)
    path = _check_folder(folder)
    check_bool(progress, "progress")
    if steps is None:
        if role not in config.steps:
            raise ValueError(f"steps must be given: cfg.steps has no budget for role {role!r}")
        n = config.steps[role]
    else:
        n = check_positive_int(steps, "steps")
    need = PREREQUISITE.get(role)
    if need is not None and not (path / f"{need}.json").exists():
        raise ValueError(
            f"folder must hold the trained {need!r} model that role {role!r} trains against "
            f"({need}.json missing in {str(path)!r}; train {need!r} first)"
        )
    return path, n


def train_role(
    role: str, cfg: TrainConfig, folder: str | Path, progress: bool = True, steps: int | None = None
) -> dict:
    """Train one role with PPO; save the policy (pickle-free), metadata and curve CSV.

    Policies are also saved at the log-spaced budgets of :func:`checkpoint_budgets` under
    ``checkpoints/<role>/<steps>/``; an interrupted run resumes from its last checkpoint
    (policy, optimiser, normalisation and RNG state; the resumed run is a valid run of the
    same budget but not bit-identical to an uninterrupted one). Returns a dict with the wall
    time and the number of timesteps.

    Every argument is checked before anything is imported, created or trained: ``role`` one
    of :data:`STAGES` (for a market maker, ``folder`` must hold the model of the stage it
    trains against, see :data:`PREREQUISITE`), ``cfg`` a :class:`TrainConfig`, ``folder`` a
    path (created if missing, not a file), ``progress`` a bool, ``steps`` an integer >= 1 or
    ``None`` (then ``cfg.steps[role]``).
    """
    path, n = _check_train_args(role, cfg, folder, progress, steps)
    import torch
    from stable_baselines3.common.callbacks import CallbackList

    from mmkit.marl.checkpoint import ObsNorm, save_policy
    from mmkit.marl.policies import OmegaActorCriticPolicy
    from mmkit.marl.ppo import LeanPPO

    torch.set_num_threads(1)
    path.mkdir(parents=True, exist_ok=True)
    seed = stage_seed(cfg, role)
    # SB3 re-seeds the VecEnv with the PPO seed (VecEnv.seed), so the training episodes of
    # stage k use seeds seed_k + n_envs * episode + i, with seed_k = seed + 1000 k: never the
    # evaluation seeds 0..99 for seed >= 100.
    env = make_vec_env(role, cfg, path, seed=seed)
    p = cfg.ppo
    policy = OmegaActorCriticPolicy if role == "Bstar" else "MlpPolicy"
    model = LeanPPO(policy, env, **p.sb3_kwargs(seed))  # SB3's PPO, bit for bit (mmkit.marl.ppo)
    rows: list[dict] = []
    meta = _meta(role, cfg, n, 0.0)
    done = _resume(model, role, path, rows, meta)
    callbacks = CallbackList(
        [
            _curve_callback(role, n, rows, progress),
            _checkpoint_callback(role, cfg, path, checkpoint_budgets(n), rows, meta),
        ]
    )
    t0 = time.perf_counter()
    if n > done:
        model.learn(total_timesteps=n - done, callback=callbacks, reset_num_timesteps=done == 0)
    wall = time.perf_counter() - t0
    meta = {**_meta(role, cfg, n, wall), "timesteps": int(model.num_timesteps)}
    norm = ObsNorm.from_vecnormalize(env)
    save_policy(path / "checkpoints" / role / f"{n}", role, model.policy, norm, meta)
    save_policy(path, role, model.policy, norm, meta)
    _write_curve(path / f"{role}_curve.csv", rows)
    return {"role": role, "timesteps": int(model.num_timesteps), "wall_seconds": wall}


def role_done(folder: str | Path, role: str, cfg: TrainConfig) -> bool:
    """Whether ``folder`` already holds ``role`` trained with this config, seed and budget."""
    check_role(role)
    if not isinstance(cfg, TrainConfig):
        raise TypeError(f"cfg must be a TrainConfig, got {type(cfg).__name__}")
    path = as_path(folder, "folder") / f"{role}.json"
    if not path.exists():
        return False
    meta = json.loads(path.read_text())
    return (
        meta.get("base_seed") == cfg.seed
        and meta.get("budget") == cfg.steps.get(role)
        and meta.get("beta") == cfg.beta
        and meta.get("ppo") == asdict(cfg.ppo)
        and meta.get("streams", "exact") == cfg.streams
    )


def train_all(
    cfg: TrainConfig,
    folder: str | Path,
    roles: tuple[str, ...] = STAGES,
    progress: bool = True,
    log: Callable[[str], None] = print,
    resume: bool = True,
) -> list[dict]:
    """Run the stages in order (each later stage needs the earlier models in ``folder``).

    With ``resume``, a role already trained in ``folder`` with the same configuration is
    skipped and an interrupted role continues from its last checkpoint. Every argument is
    checked before the first stage starts: ``cfg`` a :class:`TrainConfig` with a step budget
    for each of ``roles`` (a non-empty sequence of names from :data:`STAGES`, each with the
    stage it trains against either in ``roles`` or already in ``folder``), ``folder`` a
    path (created if missing, not a file), ``progress``/``resume`` booleans, ``log`` callable.
    """
    check_instance(cfg, "cfg", TrainConfig)
    path = _check_folder(folder)
    roles = tuple(check_sequence(roles, "roles", what="a sequence of role names"))
    for name in roles:
        check_choice(name, "roles entry", STAGES)
        if name not in cfg.steps:
            raise ValueError(
                f"roles: cfg.steps has no budget for role {name!r} (roles must be in {sorted(cfg.steps)})"
            )
        need = PREREQUISITE.get(name)
        if need is not None and need not in roles and not (path / f"{need}.json").exists():
            raise ValueError(
                f"roles must include {need!r} (role {name!r} trains against it) unless folder holds "
                f"its trained model ({need}.json missing in {str(path)!r})"
            )
    check_bool(progress, "progress")
    check_callable(log, "log")
    check_bool(resume, "resume")
    out = []
    for role in STAGES:
        if role not in roles:
            continue
        if resume and role_done(folder, role, cfg):
            meta = json.loads(Path(folder, f"{role}.json").read_text())
            r = {"role": role, "timesteps": meta["timesteps"], "wall_seconds": meta["wall_seconds"]}
            log(f"{role}: already trained ({r['timesteps']} steps), skipped")
        else:
            r = train_role(role, cfg, folder, progress=progress)
            log(f"{role}: {r['timesteps']} steps in {r['wall_seconds']:.1f} s")
        out.append(r)
    summary = {"config": cfg.name, "seed": cfg.seed, "runs": out}
    atomic_write_text(Path(folder, "train_summary.json"), json.dumps(summary, indent=1) + "\n")
    return out
