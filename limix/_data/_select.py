"""Restricting a converted input to the analysed samples, in the trait's order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from .._adapt import is_dask
from ._labelled import label_array, readonly

__all__ = ["select_rows"]


def select_rows(x: xr.DataArray, rows: NDArray[np.intp], samples: pd.Index) -> xr.DataArray:
    """``x`` at ``rows`` along its sample dim(s), relabelled by ``samples``.

    A kinship (dims ``sample_0``, ``sample_1``) is indexed on both axes with the same rows. A
    dask-backed input stays lazy; an in-memory one comes out read-only.

    Examples
    --------
    >>> import pandas as pd
    >>> import xarray as xr
    >>> from numpy import arange, array
    >>> from limix._data import select_rows
    >>> K = xr.DataArray(arange(9.0).reshape(3, 3), dims=("sample_0", "sample_1"))
    >>> print(select_rows(K, array([2, 0]), pd.Index(["c", "a"])).values)
    [[8. 6.]
     [2. 0.]]
    """
    dims = [str(d) for d in x.dims if str(d).startswith("sample")]
    if not (rows.size == x.shape[0] and np.array_equal(rows, np.arange(x.shape[0]))):
        x = x.isel({dim: rows for dim in dims})
    x = x.assign_coords({dim: (dim, label_array(samples)) for dim in dims})
    if not is_dask(x.data):
        x = x.copy(data=readonly(x.values))
    return x
