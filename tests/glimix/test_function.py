"""The Function base class, the input checks and the ``glimix.testing`` gradient oracle."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest
from optimix import Scalar, Vector

from glimix._check import finite_matrix, finite_vector, positive_int, symmetric_matrix
from glimix._function import Function, format_value, require_distinct_terms
from glimix.cov import EyeCov, LinearCov, SumCov
from glimix.mean import OffsetMean
from glimix.testing import check_gradient, finite_difference_gradient


class Cubic(Function):
    """f(a, 𝐛) = [a³ + b₀b₁, a·b₁², sin(b₀)] — a vector-valued toy with a known gradient."""

    def __init__(self, wrong: str = "") -> None:
        self._a = Scalar(0.7)
        self._b = Vector(np.array([-1.3, 0.4]))
        self._wrong = wrong
        Function.__init__(self, "Cubic", a=self._a, b=self._b)

    def value(self):
        a = float(self._a.value)
        b0, b1 = np.asarray(self._b.value, dtype=float)
        return np.array([a**3 + b0 * b1, a * b1**2, np.sin(b0)])

    def gradient(self):
        a = float(self._a.value)
        b0, b1 = np.asarray(self._b.value, dtype=float)
        grad = {
            "a": np.array([3 * a**2, b1**2, 0.0]),
            "b": np.array([[b1, b0], [0.0, 2 * a * b1], [np.cos(b0), 0.0]]),
        }
        if self._wrong == "value":
            grad["b"][2, 0] *= 1.01  # a 1% error in one entry
        elif self._wrong == "missing":
            del grad["a"]
        elif self._wrong == "shape":
            grad["a"] = grad["a"][:, None]
        elif self._wrong == "transposed":
            grad["b"] = grad["b"][:2, :2].T.copy()
            grad["b"] = np.vstack([grad["b"], [np.cos(b0), 0.0]])
        return grad


# -- the oracle ------------------------------------------------------------------------------------
def test_finite_difference_gradient_matches_hand_derivative():
    f = Cubic()
    a, (b0, b1) = 0.7, (-1.3, 0.4)
    numeric = finite_difference_gradient(f)
    assert sorted(numeric) == ["a", "b"]
    assert numeric["a"].shape == (3,)
    assert numeric["b"].shape == (3, 2)
    np.testing.assert_allclose(numeric["a"], [3 * a**2, b1**2, 0.0], atol=1e-8)
    np.testing.assert_allclose(
        numeric["b"], [[b1, b0], [0.0, 2 * a * b1], [np.cos(b0), 0.0]], atol=1e-8
    )


def test_finite_difference_gradient_restores_the_parameters():
    f = Cubic()
    before = f.value()
    finite_difference_gradient(f)
    assert float(f._a.value) == 0.7
    np.testing.assert_array_equal(f._b.value, [-1.3, 0.4])
    np.testing.assert_array_equal(f.value(), before)


def test_finite_difference_gradient_skips_fixed_variables():
    f = Cubic()
    f._b.fix()
    assert sorted(finite_difference_gradient(f)) == ["a"]


def test_check_gradient_accepts_a_correct_gradient():
    check_gradient(Cubic())


@pytest.mark.parametrize("wrong", ["value", "transposed"])
def test_check_gradient_rejects_a_wrong_gradient(wrong):
    with pytest.raises(AssertionError, match="'b'"):
        check_gradient(Cubic(wrong))


def test_check_gradient_rejects_a_missing_variable():
    with pytest.raises(AssertionError, match=r"lacks unfixed variable.*'a'"):
        check_gradient(Cubic("missing"))


def test_check_gradient_rejects_a_misshaped_gradient():
    with pytest.raises(AssertionError, match="shape"):
        check_gradient(Cubic("shape"))


def test_check_gradient_ignores_a_fixed_variable_with_a_wrong_gradient():
    f = Cubic("value")
    f._b.fix()
    check_gradient(f)  # only 'a' is checked now
    f._b.unfix()
    with pytest.raises(AssertionError):
        check_gradient(f)


def test_check_gradient_rejects_a_wrong_covariance_gradient():
    class HalfGradient(EyeCov):
        def gradient(self):
            return {"logscale": self.value() / 2}

    cov = HalfGradient(3)
    cov.scale = 2.0
    with pytest.raises(AssertionError, match="logscale"):
        check_gradient(cov)


# -- Function base ---------------------------------------------------------------------------------
def test_variable_names_and_nparams():
    f = Cubic()
    assert f.variable_names() == ["a", "b"]
    assert f.nparams == 3
    cov = SumCov([LinearCov(np.ones((2, 1))), EyeCov(2)])
    assert cov.variable_names() == ["SumCov[0].logscale", "SumCov[1].logscale"]
    assert cov.nparams == 2


def test_fix_and_unfix_all_variables():
    f = Cubic()
    f.fix()
    assert f._a.isfixed and f._b.isfixed
    assert finite_difference_gradient(f) == {}
    f.unfix()
    assert not f._a.isfixed and not f._b.isfixed


def test_listen_calls_back_on_every_variable():
    f = Cubic()
    calls = []
    f.listen(lambda: calls.append(1))
    f._a.value = 2.0
    assert len(calls) == 1
    f._b.value = np.array([1.0, 2.0])
    assert len(calls) == 2


def test_listen_holds_bound_methods_weakly():
    class Owner:
        def __init__(self):
            self.calls = 0

        def changed(self):
            self.calls += 1

    f = Cubic()
    owner = Owner()
    f.listen(owner.changed)
    f._a.value = 1.0
    assert owner.calls == 1
    ref = weakref.ref(owner)
    del owner
    gc.collect()
    assert ref() is None  # listening did not keep the owner alive
    f._a.value = 2.0  # and the dead listener is skipped
    assert float(f._a.value) == 2.0


def test_format_value():
    assert format_value(2.5) == "2.5"
    assert format_value(np.float64(-1.0)) == "-1.0"
    assert format_value(np.array([1.0, -1.0])) == "[ 1. -1.]"
    assert format_value(np.eye(2)) == "[[1. 0.]\n [0. 1.]]"


def test_str_aligns_multiline_parameters():
    class Matrixy(Function):
        def __init__(self):
            Function.__init__(self, "M")

        def value(self):
            return 0.0

        def gradient(self):
            return {}

        def _str_params(self):
            return [("long", np.array([[1.0, 2.0], [3.0, 4.0]])), ("s", 1.5)]

    assert str(Matrixy()) == "Matrixy(): M\n  long: [[1. 2.]\n         [3. 4.]]\n  s: 1.5"


def test_require_distinct_terms():
    a, b = OffsetMean(2), OffsetMean(2)
    require_distinct_terms([a, b], "means")
    with pytest.raises(ValueError, match=r"means\[1\] shares parameters with means\[0\]"):
        require_distinct_terms([a, a], "means")


# -- input checks ----------------------------------------------------------------------------------
def test_finite_vector():
    np.testing.assert_array_equal(finite_vector([1, 2], "v"), [1.0, 2.0])
    assert finite_vector([1, 2], "v").dtype == float
    with pytest.raises(ValueError, match="v must be one-dimensional"):
        finite_vector([[1.0]], "v")
    with pytest.raises(ValueError, match="v must have 3 element"):
        finite_vector([1.0, 2.0], "v", 3)
    with pytest.raises(ValueError, match="v has 2 non-finite"):
        finite_vector([np.nan, 1.0, -np.inf], "v")
    with pytest.raises(ValueError, match="v must be numeric"):
        finite_vector(["a", "b"], "v")


def test_finite_matrix():
    assert finite_matrix([[1, 2]], "M").shape == (1, 2)
    with pytest.raises(ValueError, match="M must be two-dimensional"):
        finite_matrix([1.0], "M")
    with pytest.raises(ValueError, match="M must have 2 rows"):
        finite_matrix([[1.0]], "M", (2, None))
    with pytest.raises(ValueError, match="M must have 3 columns"):
        finite_matrix([[1.0]], "M", (None, 3))
    with pytest.raises(ValueError, match="M has 1 non-finite"):
        finite_matrix([[np.inf]], "M")


def test_symmetric_matrix():
    G = np.random.default_rng(0).normal(size=(6, 3))
    symmetric_matrix(G @ G.T, "K")  # round-off asymmetry is accepted
    with pytest.raises(ValueError, match="K must be square"):
        symmetric_matrix(np.ones((2, 3)), "K")
    with pytest.raises(ValueError, match="K must be symmetric"):
        symmetric_matrix([[1.0, 0.0], [1e-3, 1.0]], "K")


@pytest.mark.parametrize("bad", [0, -3, 2.0, 1.5, True, False, "2", None])
def test_positive_int_rejects(bad):
    with pytest.raises(ValueError, match=r"^dim "):
        positive_int(bad, "dim")


def test_positive_int_accepts_numpy_integers():
    assert positive_int(np.int64(3), "n") == 3
    assert type(positive_int(np.int64(3), "n")) is int
