"""One-off conversion of mmkit-marl-1 checkpoints (SB3 ``.zip`` + ``VecNormalize`` ``.pkl``).

The 0.1 artifacts stored each agent as an SB3 zip (part of it cloudpickled) and a pickled
``VecNormalize``: loading either runs pickle. :func:`convert_folder` loads such files **once**
(they are the project's own, from its history) and rewrites them in the pickle-free format of
:mod:`mmkit.marl.checkpoint`, then deletes them. Nothing else in mmkit reads a pickle; this
module is only used by ``python -m mmkit marl-convert``.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

from mmkit.common.io import existing_folder
from mmkit.marl.agents import ROLES
from mmkit.marl.checkpoint import ObsNorm, save_policy

__all__ = ["convert_folder"]


def _convert_role(folder: Path, role: str) -> None:
    from stable_baselines3 import PPO

    zp, vp, mp = folder / f"{role}.zip", folder / f"{role}_vecnormalize.pkl", folder / f"{role}.json"
    old = json.loads(mp.read_text())
    if old.get("version") != "mmkit-marl-1" or old.get("role") != role:
        raise ValueError(f"{mp} is not an mmkit-marl-1 checkpoint of role {role!r}")
    model = PPO.load(zp, device="cpu")
    with open(vp, "rb") as f:
        vn = pickle.load(f)  # noqa: S301 - the project's own file, converted once
    ppo = old.get("ppo", {})
    meta = {k: v for k, v in old.items() if k not in ("version", "role")}
    meta.update(
        {
            "log_std_init": float(ppo.get("log_std_init", 0.0)),
            "budget": int(old["timesteps"]),
            "converted_from": "mmkit-marl-1 (SB3 zip + VecNormalize pickle)",
        }
    )
    if "seed" in old:
        from mmkit.marl.train import STAGES

        meta["base_seed"] = int(old["seed"]) - 1000 * STAGES.index(role)
    save_policy(folder, role, model.policy, ObsNorm.from_vecnormalize(vn), meta)
    zp.unlink()
    vp.unlink()


def convert_folder(folder: str | Path) -> list[Path]:
    """Convert every mmkit-marl-1 agent under ``folder`` (recursively); returns the folders."""
    done = []
    for zp in sorted(existing_folder(folder).rglob("*.zip")):
        role = zp.stem
        if role in ROLES and (zp.parent / f"{role}_vecnormalize.pkl").exists():
            _convert_role(zp.parent, role)
            done.append(zp.parent / role)
    return done
