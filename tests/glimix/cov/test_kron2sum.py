"""Kron2SumCov: every structured operation against the dense computation on value()."""

from __future__ import annotations

import gc
import tracemalloc
import weakref

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from glimix.cov import FreeFormCov, Kron2SumCov, LRFreeFormCov
from glimix.testing import check_gradient

# (n, m, p, rank, kind): kind "random", "zero" (all-zero G), "dup" (rank-deficient G)
CASES = [
    pytest.param((6, 3, 2, 1, "random"), id="n>m-rank1"),
    pytest.param((6, 3, 3, 3, "random"), id="n>m-fullrank"),
    pytest.param((4, 7, 2, 1, "random"), id="n<m-rank1"),
    pytest.param((3, 5, 3, 3, "random"), id="n<m-fullrank"),
    pytest.param((5, 5, 3, 2, "random"), id="n=m-rank2"),
    pytest.param((7, 4, 2, 2, "dup"), id="rank-deficient-G"),
    pytest.param((5, 3, 2, 1, "zero"), id="zero-G-rank1"),
    pytest.param((4, 2, 3, 3, "zero"), id="zero-G-fullrank"),
    pytest.param((4, 0, 2, 1, "zero"), id="G-without-columns"),
    pytest.param((1, 2, 1, 1, "random"), id="single-sample-single-trait"),
]


def make_cov(n: int, m: int, p: int, rank: int, kind: str, seed: int = 0) -> Kron2SumCov:
    random = np.random.RandomState(seed)
    if kind == "zero":
        G = np.zeros((n, m))
    elif kind == "dup":
        half = random.randn(n, m // 2)
        G = np.concatenate([half, 2 * half], axis=1)
    else:
        G = random.randn(n, m)
    cov = Kron2SumCov(G, p, rank)
    cov.C0.Lu = random.randn(cov.C0.Lu.size)
    cov.C1.Lu = 0.5 * random.randn(cov.C1.Lu.size)
    return cov


def dense_L(cov: Kron2SumCov) -> np.ndarray:
    return np.kron(cov.Lh, cov.Lx)


def operands(cov: Kron2SumCov, seed: int = 1) -> list[np.ndarray]:
    random = np.random.RandomState(seed)
    size = cov.shape[0]
    return [random.randn(size), random.randn(size, 3)]


@pytest.fixture(params=CASES)
def cov(request) -> Kron2SumCov:
    return make_cov(*request.param)


# -- construction and dense value ----------------------------------------------------------------
def test_components_and_shape(cov):
    n, _ = cov.G.shape
    p = cov.dim
    assert cov.shape == (n * p, n * p)
    assert isinstance(cov.C0, LRFreeFormCov) and cov.C0.name == "C₀"
    assert isinstance(cov.C1, FreeFormCov) and cov.C1.name == "C₁"
    assert cov.variable_names() == ["C0.Lu", "C1.Lu"]
    assert cov.nparams == p * cov.rank + p * (p + 1) // 2
    assert set(cov.gradient()) == {"C0.Lu", "C1.Lu"}


def test_value_is_dense_kronecker_sum(cov):
    n = cov.G.shape[0]
    X = cov.G @ cov.G.T
    K = cov.value()
    expected = np.zeros(cov.shape)
    C0, C1 = cov.C0.value(), cov.C1.value()
    for a in range(cov.dim):
        for b in range(cov.dim):
            block = C0[a, b] * X + C1[a, b] * np.eye(n)
            expected[a * n : (a + 1) * n, b * n : (b + 1) * n] = block
    assert_allclose(K, expected, rtol=1e-12, atol=1e-12)
    assert_allclose(K, K.T, atol=1e-12)
    # vec stacks columns: K·vec(V) = vec(GGᵀVC₀ + VC₁)
    V = np.random.RandomState(3).randn(n, cov.dim)
    assert_allclose(
        K @ V.ravel(order="F"), (X @ V @ C0 + V @ C1).ravel(order="F"), rtol=1e-10, atol=1e-10
    )


def test_gradient_matches_finite_differences(cov):
    check_gradient(cov)


def test_gradient_shapes(cov):
    grad = cov.gradient()
    assert grad["C0.Lu"].shape == (*cov.shape, cov.C0.nparams)
    assert grad["C1.Lu"].shape == (*cov.shape, cov.C1.nparams)


def test_Ge(cov):
    Ge = cov.Ge
    assert Ge.shape[0] == cov.G.shape[0]
    rank = np.linalg.matrix_rank(cov.G) if cov.G.size else 0
    assert Ge.shape[1] == rank
    assert_allclose(Ge @ Ge.T, cov.G @ cov.G.T, atol=1e-10)


# -- factorisation ---------------------------------------------------------------------------
def test_Lh_Lx_D_diagonalise_K(cov):
    K = cov.value()
    Lh, Lx = cov.Lh, cov.Lx
    n = cov.G.shape[0]
    assert Lx.shape == (n, n)
    assert_allclose(Lx @ Lx.T, np.eye(n), atol=1e-10)
    assert_allclose(Lh @ cov.C1.value() @ Lh.T, np.eye(cov.dim), atol=1e-9)
    assert_allclose(Lh.T @ Lh, np.linalg.inv(cov.C1.value()), rtol=1e-8, atol=1e-10)
    L = dense_L(cov)
    D = cov.D
    assert D.shape == (n * cov.dim,)
    assert np.all(D > 0) and np.all(D <= 1)
    # LKLᵀ = D⁻¹ (diagonal) and K⁻¹ = LᵀDL
    assert_allclose(L @ K @ L.T, np.diag(1 / D), rtol=1e-8, atol=1e-8)
    assert_allclose(L.T @ np.diag(D) @ L, np.linalg.inv(K), rtol=1e-8, atol=1e-10)
    # D is exactly one outside the r directions of G
    r = cov.Ge.shape[1]
    assert np.all(D.reshape(cov.dim, n)[:, r:] == 1)


# -- structured operations against dense ---------------------------------------------------------
def test_solve(cov):
    K = cov.value()
    for v in operands(cov):
        x = cov.solve(v)
        assert x.shape == v.shape
        assert_allclose(x, np.linalg.solve(K, v), rtol=1e-8, atol=1e-10)


def test_solve_accepts_lists(cov):
    v = operands(cov)[0]
    assert_allclose(cov.solve(v.tolist()), cov.solve(v))


def test_logdet(cov):
    sign, logdet = np.linalg.slogdet(cov.value())
    assert sign > 0
    assert_allclose(cov.logdet(), logdet, rtol=1e-10, atol=1e-10)


def test_logdet_gradient_against_trace(cov):
    Kinv = np.linalg.inv(cov.value())
    grad = cov.gradient()
    lgrad = cov.logdet_gradient()
    assert set(lgrad) == {"C0.Lu", "C1.Lu"}
    for name, dK in grad.items():
        expected = np.einsum("ij,jiq->q", Kinv, dK)
        assert lgrad[name].shape == (dK.shape[2],)
        assert_allclose(lgrad[name], expected, rtol=1e-8, atol=1e-9, err_msg=name)


def test_logdet_gradient_against_finite_differences(cov):
    lgrad = cov.logdet_gradient()
    for name in ["C0.Lu", "C1.Lu"]:
        var = cov._variables[name]
        theta = np.array(var.value, dtype=float)
        numeric = np.empty(theta.size)
        for k in range(theta.size):
            h = 1e-6 * max(1.0, abs(theta[k]))
            shifted = theta.copy()
            shifted[k] += h
            var.value = shifted
            upper = cov.logdet()
            shifted[k] -= 2 * h
            var.value = shifted
            lower = cov.logdet()
            numeric[k] = (upper - lower) / (2 * h)
        var.value = theta
        assert_allclose(lgrad[name], numeric, rtol=1e-5, atol=1e-6, err_msg=name)


def test_gradient_dot(cov):
    grad = cov.gradient()
    v1, v2 = operands(cov)
    g1, g2 = cov.gradient_dot(v1), cov.gradient_dot(v2)
    for name, dK in grad.items():
        q = dK.shape[2]
        assert g1[name].shape == (cov.shape[0], q)
        assert g2[name].shape == (cov.shape[0], v2.shape[1], q)
        assert_allclose(g1[name], np.einsum("abq,b->aq", dK, v1), rtol=1e-9, atol=1e-10)
        assert_allclose(g2[name], np.einsum("abq,bc->acq", dK, v2), rtol=1e-9, atol=1e-10)


def test_LdKL_dot(cov):
    grad = cov.gradient()
    L = dense_L(cov)
    v1, v2 = operands(cov)
    g1, g2 = cov.LdKL_dot(v1), cov.LdKL_dot(v2)
    for name, dK in grad.items():
        LdKL = np.einsum("ab,bcq,dc->adq", L, dK, L)
        q = dK.shape[2]
        assert g1[name].shape == (cov.shape[0], q)
        assert g2[name].shape == (cov.shape[0], v2.shape[1], q)
        scale = max(1.0, float(np.abs(LdKL).max()))
        assert_allclose(g1[name], np.einsum("abq,b->aq", LdKL, v1), atol=1e-10 * scale)
        assert_allclose(g2[name], np.einsum("abq,bc->acq", LdKL, v2), atol=1e-10 * scale)


def test_zero_C0_gives_C1_kron_identity():
    cov = make_cov(5, 3, 3, 2, "random")
    cov.C0.L = np.zeros((3, 2))
    n = 5
    K = np.kron(cov.C1.value(), np.eye(n))
    assert_allclose(cov.value(), K)
    v = np.random.RandomState(2).randn(n * 3, 2)
    assert_allclose(cov.solve(v), np.linalg.solve(K, v), rtol=1e-10, atol=1e-12)
    assert_allclose(cov.logdet(), np.linalg.slogdet(K)[1], rtol=1e-12)


def test_all_zero_G_is_C1_kron_identity():
    cov = make_cov(4, 3, 2, 2, "zero")
    assert cov.Ge.shape == (4, 0)
    assert_allclose(cov.D, np.ones(8))
    K = np.kron(cov.C1.value(), np.eye(4))
    assert_allclose(cov.value(), K)
    assert_allclose(cov.logdet(), 4 * cov.C1.logdet(), rtol=1e-12)
    assert_allclose(cov.logdet_gradient()["C0.Lu"], np.zeros(4), atol=0)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 7),
    m=st.integers(0, 7),
    p=st.integers(1, 3),
    data=st.data(),
    seed=st.integers(0, 2**31 - 1),
    zero_G=st.booleans(),
)
def test_structured_methods_match_dense_for_any_shape(n, m, p, data, seed, zero_G):
    rank = data.draw(st.integers(1, p), label="rank")
    cov = make_cov(n, m, p, rank, "zero" if zero_G else "random", seed)
    K = cov.value()
    Kinv = np.linalg.inv(K)
    v = np.random.RandomState(seed).randn(n * p, 2)
    assert_allclose(cov.solve(v), Kinv @ v, rtol=1e-7, atol=1e-9)
    assert_allclose(cov.logdet(), np.linalg.slogdet(K)[1], rtol=1e-9, atol=1e-9)
    lgrad = cov.logdet_gradient()
    gdot = cov.gradient_dot(v)
    for name, dK in cov.gradient().items():
        assert_allclose(lgrad[name], np.einsum("ij,jiq->q", Kinv, dK), rtol=1e-7, atol=1e-8)
        assert_allclose(gdot[name], np.einsum("abq,bc->acq", dK, v), rtol=1e-9, atol=1e-10)


# -- the cached factorisation ---------------------------------------------------------------------
def assert_matches_dense(cov: Kron2SumCov) -> None:
    K = cov.value()
    v = np.random.RandomState(7).randn(cov.shape[0])
    assert_allclose(cov.solve(v), np.linalg.solve(K, v), rtol=1e-8, atol=1e-10)
    assert_allclose(cov.logdet(), np.linalg.slogdet(K)[1], rtol=1e-10, atol=1e-10)


def test_factorisation_is_cached():
    cov = make_cov(6, 3, 2, 1, "random")
    v = np.ones(12)
    cov.solve(v)
    cached = cov._factors_cache
    assert cached is not None
    cov.solve(v)
    cov.logdet()
    cov.logdet_gradient()
    assert cov._factors_cache is cached


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda c, r: setattr(c.C0, "L", r.randn(3, 2)), id="C0.L"),
        pytest.param(
            lambda c, r: setattr(c.C1, "L", np.tril(r.randn(3, 3)) + 3 * np.eye(3)), id="C1.L"
        ),
        pytest.param(lambda c, r: setattr(c.C0, "Lu", r.randn(6)), id="C0.Lu"),
        pytest.param(lambda c, r: setattr(c.C1, "Lu", r.randn(6)), id="C1.Lu"),
        pytest.param(
            lambda c, r: setattr(c._variables["C1.Lu"], "value", r.randn(6)), id="optimix-variable"
        ),
        pytest.param(lambda c, r: c._variables.set({"C0.Lu": r.randn(6)}), id="optimix-set"),
        pytest.param(
            lambda c, r: c._variables["C0.Lu"].value.__setitem__(2, 5.0), id="in-place-entry"
        ),
    ],
)
def test_cache_is_dropped_when_parameters_change(change):
    cov = make_cov(6, 4, 3, 2, "random")
    assert_matches_dense(cov)
    assert cov._factors_cache is not None
    change(cov, np.random.RandomState(11))
    assert cov._factors_cache is None
    assert_matches_dense(cov)


def test_cache_follows_optimiser_steps():
    """optimix's L-BFGS-B driver sets the flat parameters through the variables."""
    from optimix._function import _set_var_arr

    cov = make_cov(5, 2, 2, 1, "random")
    assert_matches_dense(cov)
    names = sorted(cov._variables.select(fixed=False).names())
    flat = np.random.RandomState(5).randn(cov.nparams)
    _set_var_arr(flat, names, cov._variables)
    assert_matches_dense(cov)


def test_listeners_do_not_keep_the_covariance_alive():
    cov = make_cov(4, 2, 2, 1, "random")
    C0, C1 = cov.C0, cov.C1
    ref = weakref.ref(cov)
    del cov
    gc.collect()
    assert ref() is None
    C0.L = np.ones((2, 1))  # dead listeners are skipped silently
    C1.L = np.eye(2)


def test_user_listener_is_called():
    cov = make_cov(4, 2, 2, 1, "random")
    calls = []

    class Listener:
        def __call__(self):
            calls.append(1)

    listener = Listener()
    cov.listen(listener)
    cov.C0.L = np.ones((2, 1))
    cov.C1.L = np.eye(2)
    assert len(calls) == 2


# -- validation -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "word"),
    [
        ((np.array([[1.0, np.nan]]), 2, 1), "G"),
        ((np.array([[1.0, np.inf]]), 2, 1), "G"),
        ((np.ones(3), 2, 1), "G"),
        ((np.ones((2, 2, 2)), 2, 1), "G"),
        ((np.ones((0, 3)), 2, 1), "G"),
        ((np.ones((3, 2)), 0, 1), "dim"),
        ((np.ones((3, 2)), 2.0, 1), "dim"),
        ((np.ones((3, 2)), True, 1), "dim"),
        ((np.ones((3, 2)), 2, 0), "rank"),
        ((np.ones((3, 2)), 2, 3), "rank"),
        ((np.ones((3, 2)), 2, 1.5), "rank"),
    ],
)
def test_bad_construction(args, word):
    with pytest.raises(ValueError, match=word):
        Kron2SumCov(*args)


@pytest.mark.parametrize("method", ["solve", "gradient_dot", "LdKL_dot"])
@pytest.mark.parametrize(
    "v",
    [
        np.ones(5),
        np.ones((5, 2)),
        np.ones((6, 2, 2)),
        np.array([1.0, np.nan, 0, 0, 0, 0]),
        np.full((6, 1), np.inf),
        ["a"] * 6,
    ],
    ids=["short-1d", "short-2d", "3d", "nan", "inf", "text"],
)
def test_bad_operand(method, v):
    cov = make_cov(3, 2, 2, 1, "random")
    with pytest.raises(ValueError, match="v"):
        getattr(cov, method)(v)


# -- economic structure at scale ------------------------------------------------------------------
def test_large_n_solve_and_logdet_are_economic():
    n, r, p = 3000, 5, 2
    random = np.random.RandomState(0)
    G = random.randn(n, r)
    cov = Kron2SumCov(G, p, p)
    cov.C0.L = random.randn(p, p)
    cov.C1.L = np.tril(random.randn(p, p)) + 2 * np.eye(p)
    C0, C1 = cov.C0.value(), cov.C1.value()

    def K_dot(x):
        # (C₀ ⊗ GGᵀ + C₁ ⊗ I)vec(V) = vec(G(GᵀV)C₀ + VC₁), one column of x at a time
        X = x.reshape(p, n, -1)
        out = [
            (G @ (G.T @ X[:, :, c].T) @ C0 + X[:, :, c].T @ C1).T.ravel() for c in range(X.shape[2])
        ]
        return np.stack(out, axis=1).reshape(x.shape)

    v1 = random.randn(n * p)
    v2 = random.randn(n * p, 3)
    cov.solve(v1)  # factorise outside the measurement
    tracemalloc.start()
    try:
        x1 = cov.solve(v1)
        _, peak_solve = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        logdet = cov.logdet()
        _, peak_logdet = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    dense_bytes = n * n * 8
    assert peak_solve < dense_bytes / 100
    assert peak_logdet < dense_bytes / 100
    assert_allclose(K_dot(x1), v1, rtol=1e-8, atol=1e-8)
    x2 = cov.solve(v2)
    assert_allclose(K_dot(x2), v2, rtol=1e-8, atol=1e-8)

    # Matrix determinant lemma: C₀ ⊗ GGᵀ = WWᵀ with W = L₀ ⊗ G, so
    # log|K| = n⋅log|C₁| + log|I + (L₀ᵀC₁⁻¹L₀) ⊗ GᵀG|, a (p⋅r)×(p⋅r) determinant.
    L0 = cov.C0.L
    small = np.eye(p * r) + np.kron(L0.T @ np.linalg.solve(C1, L0), G.T @ G)
    expected = n * np.linalg.slogdet(C1)[1] + np.linalg.slogdet(small)[1]
    assert_allclose(logdet, expected, rtol=1e-10)

    # logdet_gradient needs O(r⋅p + p²) memory; gradient_dot little more than its own output,
    # n⋅p⋅nparams numbers (here 6000⋅7), plus a few n⋅p work arrays.
    for method, args, budget in [
        (cov.logdet_gradient, (), 64 * 1024),
        (cov.gradient_dot, (v1,), (n * p * cov.nparams + 4 * n * p) * 8),
        (cov.LdKL_dot, (v1,), (n * p * cov.nparams + 4 * n * p) * 8),
    ]:
        tracemalloc.start()
        try:
            method(*args)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < budget, method.__name__
