"""The candidates G as a lazy DataArray (sample, candidate)."""

from __future__ import annotations

from typing import Any

import dask.array as da
import numpy as np
import xarray as xr

from .._adapt import BLOCK_BYTES, is_dask
from ._labelled import CANDIDATE, as_labelled

__all__ = ["as_genotype"]


def as_genotype(G: Any, name: str = "G") -> xr.DataArray:
    """Candidates as a dask-backed float DataArray with dims ("sample", "candidate").

    Nothing is computed: a dask input stays lazy (a transposition or a float conversion is added
    to its graph), and an in-memory input is wrapped, without a copy, in a dask array chunked by
    blocks of whole candidates.

    Parameters
    ----------
    G
        Genotypes or other candidates to test. Unlabelled inputs (list, numpy array, dask array)
        are samples×candidates, as in the manual. A pandas DataFrame has samples as its index
        and candidates as its columns. An xarray DataArray states its orientation by its dims:
        ``sample`` and ``candidate`` or ``variant`` in either order, so a variants×samples
        matrix from a reader is accepted as it is; without such names its first dim holds the
        samples. (``limix.io.plink.read`` returns an *unlabelled* variants×samples dask array:
        pass its transpose, or read with ``samples_by_variants=True``.)
    name
        The argument's name, for error messages.

    Returns
    -------
    xarray.DataArray
        Float64 dask-backed values, NaN for a missing genotype (not yet imputed: see
        :func:`~limix._data.impute_genotype`), a ``sample`` coordinate when labelled, and the
        input's coordinates along candidates (0, 1, … when it has none).

    Raises
    ------
    ValueError
        If G is not numeric, not 1-D or 2-D, or has no samples.

    Examples
    --------
    >>> import dask.array as da
    >>> import xarray as xr
    >>> from limix._data import as_genotype
    >>> bed = xr.DataArray(da.zeros((7, 3)), dims=("variant", "sample"))  # 7 variants
    >>> G = as_genotype(bed)
    >>> G.dims, G.shape, type(G.data).__name__
    (('sample', 'candidate'), (3, 7), 'Array')
    """
    out = as_labelled(G, name, CANDIDATE, lazy=True)
    if not is_dask(out.data):
        n = out.shape[0]
        width = max(1, BLOCK_BYTES // max(1, 8 * n))
        values = np.asarray(out.data)
        # name=False: no hashing of the whole matrix to name the graph. The window keeps dask
        # from copying the whole matrix up front (it copies anything with a ``copy`` method).
        lazy = da.from_array(
            _Window(values),
            chunks=(-1, width),
            name=False,
            asarray=False,
            fancy=False,
            meta=np.empty((0, 0), dtype=values.dtype),
        )
        out = out.copy(data=lazy)
    return out


class _Window:
    """Read-only slicing of an in-memory array, for ``dask.array.from_array``.

    Chunks are views of the caller's array: every consumer in limix only reads them (blocks
    handed to the scans are private copies, see ``limix._adapt.column_blocks``).
    """

    def __init__(self, values: np.ndarray) -> None:
        self._values = values
        self.shape = values.shape
        self.dtype = values.dtype
        self.ndim = values.ndim

    def __getitem__(self, key: Any) -> np.ndarray:
        return self._values[key]
