"""EyeCov, K = s·I, and the scale parameter it shares with GivenCov and LinearCov."""

from __future__ import annotations

import math

import numpy as np
import pytest

from glimix.cov import EyeCov
from glimix.testing import check_gradient

from .._function_checks import check_listen_fix_unfix


@pytest.mark.parametrize("dim", [1, 2, 5])
@pytest.mark.parametrize("scale", [0.37, 1.0, 4.2])
def test_value_and_gradient(dim, scale):
    cov = EyeCov(dim)
    cov.scale = scale
    np.testing.assert_allclose(cov.value(), scale * np.eye(dim), rtol=1e-14)
    np.testing.assert_allclose(cov.gradient()["logscale"], scale * np.eye(dim), rtol=1e-14)
    assert sorted(cov.gradient()) == ["logscale"]
    check_gradient(cov)


def test_shape_and_dim():
    cov = EyeCov(3)
    assert cov.dim == 3
    assert cov.shape == (3, 3)
    assert cov.value().shape == (3, 3)
    assert cov.nparams == 1


def test_scale_is_stored_as_its_log():
    cov = EyeCov(2)
    assert cov.scale == 1.0
    assert float(cov._variables["logscale"].value) == 0.0
    cov.scale = 2.5
    assert float(cov._variables["logscale"].value) == pytest.approx(math.log(2.5))
    cov._variables["logscale"].value = math.log(0.25)
    assert cov.scale == pytest.approx(0.25)
    np.testing.assert_allclose(cov.value(), 0.25 * np.eye(2))


def test_logscale_bounds():
    assert EyeCov(2)._variables["logscale"].bounds == (-30.0, 30.0)


@pytest.mark.parametrize("bad", [0, 0.0, -1.0, -1e-300, np.nan, np.inf, -np.inf])
def test_bad_scale(bad):
    cov = EyeCov(2)
    cov.scale = 3.0
    with pytest.raises(ValueError, match=r"^scale must be a positive finite number"):
        cov.scale = bad
    assert cov.scale == pytest.approx(3.0)  # a rejected value leaves the parameter alone


@pytest.mark.parametrize("bad", [0, -2, 2.0, 2.5, True, "3", None, np.float64(2.0)])
def test_bad_dim(bad):
    with pytest.raises(ValueError, match=r"^dim "):
        EyeCov(bad)


def test_numpy_integer_dim():
    assert EyeCov(np.int32(2)).shape == (2, 2)


def test_listen_fix_unfix():
    check_listen_fix_unfix(EyeCov(2), "logscale", 0.5, scale=2.0)


def test_str():
    cov = EyeCov(2)
    cov.scale = 2.5
    assert str(cov) == "EyeCov(dim=2): EyeCov\n  scale: 2.5"
    cov.name = "I"
    assert str(cov) == "EyeCov(dim=2): I\n  scale: 2.5"
    assert repr(cov) == str(cov)
    assert sorted(cov.gradient()) == ["logscale"]  # renaming never renames variables
