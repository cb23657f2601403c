"""Pickle-free storage of trained MARL agents.

A trained agent ``<role>`` is three files in one folder:

``<role>.json``
    Metadata: :data:`MODEL_VERSION`, the role, the training steps and settings, the policy's
    architecture (``log_std_init``; SB3 ``MlpPolicy`` 64-64 tanh, B-star with the omega head),
    and the SHA-256 and size of the two files below.
``<role>.pt``
    ``{"format", "role", "state_dict"}`` written by ``torch.save`` and read back with
    ``torch.load(weights_only=True)``, which unpickles only tensors and plain containers
    (no code runs); the policy is rebuilt from the metadata and the state dict loaded into it
    with ``strict=True``.
``<role>_obsnorm.npz``
    The observation (and reward) normalisation statistics, plain float arrays read with
    ``numpy.load(allow_pickle=False)``, plus the role.

:func:`read_policy_files` reads each file once, checks it against the hashes recorded in the metadata
and against the nearest ``MANIFEST.json`` (:mod:`mmkit.common.manifest`), and refuses a file
written for another role (:func:`read_policy_files`; :func:`mmkit.marl.policies.load_policy`
rebuilds the policy). Errors are :class:`~mmkit.common.manifest.ArtifactError`
(a ``ValueError``) naming the file.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mmkit.common.io import as_path, atomic_write_bytes, atomic_write_text, existing_folder, sha256_bytes
from mmkit.common.manifest import ArtifactError, read_verified, verify_bytes
from mmkit.common.validation import check_array, check_mapping, check_nonnegative, check_positive, check_real
from mmkit.marl.agents import check_role

__all__ = [
    "MODEL_VERSION",
    "ObsNorm",
    "save_policy",
    "read_policy_files",
    "file_names",
]

#: Bumped whenever observations, actions, rewards, the policy layout or the file format change.
MODEL_VERSION = "mmkit-marl-2"


@dataclass(frozen=True)
class ObsNorm:
    """Normalisation statistics of SB3's ``VecNormalize``: ``clip((obs - mean)/sqrt(var + eps))``."""

    mean: np.ndarray
    var: np.ndarray
    count: float
    clip_obs: float
    epsilon: float
    ret_mean: float = 0.0
    ret_var: float = 1.0
    ret_count: float = 1e-4

    def __post_init__(self) -> None:
        mean = check_array(self.mean, "mean", ndim=1)
        check_array(self.var, "var", shape=mean.shape, lo=0.0)
        check_positive(self.count, "count")
        check_positive(self.clip_obs, "clip_obs")
        check_positive(self.epsilon, "epsilon")
        check_real(self.ret_mean, "ret_mean")
        check_nonnegative(self.ret_var, "ret_var")
        check_positive(self.ret_count, "ret_count")

    @classmethod
    def from_vecnormalize(cls, vn) -> ObsNorm:
        """Copy the statistics out of an SB3 ``VecNormalize``."""
        return cls(
            np.array(vn.obs_rms.mean, dtype=np.float64),
            np.array(vn.obs_rms.var, dtype=np.float64),
            float(vn.obs_rms.count),
            float(vn.clip_obs),
            float(vn.epsilon),
            float(np.asarray(vn.ret_rms.mean)),
            float(np.asarray(vn.ret_rms.var)),
            float(vn.ret_rms.count),
        )

    def apply_to(self, vn) -> None:
        """Write the statistics into an SB3 ``VecNormalize`` (resuming a run)."""
        vn.obs_rms.mean, vn.obs_rms.var, vn.obs_rms.count = self.mean.copy(), self.var.copy(), self.count
        vn.ret_rms.mean, vn.ret_rms.var, vn.ret_rms.count = self.ret_mean, self.ret_var, self.ret_count


def file_names(role: str) -> dict[str, str]:
    """File names of a stored agent: ``meta``, ``weights``, ``obsnorm``."""
    check_role(role)
    return {"meta": f"{role}.json", "weights": f"{role}.pt", "obsnorm": f"{role}_obsnorm.npz"}


def _npz_bytes(role: str, norm: ObsNorm) -> bytes:
    buf = io.BytesIO()
    np.savez(
        buf,
        role=np.array(role),
        mean=norm.mean,
        var=norm.var,
        scalars=np.array(
            [norm.count, norm.clip_obs, norm.epsilon, norm.ret_mean, norm.ret_var, norm.ret_count]
        ),
    )
    return buf.getvalue()


def save_policy(folder: str | Path, role: str, policy, norm: ObsNorm, meta: dict) -> Path:
    """Write ``<role>.pt``, ``<role>_obsnorm.npz`` and ``<role>.json`` atomically.

    ``meta`` must hold ``timesteps`` and ``log_std_init``; the version, role and the files'
    hashes are added here. Returns the metadata path.
    """
    import torch

    folder = as_path(folder, "folder")
    check_role(role)
    if not callable(getattr(policy, "state_dict", None)):
        raise TypeError(f"policy must be a torch module (with state_dict), got {type(policy).__name__}")
    if not isinstance(norm, ObsNorm):
        raise TypeError(f"norm must be an ObsNorm, got {type(norm).__name__}")
    check_mapping(meta, "meta", what="a mapping with timesteps and log_std_init")
    for key in ("timesteps", "log_std_init"):
        if key not in meta:
            raise ValueError(f"meta must contain {key!r}")
    names = file_names(role)
    buf = io.BytesIO()
    sd = {k: v.detach().cpu().clone() for k, v in policy.state_dict().items()}
    torch.save({"format": MODEL_VERSION, "role": role, "state_dict": sd}, buf)
    blobs = {"weights": buf.getvalue(), "obsnorm": _npz_bytes(role, norm)}
    files = {}
    for key, data in blobs.items():
        atomic_write_bytes(folder / names[key], data)
        files[key] = {"name": names[key], "sha256": sha256_bytes(data), "bytes": len(data)}
    full = {**meta, "version": MODEL_VERSION, "role": role, "files": files}
    return atomic_write_text(folder / names["meta"], json.dumps(full, indent=1, sort_keys=True) + "\n")


def _read_meta(folder: Path, role: str) -> dict:
    path = folder / file_names(role)["meta"]
    if not path.exists():
        raise ArtifactError(f"artifact {path} is missing (train with `python -m mmkit marl-train`)")
    try:
        meta = json.loads(read_verified(path))
    except json.JSONDecodeError as exc:
        raise ArtifactError(f"artifact {path} is not valid JSON ({exc})") from exc
    if meta.get("version") != MODEL_VERSION or meta.get("role") != role:
        raise ArtifactError(
            f"incompatible checkpoint {path}: version {meta.get('version')!r} role "
            f"{meta.get('role')!r}, this mmkit reads version {MODEL_VERSION!r} role {role!r}; "
            "retrain with `python -m mmkit marl-train`"
        )
    return meta


def _read_file(folder: Path, meta: dict, key: str) -> tuple[Path, bytes]:
    entry = meta.get("files", {}).get(key)
    if not entry:
        raise ArtifactError(f"artifact {folder / meta['role']}.json records no {key} file")
    path = folder / entry["name"]
    data = read_verified(path)
    verify_bytes(path, data, entry["sha256"], entry.get("bytes"))
    return path, data


def _read_obsnorm(path: Path, data: bytes, role: str) -> ObsNorm:
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            stored = str(z["role"])
            mean, var, sc = z["mean"], z["var"], z["scalars"]
    except (ValueError, KeyError, OSError) as exc:
        raise ArtifactError(f"artifact {path} is not a normalisation-statistics file ({exc})") from exc
    if stored != role:
        raise ArtifactError(f"artifact {path} holds the statistics of role {stored!r}, not {role!r}")
    try:
        return ObsNorm(mean, var, *map(float, sc))
    except (ValueError, TypeError) as exc:
        raise ArtifactError(f"artifact {path} holds invalid normalisation statistics ({exc})") from exc


def _read_weights(path: Path, data: bytes, role: str) -> dict:
    import pickle

    import torch

    try:
        blob = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, EOFError, ValueError) as exc:
        raise ArtifactError(
            f"artifact {path} is not a plain state dict (refused by torch.load(weights_only=True): {exc})"
        ) from exc
    if not isinstance(blob, dict) or blob.get("format") != MODEL_VERSION:
        raise ArtifactError(f"artifact {path} is not an {MODEL_VERSION} weights file")
    if blob.get("role") != role:
        raise ArtifactError(f"artifact {path} holds the weights of role {blob.get('role')!r}, not {role!r}")
    return blob["state_dict"]


def read_policy_files(folder: str | Path, role: str) -> tuple[Path, dict, ObsNorm, dict]:
    """Read and check ``role``'s stored files in ``folder`` without unpickling code.

    Returns ``(weights_path, state_dict, norm, meta)``. Raises
    :class:`~mmkit.common.manifest.ArtifactError` for a missing, truncated, tampered or
    wrong-role file, naming it. :func:`mmkit.marl.policies.load_policy` rebuilds the policy.
    """
    folder = existing_folder(folder)
    check_role(role)
    meta = _read_meta(folder, role)
    wpath, wdata = _read_file(folder, meta, "weights")
    npath, ndata = _read_file(folder, meta, "obsnorm")
    return wpath, _read_weights(wpath, wdata, role), _read_obsnorm(npath, ndata, role), meta
