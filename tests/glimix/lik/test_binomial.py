import math

import numpy as np
import pytest
from scipy import stats

from glimix.lik import BinomialProdLik
from glimix.link import IdentityLink, LogitLink, ProbitLink


def test_defaults_and_repr():
    lik = BinomialProdLik([3, 0, 7])
    assert lik.name == "Binomial"
    assert lik.link == LogitLink()
    assert repr(lik) == "BinomialProdLik(ntrials=[3, 0, 7], link=LogitLink())"
    assert str(BinomialProdLik([2], ProbitLink())) == (
        "BinomialProdLik(ntrials=[2], link=ProbitLink())"
    )
    assert "..." in repr(BinomialProdLik(np.ones(100)))
    assert lik.sample_size == 3
    np.testing.assert_array_equal(lik.ntrials, [3, 0, 7])
    with pytest.raises(ValueError, match="read-only"):
        lik.ntrials[0] = 1


@pytest.mark.parametrize(
    ("link", "cdf"), [(LogitLink(), stats.logistic.cdf), (ProbitLink(), stats.norm.cdf)]
)
def test_logpdf_against_scipy(link, cdf):
    rng = np.random.RandomState(1)
    n = rng.randint(0, 30, 60)
    y = rng.binomial(n, 0.4)
    z = rng.randn(60) * 2
    lik = BinomialProdLik(n, link)
    lik.outcome = y
    np.testing.assert_allclose(lik.logpdf(z), stats.binom.logpmf(y, n, cdf(z)), rtol=1e-11)
    np.testing.assert_allclose(lik.mean(z), cdf(z), rtol=1e-14)


@pytest.mark.parametrize(
    ("link", "dist"), [(LogitLink(), stats.logistic), (ProbitLink(), stats.norm)]
)
def test_logpdf_extreme(link, dist):
    n = np.array([10, 10, 10, 10, 4, 0])
    y = np.array([0, 10, 3, 3, 2, 0])
    z = np.array([50.0, -50.0, 1e3, -1e3, -50.0, 1e3])
    lik = BinomialProdLik(n, link)
    lik.outcome = y
    got = lik.logpdf(z)
    assert np.all(np.isfinite(got))
    choose = np.array(
        [
            math.lgamma(a + 1) - math.lgamma(b + 1) - math.lgamma(a - b + 1)
            for a, b in zip(n, y, strict=True)
        ]
    )
    want = choose + y * dist.logcdf(z) + (n - y) * dist.logsf(z)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert got[-1] == 0.0  # no trials: probability one


def test_logpdf_general_link_zero_counts():
    lik = BinomialProdLik([5, 5, 5], IdentityLink())
    lik.outcome = [0, 5, 2]
    p = np.array([0.0, 1.0, 0.3])
    np.testing.assert_allclose(lik.logpdf(p), stats.binom.logpmf([0, 5, 2], 5, p))
    assert lik.logpdf(p)[0] == 0.0 and lik.logpdf(p)[1] == 0.0
    assert lik.logpdf([1.0, 0.0, 0.3])[0] == -np.inf


@pytest.mark.parametrize("make", [np.random.RandomState, np.random.default_rng])
def test_sample_mean(make):
    z = np.repeat([-1.5, 0.0, 2.0], 5000)
    n = np.tile([1, 7, 20], 5000)
    y = BinomialProdLik(n).sample(z, make(2))
    assert np.all((y >= 0) & (y <= n) & (y == np.round(y)))
    p = LogitLink().inv([-1.5, 0.0, 2.0])
    total = n.reshape(3, -1).sum(axis=1)
    got = y.reshape(3, -1).sum(axis=1) / total
    np.testing.assert_array_less(np.abs(got - p), 5 * np.sqrt(p * (1 - p) / total))


def test_sample_reproducible_and_sized():
    lik = BinomialProdLik([4, 8])
    np.testing.assert_array_equal(lik.sample([0.0, 1.0], 4), lik.sample([0.0, 1.0], 4))
    np.testing.assert_array_equal(lik.sample([-1e3, 1e3], 0), [0.0, 8.0])
    with pytest.raises(ValueError, match="z must have 2 element"):
        lik.sample([0.0])
    with pytest.raises(ValueError, match="z must have 2 element"):
        lik.mean([0.0, 1.0, 2.0])


@pytest.mark.parametrize(
    ("ntrials", "message"),
    [
        ([1, -2, -1], "ntrials must be non-negative; 2 value"),
        ([1.5, 2], "ntrials must hold whole numbers; 1 value"),
        ([1, np.nan], "ntrials has 1 non-finite"),
        ([2.0**60], "ntrials must be at most 2⁵³; 1 value"),
        ([[1, 2]], "ntrials must be one-dimensional"),
    ],
)
def test_bad_ntrials(ntrials, message):
    with pytest.raises(ValueError, match=message):
        BinomialProdLik(ntrials)


@pytest.mark.parametrize(
    ("outcome", "message"),
    [
        ([0, 6, 6], "outcome must not exceed ntrials .*2 value"),
        ([0, -1, 0], "outcome must be non-negative; 1 value"),
        ([0.5, 1, 1.5], "outcome must hold whole numbers; 2 value"),
        ([0, np.nan, 1], "outcome has 1 non-finite"),
        ([0, 1], "outcome must have 3 element"),
    ],
)
def test_bad_outcome(outcome, message):
    lik = BinomialProdLik([5, 5, 5])
    with pytest.raises(ValueError, match=message):
        lik.outcome = outcome
