"""multivariate_normal: the Cholesky draw, and the right moments."""

from __future__ import annotations

import numpy as np
import pytest

from limix.stats import multivariate_normal


def _cov(n=4, seed=0):
    G = np.random.default_rng(seed).normal(size=(n, n + 2))
    return G @ G.T / n


def test_is_mean_plus_cholesky_times_standard_normals():
    K = _cov()
    mean = np.arange(4.0)
    x = multivariate_normal(np.random.RandomState(3), mean, K)
    z = np.random.RandomState(3).randn(4)
    np.testing.assert_allclose(x, mean + np.linalg.cholesky(K) @ z, rtol=1e-14)
    g = multivariate_normal(np.random.default_rng(3), mean, K)
    np.testing.assert_allclose(
        g, mean + np.linalg.cholesky(K) @ np.random.default_rng(3).standard_normal(4)
    )


def test_moments():
    K = _cov(3, 1)
    random = np.random.RandomState(0)
    draws = np.array([multivariate_normal(random, [1.0, -1.0, 0.0], K) for _ in range(20000)])
    np.testing.assert_allclose(draws.mean(axis=0), [1.0, -1.0, 0.0], atol=0.05)
    np.testing.assert_allclose(np.cov(draws.T), K, atol=0.06 * np.abs(K).max())


def test_singular_covariance_draws_in_its_span():
    v = np.array([1.0, 2.0, -1.0])
    K = np.outer(v, v)  # rank one: no Cholesky factor
    x = multivariate_normal(np.random.RandomState(0), np.zeros(3), K)
    np.testing.assert_allclose(np.cross(x, v), 0, atol=1e-12)
    assert np.linalg.norm(x) > 0


def test_errors():
    random = np.random.RandomState(0)
    with pytest.raises(ValueError, match="positive semi-definite"):
        multivariate_normal(random, np.zeros(2), np.array([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(ValueError, match="2×2"):
        multivariate_normal(random, np.zeros(2), np.eye(3))
    with pytest.raises(ValueError, match="symmetric"):
        multivariate_normal(random, np.zeros(2), np.array([[1.0, 0.5], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="finite"):
        multivariate_normal(random, [np.nan, 0.0], np.eye(2))
    with pytest.raises(ValueError, match="random"):
        multivariate_normal(0, np.zeros(2), np.eye(2))


def test_reproduces_the_manual_qtl_tutorial_data():
    """The manual's tutorial builds y with linear_kinship and multivariate_normal, then prints
    the null model 𝓝(𝙼𝜶, 1.436⋅𝙺 + 2.934⋅𝙸) with lml = −211.3819625136375. A dense maximum
    likelihood fit of that model on the data generated here must reach the same optimum."""
    from scipy.optimize import minimize

    from limix.stats import linear_kinship

    random = np.random.RandomState(2)
    n = 100
    offset = np.ones(n) * random.randn()
    age = random.randint(16, 75, n)
    M = np.stack([offset, age], axis=1)
    G = random.randn(n, 4)
    alpha, beta, eps = random.randn(2), random.randn(4), random.randn(n)
    y = M @ alpha + G @ beta + eps
    K = linear_kinship(random.randn(n, 50), verbose=False) + 1e-9 * np.eye(n)
    y = y + multivariate_normal(random, np.zeros(n), K)

    S, Q = np.linalg.eigh(K)  # v₀K + v₁I = Q(v₀S + v₁)Qᵀ: rotate once, then O(n) per step
    Mr, yr = Q.T @ M, Q.T @ y

    def negative_lml(log_variances):
        v0, v1 = np.exp(log_variances)
        d = v0 * S + v1
        w = 1 / np.sqrt(d)
        Mw, yw = Mr * w[:, None], yr * w
        r = yw - Mw @ np.linalg.lstsq(Mw, yw, rcond=None)[0]
        return 0.5 * (r @ r + np.log(d).sum() + n * np.log(2 * np.pi))

    fit = minimize(
        negative_lml,
        [0.0, 0.0],
        method="Nelder-Mead",
        options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 2000},
    )
    assert -fit.fun == pytest.approx(-211.3819625136375, abs=1e-8)
    np.testing.assert_allclose(np.exp(fit.x), [1.436, 2.934], atol=5e-4)
