"""pca against the eigendecomposition of the sample covariance matrix."""

from __future__ import annotations

import numpy as np
import pytest

from limix.stats import pca


def test_against_covariance_eigendecomposition():
    random = np.random.default_rng(0)
    X = random.normal(size=(50, 6)) @ random.normal(size=(6, 6))
    r = pca(X, ncomp=3)
    eigenvalues, vectors = np.linalg.eigh(np.cov(X.T))
    eigenvalues, vectors = eigenvalues[::-1], vectors[:, ::-1]
    np.testing.assert_allclose(r["explained_variance"], eigenvalues[:3], rtol=1e-10)
    np.testing.assert_allclose(
        r["explained_variance_ratio"], eigenvalues[:3] / eigenvalues.sum(), rtol=1e-10
    )
    for k in range(3):
        assert abs(abs(r["components"][k] @ vectors[:, k]) - 1) < 1e-10
    np.testing.assert_allclose(r["components"] @ r["components"].T, np.eye(3), atol=1e-12)


def test_sign_convention():
    X = np.random.default_rng(1).normal(size=(10, 4))
    r = pca(X, ncomp=2)
    scores = (X - X.mean(axis=0)) @ r["components"].T
    for k in range(2):
        assert scores[np.argmax(np.abs(scores[:, k])), k] > 0


def test_errors():
    with pytest.raises(ValueError, match="ncomp"):
        pca(np.ones((3, 2)), ncomp=3)
    with pytest.raises(ValueError, match="ncomp"):
        pca(np.ones((3, 2)), ncomp=0)
    with pytest.raises(ValueError, match="two samples"):
        pca(np.ones((1, 2)), ncomp=1)
    with pytest.raises(ValueError, match="non-finite"):
        pca(np.array([[1.0, np.nan], [0.0, 1.0]]), ncomp=1)
    with pytest.raises(ValueError, match="zero variance"):
        pca(np.ones((3, 2)), ncomp=1)
