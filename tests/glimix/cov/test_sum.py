"""SumCov, K = K₀ + K₁ + ⋯."""

from __future__ import annotations

import numpy as np
import pytest

from glimix.cov import EyeCov, FreeFormCov, GivenCov, LinearCov, LRFreeFormCov, SumCov
from glimix.testing import check_gradient

from .._function_checks import check_fix_reaches_terms

N = 4


def _terms(seed=0):
    rng = np.random.default_rng(seed)
    linear = LinearCov(rng.normal(size=(N, 3)))
    linear.scale = 0.7
    eye = EyeCov(N)
    eye.scale = 1.9
    G = rng.normal(size=(N, 2))
    given = GivenCov(G @ G.T)
    given.scale = 0.4
    free = FreeFormCov(N)
    free.Lu = np.concatenate([rng.normal(size=6), rng.uniform(-0.5, 0.5, size=4)])
    lowrank = LRFreeFormCov(N, 2)
    lowrank.L = rng.normal(size=(N, 2))
    return [linear, eye, given, free, lowrank]


def test_value_is_the_sum_of_the_parts():
    terms = _terms()
    cov = SumCov(terms)
    expected = np.zeros((N, N))
    for t in terms:
        expected += t.value()
    np.testing.assert_allclose(cov.value(), expected, rtol=1e-14)
    assert cov.shape == (N, N)


def test_gradient_keys_and_values():
    terms = _terms()
    cov = SumCov(terms)
    grad = cov.gradient()
    assert sorted(grad) == [
        "SumCov[0].logscale",
        "SumCov[1].logscale",
        "SumCov[2].logscale",
        "SumCov[3].Lu",
        "SumCov[4].Lu",
    ]
    for i, t in enumerate(terms):
        for name, g in t.gradient().items():
            np.testing.assert_array_equal(grad[f"SumCov[{i}].{name}"], g)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_finite_differences(seed):
    check_gradient(SumCov(_terms(seed)))


def test_gradient_with_some_terms_fixed():
    terms = _terms(3)
    cov = SumCov(terms)
    terms[3].fix()
    check_gradient(cov)
    assert "SumCov[3].Lu" in cov.gradient()  # still reported, only not optimised


def test_nested_sum():
    terms = _terms(4)
    inner = SumCov(terms[3:])
    outer = SumCov([*terms[:3], inner])
    np.testing.assert_allclose(outer.value(), sum(t.value() for t in terms), rtol=1e-14)
    assert sorted(outer.gradient()) == [
        "SumCov[0].logscale",
        "SumCov[1].logscale",
        "SumCov[2].logscale",
        "SumCov[3].SumCov[0].Lu",
        "SumCov[3].SumCov[1].Lu",
    ]
    assert outer.variable_names() == sorted(outer.gradient())
    check_gradient(outer)


def test_single_term():
    eye = EyeCov(2)
    eye.scale = 3.0
    cov = SumCov([eye])
    np.testing.assert_array_equal(cov.value(), eye.value())
    check_gradient(cov)


def test_names_do_not_rename_variables():
    terms = _terms()
    cov = SumCov(terms)
    before = cov.variable_names()
    for i, t in enumerate(terms):
        t.name = f"T{i}"
    cov.name = "total"
    assert cov.name == "total"
    assert cov.variable_names() == before
    assert sorted(cov.gradient()) == before


def test_covariances_property():
    terms = _terms()
    cov = SumCov(terms)
    got = cov.covariances
    assert all(a is b for a, b in zip(got, terms, strict=True))
    got.pop()
    assert len(cov.covariances) == len(terms)  # a copy of the list


def test_accepts_any_iterable():
    cov = SumCov(t for t in _terms())
    assert len(cov.covariances) == 5


def test_listen_to_children():
    terms = _terms()
    cov = SumCov(terms)
    calls = []
    cov.listen(lambda: calls.append(1))
    terms[0].scale = 2.0
    assert len(calls) == 1
    terms[3].L = np.eye(N)
    assert len(calls) == 2
    cov._variables["SumCov[4].Lu"].value = np.zeros(2 * N)
    assert len(calls) == 3
    np.testing.assert_array_equal(terms[4].L, np.zeros((N, 2)))


def test_listen_to_grandchildren():
    a, b = EyeCov(2), EyeCov(2)
    outer = SumCov([EyeCov(2), SumCov([a, b])])
    calls = []
    outer.listen(lambda: calls.append(1))
    b.scale = 5.0
    assert len(calls) == 1


def test_fix_and_unfix_children():
    terms = _terms()
    cov = SumCov(terms)
    check_fix_reaches_terms(cov, terms)
    terms[1].fix()  # fixing a child shows in the composite
    unfixed = cov._variables.select(fixed=False).names()
    assert "SumCov[1].logscale" not in unfixed
    assert len(unfixed) == 4


def test_str():
    rng = np.random.default_rng(0)
    left, right = LinearCov(rng.normal(size=(4, 20))), LinearCov(rng.normal(size=(4, 15)))
    left.scale = 0.5
    cov = SumCov([left, right])
    left.name, right.name, cov.name = "A", "B", "A+B"
    assert str(cov) == (
        "SumCov(covariances=...): A+B\n"
        "  LinearCov(): A\n"
        "    scale: 0.5\n"
        "  LinearCov(): B\n"
        "    scale: 1.0"
    )


def test_str_nested_indents_twice_and_aligns_matrices():
    free = FreeFormCov(2)
    free.L = [[1.0, 0.0], [0.5, 2.0]]
    free.name = "F"
    eye = EyeCov(2)
    eye.scale = 2.5
    eye.name = "I"
    inner = SumCov([free, eye])
    inner.name = "F+I"
    given = GivenCov(np.eye(2))
    given.name = "G"
    outer = SumCov([given, inner])
    outer.name = "total"
    assert str(outer) == (
        "SumCov(covariances=...): total\n"
        "  GivenCov(K0=...): G\n"
        "    scale: 1.0\n"
        "  SumCov(covariances=...): F+I\n"
        "    FreeFormCov(dim=2): F\n"
        "      L: [[1.  0. ]\n"
        "          [0.5 2. ]]\n"
        "    EyeCov(dim=2): I\n"
        "      scale: 2.5"
    )


def test_empty():
    with pytest.raises(ValueError, match="covariances must contain at least one"):
        SumCov([])


def test_mismatched_shapes():
    with pytest.raises(ValueError, match="covariances must all have the same shape"):
        SumCov([EyeCov(2), EyeCov(3)])
    with pytest.raises(ValueError, match="covariances must all have the same shape"):
        SumCov([LinearCov(np.ones((3, 1))), FreeFormCov(3), LRFreeFormCov(4, 1)])


def test_repeated_term_is_rejected():
    # A term given twice would have its variable reported under two keys, each with half of the
    # true derivative, and the optimiser would set it twice.
    eye = EyeCov(2)
    with pytest.raises(ValueError, match=r"covariances\[1\] shares parameters"):
        SumCov([eye, eye])
    with pytest.raises(ValueError, match=r"covariances\[2\] shares parameters"):
        SumCov([eye, EyeCov(2), SumCov([EyeCov(2), eye])])
