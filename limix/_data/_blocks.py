"""Streaming the imputed candidates in column blocks, counting what was imputed."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import dask.array as da
import numpy as np
import xarray as xr
from numpy.typing import NDArray

from .._adapt import BLOCK_BYTES, column_blocks_with
from ._warnings import ImputedGenotypesWarning

__all__ = ["genotype_blocks"]


def genotype_blocks(
    G: xr.DataArray, nmissing: xr.DataArray, budget: int = BLOCK_BYTES, name: str = "G"
) -> Iterator[tuple[int, int, NDArray[np.float64], NDArray[np.int64]]]:
    """Yield ``(start, stop, block, nmissing)``: candidates ``start:stop`` of G, imputed, in
    memory, and how many of each candidate's genotypes were imputed.

    Each block is read once — its values and its missing-genotype counts come from the same
    computation — and, when every block has been read, one
    :class:`~limix._data.ImputedGenotypesWarning` counts the imputed genotypes.

    Parameters
    ----------
    G, nmissing
        ``ScanInputs.G`` and ``ScanInputs.G_nmissing`` (or the two outputs of
        :func:`~limix._data.impute_genotype`), possibly restricted to the same candidates.
    budget
        Approximate bytes per block (see ``limix._adapt.column_blocks``, which reads the next
        block in the background while the current one is used).
    name
        The argument's name, for the warning.

    Yields
    ------
    tuple
        ``(start, stop, block, nmissing)`` with ``block`` a private, writable n×(stop−start)
        float64 array and ``nmissing`` the number of imputed entries of each of its columns.

    Examples
    --------
    >>> import warnings
    >>> import dask.array as da
    >>> import xarray as xr
    >>> from numpy import array, nan
    >>> from limix._data import genotype_blocks, impute_genotype
    >>> values = da.from_array(array([[0.0, 1.0], [nan, 1.0]]))
    >>> raw = xr.DataArray(values, dims=("sample", "candidate"))
    >>> G, nmissing = impute_genotype(raw)
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     blocks = list(genotype_blocks(G, nmissing))
    >>> print(blocks[0][2])
    [[0. 1.]
     [0. 1.]]
    >>> print(w[0].message)  # doctest: +ELLIPSIS
    G: 1 missing genotype(s) in 1 of the 2 candidate(s) were replaced by the candidate's mean...
    """
    n = G.shape[0]
    # One compute per block yields the values and the counts, sharing the read of the raw
    # genotypes (two separate computes would read every block twice).
    counts = nmissing.data
    if isinstance(counts, da.Array) and isinstance(G.data, da.Array):
        counts = counts.rechunk({0: G.data.chunks[1]})
    total = np.zeros(G.shape[1], dtype=np.int64)
    for start, stop, block, missing in column_blocks_with(G.data, counts, budget):
        total[start:stop] = missing
        yield start, stop, block, total[start:stop].copy()
    _warn_imputed(total, n, name)


def _warn_imputed(nmissing: NDArray[np.int64], n: int, name: str) -> None:
    count = int(nmissing.sum())
    if not count:
        return
    affected = int(np.count_nonzero(nmissing))
    empty = int(np.count_nonzero(nmissing == n))
    message = (
        f"{name}: {count} missing genotype(s) in {affected} of the {nmissing.size} candidate(s) "
        f"were replaced by the candidate's mean over the {n} analysed samples."
    )
    if empty:
        message += f" {empty} candidate(s) had no observed genotype and were set to 0."
    warnings.warn(message, ImputedGenotypesWarning, stacklevel=3)
