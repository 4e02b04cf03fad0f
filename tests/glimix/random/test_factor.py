import numpy as np
import pytest

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


def test_draws_as_numpy_multivariate_normal():
    """The factor turns a standard normal draw into numpy's multivariate normal draw."""
    A = np.random.RandomState(2).randn(7, 4)
    K = A @ A.T + 0.5 * np.eye(7)
    mean = np.arange(7.0)
    want = np.random.RandomState(3).multivariate_normal(mean, K)
    got = mean + psd_factor(K) @ np.random.RandomState(3).standard_normal(7)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
