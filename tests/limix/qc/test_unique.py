"""unique_variants against a plain Python set of column tuples."""

from __future__ import annotations

import dask.array as da
import numpy as np

from limix.qc import unique_variants


def test_first_occurrences_in_order():
    random = np.random.default_rng(0)
    base = random.integers(0, 3, size=(6, 5)).astype(float)
    order = random.integers(0, 5, size=40)
    X = base[:, order]
    seen, expected = set(), []
    for j in range(X.shape[1]):
        key = tuple(X[:, j])
        if key not in seen:
            seen.add(key)
            expected.append(j)
    np.testing.assert_array_equal(unique_variants(X), X[:, expected])


def test_missing_and_signed_zero():
    X = np.array([[np.nan, np.nan, 0.0, -0.0, 1.0], [1.0, 1.0, 2.0, 2.0, np.nan]])
    np.testing.assert_array_equal(unique_variants(X), X[:, [0, 2, 4]])


def test_integer_dtype_preserved():
    X = np.array([[0, 0, 1], [1, 1, 2]], dtype=np.int8)
    Y = unique_variants(X)
    assert Y.dtype == np.int8
    np.testing.assert_array_equal(Y, [[0, 1], [1, 2]])


def test_dask_stays_lazy_and_agrees():
    random = np.random.default_rng(1)
    X = random.integers(0, 2, size=(5, 60)).astype(float)
    lazy = da.from_array(X, chunks=(5, 7))
    Y = unique_variants(lazy)
    assert isinstance(Y, da.Array)
    np.testing.assert_array_equal(Y.compute(), unique_variants(X))
