"""Checksum manifests: every committed artifact is listed with its SHA-256 and size.

A manifest is a JSON file ``MANIFEST.json`` at the top of a folder tree (the book keeps one at
``artifacts/MANIFEST.json``)::

    {"algorithm": "sha256",
     "files": {"marl/A.pt": {"sha256": "<64 hex>", "bytes": 41234}, ...}}

Paths are relative to the manifest's folder, with ``/`` separators. A loader reads an artifact
once with :func:`read_verified`, which finds the nearest ``MANIFEST.json`` above the file and
compares the bytes it read (not a second read) with the listed hash and size. A file that is
missing, not listed, truncated (fewer bytes) or tampered (other bytes) raises
:class:`ArtifactError` naming the file. Files outside any manifest's tree are returned unchecked
(scratch training folders; their loaders check hashes recorded beside them).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from mmkit.common.io import as_path, atomic_write_text, sha256_bytes, sha256_file
from mmkit.common.validation import check_nonnegative_int

__all__ = [
    "MANIFEST_NAME",
    "ArtifactError",
    "build_manifest",
    "write_manifest",
    "check_manifest",
    "find_manifest",
    "read_verified",
    "verify_bytes",
    "read_json",
]

MANIFEST_NAME = "MANIFEST.json"


class ArtifactError(ValueError):
    """A missing, unlisted, truncated or tampered artifact (the message names the file)."""


def _listed_files(root: Path) -> list[Path]:
    """Every regular file under ``root`` except the manifest itself and hidden temporaries."""
    out = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.name != MANIFEST_NAME and not p.name.startswith("."):
            out.append(p)
    return out


def _folder(root: object) -> Path:
    out = as_path(root, "root")
    if not out.is_dir():
        raise ValueError(f"root must be an existing folder, got {out}")
    return out


def build_manifest(root: str | os.PathLike[str]) -> dict:
    """The manifest of every file under ``root``: ``{"algorithm", "files": {rel: {sha256, bytes}}}``."""
    root = _folder(root)
    files = {
        p.relative_to(root).as_posix(): {"sha256": sha256_file(p), "bytes": p.stat().st_size}
        for p in _listed_files(root)
    }
    return {"algorithm": "sha256", "files": files}


def write_manifest(root: str | os.PathLike[str]) -> Path:
    """(Re)write ``<root>/MANIFEST.json`` atomically; returns its path."""
    data = build_manifest(root)
    return atomic_write_text(_folder(root) / MANIFEST_NAME, json.dumps(data, indent=1, sort_keys=True) + "\n")


def check_manifest(root: str | os.PathLike[str]) -> list[str]:
    """Differences between ``<root>/MANIFEST.json`` and the files on disk (empty when current)."""
    root = _folder(root)
    path = root / MANIFEST_NAME
    if not path.exists():
        return [f"{path}: manifest missing (run `python -m mmkit artifacts-manifest`)"]
    listed = json.loads(path.read_text())["files"]
    actual = build_manifest(root)["files"]
    problems = [
        f"{root / f}: listed in the manifest but missing" for f in sorted(listed.keys() - actual.keys())
    ]
    problems += [f"{root / f}: not listed in the manifest" for f in sorted(actual.keys() - listed.keys())]
    problems += [
        f"{root / f}: SHA-256 differs from the manifest"
        for f in sorted(listed.keys() & actual.keys())
        if listed[f] != actual[f]
    ]
    return problems


def find_manifest(path: str | os.PathLike[str]) -> Path | None:
    """The nearest ``MANIFEST.json`` in a parent folder of ``path`` (``None`` if there is none)."""
    p = as_path(path).resolve()
    for parent in p.parents:
        cand = parent / MANIFEST_NAME
        if cand.is_file():
            return cand
    return None


def verify_bytes(path: str | os.PathLike[str], data: bytes, sha256: str, size: int | None = None) -> None:
    """Raise :class:`ArtifactError` unless ``data`` (read from ``path``) has this size and hash."""
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    if not (isinstance(sha256, str) and len(sha256) == 64 and all(c in "0123456789abcdef" for c in sha256)):
        raise ValueError(f"sha256 must be a 64-character lower-case hex digest, got {sha256!r}")
    if size is not None:
        size = check_nonnegative_int(size, "size")
    if size is not None and len(data) != size:
        kind = "truncated" if len(data) < size else "has extra bytes"
        raise ArtifactError(f"artifact {path} is {kind}: {len(data)} bytes, expected {size}")
    got = sha256_bytes(data)
    if got != sha256:
        raise ArtifactError(
            f"artifact {path} was modified: SHA-256 {got[:12]}... differs from the recorded "
            f"{sha256[:12]}... (tampered or corrupted; restore it with git or regenerate it)"
        )


def read_verified(path: str | os.PathLike[str]) -> bytes:
    """Read ``path`` once and check it against the nearest manifest above it.

    Raises
    ------
    ArtifactError
        If the file is missing, or a manifest covers it and the file is not listed, truncated
        or modified.
    """
    p = as_path(path)
    if not p.is_file():
        raise ArtifactError(f"artifact {p} is missing")
    data = p.read_bytes()
    man = find_manifest(p)
    if man is None:
        return data
    rel = p.resolve().relative_to(man.parent.resolve()).as_posix()
    entry = json.loads(man.read_text())["files"].get(rel)
    if entry is None:
        raise ArtifactError(
            f"artifact {p} is not listed in {man} (regenerate it with `python -m mmkit artifacts-manifest`)"
        )
    verify_bytes(p, data, entry["sha256"], entry.get("bytes"))
    return data


def read_json(path: str | os.PathLike[str]):
    """:func:`read_verified`, then parse as JSON."""
    return json.loads(read_verified(path))
