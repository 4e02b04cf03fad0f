"""LinearMean, 𝐦 = X𝜶."""

from __future__ import annotations

import numpy as np
import pytest

from glimix.mean import LinearMean
from glimix.testing import check_gradient

from .._function_checks import check_listen_fix_unfix


@pytest.mark.parametrize(("n", "m"), [(1, 1), (5, 1), (5, 3), (2, 4)])
def test_value_and_gradient(n, m):
    rng = np.random.default_rng(n * 10 + m)
    X = rng.normal(size=(n, m))
    alpha = rng.normal(size=m)
    mean = LinearMean(X)
    mean.effsizes = alpha
    expected = [sum(X[i, k] * alpha[k] for k in range(m)) for i in range(n)]
    np.testing.assert_allclose(mean.value(), expected, rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(mean.gradient()["effsizes"], X)
    assert mean.size == n
    assert mean.nparams == m
    check_gradient(mean)


def test_starts_at_zero_and_properties():
    X = np.arange(6.0).reshape(3, 2)
    mean = LinearMean(X)
    np.testing.assert_array_equal(mean.effsizes, [0.0, 0.0])
    np.testing.assert_array_equal(mean.value(), np.zeros(3))
    np.testing.assert_array_equal(mean.X, X)


def test_effsizes_round_trip_and_variable_assignment():
    mean = LinearMean(np.eye(2))
    mean.effsizes = [1, -2]
    np.testing.assert_array_equal(mean.effsizes, [1.0, -2.0])
    mean._variables["effsizes"].value = np.array([3.0, 4.0])
    np.testing.assert_array_equal(mean.value(), [3.0, 4.0])


def test_effsizes_getter_returns_a_copy():
    mean = LinearMean(np.eye(2))
    e = mean.effsizes
    e[0] = 99.0
    np.testing.assert_array_equal(mean.effsizes, [0.0, 0.0])


@pytest.mark.parametrize(
    ("X", "message"),
    [
        (np.ones(3), "X must be two-dimensional"),
        ([[1.0, np.nan]], "X has 1 non-finite"),
        ([[np.inf], [1.0]], "X has 1 non-finite"),
    ],
)
def test_bad_X(X, message):
    with pytest.raises(ValueError, match=message):
        LinearMean(X)


@pytest.mark.parametrize(
    ("effsizes", "message"),
    [
        ([1.0], "effsizes must have 2 element"),
        ([[1.0, 2.0]], "effsizes must be one-dimensional"),
        ([1.0, np.nan], "effsizes has 1 non-finite"),
        ([np.inf, -np.inf], "effsizes has 2 non-finite"),
    ],
)
def test_bad_effsizes(effsizes, message):
    mean = LinearMean(np.eye(2))
    mean.effsizes = [5.0, 6.0]
    with pytest.raises(ValueError, match=message):
        mean.effsizes = effsizes
    np.testing.assert_array_equal(mean.effsizes, [5.0, 6.0])


def test_listen_and_fix():
    mean = LinearMean(np.eye(2))
    check_listen_fix_unfix(mean, "effsizes", np.array([0.0, 1.0]), effsizes=[1.0, 2.0])


def test_str():
    mean = LinearMean([[1.5, 0.2], [0.5, 0.4]])
    mean.effsizes = [1.0, -1.0]
    mean.name = "𝐦"
    assert str(mean) == "LinearMean(m=2): 𝐦\n  effsizes: [ 1. -1.]"
