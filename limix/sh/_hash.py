"""SHA-256 digest of a file."""

from __future__ import annotations

import hashlib
import os

__all__ = ["filehash"]

_CHUNK = 1 << 20


def filehash(filepath: str | os.PathLike[str]) -> str:
    """Compute sha256 from a given file.

    The file is read in 1 MiB chunks, so any size fits in memory.

    Parameters
    ----------
    filepath : str
        File path.

    Returns
    -------
    str
        The SHA-256 digest, as 64 lowercase hexadecimal digits.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    IsADirectoryError
        If ``filepath`` is a directory.

    Examples
    --------
    >>> import os, tempfile
    >>> from limix.sh import filehash
    >>>
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "hello.txt")
    ...     with open(path, "wb") as f:
    ...         _ = f.write(b"hello\\n")
    ...     print(filehash(path))
    5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03
    """
    digest = hashlib.sha256()
    with open(filepath, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
