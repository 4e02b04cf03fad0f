"""ddot and dotd against dense products."""

from __future__ import annotations

import numpy as np
import pytest

from glimix.linalg import ddot, dotd


def test_ddot_left_diagonal():
    rng = np.random.default_rng(0)
    d, R = rng.normal(size=4), rng.normal(size=(4, 3))
    np.testing.assert_allclose(ddot(d, R), np.diag(d) @ R, rtol=1e-14)


def test_ddot_right_diagonal():
    rng = np.random.default_rng(1)
    L, d = rng.normal(size=(3, 5)), rng.normal(size=5)
    np.testing.assert_allclose(ddot(L, d), L @ np.diag(d), rtol=1e-14)


def test_ddot_vector():
    d, v = np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])
    np.testing.assert_allclose(ddot(d, v), np.diag(d) @ v)


def test_ddot_square_is_row_scaling_for_a_left_diagonal():
    d = np.array([1.0, 10.0])
    M = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(ddot(d, M), [[1.0, 2.0], [30.0, 40.0]])
    np.testing.assert_array_equal(ddot(M, d), [[1.0, 20.0], [3.0, 40.0]])


def test_ddot_rejects():
    with pytest.raises(ValueError, match="rows"):
        ddot(np.ones(3), np.ones((2, 2)))
    with pytest.raises(ValueError, match="columns"):
        ddot(np.ones((2, 2)), np.ones(3))
    with pytest.raises(ValueError, match="one-dimensional"):
        ddot(np.ones((2, 2)), np.ones((2, 2)))


@pytest.mark.parametrize(("n", "m"), [(1, 1), (4, 4), (3, 7), (6, 2)])
def test_dotd(n, m):
    rng = np.random.default_rng(n * m)
    A, B = rng.normal(size=(n, m)), rng.normal(size=(m, n))
    np.testing.assert_allclose(dotd(A, B), np.diag(A @ B), rtol=1e-12, atol=1e-14)


def test_dotd_rejects():
    with pytest.raises(ValueError, match="square"):
        dotd(np.ones((2, 3)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="square"):
        dotd(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="square"):
        dotd(np.ones(3), np.ones(3))
