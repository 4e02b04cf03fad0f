"""limix.qtl.scan against dense textbook maximum likelihood on small data.

Every reference value here is computed from an explicit covariance matrix: generalised least
squares by a Cholesky factor of V, the log-density by ``scipy.stats.multivariate_normal``, the
null's variances by ``scipy.optimize`` on that dense log-density. Nothing of glimix is used.

The helpers (``dense_*``) are imported by ``test_iscan.py`` as well.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.linalg
import xarray as xr
from numpy.testing import assert_allclose
from scipy.optimize import minimize
from scipy.stats import chi2, multivariate_normal

from limix._data import DroppedSamplesWarning, ImputedGenotypesWarning, genotype_blocks
from limix.qtl import scan

# -- dense references -----------------------------------------------------------------------------


def dense_gls(y, E, V):
    """Maximum-likelihood fit of y ∼ 𝓝(Eβ, sV), V fixed: (lml, β, se(β), s).

    β by GLS through the Cholesky factor of V, s = rᵀV⁻¹r/n, se = √diag(s(EᵀV⁻¹E)⁻¹) and the
    lml is scipy's multivariate normal log-density at (Eβ, sV).
    """
    n = y.shape[0]
    L = np.linalg.cholesky(V)
    Ew = scipy.linalg.solve_triangular(L, E, lower=True)
    yw = scipy.linalg.solve_triangular(L, y, lower=True)
    beta = np.linalg.lstsq(Ew, yw, rcond=None)[0]
    r = yw - Ew @ beta
    s = float(r @ r) / n
    se = np.sqrt(np.diag(s * np.linalg.pinv(Ew.T @ Ew)))
    lml = float(multivariate_normal(E @ beta, s * V).logpdf(y))
    return lml, beta, se, s


def _cholesky_profile(y, M, V):
    """max over 𝜶 of log 𝓝(y; M𝜶, V) by a Cholesky factor of V: (lml, 𝜶)."""
    n = y.shape[0]
    L = np.linalg.cholesky(V)
    Mw = scipy.linalg.solve_triangular(L, M, lower=True)
    yw = scipy.linalg.solve_triangular(L, y, lower=True)
    alpha = np.linalg.lstsq(Mw, yw, rcond=None)[0]
    r = yw - Mw @ alpha
    logdet = 2 * np.sum(np.log(np.diag(L)))
    return -0.5 * (n * np.log(2 * np.pi) + logdet + float(r @ r)), alpha


def dense_profile(y, M, V):
    """max over 𝜶 of log 𝓝(y; M𝜶, V) (V the absolute covariance, no scale); the value by
    scipy's multivariate normal log-density."""
    alpha = _cholesky_profile(y, M, V)[1]
    return float(multivariate_normal(M @ alpha, V).logpdf(y)), alpha


def dense_null(y, M, K):
    """ML of y ∼ 𝓝(M𝜶, v₀K + v₁I) over (v₀, v₁, 𝜶): L-BFGS-B over log v₀, log v₁ from two
    starts, 𝜶 at its GLS optimum; returns (lml, v₀, v₁, 𝜶, se(𝜶))."""
    n = y.shape[0]
    eye = np.eye(n)

    def negative(theta):
        return -_cholesky_profile(y, M, np.exp(theta[0]) * K + np.exp(theta[1]) * eye)[0]

    total = np.log(np.var(y))
    fits = [
        minimize(
            negative,
            [total + a, total + b],
            method="L-BFGS-B",
            options={"ftol": 1e-15, "gtol": 1e-9},
        )
        for a, b in [(-0.7, -0.7), (-3.0, 0.0)]
    ]
    best = min(fits, key=lambda f: f.fun)
    v0, v1 = np.exp(best.x)
    V = v0 * K + v1 * eye
    lml, alpha = dense_profile(y, M, V)
    se = np.sqrt(np.diag(np.linalg.inv(M.T @ np.linalg.solve(V, M))))
    return lml, v0, v1, alpha, se


def effsize_table(result, key="h2"):
    """(covariate effects m×c, their se, candidate effects m×k, their se) from the long table."""
    table = result.effsizes[key]
    m = result.stats.shape[0]
    cov = table[table["effect_type"] == "covariate"]
    cand = table[table["effect_type"] == "candidate"]
    return (
        cov["effsize"].to_numpy().reshape(m, -1),
        cov["effsize_se"].to_numpy().reshape(m, -1),
        cand["effsize"].to_numpy().reshape(m, -1),
        cand["effsize_se"].to_numpy().reshape(m, -1),
    )


def null_variances(result):
    v = result.h0.variances
    return float(v["fore_covariance"].iloc[0]), float(v["back_covariance"].iloc[0])


# -- data -----------------------------------------------------------------------------------------


def _lmm_data(seed=0, n=50, m=5):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, 80)
    K = X @ X.T / 80
    M = np.column_stack([np.ones(n), rng.randn(n)])
    G = rng.randn(n, m)
    G[:, 3] = rng.binomial(2, 0.3, n)  # a genotype-like candidate
    y = M @ [0.7, -0.4] + X @ rng.randn(80) * 0.13 + rng.randn(n) * 0.9 + 0.9 * G[:, 0]
    return y, M, K, G


@pytest.fixture(scope="module")
def lmm_data():
    return _lmm_data()


@pytest.fixture(scope="module")
def lmm_dense_null(lmm_data):
    y, M, K, _ = lmm_data
    return dense_null(y, M, K)


@pytest.fixture(scope="module")
def lmm_result(lmm_data):
    y, M, K, G = lmm_data
    return scan(G, y, "normal", K, M=M, verbose=False)


# -- single trait with K --------------------------------------------------------------------------


def test_null_is_the_dense_maximum_likelihood(lmm_data, lmm_result, lmm_dense_null):
    y, M, K, _ = lmm_data
    lml, v0, v1, alpha, se = lmm_dense_null
    assert v0 > 0.05 and v1 > 0.05  # an interior optimum: the test is not at a boundary
    h0 = lmm_result.h0
    assert_allclose(h0.lml, lml, rtol=1e-9)
    assert h0.lml <= lml + 1e-7  # nothing beats the maximum
    assert_allclose(null_variances(lmm_result), [v0, v1], rtol=1e-3)
    assert_allclose(h0.effsizes["effsize"], alpha, rtol=1e-4)
    assert_allclose(h0.effsizes["effsize_se"], se, rtol=1e-4)
    # and at the variances it reports, its lml is the dense log-density
    v0, v1 = null_variances(lmm_result)
    at_reported, alpha = dense_profile(y, M, v0 * K + v1 * np.eye(len(y)))
    assert_allclose(h0.lml, at_reported, rtol=1e-11)
    assert_allclose(h0.effsizes["effsize"], alpha, rtol=1e-8)


def test_each_candidate_is_a_dense_gls_fit_at_the_null_ratio(lmm_data, lmm_result):
    y, M, K, G = lmm_data
    v0, v1 = null_variances(lmm_result)
    V = v0 * K + v1 * np.eye(len(y))
    cov, cov_se, cand, cand_se = effsize_table(lmm_result)
    stats = lmm_result.stats
    for j in range(G.shape[1]):
        lml, beta, se, s = dense_gls(y, np.column_stack([M, G[:, j]]), V)
        assert_allclose(stats["lml2"].iloc[j], lml, rtol=1e-10)
        assert_allclose(stats["scale2"].iloc[j], s, rtol=1e-8)
        assert_allclose(cov[j], beta[:2], rtol=1e-7, atol=1e-10)
        assert_allclose(cand[j], beta[2:], rtol=1e-7, atol=1e-10)
        assert_allclose(cov_se[j], se[:2], rtol=1e-7)
        assert_allclose(cand_se[j], se[2:], rtol=1e-7)
    assert (stats["dof20"] == 1).all()


def test_pvalues_are_chi2_of_the_dense_likelihood_ratio(lmm_data, lmm_result, lmm_dense_null):
    y, M, K, G = lmm_data
    lml0 = lmm_dense_null[0]
    v0, v1 = null_variances(lmm_result)
    V = v0 * K + v1 * np.eye(len(y))
    lml2 = np.array([dense_gls(y, np.column_stack([M, g]), V)[0] for g in G.T])
    expected = chi2.sf(2 * (lml2 - lml0), 1)
    assert_allclose(lmm_result.stats["pv20"], expected, rtol=1e-5)
    assert lmm_result.stats["pv20"].iloc[0] < 1e-3  # the causal candidate


# -- linear model (no K) --------------------------------------------------------------------------


def test_linear_model_without_kinship_is_ordinary_least_squares(lmm_data):
    y, M, _, G = lmm_data
    n = len(y)
    result = scan(G, y, "normal", M=M, verbose=False)
    alpha = np.linalg.lstsq(M, y, rcond=None)[0]
    rss = float(np.sum((y - M @ alpha) ** 2))
    v1 = rss / n
    lml0 = float(multivariate_normal(M @ alpha, v1 * np.eye(n)).logpdf(y))
    assert_allclose(result.h0.lml, lml0, rtol=1e-12)
    assert_allclose(result.h0.effsizes["effsize"], alpha, rtol=1e-10)
    se0 = np.sqrt(np.diag(v1 * np.linalg.inv(M.T @ M)))
    assert_allclose(result.h0.effsizes["effsize_se"], se0, rtol=1e-10)
    v0_missing, v1_fitted = null_variances(result)
    assert np.isnan(v0_missing)  # no kinship: no foreground variance (missing, not 0)
    assert_allclose(v1_fitted, v1, rtol=1e-10)
    assert result.h0.formula == f"𝐲 ~ 𝓝(𝙼𝜶, {v1:.3f}⋅𝙸)"
    cov, cov_se, cand, cand_se = effsize_table(result)
    for j, g in enumerate(G.T):
        lml, beta, se, s = dense_gls(y, np.column_stack([M, g]), v1 * np.eye(n))
        assert_allclose(result.stats["lml2"].iloc[j], lml, rtol=1e-12)
        assert_allclose(result.stats["scale2"].iloc[j], s, rtol=1e-10)
        assert_allclose(np.r_[cov[j], cand[j]], beta, rtol=1e-9, atol=1e-12)
        assert_allclose(np.r_[cov_se[j], cand_se[j]], se, rtol=1e-9)
        assert_allclose(result.stats["pv20"].iloc[j], chi2.sf(2 * (lml - lml0), 1), rtol=1e-8)


# -- candidate sets -------------------------------------------------------------------------------


@pytest.mark.parametrize("by_label", [False, True])
def test_candidate_sets_are_dense_fits_with_dof_the_set_size(lmm_data, lmm_result, by_label):
    y, M, K, G = lmm_data
    sets = [[0, 2], [1], [0, 1, 3, 4]]
    names = [f"snp{j}" for j in range(G.shape[1])]
    if by_label:
        Gin = pd.DataFrame(G, columns=names)
        idx = [[names[j] for j in s] for s in sets]
    else:
        Gin, idx = G, sets
    result = scan(Gin, y, "normal", K, M=M, idx=idx, verbose=False)
    assert list(result.stats.columns) == ["lml0", "lml2", "dof20", "scale2", "pv20"]
    assert_allclose(result.h0.lml, lmm_result.h0.lml, rtol=1e-12)
    v0, v1 = null_variances(result)
    V = v0 * K + v1 * np.eye(len(y))
    table = result.effsizes["h2"]
    for t, members in enumerate(sets):
        lml, beta, se, s = dense_gls(y, np.column_stack([M, G[:, members]]), V)
        row = result.stats.iloc[t]
        assert_allclose(row["lml2"], lml, rtol=1e-10)
        assert row["dof20"] == len(members)
        assert_allclose(row["scale2"], s, rtol=1e-8)
        assert_allclose(row["pv20"], chi2.sf(2 * (lml - result.h0.lml), len(members)), rtol=1e-6)
        mine = table[table["test"] == t]
        assert_allclose(mine["effsize"], beta, rtol=1e-7, atol=1e-10)
        assert_allclose(mine["effsize_se"], se, rtol=1e-7)
        cand = mine[mine["effect_type"] == "candidate"]["effect_name"].tolist()
        assert cand == ([names[j] for j in members] if by_label else [str(j) for j in members])


def test_a_set_of_one_equals_the_single_candidate_scan(lmm_data, lmm_result):
    y, M, K, G = lmm_data
    result = scan(G, y, "normal", K, M=M, idx=[[j] for j in range(G.shape[1])], verbose=False)
    assert_allclose(result.stats.to_numpy(), lmm_result.stats.to_numpy(), rtol=1e-9)


def test_candidate_set_with_missing_genotypes_is_mean_imputed_with_a_warning(lmm_data):
    y, M, K, G = lmm_data
    Gm = G.copy()
    Gm[[4, 11], 2] = np.nan
    with pytest.warns(ImputedGenotypesWarning):
        result = scan(Gm, y, "normal", K, M=M, idx=[[0, 2]], verbose=False)
    imputed = Gm[:, [0, 2]].copy()
    imputed[[4, 11], 1] = np.nanmean(Gm[:, 2])
    v0, v1 = null_variances(result)
    lml = dense_gls(y, np.column_stack([M, imputed]), v0 * K + v1 * np.eye(len(y)))[0]
    assert_allclose(result.stats["lml2"].iloc[0], lml, rtol=1e-10)


def test_a_set_wider_than_a_genotype_block_is_tested_whole(lmm_data, lmm_result, monkeypatch):
    """Genotypes are streamed in blocks of a memory budget (64 MiB: 16 candidates at 500 000
    samples); a set spanning several blocks must use all of its candidates. Here G is a dask
    array of one-candidate chunks and the budget is shrunk to one candidate per block."""
    import dask.array as da

    import limix.qtl._single as single

    y, M, K, G = lmm_data
    narrow = functools.partial(genotype_blocks, budget=8 * len(y))
    monkeypatch.setattr(single, "genotype_blocks", narrow)
    members = [0, 1, 3]
    Gd = da.from_array(G, chunks=(len(y), 1))
    result = scan(Gd, y, "normal", K, M=M, idx=[members], verbose=False)
    v0, v1 = null_variances(result)
    lml = dense_gls(y, np.column_stack([M, G[:, members]]), v0 * K + v1 * np.eye(len(y)))[0]
    assert_allclose(result.stats["lml2"].iloc[0], lml, rtol=1e-10)
    table = result.effsizes["h2"]
    assert (table["effect_type"] == "candidate").sum() == 3


def test_candidate_set_errors(lmm_data):
    y, M, K, G = lmm_data
    with pytest.raises(ValueError, match="outside"):
        scan(G, y, "normal", K, M=M, idx=[[0, 99]], verbose=False)
    with pytest.raises(ValueError, match="empty"):
        scan(G, y, "normal", K, M=M, idx=[[]], verbose=False)


# -- sample alignment and missing values ----------------------------------------------------------


def test_labelled_shuffled_inputs_equal_prealigned_numpy(lmm_data, lmm_result):
    y, M, K, G = lmm_data
    n, m = G.shape
    labels = np.array([f"s{i:02d}" for i in range(n)])
    rng = np.random.RandomState(5)
    py, pM, pK, pG = (rng.permutation(n) for _ in range(4))
    y_s = pd.Series(y[py], index=labels[py], name="trait")
    M_s = pd.DataFrame(M[pM], index=labels[pM], columns=["offset", "x"])
    K_s = xr.DataArray(
        K[np.ix_(pK, pK)],
        dims=("sample_0", "sample_1"),
        coords={"sample_0": labels[pK], "sample_1": labels[pK]},
    )
    G_s = xr.DataArray(
        G[pG],
        dims=("sample", "candidate"),
        coords={"sample": labels[pG], "candidate": [f"c{j}" for j in range(m)]},
    )
    shuffled = scan(G_s, y_s, "normal", K_s, M=M_s, verbose=False)
    # the reference: numpy arrays already in y_s's sample order
    reference = scan(G[py], y[py], "normal", K[np.ix_(py, py)], M=M[py], verbose=False)
    assert_allclose(shuffled.h0.lml, reference.h0.lml, rtol=1e-11)
    assert_allclose(shuffled.h0.lml, lmm_result.h0.lml, rtol=1e-10)
    assert_allclose(shuffled.stats.to_numpy(), reference.stats.to_numpy(), rtol=1e-8)
    for a, b in [(shuffled, reference), (shuffled, lmm_result)]:
        ea, eb = a.effsizes["h2"], b.effsizes["h2"]
        assert_allclose(ea["effsize"], eb["effsize"], rtol=1e-7, atol=1e-10)
        assert_allclose(ea["effsize_se"], eb["effsize_se"], rtol=1e-7)
    cand = shuffled.effsizes["h2"].query("effect_type == 'candidate'")["effect_name"]
    assert cand.tolist() == [f"c{j}" for j in range(m)]
    assert shuffled.h0.covariates == ["offset", "x"]


def test_pandas_kinship_with_labels_is_aligned(lmm_data, lmm_result):
    y, M, K, G = lmm_data
    n = len(y)
    labels = np.array([f"s{i:02d}" for i in range(n)])
    p = np.random.RandomState(9).permutation(n)
    K_df = pd.DataFrame(K[np.ix_(p, p)], index=labels[p], columns=labels[p])
    y_s = pd.Series(y, index=labels)
    result = scan(G, y_s, "normal", K_df, M=M, verbose=False)
    assert_allclose(result.stats.to_numpy(), lmm_result.stats.to_numpy(), rtol=1e-8)


def test_missing_trait_values_are_dropped_with_a_warning(lmm_data):
    y, M, K, G = lmm_data
    missing = np.array([3, 17, 30])
    y_nan = y.copy()
    y_nan[missing] = np.nan
    with pytest.warns(DroppedSamplesWarning, match="3 of the 50 samples"):
        result = scan(G, y_nan, "normal", K, M=M, verbose=False)
    keep = np.setdiff1d(np.arange(len(y)), missing)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Kk = K[np.ix_(keep, keep)]
        reference = scan(G[keep], y[keep], "normal", Kk, M=M[keep], verbose=False)
    assert_allclose(result.stats.to_numpy(), reference.stats.to_numpy(), rtol=1e-9)


def test_unlabelled_inputs_of_different_lengths_are_an_error(lmm_data):
    y, M, K, G = lmm_data
    with pytest.raises(ValueError, match="M"):
        scan(G, y, "normal", K, M=M[:-1], verbose=False)


# -- multi-trait ----------------------------------------------------------------------------------


def _multi_data():
    rng = np.random.RandomState(3)
    n, p = 30, 2
    X = rng.randn(n, 40)
    K = X @ X.T / 40
    M = np.column_stack([np.ones(n), rng.randn(n)])
    G = rng.randn(n, 3)
    U = X @ rng.randn(40, 1) * 0.2 @ np.array([[1.0, 0.6]])  # rank-1 genetic background
    E = rng.randn(n, p) @ np.array([[1.0, 0.3], [0.0, 0.8]])
    Y = M @ rng.randn(2, p) + U + E + 0.5 * G[:, [0]] @ np.array([[1.0, -0.5]])
    return Y, M, K, G


def _multi_matrices(result, p):
    v = result.h0.variances
    C0 = v["fore_covariance"].to_numpy().reshape(p, p)
    C1 = v["back_covariance"].to_numpy().reshape(p, p)
    return C0, C1


def test_multi_trait_scan_is_dense_gls_on_the_kronecker_covariance():
    Y, M, K, G = _multi_data()
    n, p = Y.shape
    A0 = np.ones((p, 1))
    A1 = np.array([[1.0], [-1.0]])  # [A0 A1] of full rank: effect sizes are identified
    result = scan(G, Y, "normal", K, M=M, A0=A0, A1=A1, verbose=False)
    C0, C1 = _multi_matrices(result, p)
    assert list(result.h0.variances.columns) == [
        "trait0", "trait1", "fore_covariance", "back_covariance",
    ]  # fmt: skip
    y = Y.ravel(order="F")
    V = np.kron(C0, K) + np.kron(C1, np.eye(n))
    W = np.kron(np.eye(p), M)
    lml0, alpha = dense_profile(y, W, V)
    assert_allclose(result.h0.lml, lml0, rtol=1e-10)
    assert_allclose(result.h0.effsizes["effsize"], alpha, rtol=1e-7, atol=1e-10)
    se0 = np.sqrt(np.diag(np.linalg.inv(W.T @ np.linalg.solve(V, W))))
    assert_allclose(result.h0.effsizes["effsize_se"], se0, rtol=1e-6)
    stats = result.stats
    designs = {1: A0, 2: np.hstack([A0, A1])}
    for k, design in designs.items():
        cov, cov_se, cand, cand_se = effsize_table(result, f"h{k}")
        for j, g in enumerate(G.T):
            lml, beta, se, s = dense_gls(y, np.hstack([W, np.kron(design, g[:, None])]), V)
            assert_allclose(stats[f"lml{k}"].iloc[j], lml, rtol=1e-9)
            assert_allclose(stats[f"scale{k}"].iloc[j], s, rtol=1e-7)
            assert stats[f"dof{k}0"].iloc[j] == design.shape[1]
            assert_allclose(cov[j], beta[: 2 * p], rtol=1e-6, atol=1e-9)
            assert_allclose(cand[j], beta[2 * p :], rtol=1e-6, atol=1e-9)
            assert_allclose(np.r_[cov_se[j], cand_se[j]], se, rtol=1e-6)
            expected = chi2.sf(2 * (lml - lml0), design.shape[1])
            assert_allclose(stats[f"pv{k}0"].iloc[j], expected, rtol=1e-5)
    assert_allclose(stats["pv21"], chi2.sf(2 * (stats["lml2"] - stats["lml1"]), 1), rtol=1e-10)
    assert stats["pv20"].iloc[0] < 1e-3  # the causal candidate


def test_multi_trait_rank_deficient_alternative_counts_its_rank():
    """With A0 = 𝟏 and A1 = I (the manual's designs), [A0 A1] has rank 2 < 3 columns: the
    alternative spans a 2-dimensional space (dof 2) and its fitted mean is unique."""
    Y, M, K, G = _multi_data()
    n, p = Y.shape
    A0, A1 = np.ones((p, 1)), np.eye(p)
    result = scan(G, Y, "normal", K, M=M, A0=A0, A1=A1, verbose=False)
    C0, C1 = _multi_matrices(result, p)
    y = Y.ravel(order="F")
    V = np.kron(C0, K) + np.kron(C1, np.eye(n))
    W = np.kron(np.eye(p), M)
    cov, _, cand, _ = effsize_table(result, "h2")
    for j, g in enumerate(G.T):
        E = np.hstack([W, np.kron(np.hstack([A0, A1]), g[:, None])])
        lml, beta, _, _ = dense_gls(y, E, V)
        assert_allclose(result.stats["lml2"].iloc[j], lml, rtol=1e-9)
        assert_allclose(E @ np.r_[cov[j], cand[j]], E @ beta, rtol=1e-6, atol=1e-8)
    assert (result.stats["dof20"] == 2).all() and (result.stats["dof21"] == 1).all()


def test_multi_trait_null_is_a_dense_maximum():
    """C₀ (rank one, the manual's model) and C₁ maximise the dense likelihood: an optimiser
    started at the reported values finds nothing better, and one from a generic start finds
    them."""
    Y, M, K, G = _multi_data()
    n, p = Y.shape
    result = scan(G, Y, "normal", K, M=M, verbose=False, rank=1)
    C0, C1 = _multi_matrices(result, p)
    assert np.linalg.matrix_rank(C0, tol=1e-8 * np.abs(C0).max()) == 1
    y = Y.ravel(order="F")
    W = np.kron(np.eye(p), M)
    eye = np.eye(n)

    def unpack(theta):
        c = theta[:p]
        L = np.array([[np.exp(theta[2]), 0.0], [theta[3], np.exp(theta[4])]])
        return np.outer(c, c), L @ L.T

    def negative(theta):
        A, B = unpack(theta)
        return -_cholesky_profile(y, W, np.kron(A, K) + np.kron(B, eye))[0]

    w, Q = np.linalg.eigh(C0)
    c = Q[:, -1] * np.sqrt(max(w[-1], 0.0))
    L1 = np.linalg.cholesky(C1)
    start = np.r_[c, np.log(L1[0, 0]), L1[1, 0], np.log(L1[1, 1])]
    assert_allclose(-negative(start), result.h0.lml, rtol=1e-10)
    options = {"ftol": 1e-14, "gtol": 1e-9}
    local = minimize(negative, start, method="L-BFGS-B", options=options)
    generic = minimize(negative, [0.3, 0.3, 0.0, 0.0, 0.0], method="L-BFGS-B", options=options)
    assert -local.fun <= result.h0.lml + 1e-7
    assert_allclose(-generic.fun, result.h0.lml, rtol=1e-9)
    assert_allclose(unpack(generic.x)[0], C0, atol=1e-4)
    assert_allclose(unpack(generic.x)[1], C1, atol=1e-4)
