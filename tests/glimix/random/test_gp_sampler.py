import numpy as np
import pytest

from glimix.cov import EyeCov, GivenCov, LinearCov, SumCov
from glimix.mean import OffsetMean
from glimix.random import GPSampler


class Fixed:
    """A function with a fixed value, like a glimix mean or covariance."""

    def __init__(self, value):
        self._value = np.asarray(value, dtype=float)

    def value(self):
        return self._value


def empirical(sampler, ndraws, random):
    Y = np.array([sampler.sample(random) for _ in range(ndraws)])
    return Y.mean(axis=0), np.cov(Y, rowvar=False)


@pytest.mark.parametrize("make", [np.random.RandomState, np.random.default_rng])
def test_moments(make):
    A = np.random.RandomState(0).randn(4, 4)
    K = A @ A.T / 4 + 0.5 * np.eye(4)
    m = np.array([1.0, -2.0, 0.0, 3.0])
    mean, cov = empirical(GPSampler(Fixed(m), Fixed(K)), 20000, make(11))
    np.testing.assert_allclose(mean, m, atol=5 * np.sqrt(np.diag(K).max() / 20000))
    np.testing.assert_allclose(cov, K, atol=0.06 * np.abs(K).max())


def test_singular_covariance():
    X = np.random.RandomState(3).randn(5, 2)
    K = X @ X.T  # rank 2
    sampler = GPSampler(Fixed(np.zeros(5)), Fixed(K))
    Y = np.array([sampler.sample(np.random.RandomState(i)) for i in range(3000)])
    # every draw lies in the column space of X
    P = X @ np.linalg.pinv(X)
    np.testing.assert_allclose(Y @ P.T, Y, atol=1e-10)
    np.testing.assert_allclose(np.cov(Y, rowvar=False), K, atol=0.1 * np.abs(K).max())


def test_zero_covariance_gives_the_mean():
    sampler = GPSampler(Fixed([1.0, 2.0]), Fixed(np.zeros((2, 2))))
    np.testing.assert_array_equal(sampler.sample(0), [1.0, 2.0])


def test_glimix_functions_and_reproducibility():
    X = np.random.RandomState(4).randn(6, 10)
    mean = OffsetMean(6)
    mean.offset = 1.5
    cov = SumCov([LinearCov(X), EyeCov(6)])
    sampler = GPSampler(mean, cov)
    assert sampler.mean is mean and sampler.cov is cov
    a = sampler.sample(np.random.RandomState(5))
    np.testing.assert_array_equal(a, sampler.sample(np.random.RandomState(5)))
    np.testing.assert_array_equal(a, sampler.sample(5))
    b = sampler.sample(np.random.default_rng(5))
    np.testing.assert_array_equal(b, sampler.sample(np.random.default_rng(5)))
    assert not np.array_equal(a, b)
    assert not np.array_equal(a, sampler.sample(6))
    assert a.shape == (6,)


def test_changing_parameters_changes_the_draw():
    X = np.random.RandomState(4).randn(3, 2)
    linear = LinearCov(X)
    sampler = GPSampler(OffsetMean(3), linear)
    before = sampler.sample(1)
    linear.scale = 4.0
    np.testing.assert_allclose(sampler.sample(1), 2 * before, rtol=1e-10)


def test_size_mismatch():
    with pytest.raises(ValueError, match="mean and cov sizes disagree"):
        GPSampler(OffsetMean(3), EyeCov(4))
    with pytest.raises(ValueError, match="mean and cov sizes disagree"):
        GPSampler(Fixed(np.zeros(2)), Fixed(np.zeros(2)))


def test_invalid_covariance():
    with pytest.raises(ValueError, match=r"cov.value\(\) must be symmetric"):
        GPSampler(Fixed(np.zeros(2)), Fixed([[1.0, 0.9], [0.0, 1.0]]))
    with pytest.raises(ValueError, match=r"cov.value\(\) must be positive semi-definite"):
        GPSampler(Fixed(np.zeros(2)), GivenCov(np.array([[1.0, 2.0], [2.0, 1.0]])))
    with pytest.raises(ValueError, match=r"mean.value\(\) has 1 non-finite"):
        GPSampler(Fixed([0.0, np.nan]), EyeCov(2))
