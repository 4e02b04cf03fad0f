"""economic_qs, economic_qs_linear and economic_svd against dense numpy decompositions."""

from __future__ import annotations

import numpy as np
import pytest

from glimix.linalg import economic_qs, economic_qs_linear, economic_svd

# (n, r): rows and rank of G (n×r), so K = GGᵀ has rank r; r = n is full rank
SIZES = [(1, 1), (5, 2), (8, 8), (10, 3), (12, 11), (30, 7)]


def _G(n, r, seed=0):
    return np.random.default_rng(seed).normal(size=(n, r))


def _check_qs(Q0, Q1, S0, K, rank):
    n = K.shape[0]
    assert Q0.shape == (n, rank)
    assert Q1.shape == (n, n - rank)
    assert S0.shape == (rank,)
    assert np.all(S0 > 0)
    assert np.all(np.diff(S0) >= 0)  # ascending
    scale = max(1.0, np.abs(K).max())
    np.testing.assert_allclose(Q0 @ np.diag(S0) @ Q0.T, K, atol=1e-10 * scale)
    np.testing.assert_allclose(Q0.T @ Q0, np.eye(rank), atol=1e-10)
    np.testing.assert_allclose(Q1.T @ Q1, np.eye(n - rank), atol=1e-10)
    np.testing.assert_allclose(Q0.T @ Q1, np.zeros((rank, n - rank)), atol=1e-10)
    np.testing.assert_allclose(K @ Q1, np.zeros((n, n - rank)), atol=1e-10 * scale)
    Q = np.hstack([Q0, Q1])
    np.testing.assert_allclose(Q @ Q.T, np.eye(n), atol=1e-10)


@pytest.mark.parametrize(("n", "r"), SIZES)
@pytest.mark.parametrize("seed", [0, 1])
def test_economic_qs_of_GGt(n, r, seed):
    G = _G(n, r, seed)
    K = G @ G.T
    (Q0, Q1), S0 = economic_qs(K)
    _check_qs(Q0, Q1, S0, K, r)
    expected = np.linalg.eigvalsh(K)[n - r :]
    np.testing.assert_allclose(S0, expected, rtol=1e-10)


@pytest.mark.parametrize(("n", "r"), SIZES)
def test_economic_qs_small_ridge_keeps_all_eigenvalues(n, r):
    G = _G(n, r, 2)
    K = G @ G.T + 1e-9 * np.eye(n)
    (Q0, Q1), S0 = economic_qs(K)
    _check_qs(Q0, Q1, S0, K, n)
    assert np.sum(np.isclose(S0, 1e-9, rtol=1e-3)) == n - r


def test_economic_qs_zero_and_identity():
    (Q0, Q1), S0 = economic_qs(np.zeros((3, 3)))
    assert Q0.shape == (3, 0)
    assert S0.shape == (0,)
    np.testing.assert_allclose(Q1.T @ Q1, np.eye(3), atol=1e-14)
    (Q0, Q1), S0 = economic_qs(2 * np.eye(4))
    assert Q1.shape == (4, 0)
    np.testing.assert_allclose(S0, 2 * np.ones(4))


def test_economic_qs_manual_example():
    (_, Q1), S0 = economic_qs(np.array([[2.0, 1.0], [1.0, 2.0]]))
    np.testing.assert_allclose(S0, [1.0, 3.0])
    assert Q1.shape == (2, 0)


def test_economic_qs_explicit_tol():
    K = np.diag([1e-4, 1.0, 2.0])
    (_, Q1), S0 = economic_qs(K, tol=1e-3)
    np.testing.assert_allclose(S0, [1.0, 2.0])
    assert Q1.shape == (3, 1)
    np.testing.assert_allclose(np.abs(Q1[:, 0]), [1.0, 0.0, 0.0], atol=1e-14)


def test_economic_qs_accepts_round_off_negative_eigenvalues():
    G = _G(40, 5, 3)
    K = G @ G.T  # its 35 zero eigenvalues come out of eigh as ±round-off
    (Q0, _), _ = economic_qs(K)
    assert Q0.shape == (40, 5)


@pytest.mark.parametrize(
    ("K", "message"),
    [
        ([[1.0, 2.0], [0.0, 1.0]], "K must be symmetric"),
        (np.ones((2, 3)), "K must be square"),
        (np.ones(3), "K must be two-dimensional"),
        ([[1.0, np.nan], [np.nan, 1.0]], "K has 2 non-finite"),
        ([[np.inf, 0.0], [0.0, 1.0]], "K has 1 non-finite"),
        ([[1.0, 2.0], [2.0, 1.0]], "K must be positive semi-definite"),
        (-np.eye(3), "K must be positive semi-definite"),
        (np.diag([1.0, 1.0, -1e-6]), "K must be positive semi-definite"),
    ],
)
def test_economic_qs_rejects(K, message):
    with pytest.raises(ValueError, match=message):
        economic_qs(K)


@pytest.mark.parametrize(("n", "m"), [(1, 1), (6, 2), (6, 6), (4, 9), (25, 5)])
def test_economic_qs_linear(n, m):
    G = _G(n, m, 4)
    K = G @ G.T
    rank = min(n, m)
    (Q0, Q1), S0 = economic_qs_linear(G)
    _check_qs(Q0, Q1, S0, K, rank)
    np.testing.assert_allclose(S0, np.linalg.eigvalsh(K)[n - rank :], rtol=1e-10)


def test_economic_qs_linear_rank_deficient():
    rng = np.random.default_rng(5)
    G = rng.normal(size=(10, 2)) @ rng.normal(size=(2, 6))  # 10×6 of rank 2
    (Q0, Q1), S0 = economic_qs_linear(G)
    _check_qs(Q0, Q1, S0, G @ G.T, 2)


@pytest.mark.parametrize(("n", "m"), [(50, 3), (7, 7), (5, 8)])
def test_economic_qs_linear_without_q1(n, m):
    G = _G(n, m, 6)
    result = economic_qs_linear(G, return_q1=False)
    assert len(result) == 2
    Qs, S0 = result
    assert isinstance(Qs, tuple)
    assert len(Qs) == 1
    (Q0,) = Qs
    rank = min(n, m)
    assert Q0.shape == (n, rank)  # n×r, never the n×n of Q = [Q0 Q1] when r < n
    np.testing.assert_allclose(Q0 @ np.diag(S0) @ Q0.T, G @ G.T, atol=1e-10 * n)
    (Q0_full, _), S0_full = economic_qs_linear(G)
    np.testing.assert_allclose(S0, S0_full)
    np.testing.assert_allclose(Q0, Q0_full)


def test_economic_qs_linear_zero_matrix():
    (Q0, Q1), S0 = economic_qs_linear(np.zeros((4, 2)))
    assert Q0.shape == (4, 0)
    assert S0.shape == (0,)
    np.testing.assert_allclose(Q1 @ Q1.T, np.eye(4), atol=1e-14)


def test_economic_qs_linear_agrees_with_economic_qs():
    G = _G(12, 4, 7)
    (Q0,), S0 = economic_qs_linear(G, return_q1=False)
    (P0, _), T0 = economic_qs(G @ G.T)
    np.testing.assert_allclose(S0, T0, rtol=1e-10)
    # same eigenspaces (eigenvectors up to sign)
    np.testing.assert_allclose(Q0 @ Q0.T, P0 @ P0.T, atol=1e-10)


@pytest.mark.parametrize(("n", "m", "r"), [(6, 4, 4), (4, 6, 4), (8, 5, 2), (3, 3, 1)])
def test_economic_svd(n, m, r):
    rng = np.random.default_rng(n + m + r)
    G = rng.normal(size=(n, r)) @ rng.normal(size=(r, m))
    U, S, VT = economic_svd(G)
    assert U.shape == (n, r)
    assert S.shape == (r,)
    assert VT.shape == (r, m)
    assert np.all(np.diff(S) <= 0)  # descending
    np.testing.assert_allclose(U @ np.diag(S) @ VT, G, atol=1e-10)
    np.testing.assert_allclose(U.T @ U, np.eye(r), atol=1e-10)
    np.testing.assert_allclose(VT @ VT.T, np.eye(r), atol=1e-10)
    np.testing.assert_allclose(S, np.linalg.svd(G, compute_uv=False)[:r], rtol=1e-10)


def test_economic_svd_manual_example_and_tol():
    G = np.array([[1.0, 2.0], [2.0, 4.0], [0.0, 0.0]])
    U, S, VT = economic_svd(G)
    assert VT.shape == (1, 2)
    np.testing.assert_allclose(U @ np.diag(S) @ VT, G, atol=1e-14)
    assert U.shape == (3, 1)
    np.testing.assert_allclose(S, [5.0])
    _, S, _ = economic_svd(np.diag([3.0, 1e-3]), tol=1e-2)
    np.testing.assert_allclose(S, [3.0])


@pytest.mark.parametrize("func", [economic_svd, economic_qs_linear])
def test_rejects_bad_G(func):
    with pytest.raises(ValueError, match="G has 1 non-finite"):
        func([[1.0, np.nan], [0.0, 1.0]])
    with pytest.raises(ValueError, match="G must be two-dimensional"):
        func(np.ones(3))
