"""limix.her.estimate against dense REML, the liability-scale formulas and the manual's example.

Normal traits: h² = 1 − 𝛿 of the REML fit of 𝐲 ∼ 𝓝(M𝜶, s((1 − 𝛿)K̃ + 𝛿I)), K̃ = K / mean(diag K);
the reference maximises the dense restricted log-likelihood (explicit covariance, numpy solves)
over 𝛿 with scipy, and the standard error is the inverse square root of its negative curvature.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import minimize_scalar

from limix._data import DroppedSamplesWarning
from limix.her import estimate

# -- dense REML -----------------------------------------------------------------------------------


def dense_reml(y, M, K, delta):
    """Restricted log-likelihood of 𝐲 ∼ 𝓝(M𝜶, s((1 − 𝛿)K + 𝛿I)) with 𝜶 and s profiled out.

    ℓ = −½[(n − c) log(2π s) + log|V| + log|MᵀV⁻¹M| − log|MᵀM| + (n − c)],
    s = rᵀV⁻¹r / (n − c), r = 𝐲 − M𝜶̂ (GLS).
    """
    n, c = M.shape
    V = (1 - delta) * K + delta * np.eye(n)
    Vi_M = np.linalg.solve(V, M)
    Vi_y = np.linalg.solve(V, y)
    H = M.T @ Vi_M
    alpha = np.linalg.solve(H, M.T @ Vi_y)
    r = y - M @ alpha
    s = float(r @ np.linalg.solve(V, r)) / (n - c)
    return -0.5 * (
        (n - c) * np.log(2 * np.pi * s)
        + np.linalg.slogdet(V)[1]
        + np.linalg.slogdet(H)[1]
        - np.linalg.slogdet(M.T @ M)[1]
        + (n - c)
    )


def dense_ml(y, M, K, delta):
    """Log-likelihood with 𝜶 and s profiled out (s = rᵀV⁻¹r / n)."""
    n = len(y)
    V = (1 - delta) * K + delta * np.eye(n)
    Vi_M = np.linalg.solve(V, M)
    alpha = np.linalg.solve(M.T @ Vi_M, Vi_M.T @ y)
    r = y - M @ alpha
    s = float(r @ np.linalg.solve(V, r)) / n
    return -0.5 * (n * np.log(2 * np.pi * s) + np.linalg.slogdet(V)[1] + n)


def maximise(f):
    """argmax over 𝛿 ∈ (0, 1): a grid then bounded Brent around the best point."""
    grid = np.linspace(1e-4, 1 - 1e-4, 201)
    best = grid[int(np.argmax([f(d) for d in grid]))]
    lo, hi = max(best - 0.01, 1e-6), min(best + 0.01, 1 - 1e-6)
    return minimize_scalar(lambda d: -f(d), bounds=(lo, hi), method="bounded",
                           options={"xatol": 1e-10}).x  # fmt: skip


# -- data -----------------------------------------------------------------------------------------


def _kinship(rng, n, m):
    f = rng.uniform(0.05, 0.5, m)
    X = rng.binomial(2, f, (n, m)).astype(float)
    Z = (X - 2 * f) / np.sqrt(2 * f * (1 - f))
    return Z, 1.7 * Z @ Z.T / m  # a scale that the normalisation must remove


@pytest.fixture(scope="module")
def normal_data():
    rng = np.random.RandomState(3)
    n, m = 80, 150
    Z, K = _kinship(rng, n, m)
    M = np.column_stack([np.ones(n), rng.randn(n, 4)])
    y = M @ rng.randn(5) + Z @ rng.randn(m) * np.sqrt(0.6 / m) + rng.randn(n) * np.sqrt(0.4)
    return y, M, K


# -- normal ---------------------------------------------------------------------------------------


def test_normal_trait_is_one_minus_delta_of_dense_reml(normal_data):
    y, M, K = normal_data
    Kn = K / K.diagonal().mean()
    delta = maximise(lambda d: dense_reml(y, M, Kn, d))
    assert 0.05 < delta < 0.95
    h2 = estimate(y, "normal", K, M=M, verbose=False)
    assert isinstance(h2, float)
    assert_allclose(float(h2), 1 - delta, atol=1e-5)
    assert_allclose(h2.v0 / (h2.v0 + h2.v1), float(h2), rtol=1e-10)
    assert h2.lik == "normal" and h2.residual == 0


def test_normal_trait_is_reml_not_ml(normal_data):
    """With five covariates and 80 samples the ML and REML estimates differ: the estimate is
    the REML one."""
    y, M, K = normal_data
    Kn = K / K.diagonal().mean()
    reml = 1 - maximise(lambda d: dense_reml(y, M, Kn, d))
    ml = 1 - maximise(lambda d: dense_ml(y, M, Kn, d))
    assert abs(reml - ml) > 0.01
    h2 = float(estimate(y, "normal", K, M=M, verbose=False))
    assert abs(h2 - reml) < 1e-5 < abs(h2 - ml)


def test_standard_error_is_the_curvature_of_the_dense_reml_profile(normal_data):
    y, M, K = normal_data
    Kn = K / K.diagonal().mean()
    delta = maximise(lambda d: dense_reml(y, M, Kn, d))
    step = 1e-3
    values = [dense_reml(y, M, Kn, delta + k * step) for k in (-1, 0, 1)]
    curvature = (values[0] - 2 * values[1] + values[2]) / step**2
    se = 1 / math.sqrt(-curvature)
    h2 = estimate(y, "normal", K, M=M, verbose=False)
    assert 0.01 < se < 1
    assert_allclose(h2.se, se, rtol=2e-3)


def test_kinship_is_normalised_by_its_mean_diagonal(normal_data):
    y, M, K = normal_data
    a = estimate(y, "normal", K, M=M, verbose=False)
    b = estimate(y, "normal", K * 0.013, M=M, verbose=False)
    assert_allclose(float(a), float(b), atol=1e-7)
    # v₀ is on the scale of the normalised K: v₀·mean(diag K̃) + v₁ is the average variance
    Kn = K / K.diagonal().mean()
    delta = maximise(lambda d: dense_reml(y, M, Kn, d))
    n, c = M.shape
    V = (1 - delta) * Kn + delta * np.eye(n)
    Vi_M = np.linalg.solve(V, M)
    alpha = np.linalg.solve(M.T @ Vi_M, Vi_M.T @ y)
    r = y - M @ alpha
    s = float(r @ np.linalg.solve(V, r)) / (n - c)
    assert_allclose([a.v0, a.v1], [s * (1 - delta), s * delta], rtol=1e-4)


def test_default_covariate_is_an_offset(normal_data):
    y, _, K = normal_data
    Kn = K / K.diagonal().mean()
    ones = np.ones((len(y), 1))
    delta = maximise(lambda d: dense_reml(y, ones, Kn, d))
    assert_allclose(float(estimate(y, "normal", K, verbose=False)), 1 - delta, atol=1e-5)


def test_no_genetic_signal_gives_a_small_estimate():
    rng = np.random.RandomState(8)
    n = 80
    _, K = _kinship(rng, n, 150)
    h2 = estimate(rng.randn(n), "normal", K, verbose=False)
    assert 0 <= float(h2) < 0.5


# -- non-normal -----------------------------------------------------------------------------------


def test_manual_poisson_example():
    random = np.random.RandomState(0)
    G = random.randn(150, 200) / np.sqrt(200)
    K = G @ G.T
    z = G @ random.randn(200) + random.randn(150)
    y = random.poisson(np.exp(z))
    h2 = estimate(y, "poisson", K, verbose=False)
    assert_allclose(float(h2), 0.18311439918863426, atol=1e-4)
    assert h2.residual == 0
    assert_allclose(float(h2), h2.v0 / (h2.v0 + h2.v1), rtol=1e-12)


def _liability_data(seed, n, m, genetic):
    """y = 1[𝐠 + ε > 0] with 𝐠 ∼ 𝓝(𝟎, genetic·K̃), ε ∼ 𝓝(0, 1): liability h² = g/(g + 1)."""
    rng = np.random.RandomState(seed)
    Z, K = _kinship(rng, n, m)
    g = Z @ rng.randn(m) * np.sqrt(genetic / m)
    liability = g + rng.randn(n)
    return (liability > 0).astype(float), K


def test_bernoulli_is_on_the_liability_scale():
    y, K = _liability_data(2, 120, 150, 1.0)
    h2 = estimate(y, "bernoulli", K, verbose=False)
    assert h2.lik == "bernoulli"
    assert_allclose(h2.residual, math.pi**2 / 3, rtol=1e-15)
    assert_allclose(float(h2), h2.v0 / (h2.v0 + h2.v1 + math.pi**2 / 3), rtol=1e-12)
    assert 0 <= float(h2) < 1
    assert math.isnan(h2.se)


def test_probit_is_on_the_liability_scale_and_recovers_a_simulated_heritability():
    y, K = _liability_data(5, 300, 400, 1.0)  # liability h² = 0.5
    h2 = estimate(y, "probit", K, verbose=False)
    assert h2.lik == "probit" and h2.residual == 1
    assert_allclose(float(h2), h2.v0 / (h2.v0 + h2.v1 + 1), rtol=1e-12)
    # loose: 300 binary observations determine h² only roughly, but not as ≈ 1
    assert 0.15 < float(h2) < 0.85


def test_binary_estimates_do_not_depend_on_the_scale_of_K():
    y, K = _liability_data(2, 120, 150, 1.0)
    a = estimate(y, "probit", K, verbose=False)
    b = estimate(y, "probit", 40 * K, verbose=False)
    assert_allclose(float(a), float(b), atol=1e-4)


# -- inputs ---------------------------------------------------------------------------------------


def test_bad_inputs_raise_value_errors(normal_data):
    y, _, K = normal_data
    y_inf = y.copy()
    y_inf[3] = np.inf
    with pytest.raises(ValueError, match="y"):
        estimate(y_inf, "normal", K, verbose=False)
    with pytest.raises(ValueError, match="K"):
        estimate(y, "normal", K[:, :-1], verbose=False)
    with pytest.raises(ValueError, match="K"):
        estimate(y, "normal", None, verbose=False)
    K_nan = K.copy()
    K_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="K"):
        estimate(y, "normal", K_nan, verbose=False)
    with pytest.raises(ValueError, match="K"):
        estimate(y, "normal", K[:-1, :-1], verbose=False)
    with pytest.raises(ValueError, match="lik"):
        estimate(y, "gamma", K, verbose=False)
    with pytest.raises(ValueError):
        estimate(np.abs(y).round() + 0.5, "poisson", K, verbose=False)  # not counts


def test_missing_trait_values_are_dropped_with_a_warning(normal_data):
    """The project's missing-value policy (the manual says non-finite values raise; NaN is
    read as missing here — reported as a discrepancy)."""
    y, M, K = normal_data
    y_nan = y.copy()
    y_nan[[2, 9]] = np.nan
    with pytest.warns(DroppedSamplesWarning):
        h2 = estimate(y_nan, "normal", K, M=M, verbose=False)
    keep = np.setdiff1d(np.arange(len(y)), [2, 9])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        expected = estimate(y[keep], "normal", K[np.ix_(keep, keep)], M=M[keep], verbose=False)
    assert_allclose(float(h2), float(expected), rtol=1e-10)


def test_verbose_prints_a_summary(normal_data, capsys):
    y, M, K = normal_data
    h2 = estimate(y, "normal", K, M=M, verbose=True)
    out = capsys.readouterr().out
    assert f"{float(h2):.4f}" in out and "normal" in out
