"""normal: density histogram, the fitted normal curve and the ± nstd lines."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.patches import Rectangle
from scipy.stats import norm

import limix


def test_histogram_curve_and_lines(ax, tmp_path):
    x = np.random.default_rng(0).normal(3.0, 2.0, size=1000)
    limix.plot.normal(x, bins=25, nstd=3, ax=ax)
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 25
    area = sum(b.get_width() * b.get_height() for b in bars)
    assert area == pytest.approx(1.0)
    curve, left, right = ax.lines
    mean, std = x.mean(), x.std(ddof=1)
    np.testing.assert_allclose(curve.get_ydata(), norm.pdf(curve.get_xdata(), mean, std))
    assert curve.get_xdata().min() <= x.min() and curve.get_xdata().max() >= x.max()
    assert left.get_xdata()[0] == pytest.approx(mean - 3 * std)
    assert right.get_xdata()[0] == pytest.approx(mean + 3 * std)
    assert ax.get_ylabel() == "density"
    assert len(ax.get_legend().get_texts()) == 3
    ax.figure.savefig(tmp_path / "normal.png")


def test_edges_and_no_lines(ax):
    limix.plot.normal([1.0, 2.0, 2.5, 3.0], bins=[0, 2, 4], nstd=0, ax=ax)
    assert len([p for p in ax.patches if isinstance(p, Rectangle)]) == 2
    assert len(ax.lines) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x": [1.0, 1.0]}, "x must have at least two distinct values"),
        ({"x": [1.0, np.inf]}, "x has 1 non-finite"),
        ({"x": [1.0, 2.0], "bins": 0}, "bins must be at least 1"),
        ({"x": [1.0, 2.0], "bins": [2, 1]}, "bins must be a number of bins"),
        ({"x": [1.0, 2.0], "nstd": -1}, "nstd must be"),
    ],
)
def test_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        limix.plot.normal(**kwargs)
