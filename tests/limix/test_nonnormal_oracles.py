"""Non-normal heritability and variance decomposition against independent oracles.

``limix.her.estimate`` fits glimix's ``GLMMExpFam`` (the eigendecomposed-kinship EP); ``VarDec``
fits glimix's general ``ExpFamGP`` (a sum of covariance Functions, dense EP). Each is checked
against (a) scipy's derivative-free Nelder–Mead maximising the EP log marginal likelihood from a
start away from the fit (an independent optimiser), and (b) for VarDec, the other EP
implementation fitted directly. Tolerances are 0.2 % on the variances, so that a 1 % error in a
variance or in h² fails.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize

from glimix.glmm import GLMMExpFam
from glimix.linalg import economic_qs
from limix.her import estimate
from limix.vardec import VarDec

N = 120
RESIDUAL = {"bernoulli": np.pi**2 / 3, "probit": 1.0, "poisson": 0.0}


def _cohort(kind: str, seed: int):
    random = np.random.RandomState(seed)
    X = random.randn(N, 40)
    K = X @ X.T / 40
    K /= K.diagonal().mean()
    z = 0.3 + X @ random.randn(40) * 0.9 / np.sqrt(40) + random.randn(N) * 0.6
    if kind == "poisson":
        y = random.poisson(np.exp(z))
    elif kind == "probit":
        y = z + random.randn(N) > 0
    else:
        y = z + random.logistic(size=N) > 0
    return y.astype(float), K


def _nelder_mead_maximum(glmm: GLMMExpFam, start: np.ndarray) -> np.ndarray:
    """(β, log v₀[, log v₁]) maximising glmm's EP lml, by scipy only."""
    free_delta = not glmm.isfixed("delta")

    def negative_lml(theta):
        glmm.beta = theta[:1]
        if free_delta:
            v0, v1 = np.exp(theta[1]), np.exp(theta[2])
            glmm.scale, glmm.delta = v0 + v1, v1 / (v0 + v1)
        else:
            glmm.scale = np.exp(theta[1])
        return -glmm.lml()

    options = {"xatol": 1e-8, "fatol": 1e-12, "maxiter": 20_000, "maxfev": 20_000}
    theta = minimize(negative_lml, start, method="Nelder-Mead", options=options).x
    return minimize(negative_lml, theta, method="Nelder-Mead", options=options).x


@pytest.mark.parametrize(("kind", "seed"), [("bernoulli", 5), ("probit", 6), ("poisson", 7)])
def test_heritability_is_the_ep_maximum(kind, seed):
    y, K = _cohort(kind, seed)
    h2 = estimate(y, kind, K, verbose=False)

    glmm = GLMMExpFam(y, kind, np.ones((N, 1)), economic_qs(K))
    size = 3 if not glmm.isfixed("delta") else 2
    start = np.r_[0.0, np.log(0.5), np.log(0.5)][:size]
    theta = _nelder_mead_maximum(glmm, start)
    v0 = np.exp(theta[1])
    v1 = np.exp(theta[2]) if size == 3 else 0.0
    assert h2.v0 > 0.05
    np.testing.assert_allclose([h2.v0, h2.v1], [v0, v1], rtol=2e-3, atol=1e-6)
    np.testing.assert_allclose(h2, v0 / (v0 + v1 + RESIDUAL[kind]), rtol=2e-3)


@pytest.mark.parametrize(("kind", "seed"), [("bernoulli", 8), ("poisson", 9)])
def test_vardec_is_the_ep_maximum_of_the_other_implementation(kind, seed):
    """Poisson: K and an iid component; Bernoulli: K alone (its logistic residual plays the iid
    part, whose variance goes to 0 on these data — a boundary Nelder–Mead cannot reach in logs)."""
    y, K = _cohort(kind, seed)
    iid = kind == "poisson"
    vardec = VarDec(y, kind)
    vardec.append(K, "genetic")
    if iid:
        vardec.append_iid("noise")
    vardec.fit(verbose=False)
    variances = vardec.variances.to_numpy()

    # the eigendecomposed GLMM (another EP implementation), fitted directly
    glmm = GLMMExpFam(y, kind, np.ones((N, 1)), economic_qs(K))
    if iid:
        glmm.unfix("delta")
    else:
        glmm.fix("delta")
    glmm.fit(verbose=False)
    direct = np.array([glmm.v0, glmm.v1] if iid else [glmm.v0])
    assert np.all(direct > 0.05), "the test needs an interior optimum"
    np.testing.assert_allclose(variances, direct, rtol=2e-3)
    assert vardec.lml() == pytest.approx(glmm.lml(), abs=1e-6)

    # and scipy's maximum of that likelihood, from elsewhere
    start = np.r_[glmm.beta + 0.3, np.log(direct) + np.r_[0.7, -0.7][: direct.size]]
    theta = _nelder_mead_maximum(glmm, start)
    np.testing.assert_allclose(variances, np.exp(theta[1:]), rtol=2e-3)
