"""mean_standardize against the textbook (x − mean)/std over observed values."""

from __future__ import annotations

import numpy as np
import pytest

from limix.qc import mean_standardize


def test_columns_with_missing_values():
    random = np.random.default_rng(0)
    X = random.normal(3.0, 2.0, size=(30, 5))
    X[random.random(X.shape) < 0.1] = np.nan
    original = X.copy()
    Y = mean_standardize(X)
    np.testing.assert_array_equal(X, original)
    expected = (X - np.nanmean(X, axis=0)) / np.nanstd(X, axis=0)
    np.testing.assert_allclose(Y, expected, rtol=1e-12)
    np.testing.assert_array_equal(np.isnan(Y), np.isnan(X))  # missing stays missing
    np.testing.assert_allclose(np.nanmean(Y, axis=0), 0, atol=1e-14)
    np.testing.assert_allclose(np.nanstd(Y, axis=0), 1, rtol=1e-14)


def test_rows_and_manual_values():
    X = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(
        mean_standardize(X, axis=0), [[-np.sqrt(1.5), 0, np.sqrt(1.5)]] * 2, rtol=1e-15
    )
    np.testing.assert_allclose(mean_standardize(X), [[-1, -1, -1], [1, 1, 1]])


def test_inplace():
    X = np.arange(12.0).reshape(4, 3) ** 2
    expected = mean_standardize(X)
    assert mean_standardize(X, inplace=True) is X
    np.testing.assert_allclose(X, expected)


def test_constant_or_empty_groups_are_errors():
    with pytest.raises(ValueError, match="constant column"):
        mean_standardize(np.array([[0.1, 1.0], [0.1, 2.0], [0.1, 3.0]]))
    with pytest.raises(ValueError, match="no observed value"):
        mean_standardize(np.array([[np.nan, 1.0], [np.nan, 2.0]]))
    with pytest.raises(ValueError, match="infinite"):
        mean_standardize(np.array([[np.inf, 1.0], [0.0, 2.0]]))
