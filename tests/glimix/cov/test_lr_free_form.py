"""LRFreeFormCov, K = LLᵀ with L n×m."""

from __future__ import annotations

import numpy as np
import pytest

from glimix.cov import LRFreeFormCov
from glimix.testing import check_gradient

from .._function_checks import check_listen_fix_unfix

SIZES = [(1, 1), (3, 1), (3, 2), (3, 3), (5, 2), (6, 4)]


@pytest.mark.parametrize(("n", "m"), SIZES)
def test_value_and_gradient(n, m):
    cov = LRFreeFormCov(n, m)
    L = np.random.default_rng(n + 10 * m).normal(size=(n, m))
    cov.L = L
    np.testing.assert_allclose(cov.value(), L @ L.T, rtol=1e-14)
    grad = cov.gradient()["Lu"]
    assert grad.shape == (n, n, n * m)
    check_gradient(cov)


@pytest.mark.parametrize(("n", "m"), [(3, 2), (4, 4)])
def test_gradient_textbook(n, m):
    cov = LRFreeFormCov(n, m)
    L = np.random.default_rng(5).normal(size=(n, m))
    cov.L = L
    grad = cov.gradient()["Lu"]
    for i in range(n):
        for j in range(m):
            A = np.zeros((n, m))
            A[i, j] = 1.0
            np.testing.assert_allclose(grad[..., i * m + j], A @ L.T + L @ A.T, atol=1e-14)


def test_starts_at_ones_and_shapes():
    cov = LRFreeFormCov(4, 2)
    np.testing.assert_array_equal(cov.L, np.ones((4, 2)))
    np.testing.assert_array_equal(cov.value(), 2 * np.ones((4, 4)))
    assert cov.shape == (4, 4)
    assert cov.nparams == 8


def test_L_and_Lu_round_trip():
    cov = LRFreeFormCov(3, 2)
    L = np.array([[1.0, 2.0], [0.0, 3.0], [1.0, -3.0]])
    cov.L = L
    np.testing.assert_array_equal(cov.L, L)
    np.testing.assert_array_equal(cov.Lu, [1.0, 2.0, 0.0, 3.0, 1.0, -3.0])  # row by row
    cov.Lu = np.arange(6.0)
    np.testing.assert_array_equal(cov.L, [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])


def test_rank_is_at_most_m():
    cov = LRFreeFormCov(6, 2)
    cov.L = np.random.default_rng(0).normal(size=(6, 2))
    S = np.linalg.eigvalsh(cov.value())
    assert np.sum(S > 1e-10 * S[-1]) == 2


@pytest.mark.parametrize(
    ("n", "m", "message"),
    [
        (2, 3, "m must not exceed n"),
        (0, 1, "^n "),
        (2, 0, "^m "),
        (2.0, 1, "^n "),
        (2, 1.0, "^m "),
        (True, 1, "^n "),
        (2, True, "^m "),
        (-1, -1, "^n "),
    ],
)
def test_bad_sizes(n, m, message):
    with pytest.raises(ValueError, match=message):
        LRFreeFormCov(n, m)


@pytest.mark.parametrize(
    ("L", "message"),
    [
        (np.ones((2, 3)), "L must have 3 rows"),
        (np.ones((3, 1)), "L must have 2 columns"),
        (np.ones(6), "L must be two-dimensional"),
        ([[1.0, 2.0], [np.nan, 0.0], [1.0, 1.0]], "L has 1 non-finite"),
        ([[1.0, 2.0], [np.inf, 0.0], [1.0, -np.inf]], "L has 2 non-finite"),
    ],
)
def test_bad_L(L, message):
    cov = LRFreeFormCov(3, 2)
    with pytest.raises(ValueError, match=message):
        cov.L = L
    np.testing.assert_array_equal(cov.L, np.ones((3, 2)))


@pytest.mark.parametrize(
    ("Lu", "message"),
    [
        (np.ones(5), "Lu must have 6 element"),
        (np.ones((3, 2)), "Lu must be one-dimensional"),
        ([1.0, 1.0, 1.0, 1.0, 1.0, np.nan], "Lu has 1 non-finite"),
    ],
)
def test_bad_Lu(Lu, message):
    cov = LRFreeFormCov(3, 2)
    with pytest.raises(ValueError, match=message):
        cov.Lu = Lu


def test_listen_and_fix():
    cov = LRFreeFormCov(2, 1)
    check_listen_fix_unfix(cov, "Lu", np.array([5.0, 6.0]), L=[[1.0], [2.0]], Lu=[3.0, 4.0])
    np.testing.assert_array_equal(cov.L, [[5.0], [6.0]])


def test_str():
    cov = LRFreeFormCov(3, 2)
    cov.L = [[1, 2], [0, 3], [1, 3]]
    cov.name = "F"
    assert str(cov) == ("LRFreeFormCov(n=3, m=2): F\n  L: [[1. 2.]\n      [0. 3.]\n      [1. 3.]]")
