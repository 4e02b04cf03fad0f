import numpy as np
import pytest

from glimix.cov import EyeCov
from glimix.example import linear_eye_cov, offset_mean
from glimix.lik import (
    BernoulliProdLik,
    BinomialProdLik,
    DeltaProdLik,
    PoissonProdLik,
)
from glimix.link import LogitLink, ProbitLink
from glimix.mean import OffsetMean
from glimix.random import GGPSampler, GPSampler


@pytest.mark.parametrize("make", [np.random.RandomState, np.random.default_rng])
def test_bernoulli(make):
    sampler = GGPSampler(BernoulliProdLik(LogitLink()), offset_mean(), linear_eye_cov())
    y = sampler.sample(make(1))
    assert y.shape == (10,)
    assert set(y.tolist()) <= {0.0, 1.0}
    np.testing.assert_array_equal(y, sampler.sample(make(1)))


@pytest.mark.parametrize("make", [np.random.RandomState, np.random.default_rng])
def test_latent_is_the_gp_draw(make):
    sampler = GGPSampler(PoissonProdLik(), offset_mean(), linear_eye_cov())
    y, z = sampler.sample(make(8), return_latent=True)
    np.testing.assert_array_equal(z, GPSampler(offset_mean(), linear_eye_cov()).sample(make(8)))
    np.testing.assert_array_equal(y, sampler.sample(make(8)))
    y2, z2 = sampler.sample(make(8), True)
    np.testing.assert_array_equal(y2, y)
    np.testing.assert_array_equal(z2, z)


def test_delta_gives_the_latent_draw():
    sampler = GGPSampler(DeltaProdLik(), offset_mean(), linear_eye_cov())
    y, z = sampler.sample(3, return_latent=True)
    np.testing.assert_array_equal(y, z)
    assert sampler.lik.name == "Delta"
    assert sampler.mean.value().shape == (10,)
    assert sampler.cov.value().shape == (10, 10)


def test_probit_liability_threshold():
    # y = 1[z + ε > 0] with z ∼ 𝓝(0.5, 1) and ε ∼ 𝓝(0, 1): P(y = 1) = Φ(0.5/√2)
    mean = OffsetMean(400)
    mean.offset = 0.5
    sampler = GGPSampler(BernoulliProdLik(ProbitLink()), mean, EyeCov(400))
    random = np.random.default_rng(0)
    rate = np.mean([sampler.sample(random) for _ in range(50)])
    want = float(ProbitLink().inv(0.5 / np.sqrt(2)))
    assert abs(rate - want) < 5 * np.sqrt(want * (1 - want) / 20000)


def test_binomial_sizes():
    sampler = GGPSampler(BinomialProdLik(np.full(10, 3)), offset_mean(), linear_eye_cov())
    y = sampler.sample(0)
    assert np.all((y >= 0) & (y <= 3))
    with pytest.raises(ValueError, match="lik and mean sizes disagree"):
        GGPSampler(BinomialProdLik([3, 3]), offset_mean(), linear_eye_cov())


def test_size_mismatch():
    with pytest.raises(ValueError, match="mean and cov sizes disagree"):
        GGPSampler(BernoulliProdLik(), OffsetMean(3), EyeCov(4))
