"""Stored user arrays cannot be changed through the functions; setters reject what the optimiser
could not represent, naming the argument."""

from __future__ import annotations

import numpy as np
import pytest

from glimix.cov import EyeCov, FreeFormCov, GivenCov, Kron2SumCov, LinearCov
from glimix.mean import KronMean, LinearMean, OffsetMean

X = np.arange(6, dtype=float).reshape(3, 2)


@pytest.mark.parametrize(
    "get",
    [
        lambda: LinearCov(X).X,
        lambda: GivenCov(X @ X.T).K0,
        lambda: LinearMean(X).X,
        lambda: LinearMean(X).gradient()["effsizes"],
        lambda: KronMean(np.eye(2), X).X,
        lambda: KronMean(np.eye(2), X).A,
        lambda: Kron2SumCov(X, 2, 1).G,
    ],
)
def test_stored_arrays_are_read_only(get):
    arr = get()
    with pytest.raises(ValueError, match="read-only"):
        arr[0, 0] = 99.0


def test_caller_array_is_not_copied_nor_frozen():
    mine = X.copy()
    cov = LinearCov(mine)
    mine[0, 0] = 1.0  # still the caller's to change
    assert cov.X[0, 0] == 1.0


@pytest.mark.parametrize("bad", ["a", None, [1.0, 2.0]])
def test_scale_must_be_a_number(bad):
    with pytest.raises(ValueError, match="scale"):
        EyeCov(2).scale = bad


@pytest.mark.parametrize("bad", [1e-20, 1e20])
def test_scale_outside_the_optimiser_bounds(bad):
    with pytest.raises(ValueError, match="scale must lie within"):
        EyeCov(2).scale = bad


def test_offset_must_be_a_number():
    with pytest.raises(ValueError, match="offset"):
        OffsetMean(2).offset = "x"


def test_free_form_diagonal_outside_the_optimiser_bounds():
    cov = FreeFormCov(2)
    with pytest.raises(ValueError, match="L gives a diagonal"):
        cov.L = [[1e-9, 0.0], [0.0, 1.0]]
    with pytest.raises(ValueError, match="Lu gives a diagonal"):
        cov.Lu = [0.0, 0.0, 40.0]
    np.testing.assert_array_equal(cov.L, np.eye(2))  # unchanged by the rejected assignments
