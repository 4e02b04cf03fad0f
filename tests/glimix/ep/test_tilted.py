"""Tilted moments against adaptive quadrature (scipy.integrate.quad) on a grid of hard sites.

The reference integrates, for each site separately, the tilted density
p(y | z)𝓝(z; μ, σ²) divided by its value at the mode, over the range where its log is within
60 of the peak, with ``quad`` at relative tolerance 10⁻¹²; the mode and the range ends are found
by bisection on the monotone derivative and on the concave log-density. Nothing in it is shared
with the implementation under test.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import expit, gammaln, log_expit, log_ndtr, ndtr

from glimix._ep._tilted import TiltedMomentsError, tilted_moments
from glimix._ep._tilted_integrate import trapezoid_pass
from glimix._ep._tilted_logit import LogitBinomialDensity
from glimix._ep._tilted_poisson import PoissonLogDensity
from glimix._ep._tilted_ranged import ranged_trapezoid_pass
from glimix.lik import BernoulliProdLik, BinomialProdLik, PoissonProdLik
from glimix.link import LogitLink, LogLink, ProbitLink

MEANS = [-50.0, -10.0, -1.0, 0.0, 0.5, 10.0, 50.0]
VARIANCES = [1e-8, 1e-4, 1e-2, 1.0, 100.0, 1e4]
RTOL = 1e-7


def _loglik(kind: str, y: float, ntrials: float):
    """log p(y | z) and its derivative in z, written for one site."""
    if kind == "bernoulli":
        sign = 1.0 if y == 1 else -1.0
        return (lambda z: log_expit(sign * z)), (lambda z: sign * expit(-sign * z))
    if kind == "binomial":
        const = gammaln(ntrials + 1) - gammaln(y + 1) - gammaln(ntrials - y + 1)
        return (
            lambda z: const + y * log_expit(z) + (ntrials - y) * log_expit(-z),
            lambda z: y * expit(-z) - (ntrials - y) * expit(z),
        )
    if kind == "poisson":
        const = -gammaln(y + 1)
        return (
            lambda z: const + y * z - math.exp(z) if z < 709 else -math.inf,
            lambda z: y - math.exp(z) if z < 709 else -math.inf,
        )
    if kind == "probit":
        sign = 1.0 if y == 1 else -1.0
        return (
            lambda z: float(log_ndtr(sign * z)),
            lambda z: (
                sign * math.exp(-0.5 * z * z - 0.5 * math.log(2 * math.pi) - log_ndtr(sign * z))
            ),
        )
    raise AssertionError(kind)


def _bisect(g, lo: float, hi: float) -> float:
    """Zero of a decreasing function g on [lo, hi] with g(lo) > 0 > g(hi)."""
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if g(mid) > 0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _step_out(g, start: float, direction: float, step: float) -> float:
    """First point start + direction·step·2ᵏ where g is not positive."""
    x = start + direction * step
    while g(x) > 0:
        step *= 2
        x = start + direction * step
    return x


def reference_moments(kind: str, y: float, ntrials: float, mu: float, var: float):
    """(log Ẑ, mean, variance) by bisection for the mode and ``quad`` for the integrals."""
    loglik, dloglik = _loglik(kind, y, ntrials)
    sd = math.sqrt(var)

    def logf(z: float) -> float:
        return loglik(z) - 0.5 * (z - mu) ** 2 / var

    def slope(z: float) -> float:
        return dloglik(z) - (z - mu) / var

    # The mode: the slope of the concave f changes sign there.
    if slope(mu) > 0:
        mode = _bisect(slope, mu, _step_out(slope, mu, +1, sd))
    else:
        mode = _bisect(slope, _step_out(lambda z: -slope(z), mu, -1, sd), mu)
    peak = logf(mode)

    # log F(d) = f(mode + d) − f(mode) in the offset d: for Poisson through expm1, so that
    # sites whose tilted spread is far below the float spacing of z stay resolved.
    if kind == "poisson":
        rate = math.exp(mode)

        def log_ratio(d: float) -> float:
            return y * d - rate * math.expm1(d) - (2 * (mode - mu) * d + d * d) / (2 * var)
    else:

        def log_ratio(d: float) -> float:
            return logf(mode + d) - peak

    def drop(d: float) -> float:
        return log_ratio(d) + 60.0

    step = sd * 1e-3
    right = _bisect(drop, 0.0, _step_out(drop, 0.0, +1, step))
    left = _bisect(lambda d: -drop(d), _step_out(drop, 0.0, -1, step), 0.0)
    points = np.linspace(left, right, 9)[1:-1]

    def integral(power: int) -> float:
        value, _ = quad(
            lambda d: d**power * math.exp(log_ratio(d)),
            left,
            right,
            points=points,
            epsabs=0,
            epsrel=1e-13,
            limit=1000,
        )
        return value

    d0, d1, d2 = (integral(k) for k in range(3))
    m = d1 / d0
    log_z = peak + math.log(d0) - 0.5 * math.log(2 * math.pi * var)
    return log_z, mode + m, d2 / d0 - m * m


def _grid(kind: str):
    if kind in ("bernoulli", "probit"):
        outcomes = [(0.0, 1.0), (1.0, 1.0)]
    elif kind == "binomial":
        outcomes = [(0.0, 1.0), (3.0, 10.0), (10.0, 10.0), (0.0, 1e4), (5000.0, 1e4), (1e4, 1e4)]
    else:
        outcomes = [(0.0, 1.0), (1.0, 1.0), (10.0, 1.0), (1000.0, 1.0), (1e4, 1.0)]
    sites = []
    for (y, n), mu, var in itertools.product(outcomes, MEANS, VARIANCES):
        if kind == "poisson" and (mu + var > 700 or mu - 50 * math.sqrt(var) < -745):
            continue  # e^z overflows float64 there: not a site a Poisson model can reach
        sites.append((y, n, mu, var))
    return np.array(sites)


def _likelihood(kind: str, y, ntrials):
    if kind == "bernoulli":
        lik = BernoulliProdLik(LogitLink())
    elif kind == "probit":
        lik = BernoulliProdLik(ProbitLink())
    elif kind == "binomial":
        lik = BinomialProdLik(ntrials, LogitLink())
    else:
        lik = PoissonProdLik(LogLink())
    lik.outcome = y
    return lik


@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
@pytest.mark.parametrize("kind", ["bernoulli", "probit", "binomial", "poisson"])
def test_moments_match_adaptive_quadrature_on_a_grid_of_hard_sites(kind):
    sites = _grid(kind)
    y, ntrials, mu, var = sites.T
    got = tilted_moments(_likelihood(kind, y, ntrials), mu, var)
    for i, site in enumerate(sites):
        log_z, mean, variance = reference_moments(kind, *site)
        where = f"{kind} site y={site[0]:g}, n={site[1]:g}, μ={site[2]:g}, σ²={site[3]:g}"
        assert abs(got.log_z[i] - log_z) <= RTOL * max(1.0, abs(log_z)), where
        assert abs(got.mean[i] - mean) <= RTOL * max(abs(mean), math.sqrt(variance)), where
        assert abs(got.variance[i] - variance) <= RTOL * variance, where


def test_probit_closed_form():
    mu = np.array([-3.0, 0.0, 2.0])
    var = np.array([0.5, 1.0, 4.0])
    got = tilted_moments(_likelihood("probit", np.ones(3), None), mu, var)
    kappa = mu / np.sqrt(1 + var)
    np.testing.assert_allclose(np.exp(got.log_z), ndtr(kappa), rtol=1e-14)


def test_many_sites_at_once_equal_one_at_a_time():
    rng = np.random.default_rng(0)
    mu = rng.normal(0, 3, 50)
    var = np.exp(rng.uniform(-5, 5, 50))
    y = rng.poisson(3, 50).astype(float)
    together = tilted_moments(_likelihood("poisson", y, None), mu, var)
    for i in range(0, 50, 7):
        alone = tilted_moments(
            _likelihood("poisson", y[i : i + 1], None), mu[i : i + 1], var[i : i + 1]
        )
        for a, b in zip(alone, together, strict=True):
            np.testing.assert_allclose(a[0], b[i], rtol=1e-12)


def test_bad_cavities_raise_value_errors_naming_the_argument():
    lik = _likelihood("bernoulli", np.array([0.0, 1.0]), None)
    with pytest.raises(ValueError, match="variance"):
        tilted_moments(lik, [0.0, 0.0], [1.0, -1.0])
    with pytest.raises(ValueError, match="mean"):
        tilted_moments(lik, [0.0, np.nan], [1.0, 1.0])
    with pytest.raises(ValueError, match="mean"):
        tilted_moments(lik, [0.0], [1.0])


def test_unreachable_site_raises_an_error_naming_it():
    """A cavity mean beyond any float the mode search can bracket: an exception, not a crash."""
    lik = _likelihood("poisson", np.array([1.0, 3.0]), None)
    with pytest.raises(TiltedMomentsError, match=r"site 1 \(y=3, μ=1e\+300, σ²=1\)"):
        tilted_moments(lik, [0.0, 1e300], [1.0, 1.0])


@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
def test_far_cavities_still_have_moments():
    """Sites whose tilted mass is thousands of cavity deviations away are computed, not refused."""
    lik = _likelihood("poisson", np.array([3.0, 0.0]), None)
    got = tilted_moments(lik, [5000.0, 710.0], [1.0, 1e-8])
    assert np.all(np.isfinite(got.log_z)) and np.all(got.variance > 0)
    for i, (y, mu, var) in enumerate([(3.0, 5000.0, 1.0), (0.0, 710.0, 1e-8)]):
        log_z, mean, variance = reference_moments("poisson", y, 1.0, mu, var)
        assert abs(got.log_z[i] - log_z) <= RTOL * abs(log_z)
        assert abs(got.mean[i] - mean) <= RTOL * abs(mean)
        assert abs(got.variance[i] - variance) <= RTOL * variance


def _skewed_sites(kind: str, count: int, rng: np.random.Generator):
    """Cavities wider than the likelihood's features: the sites the first pass leaves over."""
    mu = rng.normal(0.0, 3.0, count)
    var = np.exp(rng.uniform(np.log(0.5), np.log(50.0), count))
    if kind == "bernoulli":
        return rng.integers(0, 2, count).astype(float), np.ones(count), mu, var
    if kind == "binomial":
        ntrials = rng.choice([2.0, 10.0, 100.0], count)
        return np.floor(rng.uniform(0, 1, count) * (ntrials + 1)), ntrials, mu, var
    return rng.poisson(np.exp(rng.uniform(-2, 3, count))).astype(float), np.ones(count), mu, var


@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
@pytest.mark.parametrize("kind", ["bernoulli", "binomial", "poisson"])
def test_ranged_trapezoid_pass_matches_adaptive_quadrature_on_skewed_sites(kind):
    """The second pass settles most skewed sites, each to quadrature's answer within 1e-7."""
    y, ntrials, mu, var = _skewed_sites(kind, 120, np.random.default_rng(7))
    if kind == "poisson":
        density = PoissonLogDensity(y, mu, var)
    else:
        density = LogitBinomialDensity(y, ntrials, mu, var)
    assert np.all(density.locate())
    first = trapezoid_pass(density)[3]
    rest = np.flatnonzero(~first)
    log_d0, m, v, settled = ranged_trapezoid_pass(density, rest)
    assert rest.size >= 30 and np.mean(settled) >= 0.9
    for j in np.flatnonzero(settled):
        i = rest[j]
        log_z, mean, variance = reference_moments(kind, y[i], ntrials[i], mu[i], var[i])
        where = f"{kind} site y={y[i]:g}, n={ntrials[i]:g}, μ={mu[i]:g}, σ²={var[i]:g}"
        got_log_z = density.log_peak()[i] + log_d0[j]
        assert abs(got_log_z - log_z) <= RTOL * max(1.0, abs(log_z)), where
        assert abs(density.mode[i] + m[j] - mean) <= RTOL * max(abs(mean), math.sqrt(variance))
        assert abs(v[j] - variance) <= RTOL * variance, where
