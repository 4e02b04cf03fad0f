import numpy as np
import pytest
import scipy.linalg

from glimix.random import psd_factor


def test_factor_of_positive_definite():
    A = np.random.RandomState(0).randn(6, 6)
    K = A @ A.T + np.eye(6)
    L = psd_factor(K)
    np.testing.assert_allclose(L @ L.T, K, atol=1e-12)


def test_factor_of_singular():
    X = np.random.RandomState(1).randn(8, 3)
    K = X @ X.T
    L = psd_factor(K)
    np.testing.assert_allclose(L @ L.T, K, atol=1e-12)
    assert np.linalg.matrix_rank(L) == 3
    np.testing.assert_array_equal(psd_factor(np.zeros((3, 3))), np.zeros((3, 3)))


def test_rejects():
    with pytest.raises(ValueError, match="K must be symmetric"):
        psd_factor([[1.0, 0.5], [0.0, 1.0]])
    with pytest.raises(ValueError, match="K must be positive semi-definite"):
        psd_factor([[1.0, 2.0], [2.0, 1.0]])
    with pytest.raises(ValueError, match="C must be square"):
        psd_factor(np.ones((2, 3)), "C")
    with pytest.raises(ValueError, match="K has 1 non-finite"):
        psd_factor([[np.nan, 0.0], [0.0, 1.0]])


def test_is_the_principal_square_root():
    """Against scipy's matrix square root (Schur method), an independent algorithm."""
    A = np.random.RandomState(2).randn(7, 4)
    K = A @ A.T + 0.5 * np.eye(7)
    L = psd_factor(K)
    np.testing.assert_allclose(L, scipy.linalg.sqrtm(K).real, atol=1e-12)
    np.testing.assert_array_equal(L, L.T)


def _with_basis(eigenvalues, Q):
    return (Q * eigenvalues) @ Q.T


def test_does_not_depend_on_the_eigenbasis():
    """A repeated eigenvalue's eigenspace and the eigenvectors' signs are free in any
    eigendecomposition; the factor is the same matrix for every choice of them."""
    random = np.random.RandomState(5)
    n = 9
    Q, _ = np.linalg.qr(random.randn(n, n))
    eigenvalues = np.array([3.0, 2.0, 0.5, 0.5, 0.5, 0.5, 0.0, 0.0, 0.0])
    # another orthonormal basis of each repeated eigenspace, and flipped signs
    R = np.eye(n)
    R[2:6, 2:6], _ = np.linalg.qr(random.randn(4, 4))
    R[6:, 6:], _ = np.linalg.qr(random.randn(3, 3))
    R[:, 0] *= -1
    K1 = _with_basis(eigenvalues, Q)
    K2 = _with_basis(eigenvalues, Q @ R)
    np.testing.assert_allclose(K1, K2, atol=1e-14)
    want = _with_basis(np.sqrt(eigenvalues), Q)
    np.testing.assert_allclose(psd_factor(K1), want, atol=1e-13)
    np.testing.assert_allclose(psd_factor(K2), want, atol=1e-13)


def test_permutation_equivariant():
    """Relabelling the samples relabels the factor: a draw does not depend on sample order
    through the decomposition's choices."""
    X = np.random.RandomState(6).randn(10, 4)
    K = X @ X.T + np.eye(10)
    p = np.random.RandomState(7).permutation(10)
    np.testing.assert_allclose(psd_factor(K[np.ix_(p, p)]), psd_factor(K)[np.ix_(p, p)], atol=1e-13)
