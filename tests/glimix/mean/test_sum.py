"""SumMean, 𝐦 = 𝐟₀ + 𝐟₁ + ⋯."""

from __future__ import annotations

import numpy as np
import pytest

from glimix.mean import KronMean, LinearMean, OffsetMean, SumMean
from glimix.testing import check_gradient

from .._function_checks import check_fix_reaches_terms

N, P = 3, 2  # samples and traits: every term has size N·P


def _terms(seed=0):
    rng = np.random.default_rng(seed)
    linear = LinearMean(rng.normal(size=(N * P, 3)))
    linear.effsizes = rng.normal(size=3)
    offset = OffsetMean(N * P)
    offset.offset = rng.normal()
    kron = KronMean(rng.normal(size=(P, 3)), rng.normal(size=(N, 2)))
    kron.B = rng.normal(size=(2, 3))
    return [linear, offset, kron]


def test_value_is_the_sum_of_the_parts():
    terms = _terms()
    mean = SumMean(terms)
    np.testing.assert_allclose(
        mean.value(), terms[0].value() + terms[1].value() + terms[2].value(), rtol=1e-14
    )
    assert mean.size == N * P


def test_gradient_keys_and_values():
    terms = _terms()
    mean = SumMean(terms)
    grad = mean.gradient()
    assert sorted(grad) == ["SumMean[0].effsizes", "SumMean[1].offset", "SumMean[2].vecB"]
    np.testing.assert_array_equal(grad["SumMean[0].effsizes"], terms[0].X)
    np.testing.assert_array_equal(grad["SumMean[1].offset"], np.ones(N * P))
    np.testing.assert_array_equal(grad["SumMean[2].vecB"], terms[2].AX)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_finite_differences(seed):
    check_gradient(SumMean(_terms(seed)))


def test_nested_sum():
    terms = _terms(5)
    outer = SumMean([terms[0], SumMean(terms[1:])])
    np.testing.assert_allclose(outer.value(), sum(t.value() for t in terms), rtol=1e-14)
    assert sorted(outer.gradient()) == [
        "SumMean[0].effsizes",
        "SumMean[1].SumMean[0].offset",
        "SumMean[1].SumMean[1].vecB",
    ]
    check_gradient(outer)


def test_names_do_not_rename_variables():
    terms = _terms()
    mean = SumMean(terms)
    before = sorted(mean.gradient())
    terms[0].name = "X"
    mean.name = "total"
    assert sorted(mean.gradient()) == before
    assert mean.variable_names() == before


def test_means_property():
    terms = _terms()
    mean = SumMean(terms)
    assert all(a is b for a, b in zip(mean.means, terms, strict=True))
    mean.means.clear()
    assert len(mean.means) == 3


def test_listen_fix_unfix():
    terms = _terms()
    mean = SumMean(terms)
    calls = []
    mean.listen(lambda: calls.append(1))
    terms[1].offset = 3.0
    terms[2].B = np.zeros((2, 3))
    mean._variables["SumMean[0].effsizes"].value = np.zeros(3)
    assert len(calls) == 3
    np.testing.assert_allclose(mean.value(), np.full(N * P, 3.0))
    check_fix_reaches_terms(mean, terms)
    terms[1].fix_offset()
    assert mean._variables.select(fixed=False).names() == [
        "SumMean[0].effsizes",
        "SumMean[2].vecB",
    ]


def test_str():
    mean0 = LinearMean([[5.1, 1.0], [2.1, -0.2]])
    mean0.effsizes = [-1.0, 0.5]
    mean1 = OffsetMean(2)
    mean1.offset = 2.0
    mean = SumMean([mean0, mean1])
    mean0.name, mean1.name, mean.name = "A", "B", "A+B"
    assert str(mean) == (
        "SumMean(means=...): A+B\n"
        "  LinearMean(m=2): A\n"
        "    effsizes: [-1.   0.5]\n"
        "  OffsetMean(): B\n"
        "    offset: 2.0"
    )


def test_str_nested():
    kron = KronMean(np.eye(2), np.ones((1, 2)))
    kron.B = [[1.0, 0.0], [0.0, 1.0]]
    kron.name = "K"
    off = OffsetMean(2)
    off.name = "O"
    inner = SumMean([kron, off])
    inner.name = "inner"
    outer = SumMean([OffsetMean(2), inner])
    outer.name = "outer"
    assert str(outer) == (
        "SumMean(means=...): outer\n"
        "  OffsetMean(): OffsetMean\n"
        "    offset: 0.0\n"
        "  SumMean(means=...): inner\n"
        "    KronMean(A=..., X=...): K\n"
        "      B: [[1. 0.]\n"
        "          [0. 1.]]\n"
        "    OffsetMean(): O\n"
        "      offset: 0.0"
    )


def test_empty():
    with pytest.raises(ValueError, match="means must contain at least one"):
        SumMean([])


def test_mismatched_sizes():
    with pytest.raises(ValueError, match="means must all have the same size"):
        SumMean([OffsetMean(2), OffsetMean(3)])
    with pytest.raises(ValueError, match="means must all have the same size"):
        SumMean([LinearMean(np.ones((4, 1))), KronMean(np.eye(2), np.ones((3, 1)))])


def test_repeated_term_is_rejected():
    off = OffsetMean(2)
    with pytest.raises(ValueError, match=r"means\[1\] shares parameters"):
        SumMean([off, off])
    with pytest.raises(ValueError, match=r"means\[1\] shares parameters"):
        SumMean([off, SumMean([OffsetMean(2), off])])
