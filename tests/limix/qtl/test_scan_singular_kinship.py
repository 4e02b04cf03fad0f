"""Scans with a singular kinship: K = limix.stats.linear_kinship(X) has K𝟏 = 𝟎 (the genotypes
are centred by their sample means), so the offset lies in K's null space.

Two things went wrong here before: glimix's LMM evaluated its likelihood near 𝛿 → 0 from a
difference of two numbers of size 1/𝛿 (now a QR-based least squares, accurate to the dense
log-density), and the maximum-likelihood problem itself is degenerate — the log-density grows
like ½ log(1/𝛿) as 𝛿 → 0 because the offset absorbs the null direction exactly, so its
supremum is a spurious spike at v₁ = 0 that inflated every test (λ_GC = 12.9). limix.qtl now
estimates 𝛿 by REML in that case (the restricted likelihood has no spike) and keeps maximum
likelihoods for the tests.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.stats import chi2

from limix.qtl import scan
from limix.stats import linear_kinship

from .test_scan_dense import dense_profile


def _data(seed, n, r=100, m=5):
    rng = np.random.RandomState(seed)
    f = rng.uniform(0.05, 0.5, r)
    X = rng.binomial(2, f, (n, r)).astype(float)
    K = linear_kinship(X, verbose=False)
    M = np.column_stack([np.ones(n), rng.randn(n)])
    Z = (X - X.mean(0)) / X.std(0)
    y = M @ [1.0, 0.5] + Z @ rng.randn(r) * np.sqrt(0.5 / r) + rng.randn(n) * np.sqrt(0.5)
    G = rng.randn(n, m)
    return y, M, K, G


def test_the_kinship_is_singular_with_the_offset_in_its_null_space():
    _, _, K, _ = _data(5, 60)
    assert np.abs(K @ np.ones(60)).max() < 1e-10
    assert np.linalg.eigvalsh(K)[1] > 1e-3  # one null direction only


def test_null_lml_is_the_dense_log_density_at_the_reported_parameters():
    y, M, K, G = _data(5, 60)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = scan(G, y, "normal", K, M=M, verbose=False)
    v = result.h0.variances
    v0, v1 = float(v["fore_covariance"].iloc[0]), float(v["back_covariance"].iloc[0])
    dense = dense_profile(y, M, v0 * K + v1 * np.eye(len(y)))[0]  # −275.1; −36.7 reported
    np.testing.assert_allclose(result.h0.lml, dense, rtol=1e-6)


def test_the_null_fit_emits_no_runtime_warning():
    y, M, K, G = _data(0, 60)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        scan(G, y, "normal", K, M=M, verbose=False)


def test_null_pvalues_are_calibrated_with_a_centred_kinship():
    """1000 null candidates: λ_GC = 12.9 here (1.00 with K + 10⁻⁶I on the same data)."""
    y, M, K, G = _data(5, 60, m=1000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = scan(G, y, "normal", K, M=M, verbose=False)
    lam = np.median(chi2.isf(result.stats["pv20"], 1)) / chi2.ppf(0.5, 1)
    assert 0.75 <= lam <= 1.33
