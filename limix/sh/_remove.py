"""Removal of a file."""

from __future__ import annotations

import os

__all__ = ["remove"]


def remove(filepath: str | os.PathLike[str]) -> None:
    """Remove file.

    A file that does not exist is not an error (the call is idempotent, like ``rm -f``). A
    symbolic link is removed itself, not what it points to. Directories are refused: this
    function never deletes a tree.

    Parameters
    ----------
    filepath : str
        File path.

    Raises
    ------
    ValueError
        If ``filepath`` is a directory.

    Examples
    --------
    >>> import os, tempfile
    >>> from limix.sh import remove
    >>>
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "data.txt")
    ...     open(path, "w").close()
    ...     remove(path)
    ...     print(os.path.exists(path))
    False
    """
    if os.path.isdir(filepath) and not os.path.islink(filepath):
        raise ValueError(
            f"filepath {os.fspath(filepath)!r} is a directory; remove deletes files only."
        )
    try:
        os.remove(filepath)
    except FileNotFoundError:
        pass
