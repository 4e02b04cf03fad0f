"""Calibration of limix.qtl.scan under the null: no candidate has an effect.

The trait has a polygenic background (through K) and noise; the candidates are independent
genotypes. The p-values must then be uniform: a Kolmogorov–Smirnov test against U(0, 1) and the
genomic-control factor λ = median(χ²₁ quantiles of the p-values)/median(χ²₁) ≈ 1.

K is the genetic relationship matrix standardised by the (known) allele frequencies of the
simulation, so it has full rank. (With a kinship standardised by the sample's own allele means,
K𝟏 = 𝟎 and the offset lies in K's null space; see ``test_scan_singular_kinship.py``.)
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chi2, kstest, multivariate_normal

from limix.qtl import scan


def _genotypes(rng, n, m):
    f = rng.uniform(0.05, 0.5, m)
    return rng.binomial(2, f, (n, m)).astype(float), f


def _relationship(rng, n, m):
    X, f = _genotypes(rng, n, m)
    Z = (X - 2 * f) / np.sqrt(2 * f * (1 - f))
    return Z, Z @ Z.T / m


def _lambda(pv):
    return float(np.median(chi2.isf(pv, 1)) / chi2.ppf(0.5, 1))


def test_normal_trait_pvalues_are_uniform_under_the_null():
    rng = np.random.RandomState(0)
    n, m, r = 300, 2000, 400
    Z, K = _relationship(rng, n, r)
    M = np.column_stack([np.ones(n), rng.randn(n)])
    y = M @ [1.0, 0.5] + Z @ rng.randn(r) * np.sqrt(0.5 / r) + rng.randn(n) * np.sqrt(0.5)
    G, _ = _genotypes(rng, n, m)
    result = scan(G, y, "normal", K, M=M, verbose=False)
    v0, v1 = result.h0.variances[["fore_covariance", "back_covariance"]].to_numpy()[0]
    assert 0.1 < v0 < 2 and 0.1 < v1 < 2  # both components are estimated, none at a bound
    # the null's lml is the dense log-density at its parameters
    alpha = result.h0.effsizes["effsize"].to_numpy()
    dense = multivariate_normal(M @ alpha, v0 * K + v1 * np.eye(n)).logpdf(y)
    np.testing.assert_allclose(result.h0.lml, dense, rtol=1e-10)
    pv = result.stats["pv20"].to_numpy()
    assert pv.shape == (m,) and np.all((pv > 0) & (pv < 1))
    assert kstest(pv, "uniform").pvalue > 1e-3
    assert 0.9 <= _lambda(pv) <= 1.1
    # a causal candidate added to the same data is found
    g = G[:, 7]
    hit = scan(g[:, None], y + 0.5 * (g - g.mean()), "normal", K, M=M, verbose=False)
    assert hit.stats["pv20"].iloc[0] < 1e-6


@pytest.mark.parametrize("lik", ["bernoulli", "probit"])
def test_binary_trait_pvalues_are_close_to_uniform_under_the_null(lik):
    """A looser check: the scan of a GLMM tests on EP pseudo-observations (an approximation),
    and 300 tests give λ a standard error of about 0.13."""
    rng = np.random.RandomState(1)
    n, m, r = 150, 300, 300
    Z, K = _relationship(rng, n, r)
    z = Z @ rng.randn(r) * np.sqrt(1 / r) + rng.randn(n) * 0.5
    y = (rng.rand(n) < 1 / (1 + np.exp(-z))).astype(float)
    G, _ = _genotypes(rng, n, m)
    result = scan(G, y, lik, K, verbose=False)
    pv = result.stats["pv20"].to_numpy()
    assert np.all(np.isfinite(pv)) and np.all((pv > 0) & (pv < 1))
    assert kstest(pv, "uniform").pvalue > 1e-3
    assert 0.75 <= _lambda(pv) <= 1.3
    assert np.all(result.stats["lml2"] >= result.stats["lml0"] - 1e-6)
