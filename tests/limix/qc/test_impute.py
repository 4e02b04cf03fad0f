"""mean_impute against a direct per-column mean of the observed values."""

from __future__ import annotations

import numpy as np
import pytest

from limix.qc import mean_impute


def _with_nan(seed=0, shape=(20, 6), fraction=0.2):
    random = np.random.default_rng(seed)
    X = random.normal(size=shape)
    X[random.random(shape) < fraction] = np.nan
    X[0, :] = 1.0  # every column keeps an observed value
    return X


def test_columns_by_default():
    X = _with_nan()
    original = X.copy()
    Y = mean_impute(X)
    np.testing.assert_array_equal(X, original)  # input untouched
    for j in range(X.shape[1]):
        observed = X[~np.isnan(X[:, j]), j]
        expected = np.where(np.isnan(X[:, j]), observed.sum() / observed.size, X[:, j])
        np.testing.assert_allclose(Y[:, j], expected, rtol=1e-14)
    assert not np.isnan(Y).any()


def test_rows_with_axis_0():
    X = _with_nan(1).T.copy()
    Y = mean_impute(X, axis=0)
    for i in range(X.shape[0]):
        row = X[i]
        np.testing.assert_allclose(Y[i], np.where(np.isnan(row), np.nanmean(row), row))


def test_vector_and_list():
    np.testing.assert_allclose(mean_impute([1.0, np.nan, 3.0]), [1.0, 2.0, 3.0])


def test_inplace_writes_into_the_array():
    X = _with_nan(2)
    expected = mean_impute(X)
    out = mean_impute(X, inplace=True)
    assert out is X
    np.testing.assert_allclose(X, expected)


def test_inplace_refuses_what_cannot_be_written():
    with pytest.raises(ValueError, match="inplace"):
        mean_impute([1.0, np.nan], inplace=True)
    with pytest.raises(ValueError, match="inplace"):
        mean_impute(np.array([1, 2]), inplace=True)


def test_all_missing_column_is_an_error():
    X = np.array([[1.0, np.nan], [2.0, np.nan]])
    with pytest.raises(ValueError, match="X has 1 column"):
        mean_impute(X)
    with pytest.raises(ValueError, match="row"):
        mean_impute(X.T.copy(), axis=0)


def test_infinity_is_an_error():
    with pytest.raises(ValueError, match="infinite"):
        mean_impute(np.array([[1.0, np.inf], [np.nan, 1.0]]))


def test_non_numeric_is_an_error():
    with pytest.raises(ValueError, match="X must be numeric"):
        mean_impute([["a", "b"]])
    with pytest.raises(ValueError, match="dimension"):
        mean_impute(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="axis"):
        mean_impute(np.zeros((2, 2)), axis=2)
