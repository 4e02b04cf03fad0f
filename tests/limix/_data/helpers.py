"""Builders shared by the input-layer tests: one matrix in every accepted input type."""

from __future__ import annotations

from typing import Any

import dask.array as da
import numpy as np
import pandas as pd
import xarray as xr

#: Input types that carry sample labels, and those that do not.
LABELLED = ("series_or_frame", "xarray", "xarray_transposed")
UNLABELLED = ("numpy", "list", "dask", "xarray_nocoords", "frame_rangeindex")


def make(kind: str, values: np.ndarray, samples: list[str], other_dim: str = "x") -> Any:
    """``values`` (n×k, or n) as the input type ``kind``, labelled by ``samples`` if it can be."""
    values = np.asarray(values, dtype=float)
    if kind == "numpy":
        return values.copy()
    if kind == "list":
        return values.tolist()
    if kind == "dask":
        return da.from_array(values.copy(), chunks=2)
    if kind == "series_or_frame":
        if values.ndim == 1:
            return pd.Series(values, index=samples)
        return pd.DataFrame(values, index=samples)
    if kind == "frame_rangeindex":
        return pd.DataFrame(values.reshape(len(values), -1))
    dims = ("sample", other_dim) if values.ndim == 2 else ("sample",)
    if kind == "xarray":
        return xr.DataArray(values.copy(), dims=dims, coords={"sample": samples})
    if kind == "xarray_transposed":
        arr = xr.DataArray(values.reshape(len(values), -1), dims=("sample", other_dim))
        return arr.assign_coords(sample=samples).T
    if kind == "xarray_nocoords":
        return xr.DataArray(values.copy(), dims=dims)
    raise AssertionError(kind)


class CountingSource:
    """An array-like that counts reads, to prove that nothing was computed."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values
        self.shape = values.shape
        self.dtype = values.dtype
        self.ndim = values.ndim
        self.reads = 0

    def __getitem__(self, key: Any) -> np.ndarray:
        self.reads += 1
        return self.values[key]


def counting_dask(values: np.ndarray, chunks: Any) -> tuple[da.Array, CountingSource]:
    """A dask array over ``values`` whose every chunk read is counted."""
    source = CountingSource(values)
    arr = da.from_array(source, chunks=chunks, meta=np.empty((0,) * values.ndim), asarray=True)
    source.reads = 0
    return arr, source


def forbid_compute(*args: Any, **kwargs: Any) -> Any:
    """A dask scheduler that fails the test if anything is computed."""
    raise AssertionError("a dask computation was triggered")
