"""count_missingness against direct counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from limix.qc import count_missingness


def test_counts_per_column():
    random = np.random.default_rng(0)
    X = random.normal(size=(40, 9))
    mask = random.random(X.shape) < 0.3
    X[mask] = np.nan
    counts = count_missingness(X)
    np.testing.assert_array_equal(counts, mask.sum(axis=0))
    assert counts.dtype.kind == "i"


def test_vector_is_one_column():
    assert count_missingness([1.0, np.nan, np.nan]) == 2


def test_dataframe_gives_series_by_column():
    df = pd.DataFrame({"a": [1.0, np.nan], "b": [np.nan, np.nan]}, index=["s1", "s2"])
    counts = count_missingness(df)
    assert list(counts.index) == ["a", "b"]
    assert list(counts) == [1, 2]
