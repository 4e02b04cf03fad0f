"""limix.vardec.VarDec against dense maximum likelihood (explicit covariances, scipy.optimize)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import scipy.linalg
from numpy.testing import assert_allclose
from scipy.optimize import minimize
from scipy.stats import multivariate_normal

from glimix.linalg import economic_qs
from glimix.lmm import LMM, Kron2Sum
from limix._data import KinshipFactor
from limix.vardec import VarDec

# -- dense references -----------------------------------------------------------------------------


def profile(y, M, V):
    """max over 𝛃 of log 𝓝(y; M𝛃, V), by a Cholesky factor of V: (lml, 𝛃)."""
    n = y.shape[0]
    L = np.linalg.cholesky(V)
    Mw = scipy.linalg.solve_triangular(L, M, lower=True)
    yw = scipy.linalg.solve_triangular(L, y, lower=True)
    beta = np.linalg.lstsq(Mw, yw, rcond=None)[0]
    r = yw - Mw @ beta
    return -0.5 * (n * np.log(2 * np.pi) + 2 * np.sum(np.log(np.diag(L))) + r @ r), beta


def dense_fit(y, M, Ks, starts):
    """ML over the variances of ∑ⱼ vⱼKⱼ (L-BFGS-B on log vⱼ, 𝛃 at its GLS optimum) from
    several starts; returns (lml by scipy's log-density, variances, 𝛃)."""

    def negative(theta):
        return -profile(y, M, sum(np.exp(t) * K for t, K in zip(theta, Ks, strict=True)))[0]

    options = {"ftol": 1e-15, "gtol": 1e-8}
    fits = [minimize(negative, s, method="L-BFGS-B", options=options) for s in starts]
    best = min(fits, key=lambda f: f.fun)
    v = np.exp(best.x)
    V = sum(vj * K for vj, K in zip(v, Ks, strict=True))
    beta = profile(y, M, V)[1]
    return float(multivariate_normal(M @ beta, V).logpdf(y)), v, beta


# -- data -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(7)
    n = 60
    X1 = rng.randn(n, 90) / np.sqrt(90)
    X2 = rng.randn(n, 6) / np.sqrt(6)
    # kinships of mean diagonal 1, VarDec's scale (a raw K: test_kinships_are_put_on_one_scale)
    X1 /= np.sqrt(np.mean(np.einsum("ij,ij->i", X1, X1)))
    X2 /= np.sqrt(np.mean(np.einsum("ij,ij->i", X2, X2)))
    K1, K2 = X1 @ X1.T, X2 @ X2.T
    M = np.column_stack([np.ones(n), rng.randn(n)])
    y = M @ [1.0, -0.5] + X1 @ rng.randn(90) + X2 @ rng.randn(6) * np.sqrt(0.8) + rng.randn(n) * 0.7
    return {"y": y, "M": M, "K1": K1, "K2": K2, "X1": X1}


@pytest.fixture(scope="module")
def one_kinship(data):
    v = VarDec(data["y"], "normal", M=data["M"])
    v.append(data["K1"], "genetic")
    v.append_iid("noise")
    v.fit(verbose=False)
    return v


@pytest.fixture(scope="module")
def two_kinships(data):
    v = VarDec(data["y"], "normal", M=data["M"])
    v.append(data["K1"], "cis")
    v.append(data["K2"], "trans")
    v.append_iid("noise")
    v.fit(verbose=False)
    return v


def test_kinships_are_put_on_one_scale(data, one_kinship):
    """A kinship times c gives the same fit: the lml and the variances (reported on the scale
    of mean diagonal 1) do not change, and the summary says so."""
    raw = VarDec(data["y"], "normal", M=data["M"])
    raw.append(7.5 * data["K1"], "genetic")
    raw.append_iid("noise")
    raw.fit(verbose=False)
    assert raw.lml() == pytest.approx(one_kinship.lml(), rel=1e-10)
    assert_allclose(raw.variances.to_numpy(), one_kinship.variances.to_numpy(), rtol=1e-5)
    assert_allclose(raw.covariance[0], one_kinship.covariance[0], rtol=1e-5, atol=1e-12)
    assert "(each 𝙺 scaled to mean diagonal 1)" in str(raw)
    with pytest.raises(ValueError, match="zero diagonal"):
        VarDec(data["y"], "normal").append(np.zeros((60, 60)), "none")


# -- normal, one kinship --------------------------------------------------------------------------


def test_one_kinship_equals_the_dense_fit_and_the_lmm(data, one_kinship):
    y, M, K = data["y"], data["M"], data["K1"]
    n = len(y)
    lml, v, beta = dense_fit(y, M, [K, np.eye(n)], [[0.0, 0.0], [-2.0, 0.5], [0.5, -2.0]])
    assert np.all(v > 0.05)  # an interior optimum
    assert_allclose(one_kinship.variances.to_numpy(), v, rtol=2e-3)
    assert_allclose(one_kinship.lml(), lml, rtol=1e-8)
    assert one_kinship.lml() <= lml + 1e-6
    assert_allclose(one_kinship.effsizes, beta, rtol=1e-3)
    lmm = LMM(y, M, economic_qs(K))
    lmm.fit(verbose=False)
    assert_allclose(one_kinship.variances.to_numpy(), [lmm.v0, lmm.v1], rtol=2e-3)
    assert_allclose(one_kinship.lml(), lmm.lml(), rtol=1e-8)
    # the lml is the dense log-density at the reported parameters
    V = one_kinship.variances["genetic"] * K + one_kinship.variances["noise"] * np.eye(n)
    at_reported = multivariate_normal(M @ one_kinship.effsizes, V).logpdf(y)
    assert_allclose(one_kinship.lml(), at_reported, rtol=1e-10)


def test_covariance_of_each_component(data, one_kinship):
    C = one_kinship.covariance
    v = one_kinship.variances
    assert len(C) == 2
    assert_allclose(C[0], v["genetic"] * data["K1"])
    assert_allclose(C[1], v["noise"] * np.eye(len(data["y"])))


def test_a_factor_is_its_kinship(data, one_kinship):
    with pytest.raises(ValueError, match="square"):
        VarDec(data["y"]).append(data["X1"], "genetic")
    v = VarDec(data["y"], "normal", M=data["M"])
    v.append(KinshipFactor(data["X1"]), "genetic")  # K = XXᵀ given by X
    v.append_iid("noise")
    v.fit(verbose=False)
    assert_allclose(v.variances.to_numpy(), one_kinship.variances.to_numpy(), rtol=1e-5)


def test_labelled_inputs_are_aligned(data, one_kinship):
    y, M, K = data["y"], data["M"], data["K1"]
    n = len(y)
    labels = np.array([f"s{i}" for i in range(n)])
    rng = np.random.RandomState(2)
    p, q = rng.permutation(n), rng.permutation(n)
    v = VarDec(pd.Series(y, index=labels), "normal", M=pd.DataFrame(M[p], index=labels[p]))
    v.append(pd.DataFrame(K[np.ix_(q, q)], index=labels[q], columns=labels[q]), "genetic")
    v.append_iid("noise")
    v.fit(verbose=False)
    assert_allclose(v.variances.to_numpy(), one_kinship.variances.to_numpy(), rtol=1e-6)
    assert_allclose(v.lml(), one_kinship.lml(), rtol=1e-10)


# -- normal, two kinships -------------------------------------------------------------------------


def test_two_kinships_equal_the_dense_fit(data, two_kinships):
    y, M = data["y"], data["M"]
    n = len(y)
    Ks = [data["K1"], data["K2"], np.eye(n)]
    starts = [[0.0, 0.0, 0.0], [-2.0, 0.5, -0.5], [0.5, -2.0, -1.0]]
    lml, v, beta = dense_fit(y, M, Ks, starts)
    assert np.all(v > 0.05)
    assert list(two_kinships.variances.index) == ["cis", "trans", "noise"]
    assert_allclose(two_kinships.lml(), lml, rtol=1e-8)
    assert two_kinships.lml() <= lml + 1e-6
    assert_allclose(two_kinships.variances.to_numpy(), v, rtol=5e-3)
    assert_allclose(two_kinships.effsizes, beta, rtol=2e-3)


def test_summary_names_each_component(two_kinships):
    text = str(two_kinships)
    v = two_kinships.variances
    assert text.startswith("Variance decomposition\n----------------------")
    assert f"𝐲 ~ 𝓝(𝙼𝜶, {v['cis']:.3f}⋅𝙺 + {v['trans']:.3f}⋅𝙺 + {v['noise']:.3f}⋅𝙸)" in text
    fractions = v / v.sum()
    for name in ("cis", "trans", "noise"):
        row = next(line for line in text.splitlines() if line.startswith(name))
        numbers = [float(x) for x in row.split()[1:]]
        assert_allclose(numbers, [v[name], fractions[name]], atol=6e-4)
    assert repr(two_kinships) == text


def test_plot_has_one_bar_per_component(two_kinships):
    fig, ax = plt.subplots()
    try:
        out = two_kinships.plot(ax=ax)
        assert out is ax
        bars = ax.patches
        assert len(bars) == 3
        v = two_kinships.variances
        assert_allclose([b.get_height() for b in bars], (v / v.sum()).to_numpy())
        assert [t.get_text() for t in ax.get_xticklabels()] == ["cis", "trans", "noise"]
    finally:
        plt.close(fig)
    fig = plt.figure()
    try:
        assert two_kinships.plot() is plt.gca()
    finally:
        plt.close(fig)


# -- non-normal -----------------------------------------------------------------------------------


def test_poisson_decomposition_runs_and_gives_positive_variances(data):
    rng = np.random.RandomState(3)
    n = len(data["y"])
    z = data["X1"] @ rng.randn(90) * 0.6 + rng.randn(n) * 0.3
    y = rng.poisson(np.exp(0.5 + z))
    v = VarDec(y, "poisson")
    v.append(data["K1"], "genetic")
    v.append_iid("overdispersion")
    v.fit(verbose=False)
    assert np.all(v.variances.to_numpy() > 0)
    assert np.isfinite(v.lml()) and v.lml() < 0
    assert str(v).splitlines()[3].startswith("𝐳 ~ 𝓝(𝙼𝜶, ")
    # the genetic part that was simulated (variance ≈ 0.36 per sample) is found
    assert v.variances["genetic"] > 0.05


# -- multi-trait ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def multi_data():
    rng = np.random.RandomState(5)
    n = 40
    X = rng.randn(n, 50) / np.sqrt(50)
    X /= np.sqrt(np.mean(np.einsum("ij,ij->i", X, X)))  # K of mean diagonal 1
    K = X @ X.T
    M = np.column_stack([np.ones(n), rng.randn(n)])
    U = X @ rng.randn(50, 2) @ np.array([[1.0, 0.4], [0.0, 0.6]])
    E = rng.randn(n, 2) @ np.array([[0.8, 0.2], [0.0, 0.7]])
    Y = M @ rng.randn(2, 2) + U + E
    return Y, M, K, X


def _fit_multi(Y, M, K, rank=None):
    """VarDec of the traits Y with covariates M, a genetic component (kinship K) and iid noise,
    fitted."""
    v = VarDec(Y, "normal", M=M, rank=rank)
    v.append(K, "genetic")
    v.append_iid("noise")
    v.fit(verbose=False)
    return v


def test_multi_trait_equals_kron2sum(multi_data):
    Y, M, K, X = multi_data
    n, p = Y.shape
    v = _fit_multi(Y, M, K)
    C0, C1 = v.covariance
    assert C0.shape == C1.shape == (2, 2)
    model = Kron2Sum(Y, np.eye(p), M, X, rank=p)
    model.fit(verbose=False)
    assert_allclose(C0, model.C0, rtol=1e-4, atol=1e-6)
    assert_allclose(C1, model.C1, rtol=1e-4, atol=1e-6)
    assert_allclose(v.lml(), model.lml(), rtol=1e-8)
    assert_allclose(v.variances.to_numpy(), [np.trace(C0) / p, np.trace(C1) / p], rtol=1e-12)
    # dense: the lml is the log-density of vec(Y) at the fitted C₀, C₁ and GLS 𝐁
    y = Y.ravel(order="F")
    V = np.kron(C0, K) + np.kron(C1, np.eye(n))
    W = np.kron(np.eye(p), M)
    lml, beta = profile(y, W, V)
    assert_allclose(v.lml(), lml, rtol=1e-9)
    assert_allclose(np.asarray(v.effsizes).ravel(order="F"), beta, rtol=1e-6, atol=1e-9)
    assert np.linalg.matrix_rank(C0) == 2  # full rank: correlations are estimated


def test_multi_trait_is_a_dense_local_maximum(multi_data):
    """Full-rank C₀ and C₁ by Cholesky factors: no direction improves the dense lml."""
    Y, M, K, _ = multi_data
    n, p = Y.shape
    v = _fit_multi(Y, M, K)
    y = Y.ravel(order="F")
    W = np.kron(np.eye(p), M)
    eye = np.eye(n)

    def unpack(theta):
        L0 = np.array([[np.exp(theta[0]), 0.0], [theta[1], np.exp(theta[2])]])
        L1 = np.array([[np.exp(theta[3]), 0.0], [theta[4], np.exp(theta[5])]])
        return L0 @ L0.T, L1 @ L1.T

    def negative(theta):
        A, B = unpack(theta)
        return -profile(y, W, np.kron(A, K) + np.kron(B, eye))[0]

    start = []
    for C in v.covariance:
        L = np.linalg.cholesky(C)
        start += [np.log(L[0, 0]), L[1, 0], np.log(L[1, 1])]
    assert_allclose(-negative(start), v.lml(), rtol=1e-10)
    better = minimize(negative, start, method="L-BFGS-B", options={"ftol": 1e-14, "gtol": 1e-9})
    assert -better.fun <= v.lml() + 1e-6


def test_multi_trait_rank_one_is_the_manuals_model(multi_data):
    """rank=1: C₀ = 𝐥𝐥ᵀ, as the manual's Kron2Sum at its default rank; the full-rank fit
    (the default) is at least as likely, since rank one is a special case of it."""
    Y, M, K, X = multi_data
    n, p = Y.shape
    fits = {rank: _fit_multi(Y, M, K, rank) for rank in (1, None)}
    C0 = fits[1].covariance[0]
    assert abs(C0[0, 1]) == pytest.approx(np.sqrt(C0[0, 0] * C0[1, 1]), rel=1e-8)
    model = Kron2Sum(Y, np.eye(p), M, X, rank=1)
    model.fit(verbose=False)
    assert fits[1].lml() >= model.lml() - 1e-8
    assert fits[None].lml() >= fits[1].lml() - 1e-8
    y = Y.ravel(order="F")
    V = np.kron(C0, K) + np.kron(fits[1].covariance[1], np.eye(n))
    assert_allclose(fits[1].lml(), profile(y, np.kron(np.eye(p), M), V)[0], rtol=1e-9)


@pytest.mark.parametrize(
    ("rank", "words"), [(0, "between 1 and p = 2"), (3, "between 1 and p = 2"), (1.0, "integer")]
)
def test_multi_trait_rank_is_checked(multi_data, rank, words):
    with pytest.raises(ValueError, match=words):
        VarDec(multi_data[0], "normal", rank=rank)


def test_rank_with_one_trait_is_refused(data):
    with pytest.raises(ValueError, match="several traits"):
        VarDec(data["y"], "normal", rank=1)


# -- errors ---------------------------------------------------------------------------------------


def test_errors(data):
    v = VarDec(data["y"], "normal")
    with pytest.raises(ValueError, match="append"):
        v.fit(verbose=False)
    v.append(data["K1"], "a")
    with pytest.raises(ValueError, match="'a'"):
        v.append(data["K2"], "a")
    with pytest.raises(ValueError, match="fit"):
        v.lml()
    with pytest.raises(ValueError, match=r"K|sample"):
        v.append(data["K1"][:-1, :-1], "short")
    with pytest.raises(ValueError, match="lik"):
        VarDec(data["y"], "gamma")
    Y = np.column_stack([data["y"], data["y"]])
    w = VarDec(Y, "normal")
    w.append(data["K1"], "a")
    w.append(data["K2"], "b")
    w.append_iid("noise")
    with pytest.raises(ValueError, match="one kinship"):
        w.fit(verbose=False)
