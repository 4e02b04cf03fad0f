"""Kron2Sum: lml, GLS and gradient against the dense (n⋅p)×(n⋅p) textbook formulas."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.stats import multivariate_normal

from glimix.gp import GP
from glimix.lmm import Kron2Sum
from glimix.mean import KronMean
from glimix.testing import check_gradient

# (n, p, c, q, G kind, m, rank): G kind "random", "none", "zero" or "dup" (rank-deficient)
CASES = [
    pytest.param((9, 2, 2, 2, "random", 3, 1), id="lowrankG-rank1"),
    pytest.param((7, 3, 2, 3, "random", 12, 3), id="fullrankG-fullrank"),
    pytest.param((8, 3, 1, 2, "random", 8, 2), id="squareG-rank2-q<p"),
    pytest.param((8, 3, 2, 3, "dup", 4, 3), id="rankdeficientG-fullrank"),
    pytest.param((7, 2, 2, 2, "none", 0, 1), id="noG"),
    pytest.param((6, 3, 2, 3, "zero", 4, 3), id="zeroG"),
    pytest.param((5, 1, 2, 1, "random", 2, 1), id="single-trait"),
]


def make_model(n, p, c, q, kind, m, rank, restricted, seed=0, randomise=True) -> Kron2Sum:
    random = np.random.RandomState(seed)
    Y = random.randn(n, p)
    X = np.concatenate([np.ones((n, 1)), random.randn(n, c - 1)], axis=1)
    A = random.randn(p, q)
    if kind == "none":
        G = None
    elif kind == "zero":
        G = np.zeros((n, m))
    elif kind == "dup":
        half = random.randn(n, m // 2)
        G = np.concatenate([half, -half], axis=1)
    else:
        G = random.randn(n, m)
    model = Kron2Sum(Y, A, X, G, rank=rank, restricted=restricted)
    if randomise:
        if not model.cov.C0._variables["Lu"].isfixed:
            model.cov.C0.Lu = random.randn(model.cov.C0.Lu.size)
        model.cov.C1.Lu = 0.4 * random.randn(model.cov.C1.Lu.size)
    return model


def dense(model: Kron2Sum) -> dict:
    """Everything from the dense K, M and 𝐲 = vec(Y)."""
    K = model.covariance()
    M = model.M
    y = model._Y.ravel(order="F")
    Kinv = np.linalg.inv(K)
    H = M.T @ Kinv @ M
    beta = np.linalg.solve(H, M.T @ Kinv @ y)
    N, d = M.shape
    ml = multivariate_normal(M @ beta, K).logpdf(y)
    r = y - M @ beta
    reml = -0.5 * (
        (N - d) * np.log(2 * np.pi)
        - np.linalg.slogdet(M.T @ M)[1]
        + np.linalg.slogdet(K)[1]
        + np.linalg.slogdet(H)[1]
        + r @ Kinv @ r
    )
    return {"ml": ml, "reml": reml, "beta": beta, "Hinv": np.linalg.inv(H), "mean": M @ beta}


@pytest.fixture(params=[False, True], ids=["ML", "REML"])
def restricted(request):
    return request.param


@pytest.mark.parametrize("case", CASES)
def test_lml_and_gls_match_dense(case, restricted):
    model = make_model(*case, restricted=restricted)
    ref = dense(model)
    assert_allclose(model.lml(), ref["reml" if restricted else "ml"], rtol=1e-10)
    assert model.value() == model.lml()
    assert_allclose(model.beta, ref["beta"], rtol=1e-8, atol=1e-10)
    assert_allclose(model.B.ravel(order="F"), model.beta)
    assert_allclose(model.beta_covariance, ref["Hinv"], rtol=1e-8, atol=1e-12)
    assert_allclose(model.mean(), ref["mean"], rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("case", CASES)
def test_gradient_matches_finite_differences(case, restricted):
    model = make_model(*case, restricted=restricted)
    check_gradient(model, step=1e-6, rtol=1e-4, atol=1e-6)


FIT_CASES = [
    CASES[0],
    pytest.param((8, 2, 2, 2, "random", 12, 2), id="fullrankG-fullrank"),
    CASES[4],
]


@pytest.mark.parametrize("case", FIT_CASES)
def test_fit_reaches_a_stationary_point(case, restricted):
    model = make_model(*case, restricted=restricted, seed=3, randomise=False)
    before = model.lml()
    model.fit(verbose=False)
    assert model.lml() > before
    for name, g in model.gradient().items():
        assert np.max(np.abs(g)) < 1e-3, name
    ref = dense(model)
    assert_allclose(model.lml(), ref["reml" if restricted else "ml"], rtol=1e-10)


def test_ml_fit_agrees_with_a_dense_gp_over_B_C0_and_C1():
    """Profiling B out gives the same maximum as optimising it with the other parameters."""
    model = make_model(12, 2, 2, 2, "random", 5, 2, restricted=False, seed=5, randomise=False)
    model.fit(verbose=False)
    mean = KronMean(model.A, model.X)
    cov = make_model(12, 2, 2, 2, "random", 5, 2, restricted=False, seed=5, randomise=False).cov
    gp = GP(model._Y.ravel(order="F"), mean, cov)
    gp.fit(verbose=False)
    assert_allclose(gp.lml(), model.lml(), rtol=1e-6)
    assert_allclose(cov.C1.value(), model.C1, rtol=1e-3, atol=1e-4)
    assert_allclose(cov.C0.value(), model.C0, rtol=1e-3, atol=1e-4)
    assert_allclose(mean.B, model.B, rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("kind", ["none", "zero"])
def test_without_random_effect_the_model_is_c1_kron_identity(kind):
    model = make_model(10, 3, 2, 3, kind, 4, 2, restricted=False, seed=2, randomise=False)
    assert model.cov.C0._variables["Lu"].isfixed
    assert_allclose(model.C0, np.zeros((3, 3)))
    assert set(model.gradient()) == {"C1.Lu"}
    model.fit(verbose=False)
    # ML without G: B is ordinary least squares and C₁ the residual covariance RᵀR/n.
    Y, X = model._Y, model.X
    B = np.linalg.lstsq(X, Y, rcond=None)[0] @ np.linalg.inv(model.A.T)
    R = Y - X @ B @ model.A.T
    assert_allclose(model.B, B, rtol=1e-5, atol=1e-6)
    assert_allclose(model.C1, R.T @ R / 10, rtol=1e-4, atol=1e-6)


def test_parameter_changes_are_seen():
    model = make_model(8, 2, 1, 2, "random", 3, 1, restricted=False)
    before = model.lml()
    model.cov.C1.Lu = model.cov.C1.Lu + 0.1
    assert model.lml() != before
    assert_allclose(model.lml(), dense(model)["ml"], rtol=1e-10)


def test_properties():
    model = make_model(8, 3, 2, 2, "random", 3, 2, restricted=True)
    assert (model.nsamples, model.ntraits, model.ncovariates) == (8, 3, 2)
    assert model.restricted is True
    assert model.A.shape == (3, 2) and model.X.shape == (8, 2)
    assert model.B.shape == (2, 2) and model.beta.shape == (4,)
    assert_allclose(model.M, np.kron(model.A, model.X))
    assert_allclose(model.C0, model.cov.C0.value())
    assert_allclose(model.C1, model.cov.C1.value())
    assert model.variable_names() == ["C0.Lu", "C1.Lu"]
    with pytest.raises(ValueError):
        model.X[0, 0] = 1.0  # stored inputs are read-only
    text = str(model)
    assert text.startswith("Kron2Sum(n=8, p=3, c=2, rank=2, restricted=True)\n  lml: ")
    assert "Kron2SumCov(G=..., dim=3, rank=2): Kron2SumCov" in text


@pytest.mark.parametrize(("n", "m"), [(2000, 30), (400, 400)], ids=["lowrank", "fullrank"])
def test_an_evaluation_allocates_neither_dense_k_nor_n_by_r(n, m):
    """lml + gradient stay far below (n⋅p)²⋅8 bytes (dense K) and n⋅r⋅8 (an n×r array)."""
    random = np.random.RandomState(0)
    p = 3
    Y = random.randn(n, p)
    X = np.ones((n, 1))
    G = random.randn(n, m)
    model = Kron2Sum(Y, np.eye(p), X, G, rank=p, restricted=True)
    model.cov.C1.Lu = model.cov.C1.Lu + 0.01  # drop cached state
    tracemalloc.start()
    try:
        model.lml()
        model.gradient()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    r = min(n, m)
    assert peak < min((n * p) ** 2 * 8, n * r * 8) / 2


# -- input errors --------------------------------------------------------------------------------
def _inputs(n=6, p=2, seed=0):
    random = np.random.RandomState(seed)
    return random.randn(n, p), np.eye(p), np.ones((n, 1)), random.randn(n, 3)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda Y, A, X, G: (np.where(np.eye(6, 2) > 0, np.nan, Y), A, X, G), r"Y has 2 missing"),
        (lambda Y, A, X, G: (Y[:, 0], A, X, G), "Y must be two-dimensional"),
        (lambda Y, A, X, G: (Y, np.eye(3), X, G), "A must be p×q with p = 2"),
        (lambda Y, A, X, G: (Y, A, X[:5], G), "X must be n×c with n = 6"),
        (lambda Y, A, X, G: (Y, A, np.zeros((6, 0)), G), "c ≥ 1"),
        (lambda Y, A, X, G: (Y, A, X, G[:4]), "G must have n = 6 rows"),
        (lambda Y, A, X, G: (Y, A, X, np.where(G > 1, np.inf, G)), "G has .* non-finite"),
        (lambda Y, A, X, G: (Y, A, np.hstack([X, 2 * X]), G), "X has 2 columns but rank 1"),
        (lambda Y, A, X, G: (Y, np.ones((2, 2)), X, G), "A has 2 columns but rank 1"),
        (lambda Y, A, X, G: (Y, A, [["a"] * 1] * 6, G), "X must be numeric"),
    ],
)
def test_bad_inputs_raise_value_error_naming_the_argument(change, match):
    with pytest.raises(ValueError, match=match):
        Kron2Sum(*change(*_inputs()))


def test_bad_rank_restricted_and_sizes():
    Y, A, X, G = _inputs()
    with pytest.raises(ValueError, match=r"rank .* between 1 and p = 2"):
        Kron2Sum(Y, A, X, G, rank=3)
    with pytest.raises(ValueError, match="rank must be at least 1"):
        Kron2Sum(Y, A, X, G, rank=0)
    with pytest.raises(ValueError, match="restricted must be True or False"):
        Kron2Sum(Y, A, X, G, restricted="yes")
    with pytest.raises(ValueError, match="more observations than effect sizes"):
        Kron2Sum(Y[:2], A, np.eye(2), G[:2])
    with pytest.raises(ValueError, match="linear function of X"):
        Kron2Sum(X @ np.ones((1, 2)), A, X, G)


def test_collinearity_is_judged_at_unit_column_norms():
    random = np.random.RandomState(1)
    n = 20
    Y, x = random.randn(n, 2), random.randn(n, 1)
    offset = np.ones((n, 1))
    with pytest.raises(ValueError, match="X's covariates are nearly collinear"):
        Kron2Sum(Y, np.eye(2), np.hstack([offset, x, x + 1e-9 * random.randn(n, 1)]), None)
    with pytest.raises(ValueError, match="X has an all-zero column"):
        Kron2Sum(Y, np.eye(2), np.hstack([offset, 0 * x]), None)
    # a covariate in large units next to an offset is not collinear
    model = Kron2Sum(Y, np.eye(2), np.hstack([offset, 1e9 * (x + 3)]), None)
    assert_allclose(model.lml(), dense(model)["ml"], rtol=1e-8)
