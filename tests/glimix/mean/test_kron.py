"""KronMean, 𝐦 = (A⊗X)vec(B)."""

from __future__ import annotations

import numpy as np
import pytest

from glimix.mean import KronMean
from glimix.testing import check_gradient

from .._function_checks import check_listen_fix_unfix

# (n, c, p, q): samples, covariates, traits, trait designs
SHAPES = [(3, 1, 2, 2), (4, 2, 3, 3), (5, 2, 3, 1), (3, 3, 2, 4), (1, 1, 1, 1)]


def _vec(M):
    """Column-stacked vectorisation, textbook style."""
    return np.concatenate([M[:, j] for j in range(M.shape[1])])


def _mean(n, c, p, q, seed=0):
    rng = np.random.default_rng(seed)
    A, X, B = rng.normal(size=(p, q)), rng.normal(size=(n, c)), rng.normal(size=(c, q))
    mean = KronMean(A, X)
    mean.B = B
    return mean, A, X, B


@pytest.mark.parametrize(("n", "c", "p", "q"), SHAPES)
def test_value_is_kron_times_vecB(n, c, p, q):
    mean, A, X, B = _mean(n, c, p, q)
    np.testing.assert_allclose(mean.value(), np.kron(A, X) @ _vec(B), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(mean.value(), _vec(X @ B @ A.T), rtol=1e-12, atol=1e-14)
    assert mean.value().shape == (n * p,)
    assert mean.size == n * p


@pytest.mark.parametrize(("n", "c", "p", "q"), SHAPES)
def test_gradient(n, c, p, q):
    mean, A, X, _ = _mean(n, c, p, q, seed=1)
    grad = mean.gradient()["vecB"]
    assert grad.shape == (n * p, c * q)
    np.testing.assert_allclose(grad, np.kron(A, X), rtol=1e-14)
    np.testing.assert_allclose(mean.AX, np.kron(A, X), rtol=1e-14)
    check_gradient(mean)


def test_B_vecB_round_trip():
    mean = KronMean(np.ones((2, 3)), np.ones((4, 2)))
    B = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    mean.B = B
    np.testing.assert_array_equal(mean.B, B)
    np.testing.assert_array_equal(mean.vecB, [1.0, 4.0, 2.0, 5.0, 3.0, 6.0])
    mean.vecB = np.arange(6.0)
    np.testing.assert_array_equal(mean.B, [[0.0, 2.0, 4.0], [1.0, 3.0, 5.0]])
    mean._variables["vecB"].value = _vec(B)
    np.testing.assert_array_equal(mean.B, B)


def test_properties_and_start():
    A, X = np.eye(2), np.ones((3, 1))
    mean = KronMean(A, X)
    np.testing.assert_array_equal(mean.A, A)
    np.testing.assert_array_equal(mean.X, X)
    np.testing.assert_array_equal(mean.B, np.zeros((1, 2)))
    np.testing.assert_array_equal(mean.value(), np.zeros(6))
    assert mean.nparams == 2


def test_manual_example():
    mean = KronMean(np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([[1.0], [2.0], [3.0]]))
    mean.B = [[0.5, -1.0]]
    np.testing.assert_allclose(mean.value(), [0.5, 1.0, 1.5, -0.5, -1.0, -1.5])


@pytest.mark.parametrize(
    ("A", "X", "message"),
    [
        (np.ones(2), np.ones((3, 1)), "A must be two-dimensional"),
        (np.ones((2, 2)), np.ones(3), "X must be two-dimensional"),
        ([[1.0, np.nan], [0.0, 1.0]], np.ones((3, 1)), "A has 1 non-finite"),
        (np.eye(2), [[np.inf], [1.0]], "X has 1 non-finite"),
    ],
)
def test_bad_A_X(A, X, message):
    with pytest.raises(ValueError, match=message):
        KronMean(A, X)


@pytest.mark.parametrize(
    ("B", "message"),
    [
        (np.ones((3, 2)), "B must have 2 rows"),
        (np.ones((2, 2)), "B must have 3 columns"),
        (np.ones(6), "B must be two-dimensional"),
        ([[1.0, 2.0, np.nan], [0.0, 0.0, 0.0]], "B has 1 non-finite"),
    ],
)
def test_bad_B(B, message):
    mean = KronMean(np.ones((2, 3)), np.ones((4, 2)))
    with pytest.raises(ValueError, match=message):
        mean.B = B
    np.testing.assert_array_equal(mean.B, np.zeros((2, 3)))


@pytest.mark.parametrize(
    ("vecB", "message"),
    [
        (np.ones(5), "vecB must have 6 element"),
        (np.ones((2, 3)), "vecB must be one-dimensional"),
        ([0.0, 0.0, 0.0, 0.0, 0.0, -np.inf], "vecB has 1 non-finite"),
    ],
)
def test_bad_vecB(vecB, message):
    mean = KronMean(np.ones((2, 3)), np.ones((4, 2)))
    with pytest.raises(ValueError, match=message):
        mean.vecB = vecB


def test_listen_and_fix():
    mean = KronMean(np.eye(2), np.ones((3, 1)))
    check_listen_fix_unfix(mean, "vecB", np.array([5.0, 6.0]), B=[[1.0, 2.0]], vecB=[3.0, 4.0])


def test_str():
    mean = KronMean(np.eye(2), np.ones((3, 2)))
    mean.B = [[0.5, -1.0], [2.0, 0.0]]
    mean.name = "𝐦"
    assert str(mean) == "KronMean(A=..., X=...): 𝐦\n  B: [[ 0.5 -1. ]\n      [ 2.   0. ]]"
