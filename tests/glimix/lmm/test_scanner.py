"""FastScanner against the dense textbook formulas, candidate by candidate."""

from __future__ import annotations

import numpy as np
import pytest

from glimix.linalg import economic_qs_linear
from glimix.lmm import LMM, FastScanner

from .._lazy import LazyColumns
from . import _lmm_dense as dense
from . import _problems as problems

N = 16


def _problem(kind: str, covariates: str, seed: int = 0, m: int = 7):
    rng = np.random.default_rng(seed)
    K, QS = problems.kinship(rng, N, kind, rank=5, return_q1=False)
    X = problems.covariates(rng, N, covariates)
    G = rng.normal(size=(N, m))
    y = (
        X @ rng.normal(size=X.shape[1])
        + G[:, 0]
        + rng.multivariate_normal(np.zeros(N), 0.8 * K + 0.5 * np.eye(N))
    )
    return y, X, K, QS, G


KINDS = ["full", "low", "none"]
COVARIATES = ["one", "three", "deficient", "none"]


def _dense_candidate(y, X, V, g):
    E = np.column_stack([X, g])
    lml, beta, s, se, _ = dense.ml(y, E, V)
    return lml, beta, s, se


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("covariates", COVARIATES)
def test_null_model_matches_dense(kind, covariates):
    y, X, K, QS, _ = _problem(kind, covariates)
    v = 0.7
    scanner = FastScanner(y, X, QS, v)
    V = K + v * np.eye(N)
    lml, beta, s, se, cov = dense.ml(y, X, V)
    assert scanner.null_lml() == pytest.approx(lml, rel=1e-10)
    np.testing.assert_allclose(scanner.null_beta, beta, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(scanner.null_beta_covariance, cov, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(scanner.null_beta_se, se, rtol=1e-8, atol=1e-12)
    assert scanner.null_scale == pytest.approx(s, rel=1e-10)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("covariates", COVARIATES)
def test_fast_scan_matches_dense_per_candidate(kind, covariates):
    y, X, K, QS, G = _problem(kind, covariates, seed=1)
    v = 0.4
    scanner = FastScanner(y, X, QS, v)
    r = scanner.fast_scan(G, verbose=False)
    V = K + v * np.eye(N)
    c = X.shape[1]
    for j in range(G.shape[1]):
        lml, beta, s, se = _dense_candidate(y, X, V, G[:, j])
        assert r["lml"][j] == pytest.approx(lml, rel=1e-10)
        assert r["scale"][j] == pytest.approx(s, rel=1e-9)
        assert r["effsizes1"][j] == pytest.approx(beta[c], rel=1e-8, abs=1e-10)
        assert r["effsizes1_se"][j] == pytest.approx(se[c], rel=1e-8)
        np.testing.assert_allclose(r["effsizes0"][j], beta[:c], rtol=1e-7, atol=1e-9)
        np.testing.assert_allclose(r["effsizes0_se"][j], se[:c], rtol=1e-7, atol=1e-10)
    assert r["effsizes0"].shape == (G.shape[1], c)


@pytest.mark.parametrize("budget", [1, 8 * 40 * N, 10**9])
def test_blocks_of_any_width_give_the_same_result(budget):
    y, X, _, QS, G = _problem("low", "three", seed=2, m=23)
    scanner = FastScanner(y, X, QS, 0.3)
    whole = scanner.fast_scan(G, verbose=False)
    blocked = scanner.fast_scan(G, verbose=False, memory_budget=budget)
    for key, value in whole.items():
        np.testing.assert_allclose(blocked[key], value, rtol=1e-12, atol=1e-14)


def test_lmm_scanner_uses_the_fitted_variances_and_keeps_the_null():
    y, X, K, QS, G = _problem("full", "three", seed=3)
    lmm = LMM(y, X, QS)
    lmm.fit(verbose=False)
    scanner = lmm.get_fast_scanner()
    assert scanner.null_lml() == pytest.approx(lmm.lml(), rel=1e-10)
    assert scanner.null_scale == pytest.approx(1.0, rel=1e-8)
    np.testing.assert_allclose(scanner.null_beta, lmm.beta, rtol=1e-8)
    V = lmm.v0 * K + lmm.v1 * np.eye(N)
    r = scanner.fast_scan(G, verbose=False)
    for j in range(G.shape[1]):
        assert r["lml"][j] == pytest.approx(_dense_candidate(y, X, V, G[:, j])[0], rel=1e-10)
    assert np.all(r["lml"] >= scanner.null_lml() - 1e-9)


def test_restricted_lmm_scanner_reports_maximum_likelihoods():
    y, X, K, QS, G = _problem("low", "one", seed=4)
    lmm = LMM(y, X, QS, restricted=True)
    lmm.fit(verbose=False)
    scanner = lmm.get_fast_scanner()
    V = lmm.v0 * K + lmm.v1 * np.eye(N)
    assert scanner.null_lml() == pytest.approx(dense.ml(y, X, V)[0], rel=1e-10)
    r = scanner.fast_scan(G, verbose=False)
    assert r["lml"][0] == pytest.approx(_dense_candidate(y, X, V, G[:, 0])[0], rel=1e-10)


def test_candidates_in_the_span_of_the_covariates_have_no_effect():
    y, X, _, QS, G = _problem("low", "three", seed=5)
    scanner = FastScanner(y, X, QS, 0.5)
    G = np.column_stack([np.full(N, 2.0), np.zeros(N), X[:, 1] * 3 - X[:, 0], G[:, 0]])
    r = scanner.fast_scan(G, verbose=False)
    np.testing.assert_array_equal(r["effsizes1"][:3], 0.0)
    np.testing.assert_array_equal(r["effsizes1_se"][:3], np.inf)
    np.testing.assert_allclose(r["lml"][:3], scanner.null_lml(), rtol=1e-12)
    np.testing.assert_allclose(r["scale"][:3], scanner.null_scale, rtol=1e-12)
    np.testing.assert_allclose(r["effsizes0"][:3], np.tile(scanner.null_beta, (3, 1)), rtol=1e-9)
    np.testing.assert_allclose(
        r["effsizes0_se"][:3], np.tile(scanner.null_beta_se, (3, 1)), rtol=1e-9
    )
    assert np.isfinite(r["effsizes1_se"][3])


# -- joint tests ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("covariates", ["one", "three", "deficient"])
def test_scan_of_a_set_matches_dense(kind, covariates):
    y, X, K, QS, G = _problem(kind, covariates, seed=6)
    v = 0.6
    scanner = FastScanner(y, X, QS, v)
    M = G[:, :3]
    r = scanner.scan(M)
    lml, beta, s, se, _ = dense.ml(y, np.column_stack([X, M]), K + v * np.eye(N))
    c = X.shape[1]
    assert r["lml"] == pytest.approx(lml, rel=1e-10)
    assert r["scale"] == pytest.approx(s, rel=1e-9)
    np.testing.assert_allclose(r["effsizes1"], beta[c:], rtol=1e-8)
    np.testing.assert_allclose(r["effsizes1_se"], se[c:], rtol=1e-8)
    np.testing.assert_allclose(r["effsizes0"], beta[:c], rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(r["effsizes0_se"], se[:c], rtol=1e-7, atol=1e-10)


def test_scan_of_one_column_equals_fast_scan_and_empty_set_is_the_null():
    y, X, _, QS, G = _problem("full", "three", seed=7)
    scanner = FastScanner(y, X, QS, 0.2)
    fast = scanner.fast_scan(G, verbose=False)
    one = scanner.scan(G[:, 2])
    assert one["lml"] == pytest.approx(fast["lml"][2], rel=1e-12)
    np.testing.assert_allclose(one["effsizes1"], fast["effsizes1"][2:3], rtol=1e-9)
    np.testing.assert_allclose(one["effsizes0_se"], fast["effsizes0_se"][2], rtol=1e-9)
    empty = scanner.scan(np.zeros((N, 0)))
    assert empty["lml"] == pytest.approx(scanner.null_lml(), rel=1e-12)
    assert empty["scale"] == pytest.approx(scanner.null_scale, rel=1e-12)
    np.testing.assert_allclose(empty["effsizes0"], scanner.null_beta, rtol=1e-10)
    np.testing.assert_allclose(empty["effsizes0_se"], scanner.null_beta_se, rtol=1e-10)
    assert empty["effsizes1"].shape == (0,)


def test_scan_with_collinear_candidates_keeps_the_exact_likelihood():
    y, X, K, QS, G = _problem("low", "one", seed=8)
    scanner = FastScanner(y, X, QS, 0.5)
    M = np.column_stack([G[:, 0], G[:, 1], G[:, 0] + G[:, 1], G[:, 2]])
    r = scanner.scan(M)
    lml, beta, *_ = dense.ml(y, np.column_stack([X, G[:, :3]]), K + 0.5 * np.eye(N))
    assert r["lml"] == pytest.approx(lml, rel=1e-10)
    np.testing.assert_array_equal(r["effsizes1_se"][:3], np.inf)
    assert np.isfinite(r["effsizes1_se"][3])
    assert r["effsizes1"][3] == pytest.approx(beta[3], rel=1e-8)
    fitted = M @ r["effsizes1"]
    np.testing.assert_allclose(fitted, G[:, :3] @ beta[1:], rtol=1e-7, atol=1e-9)


# -- exact test (variance ratio refitted per candidate) -----------------------------------------
def _dense_exact(y, X, K, g):
    E = np.column_stack([X, g])
    return dense.best_over_delta(lambda d: dense.ml(y, E, dense.covariance(K, d))[0], npoints=161)


@pytest.mark.parametrize("kind", ["full", "low"])
@pytest.mark.parametrize("covariates", ["one", "three", "deficient"])
@pytest.mark.parametrize("refinement", ["interpolated", "brent"])
def test_exact_fast_scan_matches_a_dense_search_over_delta(
    kind, covariates, refinement, monkeypatch
):
    import glimix.lmm._scan_exact as scan_exact

    calls = []
    brent = scan_exact._brent_refine
    monkeypatch.setattr(scan_exact, "_brent_refine", lambda *a: calls.append(1) or brent(*a))
    if refinement == "brent":  # no interpolated answer stands: every candidate goes to Brent
        monkeypatch.setattr(scan_exact, "INTERPOLATION_TOLERANCE", -1.0)
    y, X, K, QS, G = _problem(kind, covariates, seed=9, m=5)
    scanner = FastScanner(y, X, QS, 0.5)
    r = scanner.fast_scan(G, verbose=False, exact=True)
    assert bool(calls) == (refinement == "brent")
    c = X.shape[1]
    for j in range(G.shape[1]):
        delta, best = _dense_exact(y, X, K, G[:, j])
        assert r["lml"][j] == pytest.approx(best, abs=1e-7)
        V = dense.covariance(K, r["delta"][j])
        lml, beta, s, se, _ = dense.ml(y, np.column_stack([X, G[:, j]]), V)
        assert r["lml"][j] == pytest.approx(lml, rel=1e-10)
        assert r["scale"][j] == pytest.approx(s, rel=1e-9)
        assert r["effsizes1"][j] == pytest.approx(beta[c], rel=1e-8)
        assert r["effsizes1_se"][j] == pytest.approx(se[c], rel=1e-8)
        np.testing.assert_allclose(r["effsizes0"][j], beta[:c], rtol=1e-7, atol=1e-9)
        np.testing.assert_allclose(r["effsizes0_se"][j], se[:c], rtol=1e-7, atol=1e-10)
        assert r["v0"][j] == pytest.approx(s * (1 - r["delta"][j]))
        assert r["v1"][j] == pytest.approx(s * r["delta"][j])
        if 1e-6 < delta < 1 - 1e-6:
            assert r["delta"][j] == pytest.approx(delta, rel=1e-3)


def test_exact_fast_scan_agrees_with_exact_scan_of_each_column():
    y, X, _, QS, G = _problem("full", "three", seed=10, m=6)
    scanner = FastScanner(y, X, QS, 1.0)
    r = scanner.fast_scan(G, verbose=False, exact=True, memory_budget=1)
    for j in range(G.shape[1]):
        one = scanner.scan(G[:, j], exact=True)
        assert r["lml"][j] == pytest.approx(one["lml"], abs=1e-8)
        assert r["delta"][j] == pytest.approx(one["delta"], rel=1e-3, abs=1e-7)


def test_exact_scan_of_the_empty_set_is_the_null_maximised_over_delta():
    y, X, K, QS, _ = _problem("low", "one", seed=11)
    scanner = FastScanner(y, X, QS, 0.5)
    r = scanner.scan(np.zeros((N, 0)), exact=True)
    _, best = dense.best_over_delta(lambda d: dense.ml(y, X, dense.covariance(K, d))[0])
    assert r["lml"] == pytest.approx(best, abs=1e-8)
    assert r["lml"] >= scanner.null_lml() - 1e-10


def test_exact_scan_treats_collinear_candidates_as_the_null():
    y, X, _, QS, G = _problem("full", "one", seed=12)
    scanner = FastScanner(y, X, QS, 0.5)
    r = scanner.fast_scan(np.column_stack([np.ones(N), G[:, 0]]), verbose=False, exact=True)
    null = scanner.scan(np.zeros((N, 0)), exact=True)
    assert r["effsizes1"][0] == 0 and r["effsizes1_se"][0] == np.inf
    assert r["lml"][0] == pytest.approx(null["lml"], abs=1e-8)


# -- inputs --------------------------------------------------------------------------------------
def test_any_sliceable_array_like_is_read_block_by_block():
    y, X, _, QS, G = _problem("low", "one", seed=13, m=10)
    scanner = FastScanner(y, X, QS, 0.5)
    lazy = LazyColumns(G, as_list=True)
    r = scanner.fast_scan(lazy, verbose=False, memory_budget=8 * 3 * (N + 2 * (N + 3)))
    assert len(lazy.requests) > 1
    np.testing.assert_allclose(r["lml"], scanner.fast_scan(G, verbose=False)["lml"], rtol=1e-12)
    ints = scanner.fast_scan(np.round(G).astype(np.int8), verbose=False)
    np.testing.assert_allclose(
        ints["lml"], scanner.fast_scan(np.round(G), verbose=False)["lml"], rtol=1e-12
    )


def test_an_array_like_without_column_slicing_is_a_clear_error():
    pd = pytest.importorskip("pandas")
    y, X, _, QS, G = _problem("low", "one")
    with pytest.raises(ValueError, match=r"must support G\[:, i:j\] slicing"):
        FastScanner(y, X, QS, 0.5).fast_scan(pd.DataFrame(G), verbose=False)


def test_dask_arrays_are_scanned():
    da = pytest.importorskip("dask.array")
    y, X, _, QS, G = _problem("full", "three", seed=14, m=12)
    scanner = FastScanner(y, X, QS, 0.5)
    lazy = da.from_array(G, chunks=(N, 5))
    r = scanner.fast_scan(lazy, verbose=False, memory_budget=8 * 4 * (5 * N))
    expected = scanner.fast_scan(G, verbose=False)
    for key, value in expected.items():
        np.testing.assert_allclose(r[key], value, rtol=1e-12)


def test_blocks_follow_the_chunks_of_a_chunked_array():
    from glimix.lmm._blocks import align_to_chunks

    class Chunked:
        def __init__(self, chunks):
            self.chunks = chunks

    assert align_to_chunks(Chunked(((16,), (5, 5, 2))), 12) == 10
    assert align_to_chunks(Chunked((16, 4)), 11) == 8
    assert align_to_chunks(Chunked((16, 40)), 11) == 11
    assert align_to_chunks(Chunked(None), 11) == 11
    assert align_to_chunks(np.zeros((2, 2)), 7) == 7


def test_verbose_scan_prints_progress(capsys):
    y, X, _, QS, G = _problem("low", "one")
    FastScanner(y, X, QS, 0.5).fast_scan(G)
    out = capsys.readouterr().out
    assert "Scanning 7 candidates" in out and "block 1/1" in out


def test_empty_candidate_matrix_gives_empty_results():
    y, X, _, QS, _ = _problem("low", "three")
    r = FastScanner(y, X, QS, 0.5).fast_scan(np.zeros((N, 0)), verbose=False)
    assert r["lml"].shape == (0,) and r["effsizes0"].shape == (0, 3)


def test_bad_inputs_are_rejected():
    y, X, _, QS, G = _problem("low", "one")
    scanner = FastScanner(y, X, QS, 0.5)
    bad = G.copy()
    bad[2, 4] = np.nan
    with pytest.raises(ValueError, match=r"G has non-finite value.*column 4"):
        scanner.fast_scan(bad, verbose=False)
    with pytest.raises(ValueError, match=r"G has non-finite value.*column 4"):
        scanner.fast_scan(bad, verbose=False, exact=True)
    with pytest.raises(ValueError, match="G must have one row per sample"):
        scanner.fast_scan(G[:-1], verbose=False)
    with pytest.raises(ValueError, match="G must be two- or three-dimensional"):
        scanner.fast_scan(G[:, 0], verbose=False)
    with pytest.raises(ValueError, match="exact=True tests single columns"):
        scanner.fast_scan(G[:, :, None], verbose=False, exact=True)
    with pytest.raises(ValueError, match="memory_budget must be a positive"):
        scanner.fast_scan(G, verbose=False, memory_budget=0)
    with pytest.raises(ValueError, match="M must have one row per sample"):
        scanner.scan(G[:-1])
    with pytest.raises(ValueError, match="M has 1 non-finite"):
        scanner.scan(bad[:, 4])
    with pytest.raises(ValueError, match="v must be a finite non-negative"):
        FastScanner(y, X, QS, -1.0)
    with pytest.raises(ValueError, match="v must be positive when K is singular"):
        FastScanner(y, X, QS, 0.0)
    with pytest.raises(ValueError, match="v must be positive"):
        FastScanner(y, X, None, 0.0)
    with pytest.raises(ValueError, match="X must have one row per sample"):
        FastScanner(y, X[:-1], QS, 0.5)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("value", [np.inf, -np.inf, np.nan])
@pytest.mark.parametrize("exact", [False, True])
def test_any_non_finite_entry_is_reported_with_its_column(kind, value, exact):
    y, X, _, QS, G = _problem(kind, "one", m=30)
    scanner = FastScanner(y, X, QS, 0.5)
    for row in (0, N - 1):
        bad = G.copy()
        bad[row, 17] = value
        with pytest.raises(ValueError, match="first being column 17"):
            scanner.fast_scan(bad, verbose=False, exact=exact, memory_budget=3000)


def test_zero_v_with_a_full_rank_k_is_allowed():
    y, X, K, QS, G = _problem("full", "one")
    scanner = FastScanner(y, X, QS, 0.0)
    r = scanner.fast_scan(G, verbose=False)
    assert r["lml"][0] == pytest.approx(_dense_candidate(y, X, K, G[:, 0])[0], rel=1e-9)


def test_exact_scan_helpers_survive_a_singular_covariate_system():
    from glimix.lmm._scan_exact import _inverse_factors, _solve

    A = np.stack([np.array([[2.0, 1.0], [1.0, 2.0]]), np.zeros((2, 2))])
    C, usable = _inverse_factors(A)
    assert usable.tolist() == [True, False]
    np.testing.assert_allclose(C[0] @ C[0].T, np.linalg.inv(A[0]), rtol=1e-12)
    B = np.ones((2, 2, 1))
    x = _solve(A, B)
    np.testing.assert_allclose(x[0], np.linalg.solve(A[0], B[0]), rtol=1e-12)
    np.testing.assert_array_equal(x[1], 0.0)


# -- candidate sets (3-D G) ----------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("covariates", ["one", "three", "deficient"])
def test_sets_of_columns_match_dense_joint_tests(kind, covariates):
    y, X, K, QS, G = _problem(kind, covariates, seed=15, m=9)
    v = 0.6
    scanner = FastScanner(y, X, QS, v)
    E = np.column_stack([np.ones(N), np.random.default_rng(1).normal(size=N)])
    sets = G[:, :, None] * E[:, None, :]
    r = scanner.fast_scan(sets, verbose=False, memory_budget=8 * 4 * 2 * (3 * N + 10))
    c = X.shape[1]
    assert r["effsizes1"].shape == (G.shape[1], 2)
    V = K + v * np.eye(N)
    for j in range(G.shape[1]):
        lml, beta, s, se, _ = dense.ml(y, np.column_stack([X, sets[:, j, :]]), V)
        assert r["lml"][j] == pytest.approx(lml, rel=1e-10)
        assert r["scale"][j] == pytest.approx(s, rel=1e-9)
        np.testing.assert_allclose(r["effsizes1"][j], beta[c:], rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(r["effsizes1_se"][j], se[c:], rtol=1e-8)
        np.testing.assert_allclose(r["effsizes0"][j], beta[:c], rtol=1e-7, atol=1e-9)
        np.testing.assert_allclose(r["effsizes0_se"][j], se[:c], rtol=1e-7, atol=1e-10)
        one = scanner.scan(sets[:, j, :])
        assert one["lml"] == pytest.approx(r["lml"][j], rel=1e-12)


def test_sets_of_one_column_equal_the_single_column_scan():
    y, X, _, QS, G = _problem("low", "three", seed=16)
    scanner = FastScanner(y, X, QS, 0.4)
    single = scanner.fast_scan(G, verbose=False)
    sets = scanner.fast_scan(G[:, :, None], verbose=False)
    for key in ("lml", "scale", "effsizes0", "effsizes0_se"):
        np.testing.assert_allclose(sets[key], single[key], rtol=1e-10)
    np.testing.assert_allclose(sets["effsizes1"][:, 0], single["effsizes1"], rtol=1e-9)
    np.testing.assert_allclose(sets["effsizes1_se"][:, 0], single["effsizes1_se"], rtol=1e-9)


def test_sets_with_collinear_or_non_finite_columns():
    y, X, _, QS, G = _problem("full", "one", seed=17)
    scanner = FastScanner(y, X, QS, 0.5)
    sets = np.stack([G[:, :3], G[:, :3]], axis=2)  # each set: one column twice
    r = scanner.fast_scan(sets, verbose=False)
    single = scanner.fast_scan(G[:, :3], verbose=False)
    np.testing.assert_allclose(r["lml"], single["lml"], rtol=1e-10)
    np.testing.assert_array_equal(r["effsizes1_se"], np.inf)
    np.testing.assert_allclose(r["effsizes1"].sum(axis=1), single["effsizes1"], rtol=1e-8)
    bad = sets.copy()
    bad[4, 2, 1] = np.nan
    with pytest.raises(ValueError, match="first being column 2"):
        scanner.fast_scan(bad, verbose=False)
    empty = scanner.fast_scan(np.zeros((N, 3, 0)), verbose=False)
    np.testing.assert_allclose(empty["lml"], scanner.null_lml(), rtol=1e-12)
    assert empty["effsizes1"].shape == (3, 0)


def test_the_scanner_protocol_test_equals_the_joint_scan_of_each_design():
    """test(block, E): each candidate 𝐠 as the columns 𝐠⊙𝐞ⱼ, tested jointly — the same as
    scan() of that n×e matrix, candidate by candidate (another code path)."""
    from glimix.lmm import LMM, ScanResult

    rng = np.random.default_rng(7)
    n = 40
    W = rng.standard_normal((n, 6))
    X = np.column_stack([np.ones(n), rng.standard_normal(n)])
    y = X @ [0.5, 1.0] + W @ rng.standard_normal(6) / 3 + rng.standard_normal(n)
    lmm = LMM(y, X, economic_qs_linear(W))
    lmm.fit(verbose=False)
    scanner = lmm.get_fast_scanner()
    G = rng.standard_normal((n, 5))
    E = np.column_stack([np.ones(n), rng.integers(0, 2, n)])
    result = scanner.test(G, E)
    assert isinstance(result, ScanResult) and set(result) >= {"lml", "dof", "scale"}
    assert result.effsizes1.shape == (5, 2) and np.all(result.dof == 2)
    for j in range(G.shape[1]):
        joint = scanner.scan(G[:, [j]] * E)
        assert result["lml"][j] == pytest.approx(joint["lml"], rel=1e-10)
        np.testing.assert_allclose(result.effsizes1[j], joint["effsizes1"], rtol=1e-8)
        np.testing.assert_allclose(result.effsizes1_se[j], joint["effsizes1_se"], rtol=1e-8)
    single = scanner.test(G)
    np.testing.assert_allclose(single.lml, scanner.fast_scan(G, verbose=False)["lml"])
    assert single.effsizes1.shape == (5,) and np.all(single.dof == 1)
