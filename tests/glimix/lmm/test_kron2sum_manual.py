"""The manual's "Multi-trait association" example (limix.qtl.scan with A, A0, A1), null model.

The data are rebuilt exactly as the manual's tutorial builds them, one random draw after the
other from ``RandomState(2)``: covariates, candidates, a single-trait phenotype, the kinship
K = linear_kinship(X) + 10⁻⁹I, a Poisson phenotype, two environments, and finally the two-trait
Y and the trait design A. The null model printed by the manual is

    𝐲 ~ 𝓝((A⊗𝙼)𝛂, C₀⊗𝙺 + C₁⊗𝙸)
    𝜶        = [-0.16350676 -0.00299814 -0.34521236 -0.00080406]
    se(𝜶)    = [11.30571652  0.09640163  5.36090270  0.04573611]
    diag(C₀) = [0.01404947 0.29153072]
    diag(C₁) = [0.81175806 0.85780008]
    lml      = -277.3341913587698

C₀ and C₁ are reproduced. 𝜶 and lml are not, on purpose: the manual's 𝜶 is the solution of
the normal equations H𝜶 = MᵀK⁻¹𝐲 by least squares truncated at a relative singular value of
1.49e-8 — H has condition number 2.5e8 here, because the covariates are unscaled (an offset of
−0.42 next to ages 16–75), so the truncation drops a well-determined direction. Kron2Sum solves
H exactly, which gives a higher likelihood (−277.158). The tests below check that account: the
truncated solve of our H reproduces the manual's 𝜶, the likelihood there is the manual's lml,
and the manual's se(𝜶) is √(s⋅diag H⁻¹) with s the residual scale at that 𝜶.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.stats import multivariate_normal

from glimix.lmm import Kron2Sum

from .._manual import NSAMPLES, tutorial_kinship, tutorial_trait


@pytest.fixture(scope="module")
def tutorial() -> dict:
    random = np.random.RandomState(2)
    n = NSAMPLES
    y, M, _ = tutorial_trait(random)
    y0 = y.copy()
    K = tutorial_kinship(random)
    L = np.linalg.cholesky(K)
    y = y + L @ random.randn(n)  # limix.stats.multivariate_normal(random, zeros(n), K)
    y1 = y.copy()
    z = (y - y.mean()) / y.std()
    y = random.poisson(np.exp(z))
    random.randn(n, 1)  # E0
    random.randn(n, 1)  # E1
    p = 2
    Y = random.randn(n, p)
    A = random.randn(p, p)
    A = A @ A.T
    return {"M": M, "K": K, "L": L, "y0": y0, "y1": y1, "Y": Y, "A": A}


def test_single_trait_null_models_of_the_tutorial(tutorial):
    """With p = 1, Kron2Sum is the single-trait LMM: the manual's first two null models."""
    M = tutorial["M"]
    # 𝐲 ~ 𝓝(𝙼𝜶, 3.462⋅𝙸), lml = -203.98750767964498: no K
    lm = Kron2Sum(tutorial["y0"][:, None], np.eye(1), M, None)
    lm.fit(verbose=False)
    assert_allclose(lm.lml(), -203.98750767964498, rtol=1e-10)
    assert_allclose(lm.beta, [2.10096551, 0.19582931], rtol=1e-6)
    assert f"{lm.C1[0, 0]:.3f}" == "3.462"
    # 𝐲 ~ 𝓝(𝙼𝜶, 1.436⋅𝙺 + 2.934⋅𝙸), lml = -211.3819625136375
    lmm = Kron2Sum(tutorial["y1"][:, None], np.eye(1), M, tutorial["L"])
    lmm.fit(verbose=False)
    assert_allclose(lmm.lml(), -211.3819625136375, rtol=1e-9)
    assert (f"{lmm.C0[0, 0]:.3f}", f"{lmm.C1[0, 0]:.3f}") == ("1.436", "2.934")
    assert_allclose(lmm.beta, [1.95338293, 0.19448903], rtol=1e-5)
    assert_allclose(np.sqrt(np.diag(lmm.beta_covariance)), [1.25455536, 0.01076470], rtol=1e-5)


@pytest.fixture(scope="module")
def multi_trait(tutorial) -> Kron2Sum:
    model = Kron2Sum(tutorial["Y"], tutorial["A"], tutorial["M"], tutorial["L"])
    model.fit(verbose=False)
    return model


def test_multi_trait_variances_match_the_manual(multi_trait):
    assert_allclose(np.diag(multi_trait.C0), [0.01404947, 0.29153072], atol=2e-5)
    assert_allclose(np.diag(multi_trait.C1), [0.81175806, 0.85780008], atol=2e-5)


def test_manual_effect_sizes_are_a_truncated_solve_of_the_same_equations(multi_trait):
    manual_alpha = np.array([-0.16350676, -0.00299814, -0.34521236, -0.00080406])
    manual_se = np.array([11.30571652, 0.09640163, 5.36090270, 0.04573611])
    _, gls = multi_trait._evaluate()
    assert 1e8 < np.linalg.cond(gls.H) < 1e9
    truncated = np.linalg.lstsq(gls.H, gls.b, rcond=1.49e-8)[0]
    assert_allclose(truncated, manual_alpha, rtol=1e-4, atol=1e-7)

    K = multi_trait.covariance()
    y = multi_trait._Y.ravel(order="F")
    at_manual = multivariate_normal(multi_trait.M @ manual_alpha, K).logpdf(y)
    assert_allclose(at_manual, -277.3341913587698, atol=1e-3)
    # the exact solution is the better maximum
    assert multi_trait.lml() > at_manual + 0.1
    assert_allclose(multi_trait.lml(), multivariate_normal(multi_trait.mean(), K).logpdf(y))

    r = y - multi_trait.M @ manual_alpha
    scale = r @ np.linalg.solve(K, r) / y.size
    se = np.sqrt(scale * np.diag(multi_trait.beta_covariance))
    assert_allclose(se, manual_se, rtol=1e-4)
