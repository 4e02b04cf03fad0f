"""KronFastScanner against a dense generalised-least-squares fit of every candidate."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from glimix.lmm import Kron2Sum, KronFastScanner

from .._lazy import LazyColumns


@functools.cache
def fitted_model(n, p, c, q, m, rank, restricted, seed=0) -> Kron2Sum:
    """A fitted model, shared between tests (which must not change it)."""
    random = np.random.RandomState(seed)
    Y = random.randn(n, p)
    X = np.concatenate([np.ones((n, 1)), random.randn(n, c - 1)], axis=1)
    A = random.randn(p, q)
    G = None if m is None else random.randn(n, m)
    model = Kron2Sum(Y, A, X, G, rank=rank, restricted=restricted)
    model.fit(verbose=False)
    return model


def dense_candidate(model: Kron2Sum, g: np.ndarray, A1: np.ndarray) -> dict:
    """ML fit of B, 𝛂 and s for 𝐲 ∼ 𝓝((A⊗X)𝛃 + (A₁⊗𝐠)𝛂, sK), K the model's, from dense K."""
    K = model.covariance()
    Kinv = np.linalg.inv(K)
    y = model._Y.ravel(order="F")
    M = np.hstack([model.M, np.kron(A1, g[:, None])])
    H = M.T @ Kinv @ M
    effects = np.linalg.solve(H, M.T @ Kinv @ y)
    r = y - M @ effects
    N = y.size
    s = r @ Kinv @ r / N
    lml = -0.5 * (N * np.log(2 * np.pi) + np.linalg.slogdet(s * K)[1] + r @ Kinv @ r / s)
    se = np.sqrt(np.diag(s * np.linalg.inv(H)))
    d = model.M.shape[1]
    c, q = model.B.shape
    return {
        "lml": lml,
        "scale": s,
        "B": effects[:d].reshape((c, q), order="F"),
        "B_se": se[:d].reshape((c, q), order="F"),
        "alpha": effects[d:],
        "alpha_se": se[d:],
    }


MODELS = [
    pytest.param((12, 2, 2, 2, 4, 1, False), id="lowrankG-rank1-ML"),
    pytest.param((10, 3, 2, 3, 25, 3, True), id="fullrankG-fullrank-REML"),
    pytest.param((10, 3, 1, 2, None, 2, False), id="noG-q<p"),
]
DESIGNS = {
    "shared": lambda p: np.ones((p, 1)),
    "per-trait": lambda p: np.eye(p),
    "random": lambda p: np.random.RandomState(9).randn(p, 2),
}


@pytest.mark.parametrize("case", MODELS)
@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_scan_matches_dense_fit_per_candidate(case, design):
    model = fitted_model(*case)
    n, p = model.nsamples, model.ntraits
    A1 = DESIGNS[design](p)
    G = np.random.RandomState(4).randn(n, 5)
    result = model.get_fast_scanner().scan(G, A1, block_size=2)
    for i in range(G.shape[1]):
        ref = dense_candidate(model, G[:, i], A1)
        assert_allclose(result.lml[i], ref["lml"], rtol=1e-10)
        assert_allclose(result.scale[i], ref["scale"], rtol=1e-9)
        assert_allclose(result.effsizes1[i], ref["alpha"], rtol=1e-7, atol=1e-10)
        assert_allclose(result.effsizes1_se[i], ref["alpha_se"], rtol=1e-7)
        assert_allclose(result.effsizes0[i], ref["B"], rtol=1e-7, atol=1e-10)
        assert_allclose(result.effsizes0_se[i], ref["B_se"], rtol=1e-7)
    assert_array_equal(result.dof, A1.shape[1])


def test_null_model_of_the_scan():
    model = fitted_model(12, 2, 2, 2, 4, 1, False)
    scanner = model.get_fast_scanner()
    # ML fit: C₀ and C₁ already absorb the scale, so s₀ = 1 and null_lml() = lml().
    assert_allclose(scanner.null_scale, 1.0, rtol=1e-4)
    assert_allclose(scanner.null_lml(), model.lml(), rtol=1e-9)
    assert_allclose(scanner.null_beta, model.B)
    assert_allclose(
        scanner.null_beta_se.ravel(order="F"),
        np.sqrt(scanner.null_scale * np.diag(model.beta_covariance)),
    )


def test_null_model_of_a_reml_fit_is_maximum_likelihood_with_refitted_scale():
    from scipy.stats import multivariate_normal

    model = fitted_model(10, 3, 2, 3, 25, 3, True)
    scanner = model.get_fast_scanner()
    K = model.covariance()
    y = model._Y.ravel(order="F")
    r = y - model.mean()
    s = r @ np.linalg.solve(K, r) / y.size
    assert_allclose(scanner.null_scale, s, rtol=1e-10)
    assert_allclose(scanner.null_lml(), multivariate_normal(model.mean(), s * K).logpdf(y))
    # a candidate of zeros changes nothing
    zero = scanner.scan(np.zeros((10, 1)), np.eye(3))
    assert_allclose(zero.lml, scanner.null_lml(), rtol=1e-12)


def test_candidates_explained_by_the_covariates_have_no_degrees_of_freedom():
    """A constant candidate duplicates the offset: its likelihood is the null one."""
    model = fitted_model(12, 2, 2, 2, 4, 1, False)
    scanner = model.get_fast_scanner()
    G = np.random.RandomState(1).randn(12, 3)
    G[:, 1] = 3.0
    G[:, 2] = 0.0
    result = scanner.scan(G, np.eye(2))
    assert_array_equal(result.dof, [2, 0, 0])
    assert_allclose(result.lml[1:], scanner.null_lml(), rtol=1e-10)
    assert_allclose(result.effsizes1[1:], 0.0, atol=1e-8)
    assert_allclose(result.effsizes0[1:], np.stack([scanner.null_beta] * 2), rtol=1e-6)
    assert np.all(np.isfinite(result.effsizes0_se)) and np.all(np.isfinite(result.effsizes1_se))


def test_dependent_candidate_design_gets_the_exact_likelihood_and_min_norm_effects():
    """A₁ = [𝟏 I] spans the same space as I: same likelihood, p degrees of freedom."""
    model = fitted_model(12, 2, 2, 2, 4, 1, False)
    scanner = model.get_fast_scanner()
    G = np.random.RandomState(2).randn(12, 4)
    full = scanner.scan(G, np.hstack([np.ones((2, 1)), np.eye(2)]))
    eye = scanner.scan(G, np.eye(2))
    assert_array_equal(full.dof, 2)
    assert_allclose(full.lml, eye.lml, rtol=1e-10)
    assert_allclose(full.effsizes0, eye.effsizes0, rtol=1e-7, atol=1e-10)
    # minimum norm: [a, b₁, b₂] with a + bⱼ equal to the per-trait effects and a = mean(b)
    shared, per_trait = full.effsizes1[:, 0], full.effsizes1[:, 1:]
    assert_allclose(shared[:, None] + per_trait, eye.effsizes1, rtol=1e-7, atol=1e-10)
    assert_allclose(shared, per_trait.sum(axis=1), rtol=1e-7, atol=1e-10)


def test_block_size_does_not_change_results():
    model = fitted_model(12, 2, 2, 2, 4, 1, False)
    scanner = model.get_fast_scanner()
    G = np.random.RandomState(3).randn(12, 7)
    one = scanner.scan(G, np.eye(2), block_size=1)
    default = scanner.scan(G, np.eye(2))
    for a, b in zip(one.__dict__.values(), default.__dict__.values(), strict=True):
        if a is None:  # C0, C1: only for the exact test
            assert b is None
            continue
        assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_lazy_candidates_are_read_block_by_block():
    model = fitted_model(12, 2, 2, 2, 4, 1, False)
    G = np.random.RandomState(3).randn(12, 5)
    lazy = LazyColumns(G)
    result = model.get_fast_scanner().scan(lazy, np.ones((2, 1)), block_size=2)
    assert [k[1] for k in lazy.requests] == [slice(0, 2), slice(2, 4), slice(4, 5)]
    assert_allclose(result.lml, model.get_fast_scanner().scan(G, np.ones((2, 1))).lml)


def test_scanner_is_independent_of_later_model_changes():
    model = fitted_model.__wrapped__(12, 2, 2, 2, 4, 1, False)  # a private copy
    scanner = model.get_fast_scanner()
    G = np.random.RandomState(3).randn(12, 2)
    before = scanner.scan(G, np.eye(2)).lml
    model.cov.C1.Lu = model.cov.C1.Lu + 0.5
    assert_allclose(scanner.scan(G, np.eye(2)).lml, before)
    assert isinstance(scanner, KronFastScanner)


def test_empty_candidate_block():
    model = fitted_model(12, 2, 2, 2, 4, 1, False)
    result = model.get_fast_scanner().scan(np.zeros((12, 0)), np.eye(2))
    assert result.lml.shape == (0,) and result.effsizes0.shape == (0, 2, 2)
    assert result.effsizes1.shape == (0, 2) and result.dof.shape == (0,)


def test_bad_scan_inputs():
    model = fitted_model(12, 2, 2, 2, 4, 1, False)
    scanner = model.get_fast_scanner()
    G = np.random.RandomState(3).randn(12, 4)
    with pytest.raises(ValueError, match="A1 must be p×q₁ with p = 2"):
        scanner.scan(G, np.eye(3))
    with pytest.raises(ValueError, match="A1 has 1 non-finite"):
        scanner.scan(G, [[1.0], [np.nan]])
    with pytest.raises(ValueError, match="G must be n×m with n = 12"):
        scanner.scan(G[:5], np.eye(2))
    with pytest.raises(ValueError, match="G must be n×m"):
        scanner.scan(G[:, 0], np.eye(2))
    bad = G.copy()
    bad[3, 2] = np.nan
    with pytest.raises(ValueError, match=r"G has 1 missing .* \(first: column 2\)"):
        scanner.scan(bad, np.eye(2), block_size=1)
    with pytest.raises(ValueError, match="block_size must be a positive integer"):
        scanner.scan(G, np.eye(2), block_size=0)
    # n⋅p = 4 observations, c⋅q = 2 covariate effects: two candidate effects are too many
    tiny = Kron2Sum([[0.0, 1.0], [4.0, 9.0]], np.eye(2), np.ones((2, 1)), None)
    tiny.get_fast_scanner().scan(np.array([[1.0], [2.0]]), np.ones((2, 1)))
    with pytest.raises(ValueError, match="n⋅p = 4 observations cannot fit c⋅q \\+ q₁ = 4"):
        tiny.get_fast_scanner().scan(np.array([[1.0], [2.0]]), np.eye(2))


def test_null_beta_covariance_is_the_dense_gls_covariance():
    """s₀(MᵀK⁻¹M)⁻¹ with M = A⊗X, K = C₀⊗GGᵀ + C₁⊗I, against the dense np×np algebra."""
    from glimix.lmm import Kron2Sum

    rng = np.random.default_rng(3)
    n, p = 30, 2
    G = rng.standard_normal((n, 4))
    X = np.column_stack([np.ones(n), rng.standard_normal(n)])
    Y = rng.standard_normal((n, p)) + X @ rng.standard_normal((2, p))
    model = Kron2Sum(Y, np.eye(p), X, G, rank=2)
    model.fit(verbose=False)
    scanner = model.get_fast_scanner()
    K = np.kron(model.C0, G @ G.T) + np.kron(model.C1, np.eye(n))
    M = np.kron(np.eye(p), X)
    dense = scanner.null_scale * np.linalg.inv(M.T @ np.linalg.solve(K, M))
    np.testing.assert_allclose(scanner.null_beta_covariance, dense, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(
        np.sqrt(np.diag(scanner.null_beta_covariance)),
        scanner.null_beta_se.ravel(order="F"),
        rtol=1e-12,
    )


@pytest.mark.parametrize("r", [30, 4])
def test_joint_scan_is_the_dense_gls_of_both_designs(r):
    """scan(A1, X1) (glimix-core's joint test, also scan_joint): the columns of X₁ enter
    together as (A₁⊗X₁)vec(𝛂); lml, effect sizes and standard errors of the dense GLS with
    W = [A⊗X, A₁⊗X₁] and the scale refitted."""
    from glimix.lmm import Kron2Sum

    rng = np.random.default_rng(11)
    n, p = 30, 2
    G = rng.standard_normal((n, r))
    X = np.column_stack([np.ones(n), rng.standard_normal(n)])
    X1 = rng.standard_normal((n, 2))
    Y = rng.standard_normal((n, p)) + X @ rng.standard_normal((2, p)) + X1[:, :1] * [0.8, -0.3]
    model = Kron2Sum(Y, np.eye(p), X, G, rank=2)
    model.fit(verbose=False)
    scanner = model.get_fast_scanner()
    A1 = np.array([[1.0], [1.0]])
    r_joint = scanner.scan(A1, X1)
    assert r_joint["lml"] == scanner.scan_joint(A1, X1)["lml"]
    K = np.kron(model.C0, G @ G.T) + np.kron(model.C1, np.eye(n))
    W = np.hstack([np.kron(np.eye(p), X), np.kron(A1, X1)])
    y = Y.ravel(order="F")
    Ki = np.linalg.inv(K)
    F = W.T @ Ki @ W
    coef = np.linalg.solve(F, W.T @ Ki @ y)
    res = y - W @ coef
    s = float(res @ Ki @ res) / y.size
    lml = -0.5 * (y.size * np.log(2 * np.pi * s) + np.linalg.slogdet(K)[1] + y.size)
    se = np.sqrt(s * np.diag(np.linalg.inv(F)))
    assert r_joint["lml"] == pytest.approx(lml, abs=1e-8)
    assert r_joint["scale"] == pytest.approx(s, rel=1e-8)
    np.testing.assert_allclose(r_joint["effsizes0"].ravel(order="F"), coef[:4], rtol=1e-7)
    np.testing.assert_allclose(r_joint["effsizes1"].ravel(order="F"), coef[4:], rtol=1e-7)
    np.testing.assert_allclose(r_joint["effsizes1_se"].ravel(order="F"), se[4:], rtol=1e-7)
    assert r_joint["dof"] == 2
    # one column, one effect per trait: the per-candidate path gives the same
    one = scanner.scan(X1[:, :1], np.eye(p))
    joint_one = scanner.scan_joint(np.eye(p), X1[:, :1])
    assert joint_one["lml"] == pytest.approx(float(one.lml[0]), abs=1e-8)
