"""The exact multi-trait test's machinery: interpolated Gram matrices against the sample sums,
its likelihood against the dense Gaussian density, and covariances on the cone's boundary."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from glimix.lmm._kron2sum_algebra import RotatedData
from glimix.lmm._kron2sum_exact import _Z_PANEL, ExactKronTest, _Interpolated, _Samples


def _data(n=60, r=None, seed=0, spread=6.0):
    """Rotated data whose eigenvalues σ² span `spread` decades (r < n: a complement)."""
    random = np.random.RandomState(seed)
    r = n if r is None else r
    Q, _ = np.linalg.qr(random.randn(n, n))
    sx = np.logspace(-spread / 2, spread / 2, r)
    Y = random.randn(n, 2)
    X = np.hstack([np.ones((n, 1)), random.randn(n, 1)])
    data = RotatedData.build(Q[:, :r], sx, Y, X)
    G = random.randn(n, 5)
    return data, G, Q[:, :r], sx, Y, X


@pytest.mark.parametrize("r", [60, 45])
def test_interpolated_gram_matrices_equal_the_sample_sums_on_every_panel(r):
    """From below the first panel to λ = 1e14 (far beyond 1/min σ²: the z panel) and ∞."""
    data, G, *_ = _data(r=r)
    samples = _Samples(data, data.rotate(G), drop_perp=False)
    interp = _Interpolated(samples, np.array([0.3, 50.0]))
    lam = np.concatenate([[0.0, 1e-6], np.logspace(-3, 14, 40), [np.inf]])
    idx = np.arange(lam.size) % samples.m
    for k in range(2):
        Psi_i, ell_i = interp(k, lam, idx)
        finite = np.isfinite(lam)
        Psi_d, ell_d = samples.direct(k, lam[finite], idx[finite])
        scale = np.abs(Psi_d).max(axis=(1, 2), keepdims=True)
        assert (np.abs(Psi_i[finite] - Psi_d) / scale).max() < 1e-10
        assert_allclose(ell_i[finite], ell_d, rtol=1e-11, atol=1e-9)
        # λ = ∞: only the complement (weight one) remains
        assert_allclose(Psi_i[-1][:-1, :-1], samples.fixed_perp, atol=1e-12 * scale.max())
    assert any(j == _Z_PANEL for (_, j) in interp.panels)  # the z panel was used
    assert len(interp.panels) > 4  # several t panels were built on demand


def _dense_lml(C0, C1, Q, sx, Y, W):
    """log N(vec Y; W𝛄̂, C₀⊗K + C₁⊗I), K = Q diag(σ²) Qᵀ, 𝛄̂ the GLS estimate."""
    n = Y.shape[0]
    K = (Q * sx) @ Q.T
    V = np.kron(C0, K) + np.kron(C1, np.eye(n))
    y = Y.ravel(order="F")
    Vi = np.linalg.inv(V)
    gamma = np.linalg.solve(W.T @ Vi @ W, W.T @ Vi @ y)
    r = y - W @ gamma
    return -0.5 * (y.size * np.log(2 * np.pi) + np.linalg.slogdet(V)[1] + r @ Vi @ r)


@pytest.mark.parametrize(
    "C0, C1",
    [
        (np.array([[0.8, -0.2], [-0.2, 0.5]]), np.array([[0.4, 0.1], [0.1, 0.7]])),
        # C₁ nearly singular (λ → ∞ in one direction) and C₀ nearly singular (λ → 0)
        (np.array([[0.8, -0.2], [-0.2, 0.5]]), np.array([[1.0, 0.5], [0.5, 0.25 + 1e-11]])),
        (np.array([[1.0, 0.6], [0.6, 0.36 + 1e-12]]), np.array([[0.4, 0.1], [0.1, 0.7]])),
    ],
)
def test_likelihood_equals_the_dense_density(C0, C1):
    data, G, Q, sx, Y, X = _data(n=40, spread=4.0)
    test = ExactKronTest(data, np.eye(2), np.eye(2), 40)
    samples = _Samples(data, data.rotate(G), drop_perp=False)
    theta = np.tile(test.pack(C0, C1), (G.shape[1], 1))
    idx = np.arange(G.shape[1])
    direct = test.evaluate(theta, idx, samples.direct).lml
    interp = test.evaluate(theta, idx, _Interpolated(samples, np.array([1.0, 1.0]))).lml
    C0p, C1p = test.covariances(theta[:1])
    for j in range(G.shape[1]):
        W = np.hstack([np.kron(np.eye(2), X), np.kron(np.eye(2), G[:, [j]])])
        dense = _dense_lml(C0p[0], C1p[0], Q, sx, Y, W)
        assert direct[j] == pytest.approx(dense, abs=1e-7)
        assert interp[j] == pytest.approx(dense, abs=1e-7)


def test_maximum_on_the_boundary_of_the_cone_is_reached():
    """Y built with noise of rank one: the maximum has C₁ singular; Newton in the log-Cholesky
    coordinates must approach it to within 1e-8 of the supremum (checked along the boundary
    by scanning the lml towards it)."""
    random = np.random.RandomState(3)
    n = 50
    Q, _ = np.linalg.qr(random.randn(n, n))
    sx = np.logspace(-1, 1, n)
    U = (Q * np.sqrt(sx)) @ random.randn(n, 2) @ np.array([[1.0, 0.3], [0.0, 0.6]])
    E = random.randn(n, 1) @ np.array([[0.8, -0.5]])  # rank-one noise
    Y = U + E
    X = np.ones((n, 1))
    data = RotatedData.build(Q, sx, Y, X)
    test = ExactKronTest(data, np.eye(2), np.zeros((2, 0)), n)
    result, _ = test.run(None, np.eye(2), np.eye(2))
    C1 = result.C1[0]
    assert np.linalg.eigvalsh(C1)[0] < 1e-6 * np.trace(C1)
    # the supremum along the path C₁ + εI, ε → 0, is not above what was found
    samples = _Samples(data, None, drop_perp=False)
    for eps in (1e-4, 1e-6, 1e-8):
        th = test.pack(result.C0[0], C1 + eps * np.eye(2))[None]
        assert test.evaluate(th, np.arange(1), samples.direct).lml[0] <= result.lml[0] + 1e-8
