"""compute_maf against hand-computed frequencies."""

from __future__ import annotations

import numpy as np
import pytest

from limix.qc import compute_maf


def test_hand_computed_with_missing():
    X = np.array([[0, 2, 1], [1, 2, np.nan], [2, 2, 0], [0, 1, np.nan]])
    # column 0: 3 alleles of 8; column 1: 7 of 8 → 1/8; column 2: 1 of 4
    np.testing.assert_allclose(compute_maf(X), [3 / 8, 1 / 8, 1 / 4])


def test_dosages_and_bounds():
    random = np.random.default_rng(0)
    X = random.uniform(0, 2, size=(50, 7))
    f = X.mean(axis=0) / 2
    np.testing.assert_allclose(compute_maf(X), np.minimum(f, 1 - f))
    assert np.all(compute_maf(X) <= 0.5)


def test_bad_input():
    with pytest.raises(ValueError, match=r"\[0, 2\]"):
        compute_maf([[0.0, 3.0]])
    with pytest.raises(ValueError, match=r"\[0, 2\]"):
        compute_maf([[0.0, -1.0]])
    with pytest.raises(ValueError, match="no observed genotype"):
        compute_maf([[0.0, np.nan], [1.0, np.nan]])
    with pytest.raises(ValueError, match="dimension"):
        compute_maf([0.0, 1.0])
