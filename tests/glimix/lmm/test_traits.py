"""TraitsScanner against the dense textbook computation, candidate by candidate, trait by trait."""

import numpy as np
import pytest
from scipy.stats import multivariate_normal

from glimix.linalg import economic_qs, economic_qs_linear
from glimix.lmm import TraitsScanner


def _dense(y, X, g, V, covariates=False):
    """ML of y ∼ 𝓝([X g][α; β], sV): lml, β, se(β), s (and α, se(α) with ``covariates``)."""
    E = np.column_stack([X, g])
    Vi = np.linalg.inv(V)
    A = E.T @ Vi @ E
    coef = np.linalg.solve(A, E.T @ Vi @ y)
    r = y - E @ coef
    s = float(r @ Vi @ r) / len(y)
    lml = multivariate_normal(E @ coef, s * V).logpdf(y)
    se = np.sqrt(s * np.diag(np.linalg.inv(A)))
    if covariates:
        return coef[:-1], se[:-1]
    return lml, coef[-1], se[-1], s


@pytest.mark.parametrize("kind", ["full", "low", "none"])
def test_against_dense(kind):
    rng = np.random.RandomState(3)
    n, T, m = 30, 4, 6
    W = rng.randn(n, 10 if kind == "low" else 40)
    K = W @ W.T / W.shape[1]
    QS = {"full": economic_qs(K), "low": economic_qs_linear(W / np.sqrt(W.shape[1])), "none": None}[
        kind
    ]
    X = np.column_stack([np.ones(n), rng.randn(n)])
    Y = rng.randn(n, T) + X @ rng.randn(2, T)
    G = rng.randn(n, m)
    deltas = np.array([0.2, 0.5, 0.9, 0.05])
    scanner = TraitsScanner(Y, X, QS, deltas)
    r = scanner.test(G)  # the protocol: fast_scan's arrays as a ScanResult
    assert r.dof.shape == (m, T) and np.all(r.dof == 1)
    for t in range(T):
        d = 1.0 if kind == "none" else deltas[t]
        V = (1 - d) * K + d * np.eye(n) if kind != "none" else np.eye(n)
        for j in range(m):
            lml, beta, se, s = _dense(Y[:, t], X, G[:, j], V)
            np.testing.assert_allclose(r["lml"][j, t], lml, rtol=1e-10)
            np.testing.assert_allclose(r["effsizes1"][j, t], beta, rtol=1e-8, atol=1e-12)
            np.testing.assert_allclose(r["effsizes1_se"][j, t], se, rtol=1e-8)
            np.testing.assert_allclose(r["scale"][j, t], s, rtol=1e-8)
            alpha, se_alpha = _dense(Y[:, t], X, G[:, j], V, covariates=True)
            np.testing.assert_allclose(r["effsizes0"][j, t], alpha, rtol=1e-8, atol=1e-12)
            np.testing.assert_allclose(r["effsizes0_se"][j, t], se_alpha, rtol=1e-8)
        # the null: GLS without the candidate
        Vi = np.linalg.inv(V)
        alpha = np.linalg.solve(X.T @ Vi @ X, X.T @ Vi @ Y[:, t])
        res = Y[:, t] - X @ alpha
        s0 = float(res @ Vi @ res) / n
        np.testing.assert_allclose(scanner.null_beta[t], alpha, rtol=1e-8)
        np.testing.assert_allclose(
            scanner.null_lml[t], multivariate_normal(X @ alpha, s0 * V).logpdf(Y[:, t]), rtol=1e-10
        )


def test_candidate_in_the_span_of_the_covariates():
    rng = np.random.RandomState(0)
    n = 20
    X = np.column_stack([np.ones(n), rng.randn(n)])
    Y = rng.randn(n, 2)
    scanner = TraitsScanner(Y, X, economic_qs_linear(rng.randn(n, 5)), [0.3, 0.6])
    r = scanner.fast_scan(np.column_stack([2 * X[:, 1] - X[:, 0], rng.randn(n)]))
    assert np.all(r["effsizes1"][0] == 0) and np.all(np.isinf(r["effsizes1_se"][0]))
    np.testing.assert_allclose(r["lml"][0], scanner.null_lml, rtol=1e-12)
    assert np.all(np.isfinite(r["effsizes1_se"][1]))


def test_bad_inputs():
    rng = np.random.RandomState(0)
    Y, X = rng.randn(10, 2), np.ones((10, 1))
    with pytest.raises(ValueError, match="deltas"):
        TraitsScanner(Y, X, economic_qs_linear(rng.randn(10, 3)), [0.5])
    with pytest.raises(ValueError, match="Y must be"):
        TraitsScanner(np.full((10, 2), np.nan), X, None, [1, 1])
    scanner = TraitsScanner(Y, X, None, [1, 1])
    with pytest.raises(ValueError, match="G must be"):
        scanner.fast_scan(np.ones((9, 2)))
