"""Lazy arrays of files: a fixed memory budget per block, and graphs named by the file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import dask.array as da

__all__ = ["CHUNK_BYTES", "file_array", "variant_chunk_size"]

#: Memory budget of one block of a lazy genotype array, in bytes.
CHUNK_BYTES = 64 * 1024 * 1024


def variant_chunk_size(
    nsamples: int, itemsize: int, nvariants: int, chunk_size: int | None = None
) -> int:
    """Number of variants per block.

    ``chunk_size`` when given (it must be a positive integer); otherwise as many variants as fit
    :data:`CHUNK_BYTES` for ``nsamples`` values of ``itemsize`` bytes each, at least one.
    """
    if chunk_size is not None:
        if isinstance(chunk_size, bool) or int(chunk_size) != chunk_size or chunk_size < 1:
            raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}")
        return int(min(chunk_size, max(nvariants, 1)))
    per_variant = max(nsamples, 1) * itemsize
    return int(max(1, min(CHUNK_BYTES // per_variant, max(nvariants, 1))))


def file_array(
    source: Any, path: Path, prefix: str, chunks: tuple[int, ...], dtype: Any, *key: Any
) -> da.Array:
    """A lazy dask array whose blocks ``source`` reads from the file ``path``.

    The graph is named ``prefix`` followed by a token of the file's resolved path, size and
    modification time and ``key``: the same file read twice gives the same name, so dask shares
    its blocks, and a file changed in between gives another.

    Parameters
    ----------
    source
        Indexed by a tuple of slices, one per dimension, it returns that block as a numpy array
        (it opens the file itself: no lock is taken).
    path
        The file read.
    prefix
        The start of the graph's name (``"plink-bed-"``).
    chunks
        The block shape (``-1``: the whole dimension).
    dtype
        The element type.
    *key
        What else tells the array apart among those of the same file.

    Returns
    -------
    dask.array.Array
        The array.
    """
    import dask.array as da
    from dask.base import tokenize

    stat = path.stat()
    token = tokenize(str(path.resolve()), stat.st_size, stat.st_mtime_ns, *key)
    return da.from_array(
        source,
        chunks=chunks,
        name=prefix + token,
        meta=np.empty((0,) * len(chunks), dtype=dtype),
        asarray=False,
        fancy=False,
        lock=False,
    )
