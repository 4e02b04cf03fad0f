"""Single-precision rotations (dtype="float32"): −log₁₀ p within 10⁻⁴ of double precision on
every kinship shape, for the fixed-ratio and the exact scans; clear errors where unsupported."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chi2

from glimix.linalg import economic_qs
from glimix.lmm import LMM


def _neg_log10_p(lml, null_lml):
    return -chi2.logsf(np.maximum(2 * (lml - null_lml), 0), 1) / np.log(10)


def _problem(shape: str, seed: int = 0, n: int = 300, m: int = 400):
    rng = np.random.default_rng(seed)
    X = rng.binomial(2, 0.3, size=(n, 2 * n)).astype(float)
    Z = (X - X.mean(0)) / X.std(0)
    K = {
        "full": X @ X.T / X.shape[1] + 0.05 * np.eye(n),
        "centred": Z @ Z.T / Z.shape[1],  # singular: K𝟏 = 0 (the whitened path)
        "low-rank": Z[:, :60] @ Z[:, :60].T / 60,  # rank 60 < n (the product path)
    }[shape]
    G = rng.binomial(2, rng.uniform(0.05, 0.5, m), size=(n, m)).astype(float)
    M = np.column_stack([np.ones(n), rng.normal(size=n)])
    genetic = Z @ rng.normal(0, 0.6 / np.sqrt(Z.shape[1]), Z.shape[1])
    y = M @ [0.2, 0.3] + genetic + G[:, :4] @ np.full(4, 0.4) + rng.normal(size=n)
    lmm = LMM(y, M, economic_qs(K))
    lmm.fit(verbose=False)
    return lmm.get_fast_scanner(), G


@pytest.mark.parametrize("shape", ["full", "centred", "low-rank"])
@pytest.mark.parametrize("exact", [False, True])
def test_single_precision_agrees_with_double(shape, exact):
    scanner, G = _problem(shape)
    double = scanner.fast_scan(G, verbose=False, exact=exact)
    single = scanner.fast_scan(G, verbose=False, exact=exact, dtype="float32")
    null = scanner.null_lml()
    difference = np.abs(_neg_log10_p(single["lml"], null) - _neg_log10_p(double["lml"], null))
    assert difference.max() < 1e-4
    assert _neg_log10_p(double["lml"], null).max() > 5  # the causal variants are in the test
    # the single-precision product is really used: the results differ in the last digits
    assert not np.array_equal(single["lml"], double["lml"])
    np.testing.assert_allclose(single["effsizes1"], double["effsizes1"], rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(single["scale"], double["scale"], rtol=1e-6)


def test_single_precision_refusals():
    scanner, G = _problem("full", n=50, m=5)
    with pytest.raises(ValueError, match="dtype must be 'float64' or 'float32'"):
        scanner.fast_scan(G, verbose=False, dtype="float16")
    with pytest.raises(ValueError, match="dtype must be"):
        scanner.fast_scan(G, verbose=False, dtype=True)
    with pytest.raises(ValueError, match="single columns"):
        scanner.fast_scan(np.stack([G, G], axis=2), verbose=False, dtype="float32")
    with pytest.raises(ValueError, match="without a design"):
        scanner.test(G, design=np.ones((50, 2)), dtype="float32")
    same = scanner.fast_scan(G, verbose=False, dtype=np.float64)
    np.testing.assert_array_equal(same["lml"], scanner.fast_scan(G, verbose=False)["lml"])
