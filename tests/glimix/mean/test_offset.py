"""OffsetMean, 𝐦 = θ·𝟏."""

from __future__ import annotations

import numpy as np
import pytest

from glimix.mean import OffsetMean
from glimix.testing import check_gradient

from .._function_checks import check_listen_fix_unfix


@pytest.mark.parametrize("n", [1, 4])
@pytest.mark.parametrize("offset", [-2.3, 0.0, 0.81])
def test_value_and_gradient(n, offset):
    mean = OffsetMean(n)
    mean.offset = offset
    np.testing.assert_array_equal(mean.value(), np.full(n, offset))
    np.testing.assert_array_equal(mean.gradient()["offset"], np.ones(n))
    assert mean.size == n
    check_gradient(mean)


def test_starts_at_zero():
    mean = OffsetMean(3)
    assert mean.offset == 0.0
    np.testing.assert_array_equal(mean.value(), np.zeros(3))
    bounds = mean._variables["offset"].bounds
    assert bounds == (-np.inf, np.inf)


def test_variable_assignment():
    mean = OffsetMean(2)
    mean._variables["offset"].value = 1.5
    assert mean.offset == 1.5
    np.testing.assert_array_equal(mean.value(), [1.5, 1.5])


def test_fix_offset():
    mean = OffsetMean(2)
    mean.fix_offset()
    assert mean._variables["offset"].isfixed
    assert mean._variables.select(fixed=False).names() == []
    mean.unfix_offset()
    assert not mean._variables["offset"].isfixed


def test_listen_fix_unfix():
    check_listen_fix_unfix(OffsetMean(2), "offset", 2.0, offset=1.0)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_bad_offset(bad):
    mean = OffsetMean(2)
    mean.offset = 1.0
    with pytest.raises(ValueError, match=r"^offset must be finite"):
        mean.offset = bad
    assert mean.offset == 1.0


@pytest.mark.parametrize("bad", [0, -1, 2.0, True, None])
def test_bad_n(bad):
    with pytest.raises(ValueError, match=r"^n "):
        OffsetMean(bad)


def test_str():
    mean = OffsetMean(3)
    mean.offset = 2.0
    mean.name = "𝐦"
    assert str(mean) == "OffsetMean(): 𝐦\n  offset: 2.0"
