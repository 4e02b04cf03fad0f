"""GLMMExpFam.fit reaches the maximum of the EP marginal likelihood: an independent optimiser.

For each likelihood a small cohort is simulated with an interior optimum. scipy's Nelder–Mead —
a derivative-free method, unlike the L-BFGS-B/Brent route of ``fit`` — maximises the same EP
log marginal likelihood over the free parameters, (𝜷, log v₀, log v₁) (Bernoulli and probit:
(𝜷, log v₀), their 𝛿 being fixed at 0 as documented), from a start away from the fit. The fit
must be at least as high, and its parameters must agree with the independent optimum to 0.2 %
(so a 1 % change of a variance is detected).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize

from glimix.glmm import GLMMExpFam
from glimix.linalg import economic_qs_linear

N = 120


def _cohort(kind: str, seed: int):
    random = np.random.RandomState(seed)
    X = random.randn(N, 30) / np.sqrt(30)
    M = np.column_stack([np.ones(N), random.randn(N)])
    z = M @ [0.2, 0.5] + X @ random.randn(30) * 0.9 + random.randn(N) * 0.7
    if kind == "poisson":
        y, lik = random.poisson(np.exp(z)), "poisson"
    elif kind == "binomial":
        ntrials = random.randint(4, 12, N)
        y, lik = random.binomial(ntrials, 1 / (1 + np.exp(-z))), ("binomial", ntrials)
    else:
        y, lik = (z + (random.randn(N) if kind == "probit" else random.logistic(size=N)) > 0), kind
    return y.astype(float), lik, M, economic_qs_linear(X, return_q1=False)


def _variances(glmm: GLMMExpFam) -> np.ndarray:
    return np.array([glmm.v0] if glmm.isfixed("delta") else [glmm.v0, glmm.v1])


def _set(glmm: GLMMExpFam, theta: np.ndarray) -> None:
    k = glmm.ncovariates
    glmm.beta = theta[:k]
    if glmm.isfixed("delta"):
        glmm.scale = np.exp(theta[k])
        return
    v0, v1 = np.exp(theta[k]), np.exp(theta[k + 1])
    glmm.scale = v0 + v1
    glmm.delta = v1 / (v0 + v1)


def _independent_maximum(glmm: GLMMExpFam, start: np.ndarray) -> tuple[np.ndarray, float]:
    def negative_lml(theta):
        _set(glmm, theta)
        return -glmm.lml()

    best = minimize(
        negative_lml,
        start,
        method="Nelder-Mead",
        options={"xatol": 1e-7, "fatol": 1e-11, "maxiter": 20_000, "maxfev": 20_000},
    )
    # restart from the answer: Nelder–Mead can stall on a shrunken simplex
    best = minimize(negative_lml, best.x, method="Nelder-Mead",
                    options={"xatol": 1e-8, "fatol": 1e-12, "maxiter": 20_000})  # fmt: skip
    return best.x, -best.fun


@pytest.mark.parametrize(("kind", "seed"), [("bernoulli", 1), ("probit", 2), ("poisson", 3),
                                            ("binomial", 4)])  # fmt: skip
def test_fit_is_the_maximum_an_independent_optimiser_finds(kind, seed):
    y, lik, M, QS = _cohort(kind, seed)
    glmm = GLMMExpFam(y, lik, M, QS)
    glmm.fit(verbose=False)
    k = M.shape[1]
    fitted = np.r_[glmm.beta, np.log(_variances(glmm))]
    lml = glmm.lml()
    assert np.all(_variances(glmm) > 0.05), "the test needs an interior optimum"

    start = fitted + np.r_[0.3 * np.ones(k), 0.7, -0.7][: fitted.size]
    theta, best = _independent_maximum(glmm, start)
    assert lml >= best - 1e-7
    np.testing.assert_allclose(np.exp(theta[k:]), np.exp(fitted[k:]), rtol=2e-3)
    np.testing.assert_allclose(theta[:k], fitted[:k], rtol=2e-3, atol=2e-4)
