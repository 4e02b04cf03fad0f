"""The EP engine against exact Gaussian algebra and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import multivariate_normal, norm

from glimix._ep._engine import ExpectationPropagation, Moments
from glimix._ep._posterior import DensePosterior
from glimix.glmm._posterior import Posterior
from glimix.glmm._prior import Prior
from glimix.linalg import KinshipOperator


def LowRankPosterior(m, Q, S, v0, v1):
    """The GLMMs' posterior of 𝓝(𝐦, v₀QSQᵀ + v₁I): 𝐦 as the one covariate, 𝜷 = 1 (its
    factorisation is the Woodbury one at this rank, k = 3 of n = 9)."""
    return Posterior(Prior(KinshipOperator(Q, S), v0, v1), m[:, None], np.array([1.0]))


def gaussian_moments(y, noise):
    """Exact tilted moments of 𝓝(yᵢ; z, noise)·𝓝(z; μ, σ²)."""

    def moments(mu, var):
        total = var + noise
        log_z = norm.logpdf(y, mu, np.sqrt(total))
        mean = mu + var * (y - mu) / total
        variance = var * noise / total
        return Moments(log_z, mean, variance)

    return moments


def random_problem(seed, n=9, k=3):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, k)))
    S = rng.uniform(0.5, 2.0, k)
    v0, v1 = rng.uniform(0.2, 1.5, 2)
    K = v0 * (Q * S) @ Q.T + v1 * np.eye(n)
    m = rng.standard_normal(n)
    y = rng.standard_normal(n) * 2
    return rng, Q, S, v0, v1, K, m, y


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("kind", ["dense", "lowrank"])
def test_ep_on_gaussian_likelihood_is_the_exact_gp(seed, kind):
    _, Q, S, v0, v1, K, m, y = random_problem(seed)
    noise = 0.4
    post = DensePosterior(m, K) if kind == "dense" else LowRankPosterior(m, Q, S, v0, v1)
    ep = ExpectationPropagation(gaussian_moments(y, noise), len(y))
    lml = ep.run(post)
    exact = multivariate_normal(m, K + noise * np.eye(len(y))).logpdf(y)
    assert lml == pytest.approx(exact, rel=1e-10)
    # the sites are the likelihood itself: τ̃ = 1/noise, ν̃ = y/noise
    np.testing.assert_allclose(ep.site_tau, 1 / noise, rtol=1e-8)
    np.testing.assert_allclose(ep.site_eta, y / noise, rtol=1e-8)
    # the posterior is the exact one
    Sigma = np.linalg.inv(np.linalg.inv(K) + np.eye(len(y)) / noise)
    mu = Sigma @ (np.linalg.solve(K, m) + y / noise)
    np.testing.assert_allclose(post.marginal_mean, mu, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(post.marginal_variance, np.diag(Sigma), rtol=1e-8)
    assert ep.niterations <= 3


def test_posteriors_agree_with_textbook_and_each_other():
    rng, Q, S, v0, v1, K, m, _ = random_problem(11)
    tau = rng.uniform(0, 3, len(m))
    tau[[0, 4]] = 0.0  # sites without information
    eta = rng.standard_normal(len(m))
    eta[[0, 4]] = 0.0
    dense = DensePosterior(m, K)
    low = LowRankPosterior(m, Q, S, v0, v1)
    dense.update(tau, eta)
    low.update(tau, eta)
    Sigma = np.linalg.inv(np.linalg.inv(K) + np.diag(tau))
    mu = Sigma @ (np.linalg.solve(K, m) + eta)
    # G = log ∫ 𝓝(𝐳; 𝐦, K) exp(−½𝐳ᵀT̃𝐳 + 𝛎̃ᵀ𝐳) d𝐳 by completing the square
    G = (
        0.5 * np.linalg.slogdet(Sigma)[1]
        - 0.5 * np.linalg.slogdet(K)[1]
        + 0.5 * mu @ np.linalg.solve(Sigma, mu)
        - 0.5 * m @ np.linalg.solve(K, m)
    )
    for post in (dense, low):
        np.testing.assert_allclose(post.marginal_mean, mu, rtol=1e-10)
        np.testing.assert_allclose(post.marginal_variance, np.diag(Sigma), rtol=1e-10)
        assert post.log_normaliser == pytest.approx(G, rel=1e-10)
    W = np.linalg.solve(np.eye(len(m)) + np.diag(tau) @ K, np.diag(tau))
    np.testing.assert_allclose(dense.W(), W, atol=1e-12)
    assert low._factor.trace_W() == pytest.approx(np.trace(W))
    assert low._factor.trace_W_K0() == pytest.approx(np.trace(W @ (Q * S) @ Q.T))
    a = low.alpha
    assert low.prior.kinship.quad(a) == pytest.approx(a @ (Q * S) @ Q.T @ a)


def _log_normaliser(m, K, tau, eta):
    post = DensePosterior(m, K)
    post.update(tau, eta)
    return post.log_normaliser


def test_log_normaliser_derivatives_at_fixed_sites():
    """∂G/∂θ = ½𝛂ᵀ∂K𝛂 − ½tr(W∂K) + 𝛂ᵀ∂𝐦 against central differences."""
    rng, _, _, _, _, K, m, _ = random_problem(5)
    n = len(m)
    tau = rng.uniform(0, 2, n)
    eta = rng.standard_normal(n)
    A = rng.standard_normal((n, n))
    dK = A + A.T  # a symmetric direction
    dm = rng.standard_normal(n)
    post = DensePosterior(m, K)
    post.update(tau, eta)
    h = 1e-6
    numeric_K = (
        _log_normaliser(m, K + h * dK, tau, eta) - _log_normaliser(m, K - h * dK, tau, eta)
    ) / (2 * h)
    numeric_m = (
        _log_normaliser(m + h * dm, K, tau, eta) - _log_normaliser(m - h * dm, K, tau, eta)
    ) / (2 * h)
    assert float(post.cov_derivative(dK)) == pytest.approx(numeric_K, rel=1e-6)
    assert float(post.mean_derivative(dm)) == pytest.approx(numeric_m, rel=1e-6)


def test_warm_start_and_reset():
    _, _, _, _, _, K, m, y = random_problem(3)
    ep = ExpectationPropagation(gaussian_moments(y, 0.5), len(y))
    ep.run(DensePosterior(m, K))
    first = ep.niterations
    ep.run(DensePosterior(m, K))
    assert ep.niterations <= first  # starts at the solution
    ep.reset()
    np.testing.assert_array_equal(ep.site_tau, 0)
