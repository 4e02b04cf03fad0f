"""limix._adapt: input checks, column blocks and label-preserving outputs."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from limix._adapt import column_blocks, columnwise, positive_int, real_number, unwrap
from limix._data import as_genotype, genotype_blocks, impute_genotype


def test_unwrap_types_and_errors():
    data, labels = unwrap([[1, 2], [3, 4]], "X")
    assert data.dtype == np.float64 and labels.kind == "numpy"
    data, labels = unwrap(pd.Series([1, None], dtype="Int64"), "y")
    assert np.isnan(data[1]) and labels.kind == "series"
    data, labels = unwrap(da.ones((3, 2), dtype=np.int8, chunks=1), "G")
    assert isinstance(data, da.Array) and data.dtype == np.float64 and labels.lazy
    with pytest.raises(ValueError, match="G must be numeric"):
        unwrap(np.array(["a"]), "G")
    with pytest.raises(ValueError, match="G must be real-valued"):
        unwrap(np.array([1j]), "G")
    with pytest.raises(ValueError, match="G must have 2 dimension"):
        unwrap([1.0, 2.0], "G", ndims=(2,))
    with pytest.raises(ValueError, match="xarray input must be a DataArray"):
        unwrap(xr.Dataset({"a": ("x", [1.0])}), "G")


@pytest.mark.parametrize("lazy", [False, True])
def test_column_blocks_cover_every_column_once(lazy):
    X = np.arange(7 * 23, dtype=float).reshape(7, 23)
    data = da.from_array(X, chunks=(3, (5, 5, 1, 12))) if lazy else X
    seen = []
    for start, stop, block in column_blocks(data, budget=8 * 7 * 4):
        np.testing.assert_array_equal(block, X[:, start:stop])
        seen.extend(range(start, stop))
    assert seen == list(range(23))


@pytest.mark.parametrize("chunks", [(7, 23), (7, 4), (3, 5)])
def test_column_blocks_never_share_memory_with_the_source(chunks):
    """Consumers may write into blocks: no block may be a view of the caller's array."""
    X = np.arange(7 * 23, dtype=float).reshape(7, 23)
    before = X.copy()
    sources = [X, da.from_array(X, chunks=chunks), as_genotype(X).data]
    for data in sources:
        for _, _, block in column_blocks(data, budget=8 * 7 * 6):
            assert not np.shares_memory(block, X)
            assert block.flags.writeable and block.flags.c_contiguous
            block[:] = -1.0
    imputed, nmissing = impute_genotype(as_genotype(X))
    for _, _, block, _ in genotype_blocks(imputed, nmissing):
        assert not np.shares_memory(block, X)
        block[:] = -1.0
    np.testing.assert_array_equal(X, before)


def test_columnwise_axes_and_reductions():
    X = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(
        columnwise(lambda a: a.sum(axis=0), X, 1, reduces=True), X.sum(axis=0)
    )
    np.testing.assert_array_equal(
        columnwise(lambda a: a.sum(axis=0), X, 0, reduces=True), X.sum(axis=1)
    )
    lazy = da.from_array(X, chunks=(1, 1))
    got = columnwise(lambda a: a - a.mean(axis=0), lazy, 0)
    np.testing.assert_allclose(got.compute(), X - X.mean(axis=1, keepdims=True))


def test_labels_square_and_subset():
    arr = xr.DataArray(
        np.ones((2, 3)),
        dims=("sample", "candidate"),
        coords={"sample": ["a", "b"], "candidate": ["x", "y", "z"]},
    )
    _, labels = unwrap(arr, "G")
    K = labels.square(np.eye(2), 0)
    assert K.dims == ("sample_0", "sample_1") and list(K["sample_1"].values) == ["a", "b"]
    assert list(labels.subset(np.array([2, 0]), 1)["candidate"].values) == ["z", "x"]
    frame = pd.DataFrame(np.ones((2, 3)), columns=["x", "y", "z"])
    _, labels = unwrap(frame, "G")
    assert list(labels.subset(np.array([1]), 1).columns) == ["y"]


def test_scalar_checks():
    assert positive_int(3, "n") == 3
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="n must"):
            positive_int(bad, "n")
    assert real_number(0.5, "t", 0, 1) == 0.5
    for bad in (np.nan, 2.0, "x", None):
        with pytest.raises(ValueError, match="t must"):
            real_number(bad, "t", 0, 1)
