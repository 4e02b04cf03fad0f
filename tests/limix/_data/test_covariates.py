import numpy as np
import pandas as pd
import pytest

from limix._data import as_covariates, offset_covariate

from .helpers import LABELLED, UNLABELLED, make


@pytest.mark.parametrize("kind", LABELLED + UNLABELLED)
def test_covariates_used_as_given(kind):
    values = np.array([[1.0, 38.0], [1.0, 59.0], [1.0, 34.0]])
    M = as_covariates(make(kind, values, ["a", "b", "c"]))
    assert M.dims == ("sample", "covariate")
    np.testing.assert_array_equal(M.values, values)


def test_none_gives_named_offset():
    M = as_covariates(None, 4)
    assert M.shape == (4, 1)
    np.testing.assert_array_equal(M.values, np.ones((4, 1)))
    assert list(M["covariate"].values) == ["offset"]


def test_none_without_size_is_an_error():
    with pytest.raises(ValueError, match="M is None"):
        as_covariates(None)


def test_offset_with_labels():
    M = offset_covariate(pd.Index(["x", "y"]))
    assert list(M["sample"].values) == ["x", "y"]


def test_manual_frame_keeps_names():
    frame = pd.DataFrame({"offset": [0.4, 0.4], "age": [38.0, 59.0]}, index=["s0", "s1"])
    assert list(as_covariates(frame)["covariate"].values) == ["offset", "age"]


def test_infinite_covariate_is_an_error():
    with pytest.raises(ValueError, match="M has 1 infinite"):
        as_covariates([[1.0], [np.inf]])
