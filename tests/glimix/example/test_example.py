import numpy as np

from glimix.cov import EyeCov, LinearCov, SumCov
from glimix.example import linear_eye_cov, offset_mean
from glimix.lik import BernoulliProdLik
from glimix.link import LogitLink
from glimix.mean import OffsetMean
from glimix.random import GGPSampler, GPSampler


def test_offset_mean():
    mean = offset_mean()
    assert isinstance(mean, OffsetMean)
    assert mean.size == 10
    assert mean.offset == 0.0
    np.testing.assert_array_equal(mean.value(), np.zeros(10))
    assert offset_mean() is not mean


def test_linear_eye_cov():
    cov = linear_eye_cov()
    assert isinstance(cov, SumCov)
    linear, eye = cov.covariances
    assert isinstance(linear, LinearCov) and isinstance(eye, EyeCov)
    assert linear.scale == 1.0 and eye.scale == 1.0
    X = np.random.RandomState(458).randn(10, 11)
    X = (X - X.mean(0)) / X.std(0) / np.sqrt(11)
    np.testing.assert_allclose(linear.X, X, rtol=1e-15)
    np.testing.assert_allclose(X.mean(0), 0, atol=1e-15)
    np.testing.assert_allclose((X**2).sum(0), 10 / 11)
    assert cov.shape == (10, 10)
    np.testing.assert_allclose(cov.value(), X @ X.T + np.eye(10))
    np.testing.assert_array_equal(linear_eye_cov().value(), cov.value())


def test_documented_uses():
    mean = offset_mean()
    cov = linear_eye_cov()
    y = GPSampler(mean, cov).sample(np.random.RandomState(94584))
    assert y.shape == (10,)
    y = GGPSampler(BernoulliProdLik(LogitLink()), offset_mean(), linear_eye_cov()).sample(
        np.random.RandomState(1)
    )
    assert y.shape == (10,)
    assert set(y.tolist()) <= {0.0, 1.0}
