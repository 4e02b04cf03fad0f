import numpy as np
import pytest
from scipy import stats

from glimix.lik import BernoulliProdLik
from glimix.link import IdentityLink, LogitLink, ProbitLink


def test_outcome_and_sample_size():
    lik = BernoulliProdLik()
    assert lik.outcome is None and lik.sample_size is None
    lik.outcome = [1, 0, 0, 1]
    assert lik.sample_size == 4
    assert lik.outcome.dtype == float


@pytest.mark.parametrize(
    ("link", "cdf"), [(LogitLink(), stats.logistic.cdf), (ProbitLink(), stats.norm.cdf)]
)
def test_logpdf_against_scipy(link, cdf):
    # moderate z: scipy's log(1 − p) loses digits as p → 1, where logpdf does not
    rng = np.random.RandomState(0)
    z = rng.randn(50) * 1.5
    y = rng.randint(0, 2, 50)
    lik = BernoulliProdLik(link)
    lik.outcome = y
    np.testing.assert_allclose(lik.logpdf(z), stats.bernoulli.logpmf(y, cdf(z)), rtol=1e-11)
    np.testing.assert_allclose(lik.mean(z), cdf(z), rtol=1e-14)


@pytest.mark.parametrize(
    ("link", "dist"), [(LogitLink(), stats.logistic), (ProbitLink(), stats.norm)]
)
def test_logpdf_extreme(link, dist):
    z = np.array([-1e3, -50.0, 50.0, 1e3, -1e3, -50.0, 50.0, 1e3])
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0])
    lik = BernoulliProdLik(link)
    lik.outcome = y
    got = lik.logpdf(z)
    assert np.all(np.isfinite(got))
    # log P(y=1) = log F(z), log P(y=0) = log(1 − F(z)) for the latent residual's cdf F
    want = np.where(y == 1, dist.logcdf(z), dist.logsf(z))
    np.testing.assert_allclose(got, want, rtol=1e-12)
    if isinstance(link, LogitLink):
        # where the naive log(1 − σ(50)) is log(0)
        assert got[6] == pytest.approx(-50.0, rel=1e-15)
        assert got[2] == pytest.approx(-np.exp(-50.0), rel=1e-12)


def test_logpdf_general_link():
    lik = BernoulliProdLik(IdentityLink())
    lik.outcome = [1, 0, 1, 0]
    p = np.array([0.2, 0.7, 0.0, 1.0])
    got = lik.logpdf(p)
    np.testing.assert_allclose(got, stats.bernoulli.logpmf([1, 0, 1, 0], p))
    assert got[2] == -np.inf and got[3] == -np.inf
    with pytest.raises(ValueError, match=r"z is mapped by IdentityLink.* 1 value"):
        lik.logpdf([0.5, 0.5, 0.5, 1.5])
    with pytest.raises(ValueError, match="z is mapped"):
        lik.sample([-0.5])


@pytest.mark.parametrize("link", [LogitLink(), ProbitLink()], ids=repr)
@pytest.mark.parametrize("make", [np.random.RandomState, np.random.default_rng])
def test_sample_mean(link, make):
    z = np.repeat([-2.0, -0.5, 0.0, 1.0, 3.0], 20000)
    y = BernoulliProdLik(link).sample(z, make(5))
    assert set(np.unique(y)) <= {0.0, 1.0}
    p = link.inv([-2.0, -0.5, 0.0, 1.0, 3.0])
    got = y.reshape(5, -1).mean(axis=1)
    np.testing.assert_array_less(np.abs(got - p), 5 * np.sqrt(p * (1 - p) / 20000) + 1e-12)


def test_sample_reproducible_and_extreme():
    lik = BernoulliProdLik()
    z = np.linspace(-3, 3, 100)
    np.testing.assert_array_equal(lik.sample(z, 3), lik.sample(z, np.random.RandomState(3)))
    g1 = lik.sample(z, np.random.default_rng(3))
    np.testing.assert_array_equal(g1, lik.sample(z, np.random.default_rng(3)))
    np.testing.assert_array_equal(lik.sample([-1e3, 1e3], 0), [0.0, 1.0])


@pytest.mark.parametrize(
    ("outcome", "message"),
    [
        ([0, 1, 2], "outcome must hold only 0 and 1; 1 value"),
        ([0.5, 1, -1], "outcome must hold only 0 and 1; 2 value"),
        ([0, np.nan], "outcome has 1 non-finite"),
        ([0, np.inf, np.inf], "outcome has 2 non-finite"),
        ([[0, 1]], "outcome must be one-dimensional"),
        ("x", "outcome must be numeric"),
    ],
)
def test_bad_outcome(outcome, message):
    lik = BernoulliProdLik()
    with pytest.raises(ValueError, match=message):
        lik.outcome = outcome
    assert lik.outcome is None


def test_outcome_is_a_read_only_copy():
    y = np.array([0.0, 1.0])
    lik = BernoulliProdLik()
    lik.outcome = y
    y[0] = 5
    assert lik.outcome[0] == 0
    with pytest.raises(ValueError, match="read-only"):
        lik.outcome[0] = 7


def test_logpdf_needs_outcome_and_matching_z():
    lik = BernoulliProdLik()
    with pytest.raises(ValueError, match="outcome has not been set"):
        lik.logpdf([0.0])
    lik.outcome = [0, 1]
    with pytest.raises(ValueError, match="z must have 2 element"):
        lik.logpdf([0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match="z has 1 non-finite"):
        lik.logpdf([0.0, np.nan])


def test_link_must_be_a_link():
    with pytest.raises(TypeError, match="link must be"):
        BernoulliProdLik("logit")
