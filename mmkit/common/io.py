"""Safe file output: atomic writes and content hashes.

Every file the project writes goes through :func:`atomic_write_bytes` / :func:`atomic_write_text`:
the data go to a temporary file in the destination folder, are flushed to disk, and the temporary
file is renamed over the destination (``os.replace`` is atomic on POSIX and Windows). A reader
therefore sees the old file or the new one, never a half-written one, and concurrent writers
cannot interleave: the last rename wins with a whole file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write_bytes", "atomic_write_text", "sha256_bytes", "sha256_file"]


def as_path(path: object, name: str = "path") -> Path:
    """``path`` as a :class:`~pathlib.Path`; anything but a ``str`` or path-like raises ``TypeError``."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name} must be a str or os.PathLike path, got {type(path).__name__} {path!r}")
    return Path(path)


def _existing(path: object, name: str, kind: str) -> Path:
    p = as_path(path, name)
    if not (p.is_dir() if kind == "folder" else p.is_file()):
        raise ValueError(f"{name} must be an existing {kind}, got {str(p)!r}")
    return p


def existing_folder(path: object, name: str = "folder") -> Path:
    """``path`` as a :class:`~pathlib.Path` to an existing folder (``TypeError`` for a non-path,
    ``ValueError`` naming ``name`` when it is not a folder)."""
    return _existing(path, name, "folder")


def existing_file(path: object, name: str = "path") -> Path:
    """``path`` as a :class:`~pathlib.Path` to an existing file (``TypeError`` for a non-path,
    ``ValueError`` naming ``name`` when it is not a file)."""
    return _existing(path, name, "file")


def _check_bytes(data: object, name: str = "data") -> None:
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"{name} must be bytes, got {type(data).__name__}")


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file in the same folder, then rename).

    Parameters
    ----------
    path : path-like
        Destination; its parent folder is created if missing.
    data : bytes
        The complete new content.

    Returns
    -------
    pathlib.Path
        The destination path.
    """
    _check_bytes(data)
    out = as_path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write_bytes`)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    if not isinstance(encoding, str):
        raise TypeError(f"encoding must be a codec name (str), got {type(encoding).__name__}")
    try:
        data = text.encode(encoding)
    except LookupError:
        raise ValueError(f"encoding must be a known codec name such as 'utf-8', got {encoding!r}") from None
    return atomic_write_bytes(as_path(path), data)


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    _check_bytes(data)
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of the file at ``path`` (read in 1 MiB blocks)."""
    h = hashlib.sha256()
    with open(as_path(path), "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
