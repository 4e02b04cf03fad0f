"""NumPy ``.npy`` and ``.npz`` files."""

from __future__ import annotations

import os
import tokenize
import zipfile
import zlib

import numpy as np

from ._file import existing_file, malformed

__all__ = ["read"]

# What numpy and zipfile raise on a truncated or corrupt file (a damaged header can reach
# numpy's header tokenizer; a damaged zip directory, zipfile's version check; a damaged flag
# byte, zipfile's RuntimeError for an encrypted member).
_CORRUPT = (
    ValueError,
    RuntimeError,
    OSError,
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    SyntaxError,
    tokenize.TokenError,
)


def read(
    filepath: str | os.PathLike[str], verbose: bool = True, *, mmap: bool = True
) -> np.ndarray | dict[str, np.ndarray]:
    """Read NumPy arrays saved in a file.

    A ``.npy`` file holds one array; an ``.npz`` file (``numpy.savez``) holds named arrays.
    Pickled objects are never loaded (they could run arbitrary code).

    Parameters
    ----------
    filepath
        ``.npy`` or ``.npz`` file (recognised by its content, not its name).
    verbose
        ``True`` (default) to report what is being read.
    mmap
        ``True`` (default) to memory-map a ``.npy`` array read-only instead of loading it:
        values are read from disk as they are used and the file cannot be modified through
        the array. ``False`` loads it into memory. Arrays of an ``.npz`` file are always
        loaded.

    Returns
    -------
    numpy.ndarray or dict
        The array of a ``.npy`` file (a read-only :class:`numpy.memmap` if ``mmap``), or a dict
        from names to arrays for an ``.npz`` file.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If it is not a NumPy file, is truncated, or holds pickled objects.

    Examples
    --------
    >>> from limix.io import examples, npy
    >>>
    >>> K = npy.read(examples.get("example.npy"), verbose=False)
    >>> print(K)
    [[0.67003303 0.09512837 0.09346511 0.09252165 0.09679249]
     [0.09512837 0.66972454 0.09344451 0.09109398 0.09347495]
     [0.09346511 0.09344451 0.67305621 0.08987969 0.09689215]
     [0.09252165 0.09109398 0.08987969 0.67209248 0.09378162]
     [0.09679249 0.09347495 0.09689215 0.09378162 0.66773896]]
    """
    path = existing_file(filepath, "NumPy file")
    if verbose:
        print(f"Reading NumPy file '{path}'.")
    if zipfile.is_zipfile(path):
        try:
            with np.load(path, allow_pickle=False) as archive:
                return {name: archive[name] for name in archive.files}
        except _CORRUPT as e:
            raise malformed(path, f"not a valid .npz file: {e}") from None
    with open(path, "rb") as f:
        magic = f.read(6)
    if magic != b"\x93NUMPY":  # else numpy takes any other content for a pickle
        raise malformed(
            path, "not a valid .npy file (no NumPy magic number), nor a valid .npz file"
        )
    try:
        array = np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
    except _CORRUPT as e:
        raise malformed(path, f"not a valid .npy file (or truncated): {e}") from None
    if not isinstance(array, np.ndarray):
        raise malformed(path, "not a .npy file")
    return array
