"""Files written safely: whole or not at all, and one writer per output folder.

A result file is written under a temporary name in its own folder and renamed into place once
complete (``os.replace`` is atomic on POSIX and Windows when both names are on one file
system), so an interrupted run never leaves a half-written table under the final name, and a
reader never sees one. Two runs writing into the same folder at once would still mix their
files, so a run takes the folder's lock file first (created with ``O_EXCL``: exactly one
process can) and a second run refuses instead of interleaving.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

__all__ = ["LOCK_NAME", "FolderBusy", "atomic_write", "folder_lock"]

#: Name of the lock file a writing run keeps in its output folder.
LOCK_NAME = ".limix-output.lock"


class FolderBusy(RuntimeError):
    """Another run holds the output folder's lock."""


def atomic_write(path: str | Path, write: Callable[[BinaryIO], object]) -> Path:
    """Write ``path`` through ``write(file)`` into a temporary file renamed once complete.

    On any error (or an interruption) the temporary file is removed and ``path`` is left as it
    was. Returns ``path``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from limix._files import atomic_write
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = atomic_write(Path(folder) / "a.txt", lambda f: f.write(b"done"))
    ...     print(target.read_text(), sorted(p.name for p in Path(folder).iterdir()))
    done ['a.txt']
    """
    target = Path(path)
    partial = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
    try:
        with open(partial, "xb") as f:
            write(f)
        os.replace(partial, target)
    except BaseException:
        if partial.exists():
            partial.unlink()
        raise
    return target


@contextmanager
def folder_lock(folder: str | Path) -> Iterator[Path]:
    """Hold ``folder``'s lock file while the block runs (the folder is created if needed).

    Raises
    ------
    FolderBusy
        If the lock file exists: another run is writing there (or one was killed before it
        could remove its lock; the message says which process took it).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / LOCK_NAME
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        try:
            owner = lock.read_text().strip() or "unknown"
        except OSError:
            owner = "unknown"
        raise FolderBusy(
            f"another limix run (process {owner}) is writing into '{folder}'; wait for it to "
            f"finish, or delete '{lock}' if no such run is active"
        ) from None
    try:
        with os.fdopen(fd, "w") as f:
            f.write(f"{os.getpid()}\n")
        yield lock
    finally:
        lock.unlink(missing_ok=True)
