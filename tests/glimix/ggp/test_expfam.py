"""ExpFamGP: exactness where EP is exact, gradient against finite differences, fitting."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad

from glimix.cov import EyeCov, GivenCov, LinearCov, SumCov
from glimix.ggp import ExpFamGP
from glimix.mean import LinearMean, OffsetMean

from .._reference import log_lik


@pytest.mark.parametrize(
    ("kind", "y", "ntrials"),
    [
        ("bernoulli", 1, None),
        ("bernoulli", 0, None),
        ("probit", 1, None),
        ("poisson", 3, None),
        ("poisson", 0, None),
        ("binomial", 4, 9),
    ],
)
def test_single_site_ep_is_exact(kind, y, ntrials):
    """With one site, EP's moment matching is exact: log Z_EP = log ∫ p(y|z)𝓝(z; m, k)dz."""
    mean = OffsetMean(1)
    mean.offset = 0.3
    cov = EyeCov(1)
    cov.scale = 1.7
    lik = ("binomial", [ntrials]) if kind == "binomial" else kind
    gp = ExpFamGP([y], lik, mean, cov)
    sd = np.sqrt(1.7)

    def integrand(z):
        return np.exp(log_lik(kind, y, z, ntrials) - 0.5 * ((z - 0.3) / sd) ** 2) / (
            sd * np.sqrt(2 * np.pi)
        )

    exact = np.log(quad(integrand, -40, 40, epsabs=0, epsrel=1e-12, limit=200)[0])
    assert gp.lml() == pytest.approx(exact, rel=1e-8)


def _model(kind, seed=0, n=12):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    G = rng.standard_normal((n, 4)) / 2
    if kind == "poisson":
        y = rng.poisson(2.0, n)
    elif kind == "binomial":
        ntrials = rng.integers(1, 8, n)
        y = rng.binomial(ntrials, 0.4)
    else:
        y = rng.integers(0, 2, n)
    mean = LinearMean(X)
    mean.effsizes = [0.3, -0.2]
    cov = SumCov([LinearCov(G), EyeCov(n)])
    cov.covariances[0].scale = 0.8
    cov.covariances[1].scale = 0.5
    lik = ("binomial", ntrials) if kind == "binomial" else kind
    return ExpFamGP(y, lik, mean, cov)


def _full_ep_finite_difference(gp, h=1e-5):
    grad = {}
    for name in gp._variables.select(fixed=False).names():
        var = gp._variables[name]
        x = np.atleast_1d(np.array(var.value, float)).copy()
        cols = []
        for k in range(x.size):
            for sign in (+1, -1):
                y = x.copy()
                y[k] += sign * h
                var.value = y if var.ndim else y[0]
                cols.append(gp.lml())
            var.value = x if var.ndim else x[0]
        diffs = [(cols[2 * k] - cols[2 * k + 1]) / (2 * h) for k in range(x.size)]
        grad[name] = np.array(diffs) if var.ndim else diffs[0]
    return grad


@pytest.mark.parametrize("kind", ["bernoulli", "probit", "poisson", "binomial"])
def test_gradient_against_finite_differences_of_the_ep_likelihood(kind):
    gp = _model(kind)
    analytic = gp.gradient()
    numeric = _full_ep_finite_difference(gp)
    assert (
        set(analytic)
        == set(numeric)
        == {
            "effsizes",
            "SumCov[0].logscale",
            "SumCov[1].logscale",
        }
    )
    for name in numeric:
        np.testing.assert_allclose(analytic[name], numeric[name], rtol=1e-5, atol=1e-6)


def test_fit_improves_and_leaves_fixed_variables():
    gp = _model("bernoulli", seed=3, n=30)
    noise = gp._cov.covariances[1]
    noise.fix()
    before = gp.lml()
    gp.fit(verbose=False)
    assert gp.lml() > before
    assert noise.scale == 0.5
    grad = gp.gradient()
    assert set(grad) == {"effsizes", "SumCov[0].logscale"}
    for g in grad.values():
        np.testing.assert_allclose(g, 0, atol=1e-3)


def test_str_and_names():
    gp = _model("poisson")
    text = str(gp)
    assert text.startswith("ExpFamGP(lik=PoissonProdLik(link=LogLink()))\n  lml: ")
    assert "  LinearMean(m=2): LinearMean" in text
    assert "    LinearCov(): LinearCov" in text


@pytest.mark.parametrize(
    ("lik", "y", "match"),
    [
        ("gaussian", [0, 1], "lik must be one of"),
        ("binomial", [0, 1], "trial counts"),
        (("binomial", None), [0, 1], "trial counts"),
        ("BERNOULLI", [0, 2], "outcome"),
        ("poisson", [0, -1], "outcome"),
        ("poisson", [0, np.nan], "outcome"),
    ],
)
def test_bad_likelihood_or_outcome(lik, y, match):
    with pytest.raises(ValueError, match=match):
        ExpFamGP(y, lik, OffsetMean(2), EyeCov(2))


def test_size_mismatch():
    with pytest.raises(ValueError, match="mean has size 3"):
        ExpFamGP([0, 1], "bernoulli", OffsetMean(3), EyeCov(2))
    with pytest.raises(ValueError, match="cov has shape"):
        ExpFamGP([0, 1], "bernoulli", OffsetMean(2), GivenCov(np.eye(3)))
