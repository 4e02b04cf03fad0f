import math
import warnings

import numpy as np
import pytest
from scipy import special, stats

from glimix.link import IdentityLink, Link, LogitLink, LogLink, ProbitLink

ALL = [IdentityLink(), LogitLink(), ProbitLink(), LogLink()]
EXTREME = np.array([-1e3, -700.0, -50.0, -1.0, 0.0, 1.0, 50.0, 700.0, 1e3])


@pytest.mark.parametrize("link", ALL, ids=repr)
def test_inverse_of_value_is_identity(link):
    if isinstance(link, IdentityLink):
        mu = np.linspace(-5, 5, 41)
    elif isinstance(link, LogLink):
        mu = np.geomspace(1e-300, 1e300, 61)
    else:
        mu = np.concatenate([[1e-300, 1e-20, 1e-8], np.linspace(0.001, 0.999, 51)])
    np.testing.assert_allclose(link.inv(link.value(mu)), mu, rtol=1e-12, atol=0)


@pytest.mark.parametrize("link", ALL, ids=repr)
def test_value_of_inverse_is_identity(link):
    # above z ≈ 5 the probit's Φ(z) = 1 − tiny keeps too few digits of the tiny to invert back
    z = np.linspace(-8, 5, 27)
    np.testing.assert_allclose(link.value(link.inv(z)), z, rtol=1e-10, atol=1e-12)


def test_logit_against_scipy():
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(LogitLink().inv(z), stats.logistic.cdf(z), rtol=1e-14)
    mu = np.linspace(0.01, 0.99, 21)
    np.testing.assert_allclose(LogitLink().value(mu), stats.logistic.ppf(mu), rtol=1e-12)


def test_probit_against_scipy():
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(ProbitLink().inv(z), stats.norm.cdf(z), rtol=1e-14)
    mu = np.linspace(0.01, 0.99, 21)
    np.testing.assert_allclose(ProbitLink().value(mu), stats.norm.ppf(mu), rtol=1e-12)


def test_log_and_identity_against_numpy():
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(LogLink().inv(z), np.exp(z), rtol=1e-15)
    np.testing.assert_allclose(LogLink().value(np.exp(z)), z, rtol=1e-14, atol=1e-14)
    np.testing.assert_array_equal(IdentityLink().inv(z), z)
    np.testing.assert_array_equal(IdentityLink().value(z), z)


@pytest.mark.parametrize("link", [IdentityLink(), LogitLink(), ProbitLink()], ids=repr)
def test_extreme_inverse_is_finite(link):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mu = link.inv(EXTREME)
    assert np.all(np.isfinite(mu))


def test_extreme_logit_is_accurate():
    mu = LogitLink().inv(EXTREME)
    assert mu[0] == 0.0 and mu[-1] == 1.0
    # e^{−700}/(1 + e^{−700}) and e^{−50}/(1 + e^{−50}), accurate to the last digits
    assert mu[1] == pytest.approx(math.exp(-700.0), rel=1e-13)
    assert mu[2] == pytest.approx(math.exp(-50.0) / (1 + math.exp(-50.0)), rel=1e-14)
    assert mu[6] == 1.0 and mu[4] == 0.5


def test_extreme_probit_is_accurate():
    mu = ProbitLink().inv(EXTREME)
    assert mu[0] == 0.0 and mu[-1] == 1.0
    assert mu[2] == pytest.approx(math.erfc(50.0 / math.sqrt(2)) / 2, rel=1e-13)
    z = np.array([-37.0, -20.0])
    np.testing.assert_allclose(ProbitLink().inv(z), stats.norm.cdf(z), rtol=1e-13)
    assert np.all(ProbitLink().inv(z) > 0)


def test_extreme_log_link():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lam = LogLink().inv(EXTREME)
        assert LogLink().value(0.0) == -np.inf
    assert lam[0] == 0.0
    assert lam[1] == pytest.approx(math.exp(-700.0), rel=1e-14)
    assert lam[7] == pytest.approx(math.exp(700.0), rel=1e-14)
    assert np.all(np.isfinite(lam[:-1]))
    assert lam[-1] == np.inf  # e^1000 is beyond float64: documented


def test_extreme_means_map_to_infinite_latent_values():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for link in (LogitLink(), ProbitLink()):
            np.testing.assert_array_equal(link.value([0.0, 1.0]), [-np.inf, np.inf])
    assert np.isfinite(LogitLink().value(1e-300))
    assert LogitLink().value(1e-300) == pytest.approx(special.logit(1e-300))


def test_infinite_latent_values():
    np.testing.assert_array_equal(LogitLink().inv([-np.inf, np.inf]), [0.0, 1.0])
    np.testing.assert_array_equal(ProbitLink().inv([-np.inf, np.inf]), [0.0, 1.0])
    np.testing.assert_array_equal(LogLink().inv([-np.inf]), [0.0])


def test_shapes_are_kept():
    z = np.zeros((2, 3))
    for link in ALL:
        assert link.inv(z).shape == (2, 3)
        assert link.value(link.inv(z)).shape == (2, 3)
    assert LogitLink().inv(0.0).shape == ()
    assert float(LogitLink().inv(0.0)) == 0.5


@pytest.mark.parametrize("link", [LogitLink(), ProbitLink()], ids=repr)
def test_probability_links_reject_means_outside_unit_interval(link):
    with pytest.raises(ValueError, match=r"mu must lie in \[0, 1\].*2 value"):
        link.value([0.5, -0.1, 1.2])


def test_log_link_rejects_negative_means():
    with pytest.raises(ValueError, match=r"mu must lie in .*1 value"):
        LogLink().value([1.0, -1.0])


@pytest.mark.parametrize("link", ALL, ids=repr)
def test_nan_is_rejected(link):
    with pytest.raises(ValueError, match="mu has 1 NaN"):
        link.value([np.nan, 0.5])
    with pytest.raises(ValueError, match="z has 2 NaN"):
        link.inv([np.nan, np.nan])
    with pytest.raises(ValueError, match="z must be numeric"):
        link.inv("abc")


def test_latent_variance():
    assert LogitLink().latent_variance == pytest.approx(math.pi**2 / 3)
    # π²/3 is the variance of the standard logistic distribution, the latent residual
    assert LogitLink().latent_variance == pytest.approx(stats.logistic.var())
    assert ProbitLink().latent_variance == 1.0
    assert not hasattr(IdentityLink(), "latent_variance")
    assert not hasattr(LogLink(), "latent_variance")


def test_repr_str_and_equality():
    for link in ALL:
        name = type(link).__name__
        assert repr(link) == f"{name}()"
        assert str(link) == f"{name}()"
        assert link == type(link)()
        assert hash(link) == hash(type(link)())
        assert isinstance(link, Link)
    assert LogitLink() != ProbitLink()
    assert len(set(ALL)) == 4
