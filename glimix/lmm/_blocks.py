"""Candidates in column blocks: bounded memory for any n×m array-like, dask arrays included.

Anything with a ``.shape`` whose column slices ``G[:, i:j]`` ``numpy.asarray`` can convert is
read one block at a time — a NumPy array (a view, no copy), a memory map, an HDF5 dataset, an
xarray or a dask array (each block computed when it is needed, so an out-of-core genotype matrix
never has to fit in memory). Anything else is converted with ``numpy.asarray`` first.

The block width follows a memory budget: ``budget // bytes_per_column`` columns, where the caller
says how many bytes of working memory one candidate needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._dask import is_dask, local_compute, prefetched

__all__ = [
    "DEFAULT_MEMORY_BUDGET",
    "align_to_chunks",
    "block_width",
    "column_blocks",
    "column_source",
    "with_shape",
]

Array = NDArray[np.float64]

#: Working memory of a scan, in bytes, unless the caller says otherwise (256 MiB).
DEFAULT_MEMORY_BUDGET = 256 * 2**20


def with_shape(G: Any, name: str = "G") -> Any:
    """``G`` itself when it has a ``shape`` (read block by block later), else a float array.

    Raises
    ------
    ValueError
        If ``G`` has no ``shape`` and ``numpy.asarray`` cannot convert it to floats.
    """
    if hasattr(G, "shape"):
        return G
    try:
        return np.asarray(G, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a numeric n×m array: {err}") from None


def column_source(G: Any, n: int, name: str = "G", sets: bool = False) -> tuple[Any, int]:
    """Validate the shape of an n×m array-like (n×m×k with ``sets``) and return it with m.

    Objects without a ``shape`` are converted with ``numpy.asarray`` (as floats).
    """
    G = with_shape(G, name)
    shape = tuple(G.shape)
    if len(shape) != 2 and not (sets and len(shape) == 3):
        allowed = "two- or three-dimensional" if sets else "two-dimensional"
        raise ValueError(
            f"{name} must be {allowed} (samples × candidates"
            f"{' [× columns per candidate]' if sets else ''}); got shape {shape}."
        )
    if shape[0] != n:
        raise ValueError(
            f"{name} must have one row per sample: y has {n} sample(s) but {name} has shape "
            f"{shape}."
        )
    return G, int(shape[1])


def block_width(bytes_per_column: int, budget: int | None) -> int:
    """Number of columns per block: the budget over the bytes one column needs (at least 1)."""
    if budget is None:
        budget = DEFAULT_MEMORY_BUDGET
    if isinstance(budget, bool) or not isinstance(budget, (int, np.integer)) or budget <= 0:
        raise ValueError(f"memory_budget must be a positive number of bytes; got {budget!r}.")
    return max(1, int(budget) // max(1, int(bytes_per_column)))


def align_to_chunks(G: Any, width: int) -> int:
    """Round ``width`` down to a multiple of G's column chunk, when G is chunked and it fits.

    A dask array (``chunks`` a tuple of tuples) or an HDF5 dataset (``chunks`` a tuple of ints)
    then has each stored chunk read once, by one block, instead of twice across a boundary.
    """
    chunks = getattr(G, "chunks", None)
    try:
        column = chunks[1]  # type: ignore[index]
        size = int(column if isinstance(column, (int, np.integer)) else column[0])
    except (TypeError, IndexError, ValueError):
        return width
    if 0 < size <= width:
        return width - width % size
    return width


def column_blocks(G: Any, m: int, width: int, name: str = "G") -> Iterator[tuple[int, int, Array]]:
    """Yield ``(start, stop, block)`` with block = G[:, start:stop] as float64.

    A dask array's next block is computed in a background thread while the current one is in
    use (decoding a genotype file then overlaps the scan's matrix products); other sources are
    sliced when needed. Finiteness is not checked here: the scans check one product per
    candidate instead, which costs nothing (see ``_scan_fixed.check_finite_columns``).

    Raises
    ------
    ValueError
        If a block cannot be sliced or converted to floats.
    """
    bounds = [(start, min(start + width, m)) for start in range(0, m, width)]

    def load(span: tuple[int, int]) -> Array:
        start, stop = span
        try:
            return _as_floats(G[:, start:stop])
        except (TypeError, ValueError, LookupError) as err:
            raise ValueError(
                f"{name} columns {start}:{stop} could not be read as a float array "
                f"({type(err).__name__}: {err}); {name} must support G[:, i:j] slicing like a "
                "NumPy or dask array."
            ) from None

    if not is_dask(G):
        for span in bounds:
            yield span[0], span[1], load(span)
        return
    for span, block in prefetched(bounds, load):
        yield span[0], span[1], block


def _as_floats(part: Any) -> Array:
    """A slice of G in memory as float64 (a dask slice computed by ``local_compute``)."""
    if is_dask(part):
        (part,) = local_compute(part)
    return np.asarray(part, dtype=float)
