"""GivenCov, K = s·K₀."""

from __future__ import annotations

import numpy as np
import pytest

from glimix.cov import GivenCov
from glimix.testing import check_gradient

from .._function_checks import check_listen_fix_unfix


def _K0(n=5, r=3, seed=0):
    G = np.random.default_rng(seed).normal(size=(n, r))
    return G @ G.T


@pytest.mark.parametrize("scale", [0.2, 1.0, 7.5])
def test_value_and_gradient(scale):
    K0 = _K0()
    cov = GivenCov(K0)
    cov.scale = scale
    np.testing.assert_allclose(cov.value(), scale * K0, rtol=1e-14)
    np.testing.assert_allclose(cov.gradient()["logscale"], scale * K0, rtol=1e-14)
    check_gradient(cov)


def test_properties():
    K0 = _K0(4, 4)
    cov = GivenCov(K0)
    assert cov.shape == (4, 4)
    np.testing.assert_array_equal(cov.K0, K0)
    assert cov.K0.dtype == float


def test_accepts_lists_and_integers():
    cov = GivenCov([[2, 1], [1, 2]])
    np.testing.assert_array_equal(cov.value(), [[2.0, 1.0], [1.0, 2.0]])


def test_accepts_round_off_asymmetry():
    G = np.random.default_rng(1).normal(size=(30, 7)) * 100
    K0 = G @ G.T
    K0[0, 1] *= 1 + 1e-13
    GivenCov(K0)


@pytest.mark.parametrize(
    ("K0", "message"),
    [
        ([[1.0, 0.5], [0.0, 1.0]], "K0 must be symmetric"),
        (np.ones((2, 3)), "K0 must be square"),
        (np.ones(3), "K0 must be two-dimensional"),
        (np.ones((2, 2, 2)), "K0 must be two-dimensional"),
        ([[1.0, np.nan], [np.nan, 1.0]], "K0 has 2 non-finite"),
        ([[np.inf, 0.0], [0.0, 1.0]], "K0 has 1 non-finite"),
        ([["a", "b"], ["c", "d"]], "K0 must be numeric"),
    ],
)
def test_bad_K0(K0, message):
    with pytest.raises(ValueError, match=message):
        GivenCov(K0)


def test_bad_scale():
    cov = GivenCov(np.eye(2))
    for bad in (0.0, -1.0, np.nan, np.inf):
        with pytest.raises(ValueError, match="scale"):
            cov.scale = bad


def test_listen_and_fix():
    check_listen_fix_unfix(GivenCov(np.eye(2)), "logscale", 1.0, scale=3.0)


def test_str():
    cov = GivenCov(_K0())
    cov.scale = 1.3
    cov.name = "K"
    assert str(cov) == "GivenCov(K0=...): K\n  scale: 1.3"
