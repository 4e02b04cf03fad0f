"""GLMMNormal: the heteroscedastic LMM against dense formulas and a brute-force optimiser."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.optimize
from scipy.stats import multivariate_normal

from glimix.glmm import GLMMNormal
from glimix.linalg import economic_qs, economic_qs_linear


def _data(n=20, seed=0):
    rng = np.random.default_rng(seed)
    G = rng.standard_normal((n, 4))
    tau = rng.uniform(0.3, 3.0, n)
    X = np.column_stack([np.ones(n), rng.standard_normal(n)])
    mu = X @ [0.5, -0.4] + G @ rng.standard_normal(4) / 2 + rng.standard_normal(n) / np.sqrt(tau)
    return mu * tau, tau, X, G


def _qs(kind, G):
    n = G.shape[0]
    if kind == "low-rank":
        return economic_qs_linear(G)
    if kind == "full-rank":
        return economic_qs(G @ G.T + 0.5 * np.eye(n))
    return None


@pytest.mark.parametrize("kind", ["low-rank", "full-rank", "none"])
def test_value_and_gradient_against_dense_formulas(kind):
    eta, tau, X, G = _data()
    glmm = GLMMNormal(eta, tau, X, _qs(kind, G))
    glmm.beta = [0.2, 0.1]
    glmm.scale = 1.4
    if kind != "none":
        glmm.delta = 0.35
    C = glmm.covariance() + np.diag(1 / tau)
    expected = multivariate_normal(X @ glmm.beta, C).logpdf(eta / tau)
    assert glmm.value() == pytest.approx(expected, rel=1e-11)
    assert glmm.lml() == glmm.value()

    grad = glmm.gradient()
    h = 1e-6
    beta = glmm.beta
    for j, e in enumerate(np.eye(2)):
        glmm.beta = beta + h * e
        up = glmm.value()
        glmm.beta = beta - h * e
        fd = (up - glmm.value()) / (2 * h)
        glmm.beta = beta
        assert grad["beta"][j] == pytest.approx(fd, rel=1e-6, abs=1e-8)
    scale = glmm.scale
    glmm.scale = scale * math.exp(h)
    up = glmm.value()
    glmm.scale = scale * math.exp(-h)
    assert grad["logscale"] == pytest.approx((up - glmm.value()) / (2 * h), rel=1e-6)
    glmm.scale = scale
    if kind != "none":
        delta = glmm.delta
        glmm.delta = delta + h
        up = glmm.value()
        glmm.delta = delta - h
        assert grad["delta"] == pytest.approx((up - glmm.value()) / (2 * h), rel=1e-6)
    else:
        assert "delta" not in grad


def test_fit_against_brute_force_maximisation():
    eta, tau, X, G = _data(n=25, seed=1)
    QS = economic_qs_linear(G)
    glmm = GLMMNormal(eta, tau, X, QS)
    glmm.fit(verbose=False)
    K0 = G @ G.T
    mu = eta / tau

    def negative(p):
        s, d = math.exp(p[2]), p[3]
        C = s * ((1 - d) * K0 + d * np.eye(25)) + np.diag(1 / tau)
        return -multivariate_normal(X @ p[:2], C).logpdf(mu)

    bounds = [(None, None), (None, None), (-10, 5), (0, 1)]
    best = min(
        (
            scipy.optimize.minimize(
                negative,
                x0,
                method="L-BFGS-B",
                bounds=bounds,
                options={"ftol": 1e-15, "gtol": 1e-10},
            )
            for x0 in (np.array([0, 0, 0, 0.5]), np.array([0, 0, -2, 0.1]))
        ),
        key=lambda r: r.fun,
    )
    assert glmm.value() == pytest.approx(-best.fun, abs=1e-7)
    assert glmm.value() >= -best.fun - 1e-9
    np.testing.assert_allclose(glmm.gradient()["beta"], 0, atol=1e-8)
    C = glmm.covariance() + np.diag(1 / tau)
    Ci = np.linalg.inv(C)
    np.testing.assert_allclose(glmm.beta_covariance, np.linalg.inv(X.T @ Ci @ X), rtol=1e-9)


def test_fix_keeps_values_and_errors_name_the_argument():
    eta, tau, X, G = _data()
    glmm = GLMMNormal(eta, tau, X, economic_qs_linear(G))
    glmm.fix("delta")
    glmm.delta = 0.2
    glmm.fit(verbose=False)
    assert glmm.delta == 0.2
    assert glmm.at_bounds == ()
    np.testing.assert_array_equal(glmm.eta, eta)
    with pytest.raises(ValueError, match="tau must be positive"):
        GLMMNormal(eta, np.r_[0.0, tau[1:]], X)
    with pytest.raises(ValueError, match="eta has 1 non-finite"):
        GLMMNormal(np.r_[np.nan, eta[1:]], tau, X)
    with pytest.raises(ValueError, match="eta must have 20"):
        GLMMNormal(eta[:-1], tau, X)
    with pytest.raises(ValueError, match="X must have one row per sample"):
        GLMMNormal(eta, tau, X[:-1])
    with pytest.raises(ValueError, match="var_name"):
        glmm.unfix("sigma")


def test_fast_scanner_for_the_current_variances():
    eta, tau, X, G = _data(n=30, seed=2)
    glmm = GLMMNormal(eta, tau, X, economic_qs_linear(G))
    glmm.fit(verbose=False)
    scanner = glmm.get_fast_scanner()
    C = glmm.covariance() + np.diag(1 / tau)
    Ci = np.linalg.inv(C)
    mu = eta / tau
    n = mu.size
    M = np.random.default_rng(3).standard_normal((n, 2))
    E = np.column_stack([X, M])
    b = np.linalg.solve(E.T @ Ci @ E, E.T @ Ci @ mu)
    r = mu - E @ b
    s = r @ Ci @ r / n
    lml = -0.5 * (n * np.log(2 * np.pi * s) + np.linalg.slogdet(C)[1] + n)
    result = scanner.scan(M)
    assert result["lml"] == pytest.approx(lml, rel=1e-10)
    np.testing.assert_allclose(result["effsizes1"], b[2:], rtol=1e-8)
    assert result["scale"] == pytest.approx(s, rel=1e-8)
    # The null refits s of s(v₀𝙺 + v₁𝙸 + Σ̃); s = 1 is the fitted GLMMNormal.
    np.testing.assert_allclose(scanner.null_beta, glmm.beta, rtol=1e-8)
    assert scanner.null_lml() >= glmm.value()
