import warnings

import dask
import dask.array as da
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from limix._data import DroppedSamplesWarning, impute_genotype, prepare_inputs

from .helpers import counting_dask, forbid_compute

LABELS = ["a", "b", "c", "d", "e"]


def _prepare(*args, **kwargs):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        inputs = prepare_inputs(*args, **kwargs)
    dropped = [w for w in record if issubclass(w.category, DroppedSamplesWarning)]
    return inputs, dropped


def test_missing_trait_drops_the_sample_with_a_warning():
    inputs, record = _prepare(pd.Series([1.0, np.nan, 3.0, 4.0, np.nan], index=LABELS))
    assert list(inputs.samples) == ["a", "c", "d"]
    assert len(record) == 1
    assert "2 of the 5 samples of y were dropped" in str(record[0].message)
    assert "(y: 2)" in str(record[0].message)
    assert dict(inputs.dropped.missing) == {"y": 2}


def test_pandas_na_is_missing():
    y = pd.Series([1.0, None, 3.0], index=LABELS[:3], dtype="Float64")
    inputs, record = _prepare(y)
    assert inputs.nsamples == 2
    assert len(record) == 1


def test_missing_covariate_drops_the_sample():
    M = np.array([[1.0], [2.0], [np.nan], [4.0], [5.0]])
    inputs, record = _prepare(np.arange(5.0), M=M)
    assert inputs.samples.tolist() == [0, 1, 3, 4]
    np.testing.assert_array_equal(inputs.M.values[:, 0], [1.0, 2.0, 4.0, 5.0])
    assert "(M: 1)" in str(record[0].message)


def test_multi_trait_drops_a_sample_missing_any_trait():
    Y = np.array([[1.0, 2.0], [np.nan, 1.0], [1.0, np.nan], [3.0, 3.0]])
    inputs, record = _prepare(Y, y_name="Y")
    assert inputs.samples.tolist() == [0, 3]
    message = str(record[0].message)
    assert "2 of the 4 samples of Y" in message
    assert "a sample missing any of the 2 traits is dropped" in message


def test_sample_missing_in_several_inputs_is_counted_once():
    y = np.array([np.nan, 1.0, 2.0, 3.0])
    M = np.array([[np.nan], [np.nan], [1.0], [1.0]])
    E = np.array([np.nan, 1.0, 1.0, np.nan])
    inputs, _ = _prepare(y, M=M, E={"E0": E})
    assert inputs.samples.tolist() == [2]
    assert dict(inputs.dropped.missing) == {"y": 1, "M": 1, "E0": 1}
    assert inputs.dropped.total == 3


def test_no_warning_when_nothing_is_dropped():
    inputs, record = _prepare([1.0, 2.0])
    assert record == []
    assert inputs.dropped.total == 0


def test_every_sample_missing_is_an_error():
    with pytest.raises(ValueError, match="no sample of y is left to analyse"):
        prepare_inputs([np.nan, 1.0], M=[[1.0], [np.nan]])


def test_non_finite_kinship_is_an_error_not_a_drop():
    K = np.eye(3)
    K[0, 0] = np.nan
    with pytest.raises(ValueError, match="K has 1 non-finite"):
        prepare_inputs([1.0, 2.0, 3.0], K=K)


def _raw(values, chunks):
    return xr.DataArray(da.from_array(values, chunks=chunks), dims=("sample", "candidate"))


def test_genotype_imputation_per_candidate():
    values = np.array([[0.0, 2.0, np.nan], [np.nan, 1.0, np.nan], [2.0, 0.0, np.nan]])
    G, nmissing = impute_genotype(_raw(values, (3, 2)))
    expected = np.array([[0.0, 2.0, 0.0], [1.0, 1.0, 0.0], [2.0, 0.0, 0.0]])
    np.testing.assert_array_equal(G.values, expected)
    np.testing.assert_array_equal(nmissing.values, [1, 0, 3])
    assert nmissing.dims == ("candidate",)


def test_imputation_is_lazy_and_row_chunks_are_merged():
    values = np.random.RandomState(1).randn(6, 4)
    values[values > 1] = np.nan
    arr, source = counting_dask(values, chunks=(2, 2))
    with dask.config.set(scheduler=forbid_compute):
        G, nmissing = impute_genotype(xr.DataArray(arr, dims=("sample", "candidate")))
    assert source.reads == 0
    means = np.nanmean(values, axis=0)
    expected = np.where(np.isnan(values), means, values)
    np.testing.assert_allclose(G.values, expected)
    np.testing.assert_array_equal(nmissing.values, np.isnan(values).sum(0))


def test_imputation_does_not_modify_the_input():
    values = np.array([[np.nan, 1.0], [1.0, 1.0]])
    G, _ = impute_genotype(_raw(values, (2, 1)))
    np.asarray(G)
    assert np.isnan(values[0, 0])


def test_infinite_genotype_is_an_error_when_computed():
    G, _ = impute_genotype(_raw(np.array([[np.inf, 1.0], [1.0, 1.0]]), (2, 1)))
    with pytest.raises(ValueError, match="G has infinite genotype value"):
        np.asarray(G)


def test_means_use_only_the_analysed_samples():
    y = pd.Series([1.0, 2.0, np.nan], index=["a", "b", "c"])
    G = pd.DataFrame({"rs1": [np.nan, 4.0, 100.0]}, index=["a", "b", "c"])
    inputs, _ = _prepare(y, G=G)
    np.testing.assert_array_equal(inputs.G.values[:, 0], [4.0, 4.0])
