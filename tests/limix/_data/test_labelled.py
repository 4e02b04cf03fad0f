import dask.array as da
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from limix._data._labelled import CANDIDATE, COVARIATE, TRAIT, as_labelled, pandas_labels

from .helpers import LABELLED, UNLABELLED, make

SAMPLES = ["s0", "s1", "s2", "s3"]
VALUES = np.arange(12.0).reshape(4, 3)


@pytest.mark.parametrize("kind", LABELLED + UNLABELLED)
def test_every_type_gives_sample_by_column(kind):
    out = as_labelled(make(kind, VALUES, SAMPLES), "M", COVARIATE)
    assert out.dims == ("sample", "covariate")
    np.testing.assert_array_equal(out.values, VALUES)
    assert isinstance(out.values, np.ndarray)
    assert not out.values.flags.writeable
    if kind in LABELLED:
        assert list(out["sample"].values) == SAMPLES
    else:
        assert "sample" not in out.coords


@pytest.mark.parametrize("kind", [*LABELLED, "numpy", "list", "dask", "xarray_nocoords"])
def test_one_dimensional_is_one_column(kind):
    out = as_labelled(make(kind, VALUES[:, 0], SAMPLES), "y", TRAIT)
    assert out.shape == (4, 1)
    np.testing.assert_array_equal(out.values[:, 0], VALUES[:, 0])


def test_column_labels_from_frame_and_default_strings():
    frame = pd.DataFrame(VALUES, index=SAMPLES, columns=["a", "b", "c"])
    assert list(as_labelled(frame, "M", COVARIATE)["covariate"].values) == ["a", "b", "c"]
    assert list(as_labelled(VALUES, "M", COVARIATE)["covariate"].values) == ["0", "1", "2"]
    series = pd.Series(VALUES[:, 0], index=SAMPLES, name="height")
    assert list(as_labelled(series, "y", TRAIT)["trait"].values) == ["height"]


def test_candidates_default_to_integer_positions():
    out = as_labelled(VALUES, "G", CANDIDATE)
    assert out["candidate"].values.tolist() == [0, 1, 2]


def test_dataarray_other_dim_coordinates_are_kept_and_renamed():
    arr = xr.DataArray(
        VALUES,
        dims=("sample", "outcome"),
        coords={"sample": SAMPLES, "gene": ("outcome", ["g1", "g2", "g3"])},
    )
    out = as_labelled(arr, "y", TRAIT)
    assert out.dims == ("sample", "trait")
    assert list(out["gene"].values) == ["g1", "g2", "g3"]
    assert list(out["trait"].values) == ["0", "1", "2"]


def test_dataarray_orientation_from_alias_dim():
    arr = xr.DataArray(VALUES.T, dims=("variant", "iid"), coords={"iid": SAMPLES})
    out = as_labelled(arr, "G", CANDIDATE)
    np.testing.assert_array_equal(out.values, VALUES)
    assert list(out["sample"].values) == SAMPLES


def test_lazy_keeps_dask():
    arr = da.from_array(VALUES, chunks=2)
    out = as_labelled(arr, "G", CANDIDATE, lazy=True)
    assert isinstance(out.data, da.Array)


def test_multiindex_labels_become_tuples():
    index = pd.MultiIndex.from_tuples([("f1", "a"), ("f1", "b"), ("f2", "c"), ("f3", "d")])
    out = as_labelled(pd.DataFrame(VALUES, index=index), "M", COVARIATE)
    assert out["sample"].values[1] == ("f1", "b")


def test_pandas_labels_treats_only_default_range_as_unlabelled():
    assert pandas_labels(pd.RangeIndex(3)) is None
    assert pandas_labels(pd.RangeIndex(1, 4)) is not None
    assert pandas_labels(pd.Index([0, 1, 2])) is not None


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (np.zeros((2, 2, 2)), "M must have 1 or 2 dimension"),
        (np.array(["a", "b"]), "M must be numeric"),
        (np.zeros((0, 2)), "M has no samples"),
        (pd.DataFrame({"a": ["x", "y"]}), "M must be numeric"),
    ],
)
def test_bad_inputs_name_the_argument(value, match):
    with pytest.raises(ValueError, match=match):
        as_labelled(value, "M", COVARIATE)
