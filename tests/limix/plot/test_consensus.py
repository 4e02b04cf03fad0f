"""ConsensusCurve: mean and spread of interpolated curves, and its plot."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PolyCollection

import limix


def test_same_grid_mean_and_standard_deviation():
    x = np.linspace(0, 1, 11)
    ys = [x, x**2, np.sqrt(x)]
    curves = limix.plot.ConsensusCurve()
    for y in ys:
        curves.add(x[::-1], y[::-1])  # any order
    grid, bottom, mean, top = curves.consensus(nstd=2.0)
    np.testing.assert_array_equal(grid, x)
    np.testing.assert_allclose(mean, np.mean(ys, axis=0))
    np.testing.assert_allclose(top - mean, 2 * np.std(ys, axis=0, ddof=1))
    np.testing.assert_allclose(mean - bottom, 2 * np.std(ys, axis=0, ddof=1))


def test_different_grids_are_interpolated_on_the_common_range():
    curves = limix.plot.ConsensusCurve()
    curves.add([0, 1, 2, 3], [0, 1, 2, 3])
    curves.add([0.5, 2.5, 4], [1.5, 3.5, 5])  # y = x + 1
    grid, _, mean, _ = curves.consensus()
    np.testing.assert_array_equal(grid, [0.5, 1, 2, 2.5, 3])
    np.testing.assert_allclose(mean, grid + 0.5)


def test_single_curve_has_no_spread():
    curves = limix.plot.ConsensusCurve()
    curves.add([0, 1], [2, 3])
    _, bottom, mean, top = curves.consensus()
    np.testing.assert_array_equal(bottom, mean)
    np.testing.assert_array_equal(top, mean)


def test_plot(ax, tmp_path):
    curves = limix.plot.ConsensusCurve()
    x = np.linspace(0, 1, 20)
    for shift in (0.0, 0.1, 0.2):
        curves.add(x, x + shift)
    curves.plot(label="consensus", band_kws={"alpha": 0.5}, ax=ax)
    (line,) = ax.lines
    np.testing.assert_allclose(line.get_ydata(), x + 0.1)
    assert line.get_label() == "consensus"
    (band,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert band.get_alpha() == 0.5
    ax.figure.savefig(tmp_path / "consensus.png")


def test_errors():
    curves = limix.plot.ConsensusCurve()
    with pytest.raises(ValueError, match="no curve to consolidate"):
        curves.consensus()
    with pytest.raises(ValueError, match="x and y must have the same length"):
        curves.add([0, 1], [0, 1, 2])
    with pytest.raises(ValueError, match="x must have at least two distinct"):
        curves.add([1, 1], [0, 1])
    with pytest.raises(ValueError, match="y has 1 non-finite"):
        curves.add([0, 1], [0, np.nan])
    curves.add([0, 1], [0, 1])
    curves.add([2, 3], [0, 1])
    with pytest.raises(ValueError, match="no common x range"):
        curves.consensus()
    with pytest.raises(ValueError, match="nstd must be"):
        curves.consensus(nstd=-1)
