"""quantile_gaussianize against Φ⁻¹(rank/(n+1)) computed with scipy.stats."""

from __future__ import annotations

import numpy as np
from scipy.stats import norm, rankdata

from limix.qc import quantile_gaussianize


def test_columns_against_scipy():
    random = np.random.default_rng(0)
    X = random.exponential(size=(25, 4))
    X[3, 1] = X[4, 1]  # a tie
    Y = quantile_gaussianize(X)
    for j in range(4):
        expected = norm.ppf(rankdata(X[:, j]) / 26)
        np.testing.assert_allclose(Y[:, j], expected, rtol=1e-12)
    assert Y[3, 1] == Y[4, 1]


def test_missing_values_are_ignored_and_kept():
    X = np.array([[3.0, 1.0], [np.nan, 5.0], [1.0, 2.0], [2.0, np.nan]])
    Y = quantile_gaussianize(X)
    np.testing.assert_array_equal(np.isnan(Y), np.isnan(X))
    np.testing.assert_allclose(Y[[0, 2, 3], 0], norm.ppf(np.array([3, 1, 2]) / 4))
    np.testing.assert_allclose(Y[[0, 1, 2], 1], norm.ppf(np.array([1, 3, 2]) / 4))


def test_rows_and_monotone():
    random = np.random.default_rng(1)
    X = random.normal(size=(3, 40))
    Y = quantile_gaussianize(X, axis=0)
    for i in range(3):
        order = np.argsort(X[i])
        assert np.all(np.diff(Y[i, order]) > 0)
    np.testing.assert_allclose(Y, quantile_gaussianize(X.T).T)


def test_input_untouched_and_inplace():
    X = np.array([[2.0, 1.0], [0.0, 3.0], [1.0, 2.0]])
    original = X.copy()
    Y = quantile_gaussianize(X)
    np.testing.assert_array_equal(X, original)
    assert quantile_gaussianize(X, inplace=True) is X
    np.testing.assert_allclose(X, Y)
