import dask.array as da
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from limix._data import KinshipFactor, as_kinship

LABELS = ["a", "b", "c", "d"]


def _kinship(n=4, seed=0):
    X = np.random.RandomState(seed).randn(n, 3)
    return X @ X.T


def test_numpy_kinship_is_unlabelled_and_readonly():
    K = _kinship()
    out = as_kinship(K)
    assert out.dims == ("sample_0", "sample_1")
    assert "sample_0" not in out.coords
    np.testing.assert_array_equal(out.values, K)
    assert not out.values.flags.writeable


def test_list_and_dask_kinship():
    K = _kinship()
    np.testing.assert_array_equal(as_kinship(K.tolist()).values, K)
    np.testing.assert_array_equal(as_kinship(da.from_array(K, chunks=2)).values, K)


def test_frame_with_permuted_columns_is_reordered():
    K = _kinship()
    frame = pd.DataFrame(K, index=LABELS, columns=LABELS)
    shuffled = frame[["c", "a", "d", "b"]]
    out = as_kinship(shuffled)
    np.testing.assert_array_equal(out.values, K)
    assert list(out["sample_0"].values) == LABELS
    assert list(out["sample_1"].values) == LABELS


def test_dataarray_with_coordinates():
    K = _kinship()
    arr = xr.DataArray(K, dims=("sample_0", "sample_1"), coords={"sample_0": LABELS})
    out = as_kinship(arr)
    assert list(out["sample_1"].values) == LABELS


def test_frame_with_default_index_is_unlabelled():
    out = as_kinship(pd.DataFrame(_kinship()))
    assert "sample_0" not in out.coords


def test_not_square_mentions_factor():
    with pytest.raises(ValueError, match=r"K must be a square n×n matrix; got shape \(4, 3\).*"):
        as_kinship(np.ones((4, 3)))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_kinship_is_an_error(bad):
    K = _kinship()
    K[1, 2] = K[2, 1] = bad
    with pytest.raises(ValueError, match="K has 2 non-finite value"):
        as_kinship(K)


def test_asymmetric_kinship_is_an_error():
    K = _kinship()
    K[0, 1] += 0.5
    with pytest.raises(ValueError, match="K must be symmetric"):
        as_kinship(K, "K")


def test_row_and_column_labels_must_agree():
    frame = pd.DataFrame(_kinship(), index=LABELS, columns=["a", "b", "c", "z"])
    with pytest.raises(ValueError, match="1 of its 4 row label"):
        as_kinship(frame)


def test_duplicated_labels_that_differ_are_an_error():
    frame = pd.DataFrame(_kinship(), index=["a", "a", "b", "c"], columns=["a", "b", "c", "a"])
    with pytest.raises(ValueError, match=r"K has 1 duplicated sample label: \['a'\]"):
        as_kinship(frame)


def test_factor():
    X = pd.DataFrame(np.ones((4, 2)), index=LABELS)
    out = as_kinship(KinshipFactor(X))
    assert out.dims == ("sample", "factor")
    assert list(out["sample"].values) == LABELS


def test_non_finite_factor_is_an_error():
    X = np.ones((4, 2))
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"K \(a KinshipFactor\) has 1 non-finite"):
        as_kinship(KinshipFactor(X))
