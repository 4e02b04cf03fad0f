"""Checks shared by the readers: an existing regular file in, a clear error out."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["existing_file", "malformed"]


def existing_file(filepath: str | os.PathLike[str], what: str = "file") -> Path:
    """Return ``filepath`` as a :class:`~pathlib.Path` if it is an existing regular file.

    Raises
    ------
    FileNotFoundError
        If nothing exists at ``filepath``.
    IsADirectoryError
        If ``filepath`` is a directory.
    """
    path = Path(os.fspath(filepath)).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"{what} not found: '{path}'")
    if path.is_dir():
        raise IsADirectoryError(f"{what} is a directory, not a file: '{path}'")
    return path


def malformed(filepath: str | os.PathLike[str], problem: str) -> ValueError:
    """The error a reader raises for a truncated or malformed file."""
    return ValueError(f"'{os.fspath(filepath)}': {problem}")
