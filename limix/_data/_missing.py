"""The one missing-value policy of limix's analyses.

* NaN is the only missing value (pandas' NA is read as NaN); an infinite value is an error.
* A sample with a missing trait value is dropped. For a multi-trait Y a sample missing *any* of
  its traits is dropped (the multi-trait model needs the complete n×p matrix); to keep more
  samples, analyse the traits one at a time.
* A sample with a missing covariate, environment or binomial trial count is dropped.
* Every drop is counted, per cause, in one :class:`~limix._data.DroppedSamplesWarning`.
* The kinship K must be finite: a NaN or infinity in K is an error, never a drop.
* A missing genotype is replaced by its candidate's mean over the analysed samples (lazily, one
  block of candidates at a time). A candidate with no observed genotype becomes a column of
  zeros. The replaced entries are counted in an :class:`~limix._data.ImputedGenotypesWarning`
  when the genotypes are streamed by :func:`~limix._data.genotype_blocks`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

__all__ = ["impute_genotype", "missing_rows", "reject_infinite"]


def reject_infinite(values: NDArray[np.float64], name: str) -> None:
    """Raise a ``ValueError`` naming ``name`` if ``values`` holds an infinite value."""
    infinite = int(np.count_nonzero(np.isinf(values)))
    if infinite:
        raise ValueError(
            f"{name} has {infinite} infinite value(s); only NaN is read as a missing value."
        )


def missing_rows(values: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Which rows (samples) of a 2-D array have at least one NaN."""
    return np.isnan(values).any(axis=1)


def _impute_block(block: NDArray[np.float64], name: str) -> NDArray[np.float64]:
    """Replace each column's NaN by the mean of its observed entries (0 if none is observed)."""
    block = np.asarray(block, dtype=float)
    if _all_finite(block):
        return block
    if np.isinf(block).any():
        columns = np.flatnonzero(np.isinf(block).any(axis=0))
        raise ValueError(
            f"{name} has infinite genotype value(s) in {columns.size} candidate(s) of a block; "
            "only NaN is read as a missing genotype."
        )
    nan = np.isnan(block)
    if not nan.any():
        return block
    observed = block.shape[0] - nan.sum(axis=0)
    sums = np.where(nan, 0.0, block).sum(axis=0)
    means = np.divide(sums, observed, out=np.zeros_like(sums), where=observed > 0)
    return np.where(nan, means, block)


def _count_block(block: NDArray[np.float64]) -> NDArray[np.int64]:
    if _all_finite(block):
        return np.zeros(block.shape[1], dtype=np.int64)
    return np.isnan(block).sum(axis=0, dtype=np.int64)


def _all_finite(block: NDArray[np.float64]) -> bool:
    """Whether every entry is finite, by one reduction pass without a temporary mask.

    NaN and ±∞ make their column's sum non-finite; so can a sum of huge finite values, which
    only sends the block to the slower exact checks.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        return bool(np.isfinite(np.add.reduce(block, axis=0)).all())


def impute_genotype(G: xr.DataArray, name: str = "G") -> tuple[xr.DataArray, xr.DataArray]:
    """Mean-impute the missing genotypes of each candidate, lazily.

    Parameters
    ----------
    G
        Dask-backed DataArray (sample, candidate), already restricted to the analysed samples
        (the means are over those samples).
    name
        The argument's name, for the error raised (at compute time) on an infinite value.

    Returns
    -------
    imputed
        Same dims, coordinates and chunks along candidates; nothing is computed.
    nmissing
        Lazy integer DataArray (candidate): how many genotypes of each candidate were replaced.

    Examples
    --------
    >>> import dask.array as da
    >>> import xarray as xr
    >>> from numpy import array, nan
    >>> from limix._data import impute_genotype
    >>> raw = da.from_array(array([[0.0, nan], [2.0, 1.0], [nan, nan]]), chunks=(3, 1))
    >>> G, nmissing = impute_genotype(xr.DataArray(raw, dims=("sample", "candidate")))
    >>> print(G.values)
    [[0. 1.]
     [2. 1.]
     [1. 1.]]
    >>> print(nmissing.values)
    [1 2]
    """
    data: Any = G.data
    if len(data.chunks[0]) > 1:
        # Each candidate's mean needs all its samples in one block.
        data = data.rechunk({0: -1, 1: "auto"})
    imputed = data.map_blocks(_impute_block, name, dtype=float, meta=np.empty((0, 0)))
    counts = data.map_blocks(
        _count_block, drop_axis=0, dtype=np.int64, meta=np.empty(0, dtype=np.int64)
    )
    candidate_coords = {k: v for k, v in G.coords.items() if v.dims == ("candidate",)}
    return (
        G.copy(data=imputed),
        xr.DataArray(counts, dims=("candidate",), coords=candidate_coords, name="nmissing"),
    )
