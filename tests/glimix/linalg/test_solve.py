"""rsolve, cho_logdet and plogdet against pinv, slogdet and eigenvalue sums."""

from __future__ import annotations

import numpy as np
import pytest

from glimix.linalg import cho_logdet, plogdet, rsolve


def test_rsolve_non_singular_equals_solve():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(5, 5)) + 5 * np.eye(5)
    b = rng.normal(size=5)
    np.testing.assert_allclose(rsolve(A, b), np.linalg.solve(A, b), rtol=1e-10)
    B = rng.normal(size=(5, 3))
    np.testing.assert_allclose(rsolve(A, B), np.linalg.solve(A, B), rtol=1e-10)


@pytest.mark.parametrize(("n", "r"), [(2, 1), (6, 3), (8, 1)])
def test_rsolve_singular_is_minimum_norm_least_squares(n, r):
    rng = np.random.default_rng(n + r)
    G = rng.normal(size=(n, r))
    A = G @ G.T  # singular, rank r
    b = rng.normal(size=n)  # not in the range of A
    x = rsolve(A, b)
    assert np.all(np.isfinite(x))
    np.testing.assert_allclose(x, np.linalg.pinv(A) @ b, rtol=1e-8, atol=1e-10)
    # least squares: the residual is orthogonal to range(A); minimum norm: x ∈ range(A)
    np.testing.assert_allclose(A.T @ (A @ x - b), 0, atol=1e-9)
    P = G @ np.linalg.pinv(G)
    np.testing.assert_allclose(P @ x, x, atol=1e-9)


def test_rsolve_collinear_covariates():
    X = np.array([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]])
    A, b = X.T @ X, X.T @ np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(rsolve(A, b), np.linalg.pinv(A) @ b, rtol=1e-10)


def test_rsolve_rectangular():
    rng = np.random.default_rng(3)
    A, b = rng.normal(size=(7, 3)), rng.normal(size=7)
    np.testing.assert_allclose(rsolve(A, b), np.linalg.pinv(A) @ b, rtol=1e-10)


def test_rsolve_manual_example_and_empty():
    np.testing.assert_allclose(rsolve([[1.0, 1.0], [1.0, 1.0]], [2.0, 2.0]), [1.0, 1.0])
    assert rsolve(np.zeros((3, 0)), np.ones(3)).shape == (0,)
    assert rsolve(np.zeros((3, 0)), np.ones((3, 2))).shape == (0, 2)


def test_rsolve_rejects():
    with pytest.raises(ValueError, match="do not conform"):
        rsolve(np.eye(3), np.ones(2))
    with pytest.raises(ValueError, match="do not conform"):
        rsolve(np.ones(3), np.ones(3))


@pytest.mark.parametrize("n", [1, 3, 10])
def test_cho_logdet(n):
    G = np.random.default_rng(n).normal(size=(n, n + 2))
    A = G @ G.T
    sign, logdet = np.linalg.slogdet(A)
    assert sign == 1
    assert cho_logdet(A) == pytest.approx(logdet, rel=1e-10, abs=1e-12)
    assert cho_logdet(A) == pytest.approx(np.sum(np.log(np.linalg.eigvalsh(A))), rel=1e-8)


@pytest.mark.parametrize(
    "A",
    [
        [[1.0, 2.0], [2.0, 1.0]],  # indefinite
        -np.eye(2),
        np.zeros((2, 2)),
        [[1.0, 1.0], [1.0, 1.0]] - 1e-3 * np.eye(2),
    ],
)
def test_cho_logdet_rejects_non_positive_definite(A):
    with pytest.raises(ValueError, match="A must be positive definite"):
        cho_logdet(A)


@pytest.mark.parametrize(("n", "r"), [(3, 3), (5, 2), (10, 1)])
def test_plogdet(n, r):
    G = np.random.default_rng(n * r).normal(size=(n, r))
    A = G @ G.T
    S = np.linalg.eigvalsh(A)[n - r :]  # the r non-zero eigenvalues
    assert plogdet(A) == pytest.approx(np.sum(np.log(S)), rel=1e-10)
    # the non-zero eigenvalues of GGᵀ are those of GᵀG, which is full rank
    assert plogdet(A) == pytest.approx(np.linalg.slogdet(G.T @ G)[1], rel=1e-8)


def test_plogdet_tol_and_edge_cases():
    assert plogdet(np.diag([2.0, 3.0, 1e-5]), tol=1e-3) == pytest.approx(np.log(6.0))
    assert plogdet(np.diag([2.0, 3.0, 1e-5])) == pytest.approx(np.log(6e-5))
    assert plogdet(np.zeros((3, 3))) == 0.0
    assert plogdet(np.zeros((0, 0))) == 0.0
    assert plogdet([[1.0, 1.0], [1.0, 1.0]]) == pytest.approx(np.log(2.0))
