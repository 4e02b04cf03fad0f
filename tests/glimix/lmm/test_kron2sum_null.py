"""fit_kron2sum: the better of two starts, and REML covariances where ML has a spurious spike."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize

from glimix.lmm import Kron2Sum, fit_kron2sum


def _data(n=80, seed=0, centred=False):
    random = np.random.RandomState(seed)
    V = random.randn(n, 2 * n)
    if centred:
        V -= V.mean(axis=0)
    K = V @ V.T / V.shape[1]
    w, Q = np.linalg.eigh(K)
    keep = w > 1e-9 * w.max()
    factor = Q[:, keep] * np.sqrt(w[keep])
    C0 = np.array([[0.7, -0.2], [-0.2, 0.3]])
    Y = factor @ random.randn(factor.shape[1], 2) @ np.linalg.cholesky(C0).T
    Y += random.randn(n, 2) @ np.diag([0.6, 0.9])
    return Y + 1.5, np.ones((n, 1)), K, factor


def _unpack(theta):
    L0 = np.array([[np.exp(theta[0]), 0.0], [theta[1], np.exp(theta[2])]])
    L1 = np.array([[np.exp(theta[3]), 0.0], [theta[4], np.exp(theta[5])]])
    return L0 @ L0.T, L1 @ L1.T


def _pack(C0, C1):
    out = []
    for C in (C0, C1):
        L = np.linalg.cholesky(C)
        out += [np.log(L[0, 0]), L[1, 0], np.log(L[1, 1])]
    return np.array(out)


def _dense(theta, Y, X, K, restricted):
    """Dense (np×np) ML or REML log-likelihood of vec(Y) with the GLS mean."""
    n = Y.shape[0]
    C0, C1 = _unpack(theta)
    V = np.kron(C0, K) + np.kron(C1, np.eye(n))
    W = np.kron(np.eye(2), X)
    y = Y.ravel(order="F")
    Vi = np.linalg.inv(V)
    F = W.T @ Vi @ W
    beta = np.linalg.solve(F, W.T @ Vi @ y)
    r = y - W @ beta
    lml = -0.5 * (y.size * np.log(2 * np.pi) + np.linalg.slogdet(V)[1] + r @ Vi @ r)
    if restricted:
        c = W.shape[1]
        lml += 0.5 * (
            c * np.log(2 * np.pi) - np.linalg.slogdet(F)[1] + np.linalg.slogdet(W.T @ W)[1]
        )
    return lml


def test_full_kinship_is_the_dense_ml_maximum():
    Y, X, K, factor = _data()
    model = fit_kron2sum(Y, np.eye(2), X, factor)
    theta = _pack(model.C0, model.C1)
    assert model.lml() == pytest.approx(_dense(theta, Y, X, K, False), abs=1e-8)
    best = minimize(lambda t: -_dense(t, Y, X, K, False), theta, method="BFGS")
    assert -best.fun <= model.lml() + 1e-6


def test_centred_kinship_takes_the_reml_covariances_and_reports_ml_at_them():
    """K𝟏 = 𝟎 and an offset: ML grows without bound as C₁ becomes singular, so C₀ and C₁ are
    the maximum of the dense REML likelihood, and the lml is the dense ML density there."""
    Y, X, K, factor = _data(centred=True)
    model = fit_kron2sum(Y, np.eye(2), X, factor)
    assert np.linalg.eigvalsh(model.C1)[0] > 0.05  # not at the spike
    theta = _pack(model.C0 + 1e-9 * np.eye(2), model.C1)
    assert model.lml() == pytest.approx(_dense(theta, Y, X, K, False), abs=1e-8)
    best = minimize(lambda t: -_dense(t, Y, X, K, True), theta, method="BFGS")
    assert -best.fun <= _dense(theta, Y, X, K, True) + 1e-6
    assert np.abs(_unpack(best.x)[1] - model.C1).max() < 1e-3
    # the spike: the ML density keeps growing as C₁ shrinks along one direction
    C1 = model.C1.copy()
    u = np.linalg.eigh(C1)[1][:, 0]
    spike = [
        _dense(_pack(model.C0, C1 - (1 - eps) * (u @ C1 @ u) * np.outer(u, u)), Y, X, K, False)
        for eps in (1e-2, 1e-4, 1e-6)
    ]
    assert spike[0] < spike[1] < spike[2]
    # a single ML start of Kron2Sum is not what is returned
    plain = Kron2Sum(Y, np.eye(2), X, factor, rank=2, restricted=True)
    plain.fit(verbose=False)
    np.testing.assert_allclose(model.C1, plain.C1, rtol=1e-3, atol=1e-5)
