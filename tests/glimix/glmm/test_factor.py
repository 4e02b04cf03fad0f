"""Factorisations of I + T̃K and the GLMM posterior against the dense textbook formulas."""

from __future__ import annotations

import numpy as np
import pytest

from glimix.glmm._factor_dense import DenseFactor
from glimix.glmm._factor_lowrank import LowRankFactor
from glimix.glmm._posterior import Posterior
from glimix.glmm._prior import Prior
from glimix.linalg import KinshipOperator as Kinship
from glimix.linalg import economic_qs_linear


def _kinship(n, k, seed=0):
    rng = np.random.default_rng(seed)
    (Q0,), S0 = economic_qs_linear(rng.standard_normal((n, k)), return_q1=False)
    return Q0, S0


def _reference(K0, v0, v1, tau):
    n = K0.shape[0]
    K = v0 * K0 + v1 * np.eye(n)
    A = np.eye(n) + tau[:, None] * K
    Ainv = np.linalg.inv(A)
    W = Ainv * tau[None, :]
    return K, A, K @ Ainv, W


def _tau(n, rng, zeros=2):
    tau = np.exp(rng.uniform(np.log(1e-6), np.log(1e3), n))
    tau[:zeros] = 0.0
    return tau


@pytest.mark.parametrize("k", [3, 12])
@pytest.mark.parametrize(("v0", "v1"), [(0.7, 0.3), (0.7, 0.0), (0.0, 0.4)])
def test_low_rank_factor_matches_dense_algebra(k, v0, v1):
    n = 12
    rng = np.random.default_rng(k)
    Q0, S0 = _kinship(n, k)
    K0 = (Q0 * S0) @ Q0.T
    tau = _tau(n, rng) if v1 > 0 else rng.uniform(0.1, 2.0, n)
    factor = LowRankFactor(Q0, S0, np.diag(K0).copy(), v0, v1, tau)
    _, A, Sigma, W = _reference(K0, v0, v1, tau)
    x = rng.standard_normal((n, 2))
    np.testing.assert_allclose(factor.solve(x), np.linalg.solve(A, x), rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(factor.solve(x[:, 0]), np.linalg.solve(A, x[:, 0]), atol=1e-10)
    assert factor.logdet == pytest.approx(np.linalg.slogdet(A)[1], rel=1e-10, abs=1e-10)
    np.testing.assert_allclose(factor.variance, np.diag(Sigma), rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(factor.covariance(), Sigma, rtol=1e-9, atol=1e-12)
    assert factor.trace_W() == pytest.approx(np.trace(W), rel=1e-9)
    assert factor.trace_W_K0() == pytest.approx(np.trace(W @ K0), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("weak", [False, True])
@pytest.mark.parametrize("v1", [0.3, 0.0])
def test_dense_factor_matches_dense_algebra(weak, v1):
    """Both ways of getting diag(Σ) (L⁻¹ with a few direct sites, or V) agree with the formula."""
    n = 14
    rng = np.random.default_rng(3)
    Q0, S0 = _kinship(n, n if v1 == 0 else 6, seed=1)
    K0 = (Q0 * S0) @ Q0.T
    v0 = 0.8
    if weak:  # most sites with τ̃Kᵢᵢ < 10⁻²: the V path
        tau = rng.uniform(1e-6, 1e-3, n)
        tau[:3] = rng.uniform(5.0, 50.0, 3)
    else:  # informative sites, one without information and one barely informed: direct sites
        tau = rng.uniform(0.5, 200.0, n)
        tau[0], tau[1] = 0.0, 1e-9
    factor = DenseFactor(K0, v0, v1, tau)
    _, A, Sigma, W = _reference(K0, v0, v1, tau)
    x = rng.standard_normal((n, 3))
    np.testing.assert_allclose(factor.solve(x), np.linalg.solve(A, x), rtol=1e-9, atol=1e-10)
    assert factor.logdet == pytest.approx(np.linalg.slogdet(A)[1], rel=1e-10)
    np.testing.assert_allclose(factor.variance, np.diag(Sigma), rtol=1e-8)
    np.testing.assert_allclose(factor.covariance(), Sigma, rtol=1e-8, atol=1e-12)
    assert factor.trace_W() == pytest.approx(np.trace(W), rel=1e-8)
    assert factor.trace_W_K0() == pytest.approx(np.trace(W @ K0), rel=1e-7, abs=1e-9)


def test_dense_factor_keeps_digits_of_very_informative_sites():
    """Σᵢᵢ ≪ Kᵢᵢ: the (1 − hᵢ)/τ̃ᵢ formula keeps the relative accuracy that K − VᵀV loses."""
    n = 8
    Q0, S0 = _kinship(n, n, seed=2)
    K0 = (Q0 * S0) @ Q0.T
    tau = np.full(n, 1e9)
    factor = DenseFactor(K0, 1.0, 0.1, tau)
    # Σ = (K⁻¹ + T̃)⁻¹ ≈ T̃⁻¹ − T̃⁻¹K⁻¹T̃⁻¹: well conditioned through K⁻¹.
    K = K0 + 0.1 * np.eye(n)
    Sigma = np.linalg.inv(np.linalg.inv(K) + np.diag(tau))
    np.testing.assert_allclose(factor.variance, np.diag(Sigma), rtol=1e-9)


def _posterior_problem(n, k, seed, kinship_seed):
    """A random stream, 𝚀₀ and 𝐬₀ of rank k, their KinshipOperator and covariates [𝟏, 𝐱]."""
    rng = np.random.default_rng(seed)
    Q0, S0 = _kinship(n, k, seed=kinship_seed)
    X = np.column_stack([np.ones(n), rng.standard_normal(n)])
    return rng, Q0, S0, Kinship(Q0, S0), X


def _posterior(kinship, v0, v1, X, beta, tau, eta, profile=False):
    posterior = Posterior(Prior(kinship, v0, v1), X, beta, profile)
    posterior.update(tau, eta)
    return posterior


@pytest.mark.parametrize("k", [4, 10])
def test_posterior_matches_dense_formulas(k):
    n = 10
    rng, Q0, S0, kinship, X = _posterior_problem(n, k, seed=5, kinship_seed=4)
    beta = np.array([0.3, -0.5])
    tau = rng.uniform(0.1, 3.0, n)
    eta = rng.standard_normal(n)
    v0, v1 = 0.9, 0.4
    post = _posterior(kinship, v0, v1, X, beta, tau, eta)
    K = v0 * (Q0 * S0) @ Q0.T + v1 * np.eye(n)
    m = X @ beta
    Kinv = np.linalg.inv(K)
    Sigma = np.linalg.inv(Kinv + np.diag(tau))
    mu = Sigma @ (Kinv @ m + eta)
    np.testing.assert_allclose(post.marginal_mean, mu, rtol=1e-9)
    np.testing.assert_allclose(post.marginal_variance, np.diag(Sigma), rtol=1e-9)
    np.testing.assert_allclose(post.covariance(), Sigma, rtol=1e-9, atol=1e-12)
    # G by completing the square in the dense form.
    h = Kinv @ m + eta
    G = (
        -0.5 * np.linalg.slogdet(np.eye(n) + K @ np.diag(tau))[1]
        + 0.5 * h @ Sigma @ h
        - 0.5 * m @ Kinv @ m
    )
    assert post.log_normaliser == pytest.approx(G, rel=1e-10)


def test_posterior_gradient_matches_finite_differences():
    n = 9
    rng, _, _, kinship, X = _posterior_problem(n, 5, seed=6, kinship_seed=7)
    beta = np.array([0.2, 0.7])
    tau = rng.uniform(0.1, 3.0, n)
    eta = rng.standard_normal(n)
    v0, v1 = 0.6, 0.3

    def G(v0, v1, beta):
        return _posterior(kinship, v0, v1, X, beta, tau, eta).log_normaliser

    post = _posterior(kinship, v0, v1, X, beta, tau, eta)
    g0, g1 = post.variance_gradient()
    h = 1e-6
    assert g0 == pytest.approx((G(v0 + h, v1, beta) - G(v0 - h, v1, beta)) / (2 * h), rel=1e-6)
    assert g1 == pytest.approx((G(v0, v1 + h, beta) - G(v0, v1 - h, beta)) / (2 * h), rel=1e-6)
    fd = [(G(v0, v1, beta + h * e) - G(v0, v1, beta - h * e)) / (2 * h) for e in np.eye(2)]
    np.testing.assert_allclose(post.beta_gradient(), fd, rtol=1e-6)


def test_profiled_beta_is_the_generalised_least_squares_solution():
    n = 11
    rng, Q0, S0, kinship, X = _posterior_problem(n, 4, seed=8, kinship_seed=9)
    tau = rng.uniform(0.2, 2.0, n)
    eta = rng.standard_normal(n) + 2 * tau
    v0, v1 = 0.5, 0.2
    post = _posterior(kinship, v0, v1, X, np.array([5.0, -3.0]), tau, eta, profile=True)
    C = v0 * (Q0 * S0) @ Q0.T + v1 * np.eye(n) + np.diag(1 / tau)
    Ci = np.linalg.inv(C)
    gls = np.linalg.solve(X.T @ Ci @ X, X.T @ Ci @ (eta / tau))
    np.testing.assert_allclose(post.beta, gls, rtol=1e-9)
    np.testing.assert_allclose(post.beta_gradient(), 0, atol=1e-9)
    fixed = _posterior(kinship, v0, v1, X, gls, tau, eta)
    assert post.log_normaliser == pytest.approx(fixed.log_normaliser, rel=1e-12)
    np.testing.assert_allclose(post.beta_covariance(), np.linalg.inv(X.T @ Ci @ X), rtol=1e-9)


def test_profiling_keeps_beta_where_the_sites_carry_no_information():
    n = 6
    Q0, S0 = _kinship(n, 3, seed=10)
    X = np.ones((n, 1))
    post = _posterior(Kinship(Q0, S0), 0.5, 0.5, X, np.array([1.5]), np.zeros(n), np.zeros(n), True)
    np.testing.assert_array_equal(post.beta, [1.5])
