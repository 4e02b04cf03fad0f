"""The L-BFGS-B driver: optimum, bounds, fixed variables, failures."""

from __future__ import annotations

import numpy as np
import pytest
from optimix import Scalar, Vector

from glimix._function import Function
from glimix._optimize import OptimisationError, maximize


class Quadratic(Function):
    """f(a, 𝐛) = −(a − 2)² − ‖𝐛 − 𝐜‖², maximised at a = 2, 𝐛 = 𝐜 (a bounded to [lo, hi])."""

    def __init__(self, c, lo=-np.inf, hi=np.inf):
        self._a = Scalar(0.0)
        self._a.bounds = (lo, hi)
        self._b = Vector(np.zeros(len(c)))
        self._c = np.asarray(c, float)
        Function.__init__(self, "Quadratic", a=self._a, b=self._b)

    def value(self):
        a = float(self._a.value)
        b = np.asarray(self._b.value, float)
        return -((a - 2) ** 2) - float(np.sum((b - self._c) ** 2))

    def gradient(self):
        a = float(self._a.value)
        b = np.asarray(self._b.value, float)
        return {"a": -2 * (a - 2), "b": -2 * (b - self._c)}


def test_finds_the_maximum():
    f = Quadratic([1.0, -3.0])
    result = maximize(f)
    assert float(f._a.value) == pytest.approx(2.0, abs=1e-6)
    np.testing.assert_allclose(f._b.value, [1.0, -3.0], atol=1e-6)
    assert result.value == pytest.approx(0.0, abs=1e-10)
    assert result.at_bounds == ()


def test_stops_at_a_bound_and_says_so():
    f = Quadratic([0.5], lo=-1.0, hi=1.0)
    result = maximize(f)
    assert float(f._a.value) == pytest.approx(1.0)
    assert result.at_bounds == ("a",)


def test_fixed_variable_is_left_alone():
    f = Quadratic([0.5])
    f._a.value = -4.0
    f._a.fix()
    maximize(f)
    assert float(f._a.value) == -4.0
    np.testing.assert_allclose(f._b.value, [0.5], atol=1e-6)


def test_nothing_to_optimise():
    f = Quadratic([0.5])
    f.fix()
    result = maximize(f)
    assert result.niterations == 0
    assert float(f._a.value) == 0.0


def test_non_finite_start_is_an_error():
    f = Quadratic([0.5])
    f._c = np.array([np.nan])
    with pytest.raises(OptimisationError, match="not finite at the starting point"):
        maximize(f)


def test_verbose_prints_progress(capsys):
    maximize(Quadratic([1.0]), verbose=True)
    out = capsys.readouterr().out
    assert "iteration" in out and "L-BFGS-B" in out
