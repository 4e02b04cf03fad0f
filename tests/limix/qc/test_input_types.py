"""One implementation, every input type: pandas, xarray and dask give the numpy result, labelled."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from limix.qc import (
    boxcox,
    compute_maf,
    count_missingness,
    mean_impute,
    mean_standardize,
    quantile_gaussianize,
)


def _genotype():
    random = np.random.default_rng(0)
    X = random.integers(0, 3, size=(8, 5)).astype(float) + 0.5  # positive for boxcox
    X[random.random(X.shape) < 0.15] = np.nan
    X[0] = [0.5, 1.5, 2.5, 1.5, 0.5]
    X[1] = [1.5, 0.5, 0.5, 2.5, 2.5]
    return X


SAMPLES = [f"s{i}" for i in range(8)]
VARIANTS = [f"rs{j}" for j in range(5)]
SAME_SHAPE = [
    (mean_impute, {}),
    (mean_impute, {"axis": 0}),
    (mean_standardize, {}),
    (mean_standardize, {"axis": 0}),
    (quantile_gaussianize, {}),
    (quantile_gaussianize, {"axis": 0}),
    (boxcox, {}),
]


@pytest.mark.parametrize(("func", "kwargs"), SAME_SHAPE)
def test_same_shape_functions(func, kwargs):
    X = _genotype()
    if func is mean_impute and kwargs.get("axis") == 0:
        X[2:, 0] = 1.0  # every row keeps an observed value
    expected = func(X, **kwargs)

    frame = pd.DataFrame(X, index=SAMPLES, columns=VARIANTS)
    got = func(frame, **kwargs)
    assert isinstance(got, pd.DataFrame)
    assert list(got.index) == SAMPLES and list(got.columns) == VARIANTS
    np.testing.assert_allclose(got.to_numpy(), expected)
    np.testing.assert_array_equal(frame.to_numpy(), X)  # the caller's frame is untouched

    array = xr.DataArray(
        X,
        dims=("sample", "candidate"),
        coords={"sample": SAMPLES, "chrom": ("candidate", list("11122"))},
        name="genotype",
        attrs={"source": "test"},
    )
    got = func(array, **kwargs)
    assert isinstance(got, xr.DataArray)
    assert got.dims == ("sample", "candidate") and got.name == "genotype"
    assert list(got["chrom"].values) == list("11122") and got.attrs == {"source": "test"}
    np.testing.assert_allclose(got.values, expected)

    lazy = da.from_array(X, chunks=(3, 2))
    got = func(lazy, **kwargs)
    assert isinstance(got, da.Array)
    np.testing.assert_allclose(got.compute(), expected)

    lazy_array = array.copy(data=lazy)
    got = func(lazy_array, **kwargs)
    assert isinstance(got, xr.DataArray) and isinstance(got.data, da.Array)
    np.testing.assert_allclose(got.values, expected)


def test_series_in_series_out():
    s = pd.Series([1.0, np.nan, 3.0], index=["a", "b", "c"], name="trait")
    got = mean_impute(s)
    assert isinstance(got, pd.Series) and got.name == "trait" and list(got.index) == ["a", "b", "c"]
    np.testing.assert_allclose(got.to_numpy(), [1.0, 2.0, 3.0])


@pytest.mark.parametrize("func", [compute_maf, count_missingness])
def test_per_variant_reductions(func):
    X = _genotype() - 0.5
    expected = func(X)
    got = func(pd.DataFrame(X, index=SAMPLES, columns=VARIANTS))
    assert isinstance(got, pd.Series) and list(got.index) == VARIANTS
    np.testing.assert_allclose(got.to_numpy(), expected)
    array = xr.DataArray(X, dims=("sample", "candidate"), coords={"candidate": VARIANTS})
    got = func(array)
    assert got.dims == ("candidate",) and list(got["candidate"].values) == VARIANTS
    np.testing.assert_allclose(got.values, expected)
    got = func(da.from_array(X, chunks=(3, 2)))
    assert isinstance(got, da.Array)
    np.testing.assert_allclose(got.compute(), expected)


def test_errors_surface_when_a_lazy_result_is_computed():
    lazy = da.from_array(np.array([[np.nan, 1.0], [np.nan, 2.0]]), chunks=(1, 1))
    result = mean_impute(lazy)
    with pytest.raises(ValueError, match="no observed value"):
        result.compute()


def test_non_numeric_frames_are_refused():
    with pytest.raises(ValueError, match="X must be numeric"):
        mean_impute(pd.DataFrame({"a": ["x", "y"]}))
    with pytest.raises(ValueError, match="X must be numeric"):
        count_missingness(xr.DataArray(np.array([["x"]])))
