"""Locate the book's repository root (where ``_toc.yml`` lives) and its data folders."""

from __future__ import annotations

import os
from pathlib import Path


def find_repo_root() -> Path | None:
    """The repository root, or ``None`` when not running inside the book's repository.

    ``MMKIT_ROOT`` wins when set; otherwise the first parent of the working directory holding
    ``_toc.yml`` and ``mmkit/``. A chapter downloaded and run in another folder is outside the
    repository even when mmkit is installed from it (editable): its ledger records nothing.
    """
    env = os.environ.get("MMKIT_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for p in (here, *here.parents):
        if (p / "_toc.yml").exists() and (p / "mmkit").is_dir():
            return p
    return None


def repo_root() -> Path:
    """The repository root.

    ``MMKIT_ROOT`` wins when set; otherwise the first parent of the working directory
    holding ``_toc.yml``; otherwise the parent of the installed package (editable install).
    """
    env = os.environ.get("MMKIT_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for p in (here, *here.parents):
        if (p / "_toc.yml").exists() and (p / "mmkit").is_dir():
            return p
    return Path(__file__).resolve().parents[2]


def artifacts_dir(*parts: str) -> Path:
    """``artifacts/<parts>``: committed results of expensive CLI runs."""
    return repo_root().joinpath("artifacts", *parts)
