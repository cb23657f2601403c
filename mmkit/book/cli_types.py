"""Argument types and helpers shared by the command-line modules.

Each ``type=`` function turns a string into a checked value or raises
``argparse.ArgumentTypeError`` (argparse then prints the usage and exits with status 2).
:func:`atomic_write_bytes` / :func:`atomic_write_text` write a result file only once it is
complete (temporary file in the same folder, then an atomic rename), so a failed run never
leaves a partial or stale-looking result behind.
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "positive_int",
    "nonnegative_int",
    "int_at_least",
    "finite_float",
    "nonnegative_float",
    "positive_float",
    "existing_dir",
    "atomic_write_bytes",
    "atomic_write_text",
]


def int_at_least(lo: int, hi: int | None = None) -> Callable[[str], int]:
    """``type=`` for an integer ``>= lo`` (and ``<= hi`` if given)."""
    what = f"an integer >= {lo}" if hi is None else f"an integer in [{lo}, {hi}]"

    def parse(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}") from None
        if v < lo or (hi is not None and v > hi):
            raise argparse.ArgumentTypeError(f"must be {what}, got {v}")
        return v

    parse.__name__ = what.removeprefix("an ")
    return parse


positive_int = int_at_least(1)
nonnegative_int = int_at_least(0)


def _float(text: str, what: str, ok: Callable[[float], bool]) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}") from None
    if not math.isfinite(v) or not ok(v):
        raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}")
    return v


def finite_float(text: str) -> float:
    """``type=`` for a finite real number."""
    return _float(text, "a finite number", lambda v: True)


def nonnegative_float(text: str) -> float:
    """``type=`` for a finite number ``>= 0``."""
    return _float(text, "a finite number >= 0", lambda v: v >= 0)


def positive_float(text: str) -> float:
    """``type=`` for a finite number ``> 0``."""
    return _float(text, "a finite number > 0", lambda v: v > 0)


def existing_dir(text: str) -> Path:
    """``type=`` for a folder that exists."""
    p = Path(text)
    if not p.is_dir():
        raise argparse.ArgumentTypeError(f"must be an existing folder, got {text!r}")
    return p


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))
