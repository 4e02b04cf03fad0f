"""LinearCov, K = s·XXᵀ."""

from __future__ import annotations

import numpy as np
import pytest

from glimix.cov import LinearCov
from glimix.testing import check_gradient

from .._function_checks import check_listen_fix_unfix


@pytest.mark.parametrize(("n", "r"), [(1, 1), (3, 5), (6, 2)])
@pytest.mark.parametrize("scale", [0.05, 1.0, 3.3])
def test_value_and_gradient(n, r, scale):
    X = np.random.default_rng(n * r).normal(size=(n, r))
    cov = LinearCov(X)
    cov.scale = scale
    expected = scale * sum(np.outer(X[:, k], X[:, k]) for k in range(r))  # textbook s∑ₖ𝐱ₖ𝐱ₖᵀ
    np.testing.assert_allclose(cov.value(), expected, rtol=1e-12)
    np.testing.assert_allclose(cov.gradient()["logscale"], expected, rtol=1e-12)
    assert cov.shape == (n, n)
    check_gradient(cov)


def test_X_property():
    X = np.arange(6.0).reshape(3, 2)
    cov = LinearCov(X)
    np.testing.assert_array_equal(cov.X, X)


@pytest.mark.parametrize(
    ("X", "message"),
    [
        (np.ones(3), "X must be two-dimensional"),
        (np.ones((2, 2, 1)), "X must be two-dimensional"),
        ([[1.0, np.nan]], "X has 1 non-finite"),
        ([[1.0, np.inf], [-np.inf, 0.0]], "X has 2 non-finite"),
        ([["x"]], "X must be numeric"),
    ],
)
def test_bad_X(X, message):
    with pytest.raises(ValueError, match=message):
        LinearCov(X)


def test_bad_scale():
    cov = LinearCov(np.ones((2, 1)))
    for bad in (0.0, -2.0, np.nan, -np.inf):
        with pytest.raises(ValueError, match="scale"):
            cov.scale = bad


def test_listen_and_fix():
    check_listen_fix_unfix(LinearCov(np.ones((2, 1))), "logscale", 0.25, scale=0.5)


def test_str():
    cov = LinearCov(np.random.default_rng(0).normal(size=(2, 3)))
    cov.scale = 1.3
    cov.name = "K"
    assert str(cov) == "LinearCov(): K\n  scale: 1.3"
