import numpy as np
import pandas as pd
import pytest

from limix._data import as_environment, as_trait

from .helpers import LABELLED, UNLABELLED, make

SAMPLES = ["a", "b", "c"]


@pytest.mark.parametrize("kind", LABELLED + UNLABELLED)
def test_trait_from_every_type(kind):
    y = as_trait(make(kind, [1.0, np.nan, 3.0], SAMPLES))
    assert y.dims == ("sample", "trait")
    np.testing.assert_array_equal(y.values[:, 0], [1.0, np.nan, 3.0])


def test_multi_trait_names_from_columns():
    Y = pd.DataFrame({"h": [1.0, 2.0, 3.0], "w": [3.0, 2.0, 1.0]}, index=SAMPLES)
    y = as_trait(Y, "Y")
    assert y.shape == (3, 2)
    assert list(y["trait"].values) == ["h", "w"]


def test_boolean_trait_becomes_float():
    y = as_trait(np.array([True, False, True]))
    assert y.dtype == np.float64
    np.testing.assert_array_equal(y.values[:, 0], [1.0, 0.0, 1.0])


def test_infinite_trait_is_an_error():
    with pytest.raises(ValueError, match="Y has 1 infinite value"):
        as_trait([1.0, np.inf, 2.0], "Y")


def test_trait_without_columns_is_an_error():
    with pytest.raises(ValueError, match="y has no trait"):
        as_trait(np.zeros((3, 0)))


def test_input_is_not_modified_and_output_is_readonly():
    values = np.array([1.0, 2.0, 3.0])
    y = as_trait(values)
    with pytest.raises(ValueError):
        y.values[0, 0] = 10.0
    np.testing.assert_array_equal(values, [1.0, 2.0, 3.0])


def test_environment():
    E = as_environment(pd.Series([0.0, 1.0, 1.0], index=SAMPLES, name="diet"), "E0")
    assert E.dims == ("sample", "environment")
    assert list(E["environment"].values) == ["diet"]
    with pytest.raises(ValueError, match="E1 has 1 infinite"):
        as_environment([0.0, -np.inf, 1.0], "E1")
