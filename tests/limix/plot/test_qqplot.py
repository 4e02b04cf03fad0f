"""qqplot: points, thinning, the Beta confidence band, the diagonal and several series."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.lines import AxLine

import limix
from limix.plot._qqplot import _band


def _points(ax):
    return [c for c in ax.collections if isinstance(c, PathCollection)]


def _bands(ax):
    return [c for c in ax.collections if isinstance(c, PolyCollection)]


def test_points_band_line_and_labels(ax, tmp_path):
    pv = np.random.default_rng(0).random(500)
    limix.plot.qqplot(pv, cutoff=None, ax=ax)
    (points,) = _points(ax)
    offsets = points.get_offsets()
    assert len(offsets) == 500
    expected = -np.log10(np.arange(1, 501) / 501)
    np.testing.assert_allclose(offsets[:, 0], expected)
    np.testing.assert_allclose(offsets[:, 1], -np.log10(np.sort(pv)))
    assert len(_bands(ax)) == 1
    assert sum(isinstance(line, AxLine) for line in ax.lines) == 1
    assert "expected" in ax.get_xlabel() and "log" in ax.get_xlabel()
    assert "observed" in ax.get_ylabel()
    ax.figure.savefig(tmp_path / "qq.png")
    assert ax.get_xlim()[0] == 0 and ax.get_ylim()[0] == 0


def test_band_covers_the_order_statistics_at_its_level():
    n, alpha, reps = 30, 0.1, 4000
    x, bottom, top = _band(n, alpha)
    np.testing.assert_allclose(x, -np.log10(np.arange(1, n + 1) / (n + 1)))
    sims = -np.log10(np.sort(np.random.default_rng(1).random((reps, n)), axis=1))
    inside = ((sims >= bottom) & (sims <= top)).mean(axis=0)
    # Pointwise coverage 1 − alpha, up to Monte Carlo error (sd ≈ 0.005).
    np.testing.assert_allclose(inside, 1 - alpha, atol=0.02)


def test_band_for_large_n_uses_a_grid_spanning_every_rank():
    x, bottom, top = _band(10**6, 0.05)
    assert len(x) <= 1000
    assert x[0] == pytest.approx(-np.log10(1 / (10**6 + 1)))
    assert x[-1] == pytest.approx(-np.log10(10**6 / (10**6 + 1)))
    assert np.all(bottom <= top)


def test_thinning_keeps_the_tail_and_drops_the_dense_bulk(ax):
    pv = np.random.default_rng(2).random(100_000)
    limix.plot.qqplot(pv, cutoff=0.1, ax=ax)
    (points,) = _points(ax)
    offsets = points.get_offsets()
    assert len(offsets) < 10_000 + 5_000
    # Every point with p ≤ cutoff is drawn, so is the largest p-value.
    observed = offsets[:, 1]
    tail = -np.log10(pv[pv <= 0.1])
    assert np.isin(tail, observed).all()
    assert observed.min() == pytest.approx(-np.log10(pv.max()))
    # Thinned points are no further apart than a few thousandths of the range.
    bulk = np.sort(offsets[observed < 1, 0])
    assert np.diff(bulk).max() < 0.01 * offsets[:, 0].max()


def test_no_thinning_with_cutoff_one(ax):
    limix.plot.qqplot(np.random.default_rng(3).random(5000), cutoff=1, ax=ax)
    assert len(_points(ax)[0].get_offsets()) == 5000


def test_several_series_with_labels_and_legend(ax, tmp_path):
    rng = np.random.default_rng(4)
    limix.plot.qqplot(rng.random(1000), label="a", band_kws={"color": "#EE0000"}, ax=ax)
    limix.plot.qqplot(rng.random(1000), label="b", line=False, alpha=None, ax=ax)
    limix.plot.qqplot(
        rng.random(1000), label="c", line=False, alpha=None, pts_kws={"marker": "*"}, ax=ax
    )
    legend = ax.legend()
    assert [t.get_text() for t in legend.get_texts()] == ["a", "b", "c"]
    points = _points(ax)
    assert len(points) == 3 and len(_bands(ax)) == 1
    colours = {tuple(p.get_facecolor()[0]) for p in points}
    assert len(colours) == 3
    np.testing.assert_allclose(_bands(ax)[0].get_facecolor()[0][:3], [0xEE / 255, 0, 0])
    assert sum(isinstance(line, AxLine) for line in ax.lines) == 1
    ax.figure.savefig(tmp_path / "qq3.png")


def test_draws_on_current_axes_by_default():
    plt = limix.plot.get_pyplot()
    _fig, ax = plt.subplots()
    limix.plot.qqplot([0.1, 0.5, 0.9])
    assert len(_points(ax)) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"a": [0.1, np.nan]}, "a has 1 non-finite"),
        ({"a": [0.0, 0.5]}, r"a must hold p-values in \(0, 1\]"),
        ({"a": [0.5, 1.5]}, r"a must hold p-values in \(0, 1\]"),
        ({"a": []}, "a is empty"),
        ({"a": [[0.1, 0.2]]}, "a must have 1 dimension"),
        ({"a": [0.1], "alpha": 1.0}, "alpha must be in"),
        ({"a": [0.1], "alpha": -0.1}, "alpha must be"),
        ({"a": [0.1], "cutoff": 2}, "cutoff must be"),
        ({"a": [0.1], "pts_kws": "red"}, "pts_kws must be a dict"),
        ({"a": [0.1], "ax": "axes"}, "ax must be a matplotlib Axes"),
    ],
)
def test_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        limix.plot.qqplot(**kwargs)
