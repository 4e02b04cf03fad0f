"""remove_dependent_cols: the result spans the same space, has full column rank, keeps order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from limix.qc import remove_dependent_cols


def test_dependent_columns_are_dropped_earliest_kept():
    random = np.random.default_rng(0)
    A = random.normal(size=(20, 3))
    # columns: a0, 2·a0, a1, a0 + a1, zeros, a2, a1 − a2
    X = np.column_stack(
        [A[:, 0], 2 * A[:, 0], A[:, 1], A[:, 0] + A[:, 1], np.zeros(20), A[:, 2], A[:, 1] - A[:, 2]]
    )
    Y = remove_dependent_cols(X)
    np.testing.assert_array_equal(Y, X[:, [0, 2, 5]])
    assert np.linalg.matrix_rank(Y) == Y.shape[1] == np.linalg.matrix_rank(X)


def test_scale_does_not_matter():
    random = np.random.default_rng(1)
    X = random.normal(size=(10, 3))
    X[:, 1] *= 1e-12  # tiny but independent
    np.testing.assert_array_equal(remove_dependent_cols(X), X)
    X[:, 2] = 1e6 * X[:, 1]  # huge but dependent
    np.testing.assert_array_equal(remove_dependent_cols(X), X[:, :2])


def test_tolerance():
    x = np.array([1.0, 0.0, 0.0])
    y = np.array([1.0, 1e-6, 0.0])  # at distance ≈1e-6 of span(x), relative to its norm
    X = np.column_stack([x, y])
    assert remove_dependent_cols(X).shape[1] == 2
    assert remove_dependent_cols(X, tol=1e-5).shape[1] == 1


def test_labels_kept_and_bad_input():
    df = pd.DataFrame({"offset": 1.0, "a": [1.0, 2.0, 3.0], "b": [2.0, 3.0, 4.0]})
    assert list(remove_dependent_cols(df).columns) == ["offset", "a"]
    with pytest.raises(ValueError, match="non-finite"):
        remove_dependent_cols([[1.0, np.nan], [0.0, 1.0]])
    with pytest.raises(ValueError, match="tol"):
        remove_dependent_cols(np.eye(2), tol=-1.0)
