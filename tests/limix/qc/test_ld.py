"""indep_pairwise against a plain loop over pairs; squared_correlations against numpy/pandas."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pandas as pd
import pytest

from limix.qc import indep_pairwise
from limix.qc._ld import squared_correlations


def _reference(X, window, step, threshold):
    p = X.shape[1]
    frame = pd.DataFrame(X)
    ok = [True] * p
    for start in range(0, p, step):
        stop = min(p, start + window)
        for i in range(start, stop):
            for j in range(i + 1, stop):
                if ok[i] and ok[j]:
                    r = frame[i].corr(frame[j])
                    if np.isfinite(r) and r * r > threshold:
                        ok[j] = False
    return np.array(ok)


def test_squared_correlations_complete_data():
    X = np.random.default_rng(0).normal(size=(30, 8))
    np.testing.assert_allclose(squared_correlations(X), np.corrcoef(X.T) ** 2, atol=1e-13)


def test_squared_correlations_pairwise_complete():
    random = np.random.default_rng(1)
    X = random.normal(size=(40, 6))
    X[:, 3] = X[:, 2] + 0.3 * random.normal(size=40)
    X[random.random(X.shape) < 0.2] = np.nan
    expected = pd.DataFrame(X).corr().to_numpy() ** 2  # pandas: pairwise-complete Pearson
    np.testing.assert_allclose(squared_correlations(X), expected, atol=1e-12)


def test_constant_variant_is_correlated_with_nothing():
    X = np.random.default_rng(2).normal(size=(10, 3))
    X[:, 1] = 0.7
    r2 = squared_correlations(X)
    assert np.all(r2[1, [0, 2]] == 0) and np.all(np.isfinite(r2))


@pytest.mark.parametrize(("window", "step", "threshold"), [(4, 2, 0.5), (5, 1, 0.2), (7, 3, 0.1)])
def test_against_reference(window, step, threshold):
    random = np.random.default_rng(3)
    X = random.normal(size=(15, 30))
    X[:, 1::3] += X[:, ::3][:, : X[:, 1::3].shape[1]]  # correlated neighbours
    X[random.random(X.shape) < 0.05] = np.nan
    got = indep_pairwise(X, window, step, threshold, verbose=False)
    np.testing.assert_array_equal(got, _reference(X, window, step, threshold))


def test_dask_and_labels():
    X = np.random.default_rng(4).normal(size=(12, 25))
    X[:, 5] = X[:, 4] * 2 + 0.01
    expected = indep_pairwise(X, 3, 1, 0.8, verbose=False)
    assert not expected[5]
    lazy = da.from_array(X, chunks=(6, 4))
    np.testing.assert_array_equal(indep_pairwise(lazy, 3, 1, 0.8, verbose=False), expected)
    frame = pd.DataFrame(X, columns=[f"rs{j}" for j in range(25)])
    got = indep_pairwise(frame, 3, 1, 0.8, verbose=False)
    assert list(got.index) == list(frame.columns)
    np.testing.assert_array_equal(got.to_numpy(), expected)


def test_progress_and_bad_arguments(capsys):
    X = np.random.default_rng(5).normal(size=(5, 6))
    indep_pairwise(X, 2, 1, 0.5, verbose=True)
    assert "LD pruning" in capsys.readouterr().err
    with pytest.raises(ValueError, match="window_size"):
        indep_pairwise(X, 0, 1, 0.5)
    with pytest.raises(ValueError, match="step_size"):
        indep_pairwise(X, 2, 1.5, 0.5)
    with pytest.raises(ValueError, match="threshold"):
        indep_pairwise(X, 2, 1, 1.5)
