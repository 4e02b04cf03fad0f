"""normalise_covariance: Gower's rescaling, checked through trace(CKC)/(n − 1) = 1."""

from __future__ import annotations

import numpy as np
import pytest

from limix.qc import normalise_covariance


def _K(n=12, seed=0):
    G = np.random.default_rng(seed).normal(size=(n, 30))
    return G @ G.T


def test_expected_unbiased_variance_is_one():
    K = _K()
    n = K.shape[0]
    original = K.copy()
    Kn = normalise_covariance(K)
    np.testing.assert_array_equal(K, original)
    C = np.eye(n) - np.ones((n, n)) / n
    np.testing.assert_allclose(np.trace(C @ Kn @ C) / (n - 1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(Kn / K, np.full_like(K, Kn[0, 0] / K[0, 0]), rtol=1e-12)


def test_out_and_in_place():
    K = _K(8, 1)
    expected = normalise_covariance(K)
    out = np.empty_like(K)
    assert normalise_covariance(K, out=out) is out
    np.testing.assert_allclose(out, expected)
    assert normalise_covariance(K, out=K) is K
    np.testing.assert_allclose(K, expected)
    with pytest.raises(ValueError, match="out must be"):
        normalise_covariance(K, out=np.empty((3, 3)))


def test_bad_matrices():
    with pytest.raises(ValueError, match="square"):
        normalise_covariance(np.ones((2, 3)))
    with pytest.raises(ValueError, match="symmetric"):
        normalise_covariance(np.array([[1.0, 0.5], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="non-finite"):
        normalise_covariance(np.array([[1.0, np.nan], [np.nan, 1.0]]))
    with pytest.raises(ValueError, match="trace"):
        normalise_covariance(np.ones((4, 4)))
