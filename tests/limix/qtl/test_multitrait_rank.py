"""Multi-trait scans: full-rank C₀ by default, dense oracles, the exact test, calibration."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import minimize
from scipy.stats import chi2

from glimix.lmm import BoundaryWarning, Kron2Sum
from limix.qtl import scan

TRUE_C0 = np.array([[0.8, -0.1], [-0.1, 0.5]])  # heritabilities differ, correlation −0.16
TRUE_C1 = np.array([[0.4, 0.1], [0.1, 0.8]])


def _simulate(n: int, seed: int, C0=TRUE_C0, C1=TRUE_C1, m: int = 20, centred=False):
    """Two traits with K of full rank (or, centred, with K𝟏 = 𝟎: see the last test)."""
    random = np.random.RandomState(seed)
    X = random.randn(n, 2 * n)
    if centred:
        X = (X - X.mean(0)) / X.std(0)
    K = X @ X.T / X.shape[1]
    w, Q = np.linalg.eigh(K)
    root = (Q * np.sqrt(np.maximum(w, 0))) @ Q.T
    U = root @ random.randn(n, 2) @ np.linalg.cholesky(C0).T
    E = random.randn(n, 2) @ np.linalg.cholesky(C1).T
    Y = U + E
    G = random.randn(n, m)
    return Y, K, G


def _dense_negative_lml(theta, y, W, K):
    """−log N(y; Wβ̂, C₀⊗K + C₁⊗I) with β̂ the GLS solution, C = LLᵀ from θ (lower triangles)."""
    n = K.shape[0]
    L0 = np.array([[theta[0], 0.0], [theta[1], theta[2]]])
    L1 = np.array([[theta[3], 0.0], [theta[4], theta[5]]])
    V = np.kron(L0 @ L0.T, K) + np.kron(L1 @ L1.T, np.eye(n))
    try:
        c = np.linalg.cholesky(V)
    except np.linalg.LinAlgError:
        return 1e12
    Wc = np.linalg.solve(c, W)
    yc = np.linalg.solve(c, y)
    beta = np.linalg.lstsq(Wc, yc, rcond=None)[0]
    r = yc - Wc @ beta
    return 0.5 * (y.size * np.log(2 * np.pi) + 2 * np.log(np.diag(c)).sum() + r @ r)


def _dense_maximum(y, W, K, start):
    fit = minimize(
        _dense_negative_lml,
        start,
        args=(y, W, K),
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 40000, "maxfev": 80000},
    )
    fit = minimize(
        _dense_negative_lml, fit.x, args=(y, W, K), method="BFGS", options={"gtol": 1e-9}
    )
    return -fit.fun, fit.x  # fmt: skip


def _theta(C0, C1):
    L0 = np.linalg.cholesky(C0 + 1e-12 * np.eye(2))
    L1 = np.linalg.cholesky(C1)
    return np.array([L0[0, 0], L0[1, 0], L0[1, 1], L1[0, 0], L1[1, 0], L1[1, 1]])


def _matrices(result, column):
    return result.h0.variances[column].to_numpy().reshape(2, 2)


def test_rank_one_visibly_fails_and_full_rank_recovers_the_covariances():
    """Unequal heritabilities and a negative genetic correlation: rank one cannot represent
    C₀ (its lml is far below the full-rank one) and gives the second trait almost none of its
    genetic variance; full rank recovers C₀ and C₁ within sampling error."""
    Y, K, G = _simulate(600, 0)
    one = scan(G, Y, K=K, verbose=False, rank=1)
    full = scan(G, Y, K=K, verbose=False)
    assert full.h0.lml - one.h0.lml > 5
    C0, C1 = _matrices(full, "fore_covariance"), _matrices(full, "back_covariance")
    # sampling error at n = 600: about 0.1 on these entries (many replicates, not shown)
    assert_allclose(C0, TRUE_C0, atol=0.2)
    assert_allclose(C1, TRUE_C1, atol=0.15)
    C0_one = _matrices(one, "fore_covariance")
    assert C0_one[1, 1] < 0.5 * TRUE_C0[1, 1]  # rank one starves the second trait
    assert abs(C0_one[0, 1]) == pytest.approx(np.sqrt(C0_one[0, 0] * C0_one[1, 1]), rel=1e-6)


def test_full_rank_null_and_the_fixed_test_against_the_dense_likelihood():
    """lml, C₀ and C₁ of the null equal a dense (np×np) Gaussian likelihood maximised by
    scipy; each candidate's fixed-covariance lml is that dense likelihood with the scale
    refitted."""
    Y, K, G = _simulate(50, 1, m=3)
    n = Y.shape[0]
    result = scan(G, Y, K=K, verbose=False)
    y = Y.ravel(order="F")
    W = np.kron(np.eye(2), np.ones((n, 1)))
    C0, C1 = _matrices(result, "fore_covariance"), _matrices(result, "back_covariance")
    best, _ = _dense_maximum(y, W, K, _theta(np.eye(2) * 0.5, np.eye(2) * 0.5))
    assert result.h0.lml == pytest.approx(best, abs=1e-6)
    assert -_dense_negative_lml(_theta(C0, C1), y, W, K) == pytest.approx(result.h0.lml, abs=1e-8)
    V = np.kron(C0, K) + np.kron(C1, np.eye(n))
    for j in range(G.shape[1]):
        Wj = np.hstack([W, np.kron(np.eye(2), G[:, [j]])])
        Vi = np.linalg.inv(V)
        beta = np.linalg.solve(Wj.T @ Vi @ Wj, Wj.T @ Vi @ y)
        r = y - Wj @ beta
        s = r @ Vi @ r / y.size
        dense = -0.5 * (y.size * np.log(2 * np.pi * s) + np.linalg.slogdet(V)[1] + y.size)
        assert result.stats["lml2"].iloc[j] == pytest.approx(dense, abs=1e-8)


def test_exact_test_against_a_dense_refit_per_candidate():
    """exact=True: each alternative's lml is the dense likelihood maximised over C₀, C₁ and
    the mean by scipy, candidate by candidate; its null is the dense null's maximum."""
    Y, K, G = _simulate(40, 2, m=4)
    n = Y.shape[0]
    G[:, 0] += 0.7 * Y[:, 0] - 0.4 * Y[:, 1]  # one candidate with an effect
    result = scan(G, Y, K=K, verbose=False, exact=True)
    y = Y.ravel(order="F")
    W = np.kron(np.eye(2), np.ones((n, 1)))
    start = _theta(_matrices(result, "fore_covariance"), _matrices(result, "back_covariance"))
    null, _ = _dense_maximum(y, W, K, start)
    assert result.h0.lml == pytest.approx(null, abs=1e-6)
    for j in range(G.shape[1]):
        Wj = np.hstack([W, np.kron(np.eye(2), G[:, [j]])])
        alt, _ = _dense_maximum(y, Wj, K, start)
        assert result.stats["lml2"].iloc[j] == pytest.approx(alt, abs=1e-6)
        assert result.stats["lml2"].iloc[j] >= alt - 1e-6
    assert result.stats["pv20"].iloc[0] < 1e-3  # 2Δlml = 18.8 on 2 dof


def test_exact_glimix_scanner_returns_the_refitted_covariances():
    Y, K, G = _simulate(40, 3, m=2)
    w, Q = np.linalg.eigh(K)
    model = Kron2Sum(Y, np.eye(2), np.ones((40, 1)), Q * np.sqrt(w), rank=2)
    model.fit(verbose=False)
    scanner = model.get_fast_scanner()
    r = scanner.scan(G, np.eye(2), exact=True)
    assert r.C0.shape == (2, 2, 2) and r.C1.shape == (2, 2, 2)
    fixed = scanner.scan(G, np.eye(2))
    assert fixed.C0 is None
    # re-estimating the covariances can only raise the likelihood of each alternative
    assert np.all(r.lml >= fixed.lml - 1e-8)
    lml0, _, _ = scanner.exact_null()
    assert lml0 >= model.lml() - 1e-9
    assert np.all(r.lml >= lml0 - 1e-9)


def test_rank_argument_is_checked():
    Y, K, G = _simulate(30, 4, m=2)
    with pytest.raises(ValueError, match="rank"):
        scan(G, Y, K=K, verbose=False, rank=3)
    with pytest.raises(ValueError, match="rank"):
        scan(G, Y[:, 0], K=K, verbose=False, rank=1)
    with pytest.raises(ValueError, match="exact"):
        scan(G, Y, K=K, verbose=False, exact="yes")
    with pytest.raises(ValueError, match="lik='normal'"):
        scan(G, (Y[:, 0] > 0).astype(float), "bernoulli", K=K, verbose=False, exact=True)


def test_the_two_degree_of_freedom_test_is_calibrated_under_the_null():
    """λ_GC of the full-rank 2-dof test over 6 null simulations × 1,500 candidates (standard
    error of λ_GC ≈ 0.02) is within 0.95–1.05."""
    stats = []
    for seed in range(6):
        Y, K, G = _simulate(200, 100 + seed, m=1500)
        result = scan(G, Y, K=K, verbose=False)
        stats.append(2 * (result.stats["lml2"] - result.stats["lml0"]).to_numpy())
    lam = np.median(np.concatenate(stats)) / chi2(2).median()
    assert 0.95 <= lam <= 1.05


def test_exact_test_with_a_centred_kinship_stays_bounded():
    """K𝟏 = 𝟎 and an offset: the maximum likelihood is unbounded as C₁ becomes singular; the
    exact test leaves the direction 𝟏 out of every likelihood, so its statistics are finite,
    non-negative and not absurd (the fixed test's are about the same)."""
    Y, K, G = _simulate(60, 5, m=6, centred=True)
    exact = scan(G, Y, K=K, verbose=False, exact=True)
    fixed = scan(G, Y, K=K, verbose=False)
    lrt = 2 * (exact.stats["lml2"] - exact.stats["lml0"]).to_numpy()
    assert np.all(np.isfinite(lrt)) and np.all(lrt >= -1e-8)
    lrt_fixed = 2 * (fixed.stats["lml2"] - fixed.stats["lml0"]).to_numpy()
    assert_allclose(lrt, lrt_fixed, atol=2.0)


def test_centred_kinship_with_an_intercept_keeps_every_candidate():
    """K𝟏 = 𝟎 and an offset, few samples: the fitted C₁ is singular (a correlation of ±1 in
    the noise is this sample's estimate), yet every candidate of full-rank design keeps dof 2
    and a real p-value (the scan's pseudo-inverse works on the design, not on C₁)."""
    Y, K, G = _simulate(40, 0, m=40, centred=True)
    with pytest.warns(BoundaryWarning):
        result = scan(G, Y, K=K, verbose=False)
    C1 = _matrices(result, "back_covariance")
    assert np.linalg.eigvalsh(C1)[0] < 1e-6 * np.trace(C1)  # singular
    assert (result.stats["dof20"] == 2).all()
    pv = result.stats["pv20"].to_numpy()
    assert np.all((pv > 0) & (pv < 1)) and np.all(np.isfinite(pv))
