import math
import warnings

import numpy as np
import pytest
from scipy import stats

from glimix.lik import PoissonProdLik
from glimix.link import IdentityLink


def test_sample_size():
    lik = PoissonProdLik()
    lik.outcome = [0, 3, 1000]
    assert lik.sample_size == 3


def test_logpdf_against_scipy():
    rng = np.random.RandomState(2)
    z = rng.randn(80) * 3
    y = rng.poisson(5, 80)
    lik = PoissonProdLik()
    lik.outcome = y
    np.testing.assert_allclose(lik.logpdf(z), stats.poisson.logpmf(y, np.exp(z)), rtol=1e-11)
    np.testing.assert_allclose(lik.mean(z), np.exp(z), rtol=1e-15)


def test_logpdf_extreme():
    z = np.array([-50.0, -50.0, 50.0, 50.0, -1e3])
    y = np.array([0, 3, 0, 7, 2])
    lik = PoissonProdLik()
    lik.outcome = y
    got = lik.logpdf(z)
    np.testing.assert_allclose(got[:4], stats.poisson.logpmf(y, np.exp(z))[:4], rtol=1e-12)
    # at z = −1000 the rate e^z underflows to 0 (scipy gives −∞), yet y·z − e^z − log y! is exact
    assert got[4] == pytest.approx(-2000.0 - math.log(2), rel=1e-15)


def test_logpdf_overflowing_rate_is_minus_infinity():
    lik = PoissonProdLik()
    lik.outcome = [4, 0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = lik.logpdf([1e3, 710.0])
    np.testing.assert_array_equal(got, [-np.inf, -np.inf])


def test_logpdf_general_link():
    lik = PoissonProdLik(IdentityLink())
    lik.outcome = [0, 2, 5, 3]
    lam = np.array([0.0, 1.5, 7.0, 0.0])
    got = lik.logpdf(lam)
    np.testing.assert_allclose(got, stats.poisson.logpmf([0, 2, 5, 3], lam))
    assert got[0] == 0.0 and got[3] == -np.inf
    with pytest.raises(ValueError, match=r"z is mapped by IdentityLink.* 2 negative"):
        lik.logpdf([-1.0, 1.0, -2.0, 1.0])


@pytest.mark.parametrize("make", [np.random.RandomState, np.random.default_rng])
def test_sample_mean(make):
    z = np.repeat([-2.0, 0.0, 1.0, 3.0], 10000)
    y = PoissonProdLik().sample(z, make(7))
    assert np.all((y >= 0) & (y == np.round(y)))
    lam = np.exp([-2.0, 0.0, 1.0, 3.0])
    got = y.reshape(4, -1).mean(axis=1)
    np.testing.assert_array_less(np.abs(got - lam), 5 * np.sqrt(lam / 10000))


def test_sample_reproducible_and_extreme():
    lik = PoissonProdLik()
    z = np.linspace(-2, 2, 50)
    np.testing.assert_array_equal(lik.sample(z, 9), lik.sample(z, np.random.RandomState(9)))
    np.testing.assert_array_equal(lik.sample([-1e3], 0), [0.0])
    with pytest.raises(ValueError, match="z gives 1 rate"):
        lik.sample([0.0, 50.0])
    with pytest.raises(ValueError, match="z gives 1 rate"):
        lik.sample([1e3], np.random.default_rng(0))


@pytest.mark.parametrize(
    ("outcome", "message"),
    [
        ([0, -1, -3], "outcome must be non-negative; 2 value"),
        ([0.5, 1], "outcome must hold whole numbers; 1 value"),
        ([np.inf, 1], "outcome has 1 non-finite"),
        ([np.nan, np.nan, 1], "outcome has 2 non-finite"),
    ],
)
def test_bad_outcome(outcome, message):
    lik = PoissonProdLik()
    with pytest.raises(ValueError, match=message):
        lik.outcome = outcome
